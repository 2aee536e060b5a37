import { createIdTokenVerifier, type ProtectedApi } from '@tenantry/identity';
import type { AuthorizerConfig } from '../config.js';

/**
 * The APIs the platform authorizer protects, each with a verifier built once: the control-plane
 * API accepts SystemAdmins (operations pool) and pooled tenants' users; the pooled app API only
 * the pooled pool.
 */
export function buildProtectedApis(config: AuthorizerConfig): ReadonlyMap<string, ProtectedApi> {
  const controlPlane = createIdTokenVerifier({
    region: config.region,
    pools: [config.operationsPool, config.pooledPool],
  });
  const app = createIdTokenVerifier({ region: config.region, pools: [config.pooledPool] });
  return new Map<string, ProtectedApi>([
    [config.controlPlaneApiId, { kind: 'controlPlane', verifier: controlPlane }],
    [config.appApiId, { kind: 'app', verifier: app }],
  ]);
}
