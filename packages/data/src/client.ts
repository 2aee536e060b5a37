import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Builds the DynamoDB document client every service uses. The endpoint comes from the SDK's own
 * configuration (`AWS_ENDPOINT_URL_DYNAMODB` locally), so the code path is the same on AWS.
 *
 * @example
 * ```ts
 * const documentClient = createDocumentClient();
 * const store = buildProductStore(documentClient, config.productTableName);
 * ```
 */
export const createDocumentClient = (config: DynamoDBClientConfig = {}): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true },
  });

export type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
