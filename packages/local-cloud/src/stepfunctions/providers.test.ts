import { describe, expect, it } from 'vitest';
import { createClock } from '../clock.js';
import type { ProviderContext } from '../types.js';
import { createStepFunctions } from './index.js';
import { ACCOUNT, fakeLambda, REGION, ROLE_ARN } from './testing.js';

const TYPE = 'AWS::StepFunctions::StateMachine';
const ctx = { stackName: 'orders-dev', region: REGION, accountId: ACCOUNT } as ProviderContext;

function emulator(functions: Parameters<typeof fakeLambda>[0] = {}) {
  return createStepFunctions({
    region: REGION,
    accountId: ACCOUNT,
    clock: createClock(),
    lambda: fakeLambda(functions),
    waitScale: 0.0001,
  });
}

/** Properties as serverless-step-functions 3.31.2 writes them, after the engine resolved Fn::Sub / Fn::GetAtt. */
const serverlessProperties = () => ({
  DefinitionString: JSON.stringify({
    Comment: 'provision a tenant',
    StartAt: 'Provision',
    States: {
      Provision: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: {
          FunctionName: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:orders-dev-provision`,
          'Payload.$': '$',
        },
        OutputPath: '$.Payload',
        End: true,
      },
    },
  }),
  RoleArn: `arn:aws:iam::${ACCOUNT}:role/orders-dev-ProvisionRole-ABC`,
  StateMachineName: 'orders-dev-provision',
  LoggingConfiguration: {
    Level: 'ERROR',
    IncludeExecutionData: true,
    Destinations: [
      {
        CloudWatchLogsLogGroup: {
          LogGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/sfn/provision:*`,
        },
      },
    ],
  },
  TracingConfiguration: { Enabled: true },
  Tags: [{ Key: 'service', Value: 'orders' }],
});

describe('AWS::StepFunctions::StateMachine provider', () => {
  it('deploys a serverless-step-functions state machine that runs on the local Lambda', async () => {
    const sfn = emulator({ 'orders-dev-provision': (payload) => ({ provisioned: payload }) });
    const provider = sfn.providers[TYPE];
    if (!provider) throw new Error('no provider');
    const result = await provider.create(ctx, 'ProvisionStateMachine', serverlessProperties());
    const arn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:orders-dev-provision`;
    expect(result).toMatchObject({ physicalId: arn, attributes: { Arn: arn, Name: 'orders-dev-provision' } });
    expect(result.attributes?.StateMachineRevisionId).toEqual(expect.any(String));

    const described = await sfn.call('DescribeStateMachine', { stateMachineArn: arn });
    expect(described).toMatchObject({
      type: 'STANDARD',
      roleArn: `arn:aws:iam::${ACCOUNT}:role/orders-dev-ProvisionRole-ABC`,
      loggingConfiguration: { level: 'ERROR', includeExecutionData: true },
      tracingConfiguration: { enabled: true },
    });
    expect(await sfn.call('ListTagsForResource', { resourceArn: arn })).toEqual({
      tags: [{ key: 'service', value: 'orders' }],
    });

    const { executionArn } = await sfn.call('StartExecution', {
      stateMachineArn: arn,
      input: '{"tenant":"t1"}',
    });
    await sfn.whenIdle();
    expect(await sfn.call('DescribeExecution', { executionArn })).toMatchObject({
      status: 'SUCCEEDED',
      output: '{"provisioned":{"tenant":"t1"}}',
    });
    await sfn.close();
  });

  it('accepts Definition as an object with DefinitionSubstitutions and generates a name', async () => {
    const sfn = emulator({ work: () => 'done' });
    const result = await sfn.providers[TYPE]?.create(ctx, 'Flow', {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation DefinitionSubstitutions placeholder
      Definition: { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: '${WorkArn}', End: true } } },
      DefinitionSubstitutions: { WorkArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:work` },
      RoleArn: ROLE_ARN,
      StateMachineType: 'EXPRESS',
    });
    expect(result?.attributes?.Name).toMatch(/^Flow-[A-Za-z0-9]{12}$/);
    const described = await sfn.call('DescribeStateMachine', { stateMachineArn: result?.physicalId });
    expect(described.type).toBe('EXPRESS');
    expect(JSON.parse(described.definition as string).States.Work.Resource).toBe(
      `arn:aws:lambda:${REGION}:${ACCOUNT}:function:work`,
    );
    await sfn.close();
  });

  it('fails the deployment with the validator message for an invalid definition', async () => {
    const sfn = emulator();
    await expect(
      sfn.providers[TYPE]?.create(ctx, 'Broken', {
        DefinitionString: JSON.stringify({ StartAt: 'Nowhere', States: { A: { Type: 'Pass', End: true } } }),
        RoleArn: ROLE_ARN,
      }),
    ).rejects.toThrow(/InvalidDefinition: Invalid State Machine Definition: '.*Nowhere/);
    await sfn.close();
  });

  it('fails the deployment naming an unsupported integration', async () => {
    const sfn = emulator();
    await expect(
      sfn.providers[TYPE]?.create(ctx, 'Notify', {
        DefinitionString: JSON.stringify({
          StartAt: 'Publish',
          States: {
            Publish: {
              Type: 'Task',
              Resource: 'arn:aws:states:::sns:publish',
              Parameters: { TopicArn: 'arn:aws:sns:us-east-1:000000000000:t', Message: 'hi' },
              End: true,
            },
          },
        }),
        RoleArn: ROLE_ARN,
      }),
    ).rejects.toThrow(
      'state "Publish" uses arn:aws:states:::sns:publish (the sns:publish service integration)',
    );
    await sfn.close();
  });

  it('deletes the state machine and aborts its running executions', async () => {
    const sfn = emulator();
    const provider = sfn.providers[TYPE];
    const created = await provider?.create(ctx, 'Slow', {
      DefinitionString: JSON.stringify({
        StartAt: 'Hold',
        States: { Hold: { Type: 'Wait', Seconds: 86_400_000, End: true } },
      }),
      RoleArn: ROLE_ARN,
      StateMachineName: 'slow',
    });
    const { executionArn } = await sfn.call('StartExecution', { stateMachineArn: created?.physicalId });
    await provider?.delete(ctx, created?.physicalId as string, {});
    expect(await sfn.call('DescribeExecution', { executionArn })).toMatchObject({ status: 'ABORTED' });
    await expect(
      sfn.call('DescribeStateMachine', { stateMachineArn: created?.physicalId }),
    ).rejects.toMatchObject({
      type: 'StateMachineDoesNotExist',
    });
    await sfn.close();
  });
});
