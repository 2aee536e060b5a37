import { describe, expect, it } from 'vitest';
import { requireEnv } from './env.js';

describe('requireEnv', () => {
  it('returns the requested variables', () => {
    expect(requireEnv(['A', 'B'], { A: '1', B: '2', C: '3' })).toEqual({ A: '1', B: '2' });
  });

  it('names every missing or empty variable', () => {
    expect(() => requireEnv(['A', 'B', 'C'], { B: '', C: 'x' })).toThrow(
      'missing environment variables: A, B',
    );
  });
});
