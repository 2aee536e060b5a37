export {
  buildTenantCredentials,
  type TenantCredentials,
  type TenantCredentialsOptions,
  type TenantCredentialsProvider,
} from './credentials.js';
export { fanOutQuery, type ShardPage, type ShardQuery } from './fan-out.js';
export {
  buildPageTokens,
  buildSsmKeySource,
  ensurePageTokenKey,
  type PageBinding,
  type PageTokens,
  pageTokenKeyParameter,
  type ShardCursor,
} from './page-token.js';
export {
  buildTenantScopedClient,
  type TenantScopedClient,
  type TenantScopedClientOptions,
} from './scoped-client.js';
export { buildTenantSessionPolicy, type SessionPolicy, TENANT_DATA_ACTIONS } from './session-policy.js';
export {
  buildTenantScopedClients,
  buildTenantTable,
  buildTenantTables,
  type TenantScopedClientsOptions,
  type TenantTable,
  type TenantTableOptions,
  type TenantTablesOptions,
} from './tenant-table.js';
