import { BadRequestError } from '@tenantry/tenant-middleware';
import { describe, expect, it } from 'vitest';
import {
  completeRegistration,
  completeRegistrationInput,
  GENERIC_FAILURE,
  recordProgress,
  recordProgressInput,
} from './provisioning.js';

const id = '0b6f5a7e-3c1d-4e2f-9a8b-7c6d5e4f3a2b';

function fakeStore() {
  const calls: unknown[][] = [];
  return {
    calls,
    registrations: {
      recordStep: async (...args: unknown[]) => void calls.push(['recordStep', ...args]),
      markActive: async (...args: unknown[]) => void calls.push(['markActive', ...args]),
      markFailed: async (...args: unknown[]) => void calls.push(['markFailed', ...args]),
    },
  };
}

describe('recordProgress', () => {
  it('records the step the workflow is about to run', async () => {
    const deps = fakeStore();
    await expect(
      recordProgress(deps, recordProgressInput({ registrationId: id, step: 'createTenantApiKey' })),
    ).resolves.toEqual({});
    expect(deps.calls).toEqual([['recordStep', id, 'createTenantApiKey']]);
  });

  it('refuses an unknown step or field', () => {
    expect(() => recordProgressInput({ registrationId: id, step: 'dropTables' })).toThrow(BadRequestError);
    expect(() => recordProgressInput({ registrationId: id, step: 'received', extra: 1 })).toThrow(
      BadRequestError,
    );
  });
});

describe('completeRegistration', () => {
  it('marks the registration active', async () => {
    const deps = fakeStore();
    await completeRegistration(deps, completeRegistrationInput({ registrationId: id, status: 'ACTIVE' }));
    expect(deps.calls).toEqual([['markActive', id]]);
  });

  it('marks it failed with the given safe error, or a generic one', async () => {
    const deps = fakeStore();
    await completeRegistration(
      deps,
      completeRegistrationInput({
        registrationId: id,
        status: 'FAILED',
        error: 'provisioning failed at step x',
      }),
    );
    await completeRegistration(deps, completeRegistrationInput({ registrationId: id, status: 'FAILED' }));
    expect(deps.calls).toEqual([
      ['markFailed', id, 'provisioning failed at step x'],
      ['markFailed', id, GENERIC_FAILURE],
    ]);
  });
});
