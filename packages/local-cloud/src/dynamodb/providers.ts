/** CloudFormation provider for AWS::DynamoDB::Table, backed by DynamoDB Local. */
import {
  type AttributeDefinition,
  type BillingMode,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  type LocalSecondaryIndex,
  ResourceNotFoundException,
  type StreamSpecification,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { ROOT_CREDENTIALS } from '../iam/credentials.js';
import type { ProviderMap } from '../types.js';

/** Properties that change nothing DynamoDB Local can show; accepted as AWS accepts them. */
const WITHOUT_LOCAL_EFFECT = new Set([
  'PointInTimeRecoverySpecification',
  'SSESpecification',
  'Tags',
  'ContributorInsightsSpecification',
  'DeletionProtectionEnabled',
  'TableClass',
  'KinesisStreamSpecification',
  'ResourcePolicy',
  'WarmThroughput',
  'OnDemandThroughput',
]);
const SUPPORTED = new Set([
  'TableName',
  'AttributeDefinitions',
  'KeySchema',
  'BillingMode',
  'ProvisionedThroughput',
  'GlobalSecondaryIndexes',
  'LocalSecondaryIndexes',
  'StreamSpecification',
  'TimeToLiveSpecification',
  ...WITHOUT_LOCAL_EFFECT,
]);

type TableProperties = {
  TableName?: string;
  AttributeDefinitions?: AttributeDefinition[];
  KeySchema?: KeySchemaElement[];
  BillingMode?: BillingMode;
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  GlobalSecondaryIndexes?: GlobalSecondaryIndex[];
  LocalSecondaryIndexes?: LocalSecondaryIndex[];
  StreamSpecification?: StreamSpecification;
  TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean };
};

const ON_DEMAND = { ReadCapacityUnits: 1000, WriteCapacityUnits: 1000 };

/** A client that talks to DynamoDB Local directly, with the local cloud's own credentials. */
export function adminClient(endpoint: string, region: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region,
    credentials: ROOT_CREDENTIALS,
  });
}

export function dynamoDbProviders(client: DynamoDBClient): ProviderMap {
  return {
    'AWS::DynamoDB::Table': {
      async create(ctx, logicalId, properties) {
        for (const name of Object.keys(properties)) {
          if (!SUPPORTED.has(name))
            throw new Error(`property ${name} of AWS::DynamoDB::Table is not supported by the local cloud`);
        }
        const props = properties as TableProperties;
        const tableName =
          props.TableName ??
          `${ctx.stackName}-${logicalId}-${Math.random().toString(36).slice(2, 10).toUpperCase()}`;
        const provisioned = props.BillingMode !== 'PAY_PER_REQUEST';
        const throughput = provisioned ? props.ProvisionedThroughput : ON_DEMAND;
        if (provisioned && !throughput)
          throw new Error('ProvisionedThroughput is required unless BillingMode is PAY_PER_REQUEST');
        const existing = await describe(client, tableName);
        if (existing) {
          // A table kept from an earlier run (data on disk) or created outside this stack.
          const sameKeys = JSON.stringify(existing.KeySchema) === JSON.stringify(props.KeySchema);
          if (!sameKeys) throw new Error(`table ${tableName} already exists with another key schema`);
        } else {
          await client.send(
            new CreateTableCommand({
              TableName: tableName,
              AttributeDefinitions: props.AttributeDefinitions,
              KeySchema: props.KeySchema,
              ProvisionedThroughput: throughput,
              GlobalSecondaryIndexes: props.GlobalSecondaryIndexes?.map((index) => ({
                ...index,
                ProvisionedThroughput: provisioned ? index.ProvisionedThroughput : ON_DEMAND,
              })),
              LocalSecondaryIndexes: props.LocalSecondaryIndexes,
              StreamSpecification: props.StreamSpecification?.StreamViewType
                ? { StreamEnabled: true, StreamViewType: props.StreamSpecification.StreamViewType }
                : undefined,
            }),
          );
          if (props.TimeToLiveSpecification?.Enabled) {
            await client.send(
              new UpdateTimeToLiveCommand({
                TableName: tableName,
                TimeToLiveSpecification: props.TimeToLiveSpecification,
              }),
            );
          }
        }
        const table = await describe(client, tableName);
        const arn = `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/${tableName}`;
        return {
          physicalId: tableName,
          attributes: { Arn: arn, StreamArn: table?.LatestStreamArn ?? `${arn}/stream/none` },
        };
      },
      async delete(_ctx, physicalId) {
        try {
          await client.send(new DeleteTableCommand({ TableName: physicalId }));
        } catch (error) {
          if (!(error instanceof ResourceNotFoundException)) throw error;
        }
      },
    },
  };
}

async function describe(client: DynamoDBClient, tableName: string) {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}
