/**
 * Parameter Store operations with the request and response shapes of the AWS API. SecureString
 * values are stored as given (no KMS locally); read without `WithDecryption` they come back as
 * an opaque `local-ciphertext:<base64>` marker, as AWS returns ciphertext, never the plain text.
 */
import type { Clock } from '../types.js';
import { SsmServiceError } from './errors.js';
import type { ParameterRecord, ParameterType, ParameterVersion, SsmStore } from './store.js';

export interface SsmDeps {
  clock: Clock;
  region: string;
  accountId: string;
  store: SsmStore;
}

type Input = Record<string, unknown>;
export type SsmOperation = (deps: SsmDeps, input: Input) => Record<string, unknown>;

const TYPES = new Set<ParameterType>(['String', 'StringList', 'SecureString']);
const TIERS = new Set(['Standard', 'Advanced', 'Intelligent-Tiering']);
const MAX_VERSIONS = 100;
const NAME_RULES =
  'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_.';

const invalid = (message: string) => new SsmServiceError('ValidationException', message);
const notFound = (name: string) => new SsmServiceError('ParameterNotFound', `Parameter ${name} not found.`);

function str(input: Input, field: string, required: true): string;
function str(input: Input, field: string, required?: false): string | undefined;
function str(input: Input, field: string, required = false): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) {
    if (required)
      throw invalid(
        `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
      );
    return undefined;
  }
  if (typeof value !== 'string')
    throw new SsmServiceError('SerializationException', `${field} must be a string`);
  return value;
}

/** A parameter name from a name or ARN, and its `:version` selector. */
function parseReference(deps: SsmDeps, reference: string): { name: string; selector?: string } {
  let name = reference;
  const arnPrefix = `arn:aws:ssm:${deps.region}:${deps.accountId}:parameter`;
  if (name.startsWith('arn:')) {
    if (!name.startsWith(`${arnPrefix}/`)) throw invalid(`Invalid parameter ARN: ${reference}`);
    const rest = name.slice(arnPrefix.length + 1);
    name = rest.includes('/') ? `/${rest}` : rest;
  }
  const colon = name.indexOf(':');
  if (colon < 0) return { name };
  return { name: name.slice(0, colon), selector: name.slice(colon + 1) };
}

export function validateName(name: string): void {
  if (name.length === 0 || name.length > 1011) throw invalid(NAME_RULES);
  if (!/^[a-zA-Z0-9_.\-/]+$/.test(name)) throw invalid(NAME_RULES);
  if (name.includes('/') && !name.startsWith('/'))
    throw invalid('Parameter name must be a fully qualified name.');
  const first = (name.startsWith('/') ? name.slice(1) : name).split('/')[0]?.toLowerCase() ?? '';
  if (first.startsWith('aws') || first.startsWith('ssm')) throw invalid(NAME_RULES);
  if (name.split('/').filter(Boolean).length > 15)
    throw new SsmServiceError(
      'HierarchyLevelLimitExceededException',
      'A hierarchy can have a maximum of 15 levels. For more information, see Requirements and constraints for parameter names in the AWS Systems Manager User Guide.',
    );
}

export function arnOf(deps: SsmDeps, name: string): string {
  return `arn:aws:ssm:${deps.region}:${deps.accountId}:parameter/${name.startsWith('/') ? name.slice(1) : name}`;
}

function shown(version: ParameterVersion, decrypt: boolean): string {
  if (version.type !== 'SecureString' || decrypt) return version.value;
  return `local-ciphertext:${Buffer.from(version.value).toString('base64')}`;
}

/** The `Parameter` shape of GetParameter(s) / GetParametersByPath. */
function parameterOut(deps: SsmDeps, record: ParameterRecord, decrypt: boolean, selector?: string) {
  let version: ParameterVersion = record;
  if (selector !== undefined) {
    if (!/^\d+$/.test(selector))
      throw invalid(`the local SSM supports version selectors (name:3), not labels (${selector})`);
    const wanted = Number(selector);
    const found = wanted === record.version ? record : record.history.find((v) => v.version === wanted);
    if (!found)
      throw new SsmServiceError(
        'ParameterVersionNotFound',
        `Systems Manager could not find version ${selector} of ${record.name}. Verify the version and try again.`,
      );
    version = found;
  }
  return {
    Name: record.name,
    Type: version.type,
    Value: shown(version, decrypt),
    Version: version.version,
    ...(selector !== undefined ? { Selector: `:${selector}` } : {}),
    LastModifiedDate: version.lastModified / 1000,
    ARN: arnOf(deps, record.name),
    DataType: record.dataType,
  };
}

function lookup(deps: SsmDeps, reference: string) {
  const { name, selector } = parseReference(deps, reference);
  const record = deps.store.parameters.get(name);
  return { name, selector, record };
}

const getParameter: SsmOperation = (deps, input) => {
  const reference = str(input, 'Name', true);
  const { selector, record } = lookup(deps, reference);
  if (!record) throw notFound(reference);
  return { Parameter: parameterOut(deps, record, input.WithDecryption === true, selector) };
};

const getParameters: SsmOperation = (deps, input) => {
  const names = input.Names;
  if (!Array.isArray(names) || names.length === 0 || names.length > 10)
    throw invalid(
      `1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to 10 and greater than or equal to 1`,
    );
  const parameters: unknown[] = [];
  const invalidParameters: string[] = [];
  for (const reference of new Set(names.map(String))) {
    const { selector, record } = lookup(deps, reference);
    if (record) parameters.push(parameterOut(deps, record, input.WithDecryption === true, selector));
    else invalidParameters.push(reference);
  }
  return { Parameters: parameters, InvalidParameters: invalidParameters };
};

function encodeToken(name: string): string {
  return Buffer.from(JSON.stringify({ after: name })).toString('base64');
}
function decodeToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  try {
    const after = (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { after?: unknown }).after;
    if (typeof after === 'string') return after;
  } catch {
    // reported below
  }
  throw invalid('The nextToken is not valid.');
}

function maxResults(input: Input, max: number, fallback: number): number {
  const value = input.MaxResults ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max)
    throw invalid(
      `1 validation error detected: Value '${String(value)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${max}`,
    );
  return value;
}

function page<T>(
  records: ParameterRecord[],
  input: Input,
  max: number,
  fallback: number,
  map: (r: ParameterRecord) => T,
) {
  const limit = maxResults(input, max, fallback);
  const after = decodeToken(str(input, 'NextToken'));
  const sorted = records.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const start = after === undefined ? 0 : sorted.findIndex((r) => r.name > after);
  const slice = start < 0 ? [] : sorted.slice(start, start + limit);
  const more = start >= 0 && start + limit < sorted.length;
  const last = slice[slice.length - 1];
  return { items: slice.map(map), nextToken: more && last ? encodeToken(last.name) : undefined };
}

function underPath(name: string, path: string, recursive: boolean): boolean {
  const prefix = path.endsWith('/') ? path : `${path}/`;
  if (!name.startsWith(prefix)) return false;
  return recursive || !name.slice(prefix.length).includes('/');
}

function typeFilter(input: Input): ((r: ParameterRecord) => boolean) | undefined {
  const filters = input.ParameterFilters;
  if (filters === undefined) return undefined;
  const tests: ((r: ParameterRecord) => boolean)[] = [];
  for (const filter of Array.isArray(filters) ? (filters as Input[]) : []) {
    const values = Array.isArray(filter.Values) ? filter.Values.map(String) : [];
    if (filter.Key === 'Type' && (filter.Option ?? 'Equals') === 'Equals')
      tests.push((r) => values.includes(r.type));
    else throw invalid(`the local SSM does not support the parameter filter ${String(filter.Key)} here`);
  }
  return (r) => tests.every((t) => t(r));
}

const getParametersByPath: SsmOperation = (deps, input) => {
  const path = str(input, 'Path', true);
  if (!path.startsWith('/')) throw invalid('The parameter path must begin with a forward slash "/".');
  const recursive = input.Recursive === true;
  const filter = typeFilter(input);
  const matches = [...deps.store.parameters.values()].filter(
    (r) => underPath(r.name, path, recursive) && (!filter || filter(r)),
  );
  const { items, nextToken } = page(matches, input, 10, 10, (r) =>
    parameterOut(deps, r, input.WithDecryption === true),
  );
  return { Parameters: items, ...(nextToken ? { NextToken: nextToken } : {}) };
};

const putParameter: SsmOperation = (deps, input) => {
  const name = str(input, 'Name', true);
  const value = str(input, 'Value', true);
  validateName(name);
  const existing = deps.store.parameters.get(name);
  const overwrite = input.Overwrite === true;
  const type = (str(input, 'Type') ?? existing?.type) as ParameterType | undefined;
  if (type === undefined) throw invalid('A parameter type is required when you create a parameter.');
  if (!TYPES.has(type))
    throw invalid(
      `1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]`,
    );
  const tier = str(input, 'Tier') ?? existing?.tier ?? 'Standard';
  if (!TIERS.has(tier)) throw invalid(`Tier ${tier} is not valid.`);
  const limit = tier === 'Advanced' ? 8192 : 4096;
  if (value.length === 0 || value.length > limit)
    throw invalid(
      `1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length less than or equal to ${limit} and greater than or equal to 1`,
    );
  const dataType = str(input, 'DataType') ?? existing?.dataType ?? 'text';
  if (dataType !== 'text') throw invalid(`the local SSM only supports DataType text, not ${dataType}`);
  if (input.Tags !== undefined && overwrite)
    throw invalid(
      "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
    );
  if (existing && !overwrite)
    throw new SsmServiceError(
      'ParameterAlreadyExists',
      'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
    );
  const allowedPattern = str(input, 'AllowedPattern') ?? existing?.allowedPattern;
  if (allowedPattern !== undefined && !new RegExp(`^(?:${allowedPattern})$`).test(value))
    throw new SsmServiceError(
      'ParameterPatternMismatchException',
      `Parameter value, ${value}, failed to satisfy constraint specified by AllowedPattern: ${allowedPattern}`,
    );
  const now = deps.clock.now();
  const description = str(input, 'Description') ?? existing?.description;
  const tags: Record<string, string> = { ...existing?.tags };
  for (const tag of Array.isArray(input.Tags) ? (input.Tags as Input[]) : [])
    tags[String(tag.Key)] = String(tag.Value);
  const history = existing ? [...existing.history, snapshot(existing)].slice(-(MAX_VERSIONS - 1)) : [];
  const record: ParameterRecord = {
    name,
    type,
    value,
    version: (existing?.version ?? 0) + 1,
    lastModified: now,
    tier,
    dataType,
    tags,
    history,
  };
  if (description !== undefined) record.description = description;
  if (allowedPattern !== undefined) record.allowedPattern = allowedPattern;
  if (type === 'SecureString') record.keyId = str(input, 'KeyId') ?? existing?.keyId ?? 'alias/aws/ssm';
  deps.store.parameters.set(name, record);
  deps.store.changed();
  return { Version: record.version, Tier: tier };
};

function snapshot(record: ParameterRecord): ParameterVersion {
  const version: ParameterVersion = {
    version: record.version,
    value: record.value,
    type: record.type,
    lastModified: record.lastModified,
  };
  if (record.description !== undefined) version.description = record.description;
  return version;
}

const deleteParameter: SsmOperation = (deps, input) => {
  const name = str(input, 'Name', true);
  if (!deps.store.parameters.delete(parseReference(deps, name).name)) throw notFound(name);
  deps.store.changed();
  return {};
};

const deleteParameters: SsmOperation = (deps, input) => {
  const names = Array.isArray(input.Names) ? input.Names.map(String) : [];
  if (names.length === 0 || names.length > 10)
    throw invalid('1 validation error detected: Member must have length less than or equal to 10');
  const deleted: string[] = [];
  const missing: string[] = [];
  for (const name of names) (deps.store.parameters.delete(name) ? deleted : missing).push(name);
  if (deleted.length) deps.store.changed();
  return { DeletedParameters: deleted, InvalidParameters: missing };
};

const describeParameters: SsmOperation = (deps, input) => {
  if (input.Filters !== undefined)
    throw invalid('the local SSM supports ParameterFilters, not the legacy Filters');
  const tests: ((r: ParameterRecord) => boolean)[] = [];
  for (const filter of Array.isArray(input.ParameterFilters) ? (input.ParameterFilters as Input[]) : []) {
    const values = Array.isArray(filter.Values) ? filter.Values.map(String) : [];
    const option = filter.Option;
    if (filter.Key === 'Name')
      tests.push((r) => values.some((v) => (option === 'BeginsWith' ? r.name.startsWith(v) : r.name === v)));
    else if (filter.Key === 'Type') tests.push((r) => values.includes(r.type));
    else if (filter.Key === 'Path')
      tests.push((r) => values.some((v) => underPath(r.name, v, option === 'Recursive')));
    else throw invalid(`the local SSM does not support the parameter filter ${String(filter.Key)}`);
  }
  const matches = [...deps.store.parameters.values()].filter((r) => tests.every((t) => t(r)));
  const { items, nextToken } = page(matches, input, 50, 10, (r) => ({
    Name: r.name,
    ARN: arnOf(deps, r.name),
    Type: r.type,
    ...(r.keyId ? { KeyId: r.keyId } : {}),
    LastModifiedDate: r.lastModified / 1000,
    LastModifiedUser: `arn:aws:iam::${deps.accountId}:root`,
    ...(r.description !== undefined ? { Description: r.description } : {}),
    ...(r.allowedPattern !== undefined ? { AllowedPattern: r.allowedPattern } : {}),
    Version: r.version,
    Tier: r.tier,
    Policies: [],
    DataType: r.dataType,
  }));
  return { Parameters: items, ...(nextToken ? { NextToken: nextToken } : {}) };
};

export const operations: Record<string, SsmOperation> = {
  GetParameter: getParameter,
  GetParameters: getParameters,
  GetParametersByPath: getParametersByPath,
  PutParameter: putParameter,
  DeleteParameter: deleteParameter,
  DeleteParameters: deleteParameters,
  DescribeParameters: describeParameters,
};
