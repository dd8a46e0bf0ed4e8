/**
 * Proves the cross-check reference right on its own: small hand-made datasets whose
 * expected values are worked out by hand from ../../docs/definitions.md (arithmetic beside each
 * assertion). Independent of the product's code.
 */
import { describe, expect, it } from 'vitest';
import { emptyDataset, type Dataset, type DeploymentRecord, type IssueRecord, type JobRecord } from '../../src/model/types';
import {
  changeFailureLevel,
  computeReference,
  CORRELATIONS,
  defaultRefConfig,
  deploymentDaysPerWeek,
  deploymentFrequencyLevel,
  leadTimeLevel,
  pearson,
  runningSeconds,
  timeToRestoreLevel,
  type RefConfig,
  type Row,
} from './reference';

const cfg = (over: Partial<RefConfig> = {}): RefConfig => ({ ...defaultRefConfig('2025-11', 1), ...over });

function dataset(): Dataset {
  const ds = emptyDataset({
    toolVersion: 'test',
    group: 'acme',
    windowStart: '2025-10-01T00:00:00.000Z',
    windowEnd: '2025-12-01T00:00:00.000Z',
    skippedProjects: [],
    retries: {},
    requests: {},
    shards: 1,
  });
  ds.projects.push(
    { id: 1, name: 'api', path: 'acme/red/api', webUrl: '', namespacePath: 'acme/red', topics: [], team: 'red' },
    { id: 2, name: 'web', path: 'acme/red/web', webUrl: '', namespacePath: 'acme/red', topics: [], team: 'red' },
    { id: 3, name: 'app', path: 'acme/blue/app', webUrl: '', namespacePath: 'acme/blue', topics: [], team: 'blue' },
  );
  // Project 1 has two production environments and a staging one; 3 has one production.
  ds.environments.push(
    { id: 10, projectId: 1, name: 'production/eu', tier: 'production' },
    { id: 11, projectId: 1, name: 'production/us', tier: 'production' },
    { id: 12, projectId: 1, name: 'staging', tier: 'staging' },
    { id: 30, projectId: 3, name: 'production', tier: 'production' },
  );
  ds.baselines.push(
    { projectId: 1, environmentId: 10, environmentName: 'production/eu', hasEarlierSuccess: true, lastSha: 's0', lastFinishedAt: '2025-10-01T00:00:00.000Z' },
    { projectId: 1, environmentId: 11, environmentName: 'production/us', hasEarlierSuccess: true, lastSha: 's0', lastFinishedAt: '2025-10-01T00:00:00.000Z' },
    { projectId: 3, environmentId: 30, environmentName: 'production', hasEarlierSuccess: true, lastSha: 's0', lastFinishedAt: '2025-10-01T00:00:00.000Z' },
  );
  return ds;
}

let nextId = 1000;
function dep(p: Partial<DeploymentRecord> & { finishedAt: string }): DeploymentRecord {
  const envId = p.environmentId ?? 10;
  return {
    id: nextId++,
    iid: 1,
    projectId: envId === 30 ? 3 : 1,
    environmentId: envId,
    environmentName: '',
    status: 'success',
    ref: 'main',
    sha: 'sx',
    createdAt: p.finishedAt,
    updatedAt: p.finishedAt,
    pipelineId: nextId++,
    commitAuthoredAt: null,
    ...p,
  };
}
function link(ds: Dataset, d: DeploymentRecord, mrId: number, mr: { first: string | null; merged: string | null; labels?: string[] }) {
  ds.deploymentMergeRequests.push({
    projectId: d.projectId,
    deploymentId: d.id,
    mrId,
    mrIid: mrId,
    mrProjectId: d.projectId,
    createdAt: '2025-10-01T00:00:00.000Z',
    mergedAt: mr.merged,
    labels: mr.labels ?? [],
    firstCommitAuthoredAt: mr.first,
    commitCount: mr.first === null ? 0 : 1,
  });
}
const find = (rows: Row[] | undefined, key: Partial<Row>): Row => {
  const r = (rows ?? []).find((x) => Object.entries(key).every(([k, v]) => x[k] === v));
  if (!r) throw new Error(`no row ${JSON.stringify(key)}`);
  return r;
};
const portfolio = (ds: Dataset, c = cfg()) => find(computeReference(ds, c)['dora_monthly.csv'], { month: c.month });

describe('production releases', () => {
  it('counts one pipeline released to two production environments once, failing when one environment fails', () => {
    const ds = dataset();
    // Pipeline 500: eu 10:00 and us 10:30 succeed, same SHA; the MR is linked to both.
    const eu = dep({ environmentId: 10, pipelineId: 500, sha: 'a1', finishedAt: '2025-11-03T10:00:00.000Z' });
    const us = dep({ environmentId: 11, pipelineId: 500, sha: 'a1', finishedAt: '2025-11-03T10:30:00.000Z' });
    // Pipeline 501: eu succeeds, us fails -> one failed attempt.
    const eu2 = dep({ environmentId: 10, pipelineId: 501, sha: 'a2', finishedAt: '2025-11-05T10:00:00.000Z' });
    const us2 = dep({ environmentId: 11, pipelineId: 501, sha: 'a2', status: 'failed', finishedAt: '2025-11-05T10:05:00.000Z' });
    // A staging deployment of the same pipeline never counts.
    const stg = dep({ environmentId: 12, pipelineId: 500, sha: 'a1', finishedAt: '2025-11-03T09:00:00.000Z' });
    ds.deployments.push(eu, us, eu2, us2, stg);
    link(ds, eu, 7, { first: '2025-11-02T10:30:00.000Z', merged: '2025-11-03T09:30:00.000Z' });
    link(ds, us, 7, { first: '2025-11-02T10:30:00.000Z', merged: '2025-11-03T09:30:00.000Z' });
    const r = portfolio(ds);
    expect(r.prod_deployments).toBe(1); // pipeline 500 only (501 failed)
    expect(r.deployment_attempts).toBe(2); // 500 + 501
    expect(r.cfr_deployments).toBe(50); // 1 failed / 2 attempts
    expect(r.changes).toBe(1); // MR 7 once, though linked to eu and us
    expect(r.lead_time_hours).toBe(24); // release finishes with its last env (us 11-03 10:30) - first commit 11-02 10:30
    expect(r.lead_time_merge_hours).toBe(1); // 10:30 - merged 09:30
    expect(r.deployments_per_day).toBeCloseTo(1 / 30, 10); // November has 30 days
  });

  it('treats the first deployment ever to an environment as a baseline that ships no change but counts', () => {
    const ds = dataset();
    ds.baselines[2] = { projectId: 3, environmentId: 30, environmentName: 'production', hasEarlierSuccess: false, lastSha: null, lastFinishedAt: null };
    const first = dep({ environmentId: 30, sha: 'b1', finishedAt: '2025-11-10T12:00:00.000Z' });
    const second = dep({ environmentId: 30, sha: 'b2', finishedAt: '2025-11-11T12:00:00.000Z' });
    ds.deployments.push(first, second);
    // GitLab links every old MR to the first deployment, years back.
    link(ds, first, 1, { first: '2022-01-01T00:00:00.000Z', merged: '2022-01-02T00:00:00.000Z' });
    link(ds, first, 2, { first: '2023-01-01T00:00:00.000Z', merged: '2023-01-02T00:00:00.000Z' });
    link(ds, second, 3, { first: '2025-11-11T00:00:00.000Z', merged: '2025-11-11T10:00:00.000Z' });
    // MR 2 appears again on the second deployment: already live, not a change again.
    link(ds, second, 2, { first: '2023-01-01T00:00:00.000Z', merged: '2023-01-02T00:00:00.000Z' });
    const r = portfolio(ds);
    expect(r.prod_deployments).toBe(2); // the baseline still counts as a deployment
    expect(r.changes).toBe(1); // MR 3 only
    expect(r.lead_time_hours).toBe(12); // 11-11 12:00 - 11-11 00:00
  });

  it('counts a deployment without MRs as one change when its SHA differs from the last one live there', () => {
    const ds = dataset();
    ds.deployments.push(
      dep({ environmentId: 30, sha: 'c1', commitAuthoredAt: '2025-11-04T06:00:00.000Z', finishedAt: '2025-11-04T12:00:00.000Z' }),
      // Same SHA again (a re-deploy): no new change.
      dep({ environmentId: 30, sha: 'c1', commitAuthoredAt: '2025-11-04T06:00:00.000Z', finishedAt: '2025-11-05T12:00:00.000Z' }),
    );
    const r = portfolio(ds);
    expect(r.changes).toBe(1); // only the first one changed the SHA (s0 -> c1)
    expect(r.lead_time_hours).toBe(6); // 12:00 - commit 06:00
    expect(r.lead_time_merge_hours).toBeNull(); // a commit change has no merge time
  });
});

describe('change failures: hotfix and rollback', () => {
  it('marks deployments followed within 24 h by a hotfix, and those a later deployment rolls back', () => {
    const ds = dataset();
    ds.deployments.push(
      dep({ environmentId: 30, sha: 'd1', finishedAt: '2025-11-03T10:00:00.000Z' }), // D1
      dep({ environmentId: 30, sha: 'd2', finishedAt: '2025-11-03T12:00:00.000Z' }), // D2
      dep({ environmentId: 30, sha: 'd3', ref: 'HotFix/login', finishedAt: '2025-11-04T11:00:00.000Z' }), // D3
      dep({ environmentId: 30, sha: 'd1', finishedAt: '2025-11-06T09:00:00.000Z' }), // D4 redeploys d1
    );
    // D3's ref matches (?i)hotfix: D2 (23 h before) is marked, D1 (25 h before) is not.
    // D4 redeploys d1, live before D2 and before D3: both marked. D1 itself is d1: not marked.
    // Failures {D2, D3} / 4 attempts = 50 %.
    expect(portfolio(ds).cfr_deployments).toBe(50);
    // hotfix_ratio = 1 hotfix deployment (D3) / 4 prod deployments = 25 %.
    expect(find(computeReference(ds, cfg())['delivery_team_monthly.csv'], { team: 'blue' }).hotfix_ratio).toBe(25);
  });

  it('marks a deployment as failed when a later one ships an MR labelled type::hotfix within 24 h', () => {
    const ds = dataset();
    const d1 = dep({ environmentId: 30, sha: 'e1', finishedAt: '2025-11-03T10:00:00.000Z' });
    const d2 = dep({ environmentId: 30, sha: 'e2', finishedAt: '2025-11-03T20:00:00.000Z' });
    const d3 = dep({ environmentId: 30, sha: 'e3', finishedAt: '2025-11-06T20:00:00.000Z' });
    ds.deployments.push(d1, d2, d3);
    link(ds, d2, 9, { first: '2025-11-03T18:00:00.000Z', merged: '2025-11-03T19:00:00.000Z', labels: ['type::hotfix'] });
    // d2 is a hotfix 10 h after d1: d1 failed. Nothing follows d2 / d3 within 24 h as a hotfix.
    expect(portfolio(ds).cfr_deployments).toBeCloseTo(100 / 3, 10); // 1 / 3
  });

  it('sees a rollback made by re-running an older pipeline, the re-run being a deployment of its own', () => {
    const ds = dataset();
    ds.deployments.push(
      dep({ environmentId: 30, pipelineId: 700, sha: 'f1', finishedAt: '2025-11-03T09:00:00.000Z' }),
      dep({ environmentId: 30, pipelineId: 701, sha: 'f2', finishedAt: '2025-11-04T09:00:00.000Z' }),
      // Two days later the deploy job of pipeline 700 is re-run: f1 goes live again.
      dep({ environmentId: 30, pipelineId: 700, sha: 'f1', finishedAt: '2025-11-06T09:00:00.000Z' }),
    );
    const r = portfolio(ds);
    expect(r.prod_deployments).toBe(3); // 700 (11-03), 701 (11-04), the re-run (11-06)
    // f1 was live (11-03) before 701 and is redeployed later: 701 failed. 1 / 3.
    expect(r.cfr_deployments).toBeCloseTo(100 / 3, 10);
    expect(r.deployment_days).toBe(3);
    expect(r.changes).toBe(2); // f1 and f2 (no MRs, SHAs new against s0); the re-run ships none
  });
});

describe('re-run deploy jobs', () => {
  it('keeps the release (finish, success, changes) and counts a re-run two days later on its own day, shipping nothing', () => {
    const ds = dataset();
    const eu = dep({ environmentId: 10, pipelineId: 800, sha: 'r1', finishedAt: '2025-11-03T10:00:00.000Z' });
    const us = dep({ environmentId: 11, pipelineId: 800, sha: 'r1', finishedAt: '2025-11-03T10:30:00.000Z' });
    const rerun = dep({ environmentId: 10, pipelineId: 800, sha: 'r1', finishedAt: '2025-11-05T10:00:00.000Z' });
    ds.deployments.push(eu, us, rerun);
    link(ds, eu, 9, { first: '2025-11-01T10:30:00.000Z', merged: '2025-11-03T08:30:00.000Z' });
    link(ds, us, 9, { first: '2025-11-01T10:30:00.000Z', merged: '2025-11-03T08:30:00.000Z' });
    // GitLab may link MRs to the re-run (e.g. no previous deployment found): they ship nothing.
    link(ds, rerun, 9, { first: '2025-11-01T10:30:00.000Z', merged: '2025-11-03T08:30:00.000Z' });
    link(ds, rerun, 10, { first: '2025-11-04T10:00:00.000Z', merged: '2025-11-04T12:00:00.000Z' });
    const r = portfolio(ds);
    expect(r.prod_deployments).toBe(2); // the eu+us release and the eu re-run
    expect(r.deployment_attempts).toBe(2);
    expect(r.deployment_days).toBe(2); // 11-03 and 11-05
    expect(r.changes).toBe(1); // MR 9 only
    expect(r.lead_time_hours).toBe(48); // 11-01 10:30 → the release's finish 11-03 10:30, not the re-run
    expect(r.lead_time_merge_hours).toBe(2); // 08:30 → 10:30
    expect(r.cfr_deployments).toBe(0);
  });

  it('counts a failed re-run after the success as a failed attempt of its own', () => {
    const ds = dataset();
    ds.deployments.push(
      dep({ environmentId: 30, pipelineId: 810, sha: 'q1', status: 'failed', finishedAt: '2025-11-03T09:00:00.000Z' }),
      dep({ environmentId: 30, pipelineId: 810, sha: 'q1', finishedAt: '2025-11-03T10:00:00.000Z' }), // retry: success
      dep({ environmentId: 30, pipelineId: 810, sha: 'q1', status: 'failed', finishedAt: '2025-11-05T10:00:00.000Z' }), // re-run: failed
    );
    const r = portfolio(ds);
    expect(r.prod_deployments).toBe(1); // the release (its retry succeeded)
    expect(r.deployment_attempts).toBe(2); // the release and the failed re-run
    expect(r.failed_deployments).toBe(1);
    expect(r.cfr_deployments).toBe(50); // 1 / 2
  });

  it('attributes an incident after a re-run to the re-run', () => {
    const ds = dataset();
    ds.deployments.push(
      dep({ environmentId: 30, pipelineId: 820, sha: 'p1', finishedAt: '2025-10-30T10:00:00.000Z' }), // October
      dep({ environmentId: 30, pipelineId: 820, sha: 'p1', finishedAt: '2025-11-01T10:00:00.000Z' }), // re-run, November
    );
    ds.issues.push({ id: 5, iid: 5, projectId: 3, state: 'opened', createdAt: '2025-11-01T12:00:00.000Z', closedAt: null, labels: [], issueType: 'incident', milestoneDueDate: null });
    const out = computeReference(ds, cfg({ months: 2 }));
    const oct = find(out['dora_monthly.csv'], { month: '2025-10' });
    const nov = find(out['dora_monthly.csv'], { month: '2025-11' });
    expect(oct.prod_deployments).toBe(1);
    expect(oct.cfr_incidents).toBe(0); // the release keeps October and no incident
    expect(nov.prod_deployments).toBe(1);
    expect(nov.cfr_incidents).toBe(100); // 1 / 1: the re-run is the latest deployment before the incident
  });
});

describe('incidents', () => {
  const incident = (p: Partial<IssueRecord> & { id: number; projectId: number; createdAt: string }): IssueRecord => ({
    iid: p.id,
    state: p.closedAt ? 'closed' : 'opened',
    closedAt: null,
    labels: [],
    issueType: 'incident',
    milestoneDueDate: null,
    ...p,
  });

  it('attributes to the latest earlier deployment of the project, else of the team when the project never deployed', () => {
    const ds = dataset();
    // red: project 1 deploys A1 (11-01) and A2 (11-10); project 2 never deploys.
    // blue: project 3 deploys C1 (11-20) and C2 (11-28).
    ds.deployments.push(
      dep({ environmentId: 10, sha: 'a1', finishedAt: '2025-11-01T10:00:00.000Z' }),
      dep({ environmentId: 10, sha: 'a2', finishedAt: '2025-11-10T10:00:00.000Z' }),
      dep({ environmentId: 30, sha: 'c1', finishedAt: '2025-11-20T10:00:00.000Z' }),
      dep({ environmentId: 30, sha: 'c2', finishedAt: '2025-11-28T10:00:00.000Z' }),
    );
    ds.issues.push(
      // in project 1 on 11-05 -> A1; closed after 60 min
      incident({ id: 1, projectId: 1, createdAt: '2025-11-05T00:00:00.000Z', closedAt: '2025-11-05T01:00:00.000Z' }),
      // project 2 never deployed -> its team red -> latest red before 11-12 = A2; closed after 120 min
      incident({ id: 2, projectId: 2, createdAt: '2025-11-12T00:00:00.000Z', closedAt: '2025-11-12T02:00:00.000Z' }),
      // project 3 deployed, but only later: unattributed (no team fallback); closed after 30 min
      incident({ id: 3, projectId: 3, createdAt: '2025-11-15T00:00:00.000Z', closedAt: '2025-11-15T00:30:00.000Z' }),
      // project 2, labelled team::blue -> team blue -> latest blue before 11-25 = C1; still open
      // (an issue of type issue, an incident by its type::incident label)
      incident({ id: 4, projectId: 2, createdAt: '2025-11-25T00:00:00.000Z', labels: ['team::blue', 'type::incident'], issueType: 'issue' }),
      // not an incident: plain issue without the incident label
      incident({ id: 5, projectId: 1, createdAt: '2025-11-06T00:00:00.000Z', issueType: 'issue', labels: ['type::bug'] }),
    );
    const out = computeReference(ds, cfg());
    const all = find(out['dora_monthly.csv'], { month: '2025-11' });
    expect(all.cfr_incidents).toBe(75); // A1, A2, C1 attributed / 4 deployments
    expect(all.incidents).toBe(4);
    expect(all.mttr_minutes).toBe(70); // (60 + 120 + 30) / 3
    expect(all.time_to_restore_median_minutes).toBe(60); // median of 30, 60, 120
    expect(all.open_incidents).toBe(1); // incident 4
    const red = find(out['dora_team_monthly.csv'], { team: 'red' });
    const blue = find(out['dora_team_monthly.csv'], { team: 'blue' });
    expect(red.cfr_incidents).toBe(100); // A1, A2 / 2
    expect(blue.cfr_incidents).toBe(50); // C1 / C1, C2
    expect(red.incidents).toBe(2); // 1 and 2 (project teams)
    expect(blue.incidents).toBe(2); // 3 and 4 (label team::blue)
    const web = find(out['dora_project_monthly.csv'], { project: 'acme/red/web' });
    expect(web.incidents).toBe(2); // 2 and 4 are in project 2
    expect(web.cfr_incidents).toBeNull(); // no deployments: empty, not 0
  });
});

describe('lead time', () => {
  it('never starts a change later than its merge and counts a negative merge -> deploy as 0', () => {
    const ds = dataset();
    const d = dep({ environmentId: 30, sha: 'g1', finishedAt: '2025-11-03T12:00:00.000Z' });
    ds.deployments.push(d);
    // MR 1: commit 10:00 authored after the merge 08:00 (rebase) -> start 08:00: lead 4 h, merge 4 h
    link(ds, d, 1, { first: '2025-11-03T10:00:00.000Z', merged: '2025-11-03T08:00:00.000Z' });
    // MR 2: commit 06:00, merged 09:00 -> lead 6 h, merge 3 h
    link(ds, d, 2, { first: '2025-11-03T06:00:00.000Z', merged: '2025-11-03T09:00:00.000Z' });
    // MR 3: deployed from the branch before its merge at 13:00 -> lead 1 h (from 11:00), merge -1 h -> 0
    link(ds, d, 3, { first: '2025-11-03T11:00:00.000Z', merged: '2025-11-03T13:00:00.000Z' });
    const r = portfolio(ds);
    expect(r.lead_time_hours).toBe(4); // median of 1, 4, 6
    expect(r.lead_time_p90_hours).toBeCloseTo(5.6, 10); // rank 0.9 * 2 = 1.8 -> 4 + 0.8 * (6 - 4)
    expect(r.lead_time_merge_hours).toBe(3); // median of 0, 3, 4
  });
});

describe('CI minutes, cost and pipelines', () => {
  const job = (p: Partial<JobRecord> & { id: number; createdAt: string }): JobRecord => ({
    projectId: 1,
    pipelineId: 900,
    name: 'build',
    stage: 'build',
    status: 'success',
    ref: 'main',
    startedAt: null,
    finishedAt: null,
    duration: null,
    queuedDuration: null,
    failureReason: null,
    runnerType: 'instance_type',
    tags: [],
    ...p,
  });

  it('sums minutes of jobs that ran by created_at, pricing tag rates before runner-type rates', () => {
    const ds = dataset();
    ds.jobs.push(
      job({ id: 1, createdAt: '2025-10-31T23:59:00.000Z', duration: 600 }), // October
      job({ id: 2, createdAt: '2025-11-01T00:01:00.000Z', duration: 120, runnerType: 'project_type', tags: ['big'] }),
      job({ id: 3, createdAt: '2025-11-02T00:00:00.000Z', duration: 0 }), // did not run
      job({ id: 4, createdAt: '2025-11-02T00:00:00.000Z', duration: null, status: 'canceled' }),
      job({ id: 5, createdAt: '2025-11-03T00:00:00.000Z', duration: 60, status: 'canceled', runnerType: 'project_type' }),
      job({ id: 6, createdAt: '2025-11-04T00:00:00.000Z', duration: 30, runnerType: null }), // runner deleted
    );
    const c = cfg({
      months: 2,
      runnerRates: [
        { kind: 'runner_type', runnerType: 'project_type', rate: 0.002 },
        { kind: 'tag', tag: 'big', rate: 0.024 },
      ],
    });
    const out = computeReference(ds, c);
    const nov = find(out['ci_cost_monthly.csv'], { month: '2025-11' });
    expect(nov.ci_minutes).toBeCloseTo(3.5, 10); // (120 + 60 + 30) / 60
    // job 2: 2 min x 0.024 (tag beats project_type) = 0.048; job 5: 1 x 0.002; job 6: 0.5 x 0.008
    expect(nov.ci_cost).toBeCloseTo(0.048 + 0.002 + 0.004, 10);
    expect(find(out['ci_cost_monthly.csv'], { month: '2025-10' }).ci_minutes).toBeCloseTo(10, 10); // 600 / 60
    expect(find(out['ci_cost_project_monthly.csv'], { month: '2025-11', project: 'acme/red/api' }).ci_minutes).toBeCloseTo(3.5, 10);
    expect(find(out['ci_cost_team_monthly.csv'], { month: '2025-11', team: 'blue' }).ci_minutes).toBe(0);
  });

  it('computes retry rate over jobs that ran, infra failure share and pipeline running time', () => {
    const ds = dataset();
    ds.pipelines.push(
      { id: 900, projectId: 1, ref: 'main', status: 'success', source: 'push', createdAt: '2025-11-03T10:00:00.000Z', updatedAt: '2025-11-03T11:00:00.000Z', webUrl: '' },
      { id: 901, projectId: 2, ref: 'feature', status: 'failed', source: 'push', createdAt: '2025-11-04T10:00:00.000Z', updatedAt: '2025-11-04T11:00:00.000Z', webUrl: '' },
      { id: 902, projectId: 2, ref: 'main', status: 'canceled', source: 'push', createdAt: '2025-11-05T10:00:00.000Z', updatedAt: '2025-11-05T10:01:00.000Z', webUrl: '' },
    );
    const t = (m: number) => new Date(Date.parse('2025-11-03T10:00:00.000Z') + m * 60_000).toISOString();
    ds.jobs.push(
      // build fails on a runner problem at 10:00-10:04, is retried 10:05-10:09; test 10:08-10:12
      job({ id: 1, createdAt: t(0), startedAt: t(0), finishedAt: t(4), duration: 240, status: 'failed', failureReason: 'runner_system_failure', queuedDuration: 60 }),
      job({ id: 2, createdAt: t(5), startedAt: t(5), finishedAt: t(9), duration: 240, queuedDuration: 120 }),
      job({ id: 3, name: 'test', createdAt: t(6), startedAt: t(8), finishedAt: t(12), duration: 240, status: 'failed', failureReason: 'script_failure', queuedDuration: 180 }),
      job({ id: 4, name: 'lint', createdAt: t(6), duration: 0, status: 'skipped' }),
    );
    const r = find(computeReference(ds, cfg())['pipelines_team_monthly.csv'], { team: 'red' });
    expect(r.pipelines).toBe(3);
    expect(r.pipeline_success_rate).toBe(50); // success 1 / (success 1 + failed 1); canceled out
    expect(r.retry_rate).toBeCloseTo(100 / 3, 10); // job 1 retried / 3 jobs that ran (lint did not)
    expect(r.infra_failure_share).toBe(50); // runner_system_failure 1 / failed 2
    // Pipeline 900: retried job 1 is not its latest build, so jobs 2 (10:05-10:09) and
    // 3 (10:08-10:12) count: union 10:05-10:12 = 7 min. 901 and 902 have no jobs.
    expect(r.pipeline_duration_median_minutes).toBe(7);
    // queue times 1, 2, 3 min: rank 0.9 * 2 = 1.8 -> 2 + 0.8 = 2.8
    expect(r.queue_time_p90_minutes).toBeCloseTo(2.8, 10);
  });

  it('measures running time as the union of job running periods', () => {
    // [0,10] and [5,15] overlap -> 15 s; [20,25] -> 5 s; total 20 s
    expect(runningSeconds([[20_000, 25_000], [0, 10_000], [5_000, 15_000]])).toBe(20);
    expect(runningSeconds([])).toBeNull();
  });
});

describe('delivery', () => {
  it('counts spillover as issues due in the month still open at its end', () => {
    const ds = dataset();
    const issue = (id: number, due: string | null, closedAt: string | null, labels: string[] = []): IssueRecord => ({
      id,
      iid: id,
      projectId: 3,
      state: closedAt ? 'closed' : 'opened',
      createdAt: '2025-11-01T00:00:00.000Z',
      closedAt,
      labels,
      issueType: 'issue',
      milestoneDueDate: due,
    });
    ds.issues.push(
      issue(1, '2025-11-15', null), // open: spills over
      issue(2, '2025-11-15', '2025-11-20T00:00:00.000Z'), // closed in time
      issue(3, '2025-11-30', '2025-12-03T00:00:00.000Z'), // open on 11-30 24:00: spills over
      issue(4, '2025-12-01', null, ['type::bug']), // due next month
    );
    ds.mergeRequests.push(
      { id: 1, iid: 1, projectId: 3, state: 'merged', targetBranch: 'main', createdAt: '2025-11-01T00:00:00.000Z', mergedAt: '2025-11-02T00:00:00.000Z', labels: [] },
      { id: 2, iid: 2, projectId: 3, state: 'merged', targetBranch: 'dev', createdAt: '2025-11-01T00:00:00.000Z', mergedAt: '2025-11-01T12:00:00.000Z', labels: [] },
      { id: 3, iid: 3, projectId: 3, state: 'opened', targetBranch: 'main', createdAt: '2025-11-01T00:00:00.000Z', mergedAt: null, labels: [] },
    );
    const r = find(computeReference(ds, cfg())['delivery_team_monthly.csv'], { team: 'blue' });
    expect(r.spillover).toBe(2); // issues 1 and 3
    expect(r.issues_closed).toBe(1); // issue 2 (issue 3 closed in December)
    expect(r.bugs_opened).toBe(1); // issue 4, created in November
    expect(r.mrs_merged).toBe(2); // any target branch
    expect(r.mr_cycle_time_hours).toBe(18); // median of 24 h and 12 h
    expect(r.hotfix_ratio).toBeNull(); // no deployments: empty
  });
});

describe('DORA levels', () => {
  it('puts values on bucket edges in the bucket the table names', () => {
    // lead time: < 1 day elite, < 7 days high, < 30 days medium, >= 30 days low
    expect([23.99, 24, 167.99, 168, 719.99, 720].map(leadTimeLevel)).toEqual(['elite', 'high', 'high', 'medium', 'medium', 'low']);
    // change failure rate: <= 5 elite, <= 10 high, <= 15 medium, > 15 low
    expect([5, 5.01, 10, 10.01, 15, 15.01, 0].map(changeFailureLevel)).toEqual(['elite', 'high', 'high', 'medium', 'medium', 'low', 'elite']);
    // time to restore (minutes): < 60 elite, < 1440 high, < 10080 (7 days) medium, >= 10080 low
    expect([59.99, 60, 1439.99, 1440, 10079.99, 10080].map(timeToRestoreLevel)).toEqual(['elite', 'high', 'high', 'medium', 'medium', 'low']);
    // no data: no level
    expect([leadTimeLevel(null), changeFailureLevel(null), timeToRestoreLevel(null)]).toEqual([null, null, null]);
    // deployment frequency: >= 5 days/week elite, >= 1 high, >= 1 per month medium, else low
    expect(deploymentFrequencyLevel(5, 20)).toBe('elite');
    expect(deploymentFrequencyLevel(4.5, 20)).toBe('high');
    expect(deploymentFrequencyLevel(1, 4)).toBe('high');
    expect(deploymentFrequencyLevel(0.5, 3)).toBe('medium'); // median below 1 but deployed this month
    expect(deploymentFrequencyLevel(0, 1)).toBe('medium');
    expect(deploymentFrequencyLevel(0, 0)).toBe('low'); // 0 deployments is a value: low, not empty
  });

  it('takes the median over Monday-Sunday weeks cut at the month edges', () => {
    // February 2027 starts on a Monday: four full weeks. Days per week: 1-5 -> 5, 8 -> 1,
    // 15-16 -> 2, none -> 0; sorted 0, 1, 2, 5: median (1 + 2) / 2 = 1.5.
    const feb = ['01', '02', '03', '04', '05', '08', '15', '16'].map((d) => `2027-02-${d}`);
    expect(deploymentDaysPerWeek('2027-02', feb)).toBe(1.5);
    // A day outside the month is ignored; one deployment day: weeks 1, 0, 0, 0 -> median 0.
    expect(deploymentDaysPerWeek('2027-02', ['2027-01-31', '2027-02-10'])).toBe(0);
    expect(deploymentDaysPerWeek('2027-02', [])).toBe(0);
  });

  it('writes deployment_days_per_week and the four levels per scope, with local days deciding the week', () => {
    const ds = dataset();
    // November 2025 starts on a Saturday: weeks Sat 1-Sun 2, 3-9, 10-16, 17-23, 24-30.
    const at = ['2025-11-01T10:00:00.000Z', '2025-11-02T23:30:00.000Z', '2025-11-03T10:00:00.000Z', '2025-11-04T10:00:00.000Z', '2025-11-10T10:00:00.000Z'];
    for (const d of [24, 25, 26, 27, 28]) at.push(`2025-11-${d}T10:00:00.000Z`);
    const deps = at.map((finishedAt, i) => dep({ environmentId: 30, sha: `w${i}`, commitAuthoredAt: '2025-11-01T00:00:00.000Z', finishedAt }));
    ds.deployments.push(...deps);
    const utc = find(computeReference(ds, cfg())['dora_project_monthly.csv'], { project: 'acme/blue/app' });
    // UTC weeks: {1, 2} = 2, {3, 4} = 2, {10} = 1, none = 0, {24..28} = 5 -> sorted 0, 1, 2, 2, 5: median 2
    expect(utc.deployment_days_per_week).toBe(2);
    expect(utc.deployment_days).toBe(10);
    expect(utc.level_deployment_frequency).toBe('high'); // 1 <= 2 < 5
    // 10 MR-less changes, each from 11-01 00:00; the median of the 5th and 6th finishes
    // (11-10 10:00 = 226 h, 11-24 10:00 = 562 h) is 394 h: >= 7 days, < 30 days.
    expect(utc.lead_time_hours).toBe(394);
    expect(utc.level_lead_time).toBe('medium');
    expect(utc.level_change_failure_rate).toBe('elite'); // 0 failures / 10 attempts = 0 %
    expect(utc.level_time_to_restore).toBeNull(); // no incidents closed: no data, no level
    // Berlin (UTC+1 in November): 11-02 23:30 UTC is Monday 11-03, a day that already has a
    // deployment. Weeks {1} = 1, {3, 4} = 2, {10} = 1, 0, 5 -> sorted 0, 1, 1, 2, 5: median 1.
    const berlin = find(computeReference(ds, cfg({ timezone: 'Europe/Berlin' }))['dora_project_monthly.csv'], { project: 'acme/blue/app' });
    expect(berlin.deployment_days).toBe(9);
    expect(berlin.deployment_days_per_week).toBe(1);
    // An empty project month: 0 deployments is low (the value 0), lead time has no level.
    const web = find(computeReference(ds, cfg())['dora_project_monthly.csv'], { project: 'acme/red/web' });
    expect([web.deployment_days_per_week, web.level_deployment_frequency, web.level_lead_time]).toEqual([0, 'low', null]);
  });
});

describe('Pearson r', () => {
  it('is empty below 4 pairs with both values and counts n beside r', () => {
    expect(pearson([[1, 2], [2, 4], [3, 5]])).toEqual({ r: null, n: 3 });
    // One of four months lacks a value: 3 pairs -> empty.
    expect(pearson([[1, 2], [2, null], [3, 5], [4, 9]])).toEqual({ r: null, n: 3 });
  });

  it('computes r over the pairs with both values', () => {
    // x 1, 2, 3, 4 (mean 2.5), y 2, 4, 5, 9 (mean 5): dx -1.5, -0.5, 0.5, 1.5; dy -3, -1, 0, 4
    // Sxy = 4.5 + 0.5 + 0 + 6 = 11; Sxx = 5; Syy = 9 + 1 + 0 + 16 = 26; r = 11 / sqrt(130) = 0.96476
    const r = pearson([[1, 2], [2, 4], [null, 7], [3, 5], [4, 9]]);
    expect(r.n).toBe(4);
    expect(r.r).toBeCloseTo(0.96476, 5);
    // A constant series has no r (0 / 0).
    expect(pearson([[1, 3], [2, 3], [3, 3], [4, 3]])).toEqual({ r: null, n: 4 });
  });
});

describe('cost vs DORA and correlations over the trend window', () => {
  it('gives deployments per 1K of cost, empty when the cost is 0, and r between cost and each metric', () => {
    const ds = dataset();
    // Project 3, July to November 2025. Deployments: Jul 0, Aug 1, Sep 1, Oct 2, Nov 3, all
    // succeed with new SHAs; August's commit has no authored date (a change without lead time).
    const deps: Array<[string, string | null]> = [
      ['2025-08-05T12:00:00.000Z', null],
      ['2025-09-05T12:00:00.000Z', '2025-09-05T00:00:00.000Z'],
      ['2025-10-05T12:00:00.000Z', '2025-10-05T00:00:00.000Z'],
      ['2025-10-06T12:00:00.000Z', '2025-10-06T00:00:00.000Z'],
      ['2025-11-05T12:00:00.000Z', '2025-11-05T00:00:00.000Z'],
      ['2025-11-06T12:00:00.000Z', '2025-11-06T00:00:00.000Z'],
      ['2025-11-07T12:00:00.000Z', '2025-11-07T00:00:00.000Z'],
    ];
    deps.forEach(([finishedAt, commitAuthoredAt], i) => ds.deployments.push(dep({ environmentId: 30, sha: `k${i}`, commitAuthoredAt, finishedAt })));
    // CI cost at 0.008 / min: Jul none (0), Aug 1,250 min (10), Sep 2,500 (20), Oct 3,750 (30), Nov 5,000 (40).
    [1250, 2500, 3750, 5000].forEach((minutes, i) =>
      ds.jobs.push({
        id: 50 + i, projectId: 3, pipelineId: 60 + i, name: 'build', stage: 'build', status: 'success', ref: 'main',
        createdAt: `2025-${String(8 + i).padStart(2, '0')}-10T00:00:00.000Z`, startedAt: null, finishedAt: null,
        duration: minutes * 60, queuedDuration: null, failureReason: null, runnerType: 'instance_type', tags: [],
      }),
    );
    const out = computeReference(ds, cfg({ months: 5 }));
    const rows = out['cost_vs_dora.csv'] ?? [];
    expect(rows.map((r) => r.month)).toEqual(['2025-07', '2025-08', '2025-09', '2025-10', '2025-11']);
    expect(rows.map((r) => r.deployments_per_1k_cost)).toEqual([null, 100, 50, expect.closeTo(66.6667, 3), 75]); // -, 1/10, 1/20, 2/30, 3/40 x 1000
    expect(rows.map((r) => r.lead_time_hours)).toEqual([null, null, 12, 12, 12]);
    expect(rows.map((r) => r.ci_minutes)).toEqual([0, 1250, 2500, 3750, 5000]);
    const corr = new Map((out[CORRELATIONS] ?? []).map((r) => [r.metric, r]));
    // cost x 0, 10, 20, 30, 40 (mean 20), deployments y 0, 1, 1, 2, 3 (mean 1.4):
    // Sxy = (-20)(-1.4) + (-10)(-0.4) + 0 + 10(0.6) + 20(1.6) = 28 + 4 + 6 + 32 = 70; Sxx = 1000;
    // Syy = 1.96 + 0.16 + 0.16 + 0.36 + 2.56 = 5.2; r = 70 / sqrt(5200) = 0.97073
    expect(corr.get('prod_deployments')?.n).toBe(5);
    expect(corr.get('prod_deployments')?.r).toBeCloseTo(0.97073, 5);
    // Lead time exists in Sep, Oct, Nov only: 3 months -> empty.
    expect(corr.get('lead_time_hours')).toMatchObject({ r: null, n: 3 });
    // CFR exists where there are attempts (Aug-Nov), always 0 %: n = 4, constant -> no r.
    expect(corr.get('change_failure_rate')).toMatchObject({ r: null, n: 4 });
  });
});

describe('top pipelines of the report month', () => {
  it('ranks pipelines by the cost of their jobs created in the month, ties by pipeline id, ten at most', () => {
    const ds = dataset();
    const pipeline = (id: number, projectId: number, createdAt: string) =>
      ds.pipelines.push({ id, projectId, ref: `ref-${id}`, status: 'success', source: 'push', createdAt, updatedAt: createdAt, webUrl: `https://gl/p/${id}` });
    const job = (id: number, pipelineId: number, projectId: number, createdAt: string, minutes: number, tags: string[] = []) =>
      ds.jobs.push({
        id, projectId, pipelineId, name: `j${id}`, stage: 'test', status: 'success', ref: `ref-${pipelineId}`, createdAt,
        startedAt: null, finishedAt: null, duration: minutes * 60, queuedDuration: null, failureReason: null, runnerType: 'instance_type', tags,
      });
    const nov = '2025-11-10T00:00:00.000Z';
    for (const id of [801, 802, 803, 804]) pipeline(id, 1, nov);
    job(1, 801, 1, nov, 10); // 10 x 0.008 = 0.08
    job(2, 802, 1, nov, 10); // 0.08: ties with 801, which has the lower id
    job(3, 803, 1, nov, 5, ['big']); // 5 x 0.024 = 0.12: fewer minutes, higher cost
    job(4, 804, 1, '2025-10-31T23:00:00.000Z', 60); // created in October: not this month's
    job(5, 804, 1, '2025-11-01T00:10:00.000Z', 2); // 0.016
    // Created in October, its retried job runs in November: 20 x 0.008 = 0.16
    pipeline(805, 3, '2025-10-30T00:00:00.000Z');
    job(6, 805, 3, '2025-11-01T00:30:00.000Z', 20);
    // Eight 1-minute pipelines (0.008 each): 806-810 take ranks 6-10, 811-813 drop out.
    for (let id = 806; id <= 813; id++) {
      pipeline(id, 3, nov);
      job(id, id, 3, nov, 1);
    }
    job(900, 801, 1, nov, 0); // did not run: adds nothing
    const c = cfg({ runnerRates: [{ kind: 'tag', tag: 'big', rate: 0.024 }] });
    const top = computeReference(ds, c)['top_pipelines.csv'] ?? [];
    expect(top.map((r) => r.pipeline_id)).toEqual([805, 803, 801, 802, 804, 806, 807, 808, 809, 810]);
    expect(top.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(top[0]).toMatchObject({ project: 'acme/blue/app', team: 'blue', ref: 'ref-805', web_url: 'https://gl/p/805', ci_minutes: 20 });
    expect(top[0]!.ci_cost).toBeCloseTo(0.16, 10);
    expect(top[4]).toMatchObject({ pipeline_id: 804, ci_minutes: 2 }); // October's 60 min left out
    expect(top[4]!.ci_cost).toBeCloseTo(0.016, 10);
  });
});
