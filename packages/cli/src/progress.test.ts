import { describe, expect, it } from 'vitest';
import { createProgress, formatElapsed, stepLine } from './progress.js';

const recorder = () => {
  const chunks: string[] = [];
  return { chunks, write: (text: string) => void chunks.push(text) };
};

describe('formatElapsed', () => {
  it.each([
    [0, '0.0s'],
    [249, '0.2s'],
    [12_345, '12.3s'],
    [59_999, '59.9s'],
    [60_000, '1m00s'],
    [125_400, '2m05s'],
  ])('shows %d ms as %s', (ms, shown) => {
    expect(formatElapsed(ms)).toBe(shown);
  });
});

describe('createProgress', () => {
  it('prints each new step once, on its own line, with the elapsed time', () => {
    const output = recorder();
    const progress = createProgress({ write: output.write, tty: false });
    progress.update('received', 10);
    progress.update('received', 260);
    progress.update('createTenantRecord', 510);
    progress.update('createTenantApiKey', 760);
    progress.update('createTenantApiKey', 1010);
    progress.end();
    expect(output.chunks.join('')).toBe(
      [
        '   0.0s  received  registration received',
        '   0.5s  createTenantRecord  creating the tenant record',
        "   0.7s  createTenantApiKey  creating the tenant's API key in its tier's usage plan",
        '',
      ].join('\n'),
    );
  });

  it('shows a step it does not know by its name', () => {
    expect(stepLine('migrateData', 1500)).toBe('   1.5s  migrateData');
  });

  it('rewrites one line on a terminal and leaves a clean line at the end', () => {
    const output = recorder();
    const progress = createProgress({ write: output.write, tty: true });
    progress.update('received', 0);
    progress.update('received', 250);
    progress.update('createTenantAdmin', 500);
    progress.end();
    expect(output.chunks).toEqual([
      '\r\x1b[2K⠋ 0.0s  received  registration received',
      '\r\x1b[2K⠙ 0.2s  received  registration received',
      '\r\x1b[2K⠹ 0.5s  createTenantAdmin  inviting the tenant admin',
      '\r\x1b[2K',
    ]);
    expect(output.chunks.join('')).not.toContain('\n');
  });
});
