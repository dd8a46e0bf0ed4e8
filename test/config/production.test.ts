import { describe, expect, it } from 'vitest';
import { isProductionEnvironment } from '../../src/config/production';
import { Data, portfolioMonth } from '../metrics/builders';

const tierRule = { environmentTier: 'production', environment: null };
const nameRule = { environmentTier: 'production', environment: { source: '^prod', pattern: '^prod', flags: '' } };

describe('isProductionEnvironment', () => {
  it('uses the tier by default, whatever the name', () => {
    expect(isProductionEnvironment({ name: 'live', tier: 'production' }, tierRule)).toBe(true);
    expect(isProductionEnvironment({ name: 'production', tier: 'staging' }, tierRule)).toBe(false);
    expect(isProductionEnvironment({ name: 'prod', tier: null }, tierRule)).toBe(false);
  });
  it('replaces the tier rule by the name regex when `environment` is set', () => {
    expect(isProductionEnvironment({ name: 'prod-eu', tier: null }, nameRule)).toBe(true);
    expect(isProductionEnvironment({ name: 'live', tier: 'production' }, nameRule)).toBe(false);
  });
  it('applies the regex flags (a (?i) pattern)', () => {
    const rule = { environmentTier: 'production', environment: { source: '(?i)^prod', pattern: '^prod', flags: 'i' } };
    expect(isProductionEnvironment({ name: 'PROD', tier: null }, rule)).toBe(true);
  });
});

describe('only production deployments count', () => {
  function scenario(): Data {
    const d = new Data();
    const p = d.project('acme/app', 'alpha');
    d.deploy(d.env(p, 'live', 'production'), '2025-03-10T10:00:00.000Z');
    d.deploy(d.env(p, 'staging', 'staging'), '2025-03-10T11:00:00.000Z');
    d.deploy(d.env(p, 'prod-eu', null), '2025-03-10T12:00:00.000Z');
    return d;
  }
  it('by tier: "live" (tier production) counts, "staging" and an untiered "prod-eu" do not', () => {
    expect(portfolioMonth(scenario().run()).dora.prod_deployments).toBe(1);
  });
  it('by name regex: only "prod-eu" counts', () => {
    const r = scenario().run({ environment: nameRule.environment });
    expect(portfolioMonth(r).dora.prod_deployments).toBe(1);
    // the one that counts is prod-eu, finished 12:00 on March 10th → 1 deployment day
    expect(portfolioMonth(r).dora.deployment_days).toBe(1);
  });
  it('by name regex matching nothing: no deployment at all', () => {
    const r = scenario().run({ environment: { source: '^nothing$', pattern: '^nothing$', flags: '' } });
    expect(portfolioMonth(r).dora.prod_deployments).toBe(0);
  });
});
