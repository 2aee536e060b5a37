import {
  type CloudWatchLogsClient,
  GetQueryResultsCommand,
  StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { ThrottledCounts } from '../domain/usage.js';

const KEY_ID = /^[A-Za-z0-9]{1,128}$/;
const DAY_MS = 86_400_000;

const checkedKeyId = (keyId: string): string => {
  // The id goes into a query string: only what API Gateway key ids are made of.
  if (!KEY_ID.test(keyId)) throw new Error('an API key id must be alphanumeric');
  return keyId;
};

/**
 * On AWS: 429s per key per UTC day from the app API stage's access logs (JSON lines with `apiKeyId`
 * and `status`, services/platform) through CloudWatch Logs Insights. Needs `logs:StartQuery` on the
 * log group and `logs:GetQueryResults`.
 */
export function buildLogsInsightsThrottledCounts(
  client: Pick<CloudWatchLogsClient, 'send'>,
  logGroupName: string,
  options: { pollMs?: number; timeoutMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): ThrottledCounts {
  const { pollMs = 500, timeoutMs = 20_000 } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return {
    async throttled(keyId, from, to) {
      const queryString = [
        'fields @timestamp',
        `| filter apiKeyId = "${checkedKeyId(keyId)}" and status = "429"`,
        '| stats count(*) as throttled by datefloor(@timestamp, 1d) as day',
      ].join(' ');
      const { queryId } = await client.send(
        new StartQueryCommand({
          logGroupName,
          queryString,
          startTime: Math.floor(Date.parse(`${from}T00:00:00Z`) / 1000),
          endTime: Math.floor((Date.parse(`${to}T00:00:00Z`) + DAY_MS) / 1000) - 1,
        }),
      );
      if (!queryId) throw new Error('StartQuery returned no query id');
      for (let waited = 0; ; waited += pollMs) {
        const answer = await client.send(new GetQueryResultsCommand({ queryId }));
        if (answer.status === 'Complete') {
          const counts = new Map<string, number>();
          for (const row of answer.results ?? []) {
            const field = (name: string) => row.find((cell) => cell.field === name)?.value;
            const day = field('day')?.slice(0, 10);
            if (day) counts.set(day, (counts.get(day) ?? 0) + Number(field('throttled') ?? 0));
          }
          return counts;
        }
        if (answer.status !== 'Running' && answer.status !== 'Scheduled')
          throw new Error(`the Logs Insights query ended ${answer.status ?? 'without a status'}`);
        if (waited >= timeoutMs) throw new Error('the Logs Insights query did not complete in time');
        await sleep(pollMs);
      }
    },
  };
}

/**
 * On the local cloud (which has no CloudWatch Logs): its gateway's own counters,
 * `GET {gateway}/_local/usage?keyId=&from=&to=` → `{keyId, days:[{date, requests, throttled}]}`.
 */
export function buildLocalThrottledCounts(
  gatewayUrl: string,
  fetchImpl: typeof fetch = fetch,
): ThrottledCounts {
  return {
    async throttled(keyId, from, to) {
      const url = new URL('/_local/usage', gatewayUrl);
      url.search = new URLSearchParams({ keyId, from, to }).toString();
      const response = await fetchImpl(url);
      if (response.status !== 200) throw new Error(`the local gateway's usage answered ${response.status}`);
      const body = (await response.json()) as { days?: { date: string; throttled: number }[] };
      return new Map((body.days ?? []).map((day) => [day.date, day.throttled]));
    },
  };
}
