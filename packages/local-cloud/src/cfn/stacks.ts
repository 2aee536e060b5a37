/**
 * The local CloudFormation engine: deploys a template's resources in dependency order (independent
 * resources in parallel) through the providers of their types, keeps outputs and exports, and
 * updates or deletes stacks. A resource type without a provider fails the deployment by name.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LocalCloudServices, ProviderContext, ProviderMap, ResourceResult } from '../types.js';
import { StackError, TemplateError } from './errors.js';
import { dependencies, evaluateCondition, type ResolveScope, resolve } from './intrinsics.js';

export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  Condition?: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: unknown;
}

export interface TemplateParameter {
  Type: string;
  Default?: unknown;
  AllowedValues?: unknown[];
  AllowedPattern?: string;
  MinLength?: number;
  MaxLength?: number;
  NoEcho?: boolean;
  Description?: string;
}

export interface Template {
  AWSTemplateFormatVersion?: string;
  Description?: string;
  Parameters?: Record<string, TemplateParameter>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, TemplateResource>;
  Outputs?: Record<
    string,
    { Value: unknown; Export?: { Name: unknown }; Condition?: string; Description?: string }
  >;
}

export type StackStatus =
  | 'CREATE_IN_PROGRESS'
  | 'CREATE_COMPLETE'
  | 'ROLLBACK_COMPLETE'
  | 'UPDATE_IN_PROGRESS'
  | 'UPDATE_COMPLETE'
  | 'DELETE_IN_PROGRESS'
  | 'DELETE_COMPLETE';

export interface ResourceRecord {
  type: string;
  physicalId: string;
  attributes: Record<string, unknown>;
  properties: Record<string, unknown>;
  /** False for resources loaded from disk whose emulator lives only in memory. */
  live: boolean;
}

export interface StackRecord {
  stackName: string;
  stackId: string;
  status: StackStatus;
  statusReason?: string;
  parameters: Record<string, string>;
  template: Template;
  artifactDir?: string;
  resources: Record<string, ResourceRecord>;
  outputs: Record<string, { value: unknown; exportName?: string }>;
  createdAt: string;
  updatedAt: string;
}

export interface DeployInput {
  stackName: string;
  template: Template;
  parameters?: Record<string, string>;
  /** The packaged service folder (`.serverless/`), where function code zips are found. */
  artifactDir?: string;
  /** Brings a saved stack back after a restart: status and times stay as they were. */
  restore?: boolean;
}

export interface StackEngineOptions {
  cloud: LocalCloudServices;
  providers: ProviderMap;
  /** Resource types whose state outlives the process (tables, user pools): kept on restart when unchanged. */
  persistentTypes: ReadonlySet<string>;
  /** JSON file that keeps stack records between runs; in memory when absent. */
  stateFile?: string;
  log?: (line: string) => void;
}

interface PendingOperation {
  status: StackStatus;
  stackId: string;
  input: DeployInput;
}

const isLive = (stack: StackRecord) =>
  stack.status !== 'ROLLBACK_COMPLETE' && stack.status !== 'DELETE_COMPLETE';

/** CloudFormation's names for stack-level attributes that resources may not use. */
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

export class StackEngine {
  private readonly stacks = new Map<string, StackRecord>();
  private readonly queue = new Map<string, Promise<unknown>>();
  private readonly pending = new Map<string, PendingOperation>();

  constructor(private readonly options: StackEngineOptions) {
    if (options.stateFile && existsSync(options.stateFile)) {
      const saved = JSON.parse(readFileSync(options.stateFile, 'utf8')) as StackRecord[];
      for (const stack of saved) {
        for (const resource of Object.values(stack.resources)) resource.live = false;
        this.stacks.set(stack.stackName, stack);
      }
    }
  }

  /** The stack as CloudFormation would describe it now, including an operation still queued. */
  describe(stackName: string): StackRecord | undefined {
    const record = this.stacks.get(stackName);
    const pending = this.pending.get(stackName);
    if (!pending || record?.status.endsWith('_IN_PROGRESS')) return record;
    if (record) return { ...record, status: pending.status };
    const now = new Date(this.options.cloud.clock.now()).toISOString();
    return {
      stackName,
      stackId: pending.stackId,
      status: pending.status,
      parameters: pending.input.parameters ?? {},
      template: pending.input.template,
      resources: {},
      outputs: {},
      createdAt: now,
      updatedAt: now,
    };
  }

  list(): StackRecord[] {
    return [...this.stacks.values()];
  }

  /** Every export of every stack, by export name. */
  exports(): Map<string, { stackName: string; value: unknown }> {
    const all = new Map<string, { stackName: string; value: unknown }>();
    for (const stack of this.stacks.values()) {
      if (stack.status === 'ROLLBACK_COMPLETE' || stack.status === 'DELETE_COMPLETE') continue;
      for (const output of Object.values(stack.outputs)) {
        if (output.exportName)
          all.set(output.exportName, { stackName: stack.stackName, value: output.value });
      }
    }
    return all;
  }

  /**
   * Creates the stack, or updates it in place when it exists: unchanged resources stay, changed
   * ones are replaced, removed ones are deleted. Operations on one stack run one after another;
   * `describe` shows the stack in progress from the moment the operation is asked for.
   */
  deploy(input: DeployInput): Promise<StackRecord> {
    const previous = this.stacks.get(input.stackName);
    const live = previous !== undefined && isLive(previous);
    const stackId = live ? previous.stackId : this.newStackId(input.stackName);
    const marker: PendingOperation = {
      status: live ? 'UPDATE_IN_PROGRESS' : 'CREATE_IN_PROGRESS',
      stackId,
      input,
    };
    return this.track(marker, () => this.doDeploy(input, stackId));
  }

  delete(stackName: string): Promise<void> {
    const previous = this.stacks.get(stackName);
    if (!previous) return Promise.resolve();
    const marker: PendingOperation = {
      status: 'DELETE_IN_PROGRESS',
      stackId: previous.stackId,
      input: { stackName, template: previous.template },
    };
    return this.track(marker, () => this.doDelete(stackName));
  }

  /** Throws when the template cannot be deployed here at all (no resources, unsupported types). */
  validate(template: Template, stackName: string): void {
    if (!template || typeof template.Resources !== 'object')
      throw new StackError(`stack ${stackName}: the template has no Resources`);
    const unsupported = [
      ...new Set(Object.values(template.Resources).map((resource) => resource.Type)),
    ].filter((type) => !this.options.providers[type]);
    if (unsupported.length > 0) {
      throw new StackError(
        `stack ${stackName}: Template format error: Unrecognized resource types: [${unsupported.join(', ')}] (the local cloud does not support them)`,
      );
    }
  }

  private track<T>(marker: PendingOperation, work: () => Promise<T>): Promise<T> {
    const name = marker.input.stackName;
    this.pending.set(name, marker);
    return this.serialise(name, work).finally(() => {
      if (this.pending.get(name) === marker) this.pending.delete(name);
    });
  }

  private newStackId(stackName: string): string {
    return `arn:aws:cloudformation:${this.options.cloud.region}:${this.options.cloud.accountId}:stack/${stackName}/${randomUUID()}`;
  }

  private serialise<T>(stackName: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queue.get(stackName) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.queue.set(stackName, next);
    return next;
  }

  private async doDeploy(input: DeployInput, stackId: string): Promise<StackRecord> {
    if (!STACK_NAME.test(input.stackName))
      throw new StackError(`stack name "${input.stackName}" is not valid`);
    this.validate(input.template, input.stackName);
    const { template } = input;
    const previous = this.stacks.get(input.stackName);
    const usable =
      previous && previous.status !== 'ROLLBACK_COMPLETE' && previous.status !== 'DELETE_COMPLETE';
    if (previous && !usable) await this.removeResources(previous, Object.keys(previous.resources));
    const now = new Date(this.options.cloud.clock.now()).toISOString();
    const stack: StackRecord = {
      stackName: input.stackName,
      stackId,
      status: usable ? 'UPDATE_IN_PROGRESS' : 'CREATE_IN_PROGRESS',
      parameters: this.parameterValues(input),
      template,
      artifactDir: input.artifactDir,
      resources: {},
      outputs: {},
      createdAt: usable ? previous.createdAt : now,
      updatedAt: now,
    };
    const old = usable ? previous.resources : {};
    this.stacks.set(stack.stackName, stack);
    const scope = this.scope(stack);
    const active = this.activeResources(template, scope);
    const created: string[] = [];
    try {
      await this.inDependencyOrder(stack, active, async (logicalId) => {
        const resource = template.Resources[logicalId] as TemplateResource;
        const properties = resolve(scope, resource.Properties ?? {}) as Record<string, unknown>;
        const before = old[logicalId];
        const unchanged =
          before &&
          before.type === resource.Type &&
          JSON.stringify(before.properties) === JSON.stringify(properties) &&
          (before.live || this.options.persistentTypes.has(resource.Type));
        if (unchanged) {
          stack.resources[logicalId] = before;
          return;
        }
        const provider = this.options.providers[resource.Type];
        if (
          before &&
          before.type === resource.Type &&
          provider?.update &&
          (before.live || this.options.persistentTypes.has(resource.Type))
        ) {
          const updated = await provider.update(
            this.context(stack),
            before.physicalId,
            before.properties,
            properties,
          );
          if (updated) {
            stack.resources[logicalId] = {
              type: resource.Type,
              physicalId: updated.physicalId,
              attributes: updated.attributes ?? {},
              properties,
              live: true,
            };
            return;
          }
        }
        if (before) await this.deleteResource(stack, logicalId, before);
        const previous =
          before?.type === resource.Type
            ? { physicalId: before.physicalId, attributes: before.attributes }
            : undefined;
        const result = await this.createResource(stack, logicalId, resource.Type, properties, previous);
        stack.resources[logicalId] = {
          type: resource.Type,
          physicalId: result.physicalId,
          attributes: result.attributes ?? {},
          properties,
          live: true,
        };
        created.push(logicalId);
      });
      const removed = Object.keys(old).filter((logicalId) => !stack.resources[logicalId]);
      await this.removeResources({ ...stack, resources: old }, removed);
      stack.outputs = this.outputs(stack, scope);
      this.checkExports(stack);
      stack.status =
        input.restore && previous ? previous.status : usable ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE';
      if (input.restore && previous) stack.updatedAt = previous.updatedAt;
      this.save();
      return stack;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.options.log?.(`stack ${stack.stackName} failed: ${reason}; rolling back`);
      await this.removeResources(
        stack,
        created.filter((id) => stack.resources[id]),
      );
      if (input.restore && previous) {
        // A stack that cannot come back (its code is gone, say) keeps its saved record and data.
        this.stacks.set(previous.stackName, previous);
      } else {
        stack.status = 'ROLLBACK_COMPLETE';
        stack.statusReason = reason;
      }
      this.save();
      throw error instanceof StackError ? error : new StackError(`stack ${stack.stackName}: ${reason}`);
    }
  }

  private async doDelete(stackName: string): Promise<void> {
    const stack = this.stacks.get(stackName);
    if (!stack) return;
    const importers = this.importersOf(stack);
    if (importers.length > 0) {
      throw new StackError(
        `stack ${stackName} cannot be deleted: its exports are imported by ${importers.join(', ')}`,
      );
    }
    stack.status = 'DELETE_IN_PROGRESS';
    await this.removeResources(stack, Object.keys(stack.resources));
    stack.status = 'DELETE_COMPLETE';
    this.stacks.delete(stackName);
    this.save();
  }

  private importersOf(stack: StackRecord): string[] {
    const names = new Set(
      Object.values(stack.outputs)
        .map((output) => output.exportName)
        .filter(Boolean),
    );
    if (names.size === 0) return [];
    return this.list()
      .filter(
        (other) =>
          other.stackName !== stack.stackName &&
          [...importNames(other.template)].some((name) => names.has(name)),
      )
      .map((other) => other.stackName);
  }

  private parameterValues(input: DeployInput): Record<string, string> {
    const declared = input.template.Parameters ?? {};
    const given = input.parameters ?? {};
    for (const name of Object.keys(given)) {
      if (!(name in declared))
        throw new StackError(`stack ${input.stackName}: parameter ${name} is not declared by the template`);
    }
    const values: Record<string, string> = {};
    for (const [name, spec] of Object.entries(declared)) {
      const value = given[name] ?? (spec.Default === undefined ? undefined : String(spec.Default));
      if (value === undefined)
        throw new StackError(`stack ${input.stackName}: parameter ${name} needs a value`);
      if (spec.AllowedValues && !spec.AllowedValues.map(String).includes(value)) {
        throw new StackError(
          `stack ${input.stackName}: parameter ${name} must be one of ${spec.AllowedValues.join(', ')}`,
        );
      }
      if (spec.AllowedPattern && !new RegExp(`^(?:${spec.AllowedPattern})$`).test(value)) {
        throw new StackError(
          `stack ${input.stackName}: parameter ${name} does not match ${spec.AllowedPattern}`,
        );
      }
      if (
        (spec.MinLength !== undefined && value.length < spec.MinLength) ||
        (spec.MaxLength !== undefined && value.length > spec.MaxLength)
      ) {
        throw new StackError(
          `stack ${input.stackName}: parameter ${name} has a length outside ${spec.MinLength ?? 0}..${spec.MaxLength ?? '∞'}`,
        );
      }
      values[name] = value;
    }
    return values;
  }

  private scope(stack: StackRecord): ResolveScope {
    const { cloud } = this.options;
    const parameters: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(stack.parameters)) {
      const type = stack.template.Parameters?.[name]?.Type ?? 'String';
      parameters[name] =
        type === 'CommaDelimitedList' || type.startsWith('List<')
          ? value.split(',').map((item) => item.trim())
          : value;
    }
    const scope: ResolveScope = {
      stackName: stack.stackName,
      stackId: stack.stackId,
      region: cloud.region,
      accountId: cloud.accountId,
      parameters,
      mappings: stack.template.Mappings ?? {},
      conditions: {},
      ref: (logicalId) => {
        const resource = stack.resources[logicalId];
        if (!resource)
          throw new TemplateError(
            `Ref to ${logicalId}, which is not a parameter or a created resource of stack ${stack.stackName}`,
          );
        return resource.physicalId;
      },
      getAtt: (logicalId, attribute) => {
        const resource = stack.resources[logicalId];
        if (!resource)
          throw new TemplateError(
            `Fn::GetAtt on ${logicalId}, which is not a created resource of stack ${stack.stackName}`,
          );
        if (!(attribute in resource.attributes)) {
          throw new TemplateError(
            `Fn::GetAtt ${logicalId}.${attribute}: ${resource.type} has no attribute ${attribute} in the local cloud`,
          );
        }
        return resource.attributes[attribute];
      },
      importValue: (name) => {
        const found = this.exports().get(name);
        if (!found || found.stackName === stack.stackName)
          throw new TemplateError(`Fn::ImportValue: no stack exports ${name}`);
        return found.value;
      },
    };
    for (const name of Object.keys(stack.template.Conditions ?? {})) scope.conditions[name] = false;
    // Conditions may refer to one another; evaluate until stable (templates are small).
    for (let pass = 0; pass < 3; pass += 1) {
      for (const [name, expression] of Object.entries(stack.template.Conditions ?? {})) {
        scope.conditions[name] = evaluateCondition(scope, expression);
      }
    }
    return scope;
  }

  private activeResources(template: Template, scope: ResolveScope): string[] {
    return Object.entries(template.Resources)
      .filter(([, resource]) => {
        if (!resource.Condition) return true;
        if (!(resource.Condition in scope.conditions))
          throw new TemplateError(`resource condition ${resource.Condition} is not declared`);
        return scope.conditions[resource.Condition];
      })
      .map(([logicalId]) => logicalId);
  }

  private async inDependencyOrder(
    stack: StackRecord,
    logicalIds: string[],
    work: (logicalId: string) => Promise<void>,
  ): Promise<void> {
    const active = new Set(logicalIds);
    const declared = new Set(Object.keys(stack.template.Resources));
    const parameters = new Set(Object.keys(stack.template.Parameters ?? {}));
    const needs = new Map<string, Set<string>>();
    for (const logicalId of logicalIds) {
      const resource = stack.template.Resources[logicalId] as TemplateResource;
      const deps = dependencies(resource.Properties ?? {});
      for (const dep of [resource.DependsOn ?? []].flat()) deps.add(dep);
      const own = new Set<string>();
      for (const dep of deps) {
        if (dep.startsWith('AWS::') || parameters.has(dep)) continue;
        if (!declared.has(dep))
          throw new TemplateError(
            `resource ${logicalId} refers to ${dep}, which the template does not declare`,
          );
        if (active.has(dep)) own.add(dep);
      }
      needs.set(logicalId, own);
    }
    const done = new Set<string>();
    const running = new Map<string, Promise<string>>();
    while (done.size < logicalIds.length) {
      for (const [logicalId, deps] of needs) {
        if (done.has(logicalId) || running.has(logicalId)) continue;
        if ([...deps].every((dep) => done.has(dep)))
          running.set(
            logicalId,
            work(logicalId).then(() => logicalId),
          );
      }
      if (running.size === 0) {
        const stuck = [...needs.keys()].filter((id) => !done.has(id));
        throw new TemplateError(`circular dependency between ${stuck.join(', ')}`);
      }
      const finished = await Promise.race(running.values());
      running.delete(finished);
      done.add(finished);
    }
  }

  private context(stack: StackRecord): ProviderContext {
    return {
      stackName: stack.stackName,
      stackId: stack.stackId,
      region: this.options.cloud.region,
      accountId: this.options.cloud.accountId,
      artifactDir: stack.artifactDir,
      cloud: this.options.cloud,
    };
  }

  private async createResource(
    stack: StackRecord,
    logicalId: string,
    type: string,
    properties: Record<string, unknown>,
    previous?: ProviderContext['previous'],
  ): Promise<ResourceResult> {
    const provider = this.options.providers[type];
    if (!provider)
      throw new StackError(
        `stack ${stack.stackName}: resource ${logicalId} has type ${type}, which the local cloud does not support`,
      );
    try {
      return await provider.create({ ...this.context(stack), previous }, logicalId, properties);
    } catch (error) {
      throw new StackError(
        `stack ${stack.stackName}: resource ${logicalId} (${type}) failed: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }

  private async deleteResource(stack: StackRecord, logicalId: string, record: ResourceRecord): Promise<void> {
    const persistent = this.options.persistentTypes.has(record.type);
    if (!record.live && !persistent) return;
    const retain = stack.template.Resources[logicalId]?.DeletionPolicy === 'Retain';
    if (retain && stack.status === 'DELETE_IN_PROGRESS') return;
    try {
      await this.options.providers[record.type]?.delete(
        this.context(stack),
        record.physicalId,
        record.properties,
      );
    } catch (error) {
      this.options.log?.(
        `stack ${stack.stackName}: could not delete ${logicalId} (${record.type}): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /** Deletes the named resources, dependents before what they depend on. */
  private async removeResources(stack: StackRecord, logicalIds: string[]): Promise<void> {
    const remaining = new Set(logicalIds.filter((id) => stack.resources[id]));
    while (remaining.size > 0) {
      const leaves = [...remaining].filter((id) => {
        const resource = stack.template.Resources[id];
        return ![...remaining].some((other) => {
          if (other === id) return false;
          const otherResource = stack.template.Resources[other];
          if (!otherResource) return false;
          const deps = dependencies(otherResource.Properties ?? {});
          for (const dep of [otherResource.DependsOn ?? []].flat()) deps.add(dep);
          return deps.has(id) && resource !== undefined;
        });
      });
      const batch = leaves.length > 0 ? leaves : [...remaining];
      await Promise.all(
        batch.map((id) => this.deleteResource(stack, id, stack.resources[id] as ResourceRecord)),
      );
      for (const id of batch) {
        remaining.delete(id);
        delete stack.resources[id];
      }
    }
  }

  private outputs(stack: StackRecord, scope: ResolveScope): StackRecord['outputs'] {
    const outputs: StackRecord['outputs'] = {};
    for (const [name, output] of Object.entries(stack.template.Outputs ?? {})) {
      if (output.Condition && !scope.conditions[output.Condition]) continue;
      const exportName = output.Export ? String(resolve(scope, output.Export.Name)) : undefined;
      outputs[name] = { value: resolve(scope, output.Value), exportName };
    }
    return outputs;
  }

  private checkExports(stack: StackRecord): void {
    for (const output of Object.values(stack.outputs)) {
      if (!output.exportName) continue;
      for (const other of this.stacks.values()) {
        if (other === stack) continue;
        if (Object.values(other.outputs).some((o) => o.exportName === output.exportName)) {
          throw new StackError(
            `stack ${stack.stackName}: export ${output.exportName} is already exported by stack ${other.stackName}`,
          );
        }
      }
    }
  }

  private save(): void {
    const file = this.options.stateFile;
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(this.list(), null, 1));
  }
}

/** Names of the exports a template imports, where they are plain strings. */
export function importNames(template: Template): Set<string> {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      for (const [key, arg] of Object.entries(value as Record<string, unknown>)) {
        if (key === 'Fn::ImportValue' && typeof arg === 'string') names.add(arg);
        else visit(arg);
      }
    }
  };
  visit(template.Resources);
  visit(template.Outputs ?? {});
  return names;
}

/** Names of the exports a template declares, where they are plain strings. */
export function exportNames(template: Template): Set<string> {
  const names = new Set<string>();
  for (const output of Object.values(template.Outputs ?? {})) {
    if (typeof output.Export?.Name === 'string') names.add(output.Export.Name);
  }
  return names;
}

/** Orders templates so that every stack comes after the stacks whose exports it imports. */
export function deployOrder<T extends { stackName: string; template: Template }>(stacks: T[]): T[] {
  const exporter = new Map<string, string>();
  for (const stack of stacks)
    for (const name of exportNames(stack.template)) exporter.set(name, stack.stackName);
  const byName = new Map(stacks.map((stack) => [stack.stackName, stack]));
  const ordered: T[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (stack: T, path: string[]): void => {
    if (state.get(stack.stackName) === 'done') return;
    if (state.get(stack.stackName) === 'visiting')
      throw new StackError(
        `stacks import each other's exports in a cycle: ${[...path, stack.stackName].join(' → ')}`,
      );
    state.set(stack.stackName, 'visiting');
    for (const name of importNames(stack.template)) {
      const from = exporter.get(name);
      const dependency = from ? byName.get(from) : undefined;
      if (dependency && dependency !== stack) visit(dependency, [...path, stack.stackName]);
    }
    state.set(stack.stackName, 'done');
    ordered.push(stack);
  };
  for (const stack of stacks) visit(stack, []);
  return ordered;
}
