import { type APIGatewayClient, GetUsageCommand, GetUsagePlansCommand } from '@aws-sdk/client-api-gateway';
import type { UsagePlanInfo, UsagePlanReader } from '../domain/usage.js';

/**
 * The plans holding a key and `GetUsage` through the API Gateway management API. Needs
 * `apigateway:GET` on `/usageplans` and `/usageplans/{plan}/usage`.
 */
export function buildUsagePlanReader(client: Pick<APIGatewayClient, 'send'>): UsagePlanReader {
  return {
    async plansOfKey(keyId) {
      const plans: UsagePlanInfo[] = [];
      let position: string | undefined;
      do {
        const page = await client.send(new GetUsagePlansCommand({ keyId, limit: 500, position }));
        for (const item of page.items ?? []) {
          if (!item.id) continue;
          const { limit, period } = item.quota ?? {};
          plans.push(
            limit !== undefined && period !== undefined
              ? { id: item.id, quota: { limit, period } }
              : { id: item.id },
          );
        }
        position = page.position;
      } while (position);
      return plans;
    },
    async usage(usagePlanId, keyId, startDate, endDate) {
      const days = new Map<string, { used: number; remaining: number }>();
      const first = Date.parse(`${startDate}T00:00:00Z`);
      let position: string | undefined;
      do {
        const page = await client.send(
          new GetUsageCommand({ usagePlanId, keyId, startDate, endDate, limit: 500, position }),
        );
        // One [used, remaining] per day from startDate; a key without usage may be absent.
        (page.items?.[keyId] ?? []).forEach(([used = 0, remaining = 0], index) => {
          const date = new Date(first + index * 86_400_000).toISOString().slice(0, 10);
          days.set(date, { used, remaining });
        });
        position = page.position;
      } while (position);
      return days;
    },
  };
}
