/**
 * What IAM evaluation adds to a DynamoDB call: (a) the guard function alone, called in this process
 * with a tenant-scoped role session, against an empty async function; (b) GetItem through the local
 * DynamoDB endpoint with a role session (evaluated) against root (not evaluated), same item, same
 * endpoint, in alternating blocks.
 */
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { productKey, tenantPk } from '@tenantry/data';
import { type LocalCloud, ROOT_CREDENTIALS } from '@tenantry/local-cloud';
// The guard and its collaborators are internals of the local cloud, not its public API.
import { createClock } from '../../packages/local-cloud/src/clock.js';
import { createCredentialsRegistry } from '../../packages/local-cloud/src/iam/credentials.js';
import { createDynamoDbGuard } from '../../packages/local-cloud/src/iam/dynamodb-guard.js';
import { createIamStore } from '../../packages/local-cloud/src/iam/providers.js';
import { createRole } from '../../packages/local-cloud/src/iam/testing.js';
import type { Call } from './callers.js';
import { type MicroLatency, micro, rotatingSamples } from './micro.js';
import { interleavedLatency, latency } from './overhead.js';
import { round } from './stats.js';
import type { Latency } from './types.js';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const TABLE = 'bench-iam-items';
const TABLE_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${TABLE}`;
const TENANT = 'bench-t1';
const ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
];

/** The role's own policy: the table and its indexes, any key. */
const TABLE_STATEMENT = { Effect: 'Allow', Action: ACTIONS, Resource: [TABLE_ARN, `${TABLE_ARN}/index/*`] };

/** The tenant session policy: only items whose partition key is the tenant's. */
const TENANT_SESSION_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ACTIONS,
      Resource: [TABLE_ARN, `${TABLE_ARN}/index/*`],
      Condition: {
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [tenantPk(TENANT), `${tenantPk(TENANT)}#*`] },
      },
    },
  ],
};

export const GUARD_PLAN = { warmup: 2000, blockSize: 500, blocks: 20 };
export const END_TO_END_PLAN = { warmup: 300, blockSize: 100, blocks: 20 };

export interface GuardRow {
  operation: string;
  baseline: MicroLatency;
  root: MicroLatency;
  role: MicroLatency;
  /** role median − empty async function median, µs. */
  addedMedianUs: number;
}

export interface IamResults {
  guard: GuardRow[];
  endToEnd: { root: Latency; role: Latency; medianDifferenceMs: number };
}

const key = (productId: string) => {
  const { pk, sk } = productKey(TENANT, productId);
  return { pk: { S: pk }, sk: { S: sk } };
};

/** The three calls of the brief, as the guard sees them (operation and parsed body). */
function guardCalls(): [string, Record<string, unknown>][] {
  return [
    ['GetItem', { TableName: TABLE, Key: key('p1') }],
    [
      'Query',
      {
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': { S: tenantPk(TENANT) }, ':sk': { S: 'PRODUCT#' } },
      },
    ],
    [
      'TransactWriteItems',
      {
        TransactItems: [
          { Put: { TableName: TABLE, Item: { ...key('p2'), name: { S: 'Anvil' } } } },
          {
            Update: {
              TableName: TABLE,
              Key: key('p1'),
              UpdateExpression: 'SET stock = stock - :one',
              ExpressionAttributeValues: { ':one': { N: '1' } },
            },
          },
        ],
      },
    ],
  ];
}

const signedHeaders = (creds: { accessKeyId: string; sessionToken?: string }) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/20261129/${REGION}/dynamodb/aws4_request, SignedHeaders=host, Signature=00`,
  ...(creds.sessionToken ? { 'x-amz-security-token': creds.sessionToken } : {}),
});

/** (a) The guard function itself, for each operation: empty async baseline, root, tenant role session. */
export async function guardOverhead(): Promise<GuardRow[]> {
  const roles = createIamStore();
  const credentials = createCredentialsRegistry({ clock: createClock(), roles, accountId: ACCOUNT });
  const roleArn = await createRole(roles, 'bench-app', [TABLE_STATEMENT], undefined, ACCOUNT);
  const session = credentials.credentialsForRole(roleArn, {
    sessionName: 'bench-tenant',
    sessionPolicy: TENANT_SESSION_POLICY,
  });
  const guard = createDynamoDbGuard({
    credentials,
    roles,
    region: REGION,
    accountId: ACCOUNT,
    keySchema: async () => 'pk',
  });
  const empty = async (_call: unknown) => undefined;
  const rows: GuardRow[] = [];
  for (const [operation, body] of guardCalls()) {
    const asRole = { operation, body, headers: signedHeaders(session) };
    const asRoot = { operation, body, headers: signedHeaders(ROOT_CREDENTIALS) };
    const refusal = await guard(asRole);
    if (refusal) throw new Error(`the guard refused the bench's own ${operation}: ${refusal.error.message}`);
    const foreign = JSON.stringify(body).replaceAll(tenantPk(TENANT), tenantPk('someone-else'));
    if (!(await guard({ ...asRole, body: JSON.parse(foreign) })))
      throw new Error(`the guard let the tenant session ${operation} another tenant's items`);
    const calls: Call[] = [
      async () => {
        await empty(asRole);
      },
      async () => {
        await guard(asRoot);
      },
      async () => {
        await guard(asRole);
      },
    ];
    const [baseline = [], root = [], role = []] = await rotatingSamples(
      calls.map((call) => ({ call })),
      GUARD_PLAN,
    );
    const row = { operation, baseline: micro(baseline), root: micro(root), role: micro(role) };
    rows.push({ ...row, addedMedianUs: round(row.role.medianUs - row.baseline.medianUs, 2) });
  }
  return rows;
}

const IAM_TEMPLATE = {
  Resources: {
    Table: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      },
    },
    Role: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: 'bench-iam-app',
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] },
          ],
        },
        Policies: [
          {
            PolicyName: 'table',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [{ ...TABLE_STATEMENT, Resource: [{ 'Fn::GetAtt': ['Table', 'Arn'] }] }],
            },
          },
        ],
      },
    },
  },
  Outputs: { RoleArn: { Value: { 'Fn::GetAtt': ['Role', 'Arn'] } } },
};

/** (b) GetItem of one item through the local DynamoDB endpoint: root vs the tenant role session. */
export async function endToEndIam(cloud: LocalCloud): Promise<IamResults['endToEnd']> {
  const stack = await cloud.stacks.deploy({ stackName: 'bench-iam', template: IAM_TEMPLATE });
  const roleArn = String(stack.outputs.RoleArn?.value);
  const session = cloud.credentials.credentialsForRole(roleArn, {
    sessionName: 'bench-tenant',
    sessionPolicy: TENANT_SESSION_POLICY,
  });
  const client = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
    new DynamoDBClient({ region: REGION, endpoint: cloud.endpoints.dynamodb, credentials, maxAttempts: 1 });
  const root = client(ROOT_CREDENTIALS);
  const role = client(session);
  try {
    await root.send(new PutItemCommand({ TableName: TABLE, Item: { ...key('p1'), name: { S: 'Anvil' } } }));
    const getItem =
      (as: DynamoDBClient, itemKey = key('p1')): Call =>
      async () => {
        const answer = await as.send(new GetItemCommand({ TableName: TABLE, Key: itemKey }));
        if (!answer.Item) throw new Error(`GetItem found no item in ${TABLE}`);
      };
    const foreign = { pk: { S: tenantPk('someone-else') }, sk: { S: 'PRODUCT#p1' } };
    const refused = await getItem(role, foreign)().then(
      () => false,
      (error: unknown) => error instanceof Error && error.name === 'AccessDeniedException',
    );
    if (!refused) throw new Error("the tenant session could read another tenant's key: IAM is not evaluated");
    const [rootSamples, roleSamples] = await interleavedLatency(
      getItem(root),
      getItem(role),
      END_TO_END_PLAN,
    );
    const rootLatency = latency(rootSamples);
    const roleLatency = latency(roleSamples);
    return {
      root: rootLatency,
      role: roleLatency,
      medianDifferenceMs: round(roleLatency.median - rootLatency.median, 3),
    };
  } finally {
    root.destroy();
    role.destroy();
    await cloud.stacks.delete('bench-iam');
  }
}
