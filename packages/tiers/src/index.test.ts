import { describe, expect, it } from 'vitest';
import catalog from '../tiers.json' with { type: 'json' };
import { isTier, TIER_NAMES, TIERS, tierOf } from './index.js';

describe('the tier catalog', () => {
  it('lists exactly the tiers of the contract, in order', () => {
    expect(TIER_NAMES).toEqual(Object.keys(catalog));
    expect(TIERS.map((tier) => tier.name)).toEqual(['basic', 'standard', 'premium', 'platinum']);
  });

  it('keeps the contract numbers for each tier', () => {
    expect(
      TIERS.map(({ name, deployment, rateLimit, burstLimit, quota }) => [
        name,
        deployment,
        rateLimit,
        burstLimit,
        quota.limit,
        quota.period,
      ]),
    ).toEqual([
      ['basic', 'pooled', 50, 50, 1000, 'DAY'],
      ['standard', 'pooled', 75, 100, 3000, 'DAY'],
      ['premium', 'pooled', 100, 200, 5000, 'DAY'],
      ['platinum', 'silo', 300, 300, 10000, 'DAY'],
    ]);
  });

  it('gives every tier a burst at least as large as its rate', () => {
    for (const tier of TIERS) expect(tier.burstLimit).toBeGreaterThanOrEqual(tier.rateLimit);
  });

  it('recognises tier names and nothing else', () => {
    expect(isTier('premium')).toBe(true);
    expect(isTier('Premium')).toBe(false);
    expect(isTier('gold')).toBe(false);
    expect(isTier(undefined)).toBe(false);
    expect(tierOf('platinum').deployment).toBe('silo');
  });
});
