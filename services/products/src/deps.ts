import { STSClient } from '@aws-sdk/client-sts';
import { ulid } from '@tenantry/data';
import {
  buildPageTokens,
  buildSsmKeySource,
  buildTenantCredentials,
  buildTenantTables,
  type PageTokens,
} from '@tenantry/tenant-data';
import { buildProductStore } from './adapters/product-store.js';
import { type Config, type ListConfig, loadConfig, loadListConfig } from './config.js';
import { PRODUCT_NOT_FOUND, type ProductDeps } from './domain/product.js';

/**
 * The products service's dependencies, wired once per container: each tenant reaches the table with
 * credentials vended for it (the function's own role cannot read the table). Without `pageTokens`
 * the store cannot list: only the list function needs them ({@link productListDeps}).
 */
export function productDeps(config: Config = loadConfig(), pageTokens?: PageTokens): ProductDeps {
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
    pageTokens,
  });
  return {
    products: buildProductStore(tables, config.productTableShards),
    now: () => new Date(),
    newId: () => ulid(),
  };
}

/**
 * {@link productDeps} with page tokens sealed by the stage's key in SSM, for the list function: the
 * other functions' bundles stay without the SSM client, and their roles without `ssm:GetParameter`.
 */
export function productListDeps(config: ListConfig = loadListConfig()): ProductDeps {
  return productDeps(config, buildPageTokens(buildSsmKeySource(config.pageTokenKeyParameter)));
}
