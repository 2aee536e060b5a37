import {
  bearerToken,
  type IdTokenVerifier,
  UnauthorizedError as TokenRejectedError,
  type UserDirectory,
} from '@tenantry/identity';
import { UnauthorizedError } from '@tenantry/tenant-middleware';
import type { SignUpDeps } from '../domain/sign-up.js';

/**
 * Who is calling a public route that sometimes needs an identity (a platinum registration): the
 * Bearer ID token must come from a pool the control plane accepts (operations or pooled), and the role is read from the user's
 * current state (as the authorizer does), so a disabled or demoted SystemAdmin is refused at once.
 */
export function buildCallers(deps: {
  verifier: IdTokenVerifier;
  users: UserDirectory;
}): SignUpDeps['callers'] {
  return {
    async roleOf(authorization) {
      let sub: string;
      let userPoolId: string;
      try {
        ({ sub, userPoolId } = await deps.verifier.verify(bearerToken({ authorization })));
      } catch (error) {
        if (error instanceof TokenRejectedError)
          throw new UnauthorizedError('Unauthorized', { cause: error });
        throw error;
      }
      const user = await deps.users.get(userPoolId, sub);
      if (!user?.enabled) throw new UnauthorizedError();
      return user.role;
    },
  };
}
