import { type APIGatewayClient, FlushStageAuthorizersCacheCommand } from '@aws-sdk/client-api-gateway';

/** An API stage whose authorizer results API Gateway caches. */
export interface ApiStage {
  restApiId: string;
  stageName: string;
}

/** Forgets cached authorizer results so that a change of user or tenant state applies at once. */
export type AuthorizerCacheFlusher = (extra?: readonly ApiStage[]) => Promise<void>;

/**
 * The API and stage of an API base URL: `https://{id}.execute-api.{region}.amazonaws.com/{stage}`
 * on AWS, `…/restapis/{id}/{stage}/_user_request_` on the local cloud. Undefined for anything else
 * (e.g. a custom domain, whose stage the caller must know otherwise).
 */
export function apiStageOfUrl(url: string | undefined): ApiStage | undefined {
  if (!url) return undefined;
  const aws = /^https:\/\/([a-z0-9]+)\.execute-api\.[^/]+\/([A-Za-z0-9_-]+)\/?$/.exec(url);
  if (aws) return { restApiId: aws[1] as string, stageName: aws[2] as string };
  const local = /\/restapis\/([A-Za-z0-9]+)\/([A-Za-z0-9_-]+)\/_user_request_\/?$/.exec(url);
  if (local) return { restApiId: local[1] as string, stageName: local[2] as string };
  return undefined;
}

/**
 * Flushes the authorizer caches of `stages` (and of the extra stages passed per call) with
 * `FlushStageAuthorizersCache`. A failure is reported to `onError` and not thrown: the change is
 * already stored, and the authorizer re-reads user and tenant state within seconds anyway.
 * Needs `apigateway:DELETE` on `/restapis/{id}/stages/{stage}/cache/authorizers`.
 *
 * @example
 * ```ts
 * const flush = buildAuthorizerCacheFlusher(new APIGatewayClient({}), [controlPlane, app], log);
 * await flush();
 * ```
 */
export function buildAuthorizerCacheFlusher(
  client: Pick<APIGatewayClient, 'send'>,
  stages: readonly ApiStage[],
  onError: (error: unknown, stage: ApiStage) => void = () => undefined,
): AuthorizerCacheFlusher {
  return async (extra = []) => {
    await Promise.all(
      [...stages, ...extra].map(async (stage) => {
        try {
          await client.send(new FlushStageAuthorizersCacheCommand(stage));
        } catch (error) {
          onError(error, stage);
        }
      }),
    );
  };
}
