import { describe, expect, it } from 'vitest';
import { Calendar } from '../../src/metrics/calendar';
import {
  changeFailureRateLevel,
  deploymentDaysPerWeek,
  deploymentFrequencyLevel,
  leadTimeLevel,
  timeToRestoreLevel,
} from '../../src/metrics/levels';
import { Data, portfolioMonth } from './builders';

describe('DORA 2023 levels at their boundaries', () => {
  it('deployment frequency: ≥5 days/week elite, ≥1 high, ≥1 deployment a month medium, else low', () => {
    expect(deploymentFrequencyLevel(5, 20)).toBe('elite');
    expect(deploymentFrequencyLevel(4.5, 20)).toBe('high');
    expect(deploymentFrequencyLevel(1, 4)).toBe('high');
    expect(deploymentFrequencyLevel(0.5, 2)).toBe('medium');
    expect(deploymentFrequencyLevel(0, 1)).toBe('medium');
    expect(deploymentFrequencyLevel(0, 0)).toBe('low');
    expect(deploymentFrequencyLevel(null, 0)).toBeNull();
  });
  it('lead time: <1 day elite, <7 days high, <30 days medium, else low', () => {
    expect(leadTimeLevel(23.99)).toBe('elite');
    expect(leadTimeLevel(24)).toBe('high'); // exactly one day is no longer "< 1 day"
    expect(leadTimeLevel(167.9)).toBe('high');
    expect(leadTimeLevel(168)).toBe('medium'); // 7 × 24
    expect(leadTimeLevel(719.9)).toBe('medium');
    expect(leadTimeLevel(720)).toBe('low'); // 30 × 24
    expect(leadTimeLevel(null)).toBeNull();
  });
  it('change failure rate: ≤5 elite, ≤10 high, ≤15 medium, >15 low', () => {
    expect(changeFailureRateLevel(0)).toBe('elite');
    expect(changeFailureRateLevel(5)).toBe('elite');
    expect(changeFailureRateLevel(5.01)).toBe('high');
    expect(changeFailureRateLevel(10)).toBe('high');
    expect(changeFailureRateLevel(15)).toBe('medium');
    expect(changeFailureRateLevel(15.01)).toBe('low');
    expect(changeFailureRateLevel(null)).toBeNull();
  });
  it('time to restore: <1 h elite, <24 h high, <7 days medium, else low', () => {
    expect(timeToRestoreLevel(59)).toBe('elite');
    expect(timeToRestoreLevel(60)).toBe('high');
    expect(timeToRestoreLevel(1439)).toBe('high');
    expect(timeToRestoreLevel(1440)).toBe('medium');
    expect(timeToRestoreLevel(10079)).toBe('medium');
    expect(timeToRestoreLevel(10080)).toBe('low'); // 7 × 24 × 60
    expect(timeToRestoreLevel(null)).toBeNull();
  });
});

describe('deployment days per week', () => {
  // March 2025 (UTC): Sat 1, Sun 2 | Mon 3–Sun 9 | 10–16 | 17–23 | 24–30 | Mon 31.
  // Six Monday-start weeks overlap it, the first and the last clipped.
  const cal = new Calendar(['2025-03'], 'UTC');
  const day = (d: number): number => cal.localDay(Date.UTC(2025, 2, d, 12));

  it('is the median over the month’s (clipped) weeks, counting weeks without deployments', () => {
    // Every weekday deploys: weeks = [0 (Sat–Sun), 5, 5, 5, 5, 1 (Mon 31)]
    // sorted 0,1,5,5,5,5 → median (5 + 5) / 2 = 5
    const weekdays = [3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 17, 18, 19, 20, 21, 24, 25, 26, 27, 28, 31];
    expect(deploymentDaysPerWeek(new Set(weekdays.map(day)), cal, 0)).toBe(5);
  });
  it('counts distinct days, not deployments', () => {
    // Deploy days 4, 11, 18 → weeks [0,1,1,1,0,0] → sorted 0,0,0,1,1,1 → median 0.5
    expect(deploymentDaysPerWeek(new Set([4, 11, 18].map(day)), cal, 0)).toBe(0.5);
  });

  it('feeds the level of a scope: three weekly deployments are medium, not high', () => {
    const d = new Data();
    const env = d.env(d.project('acme/app', 'alpha'));
    for (const date of ['2025-03-04', '2025-03-11', '2025-03-18']) d.deploy(env, `${date}T10:00:00.000Z`);
    const m = portfolioMonth(d.run());
    // median 0.5 days/week (see above) < 1, but ≥ 1 deployment in the month → medium
    expect(m.dora.deployment_days_per_week).toBe(0.5);
    expect(m.levels.deployment_frequency).toBe('medium');
  });
});
