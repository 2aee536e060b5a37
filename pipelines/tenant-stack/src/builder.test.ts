import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TENANT_ID_PATTERN } from '@tenantry/data';
import { tierOf } from '@tenantry/tiers';
import { describe, expect, it } from 'vitest';
import { type BuildTenantTemplateInput, buildTenantTemplate, NOT_IN_SILO } from './builder.js';
import { TenantTemplateError } from './errors.js';
import { platformTemplate, widgetsTemplate } from './fixtures.js';
import { readPackagedServices } from './packaged.js';
import { type CfnResource, type CfnTemplate, isRecord, stringsOf } from './template.js';

const input = (overrides: Partial<BuildTenantTemplateInput> = {}): BuildTenantTemplateInput => ({
  stage: 'dev',
  platform: platformTemplate(),
  services: [{ service: 'widgets', template: widgetsTemplate() }],
  ...overrides,
});
const build = (overrides: Partial<BuildTenantTemplateInput> = {}) =>
  buildTenantTemplate(input(overrides)).template;
const resource = (template: CfnTemplate, id: string) => template.Resources[id] as CfnResource;
const props = (template: CfnTemplate, id: string) =>
  resource(template, id).Properties as Record<string, unknown>;
function variablesOf(template: CfnTemplate, id: string): Record<string, unknown> {
  const environment = template.Resources[id]?.Properties?.Environment;
  if (!isRecord(environment) || !isRecord(environment.Variables)) throw new Error(`${id} has no variables`);
  return environment.Variables;
}
const ofType = (template: CfnTemplate, type: string) =>
  Object.entries(template.Resources).filter(([, r]) => r.Type === type);

/** The template's physical names for one tenant id, as CloudFormation would resolve Fn::Sub of TenantId. */
function physicalNames(template: CfnTemplate, tenantId: string): string[] {
  const names: string[] = [];
  for (const r of Object.values(template.Resources)) {
    for (const key of [
      'FunctionName',
      'RoleName',
      'TableName',
      'LogGroupName',
      'UserPoolName',
      'ClientName',
      'UsagePlanName',
      'Name',
    ]) {
      const value = r.Properties?.[key];
      if (r.Type === 'AWS::ApiGateway::Authorizer') continue; // names are per API
      if (isRecord(value) && typeof value['Fn::Sub'] === 'string')
        names.push(`${r.Type}|${value['Fn::Sub'].replaceAll('${TenantId}', tenantId)}`);
      else if (typeof value === 'string') names.push(`${r.Type}|${value}`);
    }
  }
  return names;
}

describe('buildTenantTemplate', () => {
  it('derives every physical name from TenantId, so two tenants share none', () => {
    const template = build();
    const alpha = physicalNames(template, 'alpha');
    const beta = physicalNames(template, 'beta');
    expect(alpha.length).toBeGreaterThanOrEqual(10);
    expect(alpha.filter((name) => beta.includes(name))).toEqual([]);
    expect(props(template, 'ListWidgetsLambdaFunction').FunctionName).toEqual({
      'Fn::Sub': 'tenantry-${TenantId}-listWidgets',
    });
    expect(props(template, 'ListWidgetsIamRoleLambdaExecution').RoleName).toEqual({
      'Fn::Sub': 'tenantry-${TenantId}-listWidgets',
    });
    expect(props(template, 'WidgetTable').TableName).toEqual({ 'Fn::Sub': 'tenantry-${TenantId}-widgets' });
    expect(props(template, 'ListWidgetsLogGroup').LogGroupName).toEqual({
      'Fn::Sub': '/aws/lambda/tenantry-${TenantId}-listWidgets',
    });
    expect(props(template, 'UserPool').UserPoolName).toEqual({ 'Fn::Sub': 'tenantry-${TenantId}' });
    expect(props(template, 'Api').Name).toEqual({ 'Fn::Sub': 'tenantry-${TenantId}-app' });
    // ARNs in policies follow the renamed function.
    expect(JSON.stringify(props(template, 'ListWidgetsIamRoleLambdaExecution').Policies)).toContain(
      'log-group:/aws/lambda/tenantry-${TenantId}-listWidgets:*:*',
    );
  });

  it('leaves no name of the packaged stage and no import or export', () => {
    const template = build();
    const text = JSON.stringify(template);
    expect(text).not.toContain('Fn::ImportValue');
    expect(text).not.toContain('"Export"');
    for (const [path, value] of stringsOf(template.Resources, 'Resources')) {
      if (value === 'tenantry-dev-tenants' || value.includes('table/tenantry-dev-tenants')) continue; // the shared registry
      expect(`${path} ${value}`).not.toMatch(/tenantry-(widgets|platform)-dev-|tenantry-dev-/);
    }
    expect(template.Resources.ServerlessDeploymentBucket).toBeUndefined();
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
    expect(template.Resources.ControlPlaneApi).toBeUndefined();
    expect(template.Resources.OperationsUserPool).toBeUndefined();
  });

  it("attaches the services' routes to the stack's own API and authorizer", () => {
    const template = build();
    expect(props(template, 'Api')).toMatchObject({ ApiKeySourceType: 'AUTHORIZER' });
    expect(props(template, 'ApiGatewayResourceWidgets')).toMatchObject({
      RestApiId: { Ref: 'Api' },
      ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
    });
    expect(props(template, 'ApiGatewayMethodWidgetsGet')).toMatchObject({
      RestApiId: { Ref: 'Api' },
      AuthorizerId: { Ref: 'Authorizer' },
      ApiKeyRequired: true,
    });
    expect(props(template, 'Authorizer')).toMatchObject({ RestApiId: { Ref: 'Api' }, Type: 'REQUEST' });
    expect(props(template, 'AuthorizerInvokePermission').SourceArn).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/authorizers/*',
    });
    const deployments = ofType(template, 'AWS::ApiGateway::Deployment');
    expect(deployments).toHaveLength(1);
    expect(deployments[0]?.[1]).toMatchObject({
      DependsOn: ['ApiGatewayMethodWidgetsGet'],
      Properties: { RestApiId: { Ref: 'Api' }, StageName: 'dev' },
    });
  });

  it('names a new deployment when the API changes, and the same one when it does not', () => {
    const id = (template: CfnTemplate) => ofType(template, 'AWS::ApiGateway::Deployment')[0]?.[0];
    const changed = widgetsTemplate();
    (changed.Resources.ApiGatewayResourceWidgets?.Properties as Record<string, unknown>).PathPart = 'gadgets';
    expect(id(build())).toBe(id(build()));
    expect(id(build({ services: [{ service: 'widgets', template: changed }] }))).not.toBe(id(build()));
  });

  it('configures the platform authorizer to accept only its own pool and client on its own API', () => {
    const template = build();
    const fn = props(template, 'AuthorizerLambdaFunction');
    expect(variablesOf(template, 'AuthorizerLambdaFunction')).toEqual({
      STAGE: 'dev',
      APP_API_ID: { Ref: 'Api' },
      POOLED_USER_POOL_ID: { Ref: 'UserPool' },
      POOLED_CLIENT_ID: { Ref: 'UserPoolClient' },
      CONTROL_PLANE_API_ID: NOT_IN_SILO,
      OPERATIONS_USER_POOL_ID: NOT_IN_SILO,
      OPERATIONS_CLIENT_ID: NOT_IN_SILO,
      TENANT_TABLE_NAME: 'tenantry-dev-tenants',
    });
    expect(fn.Code).toEqual({
      S3Bucket: { Ref: 'ArtifactBucket' },
      S3Key: { 'Fn::Sub': '${ArtifactPrefix}/platform/authorizer.zip' },
    });
    const policies = JSON.stringify(props(template, 'AuthorizerIamRoleLambdaExecution').Policies);
    expect(policies).toContain('"Fn::GetAtt":["UserPool","Arn"]');
    expect(policies).toContain(':table/tenantry-dev-tenants');
    expect(policies).not.toContain('Operations');
    expect(props(template, 'UserPoolClient').UserPoolId).toEqual({ Ref: 'UserPool' });
    expect(props(template, 'UserPool').Schema).toEqual(
      platformTemplate().Resources.PooledUserPool?.Properties?.Schema,
    );
  });

  it('refuses an authorizer variable it does not know the silo value of, naming it', () => {
    const platform = platformTemplate();
    const variables = variablesOf(platform, 'AuthorizerLambdaFunction');
    variables.BILLING_TABLE = { 'Fn::GetAtt': ['BillingTable', 'Arn'] };
    expect(() => build({ platform })).toThrow(
      /environment variable BILLING_TABLE refers to the platform stack/,
    );
  });

  it('turns sharding off: every *_SHARDS variable is 1', () => {
    const template = build();
    expect(variablesOf(template, 'ListWidgetsLambdaFunction').WIDGET_TABLE_SHARDS).toBe('1');
  });

  it('reads function code from the one shared artifact location', () => {
    const { template, artifacts } = buildTenantTemplate(input());
    expect(props(template, 'ListWidgetsLambdaFunction').Code).toEqual({
      S3Bucket: { Ref: 'ArtifactBucket' },
      S3Key: { 'Fn::Sub': '${ArtifactPrefix}/widgets/listWidgets.zip' },
    });
    expect(artifacts).toEqual([
      { service: 'platform', file: 'authorizer.zip', key: 'platform/authorizer.zip' },
      { service: 'widgets', file: 'listWidgets.zip', key: 'widgets/listWidgets.zip' },
    ]);
  });

  it('reserves concurrency only when ReservedConcurrency is not 0', () => {
    const template = build();
    expect(template.Parameters?.ReservedConcurrency).toMatchObject({
      Type: 'Number',
      Default: 0,
      MinValue: 0,
    });
    expect(template.Conditions?.HasReservedConcurrency).toEqual({
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'ReservedConcurrency' }, '0'] }],
    });
    for (const [id] of ofType(template, 'AWS::Lambda::Function')) {
      expect(props(template, id).ReservedConcurrentExecutions).toEqual({
        'Fn::If': ['HasReservedConcurrency', { Ref: 'ReservedConcurrency' }, { Ref: 'AWS::NoValue' }],
      });
    }
  });

  it('takes the tenant id rule of the data layer, capped so that every name fits', () => {
    const parameter = build().Parameters?.TenantId;
    expect(parameter).toMatchObject({ Type: 'String', MinLength: 1, MaxLength: 36 });
    expect(new RegExp(`^${parameter?.AllowedPattern}$`).source).toBe(TENANT_ID_PATTERN.source);
  });

  it('fails the build naming a name that does not fit for the longest tenant id', () => {
    const widgets = JSON.parse(
      JSON.stringify(widgetsTemplate()).replaceAll('dev-listWidgets', 'dev-listWidgetsOfTheLongName'),
    ) as CfnTemplate;
    expect(() => build({ services: [{ service: 'widgets', template: widgets }] })).toThrow(
      /Resources\.ListWidgetsLambdaFunction\.Properties\.FunctionName \(AWS::Lambda::Function\): tenantry-\$\{TenantId\}-listWidgetsOfTheLongName is 70 characters for a 36-character tenant id \(limit 64\)/,
    );
    expect(() => build({ maxTenantIdLength: 63 })).toThrow(
      /ListWidgetsIamRoleLambdaExecution\.Properties\.RoleName/,
    );
  });

  it('names unsupported constructs of the input templates', () => {
    const widgets = widgetsTemplate();
    widgets.Resources.Queue = { Type: 'AWS::SQS::Queue', Properties: {} };
    (widgets.Resources.WidgetTable?.Properties as Record<string, unknown>).StreamSpecification = {
      StreamViewType: { 'Fn::ImportValue': 'tenantry-billing-dev-StreamViewType' },
    };
    widgets.Conditions = { IsProd: { 'Fn::Equals': ['dev', 'prod'] } };
    let error: unknown;
    try {
      build({ services: [{ service: 'widgets', template: widgets }] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TenantTemplateError);
    const message = (error as Error).message;
    expect(message).toContain('services/widgets Resources.Queue: unsupported resource type AWS::SQS::Queue');
    expect(message).toContain('Fn::ImportValue "tenantry-billing-dev-StreamViewType"');
    expect(message).toContain('services/widgets: Conditions');
  });

  it('refuses a table whose name is not of the stage form', () => {
    const widgets = widgetsTemplate();
    (widgets.Resources.WidgetTable?.Properties as Record<string, unknown>).TableName = 'widgets';
    expect(() => build({ services: [{ service: 'widgets', template: widgets }] })).toThrow(
      /Resources\.WidgetTable: TableName "widgets" is not of the form tenantry-dev-<table>/,
    );
  });

  it("resolves one composed service's import of another's export inside the stack", () => {
    const gadgets = widgetsTemplate();
    const rename = JSON.stringify(gadgets)
      .replaceAll('Widgets', 'Gadgets')
      .replaceAll('widgets', 'gadgets')
      .replaceAll('Widget', 'Gadget')
      .replaceAll('WIDGET', 'GADGET');
    const parsed = JSON.parse(rename) as CfnTemplate;
    const variables = variablesOf(parsed, 'ListGadgetsLambdaFunction');
    variables.WIDGET_TABLE_NAME = { 'Fn::ImportValue': 'tenantry-widgets-dev-WidgetTableName' };
    const template = build({
      services: [
        { service: 'widgets', template: widgetsTemplate() },
        { service: 'gadgets', template: parsed },
      ],
    });
    expect(variablesOf(template, 'ListGadgetsLambdaFunction').WIDGET_TABLE_NAME).toEqual({
      Ref: 'WidgetTable',
    });
    expect(ofType(template, 'AWS::ApiGateway::Deployment')[0]?.[1].DependsOn).toEqual([
      'ApiGatewayMethodGadgetsGet',
      'ApiGatewayMethodWidgetsGet',
    ]);
  });

  it("gives the tenant's API a usage plan with the platinum numbers and a key in it", () => {
    const template = build();
    const platinum = tierOf('platinum');
    expect(props(template, 'UsagePlan')).toMatchObject({
      UsagePlanName: { 'Fn::Sub': 'tenantry-${TenantId}-platinum' },
      ApiStages: [{ ApiId: { Ref: 'Api' }, Stage: 'dev' }],
      Throttle: { RateLimit: platinum.rateLimit, BurstLimit: platinum.burstLimit },
      Quota: { Limit: platinum.quota.limit, Period: platinum.quota.period },
    });
    expect(props(template, 'UsagePlanKey')).toEqual({
      KeyId: { Ref: 'ApiKey' },
      KeyType: 'API_KEY',
      UsagePlanId: { Ref: 'UsagePlan' },
    });
    expect(template.Outputs).toMatchObject({
      ApiUrl: { Value: { 'Fn::Sub': 'https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/dev' } },
      ApiId: { Value: { Ref: 'Api' } },
      Stage: { Value: 'dev' },
      UserPoolId: { Value: { Ref: 'UserPool' } },
      UserPoolClientId: { Value: { Ref: 'UserPoolClient' } },
      ApiKeyId: { Value: { Ref: 'ApiKey' } },
      WidgetTableName: { Value: { Ref: 'WidgetTable' } },
    });
    expect(template.Outputs?.ServerlessDeploymentBucketName).toBeUndefined();
  });

  it('builds a cfn-lint clean template from the packaged services (when cfn-lint and the packages exist)', (context) => {
    const root = join(import.meta.dirname, '..', '..', '..');
    const packaged = ['platform', 'products', 'orders'].every((s) =>
      existsSync(join(root, 'services', s, '.serverless', 'cloudformation-template-update-stack.json')),
    );
    const lint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
    if (lint.error) {
      console.warn('cfn-lint is not installed: the tenant template is not linted (pip install cfn-lint)');
      context.skip();
    }
    const template = packaged ? buildTenantTemplate(readPackagedServices(root, 'dev')).template : build();
    if (!packaged) console.warn('services are not packaged: linting the fixture-built tenant template only');
    const dir = mkdtempSync(join(tmpdir(), 'tenant-stack-'));
    try {
      const file = join(dir, 'tenant-stack.json');
      writeFileSync(file, JSON.stringify(template, null, 2));
      const run = spawnSync('cfn-lint', ['--format', 'parseable', file], { encoding: 'utf8' });
      expect(run.stdout + run.stderr).toBe('');
      expect(run.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
