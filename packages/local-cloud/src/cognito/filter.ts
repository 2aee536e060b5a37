import { invalidParameter } from './errors.js';

/** A parsed ListUsers filter: `attribute = "value"` or `attribute ^= "value"`. */
export interface UserFilter {
  attribute: string;
  operator: '=' | '^=';
  value: string;
}

/** The attributes ListUsers can filter on (AWS's list; custom attributes are not searchable). */
export const FILTERABLE = [
  'username',
  'email',
  'phone_number',
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'cognito:user_status',
  'status',
  'sub',
] as const;

const FILTER = /^\s*([A-Za-z_:]+)\s*(\^=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/su;

/** Parses a ListUsers `Filter`; an empty filter means no filter. */
export function parseUserFilter(filter: string | undefined): UserFilter | undefined {
  if (filter === undefined || filter.trim() === '') return undefined;
  const match = FILTER.exec(filter);
  if (!match) throw invalidParameter('Error while parsing filter.');
  const [, attribute = '', operator, raw = ''] = match;
  if (!(FILTERABLE as readonly string[]).includes(attribute)) {
    throw invalidParameter(`Invalid search attribute: ${attribute}`);
  }
  return { attribute, operator: operator === '^=' ? '^=' : '=', value: raw.replace(/\\(.)/gsu, '$1') };
}

export interface FilterableUser {
  username: string;
  enabled: boolean;
  status: string;
  attributes: Record<string, string>;
}

/**
 * Whether a user matches. `status` is the Enabled/Disabled flag (case-sensitive),
 * `cognito:user_status` the UserStatus (case-insensitive); the username follows the pool's case
 * sensitivity; other attributes compare exactly.
 */
export function matchesFilter(
  user: FilterableUser,
  filter: UserFilter,
  caseSensitiveUsername: boolean,
): boolean {
  let actual: string | undefined;
  let wanted = filter.value;
  switch (filter.attribute) {
    case 'username':
      actual = caseSensitiveUsername ? user.username : user.username.toLowerCase();
      if (!caseSensitiveUsername) wanted = wanted.toLowerCase();
      break;
    case 'status':
      actual = user.enabled ? 'Enabled' : 'Disabled';
      break;
    case 'cognito:user_status':
      actual = user.status.toLowerCase();
      wanted = wanted.toLowerCase();
      break;
    default:
      actual = user.attributes[filter.attribute];
  }
  if (actual === undefined) return false;
  return filter.operator === '=' ? actual === wanted : actual.startsWith(wanted);
}
