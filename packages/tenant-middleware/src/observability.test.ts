import { Logger } from '@aws-lambda-powertools/logger';
import { apiGatewayEvent, lambdaContext } from '@tenantry/testing';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TenantIsolationError } from './errors.js';
import { httpHandler, json } from './http-handler.js';
import { ISOLATION_METRIC, type StackMetrics } from './observability.js';

type Response = { statusCode: number; body: string };
const invoke = (handler: unknown, event: APIGatewayProxyEvent, context: Partial<Context> = {}) =>
  (handler as (e: APIGatewayProxyEvent, c: Context) => Promise<Response>)(event, lambdaContext(context));

/** Metrics that record what a request stored and what it published. */
function recordingMetrics() {
  let stored: { dimensions: Record<string, string>; metadata: Record<string, string>; metrics: string[] } = {
    dimensions: {},
    metadata: {},
    metrics: [],
  };
  const published: (typeof stored)[] = [];
  const metrics = {
    addDimension: (name: string, value: string) => {
      stored.dimensions[name] = value;
      return metrics;
    },
    addMetadata: (name: string, value: string) => {
      stored.metadata[name] = value;
      return metrics;
    },
    addMetric: (name: string) => {
      stored.metrics.push(name);
      return metrics;
    },
    clearDimensions: () => {
      stored.dimensions = {};
    },
    clearMetadata: () => {
      stored.metadata = {};
    },
    clearMetrics: () => {
      stored.metrics = [];
    },
    hasStoredMetrics: () => stored.metrics.length > 0,
    publishStoredMetrics: () => {
      published.push(stored);
      stored = { dimensions: {}, metadata: {}, metrics: [] };
      return metrics;
    },
  };
  return { metrics: metrics as unknown as StackMetrics, published };
}

const lines: Record<string, unknown>[] = [];
const tenantA = { tenantId: 'tenant-a', userId: 'user-1', role: 'TenantAdmin', tier: 'premium' };
const tenantB = { tenantId: 'tenant-b', userId: 'user-2', role: 'TenantUser', tier: 'basic' };

beforeEach(() => {
  // Powertools' development mode writes through the global console, where the test reads it.
  vi.stubEnv('POWERTOOLS_DEV', 'true');
  lines.length = 0;
  for (const level of ['info', 'warn', 'error'] as const)
    vi.spyOn(console, level).mockImplementation((text: unknown) => {
      lines.push(JSON.parse(String(text)) as Record<string, unknown>);
    });
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('the observability of the shared stack', () => {
  it('puts the tenant id, role and request ids on every log line', async () => {
    const logger = new Logger({ serviceName: 'products' });
    const { metrics } = recordingMetrics();
    const handler = httpHandler({ observability: { logger, metrics } }).handler(async () => {
      logger.info('working');
      return json(200, {});
    });
    await invoke(handler, apiGatewayEvent({ authorizer: tenantA }), { awsRequestId: 'lambda-req-1' });
    expect(lines).toEqual([
      expect.objectContaining({
        message: 'working',
        service: 'products',
        tenantId: 'tenant-a',
        role: 'TenantAdmin',
        requestId: 'request-1',
        function_request_id: 'lambda-req-1',
      }),
    ]);
  });

  it("does not carry one request's tenant into the log lines of the next", async () => {
    const logger = new Logger({ serviceName: 'products' });
    const { metrics } = recordingMetrics();
    const fail = async () => {
      throw new Error('boom');
    };
    const handler = httpHandler({ observability: { logger, metrics } }).handler(fail);
    const publicHandler = httpHandler({ auth: 'none', observability: { logger, metrics } }).handler(fail);
    await invoke(handler, apiGatewayEvent({ authorizer: tenantA }));
    await invoke(publicHandler, apiGatewayEvent({ authorizer: null }));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 'ERROR', tenantId: 'tenant-a' });
    expect(lines[1]).not.toHaveProperty('tenantId');
    expect(JSON.stringify(lines[1])).not.toContain('tenant-a');
  });

  it('logs a refused cross-tenant call as a warn security event, counts it, and answers 404', async () => {
    const logger = new Logger({ serviceName: 'products' });
    const { metrics, published } = recordingMetrics();
    const handler = httpHandler({ observability: { logger, metrics } }).handler(async () => {
      throw new TenantIsolationError('product not found', {
        reason: 'access-denied',
        operation: 'GetCommand',
      });
    });
    const response = await invoke(handler, apiGatewayEvent({ authorizer: tenantB }));
    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body)).toEqual({ message: 'product not found' });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'WARN',
        securityEvent: true,
        reason: 'access-denied',
        tenantId: 'tenant-b',
      }),
    ]);
    expect(published).toEqual([
      {
        dimensions: { tier: 'basic' },
        metadata: { tenantId: 'tenant-b' },
        metrics: [ISOLATION_METRIC],
      },
    ]);
  });

  it('publishes nothing for a request that recorded no metric', async () => {
    const { metrics, published } = recordingMetrics();
    const logger = new Logger({ serviceName: 'products' });
    const handler = httpHandler({ observability: { logger, metrics } }).handler(async () => json(200, {}));
    await invoke(handler, apiGatewayEvent({ authorizer: tenantA }));
    expect(published).toEqual([]);
  });

  it('never writes the bearer token or the API key of a request to the log', async () => {
    const logger = new Logger({ serviceName: 'products' });
    const { metrics } = recordingMetrics();
    const handler = httpHandler({ observability: { logger, metrics } }).handler(async () => {
      throw new Error('boom');
    });
    await invoke(
      handler,
      apiGatewayEvent({
        authorizer: { ...tenantA, apiKey: 'secret-api-key' },
        headers: { Authorization: 'Bearer secret.id.token' },
      }),
    );
    expect(lines).toHaveLength(1);
    expect(JSON.stringify(lines)).not.toMatch(/secret/);
  });
});
