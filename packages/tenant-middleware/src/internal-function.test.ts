import { describe, expect, it, vi } from 'vitest';
import { BadRequestError } from './errors.js';
import { failIfInjected, failStepField, InjectedFaultError, internalFunction } from './internal-function.js';
import { strictObject, string } from './validation.js';

const quiet = {
  logger: { addContext: vi.fn(), info: vi.fn(), error: vi.fn() },
  metrics: {},
} as never;
const enabled = { TENANTRY_FAULT_INJECTION: 'enabled' };

describe('failIfInjected', () => {
  it('throws InjectedFault when enabled and the event names this step', () => {
    expect(() => failIfInjected('createTenantRecord', { failStep: 'createTenantRecord' }, enabled)).toThrow(
      InjectedFaultError,
    );
    try {
      failIfInjected('createTenantRecord', { failStep: 'createTenantRecord' }, enabled);
    } catch (error) {
      expect((error as Error).name).toBe('InjectedFault');
    }
  });

  it('ignores another step, and the request when fault injection is not enabled', () => {
    expect(() => failIfInjected('createTenantRecord', { failStep: 'activateTenant' }, enabled)).not.toThrow();
    expect(() => failIfInjected('createTenantRecord', { failStep: 'createTenantRecord' }, {})).not.toThrow();
    expect(() => failIfInjected('x', { failStep: 'x' }, { TENANTRY_FAULT_INJECTION: 'true' })).not.toThrow();
  });
});

describe('internalFunction', () => {
  const input = strictObject({ tenantId: string(), failStep: failStepField });

  it('validates the input and runs', async () => {
    const run = vi.fn(async ({ tenantId }: { tenantId: string }) => ({ seen: tenantId }));
    const handler = internalFunction('step', input, run, { observability: quiet, env: {} });
    await expect(handler({ tenantId: 't1' })).resolves.toEqual({ seen: 't1' });
    await expect(handler({ tenantId: 't1', other: 1 })).rejects.toThrow(BadRequestError);
  });

  it('fails before doing anything when the fault is injected', async () => {
    const run = vi.fn(async () => ({}));
    const handler = internalFunction('step', input, run, { observability: quiet, env: enabled });
    await expect(handler({ tenantId: 't1', failStep: 'step' })).rejects.toThrow(InjectedFaultError);
    expect(run).not.toHaveBeenCalled();
  });
});
