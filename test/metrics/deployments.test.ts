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
    d.deploy(prod, '2025-03-04T16:00:00.000Z', { sha: 'b', pipelineId: 402 });
    d.deploy(prod, '2025-03-04T18:00:00.000Z', { sha: 'a', pipelineId: 401 }); // re-run of 401's job
    // Pipeline 401 is one deployment, finishing at its re-run (18:00); a was live from 09:00,
    // before b (16:00). So 401 at 18:00 redeploys a SHA live before 402: 402 is rolled back.
    // 2 deployments (401, 402), 1 change failure → 50%.
    const m = portfolioMonth(d.run());
    expect(m.dora.prod_deployments).toBe(2);
    expect(m.dora.cfr_deployments).toBe(50);
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
