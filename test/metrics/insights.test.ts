import { insightText } from '../../src/report/insights';
import { describe, expect, it } from 'vitest';
import { Data } from './builders';

const T = '2025-03-10T10:00:00.000Z';

function texts(d: Data, months = 1): string[] {
  return d.run({ months }).insights.map(insightText);
}

describe('insights', () => {
  it('flags a pipeline success rate below 95% and a retry rate of 5% or more', () => {
    const d = new Data();
    const p = d.project('acme/app', 'alpha');
    const ok = d.pipeline(p, T, 'success');
    d.pipeline(p, T, 'success');
    d.pipeline(p, T, 'success');
    d.pipeline(p, T, 'failed');
    d.job(p, T, 60, { pipelineId: ok.id, name: 'test', status: 'failed', failureReason: 'script_failure' });
    d.job(p, T, 60, { pipelineId: ok.id, name: 'test' });
    d.job(p, T, 60, { pipelineId: ok.id, name: 'build' });
    d.job(p, T, 60, { pipelineId: ok.id, name: 'lint' });
    expect(texts(d)).toEqual([
      '0% of pipeline failures are infrastructure-related (0 of 1 failed jobs)', // the one failure is a script failure
      'Pipeline success rate was 75%, below the 95% target', // 3 / (3 + 1)
      '25% of CI jobs were retried, above the 5% target', // 1 retried / 4 ran
    ]);
  });

  it('says when CI cost rose while deployments fell', () => {
    const d = new Data();
    const p = d.project('acme/app', 'alpha');
    const env = d.env(p);
    d.deploy(env, '2025-02-10T10:00:00.000Z');
    d.deploy(env, '2025-02-11T10:00:00.000Z');
    d.deploy(env, '2025-03-10T10:00:00.000Z');
    d.job(p, '2025-02-10T09:00:00.000Z', 6000); // 100 min × 0.01 = 1
    d.job(p, '2025-03-10T09:00:00.000Z', 12000); // 200 min × 0.01 = 2
    const all = texts(d, 2);
    // per day: 1/31 vs 2/28 → 28/62 − 1 = −54.8%; no lead time in either month
    expect(all).toContain('Deployment frequency (deployments per day) fell 54.8%');
    // cost 1 → 2 = +100%; deployments 2 → 1 = −50%
    expect(all).toContain('CI cost rose 100% while production deployments fell 50%');
  });

  it('stays silent about a change from a month without deployments', () => {
    const d = new Data();
    d.deploy(d.env(d.project('acme/app', 'alpha')), T);
    // February had 0 deployments: a percentage change from 0 means nothing
    expect(texts(d, 2)).toEqual([]);
  });

  it('reports a strong cost correlation with r and n', () => {
    const d = new Data();
    const p = d.project('acme/app', 'alpha');
    const env = d.env(p);
    [1, 3, 2, 4].forEach((deploys, i) => {
      const month = `2025-0${i + 1}`;
      d.job(p, `${month}-10T10:00:00.000Z`, (i + 1) * 6000); // cost 1, 2, 3, 4
      for (let k = 0; k < deploys; k++) d.deploy(env, `${month}-1${k}T12:00:00.000Z`);
    });
    const facts = d.run({ month: '2025-04', months: 4 }).insights.filter((f) => f.kind === 'cost_correlation');
    // r = 0.8 (stats.test.ts), over 4 months
    expect(facts.map(insightText)).toEqual([
      'Monthly CI cost and production deployments rise and fall together (r = 0.80 over 4 months)',
    ]);
  });
});
