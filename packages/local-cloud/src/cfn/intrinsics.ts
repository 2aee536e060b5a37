/**
 * Resolution of CloudFormation intrinsic functions against a stack being deployed.
 * Every function the Serverless-generated templates use is supported; anything else fails with
 * a message naming it, never silently passes through.
 */
import { TemplateError } from './errors.js';

/** Marker for `Ref: AWS::NoValue`: the enclosing property is removed. */
export const NO_VALUE = Symbol('AWS::NoValue');

export interface ResolveScope {
  stackName: string;
  stackId: string;
  region: string;
  accountId: string;
  parameters: Record<string, unknown>;
  mappings: Record<string, Record<string, Record<string, unknown>>>;
  /** Evaluated conditions by name. */
  conditions: Record<string, boolean>;
  /** `Ref` of a deployed resource. */
  ref(logicalId: string): unknown;
  /** `Fn::GetAtt` of a deployed resource. */
  getAtt(logicalId: string, attribute: string): unknown;
  /** `Fn::ImportValue`: an export of another stack. */
  importValue(name: string): unknown;
}

const PSEUDO = [
  'AWS::Region',
  'AWS::AccountId',
  'AWS::StackName',
  'AWS::StackId',
  'AWS::Partition',
  'AWS::URLSuffix',
  'AWS::NotificationARNs',
  'AWS::NoValue',
];

export function pseudoParameter(scope: ResolveScope, name: string): unknown {
  switch (name) {
    case 'AWS::Region':
      return scope.region;
    case 'AWS::AccountId':
      return scope.accountId;
    case 'AWS::StackName':
      return scope.stackName;
    case 'AWS::StackId':
      return scope.stackId;
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::NotificationARNs':
      return [];
    case 'AWS::NoValue':
      return NO_VALUE;
    default:
      throw new TemplateError(`unknown pseudo parameter ${name}`);
  }
}

function refValue(scope: ResolveScope, name: string): unknown {
  if (PSEUDO.includes(name)) return pseudoParameter(scope, name);
  if (name in scope.parameters) return scope.parameters[name];
  return scope.ref(name);
}

function asString(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TemplateError(`${where} needs a string, got ${JSON.stringify(value)}`);
}

function asArray(value: unknown, where: string): unknown[] {
  if (Array.isArray(value)) return value;
  throw new TemplateError(`${where} needs a list, got ${JSON.stringify(value)}`);
}

function splitGetAtt(arg: unknown): [string, string] {
  if (typeof arg === 'string') {
    const dot = arg.indexOf('.');
    if (dot < 0) throw new TemplateError(`Fn::GetAtt "${arg}" must be "Resource.Attribute"`);
    return [arg.slice(0, dot), arg.slice(dot + 1)];
  }
  const [logicalId, attribute] = asArray(arg, 'Fn::GetAtt');
  return [asString(logicalId, 'Fn::GetAtt'), asString(attribute, 'Fn::GetAtt')];
}

function substitute(scope: ResolveScope, template: string, variables: Record<string, unknown>): string {
  return template.replace(/\$\{(!?)([^}]+)\}/g, (_match, literal: string, name: string) => {
    if (literal) return `\${${name}}`;
    const key = name.trim();
    if (key in variables) return asString(variables[key], `Fn::Sub variable ${key}`);
    if (key.includes('.') && !PSEUDO.includes(key)) {
      const dot = key.indexOf('.');
      return asString(scope.getAtt(key.slice(0, dot), key.slice(dot + 1)), `Fn::Sub \${${key}}`);
    }
    return asString(refValue(scope, key), `Fn::Sub \${${key}}`);
  });
}

export function evaluateCondition(scope: ResolveScope, value: unknown): boolean {
  const resolved = resolve(scope, value);
  if (typeof resolved !== 'boolean')
    throw new TemplateError(`a condition must evaluate to true or false, got ${JSON.stringify(resolved)}`);
  return resolved;
}

/** Resolves every intrinsic in `value`. Properties that resolve to `AWS::NoValue` are dropped. */
export function resolve(scope: ResolveScope, value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => resolve(scope, item)).filter((item) => item !== NO_VALUE);
  }
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1) {
    const [key, arg] = entries[0] as [string, unknown];
    if (key === 'Ref') return refValue(scope, asString(arg, 'Ref'));
    if (key === 'Condition' && typeof arg === 'string' && arg in scope.conditions)
      return scope.conditions[arg];
    if (key.startsWith('Fn::')) return resolveFunction(scope, key, arg);
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    const resolved = resolve(scope, item);
    if (resolved !== NO_VALUE) out[key] = resolved;
  }
  return out;
}

function resolveFunction(scope: ResolveScope, name: string, arg: unknown): unknown {
  switch (name) {
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = splitGetAtt(arg);
      return scope.getAtt(asString(resolve(scope, logicalId), 'Fn::GetAtt'), attribute);
    }
    case 'Fn::Sub': {
      if (typeof arg === 'string') return substitute(scope, arg, {});
      const [template, variables] = asArray(arg, 'Fn::Sub');
      const resolvedVariables = resolve(scope, variables ?? {}) as Record<string, unknown>;
      return substitute(scope, asString(template, 'Fn::Sub'), resolvedVariables);
    }
    case 'Fn::Join': {
      const [delimiter, items] = asArray(arg, 'Fn::Join');
      const list = asArray(resolve(scope, items), 'Fn::Join');
      return list
        .map((item) => asString(item, 'Fn::Join item'))
        .join(asString(delimiter, 'Fn::Join delimiter'));
    }
    case 'Fn::Select': {
      const [index, items] = asArray(arg, 'Fn::Select');
      const list = asArray(resolve(scope, items), 'Fn::Select');
      const i = Number(resolve(scope, index));
      if (!Number.isInteger(i) || i < 0 || i >= list.length)
        throw new TemplateError(`Fn::Select index ${i} is outside the list of ${list.length}`);
      return list[i];
    }
    case 'Fn::Split': {
      const [delimiter, source] = asArray(arg, 'Fn::Split');
      return asString(resolve(scope, source), 'Fn::Split source').split(
        asString(delimiter, 'Fn::Split delimiter'),
      );
    }
    case 'Fn::ImportValue':
      return scope.importValue(asString(resolve(scope, arg), 'Fn::ImportValue'));
    case 'Fn::If': {
      const [condition, whenTrue, whenFalse] = asArray(arg, 'Fn::If');
      const conditionName = asString(condition, 'Fn::If condition');
      if (!(conditionName in scope.conditions))
        throw new TemplateError(`Fn::If names an unknown condition ${conditionName}`);
      return resolve(scope, scope.conditions[conditionName] ? whenTrue : whenFalse);
    }
    case 'Fn::Equals': {
      const [a, b] = asArray(arg, 'Fn::Equals').map((item) => resolve(scope, item));
      return JSON.stringify(a) === JSON.stringify(b) || String(a) === String(b);
    }
    case 'Fn::And':
      return asArray(arg, 'Fn::And').every((item) => evaluateCondition(scope, item));
    case 'Fn::Or':
      return asArray(arg, 'Fn::Or').some((item) => evaluateCondition(scope, item));
    case 'Fn::Not':
      return !evaluateCondition(scope, asArray(arg, 'Fn::Not')[0]);
    case 'Fn::FindInMap': {
      const [map, top, second] = asArray(arg, 'Fn::FindInMap').map((item) =>
        asString(resolve(scope, item), 'Fn::FindInMap'),
      );
      const found = scope.mappings[map as string]?.[top as string]?.[second as string];
      if (found === undefined)
        throw new TemplateError(`Fn::FindInMap found nothing at ${map}.${top}.${second}`);
      return found;
    }
    case 'Fn::Base64':
      return Buffer.from(asString(resolve(scope, arg), 'Fn::Base64')).toString('base64');
    case 'Fn::GetAZs':
      return ['a', 'b', 'c'].map((zone) => `${scope.region}${zone}`);
    default:
      throw new TemplateError(`intrinsic function ${name} is not supported by the local cloud`);
  }
}

/** The logical ids a value depends on (Ref, Fn::GetAtt, and resource names inside Fn::Sub). */
export function dependencies(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) dependencies(item, into);
    return into;
  }
  if (value === null || typeof value !== 'object') return into;
  for (const [key, arg] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'Ref' && typeof arg === 'string') into.add(arg);
    else if (key === 'Fn::GetAtt') into.add(splitGetAtt(arg)[0]);
    else if (key === 'Fn::Sub') {
      const template = typeof arg === 'string' ? arg : Array.isArray(arg) ? arg[0] : '';
      const variables =
        Array.isArray(arg) && arg[1] && typeof arg[1] === 'object' ? (arg[1] as Record<string, unknown>) : {};
      for (const match of String(template).matchAll(/\$\{([^!}][^}]*)\}/g)) {
        const name = (match[1] as string).trim();
        if (!(name in variables)) into.add(name.split('.')[0] as string);
      }
      if (Array.isArray(arg)) dependencies(arg[1], into);
    } else dependencies(arg, into);
  }
  return into;
}
