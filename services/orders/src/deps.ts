import { setTimeout as sleep } from 'node:timers/promises';
import { STSClient } from '@aws-sdk/client-sts';
import { ulid } from '@tenantry/data';
import {
  buildPageTokens,
  buildSsmKeySource,
  buildTenantCredentials,
  buildTenantScopedClients,
  buildTenantTable,
  type PageTokens,
} from '@tenantry/tenant-data';
import { buildOrderStore } from './adapters/order-store.js';
import { type Config, type ListConfig, loadConfig, loadListConfig } from './config.js';
import { ORDER_NOT_FOUND, type OrderDeps } from './domain/order.js';

/**
 * The orders service's dependencies, wired once per container: each tenant reaches the order table
 * and the product table (stock, prices) with credentials vended for it, through one scoped client,
 * so an order and its stock moves can be one transaction. Without `pageTokens` the store cannot
 * list orders: only the list function needs them ({@link orderListDeps}).
 */
export function orderDeps(config: Config = loadConfig(), pageTokens?: PageTokens): OrderDeps {
  const credentials = buildTenantCredentials({
    sts: new STSClient({}),
    roleArn: config.orderDataRoleArn,
    tableArns: [config.orderTableArn, config.productTableArn],
  });
  const clients = buildTenantScopedClients({
    credentials,
    shardCount: [config.orderTableShards, config.productTableShards],
    notFoundMessage: ORDER_NOT_FOUND,
  });
  const orders = { name: config.orderTableName, shards: config.orderTableShards };
  const products = { name: config.productTableName, shards: config.productTableShards };
  return {
    orders: buildOrderStore({
      clients,
      orderTable: (tenantId) =>
        buildTenantTable(clients(tenantId), orders.name, { shardCount: orders.shards, pageTokens }),
      // Orders only read products (never list them): no page tokens.
      productTable: (tenantId) =>
        buildTenantTable(clients(tenantId), products.name, { shardCount: products.shards }),
      orders,
      products,
    }),
    now: () => new Date(),
    newId: () => ulid(),
    // Full jitter: colliding transactions spread out instead of colliding again.
    backoff: (attempt) => sleep(Math.random() * Math.min(200, 10 * 2 ** attempt)),
  };
}

/**
 * {@link orderDeps} with page tokens sealed by the stage's key in SSM, for the list function: the
 * other functions' bundles stay without the SSM client, and their roles without `ssm:GetParameter`.
 */
export function orderListDeps(config: ListConfig = loadListConfig()): OrderDeps {
  return orderDeps(config, buildPageTokens(buildSsmKeySource(config.pageTokenKeyParameter)));
}
