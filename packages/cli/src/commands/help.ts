import type { CommandName } from '../args.js';
import { DEFAULT_REGISTER_TIMEOUT_SECONDS } from '../args.js';

const USAGE: Record<CommandName, string> = {
  register: `pnpm tenantry register --name <tenantName> --email <email> --tier <tier> [--company <name>] [--as-admin] [--timeout <seconds>]
  Registers a tenant (POST /registrations) and follows its provisioning until ACTIVE (exit 0) or
  FAILED (exit 1). Steps go to stderr; the final ACTIVE line to stdout. A platinum tier needs
  --as-admin (logs in as the systemAdmin of the endpoints file). --timeout defaults to ${DEFAULT_REGISTER_TIMEOUT_SECONDS} s.`,
  status: `pnpm tenantry status <registrationId>
  Prints the registration (status PROVISIONING, ACTIVE or FAILED, current step, error) as JSON.`,
  login: `pnpm tenantry login --tenant <tenantName> --email <email> [--password <pw>] [--new-password <pw>]
  Logs in against the tenant's user pool and prints only the ID token on stdout:
    TOKEN=$(pnpm tenantry login --tenant acme --email admin@acme.example --password '…')
  On a first login with a temporary password, --new-password sets the permanent one; without it the
  CLI asks on a terminal (hidden input) and fails elsewhere.`,
  outbox: `pnpm tenantry outbox <email> [--json]
  Prints what the local stack would have e-mailed to <email> (invitations with temporary
  passwords), oldest first. Local stack only.`,
  'tenant-config': `pnpm tenantry tenant-config <tenantName>
  Prints the tenant's public config (tenant id, tier, status, user pool, app client, API URL) as JSON.`,
  help: `pnpm tenantry help [command]
  Prints this help, or one command's.`,
};

const COMMON = `Options for every command:
  --endpoints <file>   the endpoints file (default: TENANTRY_ENDPOINTS, else .local/endpoints.json,
                       which pnpm dev writes when the stack is ready)
  -h, --help           help for the command

Exit codes: 0 done, 1 the operation failed (FAILED registration, refused login, API error),
2 bad command line or input, 3 environment not ready (no endpoints file, stack unreachable, no outbox).`;

/** The help for one command, or all of them. */
export function helpText(topic?: CommandName): string {
  if (topic && topic !== 'help') return `${USAGE[topic]}\n\n${COMMON}\n`;
  return `pnpm tenantry <command> [options]: Tenantry from the command line

${Object.values(USAGE).join('\n\n')}

${COMMON}
`;
}
