/** IAM wildcards: `*` matches any run of characters, `?` exactly one. */

export type Matcher = (value: string) => boolean;

export const ALWAYS: Matcher = () => true;

/** Turns an IAM wildcard pattern (`*` any run, `?` one character) into a matcher. */
export function wildcardMatcher(pattern: string, ignoreCase: boolean): Matcher {
  if (pattern === '*') return ALWAYS;
  const hasWildcard = pattern.includes('*') || pattern.includes('?');
  if (!hasWildcard) {
    if (!ignoreCase) return (value) => value === pattern;
    const lower = pattern.toLowerCase();
    return (value) => value.length === lower.length && value.toLowerCase() === lower;
  }
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  const regex = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
  return (value) => regex.test(value);
}
