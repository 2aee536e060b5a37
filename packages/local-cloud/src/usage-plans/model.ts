/** The usage-plans state: API keys, usage plans, their keys and the daily counters (all persisted). */

export type QuotaPeriod = 'DAY' | 'WEEK' | 'MONTH';

export interface ThrottleSettings {
  /** Steady-state requests per second (token refill rate). */
  rateLimit: number;
  /** Bucket size: how many requests may arrive at once. */
  burstLimit: number;
}

export interface QuotaSettings {
  limit: number;
  period: QuotaPeriod;
  /** DAY: 0; WEEK: 0 (Sunday) to 6; MONTH: 0 (the 1st) to 27. */
  offset: number;
}

export interface ApiStage {
  apiId: string;
  stage: string;
  /** `"{resourcePath}/{httpMethod}"` (e.g. `/products/GET`) → per-method throttle for this plan. */
  throttle?: Record<string, ThrottleSettings>;
}

export interface ApiKeyRecord {
  id: string;
  value: string;
  name?: string;
  description?: string;
  customerId?: string;
  enabled: boolean;
  /** `restApiId/stageName` (legacy stage keys, shown by GetApiKey). */
  stageKeys: string[];
  tags?: Record<string, string>;
  /** Epoch seconds, as the SDK reads timestamps. */
  createdDate: number;
  lastUpdatedDate: number;
}

export interface UsagePlanRecord {
  id: string;
  name: string;
  description?: string;
  apiStages: ApiStage[];
  throttle?: ThrottleSettings;
  quota?: QuotaSettings;
  tags?: Record<string, string>;
  /** Key ids in the plan, in the order they were added. */
  keyIds: string[];
}

/** Per plan, per key, per UTC day (`YYYY-MM-DD`): `[served, throttled]`. */
export type UsageCounters = Record<string, Record<string, Record<string, [number, number]>>>;

export interface UsagePlansState {
  version: 1;
  apiKeys: Record<string, ApiKeyRecord>;
  usagePlans: Record<string, UsagePlanRecord>;
  usage: UsageCounters;
  /** `stackName|logicalId` → id of a key or plan a template created (kept so a restart re-adopts it). */
  owners: Record<string, string>;
}

export function emptyState(): UsagePlansState {
  return { version: 1, apiKeys: {}, usagePlans: {}, usage: {}, owners: {} };
}
