import { describe, expect, it } from 'vitest';
import { loadConfig, loadListConfig } from './config.js';

const env = {
  PRODUCT_TABLE_NAME: 'tenantry-dev-products',
  PRODUCT_TABLE_ARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/tenantry-dev-products',
  PRODUCT_TABLE_SHARDS: '4',
  PRODUCT_DATA_ROLE_ARN: 'arn:aws:iam::000000000000:role/data',
};
const listEnv = { ...env, PAGE_TOKEN_KEY_PARAMETER: '/tenantry/dev/page-token-key' };

const config = {
  productTableName: 'tenantry-dev-products',
  productTableArn: env.PRODUCT_TABLE_ARN,
  productTableShards: 4,
  productDataRoleArn: env.PRODUCT_DATA_ROLE_ARN,
};

describe('loadConfig', () => {
  it('reads the table, its shards and the data role, without the page-token key', () => {
    expect(loadConfig(env)).toEqual(config);
  });

  it('names every missing variable', () => {
    expect(() => loadConfig({ PRODUCT_TABLE_NAME: 't' })).toThrow(
      'missing environment variables: PRODUCT_TABLE_ARN, PRODUCT_TABLE_SHARDS, PRODUCT_DATA_ROLE_ARN',
    );
  });

  it.each(['0', '1.5', 'four', '65'])('refuses %j shards', (shards) => {
    expect(() => loadConfig({ ...env, PRODUCT_TABLE_SHARDS: shards })).toThrow(/PRODUCT_TABLE_SHARDS/);
  });
});

describe('loadListConfig', () => {
  it('reads the table configuration and the page-token key parameter', () => {
    expect(loadListConfig(listEnv)).toEqual({
      ...config,
      pageTokenKeyParameter: '/tenantry/dev/page-token-key',
    });
  });

  it('names the page-token key parameter when it is missing', () => {
    expect(() => loadListConfig(env)).toThrow('missing environment variables: PAGE_TOKEN_KEY_PARAMETER');
  });

  it('names every missing variable at once', () => {
    expect(() => loadListConfig({ PRODUCT_TABLE_NAME: 't' })).toThrow(
      'missing environment variables: PRODUCT_TABLE_ARN, PRODUCT_TABLE_SHARDS, PRODUCT_DATA_ROLE_ARN, PAGE_TOKEN_KEY_PARAMETER',
    );
  });

  it('refuses invalid shards like loadConfig', () => {
    expect(() => loadListConfig({ ...listEnv, PRODUCT_TABLE_SHARDS: '0' })).toThrow(/PRODUCT_TABLE_SHARDS/);
  });
});
