import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePortfolio } from './portfolio';
import { deploymentJson, jobJson } from './serialize';
import { personStrings } from './minimum';
import { get, server, useFake } from './helpers';
import type { FakeData, ProjectActivity } from './model';

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const small = { seed: 7, teams: 3, projects: 20, months: 3, historyMonths: 1, endMonth: '2026-10' };
const DAY = 86_400_000;

function digest(a: ProjectActivity) {
  return {
    jobs: a.jobs.map((j) => [j.id, j.name, j.status, j.createdAt, j.duration, j.runnerIdx]),
    deployments: a.deployments.map((d) => [d.id, d.env.name, d.status, d.finishedAt, d.sha, d.mrs.map((m) => m.iid)]),
    issues: a.issues.map((i) => [i.id, i.createdAt, i.closedAt, i.labels]),
  };
}

describe('generatePortfolio', () => {
  it('is deterministic per seed, also after the activity cache evicted a project', () => {
    const a = generatePortfolio(small);
    const b = generatePortfolio(small);
    const first = a.projects[1]?.id ?? 0;
    const before = digest(a.activity(first));
    expect(digest(b.activity(first))).toEqual(before);
    for (const p of a.projects) a.activity(p.id); // 20 projects + 6 extra > the LRU size? regenerate anyway
    expect(digest(a.activity(first))).toEqual(before);
    const other = generatePortfolio({ ...small, seed: 8 });
    expect(digest(other.activity(other.projects[1]?.id ?? 0))).not.toEqual(before);
  });

  it('has the default layout: acme (1000), 22 teams, 200 team projects and the extras', async () => {
    const data = generatePortfolio();
    useFake(data);
    const total = async (qs: string) => (await get(`/groups/1000/projects?per_page=100&${qs}`)).headers.get('x-total');
    // 200 team projects + handbook, website, reporting + 2 archived (205 owned) + 1 shared in
    expect(await total('include_subgroups=true')).toBe('206');
    expect(await total('include_subgroups=true&with_shared=false')).toBe('205');
    expect(await total('include_subgroups=true&with_shared=false&archived=false')).toBe('203');
    // only direct projects without include_subgroups: handbook, website, reporting (+ the shared one)
    expect(await total('')).toBe('4');
    expect(await total('with_shared=false&archived=false')).toBe('3');
    const teams = data.groups.filter((g) => g.parentId === 1000);
    expect(teams).toHaveLength(22);
    expect(data.groups.some((g) => g.parentId !== null && g.parentId !== 1000)).toBe(true); // nested subgroups
    expect(data.projects.map((p) => p.pathWithNamespace)).toEqual(expect.arrayContaining(['acme/reporting', 'acme/platform/incidents']));
    const group = (await (await get('/groups/acme')).json()) as { id: number };
    expect(group.id).toBe(1000);
  });

  it('has the variety the metrics must cope with', () => {
    const data = generatePortfolio(small);
    const acts = data.projects.map((p) => [p, data.activity(p.id)] as const);
    const envNames = acts.flatMap(([, a]) => a.environments.map((e) => `${e.name}:${e.tier}`));
    expect(envNames).toEqual(expect.arrayContaining(['production/eu:production', 'production/us:production', 'live:production']));
    const withCi = acts.filter(([, a]) => a.pipelines.length > 0);
    expect(withCi.some(([, a]) => !a.environments.some((e) => e.tier === 'production'))).toBe(true);
    const deps = acts.flatMap(([, a]) => a.deployments);
    expect(deps.some((d) => d.job === null && d.env.tier === 'production')).toBe(true);
    expect(deps.some((d) => d.ref.startsWith('hotfix/') && d.status === 'success')).toBe(true);
    expect(deps.some((d) => d.status === 'failed' && d.env.tier === 'production')).toBe(true);
    // multi-region: one pipeline deploys both production/eu and production/us
    const eu = deps.filter((d) => d.env.name === 'production/eu' && d.job);
    expect(eu.some((d) => deps.some((u) => u.env.name === 'production/us' && u.job?.pipeline === d.job?.pipeline))).toBe(true);
    // new projects: first production deployment inside the 3-month window (from 2026-08-01)
    const windowStart = Date.parse('2026-08-01T00:00:00Z');
    const firstProd = withCi.map(([, a]) => Math.min(...a.deployments.filter((d) => d.env.tier === 'production' && d.status === 'success').map((d) => d.finishedAt ?? Infinity)));
    expect(firstProd.some((t) => t > windowStart && t < Infinity)).toBe(true);
    const issues = acts.flatMap(([, a]) => a.issues);
    expect(issues.some((i) => i.issueType === 'incident')).toBe(true);
    expect(issues.some((i) => i.issueType === 'issue' && i.labels.includes('type::incident'))).toBe(true);
    expect(issues.some((i) => i.issueType === 'incident' && i.state === 'opened')).toBe(true);
    expect(issues.some((i) => i.milestone?.dueDate)).toBe(true);
    const central = data.projects.find((p) => p.pathWithNamespace === 'acme/platform/incidents');
    const centralIssues = data.activity(central?.id ?? 0).issues;
    expect(centralIssues.length).toBeGreaterThan(0);
    expect(centralIssues.every((i) => i.labels.some((l) => l.startsWith('team::')))).toBe(true);
    const mrs = acts.flatMap(([, a]) => a.mergeRequests);
    expect(mrs.some((m) => m.labels.includes('type::hotfix'))).toBe(true);
    expect(mrs.some((m) => m.mergedAt !== null && m.commits.some((c) => c.authoredAt > (m.mergedAt ?? 0)))).toBe(true);
    expect(mrs.filter((m) => m.mergedAt !== null).every((m) => m.commits.length >= 1 && m.commits.length <= 6)).toBe(true);
  });

  it('has realistic CI volumes: ~3 pipelines a working day, ~6 jobs each, a few % failed, retries', () => {
    const data = generatePortfolio(small);
    const busy = data.projects.filter((p) => !p.archived).map((p) => data.activity(p.id)).filter((a) => a.pipelines.length > 150);
    expect(busy.length).toBeGreaterThan(5);
    for (const a of busy) {
      const perPipeline = a.jobs.length / a.pipelines.length;
      expect(perPipeline).toBeGreaterThan(4);
      expect(perPipeline).toBeLessThan(8);
      const failed = a.jobs.filter((j) => j.status === 'failed').length / a.jobs.length;
      expect(failed).toBeLessThan(0.08);
      // 2-5 successful production deployments a week are planned; failures and chance make it ~1.5-6.5
      const prod = a.deployments.filter((d) => d.env.tier === 'production' && d.status === 'success' && d.env.name !== 'production/us');
      if (prod.length === 0) continue;
      const since = Math.min(...prod.map((d) => d.finishedAt ?? Infinity));
      const weeks = (Date.parse('2026-11-01') - since) / (7 * DAY);
      expect(prod.length / weeks).toBeGreaterThan(1.5);
      expect(prod.length / weeks).toBeLessThan(6.5);
    }
    const jobs = busy.flatMap((a) => a.jobs);
    const reasons = new Set(jobs.filter((j) => j.status === 'failed').map((j) => j.failureReason));
    expect([...reasons].sort()).toEqual(['runner_system_failure', 'script_failure', 'stuck_or_timeout_failure']);
    const retried = jobs.filter((j, i) => jobs.findIndex((k) => k.pipeline === j.pipeline && k.name === j.name) !== i);
    expect(retried.length).toBeGreaterThan(0);
    expect(jobs.some((j) => j.runnerIdx === -1 && j.duration !== null)).toBe(true); // runner deleted
    const types = new Set(jobs.map((j) => data.runners[j.runnerIdx]?.runner_type).filter(Boolean));
    expect(types.size).toBeGreaterThanOrEqual(2);
  });

  it('serialises jobs and deployments as GitLab does', () => {
    const data: FakeData = generatePortfolio(small);
    const p = data.projects.find((x) => data.activity(x.id).jobs.length > 0);
    if (!p) throw new Error('no project with jobs');
    const a = data.activity(p.id);
    for (const j of a.jobs) {
      const o = jobJson(data, p, j);
      expect('failure_reason' in o).toBe(j.status === 'failed');
      expect(o.tag_list).toEqual([...(o.tag_list as string[])].sort());
    }
    for (const d of a.deployments) {
      const o = deploymentJson(data, p, d);
      expect(o).not.toHaveProperty('finished_at');
      expect(o.environment).not.toHaveProperty('tier');
    }
  });

  it('personStrings covers every person field served', () => {
    const data = generatePortfolio(small);
    const persons = new Set(personStrings(data));
    const p = data.projects.find((x) => data.activity(x.id).mergeRequests.length > 0);
    const a = data.activity(p?.id ?? 0);
    for (const m of a.mergeRequests) for (const c of m.commits) {
      const author = data.people[c.authorIdx];
      expect(persons.has(author?.email ?? '?')).toBe(true);
      expect(persons.has(author?.name ?? '?')).toBe(true);
    }
    expect(persons.size).toBe(data.people.length * 3);
  });
});
