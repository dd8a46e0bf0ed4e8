/**
 * Hand-made small data for tests: write only what the test is about, every other field
 * gets a sensible default. Times are ISO strings; ids are given or assigned in order.
 */
import type {
  CommitRec, DeployRec, EnvRec, FakeData, GroupRec, IssueRec, JobRec, MilestoneRec, MrRec, Person,
  PipelineRec, ProjectActivity, ProjectRec, RunnerRec,
} from './model';
import { withPayloads, type PayloadVariations } from './payloads';

export interface ScenarioRunner {
  type: RunnerRec['runner_type'];
  tags?: string[];
}

export interface ScenarioJob {
  id?: number;
  name?: string; // 'build'
  stage?: string; // 'build'
  status?: string; // 'success'
  created_at?: string; // the pipeline's created_at
  started_at?: string | null; // created_at + 5 s for jobs that ran
  finished_at?: string | null; // started_at + duration
  duration?: number | null; // seconds; 300 for jobs that ran
  queued_duration?: number | null;
  runner?: ScenarioRunner | null; // instance_type saas-linux-small-amd64 for jobs that ran
  tag_list?: string[]; // the runner's tags
  failure_reason?: string; // 'script_failure' for failed jobs
  allow_failure?: boolean;
  /** index into people */
  user?: number;
  /**
   * Hand-made payload edits of this job's JSON, as an older or differently configured GitLab
   * sends it: e.g. { failure_reason: undefined } (key absent), { tag_list: undefined },
   * { runner: { id: 7, is_shared: false, ... } } (no runner_type). undefined removes the key.
   */
  json?: Record<string, unknown>;
}

export interface ScenarioPipeline {
  id?: number;
  ref?: string; // 'main'
  sha?: string;
  status?: string; // 'success'
  source?: string; // 'push'
  created_at: string;
  updated_at?: string; // last job finish, else created_at
  jobs?: ScenarioJob[];
  user?: number;
  /** hand-made edits of this pipeline's JSON, e.g. { updated_at: null } (also on its jobs' pipeline) */
  json?: Record<string, unknown>;
}

export interface ScenarioDeployment {
  id?: number;
  environment: string; // name; created with a guessed tier when not listed in environments
  status?: string; // 'success'
  ref?: string; // the pipeline's ref, else 'main'
  sha?: string; // the pipeline's sha
  created_at?: string; // the deploy job's created_at (finished_at - 5 min)
  /** deployable.finished_at (or, with api: true, the moment the deployment was marked finished) */
  finished_at?: string;
  updated_at?: string; // finished_at + 1 s
  /** id of a pipeline of this project that ran the deploy job; default: a pipeline of its own */
  pipeline?: number;
  /** extra fields of the deploy job */
  job?: ScenarioJob;
  /** created through the API: deployable null */
  api?: boolean;
  /** iids of the MRs this deployment newly shipped */
  mrs?: number[];
  user?: number;
  /** hand-made edits of this deployment's JSON, e.g. { deployable: null }, { updated_at: undefined } */
  json?: Record<string, unknown>;
}

export interface ScenarioCommit {
  authored_date: string;
  committed_date?: string;
  title?: string;
  sha?: string;
  author?: number;
}

export interface ScenarioMr {
  iid: number;
  id?: number;
  title?: string;
  state?: MrRec['state']; // 'merged' when merged_at is set, else 'opened'
  created_at: string;
  merged_at?: string | null;
  closed_at?: string | null;
  updated_at?: string; // merged_at / closed_at / created_at
  labels?: string[];
  target_branch?: string; // 'main'
  source_branch?: string; // 'feature-<iid>'
  commits?: ScenarioCommit[]; // one commit authored at created_at
  author?: number;
}

export interface ScenarioIssue {
  iid?: number;
  id?: number;
  title?: string;
  created_at: string;
  closed_at?: string | null;
  updated_at?: string; // closed_at ?? created_at
  labels?: string[];
  issue_type?: IssueRec['issueType']; // 'issue'
  severity?: IssueRec['severity'];
  milestone?: { title: string; due_date: string | null };
  author?: number;
}

export interface ScenarioProject {
  id?: number; // 1, 2, ... in order
  /** full path, e.g. 'acme/payments/api'; missing groups are created */
  path: string;
  archived?: boolean;
  topics?: string[];
  /** group paths this project is shared into (for a project outside the root group) */
  sharedInto?: string[];
  /** [{ production, production }]; tier null = served without a tier (GitLab before 13.10) */
  environments?: { name: string; tier?: EnvRec['tier'] | null; id?: number }[];
  pipelines?: ScenarioPipeline[];
  deployments?: ScenarioDeployment[];
  mergeRequests?: ScenarioMr[];
  issues?: ScenarioIssue[];
  /** filler for pagination tests: `pipelines` pipelines of `jobsPerPipeline` jobs, one every `everyMinutes` from `from` */
  bulk?: { pipelines: number; jobsPerPipeline?: number; from: string; everyMinutes?: number };
}

export interface ScenarioSpec {
  /** root group path (id 1000), default 'acme' */
  group?: string;
  /** extra groups, full paths, e.g. ['acme/payments', 'acme/payments/backend'] */
  subgroups?: string[];
  projects?: ScenarioProject[];
  /** default: three fake people */
  people?: Omit<Person, 'id'>[];
  /** payload variations applied to the whole data set (see payloads.ts) */
  payloads?: PayloadVariations;
}

const DEFAULT_PEOPLE: Omit<Person, 'id'>[] = [
  { name: 'Rosalind Okonkwo', username: 'rokonkwo', email: 'rosalind.okonkwo@example.test' },
  { name: 'Tobias Lindgren', username: 'tlindgren', email: 'tobias.lindgren@example.test' },
  { name: 'Mariana Quesada', username: 'mquesada', email: 'mariana.quesada@example.test' },
];

/**
 * GitLab's tier guess from the environment name: gitlabhq/gitlabhq app/models/environment.rb
 * Environment#guess_tier — unanchored, case-insensitive, in GitLab's order: development,
 * testing, staging, production, else other (written here independently of src/).
 */
function guessTier(name: string): EnvRec['tier'] {
  if (/(dev|review|trunk)/i.test(name)) return 'development';
  if (/(test|tst|int|ac(ce|)pt|qa|qc|control|quality)/i.test(name)) return 'testing';
  if (/(st(a|)g|mod(e|)l|pre|demo|non)/i.test(name)) return 'staging';
  if (/(pr(o|)d|live)/i.test(name)) return 'production';
  return 'other';
}

const ms = (s: string): number => {
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new Error(`scenario: bad time '${s}'`);
  return t;
};
const msOrNull = (s: string | null | undefined): number | null => (s === null || s === undefined ? null : ms(s));

export function buildScenario(s: ScenarioSpec): FakeData {
  const rootPath = s.group ?? 'acme';
  const people: Person[] = (s.people ?? DEFAULT_PEOPLE).map((p, i) => ({ id: 100 + i, ...p }));
  const created = Date.UTC(2020, 0, 1);
  const groups: GroupRec[] = [{ id: 1000, name: rootPath, path: rootPath, fullPath: rootPath, parentId: null, createdAt: created }];
  const ensureGroup = (full: string): GroupRec => {
    const found = groups.find((g) => g.fullPath === full);
    if (found) return found;
    const cut = full.lastIndexOf('/');
    const parent = cut > 0 ? ensureGroup(full.slice(0, cut)) : null;
    const path = full.slice(cut + 1);
    const g: GroupRec = { id: 1000 + groups.length, name: path, path, fullPath: full, parentId: parent?.id ?? null, createdAt: created };
    groups.push(g);
    return g;
  };
  for (const g of s.subgroups ?? []) ensureGroup(g);

  const runners: RunnerRec[] = [];
  const runnerIdx = (r: ScenarioRunner): number => {
    const tags = r.tags ?? (r.type === 'instance_type' ? ['saas-linux-small-amd64'] : []);
    const i = runners.findIndex((x) => x.runner_type === r.type && x.tags.join() === tags.join());
    if (i >= 0) return i;
    runners.push({ id: 1 + runners.length, description: `${r.type}-${tags.join('-') || 'untagged'}`, name: 'gitlab-runner', runner_type: r.type, tags });
    return runners.length - 1;
  };

  let seqPipeline = 0, seqJob = 0, seqDeploy = 0, seqMr = 0, seqIssue = 0, seqEnv = 0, seqSha = 0;
  const fakeSha = () => (++seqSha).toString(16).padStart(8, '0').repeat(5);
  const milestones = new Map<string, MilestoneRec>();
  const projects: ProjectRec[] = [];
  const activities = new Map<number, ProjectActivity>();

  (s.projects ?? []).forEach((sp, index) => {
    const cut = sp.path.lastIndexOf('/');
    if (cut <= 0) throw new Error(`scenario: project path '${sp.path}' needs a namespace`);
    const ns = ensureGroup(sp.path.slice(0, cut));
    const id = sp.id ?? index + 1;
    const project: ProjectRec = {
      id, name: sp.path.slice(cut + 1), path: sp.path.slice(cut + 1), namespaceId: ns.id, pathWithNamespace: sp.path,
      archived: sp.archived ?? false, topics: sp.topics ?? [], defaultBranch: 'main', createdAt: created,
      sharedWithGroupIds: (sp.sharedInto ?? []).map((g) => ensureGroup(g).id),
    };
    projects.push(project);

    const environments: EnvRec[] = (sp.environments ?? [{ name: 'production', tier: 'production' }]).map((e) => ({
      id: e.id ?? ++seqEnv, name: e.name, tier: e.tier ?? guessTier(e.name), state: 'available', externalUrl: null, createdAt: created, updatedAt: created,
      ...(e.tier === null ? { noTier: true } : {}),
    }));
    const envNamed = (name: string): EnvRec => {
      let e = environments.find((x) => x.name === name);
      if (!e) {
        e = { id: ++seqEnv, name, tier: guessTier(name), state: 'available', externalUrl: null, createdAt: created, updatedAt: created };
        environments.push(e);
      }
      return e;
    };

    const pipelines: PipelineRec[] = [];
    const jobs: (JobRec & { fixedId?: boolean })[] = [];
    const commitFor = (sha: string, at: number, user: number): CommitRec => ({ sha, title: 'Update', message: 'Update\n', authorIdx: user, authoredAt: at, committedAt: at });
    const addJob = (pl: PipelineRec, j: ScenarioJob): JobRec => {
      const status = j.status ?? 'success';
      const ran = !['created', 'pending', 'skipped', 'manual', 'scheduled', 'waiting_for_resource', 'preparing'].includes(status) && j.started_at !== null;
      const createdAt = j.created_at ? ms(j.created_at) : pl.createdAt;
      const startedAt = ran ? (msOrNull(j.started_at) ?? createdAt + 5000) : null;
      let duration = j.duration === undefined ? null : j.duration;
      let finishedAt = msOrNull(j.finished_at);
      if (startedAt !== null && status !== 'running') {
        if (finishedAt === null) finishedAt = startedAt + (duration ?? 300) * 1000;
        if (duration === null) duration = (finishedAt - startedAt) / 1000;
      }
      const runner = j.runner === undefined ? (ran ? { type: 'instance_type' as const } : null) : j.runner;
      const rIdx = runner ? runnerIdx(runner) : -1;
      const job: JobRec & { fixedId?: boolean } = {
        id: j.id ?? 0, fixedId: j.id !== undefined, pipeline: pl, name: j.name ?? 'build', stage: j.stage ?? 'build', status,
        allowFailure: j.allow_failure ?? false, createdAt, startedAt, finishedAt, duration,
        queuedDuration: j.queued_duration === undefined ? (startedAt !== null ? (startedAt - createdAt) / 1000 : null) : j.queued_duration,
        runnerIdx: rIdx, tags: j.tag_list ?? runners[rIdx]?.tags ?? [], failureReason: status === 'failed' ? (j.failure_reason ?? 'script_failure') : null,
        userIdx: j.user ?? pl.userIdx,
        ...(j.json ? { json: j.json } : {}),
      };
      jobs.push(job);
      return job;
    };
    const addPipeline = (p: ScenarioPipeline): PipelineRec => {
      const at = ms(p.created_at);
      const sha = p.sha ?? fakeSha();
      const user = p.user ?? 0;
      const pl: PipelineRec = {
        id: p.id ?? 0, iid: 0, ref: p.ref ?? 'main', sha, status: p.status ?? 'success', source: p.source ?? 'push',
        createdAt: at, updatedAt: at, name: null, userIdx: user, commit: commitFor(sha, at - 60_000, user),
        ...(p.json ? { json: p.json } : {}),
      };
      pipelines.push(pl);
      for (const j of p.jobs ?? []) addJob(pl, j);
      const fin = jobs.filter((j) => j.pipeline === pl).map((j) => j.finishedAt ?? j.createdAt);
      pl.updatedAt = p.updated_at ? ms(p.updated_at) : Math.max(at, ...fin);
      return pl;
    };
    for (const p of sp.pipelines ?? []) addPipeline(p);
    if (sp.bulk) {
      const from = ms(sp.bulk.from);
      const every = (sp.bulk.everyMinutes ?? 10) * 60_000;
      for (let i = 0; i < sp.bulk.pipelines; i++) {
        const n = sp.bulk.jobsPerPipeline ?? 0;
        addPipeline({ created_at: new Date(from + i * every).toISOString(), jobs: Array.from({ length: n }, (_, k) => ({ name: `job-${k + 1}`, duration: 60 })) });
      }
    }

    const mergeRequests: MrRec[] = (sp.mergeRequests ?? []).map((m) => {
      const mergedAt = msOrNull(m.merged_at);
      const closedAt = msOrNull(m.closed_at);
      const author = m.author ?? 0;
      const commits: CommitRec[] = (m.commits ?? [{ authored_date: m.created_at }]).map((c) => ({
        sha: c.sha ?? fakeSha(), title: c.title ?? `Change for !${m.iid}`, message: `${c.title ?? `Change for !${m.iid}`}\n`,
        authorIdx: c.author ?? author, authoredAt: ms(c.authored_date), committedAt: ms(c.committed_date ?? c.authored_date),
      }));
      return {
        id: m.id ?? ++seqMr + 10_000, iid: m.iid, projectId: id, title: m.title ?? `Change ${m.iid}`,
        state: m.state ?? (mergedAt !== null ? 'merged' : closedAt !== null ? 'closed' : 'opened'),
        createdAt: ms(m.created_at), updatedAt: m.updated_at ? ms(m.updated_at) : (mergedAt ?? closedAt ?? ms(m.created_at)),
        mergedAt, closedAt, targetBranch: m.target_branch ?? 'main', sourceBranch: m.source_branch ?? `feature-${m.iid}`,
        labels: m.labels ?? [], authorIdx: author, mergeUserIdx: mergedAt !== null ? author : null,
        sha: commits[0]?.sha ?? fakeSha(), mergeCommitSha: mergedAt !== null ? fakeSha() : null, commits,
      };
    });

    const deployments: DeployRec[] = (sp.deployments ?? []).map((d) => {
      const env = envNamed(d.environment);
      const status = d.status ?? 'success';
      const finishedAt = msOrNull(d.finished_at);
      const createdAt = d.created_at ? ms(d.created_at) : (finishedAt ?? Date.UTC(2020, 0, 1)) - 5 * 60_000;
      let job: JobRec | null = null;
      let ref = d.ref ?? 'main';
      let sha = d.sha ?? fakeSha();
      if (!d.api) {
        const pl = d.pipeline !== undefined
          ? pipelines.find((x) => x.id === d.pipeline)
          : addPipeline({ created_at: new Date(createdAt).toISOString(), ref, sha, status: status === 'success' ? 'success' : 'failed' });
        if (!pl) throw new Error(`scenario: deployment refers to unknown pipeline ${d.pipeline}`);
        ref = d.ref ?? pl.ref;
        sha = d.sha ?? pl.sha;
        const jobStatus = status === 'success' || status === 'failed' || status === 'canceled' || status === 'skipped' ? status : 'running';
        job = addJob(pl, {
          name: `deploy-${env.name.replace(/\//g, '-')}`, stage: 'deploy', status: jobStatus, created_at: new Date(createdAt).toISOString(),
          started_at: jobStatus === 'skipped' ? null : new Date(createdAt + 5000).toISOString(),
          finished_at: finishedAt === null ? null : new Date(finishedAt).toISOString(), ...d.job,
        });
        pl.updatedAt = Math.max(pl.updatedAt, job.finishedAt ?? job.createdAt);
      }
      const updatedAt = d.updated_at ? ms(d.updated_at) : (finishedAt ?? createdAt) + 1000;
      return {
        id: d.id ?? 0, iid: 0, env, ref, sha, status, createdAt, updatedAt,
        finishedAt: ['success', 'failed', 'canceled'].includes(status) ? (finishedAt ?? updatedAt) : null,
        job, userIdx: d.user ?? 0,
        ...(d.json ? { json: d.json } : {}),
        mrs: (d.mrs ?? []).map((iid) => {
          const m = mergeRequests.find((x) => x.iid === iid);
          if (!m) throw new Error(`scenario: deployment ships unknown MR !${iid}`);
          return m;
        }),
      };
    });

    const issues: IssueRec[] = (sp.issues ?? []).map((i, k) => {
      const closedAt = msOrNull(i.closed_at);
      let milestone: MilestoneRec | null = null;
      if (i.milestone) {
        const key = i.milestone.title;
        milestone = milestones.get(key) ?? { id: 500 + milestones.size, iid: milestones.size + 1, groupId: 1000, title: key, dueDate: i.milestone.due_date, startDate: null, createdAt: created };
        milestones.set(key, milestone);
      }
      return {
        id: i.id ?? ++seqIssue + 20_000, iid: i.iid ?? k + 1, projectId: id, title: i.title ?? `Issue ${k + 1}`,
        state: closedAt !== null ? 'closed' : 'opened', createdAt: ms(i.created_at),
        updatedAt: i.updated_at ? ms(i.updated_at) : (closedAt ?? ms(i.created_at)), closedAt, closedByIdx: closedAt !== null ? (i.author ?? 0) : null,
        labels: i.labels ?? [], milestone, authorIdx: i.author ?? 0, assigneeIdxs: [], issueType: i.issue_type ?? 'issue', severity: i.severity ?? 'UNKNOWN',
      };
    });

    // ids in creation order (given ids are kept), as GitLab's sequences assign them
    const order = <T extends { createdAt: number; id: number }>(xs: T[]) => [...xs].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
    const ps = order(pipelines);
    ps.forEach((p, i) => { if (!p.id) p.id = ++seqPipeline + 100_000; p.iid = i + 1; });
    const js = order(jobs);
    for (const j of js) { if (!j.fixedId) j.id = ++seqJob + 500_000; delete j.fixedId; }
    const ds = order(deployments);
    ds.forEach((d, i) => { if (!d.id) d.id = ++seqDeploy + 300_000; d.iid = i + 1; });
    activities.set(id, {
      environments,
      pipelines: ps.sort((a, b) => a.id - b.id),
      jobs: js.sort((a, b) => a.id - b.id),
      deployments: ds.sort((a, b) => a.id - b.id),
      mergeRequests: mergeRequests.sort((a, b) => a.iid - b.iid),
      issues: issues.sort((a, b) => a.iid - b.iid),
    });
  });

  const empty: ProjectActivity = { environments: [], pipelines: [], jobs: [], deployments: [], mergeRequests: [], issues: [] };
  return withPayloads({
    webUrl: 'https://gitlab.fake',
    people,
    runners,
    groups,
    projects,
    activity: (projectId) => activities.get(projectId) ?? empty,
    allIssues: () => [...activities.values()].flatMap((a) => a.issues).sort((a, b) => a.id - b.id),
    allMergeRequests: () => [...activities.values()].flatMap((a) => a.mergeRequests).sort((a, b) => a.id - b.id),
  }, s.payloads);
}
