import { STSClient } from '@aws-sdk/client-sts';
import { ulid } from '@tenantry/data';
import {
  buildPageTokens,
  buildSsmKeySource,
  buildTenantCredentials,
  buildTenantTables,
} from '@tenantry/tenant-data';
import { buildProductStore } from './adapters/product-store.js';
import { type Config, loadConfig } from './config.js';
import { PRODUCT_NOT_FOUND, type ProductDeps } from './domain/product.js';

/**
 * The products service's dependencies, wired once per container: each tenant reaches the table with
 * credentials vended for it (the function's own role cannot read the table).
 */
export function productDeps(config: Config = loadConfig()): ProductDeps {
  const credentials = buildTenantCredentials({
    sts: new STSClient({}),
    roleArn: config.productDataRoleArn,
    tableArns: [config.productTableArn],
  });
  const tables = buildTenantTables({
    credentials,
    tableName: config.productTableName,
    shardCount: config.productTableShards,
    notFoundMessage: PRODUCT_NOT_FOUND,
    pageTokens: buildPageTokens(buildSsmKeySource(config.pageTokenKeyParameter)),
  });
  return {
    products: buildProductStore(tables, config.productTableShards),
    now: () => new Date(),
    newId: () => ulid(),
  };
}
