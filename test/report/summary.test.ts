import { describe, expect, it } from 'vitest';
import { renderExecutiveSummary } from '../../src/report/summary';
import { fixtureContext, fixtureResult } from './fixture';

describe('executive summary', () => {
  const text = renderExecutiveSummary(fixtureResult(), fixtureContext());
  const lines = text.split('\n');

  it("opens with the customer's title and the report month", () => {
    expect(lines[0]).toBe('ENGINEERING PORTFOLIO – MONTHLY SUMMARY (2025-03)');
  });

  it('every metric line has its value, month-over-month change and level', () => {
    // 13 deployments / 31 days = 0.42/day; (13-5)/5 = +160%
    expect(text).toMatch(/^Production Deployments +: 13 \(0\.42\/day\) +▲ 160\.0% vs 2025-02 +DORA level: high$/m);
    // 16 h = 0.67 days; (16-20)/20 = -20%
    expect(text).toMatch(/^Lead Time \(median\) +: 0\.67 days \(16\.0 h\) +▼ 20\.0% vs 2025-02 +DORA level: elite$/m);
    // 13.33% - 16.67% = -3.3 percentage points, named definition
    expect(text).toMatch(/^Change Failure Rate \(deployments\): 13\.3% +▼ 3\.3 pp vs 2025-02 +DORA level: medium$/m);
    // (30-120)/120 = -75%
    expect(text).toMatch(/^MTTR \(mean\) +: 30\.0 minutes +▼ 75\.0% vs 2025-02 +DORA level: elite \(median 30 min\)$/m);
    // 6.3 vs 4.64: +35.8%
    expect(text).toMatch(/^CI Cost +: USD 6\.30 +▲ 35\.8% vs 2025-02$/m);
    expect(text).toMatch(/^Deployments per 1K USD CI +: 2,063\.5 +▲ 91\.5% vs 2025-02$/m);
  });

  it('aligns the colons and says which change-failure definition is used', () => {
    const metricLines = lines.filter((l) => / : |\): /.test(l) && !l.startsWith('Group'));
    const colons = new Set(metricLines.map((l) => l.indexOf(': ')));
    expect(metricLines).toHaveLength(6);
    expect(colons.size).toBe(1);
    expect(text).toContain('Change failure rate = production deployments that failed, were followed by a hotfix within 24 h or were rolled back, per production deployment attempt.');
  });

  it('names the incidents definition when it is the headline', () => {
    const ctx = fixtureContext();
    ctx.definitions.changeFailure = 'incidents';
    expect(renderExecutiveSummary(fixtureResult(), ctx)).toContain('Change Failure Rate (incidents)');
  });

  it('shows the absolute change when the previous month was 0', () => {
    const r = fixtureResult();
    r.deltas.prod_deployments = { current: 13, previous: 0, abs: 13, pct: null };
    expect(renderExecutiveSummary(r, fixtureContext())).toMatch(/^Production Deployments +: 13 \(0\.42\/day\) +▲ \+13 vs 2025-02/m);
  });

  it('ends with at most three insights, the first three in their order', () => {
    const r = fixtureResult();
    r.insights.push({ kind: 'retry_rate_above_target', values: { retry_rate: 5.6, target: 5 } });
    const withFour = renderExecutiveSummary(r, fixtureContext());
    expect(withFour.split('\n').filter((l) => l.startsWith('• '))).toHaveLength(3);
    expect(withFour).not.toContain('retried');
    expect(text.endsWith('• 27.3% of pipeline failures are infrastructure-related (3 of 11 failed jobs)\n')).toBe(true);
  });
});
