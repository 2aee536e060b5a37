import { describe, expect, it } from 'vitest';
import { ulid } from './ids.js';

describe('ulid', () => {
  it('makes 26-character ids of letters and digits that sort by time', () => {
    const earlier = ulid(Date.UTC(2026, 0, 1));
    const later = ulid(Date.UTC(2026, 0, 2));
    expect(earlier).toMatch(/^[0-9A-Z]{26}$/);
    expect(earlier < later).toBe(true);
    expect(ulid(1)).not.toBe(ulid(1));
  });
});
