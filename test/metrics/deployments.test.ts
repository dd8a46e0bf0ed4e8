import { describe, expect, it } from 'vitest';
import { Data, portfolioMonth } from './builders';

function setup() {
  const d = new Data();
  const app = d.project('acme/app', 'alpha');
  return { d, app, prod: d.env(app, 'production') };
}

describe('grouping one pipeline into one deployment', () => {
  it('counts one pipeline deploying to two production environments as one deployment', () => {
    const d = new Data();
    const app = d.project('acme/app', 'alpha');
    const eu = d.env(app, 'production/eu');
    const us = d.env(app, 'production/us');
    d.deploy(eu, '2025-03-10T10:00:00.000Z', { pipelineId: 777 });
    d.deploy(us, '2025-03-10T10:30:00.000Z', { pipelineId: 777 });
    const m = portfolioMonth(d.run());
    expect(m.dora.prod_deployments).toBe(1); // one release, two environments
    expect(m.dora.deployment_attempts).toBe(1);
    expect(m.dora.deployments_per_day).toBeCloseTo(1 / 31, 10); // March has 31 days
  });

  it('fails the release when one environment failed, and counts it as one failed attempt', () => {
    const d = new Data();
    const app = d.project('acme/app', 'alpha');
    const eu = d.env(app, 'production/eu');
    const us = d.env(app, 'production/us');
    d.deploy(eu, '2025-03-10T10:00:00.000Z', { pipelineId: 777 });
    d.deploy(us, '2025-03-10T10:30:00.000Z', { pipelineId: 777, status: 'failed' });
    const m = portfolioMonth(d.run());
    expect(m.dora.prod_deployments).toBe(0);
    expect(m.dora.deployment_attempts).toBe(1);
    expect(m.dora.failed_deployments).toBe(1);
    expect(m.dora.cfr_deployments).toBe(100); // 1 failed / 1 attempt
  });

  it('lets the last deployment per environment decide (a retried deploy job succeeds)', () => {
    const { d, prod } = setup();
    d.deploy(prod, '2025-03-10T10:00:00.000Z', { pipelineId: 5, status: 'failed' });
    d.deploy(prod, '2025-03-10T11:00:00.000Z', { pipelineId: 5 });
    const m = portfolioMonth(d.run());
    // one pipeline → one attempt; its last deployment succeeded → success
    expect(m.dora.deployment_attempts).toBe(1);
    expect(m.dora.prod_deployments).toBe(1);
    expect(m.dora.cfr_deployments).toBe(0);
  });

  it('keeps API-created deployments (no pipeline) apart', () => {
    const { d, prod } = setup();
    d.deploy(prod, '2025-03-10T10:00:00.000Z', { pipelineId: null });
    d.deploy(prod, '2025-03-10T11:00:00.000Z', { pipelineId: null });
    const r = d.run();
    expect(portfolioMonth(r).dora.prod_deployments).toBe(2);
    expect(r.dataQuality.deploymentsWithoutJob).toBe(2);
  });

  it('counts success and failed as attempts, but not canceled, skipped or running', () => {
    const { d, prod } = setup();
    d.deploy(prod, '2025-03-03T10:00:00.000Z');
    d.deploy(prod, '2025-03-04T10:00:00.000Z', { status: 'failed' });
    d.deploy(prod, '2025-03-05T10:00:00.000Z', { status: 'canceled' });
    d.deploy(prod, '2025-03-06T10:00:00.000Z', { status: 'skipped' });
    d.deploy(prod, '2025-03-07T10:00:00.000Z', { status: 'running' });
    const m = portfolioMonth(d.run());
    expect(m.dora.deployment_attempts).toBe(2);
    expect(m.dora.prod_deployments).toBe(1);
    expect(m.dora.failed_deployments).toBe(1);
    expect(m.dora.cfr_deployments).toBe(50); // 1 failed / 2 attempts
    expect(m.dora.deployment_days).toBe(1); // only the successful one on the 3rd
  });

  it('counts distinct deployment days', () => {
    const { d, prod } = setup();
    d.deploy(prod, '2025-03-03T08:00:00.000Z');
    d.deploy(prod, '2025-03-03T18:00:00.000Z');
    d.deploy(prod, '2025-03-04T08:00:00.000Z');
    const m = portfolioMonth(d.run());
    expect(m.dora.prod_deployments).toBe(3);
    expect(m.dora.deployment_days).toBe(2); // March 3rd and 4th
  });
});

describe('rollbacks', () => {
  it('marks a deployment failed when a later one redeploys a SHA live before it', () => {
    const { d, prod } = setup();
    d.deploy(prod, '2025-03-01T10:00:00.000Z', { sha: 'a' });
    d.deploy(prod, '2025-03-05T10:00:00.000Z', { sha: 'b' });
    d.deploy(prod, '2025-03-06T10:00:00.000Z', { sha: 'a' }); // back to a
    const m = portfolioMonth(d.run());
    // b is rolled back (a was live before it); a's successor b is new; the last has none → 1 / 3
    expect(m.dora.cfr_deployments).toBeCloseTo(100 / 3, 10);
    expect(m.dora.prod_deployments).toBe(3); // a rollback is still a deployment
  });

  it('marks every deployment between the SHA first going live and its later redeploy (4.1 to the letter)', () => {
    const { d, prod } = setup();
    d.deploy(prod, '2025-03-01T10:00:00.000Z', { sha: 'a' });
    d.deploy(prod, '2025-03-02T10:00:00.000Z', { sha: 'b' });
    d.deploy(prod, '2025-03-03T10:00:00.000Z', { sha: 'c' });
    d.deploy(prod, '2025-03-04T10:00:00.000Z', { sha: 'a' }); // back from c to a
    // b: a later deployment (4th) redeploys a, live before b → failed.
    // c: same → failed. a (1st): later SHAs b, c, a — a is its own SHA, b/c were not live
    // before it → not failed. 4th: nothing later → not failed. 2 failures / 4 attempts = 50%.
    expect(portfolioMonth(d.run()).dora.cfr_deployments).toBe(50);
  });

  it('uses the SHA live before the window (baseline look-up) as live before', () => {
    const { d, prod } = setup();
    d.baseline(prod, true, 'old');
    d.deploy(prod, '2025-03-05T10:00:00.000Z', { sha: 'x' });
    d.deploy(prod, '2025-03-06T10:00:00.000Z', { sha: 'old' });
    // x rolled back to the pre-window SHA → 1 failure / 2 attempts
    expect(portfolioMonth(d.run()).dora.cfr_deployments).toBe(50);
  });

  it('does not call a plain forward release or a re-run of the same SHA a rollback', () => {
    const { d, prod } = setup();
    d.deploy(prod, '2025-03-01T10:00:00.000Z', { sha: 'a' });
    d.deploy(prod, '2025-03-02T10:00:00.000Z', { sha: 'b' });
    d.deploy(prod, '2025-03-03T10:00:00.000Z', { sha: 'b' });
    d.deploy(prod, '2025-03-04T10:00:00.000Z', { sha: 'c' });
    expect(portfolioMonth(d.run()).dora.cfr_deployments).toBe(0);
  });

  it("sees a rollback made by re-running an older pipeline's deploy job (GitLab's environment Rollback)", () => {
    const { d, prod } = setup();
    d.deploy(prod, '2025-03-04T09:00:00.000Z', { sha: 'a', pipelineId: 401 });
    d.deploy(prod, '2025-03-05T09:00:00.000Z', { sha: 'b', pipelineId: 402 });
    d.deploy(prod, '2025-03-07T09:00:00.000Z', { sha: 'a', pipelineId: 401 }); // re-run of 401's job, two days later
    // 401 succeeded in production on the 4th, so its re-run on the 7th is a deployment of
    // its own: 3 deployments (401 on the 4th, 402 on the 5th, the re-run on the 7th). The
    // re-run redeploys a, live before 402 → 402 rolled back. 401 (4th): later SHAs b (not live
    // before it) and a (its own) → fine. The re-run: nothing later → fine. 1 / 3.
    const m = portfolioMonth(d.run());
    expect(m.dora.prod_deployments).toBe(3);
    expect(m.dora.deployment_attempts).toBe(3);
    expect(m.dora.cfr_deployments).toBeCloseTo(100 / 3, 10);
    expect(m.dora.deployment_days).toBe(3); // 4th, 5th, 7th
    expect(m.dora.changes).toBe(2); // a on the 4th and b on the 5th (MR-less commits); the rollback ships none
  });

  it('looks at the same environment only', () => {
    const d = new Data();
    const app = d.project('acme/app', 'alpha');
    const eu = d.env(app, 'production/eu');
    const us = d.env(app, 'production/us');
    d.deploy(eu, '2025-03-01T10:00:00.000Z', { sha: 'a' });
    d.deploy(us, '2025-03-02T10:00:00.000Z', { sha: 'b' });
    d.deploy(us, '2025-03-03T10:00:00.000Z', { sha: 'a' }); // a was never live in us before
    expect(portfolioMonth(d.run()).dora.cfr_deployments).toBe(0);
  });
});

describe('hotfixes', () => {
  const D = '2025-03-10T10:00:00.000Z';

  it('marks D failed when a hotfix ref deploys to the same environment within 24 h', () => {
    const { d, prod } = setup();
    d.deploy(prod, D);
    d.deploy(prod, '2025-03-11T09:00:00.000Z', { ref: 'Hotfix/login' }); // 23 h later, (?i) matches
    const m = portfolioMonth(d.run());
    expect(m.dora.cfr_deployments).toBe(50); // D failed, the hotfix itself not → 1 / 2
    expect(m.dora.hotfix_deployments).toBe(1);
    expect(m.delivery.hotfix_ratio).toBe(50); // 1 hotfix / 2 prod deployments
  });

  it('counts exactly 24 h as within, and a second more as outside', () => {
    const inside = setup();
    inside.d.deploy(inside.prod, D);
    inside.d.deploy(inside.prod, '2025-03-11T10:00:00.000Z', { ref: 'hotfix-1' });
    expect(portfolioMonth(inside.d.run()).dora.cfr_deployments).toBe(50);

    const outside = setup();
    outside.d.deploy(outside.prod, D);
    outside.d.deploy(outside.prod, '2025-03-11T10:00:01.000Z', { ref: 'hotfix-1' });
    const m = portfolioMonth(outside.d.run());
    expect(m.dora.cfr_deployments).toBe(0);
    expect(m.dora.hotfix_deployments).toBe(1); // still a hotfix deployment, just not D's
  });

  it('recognises a hotfix by an MR labelled type::hotfix', () => {
    const { d, prod } = setup();
    d.deploy(prod, D);
    const h = d.deploy(prod, '2025-03-10T15:00:00.000Z', { ref: 'main' });
    d.link(h, 1, { labels: ['type::hotfix'], mergedAt: '2025-03-10T14:00:00.000Z' });
    expect(portfolioMonth(d.run()).dora.cfr_deployments).toBe(50);
  });

  it('ignores an MR-labelled hotfix outside 24 h and hotfixes to another environment', () => {
    const d = new Data();
    const app = d.project('acme/app', 'alpha');
    const eu = d.env(app, 'production/eu');
    const us = d.env(app, 'production/us');
    d.deploy(eu, D);
    const late = d.deploy(eu, '2025-03-12T10:00:00.000Z');
    d.link(late, 1, { labels: ['type::hotfix'] });
    d.deploy(us, '2025-03-10T12:00:00.000Z', { ref: 'hotfix/x' });
    const m = portfolioMonth(d.run());
    expect(m.dora.cfr_deployments).toBe(0);
    expect(m.dora.hotfix_deployments).toBe(2);
  });

  it('needs the hotfix to succeed', () => {
    const { d, prod } = setup();
    d.deploy(prod, D);
    d.deploy(prod, '2025-03-10T12:00:00.000Z', { ref: 'hotfix/x', status: 'failed' });
    // D is fine; the failed hotfix is the one failure → 1 / 2
    const m = portfolioMonth(d.run());
    expect(m.dora.cfr_deployments).toBe(50);
    expect(m.dora.failed_deployments).toBe(1);
    expect(m.dora.hotfix_deployments).toBe(0);
  });
});

describe('re-run deploy jobs (a deploy job re-run after its pipeline succeeded there)', () => {
  it('leaves the release as it was and counts the re-run two days later as a deployment of its own that ships no change', () => {
    const { d, prod } = setup();
    d.baseline(prod, true, 'old');
    // Pipeline 501 deploys on Feb 27th; its deploy job is re-run ("Re-deploy") on March 1st.
    const release = d.deploy(prod, '2025-02-27T10:00:00.000Z', { sha: 'a', pipelineId: 501 });
    d.link(release, 1, { firstCommitAuthoredAt: '2025-02-25T10:00:00.000Z', mergedAt: '2025-02-27T08:00:00.000Z' });
    const rerun = d.deploy(prod, '2025-03-01T10:00:00.000Z', { sha: 'a', pipelineId: 501 });
    // whatever GitLab links to the re-run (here MR 1 again and MR 2, not shipped yet) ships nothing
    d.link(rerun, 1, { firstCommitAuthoredAt: '2025-02-25T10:00:00.000Z', mergedAt: '2025-02-27T08:00:00.000Z' });
    d.link(rerun, 2, { firstCommitAuthoredAt: '2025-02-28T10:00:00.000Z', mergedAt: '2025-03-02T10:00:00.000Z' });
    // incident after the re-run: the latest successful deployment before it is the re-run
    d.incident(d.ds.projects[0]!, '2025-03-01T12:00:00.000Z', '2025-03-01T13:00:00.000Z');
    const r = d.run({ months: 2 });

    const feb = portfolioMonth(r, '2025-02');
    expect(feb.dora.prod_deployments).toBe(1); // the release stays in February
    expect(feb.dora.deployment_days).toBe(1);
    expect(feb.dora.changes).toBe(1); // MR 1
    expect(feb.dora.lead_time_hours).toBe(48); // 02-25 10:00 → 02-27 10:00 (not moved to the re-run)
    expect(feb.dora.lead_time_merge_hours).toBe(2); // 08:00 → 10:00
    expect(feb.dora.cfr_incidents).toBe(0);

    const mar = portfolioMonth(r, '2025-03');
    expect(mar.dora.prod_deployments).toBe(1); // the re-run, at its own finish time
    expect(mar.dora.deployment_attempts).toBe(1);
    expect(mar.dora.deployment_days).toBe(1); // March 1st
    expect(mar.dora.changes).toBe(0); // ships no change: neither MR 1 again nor MR 2
    expect(mar.dora.lead_time_hours).toBeNull();
    expect(mar.dora.cfr_deployments).toBe(0); // same SHA again: no rollback
    expect(mar.dora.cfr_incidents).toBe(100); // the incident is the re-run's: 1 / 1
    expect(r.dataQuality.deploymentsWithoutMr).toBe(0);
  });

  it('lets a later real deployment ship an MR that GitLab linked to a re-run', () => {
    const { d, prod } = setup();
    d.baseline(prod, true, 'old');
    d.deploy(prod, '2025-03-10T10:00:00.000Z', { sha: 'a', pipelineId: 501 });
    const rerun = d.deploy(prod, '2025-03-12T10:00:00.000Z', { sha: 'a', pipelineId: 501 });
    d.link(rerun, 2, { firstCommitAuthoredAt: '2025-03-13T04:00:00.000Z', mergedAt: '2025-03-13T10:00:00.000Z' });
    const next = d.deploy(prod, '2025-03-14T10:00:00.000Z', { sha: 'b', pipelineId: 502 });
    d.link(next, 2, { firstCommitAuthoredAt: '2025-03-13T04:00:00.000Z', mergedAt: '2025-03-13T10:00:00.000Z' });
    const m = portfolioMonth(d.run());
    expect(m.dora.prod_deployments).toBe(3);
    // 501 (no MR, new SHA a) is one commit change with no authored date; MR 2 at 502
    expect(m.dora.changes).toBe(2);
    expect(m.dora.lead_time_hours).toBe(30); // MR 2: 03-13 04:00 → 03-14 10:00 (the other has no start)
    expect(m.dora.lead_time_merge_hours).toBe(24); // 03-13 10:00 → 03-14 10:00
  });

  it('counts a failed re-run after the success as a failed attempt of its own; the release stays successful', () => {
    const { d, prod } = setup();
    d.deploy(prod, '2025-03-10T10:00:00.000Z', { sha: 'a', pipelineId: 601 });
    d.deploy(prod, '2025-03-12T10:00:00.000Z', { sha: 'a', pipelineId: 601, status: 'failed' });
    const m = portfolioMonth(d.run());
    expect(m.dora.prod_deployments).toBe(1); // the release
    expect(m.dora.deployment_attempts).toBe(2); // the release and the failed re-run
    expect(m.dora.failed_deployments).toBe(1);
    expect(m.dora.cfr_deployments).toBe(50); // 1 / 2
    expect(m.dora.deployment_days).toBe(1); // only the release's day
  });

  it('groups a failed attempt and its retry into the release, then counts each later re-run on its own', () => {
    const { d, prod } = setup();
    d.deploy(prod, '2025-03-10T10:00:00.000Z', { sha: 'a', pipelineId: 801, status: 'failed' });
    d.deploy(prod, '2025-03-10T11:00:00.000Z', { sha: 'a', pipelineId: 801 }); // retried to success: the release
    d.deploy(prod, '2025-03-13T11:00:00.000Z', { sha: 'a', pipelineId: 801 }); // re-run: success
    d.deploy(prod, '2025-03-14T09:00:00.000Z', { sha: 'a', pipelineId: 801, status: 'failed' }); // re-run: failed
    d.deploy(prod, '2025-03-14T10:00:00.000Z', { sha: 'a', pipelineId: 801 }); // re-run again: success
    const m = portfolioMonth(d.run());
    // release (10th 11:00, success), re-runs: 13th success, 14th failed, 14th success
    expect(m.dora.deployment_attempts).toBe(4);
    expect(m.dora.prod_deployments).toBe(3);
    expect(m.dora.failed_deployments).toBe(1);
    expect(m.dora.cfr_deployments).toBe(25); // 1 / 4
    expect(m.dora.deployment_days).toBe(3); // 10th, 13th, 14th
    expect(m.dora.changes).toBe(1); // sha a, once
  });

  it('keeps a two-environment release whole when only eu is re-run', () => {
    const d = new Data();
    const app = d.project('acme/app', 'alpha');
    const eu = d.env(app, 'production/eu');
    const us = d.env(app, 'production/us');
    d.baseline(eu, true, 'old');
    d.baseline(us, true, 'old');
    const e = d.deploy(eu, '2025-03-10T10:00:00.000Z', { sha: 'a', pipelineId: 701 });
    const u = d.deploy(us, '2025-03-10T10:30:00.000Z', { sha: 'a', pipelineId: 701 });
    const mr = { firstCommitAuthoredAt: '2025-03-09T10:30:00.000Z', mergedAt: '2025-03-10T09:00:00.000Z' };
    d.link(e, 1, mr);
    d.link(u, 1, mr);
    d.deploy(eu, '2025-03-12T10:00:00.000Z', { sha: 'a', pipelineId: 701 }); // eu re-run two days later
    const m = portfolioMonth(d.run());
    expect(m.dora.prod_deployments).toBe(2); // the release (eu + us) and the eu re-run
    expect(m.dora.deployment_attempts).toBe(2);
    expect(m.dora.deployment_days).toBe(2); // 10th and 12th
    expect(m.dora.changes).toBe(1);
    expect(m.dora.lead_time_hours).toBe(24); // 03-09 10:30 → the release's finish, 03-10 10:30 (us)
    expect(m.dora.lead_time_merge_hours).toBe(1.5); // 09:00 → 10:30
    expect(m.dora.cfr_deployments).toBe(0);
  });

  it('makes a re-run a hotfix by its ref only, not by MRs GitLab links to it', () => {
    const { d, prod } = setup();
    d.deploy(prod, '2025-03-10T10:00:00.000Z', { sha: 'a', pipelineId: 901 });
    const rerun = d.deploy(prod, '2025-03-10T15:00:00.000Z', { sha: 'a', pipelineId: 901 });
    d.link(rerun, 1, { labels: ['type::hotfix'], mergedAt: '2025-03-10T14:00:00.000Z' });
    const plain = portfolioMonth(d.run());
    expect(plain.dora.hotfix_deployments).toBe(0); // ships no MR, ref main
    expect(plain.dora.cfr_deployments).toBe(0);

    // A re-run of a hotfix pipeline's job is a hotfix deployment (its ref matches), and the
    // hotfix rule applies to it like to any other deployment (4.1): 14 h after the release of
    // pipeline 900 it marks that release failed, to the letter.
    const h = setup();
    h.d.deploy(h.prod, '2025-03-09T20:00:00.000Z', { sha: 'h', pipelineId: 900, ref: 'hotfix/login' });
    h.d.deploy(h.prod, '2025-03-10T10:00:00.000Z', { sha: 'h', pipelineId: 900, ref: 'hotfix/login' }); // re-run
    const m = portfolioMonth(h.d.run());
    expect(m.dora.prod_deployments).toBe(2);
    expect(m.dora.hotfix_deployments).toBe(2);
    expect(m.delivery.hotfix_ratio).toBe(100); // 2 / 2
    expect(m.dora.cfr_deployments).toBe(50); // the release, followed by a hotfix within 24 h: 1 / 2
  });

  it('still groups the first attempts of a pipeline per environment when one environment failed and is retried days later', () => {
    const d = new Data();
    const app = d.project('acme/app', 'alpha');
    const eu = d.env(app, 'production/eu');
    const us = d.env(app, 'production/us');
    d.deploy(eu, '2025-03-10T10:00:00.000Z', { sha: 'a', pipelineId: 1001 });
    d.deploy(us, '2025-03-10T10:30:00.000Z', { sha: 'a', pipelineId: 1001, status: 'failed' });
    d.deploy(us, '2025-03-12T10:00:00.000Z', { sha: 'a', pipelineId: 1001 }); // us retried to success
    // us had not succeeded yet: its retry belongs to the release (a failed deploy job retried
    // to success is a success), which finishes on the 12th.
    const m = portfolioMonth(d.run());
    expect(m.dora.prod_deployments).toBe(1);
    expect(m.dora.deployment_attempts).toBe(1);
    expect(m.dora.cfr_deployments).toBe(0);
    expect(m.dora.deployment_days).toBe(1);
  });
});
