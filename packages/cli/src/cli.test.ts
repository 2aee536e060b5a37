import { describe, expect, it } from 'vitest';
import type { AuthClient, AuthOutcome } from './auth.js';
import { type CliEnvironment, run } from './cli.js';
import type { CliContext } from './context.js';
import { EXIT } from './errors.js';

const ENDPOINTS = {
  controlPlaneUrl: 'http://127.0.0.1:4000/control',
  pooledAppUrl: 'http://127.0.0.1:4000/app',
  cognitoEndpoint: 'http://127.0.0.1:9229',
  outboxUrl: 'http://127.0.0.1:4000/_local/outbox',
  region: 'us-east-1',
  systemAdmin: { userPoolId: 'ops-pool', appClientId: 'ops-client', username: 'root@ops', password: 'pw' },
};

type Route = (init: RequestInit | undefined) => { status: number; body?: unknown };

/** A CLI run against canned HTTP answers, a fake clock and a scripted Cognito. */
function harness(
  options: {
    routes?: Record<string, Route>;
    endpointsFile?: string | null;
    auth?: Partial<AuthClient>;
    interactive?: boolean;
    answers?: string[];
  } = {},
) {
  let clock = 0;
  const stdout: string[] = [];
  const stderr: string[] = [];
  const requests: { method: string; url: string; init: RequestInit | undefined }[] = [];
  const authCalls: unknown[] = [];
  const answers = [...(options.answers ?? [])];
  const context: CliContext = {
    async fetch(url, init) {
      const method = init?.method ?? 'GET';
      requests.push({ method, url, init });
      const route = options.routes?.[`${method} ${url}`];
      if (!route) throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
      const { status, body } = route(init);
      return new Response(body === undefined ? null : JSON.stringify(body), { status });
    },
    now: () => clock,
    async sleep(ms) {
      clock += ms;
    },
    stdout: (text) => void stdout.push(text),
    stderr: (text) => void stderr.push(text),
    stderrIsTTY: false,
    interactive: options.interactive ?? false,
    prompt: async () => answers.shift() ?? '',
    auth: (location) => {
      authCalls.push(location);
      return {
        logIn: options.auth?.logIn ?? (async () => ({ kind: 'tokens', idToken: 'id-token' })),
        setNewPassword:
          options.auth?.setNewPassword ?? (async () => ({ kind: 'tokens', idToken: 'id-token' })),
      };
    },
  };
  const files: Record<string, string> = {};
  if (options.endpointsFile !== null)
    files['/repo/.local/endpoints.json'] = options.endpointsFile ?? JSON.stringify(ENDPOINTS);
  const environment: CliEnvironment = {
    defaultEndpointsPath: '/repo/.local/endpoints.json',
    cwd: '/repo',
    async readText(path) {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return text;
    },
  };
  return {
    stdout,
    stderr,
    requests,
    authCalls,
    files,
    run: (argv: string[], env: Partial<CliEnvironment> = {}) =>
      run(argv, context, { ...environment, ...env }),
  };
}

const REGISTER = ['register', '--name', 'acme', '--email', 'admin@acme.example', '--tier', 'basic'];
const registrationAt = (status: string, step: string, extra: Record<string, unknown> = {}) => ({
  registrationId: 'reg-1',
  tenantId: 'tenant-1',
  tenantName: 'acme',
  tier: 'basic',
  status,
  step,
  ...extra,
});
/** GET /registrations/reg-1 answers these, one per poll, the last one from then on. */
const polls = (...answers: ReturnType<typeof registrationAt>[]): Route => {
  let index = 0;
  return () => ({ status: 200, body: answers[Math.min(index++, answers.length - 1)] });
};
const accepted: Route = () => ({
  status: 202,
  body: { registrationId: 'reg-1', tenantId: 'tenant-1', status: 'PROVISIONING' },
});

describe('the endpoints file', () => {
  it('says to run pnpm dev when .local/endpoints.json is missing', async () => {
    const cli = harness({ endpointsFile: null });
    expect(await cli.run(['status', 'reg-1'])).toBe(EXIT.environment);
    expect(cli.stderr.join('')).toBe(
      'error: no endpoints file at .local/endpoints.json: run pnpm dev first (it writes the file when the stack is ready), or pass --endpoints <file> or set TENANTRY_ENDPOINTS\n',
    );
  });

  it('reads --endpoints before TENANTRY_ENDPOINTS, relative to where the user is', async () => {
    const cli = harness({ endpointsFile: null });
    cli.files['/repo/sub/stack.json'] = JSON.stringify({ ...ENDPOINTS, controlPlaneUrl: 'http://h:1/c/' });
    await cli.run(['status', 'reg-1', '--endpoints', 'sub/stack.json'], {
      endpointsVariable: 'missing.json',
    });
    expect(cli.requests[0]?.url).toBe('http://h:1/c/registrations/reg-1');
  });

  it('names the variable when the file TENANTRY_ENDPOINTS names is missing', async () => {
    const cli = harness({ endpointsFile: null });
    expect(await cli.run(['status', 'reg-1'], { endpointsVariable: '/tmp/gone.json' })).toBe(
      EXIT.environment,
    );
    expect(cli.stderr.join('')).toContain(
      'no endpoints file at /tmp/gone.json (given by TENANTRY_ENDPOINTS)',
    );
  });

  it('refuses a file without controlPlaneUrl or with invalid JSON', async () => {
    const missingKey = harness({ endpointsFile: JSON.stringify({ region: 'us-east-1' }) });
    expect(await missingKey.run(['status', 'reg-1'])).toBe(EXIT.environment);
    expect(missingKey.stderr.join('')).toContain(
      'the endpoints file .local/endpoints.json has no controlPlaneUrl',
    );
    const broken = harness({ endpointsFile: '{"controlPlaneUrl":' });
    await broken.run(['status', 'reg-1']);
    expect(broken.stderr.join('')).toContain('the endpoints file .local/endpoints.json is not valid JSON');
  });

  it('does not need the file for help', async () => {
    const cli = harness({ endpointsFile: null });
    expect(await cli.run(['help'])).toBe(EXIT.ok);
    expect(cli.stdout.join('')).toContain('pnpm tenantry register --name <tenantName>');
  });
});

describe('register', () => {
  it('posts the registration and prints each new step until ACTIVE', async () => {
    const cli = harness({
      routes: {
        'POST http://127.0.0.1:4000/control/registrations': accepted,
        'GET http://127.0.0.1:4000/control/registrations/reg-1': polls(
          registrationAt('PROVISIONING', 'received'),
          registrationAt('PROVISIONING', 'createTenantRecord'),
          registrationAt('PROVISIONING', 'createTenantRecord'),
          registrationAt('PROVISIONING', 'createTenantAdmin'),
          registrationAt('ACTIVE', 'completeRegistration'),
        ),
      },
    });
    expect(await cli.run([...REGISTER, '--company', 'Acme Inc'])).toBe(EXIT.ok);
    const post = cli.requests[0];
    expect(JSON.parse(String(post?.init?.body))).toEqual({
      tenantName: 'acme',
      email: 'admin@acme.example',
      tier: 'basic',
      companyName: 'Acme Inc',
    });
    expect(cli.stderr.join('')).toContain(
      [
        '   0.0s  received  registration received',
        '   0.2s  createTenantRecord  creating the tenant record',
        '   0.7s  createTenantAdmin  inviting the tenant admin',
        '   1.0s  completeRegistration  completing the registration',
      ].join('\n'),
    );
    expect(cli.stdout.join('')).toBe('ACTIVE acme (basic) tenantId=tenant-1 registrationId=reg-1 in 1.0s\n');
  });

  it('polls every 250 ms', async () => {
    const cli = harness({
      routes: {
        'POST http://127.0.0.1:4000/control/registrations': accepted,
        'GET http://127.0.0.1:4000/control/registrations/reg-1': polls(
          registrationAt('PROVISIONING', 'received'),
          registrationAt('PROVISIONING', 'received'),
          registrationAt('ACTIVE', 'completeRegistration'),
        ),
      },
    });
    await cli.run(REGISTER);
    expect(cli.requests.filter((request) => request.method === 'GET')).toHaveLength(3);
    expect(cli.stdout.join('')).toContain('in 0.5s');
  });

  it('exits 1 with the step and the error when provisioning fails', async () => {
    const cli = harness({
      routes: {
        'POST http://127.0.0.1:4000/control/registrations': accepted,
        'GET http://127.0.0.1:4000/control/registrations/reg-1': polls(
          registrationAt('PROVISIONING', 'createTenantAdmin'),
          registrationAt('FAILED', 'createTenantAdmin', { error: 'could not invite the tenant admin' }),
        ),
      },
    });
    expect(await cli.run(REGISTER)).toBe(EXIT.failed);
    expect(cli.stdout).toEqual([]);
    expect(cli.stderr.at(-1)).toBe(
      'error: FAILED after 0.2s at step createTenantAdmin: could not invite the tenant admin\n',
    );
  });

  it('gives up after --timeout and says how to look again', async () => {
    const cli = harness({
      routes: {
        'POST http://127.0.0.1:4000/control/registrations': accepted,
        'GET http://127.0.0.1:4000/control/registrations/reg-1': polls(
          registrationAt('PROVISIONING', 'describeTenantStack'),
        ),
      },
    });
    expect(await cli.run([...REGISTER, '--timeout', '1'])).toBe(EXIT.failed);
    expect(cli.stderr.at(-1)).toBe(
      'error: still PROVISIONING after 1.0s (at describeTenantStack); look again with pnpm tenantry status reg-1\n',
    );
  });

  it("shows the server's message and a hint when the name is taken", async () => {
    const cli = harness({
      routes: {
        'POST http://127.0.0.1:4000/control/registrations': () => ({
          status: 409,
          body: { message: 'tenant name acme is taken' },
        }),
      },
    });
    expect(await cli.run(REGISTER)).toBe(EXIT.failed);
    expect(cli.stderr.join('')).toBe(
      'error: registration refused: tenant name acme is taken (HTTP 409); choose another --name\n',
    );
  });

  it('treats a 400 as bad input (exit 2)', async () => {
    const cli = harness({
      routes: {
        'POST http://127.0.0.1:4000/control/registrations': () => ({
          status: 400,
          body: { message: 'tenantName must match ^[a-z0-9]…' },
        }),
      },
    });
    expect(await cli.run(REGISTER)).toBe(EXIT.usage);
  });

  it('refuses platinum without --as-admin before calling the API', async () => {
    const cli = harness();
    expect(
      await cli.run(['register', '--name', 'big', '--email', 'a@big.example', '--tier', 'platinum']),
    ).toBe(EXIT.usage);
    expect(cli.requests).toEqual([]);
    expect(cli.stderr.join('')).toContain('add --as-admin');
  });

  it('sends the SystemAdmin token with --as-admin', async () => {
    const cli = harness({
      routes: {
        'POST http://127.0.0.1:4000/control/registrations': accepted,
        'GET http://127.0.0.1:4000/control/registrations/reg-1': polls(
          registrationAt('ACTIVE', 'completeRegistration'),
        ),
      },
      auth: {
        logIn: async ({ clientId, username, password }) => {
          expect({ clientId, username, password }).toEqual({
            clientId: 'ops-client',
            username: 'root@ops',
            password: 'pw',
          });
          return { kind: 'tokens', idToken: 'admin-token' };
        },
      },
    });
    expect(await cli.run([...REGISTER.slice(0, -1), 'platinum', '--as-admin'])).toBe(EXIT.ok);
    expect(new Headers(cli.requests[0]?.init?.headers).get('authorization')).toBe('Bearer admin-token');
    expect(cli.authCalls).toEqual([{ region: 'us-east-1', endpoint: 'http://127.0.0.1:9229' }]);
  });

  it('says the stack is not running when nothing answers', async () => {
    const cli = harness();
    expect(await cli.run(REGISTER)).toBe(EXIT.environment);
    expect(cli.stderr.join('')).toBe(
      'error: cannot reach http://127.0.0.1:4000 (ECONNREFUSED): is the stack running? Start it with pnpm dev, or check the endpoints file\n',
    );
  });
});

describe('status and tenant-config', () => {
  it('prints the registration as JSON', async () => {
    const cli = harness({
      routes: {
        'GET http://127.0.0.1:4000/control/registrations/reg-1': polls(
          registrationAt('ACTIVE', 'completeRegistration'),
        ),
      },
    });
    expect(await cli.run(['status', 'reg-1'])).toBe(EXIT.ok);
    expect(JSON.parse(cli.stdout.join(''))).toMatchObject({ registrationId: 'reg-1', status: 'ACTIVE' });
  });

  it('says an unknown tenant may be misspelt or offboarded', async () => {
    const cli = harness({
      routes: {
        'GET http://127.0.0.1:4000/control/tenant-config/nope': () => ({
          status: 404,
          body: { message: 'not found' },
        }),
      },
    });
    expect(await cli.run(['tenant-config', 'nope'])).toBe(EXIT.failed);
    expect(cli.stderr.join('')).toBe(
      'error: no tenant named nope: check the name (it may be offboarded), or register it with pnpm tenantry register\n',
    );
  });
});

describe('login', () => {
  const tenantConfig: Route = () => ({
    status: 200,
    body: {
      tenantId: 'tenant-1',
      tenantName: 'acme',
      tier: 'basic',
      status: 'ACTIVE',
      userPoolId: 'pooled-pool',
      appClientId: 'pooled-client',
      apiUrl: 'http://127.0.0.1:4000/app',
      region: 'eu-west-1',
    },
  });
  const challenge: AuthOutcome = {
    kind: 'challenge',
    challengeName: 'NEW_PASSWORD_REQUIRED',
    session: 'session-1',
    username: 'user-sub',
  };
  const LOGIN = ['login', '--tenant', 'acme', '--email', 'a@acme.example', '--password', 'Temp-1'];

  it('answers NEW_PASSWORD_REQUIRED with --new-password and prints only the ID token on stdout', async () => {
    const newPasswords: unknown[] = [];
    const cli = harness({
      routes: { 'GET http://127.0.0.1:4000/control/tenant-config/acme': tenantConfig },
      auth: {
        logIn: async () => challenge,
        setNewPassword: async (input) => {
          newPasswords.push(input);
          return { kind: 'tokens', idToken: 'the-id-token' };
        },
      },
    });
    expect(await cli.run([...LOGIN, '--new-password', 'Perm-2'])).toBe(EXIT.ok);
    expect(cli.stdout).toEqual(['the-id-token\n']);
    expect(newPasswords).toEqual([
      { clientId: 'pooled-client', session: 'session-1', username: 'user-sub', newPassword: 'Perm-2' },
    ]);
    expect(cli.authCalls).toEqual([{ region: 'eu-west-1', endpoint: 'http://127.0.0.1:9229' }]);
    expect(cli.stderr.join('')).toContain('logged in as a@acme.example');
  });

  it('tells a non-interactive caller to pass --new-password', async () => {
    const cli = harness({
      routes: { 'GET http://127.0.0.1:4000/control/tenant-config/acme': tenantConfig },
      auth: { logIn: async () => challenge },
    });
    expect(await cli.run(LOGIN)).toBe(EXIT.usage);
    expect(cli.stdout).toEqual([]);
    expect(cli.stderr.join('')).toBe(
      'error: a@acme.example must choose a new password (first login with a temporary password): pass --new-password <password>\n',
    );
  });

  it('asks for the new password twice on a terminal', async () => {
    const cli = harness({
      routes: { 'GET http://127.0.0.1:4000/control/tenant-config/acme': tenantConfig },
      auth: { logIn: async () => challenge },
      interactive: true,
      answers: ['Perm-2', 'Perm-3'],
    });
    expect(await cli.run(LOGIN)).toBe(EXIT.usage);
    expect(cli.stderr.at(-1)).toBe('error: the two new passwords differ; run login again\n');
  });

  it('asks for the password on a terminal when --password is absent, and refuses elsewhere', async () => {
    const routes = { 'GET http://127.0.0.1:4000/control/tenant-config/acme': tenantConfig };
    const passwords: string[] = [];
    const logIn: AuthClient['logIn'] = async ({ password }) => {
      passwords.push(password);
      return { kind: 'tokens', idToken: 't' };
    };
    const terminal = harness({ routes, auth: { logIn }, interactive: true, answers: ['typed-pw'] });
    expect(await terminal.run(LOGIN.slice(0, -2))).toBe(EXIT.ok);
    expect(passwords).toEqual(['typed-pw']);
    const pipe = harness({ routes, auth: { logIn } });
    expect(await pipe.run(LOGIN.slice(0, -2))).toBe(EXIT.usage);
    expect(pipe.stderr.join('')).toContain('cannot ask for a password without a terminal: pass --password');
  });

  it('leaves out the endpoint on AWS (no cognitoEndpoint in the file)', async () => {
    const { cognitoEndpoint: _, ...aws } = ENDPOINTS;
    const cli = harness({
      endpointsFile: JSON.stringify(aws),
      routes: { 'GET http://127.0.0.1:4000/control/tenant-config/acme': tenantConfig },
    });
    expect(await cli.run(LOGIN)).toBe(EXIT.ok);
    expect(cli.authCalls).toEqual([{ region: 'eu-west-1' }]);
  });
});

describe('outbox', () => {
  it('prints each message with its temporary password', async () => {
    const cli = harness({
      routes: {
        'GET http://127.0.0.1:4000/_local/outbox?to=a%40acme.example': () => ({
          status: 200,
          body: {
            messages: [
              {
                to: 'a@acme.example',
                subject: 'Your Tenantry account',
                body: 'Welcome.\n',
                temporaryPassword: 'Temp-1',
                sentAt: '2025-01-01T00:00:00.000Z',
              },
            ],
          },
        }),
      },
    });
    expect(await cli.run(['outbox', 'a@acme.example'])).toBe(EXIT.ok);
    expect(cli.stdout.join('')).toBe(
      'To: a@acme.example\nDate: 2025-01-01T00:00:00.000Z\nSubject: Your Tenantry account\nTemporary password: Temp-1\n\nWelcome.\n',
    );
  });

  it('says the outbox is local-only when the endpoints file has none', async () => {
    const { outboxUrl: _, ...aws } = ENDPOINTS;
    const cli = harness({ endpointsFile: JSON.stringify(aws) });
    expect(await cli.run(['outbox', 'a@acme.example'])).toBe(EXIT.environment);
    expect(cli.stderr.join('')).toContain('the outbox exists only in the local stack (pnpm dev)');
  });
});
