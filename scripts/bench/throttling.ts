/**
 * Throttling fidelity: a tiny REST API whose method needs an API key, deployed as a template; the
 * key, a usage plan and the plan key created at run time through `@aws-sdk/client-api-gateway`;
 * a separate client process bursts, then floods; the usage API's count is read back at the end.
 */
import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  GetUsageCommand,
} from '@aws-sdk/client-api-gateway';
import type { LocalCloud } from '@tenantry/local-cloud';
import { rootClientConfig } from './local-cloud.js';
import { runScript } from './spawn-client.js';
import type { ThrottleArgs, ThrottleClientResult } from './throttle-types.js';

export const THROTTLE_PLAN = {
  rateLimit: 50,
  burstLimit: 100,
  idleMs: 1000,
  burstRequests: 300,
  floodRps: 100,
  floodSeconds: 10,
};
const STAGE = 'bench';

/** One `GET /ping` with `ApiKeyRequired: true` and a MOCK integration (no Lambda in the way). */
const API_TEMPLATE = {
  Resources: {
    Api: {
      Type: 'AWS::ApiGateway::RestApi',
      Properties: { Name: 'bench-throttling', ApiKeySourceType: 'HEADER' },
    },
    Ping: {
      Type: 'AWS::ApiGateway::Resource',
      Properties: {
        RestApiId: { Ref: 'Api' },
        ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
        PathPart: 'ping',
      },
    },
    PingGet: {
      Type: 'AWS::ApiGateway::Method',
      Properties: {
        RestApiId: { Ref: 'Api' },
        ResourceId: { Ref: 'Ping' },
        HttpMethod: 'GET',
        AuthorizationType: 'NONE',
        ApiKeyRequired: true,
        MethodResponses: [{ StatusCode: '200' }],
        Integration: {
          Type: 'MOCK',
          RequestTemplates: { 'application/json': '{"statusCode": 200}' },
          IntegrationResponses: [
            { StatusCode: '200', ResponseTemplates: { 'application/json': '{"pong":true}' } },
          ],
        },
      },
    },
    Deployment: {
      Type: 'AWS::ApiGateway::Deployment',
      DependsOn: ['PingGet'],
      Properties: { RestApiId: { Ref: 'Api' }, StageName: STAGE },
    },
  },
  Outputs: { ApiId: { Value: { Ref: 'Api' } } },
};

export interface ThrottleResults {
  plan: typeof THROTTLE_PLAN;
  client: ThrottleClientResult;
  /** GetUsage's served count for the key over the run's UTC day(s). */
  usageServed: number;
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function throttlingFidelity(root: string, cloud: LocalCloud): Promise<ThrottleResults> {
  const stack = await cloud.stacks.deploy({ stackName: 'bench-throttling', template: API_TEMPLATE });
  const apiId = String(stack.outputs.ApiId?.value);
  const sdk = new APIGatewayClient(rootClientConfig(cloud));
  try {
    const key = await sdk.send(new CreateApiKeyCommand({ name: 'bench-tenant', enabled: true }));
    const plan = await sdk.send(
      new CreateUsagePlanCommand({
        name: 'bench-plan',
        apiStages: [{ apiId, stage: STAGE }],
        throttle: { rateLimit: THROTTLE_PLAN.rateLimit, burstLimit: THROTTLE_PLAN.burstLimit },
      }),
    );
    if (!key.id || !key.value || !plan.id) throw new Error('CreateApiKey or CreateUsagePlan answered no id');
    await sdk.send(
      new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }),
    );
    const startDay = utcDay(cloud.services.clock.now());
    const args: ThrottleArgs = {
      url: `${cloud.endpoints.gateway}/restapis/${apiId}/${STAGE}/_user_request_/ping`,
      apiKey: key.value,
      idleMs: THROTTLE_PLAN.idleMs,
      burstRequests: THROTTLE_PLAN.burstRequests,
      floodRps: THROTTLE_PLAN.floodRps,
      floodSeconds: THROTTLE_PLAN.floodSeconds,
    };
    const client = await runScript<ThrottleClientResult>(root, 'scripts/bench/throttle-client.ts', args);
    const usage = await sdk.send(
      new GetUsageCommand({
        usagePlanId: plan.id,
        keyId: key.id,
        startDate: startDay,
        endDate: utcDay(cloud.services.clock.now()),
      }),
    );
    const days = usage.items?.[key.id] ?? [];
    const usageServed = days.reduce((sum, day) => sum + (day[0] ?? 0), 0);
    return { plan: THROTTLE_PLAN, client, usageServed };
  } finally {
    sdk.destroy();
    await cloud.stacks.delete('bench-throttling');
  }
}
