import { createIdTokenVerifier, type IdTokenVerifier } from '@tenantry/identity';
import type { AuthorizerConfig } from '../config.js';

/**
 * One verifier per API, built once: the control-plane API accepts SystemAdmins (operations pool)
 * and pooled tenants' users; the pooled app API only the pooled pool.
 */
export function buildVerifierLookup(
  config: AuthorizerConfig,
): (apiId: string) => IdTokenVerifier | undefined {
  const controlPlane = createIdTokenVerifier({
    region: config.region,
    pools: [config.operationsPool, config.pooledPool],
  });
  const app = createIdTokenVerifier({ region: config.region, pools: [config.pooledPool] });
  const byApiId = new Map([
    [config.controlPlaneApiId, controlPlane],
    [config.appApiId, app],
  ]);
  return (apiId) => byApiId.get(apiId);
}
