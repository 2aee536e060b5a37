/** A {@link KeySchemaSource} backed by DescribeTable (call it with root credentials). */
import {
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import type { KeySchemaSource } from './dynamodb-guard.js';

export function partitionKeyFromDescribeTable(client: DynamoDBClient): KeySchemaSource {
  return async (tableName, indexName) => {
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      const schema = indexName
        ? [...(Table?.GlobalSecondaryIndexes ?? []), ...(Table?.LocalSecondaryIndexes ?? [])].find(
            (index) => index.IndexName === indexName,
          )?.KeySchema
        : Table?.KeySchema;
      return schema?.find((element) => element.KeyType === 'HASH')?.AttributeName;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  };
}
