import { invalidPassword } from './errors.js';
import type { PoolState, UserState } from './model.js';
import { hashPassword, verifyPassword } from './passwords.js';

/**
 * Prepares a new password for the user and returns the change to commit (so that a caller can
 * check a single-use session after the slow hashing and before anything changes). With a
 * PasswordHistorySize, a password among the last N (the current one included) is refused, as on AWS.
 */
export async function preparePassword(
  pool: PoolState,
  user: UserState,
  password: string,
): Promise<() => void> {
  const size = pool.passwordPolicy.PasswordHistorySize ?? 0;
  const previous = user.passwordHash;
  if (size > 0) {
    for (const hash of [previous, ...user.passwordHistory].slice(0, size)) {
      if (await verifyPassword(password, hash)) throw invalidPassword('Password has previously been used');
    }
  }
  const hash = await hashPassword(password);
  return () => {
    if (size > 0) user.passwordHistory = [previous, ...user.passwordHistory].slice(0, size - 1);
    user.passwordHash = hash;
  };
}
