import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string;
}
interface Retrier {
  ErrorEquals: string[];
  MaxAttempts?: number;
}
interface State {
  Type: string;
  Resource?: unknown;
  Parameters?: Record<string, unknown>;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: { Next: string }[];
  Catch?: Catcher[];
  Retry?: Retrier[];
}
interface Definition {
  StartAt: string;
  States: Record<string, State>;
}

const source = readFileSync(join(import.meta.dirname, 'provisioning.asl.yml'), 'utf8');
/** The definition as written (intrinsic functions in place, `${sls:stage}` unresolved). */
const raw = parse(source) as Definition;

/** The internal function a Task calls: `Fn::GetAtt` of a registration function or an export name. */
function functionOf(resource: unknown): string {
  const ref = resource as { 'Fn::GetAtt'?: [string, string]; 'Fn::ImportValue'?: string };
  if (ref['Fn::GetAtt']) return ref['Fn::GetAtt'][0];
  const exported = /^tenantry-[a-z-]+-\$\{sls:stage\}-([A-Za-z]+)FunctionArn$/.exec(
    ref['Fn::ImportValue'] ?? '',
  );
  if (!exported?.[1]) throw new Error(`unexpected Task resource ${JSON.stringify(resource)}`);
  return exported[1].charAt(0).toLowerCase() + exported[1].slice(1);
}

/** The definition as the plugin deploys it: every function reference becomes a Lambda ARN. */
const deployed: Definition = JSON.parse(
  JSON.stringify(raw, (key, value) =>
    key === 'Resource' && typeof value === 'object'
      ? `arn:aws:lambda:us-east-1:123456789012:function:tenantry-dev-${functionOf(value)}`
      : value,
  ),
);

const states = Object.entries(raw.States);
const tasks = states.filter(([, state]) => state.Type === 'Task');
const UNDO_STEPS = ['deleteTenantAdmin', 'deleteTenantApiKey', 'deleteTenantStack', 'deleteTenantRecord'];
const isUndo = ([name, state]: [string, State]) =>
  UNDO_STEPS.includes(functionOf(state.Resource)) ||
  (functionOf(state.Resource) === 'completeRegistration' && state.Parameters?.status === 'FAILED') ||
  name === 'Describe the deleted tenant stack';
const forward = tasks.filter((task) => !isUndo(task));

/** Where a failure of each forward function must enter compensation: the undo of that step. */
const ENTRY_OF: Record<string, string> = {
  createTenantRecord: 'Delete the tenant record',
  createTenantApiKey: "Delete the tenant's API key",
  createTenantAdmin: 'Delete the tenant admin',
  activateTenant: 'Delete the tenant admin',
  completeRegistration: 'Delete the tenant admin',
};
/** The platinum-only forward states: before the tenant admin exists, the stack is the first undo. */
const SILO_STATES = new Set([
  'Record the step create the tenant stack',
  'Create the tenant stack',
  'Record the step describe the tenant stack',
  'Describe the tenant stack',
  "Record the step record the stack's API key",
  "Record the stack's API key",
]);
const entryOf = (name: string, state: State) =>
  SILO_STATES.has(name) ? 'Undo the tenant stack' : ENTRY_OF[stepOf(state)];

/** The step a forward Task belongs to: its function, or the step a recordProgress announces. */
const stepOf = (state: State) =>
  functionOf(state.Resource) === 'recordProgress'
    ? String(state.Parameters?.step)
    : functionOf(state.Resource);

/** Follows Next (a Choice's Default) from `name` to the end. */
function pathFrom(name: string): string[] {
  const path: string[] = [];
  for (let current: string | undefined = name; current; ) {
    if (path.includes(current)) throw new Error(`loop at ${current}`);
    path.push(current);
    const state: State | undefined = raw.States[current];
    current = state?.Type === 'Choice' ? state.Default : state?.Next;
  }
  return path;
}

/** The rule of a Choice that leads to `next`. */
const ruleTo = (choice: string, next: string) =>
  (raw.States[choice]?.Choices ?? []).find((rule) => rule.Next === next) as
    | Record<string, unknown>
    | undefined;

describe('the provisioning workflow definition', () => {
  it('is valid Amazon States Language', () => {
    const { isValid, errorsText } = aslValidator(structuredClone(deployed), {
      checkArn: true,
      checkPaths: true,
    });
    expect(isValid, errorsText('\n')).toBe(true);
  });

  it('names its states in sentences', () => {
    for (const [name] of states) expect(name).toMatch(/^[A-Z][a-z]+( [A-Za-z']+)+$/);
  });

  it('calls the internal functions of docs/onboarding.md and nothing else', () => {
    expect(new Set(tasks.map(([, state]) => functionOf(state.Resource)))).toEqual(
      new Set([
        'recordProgress',
        'createTenantRecord',
        'createTenantApiKey',
        'createTenantStack',
        'describeTenantStack',
        'createTenantAdmin',
        'activateTenant',
        'completeRegistration',
        'deleteTenantAdmin',
        'deleteTenantApiKey',
        'deleteTenantStack',
        'deleteTenantRecord',
      ]),
    );
  });

  it('records progress before every forward step', () => {
    for (const [name, state] of forward) {
      if (functionOf(state.Resource) === 'recordProgress') {
        const next = raw.States[state.Next ?? ''];
        expect(next && functionOf(next.Resource), name).toBe(state.Parameters?.step);
        expect(state.Parameters?.step, name).toBe(
          (state as { ResultSelector?: { step?: string } }).ResultSelector?.step,
        );
      } else {
        const before = forward.find(([, other]) => other.Next === name);
        expect(before && functionOf(before[1].Resource), name).toBe('recordProgress');
      }
    }
  });

  it('sends a failure of every forward step to the undo of that step', () => {
    for (const [name, state] of forward) {
      expect(state.Catch, name).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: entryOf(name, state) },
      ]);
    }
  });

  it('retries only transient errors, never an injected fault or a validation error', () => {
    for (const [name, state] of forward) {
      const retried = (state.Retry ?? []).flatMap((retrier) => retrier.ErrorEquals);
      expect(retried, name).toContain('Lambda.ServiceException');
      expect(retried, name).toContain('Lambda.TooManyRequestsException');
      expect(retried, name).toContain('TooManyRequestsException');
      expect(retried, name).toContain('States.Timeout');
      for (const error of ['States.ALL', 'States.TaskFailed', 'InjectedFault', 'BadRequestError'])
        expect(retried, name).not.toContain(error);
    }
  });

  it('undoes everything in reverse from each entry and ends FAILED with a safe error', () => {
    expect(pathFrom('Delete the tenant admin')).toEqual([
      'Delete the tenant admin',
      'Undo by deployment',
      "Delete the tenant's API key",
      'Delete the tenant record',
      'Mark the registration failed',
      'Provisioning failed',
    ]);
    // A silo tenant: its admin (in the stack's pool), its stack (the key goes with it), its record.
    expect(ruleTo('Undo by deployment', 'Undo the tenant stack')).toMatchObject({
      Variable: '$.deployment',
      StringEquals: 'silo',
    });
    for (const entry of [...new Set(Object.values(ENTRY_OF)), 'Undo the tenant stack'])
      expect(pathFrom(entry).slice(-2)).toEqual(['Mark the registration failed', 'Provisioning failed']);
    expect(raw.States['Provisioning failed']?.Type).toBe('Fail');
    expect(raw.States['Mark the registration failed']?.Parameters).toEqual({
      'registrationId.$': '$.registrationId',
      status: 'FAILED',
      'error.$': "States.Format('provisioning failed at step {}', $.progress.step)",
    });
  });

  it('goes on with the next undo when one fails, so the registration always ends', () => {
    for (const [name, state] of tasks.filter(isUndo)) {
      if (functionOf(state.Resource) === 'completeRegistration') continue;
      const [catcher, ...others] = state.Catch ?? [];
      expect(others, name).toEqual([]);
      expect(catcher, name).toMatchObject({ ErrorEquals: ['States.ALL'], ResultPath: '$.cleanupFailure' });
      // The catcher skips to a later undo of this chain (the stack's polling loop: to the record).
      expect(pathFrom(name).slice(1), name).toContain(catcher?.Next);
    }
  });

  it('never injects a fault into an undo', () => {
    for (const [name, state] of tasks.filter(isUndo)) {
      expect(Object.keys(state.Parameters ?? {}), name).not.toContain('failStep.$');
    }
    for (const [name, state] of forward) {
      const input =
        functionOf(state.Resource) === 'createTenantRecord' ? raw.States['Describe the tenant'] : state;
      expect(Object.keys(input?.Parameters ?? {}), name).toContain('failStep.$');
    }
  });

  it('provisions a platinum tenant through its own stack, polling a bounded number of times', () => {
    const choice = raw.States['Choose the deployment'];
    const silo = choice?.Choices?.find((rule) => (rule as { StringEquals?: string }).StringEquals === 'silo');
    expect(silo?.Next).toBe('Record the step create the tenant stack');
    expect(pathFrom('Record the step create the tenant stack').slice(0, 5)).toEqual([
      'Record the step create the tenant stack',
      'Create the tenant stack',
      'Start counting the stack polls',
      'Record the step describe the tenant stack',
      'Describe the tenant stack',
    ]);
    // Complete → the stack's identity; in progress → poll again while the count allows; else undo.
    expect(ruleTo('Check the tenant stack', "Use the stack's identity")).toMatchObject({
      Variable: '$.stack.status',
      StringEquals: 'CREATE_COMPLETE',
    });
    expect(ruleTo('Check the tenant stack', 'Count a stack poll')).toEqual({
      And: [
        { Variable: '$.stack.status', StringMatches: '*_IN_PROGRESS' },
        { Variable: '$.stackPolls.attempts', NumericLessThan: 150 },
      ],
      Next: 'Count a stack poll',
    });
    expect(pathFrom('Count a stack poll')).toEqual([
      'Count a stack poll',
      'Wait for the tenant stack',
      'Describe the tenant stack',
      'Check the tenant stack',
      'Give up on the tenant stack',
      'Undo the tenant stack',
      'Delete the tenant stack',
      'Wait for the stack deletion',
      'Describe the deleted tenant stack',
      'Check the stack deletion',
      'Give up on the stack deletion',
      'Delete the tenant record',
      'Mark the registration failed',
      'Provisioning failed',
    ]);
    expect(raw.States['Wait for the tenant stack']).toMatchObject({ Type: 'Wait', Seconds: 2 });
    // Then the stack's outputs are the tenant's identity for the shared steps.
    expect(pathFrom("Use the stack's identity").slice(0, 4)).toEqual([
      "Use the stack's identity",
      "Record the step record the stack's API key",
      "Record the stack's API key",
      'Record the step create the tenant admin',
    ]);
    expect(raw.States["Use the stack's identity"]).toMatchObject({
      ResultPath: '$.identity',
      Parameters: {
        'userPoolId.$': '$.stack.userPoolId',
        'appClientId.$': '$.stack.appClientId',
        'apiUrl.$': '$.stack.apiUrl',
      },
    });
    expect(raw.States["Record the stack's API key"]?.Parameters?.['apiKeyId.$']).toBe('$.stack.apiKeyId');
    expect(raw.States['Create the tenant admin']?.Parameters?.['userPoolId.$']).toBe('$.identity.userPoolId');
    expect(raw.States['Delete the tenant admin']?.Parameters?.['userPoolId.$']).toBe('$.identity.userPoolId');
    // The deletion polls until the stack is gone, issuing DeleteStack again each time.
    expect(ruleTo('Check the stack deletion', 'Delete the tenant record')).toMatchObject({
      Variable: '$.deletedStack.status',
      StringEquals: 'NOT_FOUND',
    });
    expect(pathFrom('Count a deletion poll')[1]).toBe('Delete the tenant stack');
  });

  it('reaches every state', () => {
    const reached = new Set<string>();
    const visit = (name: string | undefined) => {
      if (!name || reached.has(name)) return;
      reached.add(name);
      const state = raw.States[name];
      visit(state?.Next);
      visit(state?.Default);
      for (const rule of state?.Choices ?? []) visit(rule.Next);
      for (const catcher of state?.Catch ?? []) visit(catcher.Next);
    };
    visit(raw.StartAt);
    expect([...reached].sort()).toEqual(Object.keys(raw.States).sort());
  });
});
