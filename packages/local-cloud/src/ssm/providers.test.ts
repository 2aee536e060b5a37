import { describe, expect, it } from 'vitest';
import { createClock } from '../clock.js';
import type { ProviderContext } from '../types.js';
import { createSsm } from './index.js';

const ctx = { stackName: 's', region: 'us-east-1', accountId: '000000000000' } as ProviderContext;

describe('AWS::SSM::Parameter provider', () => {
  it('creates a parameter whose Ref is its name and GetAtt gives Type and Value', async () => {
    const ssm = createSsm({ clock: createClock(), region: 'us-east-1', accountId: '000000000000' });
    const result = await ssm.providers['AWS::SSM::Parameter']?.create(ctx, 'TableName', {
      Name: '/app/table',
      Type: 'StringList',
      Value: 'a,b',
    });
    expect(result).toEqual({ physicalId: '/app/table', attributes: { Type: 'StringList', Value: 'a,b' } });
    expect(ssm.call('GetParameter', { Name: '/app/table' })).toMatchObject({
      Parameter: { Value: 'a,b', Version: 1 },
    });
  });

  it('names an unnamed parameter after its logical id', async () => {
    const ssm = createSsm({ clock: createClock(), region: 'us-east-1', accountId: '000000000000' });
    const result = await ssm.providers['AWS::SSM::Parameter']?.create(ctx, 'Flag', {
      Type: 'String',
      Value: 'x',
    });
    expect(result?.physicalId).toMatch(/^CFN-Flag-[A-Za-z0-9]+$/);
  });

  it('refuses SecureString, as CloudFormation does', async () => {
    const ssm = createSsm({ clock: createClock(), region: 'us-east-1', accountId: '000000000000' });
    await expect(
      ssm.providers['AWS::SSM::Parameter']?.create(ctx, 'Secret', {
        Name: 's',
        Type: 'SecureString',
        Value: 'x',
      }),
    ).rejects.toThrow(/SecureString/);
  });

  it('removes the parameter on delete', async () => {
    const ssm = createSsm({ clock: createClock(), region: 'us-east-1', accountId: '000000000000' });
    const provider = ssm.providers['AWS::SSM::Parameter'];
    await provider?.create(ctx, 'P', { Name: 'p', Type: 'String', Value: 'x' });
    await provider?.delete(ctx, 'p', {});
    expect(() => ssm.call('GetParameter', { Name: 'p' })).toThrow(/not found/);
  });
});
