import { describe, expect, it } from 'vitest';
import { loadConfig, loadListConfig } from './config.js';

const env = {
  ORDER_TABLE_NAME: 'tenantry-dev-orders',
  ORDER_TABLE_ARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/tenantry-dev-orders',
  ORDER_TABLE_SHARDS: '1',
  PRODUCT_TABLE_NAME: 'tenantry-dev-products',
  PRODUCT_TABLE_ARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/tenantry-dev-products',
  PRODUCT_TABLE_SHARDS: '4',
  ORDER_DATA_ROLE_ARN: 'arn:aws:iam::000000000000:role/data',
};
const listEnv = { ...env, PAGE_TOKEN_KEY_PARAMETER: '/tenantry/dev/page-token-key' };

const config = {
  orderTableName: 'tenantry-dev-orders',
  orderTableArn: env.ORDER_TABLE_ARN,
  orderTableShards: 1,
  productTableName: 'tenantry-dev-products',
  productTableArn: env.PRODUCT_TABLE_ARN,
  productTableShards: 4,
  orderDataRoleArn: env.ORDER_DATA_ROLE_ARN,
};

describe('loadConfig', () => {
  it('reads both tables with their shards and the data role, without the page-token key', () => {
    expect(loadConfig(env)).toEqual(config);
  });

  it('names every missing variable', () => {
    expect(() => loadConfig({ ORDER_TABLE_NAME: 't' })).toThrow(
      'missing environment variables: ORDER_TABLE_ARN, ORDER_TABLE_SHARDS, PRODUCT_TABLE_NAME, PRODUCT_TABLE_ARN, PRODUCT_TABLE_SHARDS, ORDER_DATA_ROLE_ARN',
    );
  });

  it.each(['0', '1.5', 'four', '65'])('refuses %j shards', (count) => {
    expect(() => loadConfig({ ...env, PRODUCT_TABLE_SHARDS: count })).toThrow(/PRODUCT_TABLE_SHARDS/);
    expect(() => loadConfig({ ...env, ORDER_TABLE_SHARDS: count })).toThrow(/ORDER_TABLE_SHARDS/);
  });
});

describe('loadListConfig', () => {
  it('reads the tables configuration and the page-token key parameter', () => {
    expect(loadListConfig(listEnv)).toEqual({
      ...config,
      pageTokenKeyParameter: '/tenantry/dev/page-token-key',
    });
  });

  it('names the page-token key parameter when it is missing', () => {
    expect(() => loadListConfig(env)).toThrow('missing environment variables: PAGE_TOKEN_KEY_PARAMETER');
  });

  it('names every missing variable at once', () => {
    expect(() => loadListConfig({ ORDER_TABLE_NAME: 't' })).toThrow(
      'missing environment variables: ORDER_TABLE_ARN, ORDER_TABLE_SHARDS, PRODUCT_TABLE_NAME, PRODUCT_TABLE_ARN, PRODUCT_TABLE_SHARDS, ORDER_DATA_ROLE_ARN, PAGE_TOKEN_KEY_PARAMETER',
    );
  });

  it('refuses invalid shards like loadConfig', () => {
    expect(() => loadListConfig({ ...listEnv, ORDER_TABLE_SHARDS: '0' })).toThrow(/ORDER_TABLE_SHARDS/);
  });
});
