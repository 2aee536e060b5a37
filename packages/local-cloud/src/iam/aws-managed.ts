/**
 * The few AWS-managed policies serverless templates commonly attach, with the statements that
 * matter locally. Any other `arn:aws:iam::aws:policy/...` grants nothing here (stricter than AWS,
 * never more lenient): add its document when a template needs it.
 */
const allow = (Action: string[], Resource: string | string[] = '*') => ({
  Effect: 'Allow',
  Action,
  Resource,
});

const LOGS = ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'];

export const AWS_MANAGED_POLICIES: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ['arn:aws:iam::aws:policy/AdministratorAccess', { Version: '2012-10-17', Statement: [allow(['*'])] }],
  [
    'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
    { Version: '2012-10-17', Statement: [allow(LOGS)] },
  ],
  [
    'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole',
    {
      Version: '2012-10-17',
      Statement: [
        allow([
          ...LOGS,
          'ec2:CreateNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeSubnets',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ]),
      ],
    },
  ],
  [
    'arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess',
    {
      Version: '2012-10-17',
      Statement: [
        allow([
          'xray:PutTraceSegments',
          'xray:PutTelemetryRecords',
          'xray:GetSamplingRules',
          'xray:GetSamplingTargets',
          'xray:GetSamplingStatisticSummaries',
        ]),
      ],
    },
  ],
  [
    'arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess',
    { Version: '2012-10-17', Statement: [allow(['dynamodb:*'])] },
  ],
  [
    'arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess',
    {
      Version: '2012-10-17',
      Statement: [
        allow([
          'dynamodb:BatchGetItem',
          'dynamodb:Describe*',
          'dynamodb:List*',
          'dynamodb:GetItem',
          'dynamodb:GetResourcePolicy',
          'dynamodb:Query',
          'dynamodb:Scan',
          'dynamodb:PartiQLSelect',
        ]),
      ],
    },
  ],
  [
    'arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess',
    { Version: '2012-10-17', Statement: [allow(['ssm:Describe*', 'ssm:Get*', 'ssm:List*'])] },
  ],
]);
