/**
 * The customer's sketch (collect_data in the customer's design notes, which are not in this repository) as a request
 * counter: serial, one request at a time, `page` + `per_page=100` until an EMPTY page, and
 * per project: every deployment of the prod environment (no date filter), pipelines by
 * updated_after/updated_before, jobs PER PIPELINE, incident issues. Only the request count
 * matters, so records are read just far enough to drive the loops, and a deployment
 * without a job (deployable null) is skipped instead of crashing the way the sketch would.
 *
 * Differences from the Python, each neutral for the count: the sketch's
 * include_subgroups=True is sent as `true` (GitLab's boolean parser takes both), and its
 * PROD_ENV is the portfolio's production environment name.
 */

export interface NaiveOptions {
  url: string;
  token: string;
  group: string;
  /** 'YYYY-MM-DD', as the sketch's START_DATE / END_DATE (END_DATE = last day of the window) */
  startDate: string;
  endDate: string;
  prodEnv: string;
  /** measure only every k-th project (1 = all) and extrapolate the per-project requests */
  sampleEvery: number;
}

export interface NaiveResult {
  /** measured (sampleEvery = 1) or extrapolated total */
  requests: number;
  measuredRequests: number;
  projects: number;
  measuredProjects: number;
  extrapolated: boolean;
}

export async function runNaive(o: NaiveOptions): Promise<NaiveResult> {
  let requests = 0;
  const api = `${o.url.replace(/\/+$/, '')}/api/v4`;

  async function allPages(path: string, params: Record<string, string> = {}): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    for (let page = 1; ; page++) {
      const q = new URLSearchParams({ ...params, page: String(page), per_page: '100' });
      requests++;
      const r = await fetch(`${api}${path}?${q}`, { headers: { 'PRIVATE-TOKEN': o.token } });
      if (!r.ok) throw new Error(`naive baseline: ${r.status} on ${path}`);
      const data = (await r.json()) as Record<string, unknown>[];
      if (data.length === 0) return out;
      out.push(...data);
    }
  }

  const projects = await allPages(`/groups/${encodeURIComponent(o.group)}/projects`, { include_subgroups: 'true' });
  const listing = requests;
  let measuredProjects = 0;
  for (const [i, p] of projects.entries()) {
    if (i % o.sampleEvery !== 0) continue;
    measuredProjects++;
    const pid = String(p.id);
    for (const d of await allPages(`/projects/${pid}/deployments`, { environment: o.prodEnv })) {
      // the sketch reads d["deployable"]["commit"]["created_at"]: it would crash here on null
      if (d.deployable === null) continue;
    }
    for (const pl of await allPages(`/projects/${pid}/pipelines`, { updated_after: o.startDate, updated_before: o.endDate })) {
      await allPages(`/projects/${pid}/pipelines/${String(pl.id)}/jobs`);
    }
    await allPages(`/projects/${pid}/issues`, { labels: 'type::incident,env::prod', created_after: o.startDate, created_before: o.endDate });
  }
  const perProject = requests - listing;
  const extrapolated = measuredProjects < projects.length;
  return {
    requests: extrapolated ? Math.round(listing + (perProject * projects.length) / Math.max(1, measuredProjects)) : requests,
    measuredRequests: requests,
    projects: projects.length,
    measuredProjects,
    extrapolated,
  };
}
