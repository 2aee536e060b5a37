/** The CloudFormation template shapes the builder reads and writes, and small helpers over them. */

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  Condition?: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: unknown;
}

export interface CfnParameter {
  Type: string;
  Description?: string;
  Default?: unknown;
  AllowedPattern?: string;
  AllowedValues?: unknown[];
  MinLength?: number;
  MaxLength?: number;
  MinValue?: number;
  MaxValue?: number;
  ConstraintDescription?: string;
}

export interface CfnOutput {
  Description?: string;
  Value: unknown;
  Export?: { Name: unknown };
  Condition?: string;
}

export interface CfnTemplate {
  AWSTemplateFormatVersion?: string;
  Description?: string;
  Transform?: unknown;
  Parameters?: Record<string, CfnParameter>;
  Mappings?: Record<string, unknown>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, CfnOutput>;
}

export const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{Fn::Sub: text}` */
export const sub = (text: string) => ({ 'Fn::Sub': text });
/** `{Ref: name}` */
export const ref = (name: string) => ({ Ref: name });
/** `{Fn::GetAtt: [resource, attribute]}` */
export const getAtt = (resource: string, attribute: string) => ({ 'Fn::GetAtt': [resource, attribute] });

/** The logical ids a value refers to through Ref, Fn::GetAtt and Fn::Sub's `${…}`. */
export function referencedIds(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) referencedIds(item, found);
    return found;
  }
  if (!isRecord(value)) return found;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [key] = keys as [string];
    const arg = value[key];
    if (key === 'Ref' && typeof arg === 'string') {
      found.add(arg);
      return found;
    }
    if (key === 'Fn::GetAtt') {
      const target = Array.isArray(arg) ? arg[0] : typeof arg === 'string' ? arg.split('.')[0] : undefined;
      if (typeof target === 'string') found.add(target);
      if (Array.isArray(arg)) referencedIds(arg.slice(1), found);
      return found;
    }
    if (key === 'Fn::Sub') {
      const [text, variables] = Array.isArray(arg) ? [arg[0], arg[1]] : [arg, undefined];
      const local = isRecord(variables) ? new Set(Object.keys(variables)) : new Set<string>();
      if (typeof text === 'string') {
        for (const match of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
          const name = (match[1] as string).split('.')[0] as string;
          if (!local.has(name)) found.add(name);
        }
      }
      if (variables !== undefined) referencedIds(variables, found);
      return found;
    }
  }
  for (const item of Object.values(value)) referencedIds(item, found);
  return found;
}

/** Every string in a value, with its path (object keys are not visited: they are not names). */
export function* stringsOf(value: unknown, path: string): Generator<[string, string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value))
    for (const [i, item] of value.entries()) yield* stringsOf(item, `${path}[${i}]`);
  else if (isRecord(value))
    for (const [key, item] of Object.entries(value)) yield* stringsOf(item, `${path}.${key}`);
}

/** Every `{key: arg}` intrinsic in a value with its path. */
export function* intrinsicsOf(value: unknown, path: string): Generator<[string, string, unknown]> {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* intrinsicsOf(item, `${path}[${i}]`);
    return;
  }
  if (!isRecord(value)) return;
  const keys = Object.keys(value);
  if (keys.length === 1 && ((keys[0] as string).startsWith('Fn::') || keys[0] === 'Ref')) {
    yield [path, keys[0] as string, value[keys[0] as string]];
  }
  for (const [key, item] of Object.entries(value)) yield* intrinsicsOf(item, `${path}.${key}`);
}

/** Replaces every value for which `replace` answers something other than undefined, depth first. */
export function mapValues(value: unknown, replace: (value: unknown) => unknown): unknown {
  const replaced = replace(value);
  if (replaced !== undefined) return replaced;
  if (Array.isArray(value)) return value.map((item) => mapValues(item, replace));
  if (isRecord(value))
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapValues(item, replace)]));
  return value;
}
