import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { TenantIsolationError } from './errors.js';
import type { TenantContext } from './tenant-context.js';

/** The parts of Powertools' Logger the middleware stack uses (tests pass fakes). */
export type StackLogger = Pick<
  Logger,
  'addContext' | 'appendKeys' | 'resetKeys' | 'error' | 'warn' | 'info' | 'debug'
>;

/** The parts of Powertools' Metrics the middleware stack uses (tests pass fakes). */
export type StackMetrics = Pick<
  Metrics,
  | 'addDimension'
  | 'addMetadata'
  | 'addMetric'
  | 'clearDimensions'
  | 'clearMetadata'
  | 'clearMetrics'
  | 'hasStoredMetrics'
  | 'publishStoredMetrics'
>;

export interface Observability {
  logger: StackLogger;
  metrics: StackMetrics;
}

/** Metric namespace of every Tenantry service. */
export const METRICS_NAMESPACE = 'Tenantry';

/** Name of the metric counting refused cross-tenant calls. */
export const ISOLATION_METRIC = 'TenantIsolationRefusals';

let shared: Observability | undefined;

/**
 * The container's Powertools Logger and Metrics, created on first use. The service name comes
 * from `POWERTOOLS_SERVICE_NAME` (set for every function in serverless.common.yml); metrics go
 * to the `Tenantry` namespace with the `service` dimension.
 *
 * @example
 * ```ts
 * const { logger } = sharedObservability();
 * logger.info('imported products', { count });
 * ```
 */
export function sharedObservability(): Observability {
  shared ??= {
    logger: new Logger(),
    metrics: new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE }),
  };
  return shared;
}

/**
 * Adds the caller to every log line (tenant id and role) and to the request's metrics (the `tier`
 * dimension; the tenant id as metadata, not a dimension, to keep the metric cardinality bounded).
 */
export function annotateTenant({ logger, metrics }: Observability, tenant: TenantContext): void {
  logger.appendKeys({ tenantId: tenant.tenantId, role: tenant.role });
  metrics.addDimension('tier', tenant.tier ?? 'unknown');
  metrics.addMetadata('tenantId', tenant.tenantId);
}

/**
 * Per-request logging and metrics: clears what the previous invocation left, puts the Lambda
 * context and the API Gateway request id on every log line, logs and counts tenant isolation
 * refusals as security events, and flushes the request's metrics (only when it recorded some).
 * Attach it first so that its `after`/`onError` run last. It never logs the event, tokens,
 * credentials or keys.
 */
export function observability(
  options: Observability,
): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context> {
  const { logger, metrics } = options;
  const flush = () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return {
    before: (request) => {
      logger.resetKeys();
      metrics.clearMetrics();
      metrics.clearDimensions();
      metrics.clearMetadata();
      logger.addContext(request.context);
      const requestId = request.event.requestContext?.requestId;
      if (requestId) logger.appendKeys({ requestId });
    },
    after: flush,
    onError: (request) => {
      const error = request.error;
      if (error instanceof TenantIsolationError) {
        logger.warn('refused a call outside the tenant', {
          securityEvent: true,
          reason: error.reason,
          operation: error.operation,
        });
        metrics.addMetric(ISOLATION_METRIC, MetricUnit.Count, 1);
      }
      flush();
    },
  };
}
