/** CloudFormation provider for AWS::DynamoDB::Table, backed by DynamoDB Local. */
import {
  type AttributeDefinition,
  type BillingMode,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  type LocalSecondaryIndex,
  ResourceNotFoundException,
  type StreamSpecification,
  UpdateTableCommand,
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
          await reconcileIndexes(client, tableName, props);
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
      async update(ctx, physicalId, before, after) {
        const [was, now] = [before as TableProperties, after as TableProperties];
        if (was.TableName !== now.TableName) return undefined;
        const keysChanged =
          JSON.stringify(was.KeySchema) !== JSON.stringify(now.KeySchema) ||
          JSON.stringify(was.LocalSecondaryIndexes) !== JSON.stringify(now.LocalSecondaryIndexes);
        if (keysChanged) {
          if (now.TableName) {
            // CloudFormation refuses this too: a custom-named table cannot be replaced.
            throw new Error(
              `changing the key schema of table ${now.TableName} needs a new table: give it another TableName`,
            );
          }
          return undefined;
        }
        await reconcileIndexes(client, physicalId, now);
        const arn = `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/${physicalId}`;
        const table = await describe(client, physicalId);
        return {
          physicalId,
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

/**
 * Brings a table's global secondary indexes, stream and TTL to what the template says, in place
 * (one index per UpdateTable call, as DynamoDB requires), keeping the table's data.
 */
async function reconcileIndexes(
  client: DynamoDBClient,
  tableName: string,
  props: TableProperties,
): Promise<void> {
  const table = await describe(client, tableName);
  if (!table) throw new Error(`table ${tableName} does not exist`);
  const wanted = new Map((props.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName, index]));
  const existing = new Set((table.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  const provisioned = props.BillingMode !== 'PAY_PER_REQUEST';
  for (const name of existing) {
    if (!wanted.has(name)) {
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: name } }],
        }),
      );
    }
  }
  for (const [name, index] of wanted) {
    if (existing.has(name)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: props.AttributeDefinitions,
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              ...index,
              ProvisionedThroughput: provisioned ? index.ProvisionedThroughput : ON_DEMAND,
            } as never,
          },
        ],
      }),
    );
  }
  const streamWanted = Boolean(props.StreamSpecification?.StreamViewType);
  const streamOn = Boolean(table.StreamSpecification?.StreamEnabled);
  if (streamWanted !== streamOn) {
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        StreamSpecification: streamWanted
          ? { StreamEnabled: true, StreamViewType: props.StreamSpecification?.StreamViewType }
          : { StreamEnabled: false },
      }),
    );
  }
  if (props.TimeToLiveSpecification) {
    const current = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    const enabled = current.TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED';
    if (enabled !== props.TimeToLiveSpecification.Enabled) {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: props.TimeToLiveSpecification,
        }),
      );
    }
  }
}

async function describe(client: DynamoDBClient, tableName: string) {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}
