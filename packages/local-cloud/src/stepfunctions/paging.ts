/** `maxResults`/`nextToken` paging as the Step Functions API does it; tokens are opaque and bound to their listing. */
import { SfnServiceError, validation } from './errors.js';

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** `maxResults` 0 or absent means the default page size (100); at most 1000. */
export function paginate<T>(all: T[], scope: string, maxResults: unknown, nextToken: unknown): Page<T> {
  if (
    maxResults !== undefined &&
    (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 0 || maxResults > 1000)
  ) {
    throw validation(
      `1 validation error detected: Value '${String(maxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000`,
    );
  }
  const size = maxResults === undefined || maxResults === 0 ? 100 : maxResults;
  let offset = 0;
  if (nextToken !== undefined && nextToken !== null) {
    try {
      const decoded = JSON.parse(Buffer.from(String(nextToken), 'base64url').toString('utf8')) as {
        scope?: unknown;
        offset?: unknown;
      };
      if (decoded.scope !== scope || typeof decoded.offset !== 'number') throw new Error('foreign token');
      offset = decoded.offset;
    } catch {
      throw new SfnServiceError('InvalidToken', `Invalid Token: '${String(nextToken)}'`);
    }
  }
  const items = all.slice(offset, offset + size);
  const next = offset + size;
  return next < all.length
    ? { items, nextToken: Buffer.from(JSON.stringify({ scope, offset: next })).toString('base64url') }
    : { items };
}
