import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  UnauthorizedError,
} from '@tenantry/tenant-middleware';
import { describe, expect, it } from 'vitest';
import type { CreateOutcome, IdempotencyRecord, StoredRegistration } from './registration.js';
import {
  bodyHash,
  type ProvisioningInput,
  type RegistrationBody,
  register,
  registrationBody,
  requestedFailStep,
  type SignUpDeps,
} from './sign-up.js';

/** An in-memory registration store with the transaction's rules: names and keys are unique. */
function fakeDeps(options: { role?: string; startFails?: boolean } = {}) {
  const registrations = new Map<string, StoredRegistration>();
  const names = new Map<string, string>();
  const keys = new Map<string, IdempotencyRecord>();
  const started: { registrationId: string; input: ProvisioningInput }[] = [];
  let sequence = 0;
  const deps: SignUpDeps = {
    registrations: {
      async create({ registration, idempotency }): Promise<CreateOutcome> {
        const used = idempotency && keys.get(idempotency.key);
        if (used) return { kind: 'keyUsed', record: used };
        if (names.has(registration.tenantName)) return { kind: 'nameTaken' };
        registrations.set(registration.registrationId, registration);
        names.set(registration.tenantName, registration.tenantId);
        if (idempotency) keys.set(idempotency.key, idempotency.record);
        return { kind: 'created' };
      },
      async abandon(registration, key) {
        names.delete(registration.tenantName);
        if (key) keys.delete(key);
        registrations.set(registration.registrationId, { ...registration, status: 'FAILED' });
      },
      async executionInputOf(registrationId) {
        return registrations.get(registrationId)?.executionInput;
      },
    },
    provisioning: {
      async start(registrationId, input) {
        if (options.startFails) throw new Error('StartExecution failed');
        started.push({ registrationId, input: JSON.parse(input) });
      },
    },
    callers: {
      async roleOf(authorization) {
        if (!authorization) throw new UnauthorizedError();
        return options.role;
      },
    },
    ids: {
      registrationId: () => `00000000-0000-4000-8000-${String(++sequence).padStart(12, '0')}`,
      tenantId: () => `t${sequence}`,
    },
    now: () => new Date('2030-01-01T00:00:00Z'),
    pooled: { userPoolId: 'us-east-1_pooled', appClientId: 'client', apiUrl: 'https://app.example/dev' },
  };
  return { deps, registrations, names, started };
}

const body = (overrides: Record<string, unknown> = {}): RegistrationBody =>
  registrationBody({ tenantName: 'acme', email: 'admin@acme.example', tier: 'basic', ...overrides });

describe('registrationBody', () => {
  it('accepts a registration and keeps the optional company name', () => {
    expect(registrationBody({ ...body(), companyName: 'Acme Ltd' })).toEqual({
      ...body(),
      companyName: 'Acme Ltd',
    });
  });

  it.each([
    [{ ...body(), tenantId: 't1' }, 'tenantId'],
    [{ ...body(), tenantName: 'ab' }, 'tenantName'],
    [{ ...body(), tenantName: 'Acme' }, 'tenantName'],
    [{ ...body(), tenantName: '-acme' }, 'tenantName'],
    [{ ...body(), tenantName: 'a'.repeat(64) }, 'tenantName'],
    [{ ...body(), email: 'not-an-address' }, 'email'],
    [{ ...body(), tier: 'gold' }, 'tier'],
    [{ tenantName: 'acme', tier: 'basic' }, 'email'],
    [{ ...body(), companyName: 42 }, 'companyName'],
  ])('rejects %j naming %s', (input, field) => {
    expect(() => registrationBody(input)).toThrow(BadRequestError);
    try {
      registrationBody(input);
    } catch (error) {
      expect((error as BadRequestError).field).toBe(field);
    }
  });

  it('accepts names of 3 and 63 characters with inner hyphens', () => {
    expect(registrationBody(body({ tenantName: 'a-1' })).tenantName).toBe('a-1');
    expect(registrationBody(body({ tenantName: 'a'.repeat(63) })).tenantName).toHaveLength(63);
  });
});

describe('register', () => {
  it('records the registration, starts provisioning named after it and answers PROVISIONING', async () => {
    const { deps, registrations, started } = fakeDeps();
    const answer = await register(deps, { body: body({ companyName: 'Acme Ltd' }) });
    expect(answer).toEqual({
      registrationId: expect.any(String),
      tenantId: expect.any(String),
      status: 'PROVISIONING',
    });
    expect(registrations.get(answer.registrationId)).toMatchObject({
      status: 'PROVISIONING',
      step: 'received',
    });
    expect(started).toEqual([
      {
        registrationId: answer.registrationId,
        input: {
          registrationId: answer.registrationId,
          tenantId: answer.tenantId,
          tenantName: 'acme',
          tier: 'basic',
          email: 'admin@acme.example',
          companyName: 'Acme Ltd',
          deployment: 'pooled',
          identity: deps.pooled,
        },
      },
    ]);
  });

  it('answers 409 when the name is taken and starts nothing', async () => {
    const { deps, started } = fakeDeps();
    await register(deps, { body: body() });
    await expect(register(deps, { body: body({ email: 'other@x.example' }) })).rejects.toThrow(
      new ConflictError('tenant name is already taken'),
    );
    expect(started).toHaveLength(1);
  });

  it('replays the first answer for the same Idempotency-Key and body', async () => {
    const { deps, started } = fakeDeps();
    const first = await register(deps, { body: body(), idempotencyKey: 'k-1' });
    const again = await register(deps, {
      body: registrationBody({ email: 'admin@acme.example', tier: 'basic', tenantName: 'acme' }),
      idempotencyKey: 'k-1',
    });
    expect(again).toEqual(first);
    // The repeat start is by the same name and input: harmless, and it recovers a lost start.
    expect(started.map((s) => s.registrationId)).toEqual([first.registrationId, first.registrationId]);
  });

  it('answers 409 for the same Idempotency-Key with another body', async () => {
    const { deps } = fakeDeps();
    await register(deps, { body: body(), idempotencyKey: 'k-1' });
    await expect(register(deps, { body: body({ tier: 'premium' }), idempotencyKey: 'k-1' })).rejects.toThrow(
      ConflictError,
    );
  });

  it('passes an injected fault to the workflow', async () => {
    const { deps, started } = fakeDeps();
    await register(deps, { body: body(), failStep: 'createTenantApiKey' });
    expect(started[0]?.input.failStep).toBe('createTenantApiKey');
  });

  it('refuses platinum to an anonymous caller (401) and to other roles (403)', async () => {
    await expect(register(fakeDeps().deps, { body: body({ tier: 'platinum' }) })).rejects.toThrow(
      UnauthorizedError,
    );
    await expect(
      register(fakeDeps({ role: 'TenantAdmin' }).deps, {
        body: body({ tier: 'platinum' }),
        authorization: 'Bearer x',
      }),
    ).rejects.toThrow(ForbiddenError);
  });

  it('lets a SystemAdmin register a platinum (silo) tenant without the pooled identity', async () => {
    const { deps, started } = fakeDeps({ role: 'SystemAdmin' });
    await register(deps, { body: body({ tier: 'platinum' }), authorization: 'Bearer x' });
    expect(started[0]?.input).toMatchObject({ tier: 'platinum', deployment: 'silo' });
    expect(started[0]?.input.identity).toBeUndefined();
  });

  it('releases the name and fails the registration when provisioning cannot start', async () => {
    const { deps, names, registrations } = fakeDeps({ startFails: true });
    await expect(register(deps, { body: body(), idempotencyKey: 'k' })).rejects.toThrow(
      'StartExecution failed',
    );
    expect(names.size).toBe(0);
    expect([...registrations.values()][0]?.status).toBe('FAILED');
  });
});

describe('bodyHash', () => {
  it('ignores key order and tells different bodies apart', () => {
    expect(bodyHash(registrationBody({ tier: 'basic', email: 'a@b.example', tenantName: 'acme' }))).toBe(
      bodyHash(body({ email: 'a@b.example' })),
    );
    expect(bodyHash(body())).not.toBe(bodyHash(body({ tier: 'standard' })));
  });
});

describe('requestedFailStep', () => {
  it('is ignored unless fault injection is enabled', () => {
    expect(requestedFailStep('createTenantRecord', false)).toBeUndefined();
    expect(requestedFailStep('createTenantRecord', true)).toBe('createTenantRecord');
    expect(() => requestedFailStep('drop table', true)).toThrow(BadRequestError);
  });
});
