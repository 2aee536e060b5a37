import { describe, expect, it } from 'vitest';
import { createClock } from '../clock.js';
import { createOutbox } from '../outbox.js';
import type { LocalCloudServices, ProviderMap } from '../types.js';
import { deployOrder, StackEngine, type Template } from './stacks.js';

function fakeCloud(): LocalCloudServices {
  const clock = createClock();
  return {
    region: 'us-east-1',
    accountId: '000000000000',
    clock,
    outbox: createOutbox(clock),
    endpoints: { gateway: '', cognito: '', dynamodb: '', aws: '' },
    lambda: { invoke: async () => ({ ok: true, payload: null }) },
  };
}

/** A provider that records what it was given and derives ids from the logical id. */
function recordingProviders(log: {
  created: Record<string, Record<string, unknown>>;
  deleted: string[];
}): ProviderMap {
  return {
    'Test::Thing': {
      async create(_ctx, logicalId, properties) {
        log.created[logicalId] = properties;
        return {
          physicalId: `${logicalId}-id`,
          attributes: { Arn: `arn:test:${logicalId}`, Name: String(properties.Name ?? '') },
        };
      },
      async delete(_ctx, physicalId) {
        log.deleted.push(physicalId);
      },
    },
    'Test::Failing': {
      async create() {
        throw new Error('boom');
      },
      async delete() {},
    },
  };
}

function engine(providers: ProviderMap) {
  return new StackEngine({ cloud: fakeCloud(), providers, persistentTypes: new Set() });
}

describe('StackEngine', () => {
  it('resolves Ref, GetAtt, Sub, Join, Select, Split, If and parameters', async () => {
    const log = { created: {}, deleted: [] as string[] };
    const template: Template = {
      Parameters: {
        Stage: { Type: 'String', Default: 'dev', AllowedValues: ['dev', 'prod'] },
        Names: { Type: 'CommaDelimitedList', Default: 'a,b' },
      },
      Conditions: {
        IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
        NotProd: { 'Fn::Not': [{ Condition: 'IsProd' }] },
      },
      Resources: {
        First: { Type: 'Test::Thing', Properties: { Name: { 'Fn::Sub': 'first-${Stage}-${AWS::Region}' } } },
        Second: {
          Type: 'Test::Thing',
          Properties: {
            Ref: { Ref: 'First' },
            Arn: { 'Fn::GetAtt': ['First', 'Arn'] },
            Dotted: { 'Fn::GetAtt': 'First.Name' },
            Sub: { 'Fn::Sub': ['${Thing}/${First.Arn}/${!Literal}', { Thing: { Ref: 'AWS::AccountId' } }] },
            Joined: { 'Fn::Join': ['-', ['x', { Ref: 'Stage' }]] },
            Selected: { 'Fn::Select': [1, { Ref: 'Names' }] },
            Split: { 'Fn::Select': [2, { 'Fn::Split': [':', 'a:b:c'] }] },
            Chosen: { 'Fn::If': ['IsProd', 'big', 'small'] },
            Dropped: { 'Fn::If': ['NotProd', { Ref: 'AWS::NoValue' }, 'kept'] },
          },
        },
        OnlyInProd: { Type: 'Test::Thing', Condition: 'IsProd', Properties: {} },
      },
      Outputs: { SecondArn: { Value: { 'Fn::GetAtt': ['Second', 'Arn'] } } },
    };
    const stack = await engine(recordingProviders(log)).deploy({ stackName: 'test', template });
    expect(log.created).toEqual({
      First: { Name: 'first-dev-us-east-1' },
      Second: {
        Ref: 'First-id',
        Arn: 'arn:test:First',
        Dotted: 'first-dev-us-east-1',
        Sub: '000000000000/arn:test:First/${Literal}',
        Joined: 'x-dev',
        Selected: 'b',
        Split: 'c',
        Chosen: 'small',
      },
    });
    expect(stack.status).toBe('CREATE_COMPLETE');
    expect(stack.outputs.SecondArn?.value).toBe('arn:test:Second');
  });

  it('imports the exports of another stack and refuses to delete an exporter still imported', async () => {
    const log = { created: {} as Record<string, Record<string, unknown>>, deleted: [] as string[] };
    const cloud = engine(recordingProviders(log));
    const producer: Template = {
      Resources: { Shared: { Type: 'Test::Thing', Properties: {} } },
      Outputs: { SharedArn: { Value: { 'Fn::GetAtt': ['Shared', 'Arn'] }, Export: { Name: 'shared-arn' } } },
    };
    const consumer: Template = {
      Resources: { User: { Type: 'Test::Thing', Properties: { Uses: { 'Fn::ImportValue': 'shared-arn' } } } },
    };
    const ordered = deployOrder([
      { stackName: 'consumer', template: consumer },
      { stackName: 'producer', template: producer },
    ]);
    expect(ordered.map((s) => s.stackName)).toEqual(['producer', 'consumer']);
    for (const stack of ordered) await cloud.deploy(stack);
    expect(log.created.User).toEqual({ Uses: 'arn:test:Shared' });
    await expect(cloud.delete('producer')).rejects.toThrow(/imported by consumer/);
    await cloud.delete('consumer');
    await cloud.delete('producer');
    expect(log.deleted.sort()).toEqual(['Shared-id', 'User-id']);
  });

  it('fails a deployment that uses an unsupported resource type, naming it', async () => {
    const template: Template = { Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: {} } } };
    await expect(
      engine(recordingProviders({ created: {}, deleted: [] })).deploy({ stackName: 'x', template }),
    ).rejects.toThrow('Unrecognized resource types: [AWS::SQS::Queue]');
  });

  it('rolls back what it created when a resource fails', async () => {
    const log = { created: {}, deleted: [] as string[] };
    const cloud = engine(recordingProviders(log));
    const template: Template = {
      Resources: {
        Good: { Type: 'Test::Thing', Properties: {} },
        Bad: { Type: 'Test::Failing', Properties: {}, DependsOn: 'Good' },
      },
    };
    await expect(cloud.deploy({ stackName: 'x', template })).rejects.toThrow(
      /resource Bad \(Test::Failing\) failed: boom/,
    );
    expect(cloud.describe('x')?.status).toBe('ROLLBACK_COMPLETE');
    expect(log.deleted).toEqual(['Good-id']);
  });

  it('keeps unchanged resources on update and replaces changed ones with their dependents', async () => {
    const log = { created: {} as Record<string, Record<string, unknown>>, deleted: [] as string[] };
    const cloud = engine(recordingProviders(log));
    const template = (name: string): Template => ({
      Resources: {
        Stable: { Type: 'Test::Thing', Properties: { Name: 'stable' } },
        Changing: { Type: 'Test::Thing', Properties: { Name: name } },
        Removed: { Type: 'Test::Thing', Properties: {} },
      },
    });
    await cloud.deploy({ stackName: 'x', template: template('one') });
    log.created = {};
    const next = template('two');
    delete next.Resources.Removed;
    const stack = await cloud.deploy({ stackName: 'x', template: next });
    expect(Object.keys(log.created)).toEqual(['Changing']);
    expect(log.deleted.sort()).toEqual(['Changing-id', 'Removed-id']);
    expect(stack.status).toBe('UPDATE_COMPLETE');
  });

  it('rejects a parameter outside its allowed values and an undeclared parameter', async () => {
    const template: Template = {
      Parameters: { Stage: { Type: 'String', AllowedValues: ['dev'] } },
      Resources: {},
    };
    const cloud = engine({});
    await expect(cloud.deploy({ stackName: 'x', template, parameters: { Stage: 'prod' } })).rejects.toThrow(
      'parameter Stage must be one of dev',
    );
    await expect(
      cloud.deploy({ stackName: 'y', template, parameters: { Stage: 'dev', Other: '1' } }),
    ).rejects.toThrow('parameter Other is not declared');
  });
});
