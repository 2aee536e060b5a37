import { setTimeout as sleep } from 'node:timers/promises';
import { STSClient } from '@aws-sdk/client-sts';
import { ulid } from '@tenantry/data';
import {
  buildPageTokens,
  buildSsmKeySource,
  buildTenantCredentials,
  buildTenantScopedClients,
  buildTenantTable,
} from '@tenantry/tenant-data';
import { buildOrderStore } from './adapters/order-store.js';
import { type Config, loadConfig } from './config.js';
import { ORDER_NOT_FOUND, type OrderDeps } from './domain/order.js';

/**
 * The orders service's dependencies, wired once per container: each tenant reaches the order table
 * and the product table (stock, prices) with credentials vended for it, through one scoped client,
 * so an order and its stock moves can be one transaction.
 */
export function orderDeps(config: Config = loadConfig()): OrderDeps {
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
  const pageTokens = buildPageTokens(buildSsmKeySource(config.pageTokenKeyParameter));
  const orders = { name: config.orderTableName, shards: config.orderTableShards };
  const products = { name: config.productTableName, shards: config.productTableShards };
  return {
    orders: buildOrderStore({
      clients,
      orderTable: (tenantId) =>
        buildTenantTable(clients(tenantId), orders.name, { shardCount: orders.shards, pageTokens }),
      productTable: (tenantId) =>
        buildTenantTable(clients(tenantId), products.name, { shardCount: products.shards, pageTokens }),
      orders,
      products,
    }),
    now: () => new Date(),
    newId: () => ulid(),
    // Full jitter: colliding transactions spread out instead of colliding again.
    backoff: (attempt) => sleep(Math.random() * Math.min(200, 10 * 2 ** attempt)),
  };
}
