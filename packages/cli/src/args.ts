import { type ParseArgsConfig, parseArgs } from 'node:util';
import { isTier, TIER_NAMES, type TierName } from '@tenantry/tiers';
import { UsageError } from './errors.js';

/** A parsed command line: what to do, and where the endpoints file was named (if it was). */
export interface Invocation {
  command: Command;
  endpointsFile?: string;
}

export type Command =
  | {
      name: 'register';
      tenantName: string;
      email: string;
      tier: TierName;
      companyName?: string;
      asAdmin: boolean;
      timeoutMs: number;
    }
  | { name: 'status'; registrationId: string }
  | { name: 'login'; tenantName: string; email: string; password?: string; newPassword?: string }
  | { name: 'outbox'; email: string; json: boolean }
  | { name: 'tenant-config'; tenantName: string }
  | { name: 'help'; topic?: CommandName };

export type CommandName = Command['name'];

export const COMMAND_NAMES: readonly CommandName[] = [
  'register',
  'status',
  'login',
  'outbox',
  'tenant-config',
  'help',
];

const isCommandName = (value: string): value is CommandName =>
  (COMMAND_NAMES as readonly string[]).includes(value);

/** How long `register` follows provisioning unless told otherwise. */
export const DEFAULT_REGISTER_TIMEOUT_SECONDS = 900;

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

const GLOBAL_OPTIONS = {
  endpoints: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} satisfies OptionSpec;

const COMMAND_OPTIONS = {
  register: {
    name: { type: 'string' },
    email: { type: 'string' },
    tier: { type: 'string' },
    company: { type: 'string' },
    'as-admin': { type: 'boolean' },
    timeout: { type: 'string' },
  },
  status: {},
  login: {
    tenant: { type: 'string' },
    email: { type: 'string' },
    password: { type: 'string' },
    'new-password': { type: 'string' },
  },
  outbox: { json: { type: 'boolean' } },
  'tenant-config': {},
  help: {},
} satisfies Record<CommandName, OptionSpec>;

/** How many positional arguments each command takes, and what they are called in messages. */
const POSITIONALS: Record<CommandName, { names: string[]; optional?: boolean }> = {
  register: { names: [] },
  status: { names: ['registrationId'] },
  login: { names: [] },
  outbox: { names: ['email'] },
  'tenant-config': { names: ['tenantName'] },
  help: { names: ['command'], optional: true },
};

/**
 * Parses `pnpm tenantry <command> [arguments] [options]` (the arguments after the script name).
 * Throws a `UsageError` that names the problem and the fix.
 *
 * @example
 * parseCommandLine(['status', 'reg-123', '--endpoints', 'stack.json']);
 * // { command: { name: 'status', registrationId: 'reg-123' }, endpointsFile: 'stack.json' }
 */
export function parseCommandLine(argv: readonly string[]): Invocation {
  // `pnpm tenantry -- register …` hands the separator on; it means nothing here.
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  const first = args[0];
  if (first === undefined || first === '-h' || first === '--help') return { command: { name: 'help' } };
  if (first.startsWith('-'))
    throw new UsageError(
      `put the command first: pnpm tenantry <command> [options] (${first} came first; see pnpm tenantry help)`,
    );
  if (!isCommandName(first))
    throw new UsageError(`unknown command '${first}'; the commands are ${COMMAND_NAMES.join(', ')}`);

  const { values, positionals } = parse(first, args.slice(1));
  if (values.help === true) return { command: { name: 'help', topic: first } };
  const endpointsFile = optionalString(values, 'endpoints');
  const command = buildCommand(first, values, positionals);
  return endpointsFile === undefined ? { command } : { command, endpointsFile };
}

type Values = Record<string, string | boolean | undefined>;

function parse(command: CommandName, args: string[]): { values: Values; positionals: string[] } {
  const options: NonNullable<ParseArgsConfig['options']> = { ...GLOBAL_OPTIONS, ...COMMAND_OPTIONS[command] };
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (error) {
    throw new UsageError(`${command}: ${describeParseError(error)}; see pnpm tenantry help ${command}`);
  }
  const { names, optional } = POSITIONALS[command];
  const positionals = parsed.positionals;
  if (positionals.length > names.length)
    throw new UsageError(
      `${command}: unexpected argument '${positionals[names.length]}'; see pnpm tenantry help ${command}`,
    );
  if (!optional && positionals.length < names.length)
    throw new UsageError(
      `${command}: missing <${names[positionals.length]}>; see pnpm tenantry help ${command}`,
    );
  return { values: parsed.values, positionals };
}

/** node:util's messages are long and mention `parseArgs`; keep the part a user needs. */
function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1]}`;
  const missingValue = /Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(message);
  if (missingValue) return `${missingValue[1]} needs a value`;
  const noValue = /Option '(--[\w-]+)' does not take an argument/.exec(message);
  if (noValue) return `${noValue[1]} takes no value`;
  return message.split('\n')[0] ?? message;
}

function buildCommand(name: CommandName, values: Values, positionals: string[]): Command {
  switch (name) {
    case 'register': {
      const tier = requiredString(values, name, 'tier');
      if (!isTier(tier))
        throw new UsageError(`register: unknown tier '${tier}'; choose one of ${TIER_NAMES.join(', ')}`);
      const companyName = optionalString(values, 'company');
      return {
        name,
        tenantName: requiredString(values, name, 'name'),
        email: requiredString(values, name, 'email'),
        tier,
        ...(companyName === undefined ? {} : { companyName }),
        asAdmin: values['as-admin'] === true,
        timeoutMs: timeoutOf(values),
      };
    }
    case 'status':
      return { name, registrationId: positionals[0] as string };
    case 'login': {
      const password = optionalString(values, 'password');
      const newPassword = optionalString(values, 'new-password');
      return {
        name,
        tenantName: requiredString(values, name, 'tenant'),
        email: requiredString(values, name, 'email'),
        ...(password === undefined ? {} : { password }),
        ...(newPassword === undefined ? {} : { newPassword }),
      };
    }
    case 'outbox':
      return { name, email: positionals[0] as string, json: values.json === true };
    case 'tenant-config':
      return { name, tenantName: positionals[0] as string };
    case 'help': {
      const topic = positionals[0];
      if (topic === undefined) return { name };
      if (!isCommandName(topic))
        throw new UsageError(
          `help: unknown command '${topic}'; the commands are ${COMMAND_NAMES.join(', ')}`,
        );
      return { name, topic };
    }
  }
}

function optionalString(values: Values, option: string): string | undefined {
  const value = values[option];
  return typeof value === 'string' ? value : undefined;
}

function requiredString(values: Values, command: CommandName, option: string): string {
  const value = optionalString(values, option);
  if (value === undefined || value.trim() === '')
    throw new UsageError(`${command}: --${option} is required; see pnpm tenantry help ${command}`);
  return value;
}

function timeoutOf(values: Values): number {
  const text = optionalString(values, 'timeout');
  if (text === undefined) return DEFAULT_REGISTER_TIMEOUT_SECONDS * 1000;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new UsageError(`register: --timeout takes a number of seconds greater than 0, not '${text}'`);
  return seconds * 1000;
}
