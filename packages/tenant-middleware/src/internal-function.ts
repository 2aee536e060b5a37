import type { Context } from 'aws-lambda';
import { HttpError } from './errors.js';
import { type Observability, sharedObservability } from './observability.js';
import { optional, string } from './validation.js';

/** The environment variable that turns fault injection on (only the test suite's stack sets it). */
export const FAULT_INJECTION_ENV = 'TENANTRY_FAULT_INJECTION';

/**
 * Thrown by an internal function asked to fail (tests only, docs/onboarding.md). Its `name` — the
 * Lambda `errorType` a Step Functions `Catch` sees — is `InjectedFault`.
 */
export class InjectedFaultError extends Error {
  readonly step: string;

  constructor(step: string) {
    super(`fault injected at ${step}`);
    this.name = 'InjectedFault';
    this.step = step;
  }
}

/**
 * Throws {@link InjectedFaultError} when fault injection is enabled in `env` and the event names
 * `step` as its `failStep`; does nothing otherwise (always on AWS, where nothing sets the variable).
 *
 * @example
 * ```ts
 * failIfInjected('createTenantRecord', event); // first thing an internal function does
 * ```
 */
export function failIfInjected(
  step: string,
  event: unknown,
  env: Record<string, string | undefined> = process.env,
): void {
  if (env[FAULT_INJECTION_ENV] !== 'enabled') return;
  if (typeof event === 'object' && event !== null && (event as { failStep?: unknown }).failStep === step) {
    throw new InjectedFaultError(step);
  }
}

/** The `failStep` field every internal function's input may carry (ignored unless enabled). */
export const failStepField = optional(string({ maxLength: 64 }));

/**
 * Builds an internal Lambda function (called by the provisioning workflow, not on any API):
 * fault injection first, then the validated input, then `run`. Errors are logged without the
 * input and rethrown with their name kept (the workflow's `Catch` sees it as the `errorType`);
 * an `HttpError`'s message is safe to record as the registration's error.
 *
 * @example
 * ```ts
 * export const handler = internalFunction('deleteTenantRecord', strictObject({ tenantId, failStep: failStepField }),
 *   (input) => deleteTenantRecord(deps, input.tenantId));
 * ```
 */
export function internalFunction<TInput, TOutput>(
  name: string,
  input: (value: unknown) => TInput,
  run: (input: TInput) => Promise<TOutput>,
  options: { observability?: Observability; env?: Record<string, string | undefined> } = {},
): (event: unknown, context?: Context) => Promise<TOutput> {
  return async (event, context) => {
    const { logger } = options.observability ?? sharedObservability();
    if (context) logger.addContext(context);
    try {
      failIfInjected(name, event, options.env);
      const output = await run(input(event));
      logger.info(`${name} done`);
      return output;
    } catch (error) {
      const safe = error instanceof HttpError && error.expose;
      logger.error(`${name} failed`, {
        errorName: (error as Error).name,
        ...(safe ? { errorMessage: (error as Error).message } : {}),
        error: safe ? undefined : (error as Error),
      });
      throw error;
    }
  };
}
