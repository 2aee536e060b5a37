import type { CloudFormationClient, Stack } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { TenantStackStateError } from './errors.js';
import {
  createTenantStack,
  deleteTenantStack,
  describeTenantStack,
  STACK_NOT_FOUND,
  tenantApiUrl,
} from './stacks.js';

/** A CloudFormation client that knows at most one stack and records the commands it was sent. */
function fakeCloudFormation(stack?: Partial<Stack>) {
  const sent: string[] = [];
  const client = {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      const name = command.constructor.name;
      sent.push(name);
      if (name === 'DescribeStacksCommand') {
        if (!stack)
          throw Object.assign(new Error('Stack with id x does not exist'), { name: 'ValidationError' });
        return { Stacks: [{ StackName: command.input.StackName, StackId: 'arn:stack/1', ...stack }] };
      }
      if (name === 'CreateStackCommand') return { StackId: 'arn:stack/new' };
      return {};
    },
  };
  return { clients: { cloudformation: client as unknown as CloudFormationClient }, sent };
}

const input = {
  tenantId: 'acme',
  templateUrl: 'https://b.s3.us-east-1.amazonaws.com/releases/x/tenant-stack.json',
  artifactBucket: 'b',
  artifactPrefix: 'releases/x',
};
const outputs = [
  ['ApiUrl', 'https://a1.execute-api.us-east-1.amazonaws.com/dev'],
  ['ApiId', 'a1'],
  ['Stage', 'dev'],
  ['UserPoolId', 'us-east-1_p'],
  ['UserPoolClientId', 'c'],
  ['ApiKeyId', 'k'],
].map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue }));

describe('createTenantStack', () => {
  it('creates the stack tenantry-silo-<tenantId> when there is none', async () => {
    const { clients, sent } = fakeCloudFormation();
    expect(await createTenantStack(clients, input)).toEqual({
      stackName: 'tenantry-silo-acme',
      stackId: 'arn:stack/new',
    });
    expect(sent).toEqual(['DescribeStacksCommand', 'CreateStackCommand']);
  });

  it('returns the existing stack on a retry while it is being created', async () => {
    const { clients, sent } = fakeCloudFormation({ StackStatus: 'CREATE_IN_PROGRESS' });
    expect(await createTenantStack(clients, input)).toEqual({
      stackName: 'tenantry-silo-acme',
      stackId: 'arn:stack/1',
    });
    expect(sent).toEqual(['DescribeStacksCommand']);
  });

  it('refuses a stack that rolled back, so the workflow compensates', async () => {
    const { clients } = fakeCloudFormation({ StackStatus: 'ROLLBACK_COMPLETE' });
    await expect(createTenantStack(clients, input)).rejects.toBeInstanceOf(TenantStackStateError);
  });

  it('refuses a malformed tenant id before calling CloudFormation', async () => {
    const { clients, sent } = fakeCloudFormation();
    await expect(createTenantStack(clients, { ...input, tenantId: 'Acme#1' })).rejects.toThrow(TypeError);
    expect(sent).toEqual([]);
  });
});

describe('describeTenantStack and deleteTenantStack', () => {
  it('answers NOT_FOUND for a missing stack, and deleting it is fine', async () => {
    const { clients, sent } = fakeCloudFormation();
    expect(await describeTenantStack(clients, { tenantId: 'acme' })).toEqual({
      stackName: 'tenantry-silo-acme',
      status: STACK_NOT_FOUND,
    });
    expect(await deleteTenantStack(clients, { tenantId: 'acme' })).toEqual({
      stackName: 'tenantry-silo-acme',
      existed: false,
    });
    expect(sent).not.toContain('DeleteStackCommand');
  });

  it('gives the outputs only once the stack is complete', async () => {
    const creating = fakeCloudFormation({ StackStatus: 'CREATE_IN_PROGRESS', Outputs: [] });
    expect((await describeTenantStack(creating.clients, { tenantId: 'acme' })).outputs).toBeUndefined();
    const done = fakeCloudFormation({ StackStatus: 'CREATE_COMPLETE', Outputs: outputs });
    expect(await describeTenantStack(done.clients, { tenantId: 'acme' })).toMatchObject({
      status: 'CREATE_COMPLETE',
      outputs: { ApiId: 'a1', UserPoolId: 'us-east-1_p', ApiKeyId: 'k' },
    });
  });
});

describe('tenantApiUrl', () => {
  const values = { ApiUrl: 'https://a1.execute-api.us-east-1.amazonaws.com/dev', ApiId: 'a1', Stage: 'dev' };

  it('is the ApiUrl output on AWS', () => {
    expect(tenantApiUrl(values)).toBe('https://a1.execute-api.us-east-1.amazonaws.com/dev');
  });

  it('is built from ApiId and Stage where API Gateway has another endpoint (the local cloud)', () => {
    expect(tenantApiUrl(values, 'http://127.0.0.1:4000/')).toBe(
      'http://127.0.0.1:4000/restapis/a1/dev/_user_request_',
    );
  });
});
