import { createDocumentClient } from '@tenantry/data';
import { httpHandler, json, pathParameter } from '@tenantry/tenant-middleware';
import { buildTenantRegistry } from '../../adapters/tenant-registry.js';
import { loadConfig } from '../../config.js';
import { getTenantConfig, tenantNameField } from '../../domain/tenant-config.js';

const config = loadConfig();
const deps = {
  tenants: buildTenantRegistry(createDocumentClient(), config.tenantTableName),
  region: config.region,
};

export const handler = httpHandler({ auth: 'none' }).handler(async (event) =>
  json(200, await getTenantConfig(deps, pathParameter(event, 'tenantName', tenantNameField))),
);
