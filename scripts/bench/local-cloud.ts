/**
 * A bare local cloud (no SaaS deployed) in memory on free ports, for the runtime-API measurements,
 * stopped whatever happens.
 */
import { type LocalCloud, ROOT_CREDENTIALS, startLocalCloud } from '@tenantry/local-cloud';

export async function withLocalCloud<T>(use: (cloud: LocalCloud) => Promise<T>): Promise<T> {
  const cloud = await startLocalCloud({
    ports: { gateway: 0, cognito: 0, dynamodb: 0, aws: 0 },
    functionLog: () => undefined,
  });
  try {
    return await use(cloud);
  } finally {
    await cloud.stop();
  }
}

/** What every SDK client of the runtime-API bench is built with: root keys, one attempt. */
export function rootClientConfig(cloud: LocalCloud, endpoint = cloud.endpoints.aws) {
  return { region: cloud.services.region, endpoint, credentials: ROOT_CREDENTIALS, maxAttempts: 1 };
}
