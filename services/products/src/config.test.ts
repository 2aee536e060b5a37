import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

const env = {
  PRODUCT_TABLE_NAME: 'tenantry-dev-products',
  PRODUCT_TABLE_ARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/tenantry-dev-products',
  PRODUCT_TABLE_SHARDS: '4',
  PRODUCT_DATA_ROLE_ARN: 'arn:aws:iam::000000000000:role/data',
  PAGE_TOKEN_KEY_PARAMETER: '/tenantry/dev/page-token-key',
};

describe('loadConfig', () => {
  it('reads the table, its shards, the data role and the key parameter', () => {
    expect(loadConfig(env)).toEqual({
      productTableName: 'tenantry-dev-products',
      productTableArn: env.PRODUCT_TABLE_ARN,
      productTableShards: 4,
      productDataRoleArn: env.PRODUCT_DATA_ROLE_ARN,
      pageTokenKeyParameter: '/tenantry/dev/page-token-key',
    });
  });

  it('names every missing variable', () => {
    expect(() => loadConfig({ PRODUCT_TABLE_NAME: 't' })).toThrow(
      'missing environment variables: PRODUCT_TABLE_ARN, PRODUCT_TABLE_SHARDS, PRODUCT_DATA_ROLE_ARN, PAGE_TOKEN_KEY_PARAMETER',
    );
  });

  it.each(['0', '1.5', 'four', '65'])('refuses %j shards', (shards) => {
    expect(() => loadConfig({ ...env, PRODUCT_TABLE_SHARDS: shards })).toThrow(/PRODUCT_TABLE_SHARDS/);
  });
});
