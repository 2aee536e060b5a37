import { describe, expect, it } from 'vitest';
import { apiStageOfUrl, buildAuthorizerCacheFlusher } from './authorizer-cache.js';

describe('apiStageOfUrl', () => {
  it('reads the API id and stage of an execute-api URL and of a local cloud URL', () => {
    expect(apiStageOfUrl('https://abc123.execute-api.us-east-1.amazonaws.com/prod')).toEqual({
      restApiId: 'abc123',
      stageName: 'prod',
    });
    expect(apiStageOfUrl('http://127.0.0.1:4000/restapis/x9y8/dev/_user_request_')).toEqual({
      restApiId: 'x9y8',
      stageName: 'dev',
    });
  });

  it('knows nothing of a custom domain', () => {
    expect(apiStageOfUrl('https://api.example.com/app')).toBeUndefined();
    expect(apiStageOfUrl(undefined)).toBeUndefined();
  });
});

describe('buildAuthorizerCacheFlusher', () => {
  it('flushes every stage and reports a failure without throwing', async () => {
    const flushed: unknown[] = [];
    const errors: unknown[] = [];
    const client = {
      send: async (command: { input: { restApiId: string } }) => {
        if (command.input.restApiId === 'bad') throw new Error('NotFoundException');
        flushed.push(command.input);
      },
    };
    const flush = buildAuthorizerCacheFlusher(
      client as never,
      [{ restApiId: 'cp', stageName: 'dev' }],
      (error) => errors.push(error),
    );
    await flush([
      { restApiId: 'bad', stageName: 'dev' },
      { restApiId: 'silo', stageName: 'dev' },
    ]);
    expect(flushed).toEqual([
      { restApiId: 'cp', stageName: 'dev' },
      { restApiId: 'silo', stageName: 'dev' },
    ]);
    expect(errors).toHaveLength(1);
  });
});
