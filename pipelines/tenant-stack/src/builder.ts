/**
 * Builds the tenant template: one CloudFormation template for a platinum tenant's application plane,
 * composed from what `osls package` produced for the application services (products, orders) and
 * the platform's authorizer, user pool and app API. Pure: templates in, template out.
 *
 * What changes on the way (docs/tenant-stack.md):
 * - the platform's app API, authorizer, user pool and client are copied into the stack and every
 *   `Fn::ImportValue` of them becomes a `Ref` to the copy;
 * - every physical name that two tenants would share is derived from the `TenantId` parameter;
 * - function code comes from one shared artifact location (`ArtifactBucket`/`ArtifactPrefix`);
 * - tables are not sharded (the functions' `*_SHARDS` variables are 1);
 * - the services' own deployment bucket, default roles, deployments and exports are dropped; one
 *   deployment of the stack's API, a usage plan with the tier's numbers, an API key and its plan
 *   membership are added.
 *
 * Anything the builder does not know how to instantiate per tenant makes it throw, naming it.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { TENANT_ID_PATTERN } from '@tenantry/data';
import { relocateServerlessArtifacts, type Template } from '@tenantry/local-cloud';
import { type Tier, tierOf } from '@tenantry/tiers';
import { TenantTemplateError } from './errors.js';
import { MAX_SILO_TENANT_ID_LENGTH, TEMPLATE_OUTPUTS, TEMPLATE_PARAMETERS } from './names.js';
import {
  type CfnOutput,
  type CfnResource,
  type CfnTemplate,
  getAtt,
  intrinsicsOf,
  isRecord,
  mapValues,
  PSEUDO_PARAMETERS,
  ref,
  referencedIds,
  stringsOf,
  sub,
} from './template.js';

/** One application service's packaged template (`services/<service>/.serverless/…`). */
export interface ServiceTemplate {
  /** The service's folder name (`products`): artifact keys are `<service>/<zip>`. */
  service: string;
  template: CfnTemplate;
}

export interface BuildTenantTemplateInput {
  /** The stage the templates were packaged for (`dev`): their names carry it. */
  stage: string;
  /** The platform's packaged template: its authorizer, app API, pooled user pool are copied. */
  platform: CfnTemplate;
  /** The application services' packaged templates. */
  services: readonly ServiceTemplate[];
  /** Defaults to {@link MAX_SILO_TENANT_ID_LENGTH}; every derived name must fit for an id this long. */
  maxTenantIdLength?: number;
  /** Defaults to platinum. */
  tier?: Tier;
}

/** A function zip the stack reads: `<ArtifactPrefix>/<key>`, built from `services/<service>/.serverless/<file>`. */
export interface TenantArtifact {
  service: string;
  file: string;
  key: string;
}

export interface BuiltTenantTemplate {
  template: CfnTemplate;
  artifacts: TenantArtifact[];
}

const { tenantId: P_TENANT, artifactBucket: P_BUCKET, artifactPrefix: P_PREFIX } = TEMPLATE_PARAMETERS;
const P_CONCURRENCY = TEMPLATE_PARAMETERS.reservedConcurrency;
const NAME = `tenantry-\${${P_TENANT}}`;
const HAS_RESERVED_CONCURRENCY = 'HasReservedConcurrency';
/** Configures the platform authorizer's control-plane and operations settings, which a silo has none of. */
export const NOT_IN_SILO = 'none-in-silo';

/** Resource types an application service may have; anything else is refused by name. */
const SERVICE_TYPES = new Set([
  'AWS::ApiGateway::Deployment',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Resource',
  'AWS::DynamoDB::Table',
  'AWS::IAM::Role',
  'AWS::Lambda::Function',
  'AWS::Lambda::Permission',
  'AWS::Lambda::Version',
  'AWS::Logs::LogGroup',
  'AWS::S3::Bucket',
  'AWS::S3::BucketPolicy',
]);
/** osls outputs that mean nothing in a tenant stack. */
const DROPPED_OUTPUTS = new Set(['ServerlessDeploymentBucketName', 'ServiceEndpoint']);

/** Platform resources copied into the tenant stack, by their new logical id. */
const PLATFORM_COPIES: Record<string, string> = {
  AppApi: 'Api',
  AppAuthorizer: 'Authorizer',
  AppDefault4xx: 'ApiDefault4xx',
  AppDefault5xx: 'ApiDefault5xx',
  AuthorizerLambdaFunction: 'AuthorizerLambdaFunction',
  AuthorizerIamRoleLambdaExecution: 'AuthorizerIamRoleLambdaExecution',
  AuthorizerLogGroup: 'AuthorizerLogGroup',
  AuthorizerInvokePermission: 'AuthorizerInvokePermission',
  PooledUserPool: 'UserPool',
  PooledUserPoolClient: 'UserPoolClient',
};
/** Platform resources the silo authorizer must not see: references to them are removed from IAM lists. */
const PLATFORM_ONLY = new Set(['ControlPlaneApi', 'OperationsUserPool', 'OperationsUserPoolClient']);
/** The shared tenant registry: the silo authorizer reads the tenant's status, tier and API key there. */
const TENANT_REGISTRY = 'TenantTable';

/** Physical-name properties per type, with AWS's length limit. */
const NAME_PROPERTIES: Record<string, { property: string; limit: number }[]> = {
  'AWS::Lambda::Function': [{ property: 'FunctionName', limit: 64 }],
  'AWS::IAM::Role': [{ property: 'RoleName', limit: 64 }],
  'AWS::IAM::ManagedPolicy': [{ property: 'ManagedPolicyName', limit: 128 }],
  'AWS::DynamoDB::Table': [{ property: 'TableName', limit: 255 }],
  'AWS::Logs::LogGroup': [{ property: 'LogGroupName', limit: 512 }],
  'AWS::Cognito::UserPool': [{ property: 'UserPoolName', limit: 128 }],
  'AWS::Cognito::UserPoolClient': [{ property: 'ClientName', limit: 128 }],
  'AWS::ApiGateway::RestApi': [{ property: 'Name', limit: 1024 }],
  'AWS::ApiGateway::ApiKey': [{ property: 'Name', limit: 1024 }],
  'AWS::ApiGateway::UsagePlan': [{ property: 'UsagePlanName', limit: 1024 }],
};

/** Collects problems so that one build names every offender at once. */
class Problems {
  readonly list: string[] = [];
  add(message: string): void {
    this.list.push(message);
  }
  throwIfAny(what: string): void {
    if (this.list.length > 0) throw new TenantTemplateError(`${what}:\n- ${this.list.join('\n- ')}`);
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Rewrites old physical names (plain strings, Fn::Sub texts, Fn::Join parts) to their per-tenant form. */
function renamer(renames: ReadonlyMap<string, string>): (value: unknown) => unknown {
  if (renames.size === 0) return (value) => value;
  const names = [...renames.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(`(?<![A-Za-z0-9_-])(?:${names.join('|')})(?![A-Za-z0-9_-])`, 'g');
  const inText = (text: string) => text.replace(pattern, (name) => renames.get(name) as string);
  const rewrite = (value: unknown): unknown =>
    mapValues(value, (item) => {
      if (typeof item === 'string') {
        pattern.lastIndex = 0;
        // A plain string becomes a Fn::Sub; `${` already in it must stay literal.
        return pattern.test(item) ? sub(inText(item.replaceAll('${', '${!'))) : item;
      }
      if (isRecord(item) && Object.keys(item).length === 1 && 'Fn::Sub' in item) {
        const arg = item['Fn::Sub'];
        if (typeof arg === 'string') return sub(inText(arg));
        if (Array.isArray(arg) && typeof arg[0] === 'string')
          return { 'Fn::Sub': [inText(arg[0]), rewrite(arg[1])] };
      }
      return undefined;
    });
  return rewrite;
}

/** Renames logical ids in Ref, Fn::GetAtt, Fn::Sub and DependsOn. */
function renameLogicalIds(value: unknown, ids: ReadonlyMap<string, string>): unknown {
  const to = (id: string) => ids.get(id) ?? id;
  return mapValues(value, (item) => {
    if (!isRecord(item) || Object.keys(item).length !== 1) return undefined;
    if (typeof item.Ref === 'string') return ref(to(item.Ref));
    const getAttArg = item['Fn::GetAtt'];
    if (Array.isArray(getAttArg) && typeof getAttArg[0] === 'string')
      return { 'Fn::GetAtt': [to(getAttArg[0]), ...getAttArg.slice(1)] };
    if (typeof getAttArg === 'string') {
      const [id, ...rest] = getAttArg.split('.');
      return { 'Fn::GetAtt': [to(id as string), rest.join('.')] };
    }
    const subArg = item['Fn::Sub'];
    const renameText = (text: string) =>
      text.replace(/\$\{([^!}][^}.]*)(\.[^}]*)?\}/g, (_m, id: string, attr = '') => `\${${to(id)}${attr}}`);
    if (typeof subArg === 'string') return sub(renameText(subArg));
    if (Array.isArray(subArg) && typeof subArg[0] === 'string')
      return { 'Fn::Sub': [renameText(subArg[0]), renameLogicalIds(subArg[1], ids)] };
    return undefined;
  });
}

const dependsOnList = (resource: CfnResource) =>
  resource.DependsOn === undefined ? [] : [resource.DependsOn].flat();

function withDependsOn(resource: CfnResource, ids: readonly string[]): CfnResource {
  const { DependsOn: _old, ...rest } = resource;
  return ids.length > 0 ? { ...rest, DependsOn: [...ids] } : rest;
}

/** Input checks shared by every packaged template. */
function checkTemplateShape(template: CfnTemplate, source: string, problems: Problems): void {
  for (const section of ['Parameters', 'Mappings', 'Conditions', 'Transform'] as const) {
    const value = template[section];
    if (value !== undefined && !(isRecord(value) && Object.keys(value).length === 0))
      problems.add(`${source}: ${section} (a packaged template is expected to have none)`);
  }
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Condition !== undefined) problems.add(`${source} Resources.${logicalId}: Condition`);
  }
}

interface Composition {
  resources: Record<string, CfnResource>;
  outputs: Record<string, CfnOutput>;
  artifacts: TenantArtifact[];
  /** old physical name → per-tenant name (an Fn::Sub text) */
  renames: Map<string, string>;
  /** logical ids of every API method, for the one deployment of the stack's API */
  methods: string[];
  problems: Problems;
}

function add(composition: Composition, logicalId: string, resource: CfnResource, source: string): void {
  if (logicalId in composition.resources)
    composition.problems.add(`${source} Resources.${logicalId}: logical id also used by another service`);
  composition.resources[logicalId] = resource;
}

/** Resolves `Fn::ImportValue` names to what replaces them in the tenant stack (undefined: unsupported). */
type ImportResolver = (name: unknown) => unknown;

/**
 * Imports the tenant stack can satisfy itself: the platform's app API and authorizer (the stack has
 * its own) and the exports of the services composed into it (the exporting resource is in the stack).
 */
function importResolver(stage: string, services: readonly ServiceTemplate[]): ImportResolver {
  const imports = new Map<string, unknown>([
    [`tenantry-platform-${stage}-AppApiId`, ref('Api')],
    [`tenantry-platform-${stage}-AppApiRootResourceId`, getAtt('Api', 'RootResourceId')],
    [`tenantry-platform-${stage}-AppAuthorizerId`, ref('Authorizer')],
  ]);
  for (const { template } of services) {
    for (const output of Object.values(template.Outputs ?? {})) {
      const name = output.Export?.Name;
      const chained = [...intrinsicsOf(output.Value, '')].some(([, key]) => key === 'Fn::ImportValue');
      if (typeof name === 'string' && !chained) imports.set(name, output.Value);
    }
  }
  return (name) => (typeof name === 'string' ? structuredClone(imports.get(name)) : undefined);
}

function addService(
  composition: Composition,
  input: ServiceTemplate,
  stage: string,
  resolveImport: ImportResolver,
): void {
  const { problems } = composition;
  const source = `services/${input.service}`;
  checkTemplateShape(input.template, source, problems);
  for (const [logicalId, resource] of Object.entries(input.template.Resources)) {
    if (!SERVICE_TYPES.has(resource.Type))
      problems.add(`${source} Resources.${logicalId}: unsupported resource type ${resource.Type}`);
  }
  for (const [path, key, arg] of intrinsicsOf(input.template, source)) {
    if (key === 'Fn::ImportValue' && resolveImport(arg) === undefined)
      problems.add(
        `${path}: Fn::ImportValue ${JSON.stringify(arg)} (only the platform's app API and the composed services' exports can be replaced)`,
      );
    if (key === 'Fn::Transform') problems.add(`${path}: Fn::Transform`);
  }

  // The functions read their code from the shared artifact location, not from the service's bucket.
  const relocated = relocateServerlessArtifacts(input.template as Template, 'relocated')
    .template as CfnTemplate;
  const resources = relocated.Resources;
  const functionPrefix = `tenantry-${input.service}-${stage}-`;
  const referenced = new Set<string>();
  for (const resource of Object.values(resources)) {
    referencedIds(resource.Properties, referenced);
    for (const id of dependsOnList(resource)) referenced.add(id);
  }
  const dropped = new Set<string>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    // osls's default role (serverless-iam-roles-per-function gives each function its own) and the
    // per-service deployments: one deployment of the stack's API replaces them.
    if (logicalId === 'IamRoleLambdaExecution' && !referenced.has(logicalId)) dropped.add(logicalId);
    if (resource.Type === 'AWS::ApiGateway::Deployment') dropped.add(logicalId);
  }

  for (const [logicalId, original] of Object.entries(resources)) {
    if (dropped.has(logicalId)) continue;
    const where = `${source} Resources.${logicalId}`;
    const properties = structuredClone(original.Properties ?? {});
    switch (original.Type) {
      case 'AWS::Lambda::Function': {
        const name = properties.FunctionName;
        if (typeof name !== 'string' || !name.startsWith(functionPrefix)) {
          problems.add(
            `${where}: FunctionName ${JSON.stringify(name)} is not of the form ${functionPrefix}<fn>`,
          );
          break;
        }
        const fn = name.slice(functionPrefix.length);
        composition.renames.set(name, `${NAME}-${fn}`);
        properties.FunctionName = sub(`${NAME}-${fn}`);
        const code = original.Properties?.Code;
        const key = isRecord(code) && typeof code.S3Key === 'string' ? code.S3Key : undefined;
        if (!key) {
          problems.add(`${where}: Code is not a packaged zip (S3Key)`);
          break;
        }
        const artifact = {
          service: input.service,
          file: basename(key),
          key: `${input.service}/${basename(key)}`,
        };
        if (!composition.artifacts.some((a) => a.key === artifact.key)) composition.artifacts.push(artifact);
        properties.Code = { S3Bucket: ref(P_BUCKET), S3Key: sub(`\${${P_PREFIX}}/${artifact.key}`) };
        properties.ReservedConcurrentExecutions = {
          'Fn::If': [HAS_RESERVED_CONCURRENCY, ref(P_CONCURRENCY), ref('AWS::NoValue')],
        };
        const variables = isRecord(properties.Environment) ? properties.Environment.Variables : undefined;
        if (isRecord(variables)) {
          // A silo's tables hold one tenant: no sharding (docs/tenant-isolation.md).
          for (const variable of Object.keys(variables))
            if (variable.endsWith('_SHARDS')) variables[variable] = '1';
        }
        break;
      }
      case 'AWS::IAM::Role': {
        if (properties.RoleName === undefined) break;
        const fnId = /^(.+)IamRoleLambdaExecution$/.exec(logicalId)?.[1];
        const fn = fnId ? resources[`${fnId}LambdaFunction`]?.Properties?.FunctionName : undefined;
        properties.RoleName =
          typeof fn === 'string' && fn.startsWith(functionPrefix)
            ? sub(`${NAME}-${fn.slice(functionPrefix.length)}`)
            : sub(`${NAME}-${input.service}-${logicalId}`);
        break;
      }
      case 'AWS::DynamoDB::Table': {
        const name = properties.TableName;
        if (name === undefined) break;
        const tablePrefix = `tenantry-${stage}-`;
        if (typeof name !== 'string' || !name.startsWith(tablePrefix)) {
          problems.add(
            `${where}: TableName ${JSON.stringify(name)} is not of the form ${tablePrefix}<table>`,
          );
          break;
        }
        const renamed = `${NAME}-${name.slice(tablePrefix.length)}`;
        composition.renames.set(name, renamed);
        properties.TableName = sub(renamed);
        break;
      }
      case 'AWS::S3::Bucket':
      case 'AWS::S3::BucketPolicy':
        problems.add(`${where}: ${original.Type} (only osls's deployment bucket is supported, and dropped)`);
        break;
      default:
        break;
    }
    const imported = mapValues(properties, (item) =>
      isRecord(item) && 'Fn::ImportValue' in item ? resolveImport(item['Fn::ImportValue']) : undefined,
    ) as Record<string, unknown>;
    if (original.Type === 'AWS::ApiGateway::Method') composition.methods.push(logicalId);
    const resource: CfnResource = { ...structuredClone(original), Properties: imported };
    add(
      composition,
      logicalId,
      withDependsOn(
        resource,
        dependsOnList(original).filter((id) => !dropped.has(id) && id in resources),
      ),
      source,
    );
  }

  for (const [name, output] of Object.entries(relocated.Outputs ?? {})) {
    if (DROPPED_OUTPUTS.has(name)) continue;
    const usesImport = [...intrinsicsOf(output.Value, name)].some(([, key]) => key === 'Fn::ImportValue');
    if (usesImport) problems.add(`${source} Outputs.${name}: Fn::ImportValue in an output`);
    if (name in composition.outputs)
      problems.add(`${source} Outputs.${name}: output also defined by another service`);
    // Silo stacks export nothing: an export name would collide between two tenants.
    const { Export: _export, ...kept } = output;
    composition.outputs[name] = structuredClone(kept);
  }
}

/** The platform's authorizer environment, configured to accept only the silo's pool on the silo's API. */
function siloAuthorizerVariables(variables: unknown, tenantTableName: string, problems: Problems): unknown {
  const configured: Record<string, unknown> = {
    APP_API_ID: ref('Api'),
    POOLED_USER_POOL_ID: ref('UserPool'),
    POOLED_CLIENT_ID: ref('UserPoolClient'),
    CONTROL_PLANE_API_ID: NOT_IN_SILO,
    OPERATIONS_USER_POOL_ID: NOT_IN_SILO,
    OPERATIONS_CLIENT_ID: NOT_IN_SILO,
    TENANT_TABLE_NAME: tenantTableName,
  };
  if (!isRecord(variables)) {
    problems.add('services/platform Resources.AuthorizerLambdaFunction: no Environment.Variables');
    return variables;
  }
  for (const required of ['APP_API_ID', 'POOLED_USER_POOL_ID', 'POOLED_CLIENT_ID']) {
    if (!(required in variables))
      problems.add(
        `services/platform Resources.AuthorizerLambdaFunction: environment variable ${required} is gone; the silo configuration needs it`,
      );
  }
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(variables)) {
    if (name in configured) result[name] = configured[name];
    else if (typeof value === 'string') result[name] = value;
    else
      problems.add(
        `services/platform Resources.AuthorizerLambdaFunction: environment variable ${name} refers to the platform stack; the builder does not know its silo value`,
      );
  }
  return result;
}

const REMOVED = Symbol('removed');

function addPlatform(composition: Composition, platform: CfnTemplate, stage: string): string {
  const { problems } = composition;
  const source = 'services/platform';
  checkTemplateShape(platform, source, problems);
  const registry = platform.Resources[TENANT_REGISTRY]?.Properties?.TableName;
  if (typeof registry !== 'string') {
    problems.add(`${source} Resources.${TENANT_REGISTRY}: TableName must be a plain string`);
    return '';
  }
  const ids = new Map(Object.entries(PLATFORM_COPIES));
  const registryArn = sub(
    `arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/${registry}`,
  );
  const functionName = platform.Resources.AuthorizerLambdaFunction?.Properties?.FunctionName;
  const authorizerPrefix = `tenantry-platform-${stage}-`;
  if (typeof functionName === 'string' && functionName.startsWith(authorizerPrefix))
    composition.renames.set(functionName, `${NAME}-${functionName.slice(authorizerPrefix.length)}`);
  else
    problems.add(
      `${source} Resources.AuthorizerLambdaFunction: FunctionName ${JSON.stringify(functionName)} is not of the form ${authorizerPrefix}<fn>`,
    );

  for (const [oldId, newId] of ids) {
    const original = platform.Resources[oldId];
    if (!original) {
      problems.add(`${source}: Resources.${oldId} is missing (the tenant stack copies it)`);
      continue;
    }
    // References to the registry become its fixed name; to control-plane-only resources, nothing.
    let properties = mapValues(structuredClone(original.Properties ?? {}), (item) => {
      if (!isRecord(item) || Object.keys(item).length !== 1) return undefined;
      const target = item.Ref ?? (Array.isArray(item['Fn::GetAtt']) ? item['Fn::GetAtt'][0] : undefined);
      if (target === TENANT_REGISTRY) return 'Ref' in item ? registry : registryArn;
      if (typeof target === 'string' && PLATFORM_ONLY.has(target)) return REMOVED;
      return undefined;
    });
    properties = mapValues(properties, (item) =>
      Array.isArray(item) && item.includes(REMOVED) ? item.filter((entry) => entry !== REMOVED) : undefined,
    );
    let resource: CfnResource = {
      ...structuredClone(original),
      Properties: renameLogicalIds(properties, ids) as Record<string, unknown>,
    };
    const props = resource.Properties as Record<string, unknown>;
    switch (newId) {
      case 'Api':
        props.Name = sub(`${NAME}-app`);
        props.ApiKeySourceType = 'AUTHORIZER';
        break;
      case 'UserPool':
        props.UserPoolName = sub(NAME);
        break;
      case 'UserPoolClient':
        props.ClientName = sub(NAME);
        break;
      case 'AuthorizerLambdaFunction': {
        props.FunctionName = sub(`${NAME}-authorizer`);
        props.Code = { S3Bucket: ref(P_BUCKET), S3Key: sub(`\${${P_PREFIX}}/platform/authorizer.zip`) };
        props.ReservedConcurrentExecutions = {
          'Fn::If': [HAS_RESERVED_CONCURRENCY, ref(P_CONCURRENCY), ref('AWS::NoValue')],
        };
        const environment = isRecord(props.Environment) ? props.Environment : {};
        props.Environment = {
          ...environment,
          Variables: siloAuthorizerVariables(environment.Variables, registry, problems),
        };
        const code = original.Properties?.Code;
        const key = isRecord(code) && typeof code.S3Key === 'string' ? code.S3Key : 'authorizer.zip';
        composition.artifacts.push({
          service: 'platform',
          file: basename(key),
          key: 'platform/authorizer.zip',
        });
        break;
      }
      case 'AuthorizerIamRoleLambdaExecution':
        props.RoleName = sub(`${NAME}-authorizer`);
        // Statements left without a resource (they only covered control-plane resources) go.
        resource = {
          ...resource,
          Properties: mapValues(props, (item) =>
            Array.isArray(item) &&
            item.some((s) => isRecord(s) && Array.isArray(s.Resource) && s.Resource.length === 0)
              ? item.filter((s) => !(isRecord(s) && Array.isArray(s.Resource) && s.Resource.length === 0))
              : undefined,
          ) as Record<string, unknown>,
        };
        break;
      case 'AuthorizerInvokePermission':
        // Only this stack's API may call this stack's authorizer.
        props.SourceArn = sub(
          'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/authorizers/*',
        );
        break;
      default:
        break;
    }
    if (
      JSON.stringify(resource.Properties, (_k, v) => (v === REMOVED ? '__removed__' : v)).includes(
        '__removed__',
      )
    )
      problems.add(`${source} Resources.${oldId}: refers to a control-plane resource outside a list`);
    add(
      composition,
      newId,
      withDependsOn(
        resource,
        dependsOnList(original)
          .filter((id) => ids.has(id))
          .map((id) => ids.get(id) as string),
      ),
      source,
    );
  }
  return registry;
}

/** Every name property must carry the tenant id and fit AWS's limit for the longest tenant id. */
function checkNames(
  resources: Record<string, CfnResource>,
  maxTenantIdLength: number,
  problems: Problems,
): void {
  const longest = 'x'.repeat(maxTenantIdLength);
  const seen = new Map<string, string>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    for (const { property, limit } of NAME_PROPERTIES[resource.Type] ?? []) {
      const value = resource.Properties?.[property];
      if (value === undefined) continue;
      const where = `Resources.${logicalId}.Properties.${property}`;
      const text = isRecord(value) && typeof value['Fn::Sub'] === 'string' ? value['Fn::Sub'] : undefined;
      if (!text?.includes(`\${${P_TENANT}}`)) {
        problems.add(`${where}: ${JSON.stringify(value)} is not derived from ${P_TENANT}`);
        continue;
      }
      const others = [...text.matchAll(/\$\{([^!}][^}]*)\}/g)].filter((m) => m[1] !== P_TENANT);
      if (others.length > 0) {
        problems.add(`${where}: ${text} depends on more than ${P_TENANT}`);
        continue;
      }
      const name = text.replaceAll(`\${${P_TENANT}}`, longest);
      if (name.length > limit)
        problems.add(
          `${where} (${resource.Type}): ${text} is ${name.length} characters for a ${maxTenantIdLength}-character tenant id (limit ${limit})`,
        );
      const key = `${resource.Type}|${text}`;
      const other = seen.get(key);
      if (other) problems.add(`${where}: ${text} is also the name of Resources.${other}`);
      seen.set(key, logicalId);
    }
  }
}

/** Names that still carry the stage of a packaged service would be shared by every tenant stack. */
function checkLeftovers(
  template: CfnTemplate,
  stage: string,
  services: readonly string[],
  shared: string,
  problems: Problems,
) {
  const markers = [`tenantry-${stage}-`, ...['platform', ...services].map((s) => `tenantry-${s}-${stage}-`)];
  for (const [path, text] of stringsOf(template.Resources, 'Resources')) {
    const bare = text.replaceAll(shared, '');
    const marker = markers.find((m) => bare.includes(m));
    if (marker) problems.add(`${path}: ${JSON.stringify(text)} is a name of the packaged stage (${marker}…)`);
  }
}

/** Every Ref, Fn::GetAtt, Fn::Sub variable and DependsOn must name something in the template. */
function checkReferences(template: CfnTemplate, problems: Problems): void {
  const known = new Set([...Object.keys(template.Resources), ...Object.keys(template.Parameters ?? {})]);
  const check = (value: unknown, where: string) => {
    for (const id of referencedIds(value)) {
      if (!known.has(id) && !PSEUDO_PARAMETERS.has(id))
        problems.add(`${where}: refers to ${id}, which is not in the tenant template`);
    }
  };
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    check(resource.Properties, `Resources.${logicalId}`);
    for (const id of dependsOnList(resource))
      if (!(id in template.Resources))
        problems.add(`Resources.${logicalId}: DependsOn ${id}, which is not in the tenant template`);
  }
  for (const [name, output] of Object.entries(template.Outputs ?? {})) check(output.Value, `Outputs.${name}`);
  for (const [path, key] of intrinsicsOf(template, 'template')) {
    if (key === 'Fn::ImportValue') problems.add(`${path}: Fn::ImportValue left in the tenant template`);
  }
}

/**
 * Builds the tenant template from the packaged templates.
 *
 * @example
 * ```ts
 * const { template, artifacts } = buildTenantTemplate({
 *   stage: 'dev',
 *   platform: readJson('services/platform/.serverless/cloudformation-template-update-stack.json'),
 *   services: [{ service: 'products', template: products }, { service: 'orders', template: orders }],
 * });
 * // upload each artifact's zip to `${prefix}/${artifact.key}`, the template beside them
 * ```
 */
export function buildTenantTemplate(input: BuildTenantTemplateInput): BuiltTenantTemplate {
  const { stage } = input;
  const tier = input.tier ?? tierOf('platinum');
  const maxTenantIdLength = input.maxTenantIdLength ?? MAX_SILO_TENANT_ID_LENGTH;
  const problems = new Problems();
  const composition: Composition = {
    resources: {},
    outputs: {},
    artifacts: [],
    renames: new Map(),
    methods: [],
    problems,
  };
  const registry = addPlatform(composition, input.platform, stage);
  const resolveImport = importResolver(stage, input.services);
  for (const service of input.services) addService(composition, service, stage, resolveImport);
  problems.throwIfAny('the packaged templates cannot be instantiated per tenant');

  // Old physical names in ARNs, log group names and policies follow their resources.
  const rename = renamer(composition.renames);
  const resources: Record<string, CfnResource> = {};
  for (const [logicalId, resource] of Object.entries(composition.resources)) {
    const properties = rename(resource.Properties) as Record<string, unknown>;
    // A DependsOn that a Ref or Fn::GetAtt already implies is noise (cfn-lint W3005).
    const implied = referencedIds(properties);
    const dependsOn = dependsOnList(resource).filter((id) => !implied.has(id));
    resources[logicalId] = withDependsOn({ ...resource, Properties: properties }, dependsOn);
  }

  // One deployment of the stack's API, named after its methods so that a changed API is redeployed.
  const methods = [...composition.methods].sort();
  const apiShape = createHash('sha256')
    .update(JSON.stringify(methods.map((id) => [id, resources[id]])))
    .update(
      JSON.stringify(Object.entries(resources).filter(([, r]) => r.Type === 'AWS::ApiGateway::Resource')),
    )
    .digest('hex')
    .slice(0, 12);
  const deployment = `ApiDeployment${apiShape}`;
  resources[deployment] = {
    Type: 'AWS::ApiGateway::Deployment',
    DependsOn: methods,
    Properties: { RestApiId: ref('Api'), StageName: stage, Description: 'Tenantry tenant stack' },
  };
  resources.UsagePlan = {
    Type: 'AWS::ApiGateway::UsagePlan',
    DependsOn: [deployment],
    Properties: {
      UsagePlanName: sub(`${NAME}-${tier.name}`),
      Description: `The ${tier.name} tier's limits for this tenant's own API`,
      ApiStages: [{ ApiId: ref('Api'), Stage: stage }],
      Throttle: { RateLimit: tier.rateLimit, BurstLimit: tier.burstLimit },
      Quota: { Limit: tier.quota.limit, Period: tier.quota.period },
    },
  };
  resources.ApiKey = {
    Type: 'AWS::ApiGateway::ApiKey',
    Properties: {
      Name: sub(NAME),
      Description: 'Returned by the authorizer as usageIdentifierKey (value kept on the tenant record)',
      Enabled: true,
    },
  };
  resources.UsagePlanKey = {
    Type: 'AWS::ApiGateway::UsagePlanKey',
    Properties: { KeyId: ref('ApiKey'), KeyType: 'API_KEY', UsagePlanId: ref('UsagePlan') },
  };

  const template: CfnTemplate = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `Tenantry tenant stack (stage ${stage}): a ${tier.name} tenant's own API, authorizer, user pool, functions and tables`,
    Parameters: {
      [P_TENANT]: {
        Type: 'String',
        Description: 'The tenant id: every physical name of the stack is derived from it',
        AllowedPattern: TENANT_ID_PATTERN.source.replace(/^\^/, '').replace(/\$$/, ''),
        MinLength: 1,
        MaxLength: maxTenantIdLength,
        ConstraintDescription: 'a Tenantry tenant id (lowercase letters, digits, hyphens)',
      },
      [P_BUCKET]: {
        Type: 'String',
        Description: 'The bucket holding the released function zips',
        MinLength: 3,
      },
      [P_PREFIX]: {
        Type: 'String',
        Description: 'The release folder in the bucket (releases/<hash>)',
        AllowedPattern: '[A-Za-z0-9._/-]+',
      },
      [P_CONCURRENCY]: {
        Type: 'Number',
        Description: 'Reserved concurrency of each function; 0 reserves none (accounts with low limits)',
        Default: 0,
        MinValue: 0,
      },
    },
    Conditions: {
      [HAS_RESERVED_CONCURRENCY]: { 'Fn::Not': [{ 'Fn::Equals': [ref(P_CONCURRENCY), '0'] }] },
    },
    Resources: resources,
    Outputs: {
      [TEMPLATE_OUTPUTS.apiUrl]: {
        Description: 'The API on AWS; locally build it from ApiId and Stage',
        Value: sub(`https://\${Api}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}/${stage}`),
      },
      [TEMPLATE_OUTPUTS.apiId]: { Value: ref('Api') },
      [TEMPLATE_OUTPUTS.stage]: { Value: stage },
      [TEMPLATE_OUTPUTS.userPoolId]: { Value: ref('UserPool') },
      [TEMPLATE_OUTPUTS.userPoolClientId]: { Value: ref('UserPoolClient') },
      [TEMPLATE_OUTPUTS.apiKeyId]: {
        Description: 'Read its value with GetApiKey includeValue and keep it on the tenant record',
        Value: ref('ApiKey'),
      },
      ...composition.outputs,
    },
  };
  for (const name of Object.keys(composition.outputs))
    if (Object.values(TEMPLATE_OUTPUTS).includes(name as never))
      problems.add(`Outputs.${name}: reserved for the tenant stack`);
  if (Object.keys(template.Outputs ?? {}).length > 200) problems.add('more than 200 outputs');

  checkNames(resources, maxTenantIdLength, problems);
  checkLeftovers(
    template,
    stage,
    input.services.map((s) => s.service),
    registry,
    problems,
  );
  checkReferences(template, problems);
  if (Object.keys(resources).length > 500)
    problems.add(`${Object.keys(resources).length} resources (limit 500)`);
  problems.throwIfAny('the tenant template is not valid');
  return { template, artifacts: composition.artifacts };
}
