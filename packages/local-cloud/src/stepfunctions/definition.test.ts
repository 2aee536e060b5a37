import { describe, expect, it } from 'vitest';
import { checkDefinition, LOCAL_WAIT_RESOURCE, prepareDefinition } from './definition.js';
import { InvalidDefinitionError, UnsupportedDefinitionError } from './errors.js';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:work';

const machine = (states: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  StartAt: Object.keys(states)[0],
  States: states,
  ...extra,
});

function thrown(run: () => void): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('checkDefinition', () => {
  it('accepts Lambda function ARNs and lambda:invoke with FunctionName', () => {
    expect(() =>
      checkDefinition(
        machine({
          A: { Type: 'Task', Resource: FN, Next: 'B' },
          B: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: FN, 'Payload.$': '$' },
            End: true,
          },
        }),
      ),
    ).not.toThrow();
  });

  it('refuses every unsupported integration, naming each state and resource', () => {
    const error = thrown(() =>
      checkDefinition(
        machine({
          Sync: {
            Type: 'Task',
            Resource: 'arn:aws:states:::states:startExecution.sync:2',
            Parameters: { StateMachineArn: 'x' },
            Next: 'Token',
          },
          Token: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
            Parameters: { FunctionName: FN, Payload: { 'token.$': '$$.Task.Token' } },
            Next: 'Sdk',
          },
          Sdk: {
            Type: 'Task',
            Resource: 'arn:aws:states:::aws-sdk:s3:listBuckets',
            Parameters: {},
            Next: 'Sns',
          },
          Sns: {
            Type: 'Task',
            Resource: 'arn:aws:states:::sns:publish',
            Parameters: { TopicArn: 't', Message: 'm' },
            End: true,
          },
        }),
      ),
    );
    expect(error).toBeInstanceOf(UnsupportedDefinitionError);
    expect(error.message).toContain(
      'state "Sync" uses arn:aws:states:::states:startExecution.sync:2 (the .sync',
    );
    expect(error.message).toContain(
      'state "Token" uses arn:aws:states:::lambda:invoke.waitForTaskToken (the .waitForTaskToken',
    );
    expect(error.message).toContain(
      'state "Sdk" uses arn:aws:states:::aws-sdk:s3:listBuckets (an AWS SDK integration',
    );
    expect(error.message).toContain(
      'state "Sns" uses arn:aws:states:::sns:publish (the sns:publish service integration)',
    );
  });

  it('refuses JSONata state machines', () => {
    const error = thrown(() =>
      checkDefinition(machine({ A: { Type: 'Pass', End: true } }, { QueryLanguage: 'JSONata' })),
    );
    expect(error).toBeInstanceOf(UnsupportedDefinitionError);
    expect(error.message).toContain('JSONata');
  });

  it('refuses unsupported resources inside Parallel branches and Map processors', () => {
    const error = thrown(() =>
      checkDefinition(
        machine({
          P: {
            Type: 'Parallel',
            Branches: [
              {
                StartAt: 'Inner',
                States: {
                  Inner: {
                    Type: 'Task',
                    Resource: 'arn:aws:states:::sqs:sendMessage',
                    Parameters: { QueueUrl: 'q', MessageBody: 'b' },
                    End: true,
                  },
                },
              },
            ],
            Next: 'M',
          },
          M: {
            Type: 'Map',
            ItemProcessor: {
              StartAt: 'Deep',
              States: {
                Deep: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::dynamodb:putItem',
                  Parameters: { TableName: 't', Item: {} },
                  End: true,
                },
              },
            },
            End: true,
          },
        }),
      ),
    );
    expect(error.message).toContain('state "Inner" uses arn:aws:states:::sqs:sendMessage');
    expect(error.message).toContain('state "Deep" uses arn:aws:states:::dynamodb:putItem');
  });

  it('reports asl-validator findings as an invalid definition', () => {
    const error = thrown(() => checkDefinition(machine({ A: { Type: 'Pass', Next: 'Missing' } })));
    expect(error).toBeInstanceOf(InvalidDefinitionError);
    expect(error.message).toMatch(/^Invalid State Machine Definition: '.*Missing/);
  });

  it('requires FunctionName for lambda:invoke as AWS does', () => {
    const error = thrown(() =>
      checkDefinition(
        machine({
          A: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { Payload: {} },
            End: true,
          },
        }),
      ),
    );
    expect(error).toBeInstanceOf(InvalidDefinitionError);
    expect(error.message).toContain('"FunctionName" is required');
  });
});

describe('prepareDefinition', () => {
  const definition = machine(
    {
      Call: {
        Type: 'Task',
        Resource: FN,
        Retry: [
          { ErrorEquals: ['States.ALL'], IntervalSeconds: 10, MaxDelaySeconds: 60, BackoffRate: 2 },
          { ErrorEquals: ['X'] },
        ],
        Next: 'Pause',
      },
      Pause: { Type: 'Wait', Seconds: 3600, InputPath: '$.a', End: true },
    },
    { TimeoutSeconds: 30 },
  );

  it('scales Retry intervals and delays, keeping the backoff rate', () => {
    const prepared = prepareDefinition(definition, 0.001);
    const call = prepared.runnable.States.Call as unknown as { Retry: Record<string, unknown>[] };
    expect(call.Retry[0]).toMatchObject({ IntervalSeconds: 0.01, MaxDelaySeconds: 0.06, BackoffRate: 2 });
    expect(call.Retry[1]).toMatchObject({ IntervalSeconds: 0.001 });
  });

  it('runs Wait states as local Tasks and takes TimeoutSeconds over, leaving the original untouched', () => {
    const prepared = prepareDefinition(definition, 0.001);
    expect(prepared.runnable.States.Pause).toMatchObject({
      Type: 'Task',
      Resource: LOCAL_WAIT_RESOURCE,
      InputPath: '$.a',
      End: true,
    });
    expect(prepared.states.get('Pause')).toMatchObject({ type: 'Wait', wait: { Seconds: 3600 } });
    expect(prepared.timeoutSeconds).toBe(30);
    expect(prepared.runnable.TimeoutSeconds).toBeUndefined();
    expect((definition.States.Pause as { Type: string }).Type).toBe('Wait');
  });
});
