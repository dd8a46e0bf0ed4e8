/**
 * What a perfect collector needs (per_page=100) for a window, per endpoint key, and the
 * list of person strings for the privacy test.
 *
 * minimumRequests — the exact formula, for the root group (data.groups[0]) and its
 * projects as listed with include_subgroups=true&with_shared=false&archived=false:
 *   GET /groups/:id                      1
 *   GET /groups/:id/projects             max(1, ceil(projects / 100))
 *   per project:
 *   GET /projects/:id/environments       1
 *   GET /projects/:id/deployments        per environment whose tier is `productionTier`:
 *                                          max(1, ceil(success deployments with finished_at in [start, end) / 100))
 *                                        + max(1, ceil(failed deployments with updated_at in [start, end) / 100))
 *                                        + 1 (baseline look-up: any success before the window?)
 *   GET /projects/:id/deployments/:deployment_id/merge_requests
 *                                        per success production deployment finished in the window:
 *                                          max(1, ceil(its MRs / 100))
 *   GET /projects/:id/merge_requests/:iid/commits
 *                                        per distinct MR shipped by those deployments, except the ones
 *                                        shipped by a baseline (first ever) deployment, which are no
 *                                        change: max(1, ceil(commits / 100))
 *   GET /projects/:id/pipelines          max(1, ceil(pipelines with created_at in [start, end) / 100))
 *                                        (created_after/created_before semantics)
 *   GET /projects/:id/jobs               keyset, newest first, until the first page that reaches a job
 *                                        created before start: max(1, min(ceil((jobs created at/after
 *                                        start + 1) / 100), ceil(all jobs / 100)))
 *   GET /groups/:id/issues               max(1, ceil(issues of the group's non-archived projects with
 *                                        updated_at >= start / 100))   (updated_after = start, no upper bound:
 *                                        + max(1, ceil(issues still open that were created before start / 100))
 *                                        (state=opened&created_before=start: untouched open incidents / spillover)
 *   GET /groups/:id/merge_requests       same for merged merge requests (state=merged)        an item closed in the window may be updated later)
 */
import type { FakeData, GroupRec, ProjectRec } from './model';

const pages = (n: number) => Math.max(1, Math.ceil(n / 100));

export function listedProjects(data: FakeData, root: GroupRec): ProjectRec[] {
  const ids = new Set<number>([root.id]);
  for (let grew = true; grew;) {
    grew = false;
    for (const g of data.groups) if (g.parentId !== null && ids.has(g.parentId) && !ids.has(g.id)) { ids.add(g.id); grew = true; }
  }
  return data.projects.filter((p) => ids.has(p.namespaceId) && !p.archived);
}

export function minimumRequests(data: FakeData, window: { start: string; end: string }, productionTier = 'production'): Record<string, number> {
  const start = Date.parse(window.start);
  const end = Date.parse(window.end);
  const root = data.groups[0];
  if (!root) throw new Error('no group');
  const out: Record<string, number> = {};
  const add = (key: string, n: number) => { out[key] = (out[key] ?? 0) + n; };
  add('GET /groups/:id', 1);
  const listed = listedProjects(data, root);
  add('GET /groups/:id/projects', pages(listed.length));
  for (const p of listed) {
    const a = data.activity(p.id);
    add('GET /projects/:id/environments', 1);
    const changeMrs = new Set<number>();
    for (const env of a.environments.filter((e) => e.tier === productionTier)) {
      const mine = a.deployments.filter((d) => d.env.id === env.id);
      const ok = mine.filter((d) => d.status === 'success');
      const firstEver = ok.reduce<(typeof ok)[number] | null>((f, d) => (f === null || (d.finishedAt ?? 0) < (f.finishedAt ?? 0) ? d : f), null);
      const inWindow = ok.filter((d) => d.finishedAt !== null && d.finishedAt >= start && d.finishedAt < end);
      const failed = mine.filter((d) => d.status === 'failed' && d.updatedAt >= start && d.updatedAt < end);
      add('GET /projects/:id/deployments', pages(inWindow.length) + pages(failed.length) + 1);
      for (const d of inWindow) {
        add('GET /projects/:id/deployments/:deployment_id/merge_requests', pages(d.mrs.length));
        if (d !== firstEver) for (const m of d.mrs) changeMrs.add(m.iid);
      }
    }
    for (const iid of changeMrs) {
      const m = a.mergeRequests.find((x) => x.iid === iid);
      add('GET /projects/:id/merge_requests/:iid/commits', pages(m?.commits.length ?? 0));
    }
    add('GET /projects/:id/pipelines', pages(a.pipelines.filter((x) => x.createdAt >= start && x.createdAt < end).length));
    const recent = a.jobs.filter((j) => j.createdAt >= start).length;
    add('GET /projects/:id/jobs', Math.max(1, Math.min(Math.ceil((recent + 1) / 100), Math.ceil(a.jobs.length / 100))));
  }
  const inGroup = new Set(listed.map((p) => p.id));
  add('GET /groups/:id/issues', pages(data.allIssues().filter((i) => inGroup.has(i.projectId) && i.updatedAt >= start).length));
  // Issues opened before the window and still open (open incidents, spillover) are not
  // reached by updated_after when nobody touched them: one more listing, state=opened&created_before=start.
  add('GET /groups/:id/issues', pages(data.allIssues().filter((i) => inGroup.has(i.projectId) && i.state === 'opened' && i.createdAt < start).length));
  // Only merged MRs matter (mrs_merged, mr_cycle_time_hours): state=merged&updated_after=start.
  add('GET /groups/:id/merge_requests', pages(data.allMergeRequests().filter((m) => inGroup.has(m.projectId) && m.state === 'merged' && m.updatedAt >= start).length));
  return out;
}

/** Every person name, username and e-mail in the data (people are the only source of person fields). */
export function personStrings(data: FakeData): string[] {
  return [...new Set(data.people.flatMap((p) => [p.name, p.username, p.email]))];
}
