/**
 * Independent collector for the cross-check: reads the raw GitLab REST API with plain
 * `fetch` and builds a Dataset (src/model/types.ts shapes) for a window, following
 * ../../docs/collection.md#what-is-read, ../../docs/definitions.md and ../../docs/gitlab-api.md. It shares no code with src/gitlab/ on
 * purpose: it lists everything without server-side date filters and filters on the
 * client, so window edges and API filter semantics are checked, not re-used.
 * Slow and sequential by design (a cross-check tool, not the product).
 */
import type {
  Dataset, DeploymentMergeRequestRecord, DeploymentRecord, DeploymentStatus, EnvironmentBaselineRecord,
  EnvironmentRecord, IssueRecord, JobRecord, MergeRequestRecord, PipelineRecord, ProjectRecord,
} from '../../src/model/types';

type Obj = Record<string, unknown>;

export interface RawCollectOptions {
  /** GitLab base URL, e.g. http://127.0.0.1:1234 (the API lives under /api/v4) */
  url: string;
  token: string;
  /** group full path or id */
  group: string;
  /** [windowStart, windowEnd) as UTC instants */
  windowStart: string;
  windowEnd: string;
  /** environment tier that counts as production (the documented default, ../../docs/inputs.md) */
  environmentTier?: string;
}

const str = (o: Obj, k: string): string => {
  const v = o[k];
  if (typeof v !== 'string') throw new Error(`expected string field ${k}, got ${JSON.stringify(v)}`);
  return v;
};
const strOrNull = (o: Obj, k: string): string | null => (typeof o[k] === 'string' ? (o[k] as string) : null);
const num = (o: Obj, k: string): number => {
  const v = o[k];
  if (typeof v !== 'number') throw new Error(`expected number field ${k}, got ${JSON.stringify(v)}`);
  return v;
};
const numOrNull = (o: Obj, k: string): number | null => (typeof o[k] === 'number' ? (o[k] as number) : null);
const obj = (o: Obj, k: string): Obj | null => (o[k] !== null && typeof o[k] === 'object' ? (o[k] as Obj) : null);
const strings = (o: Obj, k: string): string[] => (Array.isArray(o[k]) ? (o[k] as unknown[]).filter((x): x is string => typeof x === 'string') : []);
/** GitLab may send offsets (+02:00); records hold UTC ISO instants. */
const utc = (s: string): string => new Date(Date.parse(s)).toISOString();
const utcOrNull = (s: string | null): string | null => (s === null ? null : utc(s));
const t = (s: string): number => Date.parse(s);

/** Follows Link rel="next" verbatim (offset or keyset), returning every item of every page. */
async function getAll(base: string, token: string, path: string, requests: Record<string, number>): Promise<Obj[]> {
  const out: Obj[] = [];
  let next: string | null = `${base}/api/v4${path}`;
  while (next) {
    const key = path.split('?')[0]!.replace(/\/\d+/g, '/:id');
    requests[key] = (requests[key] ?? 0) + 1;
    const res: Response = await fetch(next, { headers: { 'PRIVATE-TOKEN': token } });
    if (!res.ok) throw new Error(`GET ${next.replace(base, '')} -> ${res.status}`);
    const body = (await res.json()) as unknown;
    if (!Array.isArray(body)) throw new Error(`GET ${path}: expected an array`);
    out.push(...(body as Obj[]));
    const link = res.headers.get('link') ?? '';
    const m = /<([^>]+)>;\s*rel="next"/.exec(link);
    next = m ? m[1]! : null;
  }
  return out;
}

function dedupe<T extends { id: number }>(items: T[]): T[] {
  const seen = new Map<number, T>();
  for (const x of items) seen.set(x.id, x);
  return [...seen.values()];
}

export async function collectRaw(opts: RawCollectOptions): Promise<Dataset> {
  const base = opts.url.replace(/\/+$/, '');
  const tier = opts.environmentTier ?? 'production';
  const requests: Record<string, number> = {};
  const get = (path: string) => getAll(base, opts.token, path, requests);
  const ws = t(opts.windowStart);
  const we = t(opts.windowEnd);
  const inWindow = (iso: string) => t(iso) >= ws && t(iso) < we;
  const g = encodeURIComponent(opts.group);

  // ---------- projects; team = first-level subgroup below the group (team_source subgroup) ----------
  const rawProjects = await get(`/groups/${g}/projects?include_subgroups=true&with_shared=false&archived=false&per_page=100`);
  const groupPathOf = (p: Obj): string => str(obj(p, 'namespace') ?? {}, 'full_path');
  // the group's full path: every project's namespace starts with it; read it from the group itself
  const groupRes = await fetch(`${base}/api/v4/groups/${g}`, { headers: { 'PRIVATE-TOKEN': opts.token } });
  if (!groupRes.ok) throw new Error(`GET /groups/${opts.group} -> ${groupRes.status}`);
  const groupPath = str((await groupRes.json()) as Obj, 'full_path');
  const projects: ProjectRecord[] = dedupe(rawProjects.map((p) => {
    const ns = groupPathOf(p);
    const rest = ns === groupPath ? '' : ns.slice(groupPath.length + 1);
    return {
      id: num(p, 'id'),
      name: str(p, 'name'),
      path: str(p, 'path_with_namespace'),
      webUrl: str(p, 'web_url'),
      namespacePath: ns,
      topics: strings(p, 'topics'),
      team: rest === '' ? null : (rest.split('/')[0] ?? null),
    };
  })).sort((a, b) => a.id - b.id);

  const environments: EnvironmentRecord[] = [];
  const deployments: DeploymentRecord[] = [];
  const baselines: EnvironmentBaselineRecord[] = [];
  const deploymentMergeRequests: DeploymentMergeRequestRecord[] = [];
  const pipelines: PipelineRecord[] = [];
  const jobs: JobRecord[] = [];
  const firstCommitOf = new Map<string, { first: string | null; count: number }>();

  for (const p of projects) {
    // ---------- environments (tier lives only here) ----------
    const envs = (await get(`/projects/${p.id}/environments?per_page=100`)).map((e): EnvironmentRecord => ({
      id: num(e, 'id'), projectId: p.id, name: str(e, 'name'), tier: strOrNull(e, 'tier'),
    }));
    environments.push(...envs);
    const prodEnvIds = new Set(envs.filter((e) => e.tier === tier).map((e) => e.id));

    // ---------- all deployments, production ones kept, finish time per 4.1 ----------
    const allDeps = (await get(`/projects/${p.id}/deployments?per_page=100&order_by=id&sort=asc`)).map((d): DeploymentRecord => {
      const env = obj(d, 'environment') ?? {};
      const job = obj(d, 'deployable');
      const updatedAt = utc(str(d, 'updated_at'));
      const jobFinished = job ? strOrNull(job, 'finished_at') : null;
      const commit = job ? obj(job, 'commit') : null;
      const pipe = job ? obj(job, 'pipeline') : null;
      return {
        id: num(d, 'id'),
        iid: num(d, 'iid'),
        projectId: p.id,
        environmentId: num(env, 'id'),
        environmentName: str(env, 'name'),
        status: str(d, 'status') as DeploymentStatus,
        ref: str(d, 'ref'),
        sha: str(d, 'sha'),
        createdAt: utc(str(d, 'created_at')),
        updatedAt,
        finishedAt: jobFinished ? utc(jobFinished) : updatedAt,
        pipelineId: pipe ? num(pipe, 'id') : null,
        commitAuthoredAt: commit ? utcOrNull(strOrNull(commit, 'authored_date')) : null,
      };
    }).filter((d) => prodEnvIds.has(d.environmentId));
    const windowDeps = dedupe(allDeps.filter((d) => inWindow(d.finishedAt)));
    deployments.push(...windowDeps);

    // ---------- baseline per production environment: latest success finished before the window ----------
    for (const e of envs.filter((x) => prodEnvIds.has(x.id))) {
      let last: DeploymentRecord | null = null;
      for (const d of allDeps) {
        if (d.environmentId !== e.id || d.status !== 'success' || t(d.finishedAt) >= ws) continue;
        if (!last || t(d.finishedAt) > t(last.finishedAt) || (t(d.finishedAt) === t(last.finishedAt) && d.id > last.id)) last = d;
      }
      baselines.push({
        projectId: p.id, environmentId: e.id, environmentName: e.name,
        hasEarlierSuccess: last !== null, lastSha: last?.sha ?? null, lastFinishedAt: last?.finishedAt ?? null,
      });
    }

    // ---------- MRs shipped by each successful production deployment, and their commits ----------
    for (const d of windowDeps.filter((x) => x.status === 'success')) {
      const mrs = dedupe((await get(`/projects/${p.id}/deployments/${d.id}/merge_requests?per_page=100`)).map((m) => ({ m, id: num(m, 'id') })));
      for (const { m } of mrs) {
        const mrProjectId = num(m, 'project_id');
        const iid = num(m, 'iid');
        const key = `${mrProjectId}:${iid}`;
        let fc = firstCommitOf.get(key);
        if (!fc) {
          const commits = await get(`/projects/${mrProjectId}/merge_requests/${iid}/commits?per_page=100`);
          let first: string | null = null;
          for (const c of commits) {
            const a = utc(str(c, 'authored_date'));
            if (first === null || t(a) < t(first)) first = a;
          }
          fc = { first, count: commits.length };
          firstCommitOf.set(key, fc);
        }
        deploymentMergeRequests.push({
          projectId: p.id, deploymentId: d.id, mrId: num(m, 'id'), mrIid: iid, mrProjectId,
          createdAt: utc(str(m, 'created_at')), mergedAt: utcOrNull(strOrNull(m, 'merged_at')), labels: strings(m, 'labels'),
          firstCommitAuthoredAt: fc.first, commitCount: fc.count,
        });
      }
    }

    // ---------- pipelines created in the window (no server-side date filter: edges checked here) ----------
    const pls = (await get(`/projects/${p.id}/pipelines?per_page=100`)).map((x): PipelineRecord => ({
      id: num(x, 'id'), projectId: p.id, ref: str(x, 'ref'), status: str(x, 'status'), source: strOrNull(x, 'source'),
      createdAt: utc(str(x, 'created_at')), updatedAt: utc(str(x, 'updated_at')), webUrl: str(x, 'web_url'),
    }));
    pipelines.push(...dedupe(pls.filter((x) => inWindow(x.createdAt))));

    // ---------- every job (keyset, all pages), kept by created_at ----------
    const js = (await get(`/projects/${p.id}/jobs?pagination=keyset&order_by=id&sort=desc&per_page=100`)).map((j): JobRecord => {
      const runner = obj(j, 'runner');
      const pipe = obj(j, 'pipeline');
      return {
        id: num(j, 'id'), projectId: p.id, pipelineId: pipe ? num(pipe, 'id') : null,
        name: str(j, 'name'), stage: str(j, 'stage'), status: str(j, 'status'), ref: str(j, 'ref'),
        createdAt: utc(str(j, 'created_at')), startedAt: utcOrNull(strOrNull(j, 'started_at')), finishedAt: utcOrNull(strOrNull(j, 'finished_at')),
        duration: numOrNull(j, 'duration'), queuedDuration: numOrNull(j, 'queued_duration'),
        failureReason: strOrNull(j, 'failure_reason'), runnerType: runner ? strOrNull(runner, 'runner_type') : null,
        tags: strings(j, 'tag_list'),
      };
    });
    jobs.push(...dedupe(js.filter((j) => inWindow(j.createdAt))));
  }

  // ---------- group issues: every issue whose life overlaps the window (open counts need old ones) ----------
  const issues: IssueRecord[] = dedupe((await get(`/groups/${g}/issues?scope=all&state=all&per_page=100`)).map((i): IssueRecord => ({
    id: num(i, 'id'), iid: num(i, 'iid'), projectId: num(i, 'project_id'),
    state: str(i, 'state') === 'closed' ? 'closed' : 'opened',
    createdAt: utc(str(i, 'created_at')), closedAt: utcOrNull(strOrNull(i, 'closed_at')), labels: strings(i, 'labels'),
    issueType: strOrNull(i, 'issue_type') ?? 'issue', milestoneDueDate: strOrNull(obj(i, 'milestone') ?? {}, 'due_date'),
  }))).filter((i) => t(i.createdAt) < we && (i.closedAt === null || t(i.closedAt) >= ws));

  // ---------- group MRs merged in the window ----------
  const mergeRequests: MergeRequestRecord[] = dedupe((await get(`/groups/${g}/merge_requests?scope=all&state=merged&per_page=100`)).map((m): MergeRequestRecord => ({
    id: num(m, 'id'), iid: num(m, 'iid'), projectId: num(m, 'project_id'), state: str(m, 'state'), targetBranch: str(m, 'target_branch'),
    createdAt: utc(str(m, 'created_at')), mergedAt: utcOrNull(strOrNull(m, 'merged_at')), labels: strings(m, 'labels'),
  }))).filter((m) => m.mergedAt !== null && inWindow(m.mergedAt));

  return {
    meta: {
      toolVersion: 'crosscheck-raw', group: opts.group, windowStart: new Date(ws).toISOString(), windowEnd: new Date(we).toISOString(),
      skippedProjects: [], retries: {}, requests, shards: 1,
    },
    projects, environments, deployments, baselines, deploymentMergeRequests, pipelines, jobs, issues, mergeRequests,
  };
}
