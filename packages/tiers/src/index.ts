/**
 * The tier catalog: the single source of truth for Tenantry's tiers. `tiers.json` is read by the
 * serverless configuration (`${file(../../packages/tiers/tiers.json):basic.rateLimit}`) and, through
 * this module, by code. No tier number is written anywhere else.
 *
 * @example
 * import { tierOf, isTier } from '@tenantry/tiers';
 * if (isTier(body.tier) && tierOf(body.tier).deployment === 'silo') startSiloProvisioning();
 */
import catalog from '../tiers.json' with { type: 'json' };

export type TierName = 'basic' | 'standard' | 'premium' | 'platinum';
export type Deployment = 'pooled' | 'silo';
export type QuotaPeriod = 'DAY' | 'WEEK' | 'MONTH';

export interface Tier {
  name: TierName;
  deployment: Deployment;
  /** Steady-state requests per second per tenant. */
  rateLimit: number;
  /** Requests a tenant may send at once above the steady rate. */
  burstLimit: number;
  quota: { limit: number; period: QuotaPeriod };
}

export const TIER_NAMES: readonly TierName[] = ['basic', 'standard', 'premium', 'platinum'];

export function isTier(value: unknown): value is TierName {
  return typeof value === 'string' && (TIER_NAMES as readonly string[]).includes(value);
}

export function tierOf(name: TierName): Tier {
  const entry = (catalog as Record<TierName, Omit<Tier, 'name'>>)[name];
  return { name, ...entry };
}

export const TIERS: readonly Tier[] = TIER_NAMES.map(tierOf);
