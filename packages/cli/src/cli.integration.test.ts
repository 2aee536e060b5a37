import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { STEP_LABELS } from './progress.js';

const root = resolve(import.meta.dirname, '../../..');
const endpoints = inject('endpoints');
const endpointsFile = join(mkdtempSync(join(tmpdir(), 'tenantry-cli-')), 'endpoints.json');
writeFileSync(endpointsFile, JSON.stringify(endpoints));

/** The real CLI in a child process, as `pnpm tenantry …` runs it. */
async function tenantry(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [
        join(root, 'node_modules/tsx/dist/cli.mjs'),
        'packages/cli/src/main.ts',
        ...args,
        '--endpoints',
        endpointsFile,
      ],
      { cwd: root, env: { ...process.env, TENANTRY_ENDPOINTS: '', INIT_CWD: root }, timeout: 60_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

describe('pnpm tenantry against the local stack', () => {
  const tenantName = `cli-${randomBytes(4).toString('hex')}`;
  const email = `admin@${tenantName}.example.com`;

  it('registers a basic tenant, shows its invitation and logs its admin in with a token the API accepts', async () => {
    const registered = await tenantry('register', '--name', tenantName, '--email', email, '--tier', 'basic');
    expect(registered, registered.stderr).toMatchObject({ code: 0 });
    expect(registered.stdout).toMatch(
      new RegExp(`^ACTIVE ${tenantName} \\(basic\\) tenantId=\\S+ registrationId=\\S+ in `),
    );
    // Polls see the current step every 250 ms, so a fast step may pass unseen: the steps shown are
    // in workflow order, with non-decreasing times, ending with the last one.
    const shown = [...registered.stderr.matchAll(/^ +(\d+\.\d)s {2}(\w+)/gm)].map((line) => ({
      seconds: Number(line[1]),
      step: line[2] ?? '',
    }));
    const order = Object.keys(STEP_LABELS);
    expect(shown.map(({ step }) => step)).toEqual(
      [...shown.map(({ step }) => step)].sort((a, b) => order.indexOf(a) - order.indexOf(b)),
    );
    expect(shown.every(({ step }) => order.includes(step))).toBe(true);
    expect(shown.map(({ seconds }) => seconds)).toEqual(
      shown.map(({ seconds }) => seconds).sort((a, b) => a - b),
    );
    expect(shown.at(-1)?.step).toBe('completeRegistration');

    const outbox = await tenantry('outbox', email);
    expect(outbox, outbox.stderr).toMatchObject({ code: 0 });
    expect(outbox.stdout).toContain(`To: ${email}`);
    expect(outbox.stdout).toMatch(/^Temporary password: \S+$/m);

    const temporaryPassword = /^Temporary password: (\S+)$/m.exec(outbox.stdout)?.[1] ?? '';
    const login = await tenantry(
      'login',
      '--tenant',
      tenantName,
      '--email',
      email,
      '--password',
      temporaryPassword,
      '--new-password',
      `Pw-${randomBytes(9).toString('base64url')}9a`,
    );
    expect(login, login.stderr).toMatchObject({ code: 0 });
    const token = login.stdout.trim();
    expect(login.stdout).toBe(`${token}\n`);
    expect(token.split('.')).toHaveLength(3);

    const products = await fetch(`${endpoints.pooledAppUrl}/products`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(products.status).toBe(200);
  });

  it('fails a login with a wrong password with exit 1 and nothing on stdout', async () => {
    const login = await tenantry(
      'login',
      '--tenant',
      tenantName,
      '--email',
      email,
      '--password',
      'wrong-Pw-1',
    );
    expect(login.code).toBe(1);
    expect(login.stdout).toBe('');
    expect(login.stderr).toContain('error: login refused:');
  });
});
