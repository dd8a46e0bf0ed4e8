import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/types';
import { analyzeDeployments } from '../../src/metrics/deployments';
import { detectChanges } from '../../src/metrics/lead-time';
import { stageDurations } from '../../src/metrics/stages';
import type { MetricsResult, StageMonth } from '../../src/metrics/types';
import type { DeploymentMergeRequestRecord } from '../../src/model/types';
import { at, Data, makeConfig, portfolioMonth, teamMonth } from './builders';

function stagesOf(r: MetricsResult, scope: string, month = r.reportMonth): StageMonth {
  const series = scope === 'portfolio' ? r.leadTimeStages.portfolio : r.leadTimeStages.teams.find((t) => t.team === scope)?.months;
  const m = series?.find((x) => x.month === month);
  if (!m) throw new Error(`no stages for ${scope} ${month}`);
  return m;
}

/**
 * alpha ships 3 MRs in March (coding / review / deploy hours):
 *   MR 1: 24 / 24 / 12 (first commit and MR creation in February: placed by its deployment)
 *   MR 2:  6 / 30 /  2
 *   MR 3:  2 / 96 /  4
 * and one MR-less deployment (a change with a lead time, but no stages); one MR in February
 * (1 / 2 / 1). beta ships MR 4: 10 / 24 / 6.
 */
function scenario(): Data {
  const d = new Data();
  const alpha = d.env(d.project('acme/app', 'alpha'));
  const beta = d.env(d.project('acme/svc', 'beta'));
  const mr = (env: typeof alpha, iid: number, first: string, coding: number, review: number, deploy: number): void => {
    const created = at(first, coding);
    const merged = at(created, review);
    const dep = d.deploy(env, at(merged, deploy));
    d.link(dep, iid, { firstCommitAuthoredAt: first, createdAt: created, mergedAt: merged });
  };
  mr(alpha, 1, '2025-02-27T00:00:00.000Z', 24, 24, 12);
  mr(alpha, 2, '2025-03-05T00:00:00.000Z', 6, 30, 2);
  mr(alpha, 3, '2025-03-10T00:00:00.000Z', 2, 96, 4);
  mr(alpha, 5, '2025-02-10T00:00:00.000Z', 1, 2, 1);
  mr(beta, 4, '2025-03-20T00:00:00.000Z', 10, 24, 6);
  // a deployment without an MR: its commit is one change, lead time 10 h, no stages
  d.deploy(alpha, '2025-03-25T10:00:00.000Z', { commitAuthoredAt: '2025-03-25T00:00:00.000Z' });
  return d;
}

describe('lead-time breakdown: hand-worked medians and shares', () => {
  const r = scenario().run({ months: 2 });

  it("gives a team's stage medians and their shares of the sum of medians", () => {
    // coding [24, 6, 2] → 6; review [24, 30, 96] → 30; deploy [12, 2, 4] → 4; sum 40
    expect(stagesOf(r, 'alpha')).toEqual({
      month: '2025-03',
      changes: 3,
      coding_hours: 6,
      review_hours: 30,
      deploy_hours: 4,
      coding_share: 15,
      review_share: 75,
      deploy_share: 10,
      lead_time_changes: 4, // the MR-less change has a lead time but no stages
      clamped_changes: 0,
    });
    // 10 / 24 / 6 of 40
    expect(stagesOf(r, 'beta')).toMatchObject({ changes: 1, coding_share: 25, review_share: 60, deploy_share: 15 });
  });

  it('gives the portfolio the medians over all its changes, not a mean of the teams', () => {
    // coding [24, 6, 2, 10] → (6 + 10) / 2 = 8; review [24, 30, 96, 24] → 27; deploy [12, 2, 4, 6] → 5; sum 40
    expect(stagesOf(r, 'portfolio')).toMatchObject({
      changes: 4,
      coding_hours: 8,
      review_hours: 27,
      deploy_hours: 5,
      coding_share: 20,
      review_share: 67.5,
      deploy_share: 12.5,
      lead_time_changes: 5,
    });
  });

  it('places a change in the month of its production deployment, as lead time does', () => {
    // February: only MR 5 (1 / 2 / 1 → 25 / 50 / 25); MR 1 was opened in February but shipped in March
    expect(stagesOf(r, 'alpha', '2025-02')).toMatchObject({ changes: 1, coding_hours: 1, review_hours: 2, deploy_hours: 1, review_share: 50 });
    expect(stagesOf(r, 'beta', '2025-02')).toMatchObject({ changes: 0, coding_hours: null, coding_share: null, lead_time_changes: 0 });
    expect(portfolioMonth(r, '2025-02').dora.changes).toBe(1);
  });

  it('has one stage month per window month and team', () => {
    expect(r.leadTimeStages.portfolio.map((m) => m.month)).toEqual(['2025-02', '2025-03']);
    expect(r.leadTimeStages.teams.map((t) => [t.team, t.months.length])).toEqual([
      ['alpha', 2],
      ['beta', 2],
    ]);
  });
});

describe('stage boundaries outside the lead-time interval', () => {
  const link = (over: Partial<DeploymentMergeRequestRecord>): DeploymentMergeRequestRecord => ({
    projectId: 1,
    deploymentId: 1,
    mrId: 1,
    mrIid: 1,
    mrProjectId: 1,
    createdAt: '2025-03-01T00:00:00.000Z',
    mergedAt: null,
    labels: [],
    firstCommitAuthoredAt: null,
    commitCount: 1,
    ...over,
  });
  const finish = (iso: string) => Date.parse(iso);

  it('splits an ordinary change exactly, without clamping', () => {
    const s = stageDurations(
      link({ firstCommitAuthoredAt: '2025-03-01T00:00:00.000Z', createdAt: '2025-03-01T03:00:00.000Z', mergedAt: '2025-03-02T03:00:00.000Z' }),
      finish('2025-03-02T05:30:00.000Z'),
    );
    expect(s).toEqual({ coding: 3, review: 24, deploy: 2.5, clamped: false });
  });

  it('gives coding 0 when the MR was opened before its first commit (draft MR), review from the first commit', () => {
    // created 00:00, first commit 05:00, merged next day 05:00, deployed 07:00: lead time 26 h
    const s = stageDurations(
      link({ createdAt: '2025-03-01T00:00:00.000Z', firstCommitAuthoredAt: '2025-03-01T05:00:00.000Z', mergedAt: '2025-03-02T05:00:00.000Z' }),
      finish('2025-03-02T07:00:00.000Z'),
    );
    expect(s).toEqual({ coding: 0, review: 24, deploy: 2, clamped: true });
  });

  it('gives deploy 0 when the branch was deployed before the merge', () => {
    // first 03-09 10:00, created 12:00, merged 03-10 12:00, deployed 03-10 10:00: lead time 24 h
    const s = stageDurations(
      link({ firstCommitAuthoredAt: '2025-03-09T10:00:00.000Z', createdAt: '2025-03-09T12:00:00.000Z', mergedAt: '2025-03-10T12:00:00.000Z' }),
      finish('2025-03-10T10:00:00.000Z'),
    );
    expect(s).toEqual({ coding: 2, review: 22, deploy: 0, clamped: true });
  });

  it('starts at the merge when every commit was authored after it, as lead time does', () => {
    // created 03-08 10:00, merged 03-09 10:00, first commit 03-09 12:00, deployed 03-10 10:00: lead 24 h
    const s = stageDurations(
      link({ createdAt: '2025-03-08T10:00:00.000Z', mergedAt: '2025-03-09T10:00:00.000Z', firstCommitAuthoredAt: '2025-03-09T12:00:00.000Z' }),
      finish('2025-03-10T10:00:00.000Z'),
    );
    expect(s).toEqual({ coding: 0, review: 0, deploy: 24, clamped: true });
  });

  it('has no stages without a first commit or a merge', () => {
    expect(stageDurations(link({ mergedAt: '2025-03-02T00:00:00.000Z' }), finish('2025-03-03T00:00:00.000Z'))).toBeNull();
    expect(stageDurations(link({ firstCommitAuthoredAt: '2025-03-01T00:00:00.000Z' }), finish('2025-03-03T00:00:00.000Z'))).toBeNull();
  });

  it('counts clamped changes per month and keeps them in the medians', () => {
    const d = new Data();
    const env = d.env(d.project('acme/app', 'alpha'));
    const draft = d.deploy(env, '2025-03-02T07:00:00.000Z');
    d.link(draft, 1, { createdAt: '2025-03-01T00:00:00.000Z', firstCommitAuthoredAt: '2025-03-01T05:00:00.000Z', mergedAt: '2025-03-02T05:00:00.000Z' });
    const plain = d.deploy(env, '2025-03-05T05:30:00.000Z');
    d.link(plain, 2, { firstCommitAuthoredAt: '2025-03-04T00:00:00.000Z', createdAt: '2025-03-04T03:00:00.000Z', mergedAt: '2025-03-05T03:00:00.000Z' });
    // coding [0, 3] → 1.5; review [24, 24] → 24; deploy [2, 2.5] → 2.25
    expect(stagesOf(d.run(), 'alpha')).toMatchObject({ changes: 2, clamped_changes: 1, coding_hours: 1.5, review_hours: 24, deploy_hours: 2.25 });
  });
});

describe('reconciliation with lead_time_hours', () => {
  /** A deterministic spread of MR changes over 3 months and 3 teams, some with rebased or early-deployed dates. */
  function generated(): { d: Data; config: Config } {
    const d = new Data();
    const envs = ['alpha', 'beta', 'gamma'].flatMap((team) => [d.env(d.project(`acme/${team}-a`, team)), d.env(d.project(`acme/${team}-b`, team))]);
    let seed = 12345;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let iid = 1;
    for (let i = 0; i < 120; i++) {
      const env = envs[Math.floor(rand() * envs.length)]!;
      const finishMs = Date.parse('2025-01-03T00:00:00.000Z') + Math.floor(rand() * 85 * 24) * 3_600_000;
      const dep = d.deploy(env, new Date(finishMs).toISOString());
      for (let k = 0, n = 1 + Math.floor(rand() * 3); k < n; k++) {
        const deployH = rand() < 0.1 ? -3 : rand() * 48; // 10%: deployed before the merge
        const reviewH = rand() * 120;
        const codingH = rand() < 0.1 ? -5 : rand() * 72; // 10%: MR opened before the first commit
        const merged = finishMs - deployH * 3_600_000;
        const created = merged - reviewH * 3_600_000;
        const first = created - codingH * 3_600_000;
        d.link(dep, iid++, {
          createdAt: new Date(created).toISOString(),
          mergedAt: new Date(merged).toISOString(),
          firstCommitAuthoredAt: new Date(first).toISOString(),
        });
      }
    }
    return { d, config: makeConfig({ months: 3 }) };
  }

  it('samples exactly the changes lead_time_hours counts, in every month and scope', () => {
    const { d, config } = generated();
    const r = d.run({ months: 3 });
    let total = 0;
    for (const month of r.months) {
      const p = portfolioMonth(r, month);
      expect(stagesOf(r, 'portfolio', month).changes).toBe(p.dora.changes);
      expect(stagesOf(r, 'portfolio', month).lead_time_changes).toBe(p.dora.changes);
      total += p.dora.changes;
      for (const team of ['alpha', 'beta', 'gamma']) expect(stagesOf(r, team, month).changes).toBe(teamMonth(r, team, month).dora.changes);
    }
    expect(total).toBeGreaterThan(150);
    // the same set of changes: every detected change has stages
    const changes = detectChanges(analyzeDeployments(d.ds, config)).changes;
    expect(changes.length).toBe(total);
    expect(changes.every((c) => c.stages !== null)).toBe(true);
  });

  it("adds each change's three stages up to its lead time", () => {
    const { d, config } = generated();
    const changes = detectChanges(analyzeDeployments(d.ds, config)).changes;
    const clamped = changes.filter((c) => c.stages?.clamped);
    expect(clamped.length).toBeGreaterThan(10);
    expect(changes.length - clamped.length).toBeGreaterThan(100);
    for (const c of changes) {
      const s = c.stages!;
      expect(s.coding).toBeGreaterThanOrEqual(0);
      expect(s.review).toBeGreaterThanOrEqual(0);
      expect(s.deploy).toBeGreaterThanOrEqual(0);
      expect(s.coding + s.review + s.deploy).toBeCloseTo(c.leadHours!, 9);
    }
  });
});
