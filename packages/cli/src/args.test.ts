import { describe, expect, it } from 'vitest';
import { parseCommandLine } from './args.js';
import { EXIT, UsageError } from './errors.js';

const usageErrorOf = (argv: string[]): UsageError => {
  try {
    parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`parsed ${argv.join(' ')} without an error`);
};

describe('parseCommandLine', () => {
  it('parses a register command with every option', () => {
    expect(
      parseCommandLine([
        'register',
        '--name',
        'acme',
        '--email',
        'admin@acme.example',
        '--tier',
        'platinum',
        '--company',
        'Acme Inc',
        '--as-admin',
        '--timeout',
        '30',
        '--endpoints',
        'stack.json',
      ]),
    ).toEqual({
      command: {
        name: 'register',
        tenantName: 'acme',
        email: 'admin@acme.example',
        tier: 'platinum',
        companyName: 'Acme Inc',
        asAdmin: true,
        timeoutMs: 30_000,
      },
      endpointsFile: 'stack.json',
    });
  });

  it('defaults register to no company, no admin and a 900 s timeout', () => {
    expect(
      parseCommandLine(['register', '--name=acme', '--email=a@acme.example', '--tier=basic']).command,
    ).toEqual({
      name: 'register',
      tenantName: 'acme',
      email: 'a@acme.example',
      tier: 'basic',
      asAdmin: false,
      timeoutMs: 900_000,
    });
  });

  it('parses the positional commands and ignores a leading -- from pnpm', () => {
    expect(parseCommandLine(['--', 'status', 'reg-1']).command).toEqual({
      name: 'status',
      registrationId: 'reg-1',
    });
    expect(parseCommandLine(['outbox', 'a@b.example', '--json']).command).toEqual({
      name: 'outbox',
      email: 'a@b.example',
      json: true,
    });
    expect(parseCommandLine(['tenant-config', 'acme']).command).toEqual({
      name: 'tenant-config',
      tenantName: 'acme',
    });
  });

  it('parses login with and without passwords', () => {
    expect(
      parseCommandLine(['login', '--tenant', 'acme', '--email', 'a@b.example', '--new-password', 'N3w!pass'])
        .command,
    ).toEqual({ name: 'login', tenantName: 'acme', email: 'a@b.example', newPassword: 'N3w!pass' });
    expect(parseCommandLine(['login', '--tenant', 'acme', '--email', 'a@b.example']).command).toEqual({
      name: 'login',
      tenantName: 'acme',
      email: 'a@b.example',
    });
  });

  it('answers help for no arguments, -h, help <command> and <command> --help', () => {
    expect(parseCommandLine([]).command).toEqual({ name: 'help' });
    expect(parseCommandLine(['-h']).command).toEqual({ name: 'help' });
    expect(parseCommandLine(['help', 'login']).command).toEqual({ name: 'help', topic: 'login' });
    expect(parseCommandLine(['register', '--help']).command).toEqual({ name: 'help', topic: 'register' });
  });

  it.each([
    [
      ['frob'],
      "unknown command 'frob'; the commands are register, status, login, outbox, tenant-config, help",
    ],
    [['--endpoints', 'x', 'status'], 'put the command first'],
    [['register', '--email', 'a@b.example', '--tier', 'basic'], 'register: --name is required'],
    [['register', '--name', 'acme', '--email', 'a@b.example', '--tier', 'gold'], "unknown tier 'gold'"],
    [
      ['register', '--name', 'acme', '--email', 'a@b.example', '--tier', 'basic', '--timeout', 'soon'],
      "--timeout takes a number of seconds greater than 0, not 'soon'",
    ],
    [['register', '--as-admin=yes'], 'register: --as-admin takes no value'],
    [['login', '--tenant'], 'login: --tenant needs a value'],
    [['status'], 'status: missing <registrationId>'],
    [['status', 'a', 'b'], "status: unexpected argument 'b'"],
    [['status', 'a', '--tier', 'basic'], 'status: unknown option --tier'],
    [['help', 'frob'], "help: unknown command 'frob'"],
  ])('refuses %j with a message that names the problem', (argv, message) => {
    const error = usageErrorOf(argv);
    expect(error.message).toContain(message);
    expect(error.exitCode).toBe(EXIT.usage);
  });

  it('points to the command help in option errors', () => {
    expect(usageErrorOf(['login', '--email', 'a@b.example']).message).toBe(
      'login: --tenant is required; see pnpm tenantry help login',
    );
  });
});
