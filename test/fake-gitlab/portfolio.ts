/**
 * Seeded synthetic portfolio: root group `acme` (id 1000) with team subgroups, ~200
 * projects and ~14 months of CI/CD activity. Groups and projects are built eagerly (small);
 * each project's activity (pipelines, jobs, deployments, MRs, issues) is generated on
 * demand from seed + project id and kept in a small LRU, so the ~1M jobs a year never sit
 * in memory together and a project always regenerates identically.
 */
import { addMonths, monthRangeMs } from '../../src/time';
import {
  lruActivity, type CommitRec, type DeployRec, type EnvRec, type FakeData, type GroupRec, type IssueRec,
  type JobRec, type MilestoneRec, type MrRec, type PipelineRec, type ProjectActivity, type ProjectRec,
  type RunnerRec,
} from './model';
import { withPayloads, type PayloadVariations } from './payloads';
import { Rng, makePeople } from './rng';

export interface PortfolioOptions {
  seed?: number;
  teams?: number;
  projects?: number;
  months?: number;
  /** 'YYYY-MM', last month with data */
  endMonth?: string;
  /** months of data before the `months` window */
  historyMonths?: number;
  /**
   * Share (0-1) of successful production releases whose deploy job is re-run ("Re-deploy")
   * one to four days later: same pipeline and SHA, a new job and deployment, one production
   * environment at a time, 20% of them failing. Default 0 (the bench's portfolio has none
   * besides the rollbacks, which re-run an older pipeline's deploy jobs).
   */
  redeploys?: number;
  /** payload variations of real GitLab versions (../../docs/collection.md#payload-variations), see payloads.ts */
  payloads?: PayloadVariations;
  /**
   * How many projects' generated activity is kept (least recently used goes first; default
   * 128, ~0.7 GB for this portfolio). The bench's fake keeps every project and generates them
   * before it serves (scripts/bench/fake-server.ts), so no request waits on a generation.
   */
  activityCacheSize?: number;
}

const HOUR = 3_600_000;
const MIN = 60_000;
const DAY = 24 * HOUR;

const TEAM_NAMES = [
  'platform', 'payments', 'checkout', 'search', 'catalog', 'identity', 'notifications', 'mobile',
  'storefront', 'data', 'ml', 'billing', 'shipping', 'inventory', 'analytics', 'security',
  'support', 'growth', 'marketing', 'partners', 'ledger', 'messaging',
] as const;
const NESTED = ['backend', 'frontend'] as const;
const SUFFIXES = [
  'api', 'web', 'worker', 'gateway', 'service', 'sdk', 'cli', 'jobs', 'etl', 'ui', 'core', 'auth',
  'events', 'scheduler', 'sync', 'admin', 'reports', 'importer', 'exporter', 'indexer',
] as const;
const WORDS = [
  'cache', 'retry', 'timeout', 'login', 'invoice', 'search', 'upload', 'export', 'webhook', 'queue',
  'metrics', 'config', 'pagination', 'currency', 'tax', 'refund', 'session', 'profile', 'feed', 'index',
] as const;
const VERBS = ['Fix', 'Add', 'Improve', 'Refactor', 'Remove', 'Speed up', 'Handle', 'Support'] as const;

type RunnerMode = 'instance' | 'group' | 'project';
interface Profile {
  team: string | null;
  /** members: indexes into people */
  members: number[];
  startMs: number;
  endMs: number;
  pipelinesPerDay: number;
  prodDeploysPerWeek: number;
  envs: { name: string; tier: EnvRec['tier']; role: 'dev' | 'staging' | 'prod' }[];
  apiDeploys: boolean;
  runnerMode: RunnerMode;
  groupRunnerIdx: number;
  projectRunnerIdx: number;
  failRate: number;
  /** no CI at all (reporting project, central incidents project) */
  quiet: boolean;
  centralIncidents: boolean;
}

export function generatePortfolio(opts: PortfolioOptions = {}): FakeData {
  const seed = opts.seed ?? 1;
  const teamCount = opts.teams ?? 22;
  const projectCount = opts.projects ?? 200;
  const months = opts.months ?? 12;
  const endMonth = opts.endMonth ?? '2026-10';
  const historyMonths = opts.historyMonths ?? 2;
  const firstMonth = addMonths(endMonth, -(months + historyMonths - 1));
  const dataStart = monthRangeMs(firstMonth, 'UTC').start;
  const dataEnd = monthRangeMs(endMonth, 'UTC').end;
  const windowStart = monthRangeMs(addMonths(endMonth, -(months - 1)), 'UTC').start;

  const rng = new Rng(seed, 1);
  const teamNames = Array.from({ length: teamCount }, (_, i) => TEAM_NAMES[i] ?? `team-${i + 1}`);
  const people = makePeople(rng, teamCount * 8 + 12);
  const teamMembers = new Map<string, number[]>();
  teamNames.forEach((t, i) => teamMembers.set(t, Array.from({ length: 8 }, (_, k) => i * 8 + k)));
  const everyone = people.map((_, i) => i);

  // Runners: GitLab-hosted instance runners (tags select the machine size), one group
  // runner per team, a few project runners.
  const runners: RunnerRec[] = [
    { id: 11, description: 'shared-runners-manager-small', name: 'gitlab-runner', runner_type: 'instance_type', tags: ['saas-linux-small-amd64'] },
    { id: 12, description: 'shared-runners-manager-medium', name: 'gitlab-runner', runner_type: 'instance_type', tags: ['saas-linux-medium-amd64'] },
    { id: 13, description: 'shared-runners-manager-large', name: 'gitlab-runner', runner_type: 'instance_type', tags: ['saas-linux-large-amd64'] },
  ];
  const groupRunner = new Map<string, number>();
  teamNames.forEach((t, i) => {
    groupRunner.set(t, runners.length);
    runners.push({ id: 200 + i, description: `${t}-k8s-runner`, name: 'gitlab-runner', runner_type: 'group_type', tags: ['docker', 'linux'] });
  });
  const firstProjectRunner = runners.length;
  for (let i = 0; i < 4; i++) {
    runners.push({ id: 500 + i, description: `dedicated-gpu-${i + 1}`, name: 'gitlab-runner', runner_type: 'project_type', tags: ['gpu', 'linux'] });
  }

  const created = Date.UTC(2021, 2, 1, 9);
  const groups: GroupRec[] = [{ id: 1000, name: 'Acme', path: 'acme', fullPath: 'acme', parentId: null, createdAt: created }];
  const teamGroups = new Map<string, GroupRec[]>();
  let nextGroupId = 1001;
  for (const t of teamNames) {
    const g: GroupRec = { id: nextGroupId++, name: t, path: t, fullPath: `acme/${t}`, parentId: 1000, createdAt: created + DAY };
    groups.push(g);
    teamGroups.set(t, [g]);
  }
  // some teams organise their projects in nested subgroups
  teamNames.forEach((t, i) => {
    if (i % 5 !== 2) return;
    const parent = teamGroups.get(t)?.[0];
    if (!parent) return;
    for (const n of NESTED) {
      const g: GroupRec = { id: nextGroupId++, name: n, path: n, fullPath: `${parent.fullPath}/${n}`, parentId: parent.id, createdAt: created + 2 * DAY };
      groups.push(g);
      teamGroups.get(t)?.push(g);
    }
  });
  const partners: GroupRec = { id: 3000, name: 'Partners Inc', path: 'partners-inc', fullPath: 'partners-inc', parentId: null, createdAt: created };
  groups.push(partners);

  const projects: ProjectRec[] = [];
  const profiles = new Map<number, Profile>();
  const slotOf = new Map<number, number>();
  const baseProfile = (team: string | null, r: Rng): Profile => ({
    team,
    members: team ? (teamMembers.get(team) ?? everyone) : everyone.slice(-12),
    startMs: dataStart,
    endMs: dataEnd,
    pipelinesPerDay: r.chance(0.12) ? 1 : 3,
    prodDeploysPerWeek: r.int(2, 5),
    envs: [
      { name: 'development', tier: 'development', role: 'dev' },
      { name: 'staging', tier: 'staging', role: 'staging' },
      { name: 'production', tier: 'production', role: 'prod' },
    ],
    apiDeploys: false,
    runnerMode: r.chance(0.75) ? 'instance' : r.chance(0.8) ? 'group' : 'project',
    groupRunnerIdx: team ? (groupRunner.get(team) ?? 3) : 3,
    projectRunnerIdx: firstProjectRunner + r.int(0, 3),
    failRate: 0.015 + r.next() * 0.025,
    quiet: false,
    centralIncidents: false,
  });
  const addProject = (ns: GroupRec, path: string, profile: Profile, extra: Partial<ProjectRec> = {}) => {
    const id = 4001 + projects.length;
    slotOf.set(id, projects.length);
    projects.push({
      id, name: path, path, namespaceId: ns.id, pathWithNamespace: `${ns.fullPath}/${path}`, archived: false,
      topics: profile.team ? [profile.team] : [], defaultBranch: 'main',
      createdAt: Math.min(profile.startMs, dataStart) - 30 * DAY - (projects.length % 97) * DAY, sharedWithGroupIds: [],
      lastActivityAt: profile.endMs - DAY + (projects.length % 13) * MIN,
      ...extra,
    });
    profiles.set(id, profile);
  };

  // Team projects. Team sizes vary (weights), every team gets at least one project.
  const weights = teamNames.map(() => 0.5 + rng.next());
  const totalW = weights.reduce((a, b) => a + b, 0);
  const perTeam = weights.map((w) => Math.max(1, Math.floor((w / totalW) * projectCount)));
  for (let i = 0; perTeam.reduce((a, b) => a + b, 0) < projectCount; i = (i + 1) % teamCount) perTeam[i] = (perTeam[i] ?? 0) + 1;
  for (let i = 0; perTeam.reduce((a, b) => a + b, 0) > projectCount; i = (i + 1) % teamCount) {
    if ((perTeam[i] ?? 0) > 1) perTeam[i] = (perTeam[i] ?? 0) - 1;
  }
  teamNames.forEach((t, ti) => {
    const gs = teamGroups.get(t) ?? [];
    for (let k = 0; k < (perTeam[ti] ?? 0); k++) {
      const r = new Rng(seed, 2, ti, k);
      const profile = baseProfile(t, r);
      if (t === 'platform' && k === 0) {
        // central incident tracker: no CI, incidents of every team carry a team::<name> label
        addProject(gs[0] as GroupRec, 'incidents', { ...profile, quiet: true, centralIncidents: true, envs: [] });
        continue;
      }
      const ns = gs.length > 1 ? (gs[1 + (k % (gs.length - 1))] as GroupRec) : (gs[0] as GroupRec);
      const suffix = SUFFIXES[k % SUFFIXES.length] ?? 'svc';
      const path = k < SUFFIXES.length ? `${t}-${suffix}` : `${t}-${suffix}-${Math.floor(k / SUFFIXES.length) + 1}`;
      addProject(ns, path, profile);
    }
  });

  // Variety, chosen deterministically among the ordinary team projects.
  const ordinary = projects.filter((p) => !profiles.get(p.id)?.quiet);
  const taken = new Set<ProjectRec>();
  const pickProjects = (n: number, salt: number): ProjectRec[] => {
    const r = new Rng(seed, 3, salt);
    const out: ProjectRec[] = [];
    const want = Math.min(n, ordinary.length - taken.size);
    while (out.length < want) {
      const p = r.pick(ordinary);
      if (!taken.has(p)) { taken.add(p); out.push(p); }
    }
    return out;
  };
  const prof = (p: ProjectRec): Profile => profiles.get(p.id) as Profile;
  for (const p of pickProjects(4, 1)) {
    prof(p).envs = [
      { name: 'staging', tier: 'staging', role: 'staging' },
      { name: 'production/eu', tier: 'production', role: 'prod' },
      { name: 'production/us', tier: 'production', role: 'prod' },
    ];
  }
  for (const p of pickProjects(1, 2)) prof(p).envs = [{ name: 'staging', tier: 'staging', role: 'staging' }, { name: 'live', tier: 'production', role: 'prod' }];
  for (const p of pickProjects(1, 3)) prof(p).envs = [{ name: 'development', tier: 'development', role: 'dev' }, { name: 'staging', tier: 'staging', role: 'staging' }];
  pickProjects(5, 4).forEach((p, i) => {
    // new projects: their first production deployment falls inside the window
    const start = windowStart + (2 + i) * 30 * DAY + 5 * DAY;
    prof(p).startMs = start;
    p.createdAt = start - 3 * DAY;
  });
  for (const p of pickProjects(3, 5)) prof(p).apiDeploys = true;

  // Outside the teams: two projects directly under the root, the reporting project (wiki
  // target, no CI), two archived projects, and one project shared into acme from another
  // namespace.
  const root = groups[0] as GroupRec;
  addProject(root, 'handbook', { ...baseProfile(null, new Rng(seed, 4, 1)), pipelinesPerDay: 1 });
  addProject(root, 'website', baseProfile(null, new Rng(seed, 4, 2)));
  addProject(root, 'reporting', { ...baseProfile(null, new Rng(seed, 4, 3)), quiet: true, envs: [] });
  const archivedEnd = dataStart + 40 * DAY;
  const t0 = teamNames[0] ?? 'platform';
  const t1 = teamNames[1 % teamCount] ?? t0;
  addProject(teamGroups.get(t0)?.[0] as GroupRec, 'legacy-monolith', { ...baseProfile(t0, new Rng(seed, 4, 4)), endMs: archivedEnd }, { archived: true });
  addProject(teamGroups.get(t1)?.[0] as GroupRec, 'old-mobile-app', { ...baseProfile(t1, new Rng(seed, 4, 5)), endMs: archivedEnd }, { archived: true });
  addProject(partners, 'partner-sdk', { ...baseProfile(null, new Rng(seed, 4, 6)), members: everyone.slice(-6) }, { sharedWithGroupIds: [1000] });

  // Group milestones, one per month, due on its last day.
  const milestones: MilestoneRec[] = [];
  for (let m = firstMonth, k = 0; k < months + historyMonths + 1; m = addMonths(m, 1), k++) {
    const { start, end } = monthRangeMs(m, 'UTC');
    milestones.push({
      id: 9000 + k, iid: k + 1, groupId: 1000, title: `Sprint ${m}`,
      startDate: new Date(start).toISOString().slice(0, 10), dueDate: new Date(end - DAY).toISOString().slice(0, 10),
      createdAt: start - 10 * DAY,
    });
  }

  const ctx: GenContext = { seed, dataStart, dataEnd, runners, milestones, teamNames, redeploys: opts.redeploys ?? 0 };
  const activity = lruActivity(opts.activityCacheSize ?? 128, (projectId) => {
    const p = projects.find((x) => x.id === projectId);
    const profile = profiles.get(projectId);
    const slot = slotOf.get(projectId);
    if (!p || !profile || slot === undefined) throw new Error(`unknown project ${projectId}`);
    return generateActivity(ctx, p, profile, slot);
  });
  // group-level lists need every project: one sweep fills both (issues and MRs are small)
  let group: { issues: IssueRec[]; mrs: MrRec[] } | null = null;
  const sweep = () => {
    if (!group) {
      const issues: IssueRec[] = [];
      const mrs: MrRec[] = [];
      for (const p of projects) {
        const a = activity(p.id);
        issues.push(...a.issues);
        mrs.push(...a.mergeRequests);
      }
      group = { issues: issues.sort((a, b) => a.id - b.id), mrs: mrs.sort((a, b) => a.id - b.id) };
    }
    return group;
  };
  return withPayloads({
    webUrl: 'https://gitlab.fake',
    people,
    runners,
    groups,
    projects,
    activity,
    allIssues: () => sweep().issues,
    allMergeRequests: () => sweep().mrs,
  }, opts.payloads);
}

interface GenContext {
  seed: number;
  dataStart: number;
  dataEnd: number;
  runners: RunnerRec[];
  milestones: MilestoneRec[];
  teamNames: string[];
  redeploys: number;
}

/** Entity ids: globally unique, increasing with creation time inside a project. */
const idOf = (base: number, seq: number, slot: number) => base + seq * 1024 + slot;
const ID_BASE = { env: 500_000, pipeline: 20_000_000, deployment: 40_000_000, mr: 60_000_000, issue: 80_000_000, job: 300_000_000 };

interface JobSpec { name: string; stage: string; allowFailure?: boolean; env?: string; size: 'small' | 'medium' | 'large'; median: number }
const J = {
  build: { name: 'build', stage: 'build', size: 'large', median: 240 },
  unit: { name: 'unit-test', stage: 'test', size: 'medium', median: 420 },
  integration: { name: 'integration-test', stage: 'test', size: 'medium', median: 600 },
  lint: { name: 'lint', stage: 'test', size: 'small', median: 60 },
  sast: { name: 'sast', stage: 'test', size: 'small', median: 120, allowFailure: true },
  depscan: { name: 'dependency-scan', stage: 'test', size: 'small', median: 90, allowFailure: true },
} satisfies Record<string, JobSpec>;

/** shared (never mutated) tag arrays: one per job would cost megabytes per project */
const SAAS_TAGS = { small: ['saas-linux-small-amd64'], medium: ['saas-linux-medium-amd64'], large: ['saas-linux-large-amd64'] };

type Kind = 'feature' | 'main' | 'hotfix' | 'schedule' | 'rollback' | 'redeploy';
interface Event { t: number; kind: Kind; mr?: MrRec; deploy?: boolean; hotfixRef?: string; target?: PipelineRec; env?: EnvRec }

function generateActivity(ctx: GenContext, project: ProjectRec, profile: Profile, slot: number): ProjectActivity {
  const r = new Rng(ctx.seed, 7, project.id);
  const start = Math.max(profile.startMs, ctx.dataStart);
  const end = profile.endMs;
  const member = () => r.pick(profile.members);
  const sha = () => r.hex(40);
  const environments: EnvRec[] = profile.envs.map((e, i) => ({
    id: idOf(ID_BASE.env, i, slot), name: e.name, tier: e.tier, state: 'available',
    externalUrl: `https://${e.name.replace(/\//g, '-')}.${project.path}.acme.example`, createdAt: start - DAY, updatedAt: start - DAY,
  }));
  const envByRole = (role: 'dev' | 'staging' | 'prod') => environments.filter((_, i) => profile.envs[i]?.role === role);
  const pipelines: PipelineRec[] = [];
  const jobs: JobRec[] = [];
  const deployments: DeployRec[] = [];
  const mergeRequests: MrRec[] = [];
  const issues: IssueRec[] = [];
  /** main-branch history: index of each merge commit, for "which MRs did a deployment ship" */
  const mainIdxOfSha = new Map<string, number>();
  const mrsByMainIdx: (MrRec | null)[] = [];

  const title = () => `${r.pick(VERBS)} ${r.pick(WORDS)} ${r.pick(WORDS)} handling`;
  const teamLabel = profile.team ? [`team::${profile.team}`] : [];

  if (profile.centralIncidents) {
    // ~2 incidents a month reported centrally, labelled with the team they hit
    for (let t = start + r.around(15 * DAY); t < end; t += r.around(15 * DAY, 0.6)) {
      issues.push(makeIncident(t, [`team::${r.pick(ctx.teamNames)}`]));
    }
    return finish();
  }
  if (profile.quiet) return finish();

  function makeMr(createdAt: number, mergedAt: number | null, labels: string[], sourceBranch: string, state: MrRec['state']): MrRec {
    const author = member();
    const n = r.int(1, 5);
    const commits: CommitRec[] = [];
    const last = mergedAt ?? Math.min(end - MIN, createdAt + r.around(DAY));
    for (let i = 0; i < n; i++) {
      const authoredAt = Math.min(last - MIN, createdAt - r.around(DAY, 0.8) + ((last - createdAt) * i) / n);
      commits.push({ sha: sha(), title: title(), message: `${title()}\n`, authorIdx: author, authoredAt, committedAt: authoredAt + r.int(0, 30) * MIN });
    }
    if (mergedAt !== null && r.chance(0.05)) {
      // a commit authored after the merge (a bot rewrote it): the product caps the start at merged_at
      const authoredAt = mergedAt + r.int(1, 120) * MIN;
      commits.push({ sha: sha(), title: 'Apply suggested changes', message: 'Apply suggested changes\n', authorIdx: author, authoredAt, committedAt: authoredAt });
    }
    commits.sort((a, b) => b.authoredAt - a.authoredAt); // GitLab lists MR commits newest first
    const closedAt = state === 'closed' ? Math.min(end - MIN, createdAt + r.around(3 * DAY)) : null;
    const touched = mergedAt ?? closedAt ?? createdAt;
    const mr: MrRec = {
      id: 0, iid: 0, projectId: project.id, title: title(), state, createdAt,
      updatedAt: Math.min(end - 1000, touched + r.around(20 * MIN)),
      mergedAt, closedAt, targetBranch: 'main', sourceBranch, labels, authorIdx: author,
      mergeUserIdx: mergedAt === null ? null : member(), sha: commits[0]?.sha ?? sha(), mergeCommitSha: null, commits,
    };
    mergeRequests.push(mr);
    return mr;
  }
  function mrLabels(): string[] {
    const type = r.next();
    return [type < 0.55 ? 'type::feature' : type < 0.85 ? 'type::bug' : 'type::chore', ...(r.chance(0.6) ? teamLabel : [])];
  }

  // 1. Events: pipelines on working days (3 a day on average, fewer for some projects),
  // a nightly scheduled pipeline now and then. Hotfixes and rollbacks are added while
  // simulating, because they react to deployments.
  const events: Event[] = [];
  // enough main-branch pipelines for the weekly deployment target, ~25% of which fail
  // before their deploy job
  const perWeek = profile.pipelinesPerDay * 5;
  const mainShare = Math.min(0.9, Math.max(0.4, (profile.prodDeploysPerWeek + 0.5) / perWeek));
  const pDeploy = Math.min(1, profile.prodDeploysPerWeek / (perWeek * mainShare * 0.75));
  for (let day = Math.floor(start / DAY) * DAY; day < end; day += DAY) {
    const dow = new Date(day).getUTCDay();
    const weekend = dow === 0 || dow === 6;
    if (!weekend && r.chance(0.2)) events.push({ t: day + 2 * HOUR + r.int(0, 600) * 1000, kind: 'schedule' });
    const n = weekend ? (r.chance(0.05) ? 1 : 0) : r.poisson(profile.pipelinesPerDay);
    for (let i = 0; i < n; i++) {
      const t = day + 7 * HOUR + Math.floor(r.next() * 12 * HOUR);
      events.push(r.chance(mainShare) ? { t, kind: 'main', deploy: r.chance(pDeploy) } : { t, kind: 'feature' });
    }
  }
  events.sort((a, b) => a.t - b.t);
  const insertEvent = (e: Event) => {
    let i = events.length;
    while (i > 0 && (events[i - 1] as Event).t > e.t) i--;
    events.splice(i, 0, e);
  };

  let lastMainSha = sha();
  const liveProd: { pipeline: PipelineRec; sha: string }[] = [];
  for (let ei = 0; ei < events.length; ei++) {
    const ev = events[ei] as Event;
    if (ev.t >= end) break;
    if (ev.kind === 'rollback') {
      // rollback: rerun the production deploy job of the pipeline that was live before
      if (ev.target) {
        const ok = rerunDeploy(ev.target, ev.t);
        if (ok) liveProd.push({ pipeline: ev.target, sha: ev.target.sha });
      }
      continue;
    }
    if (ev.kind === 'redeploy') {
      // "Re-deploy" of a finished deploy job: a new job and deployment in the same pipeline
      if (ev.target && ev.env) {
        const j = makeJob(ev.target, deploySpec(ev.env, 'production'), ev.t, ev.t, member(), 0.2);
        if (deploymentFor(j, ev.env, ev.target).status === 'success') liveProd.push({ pipeline: ev.target, sha: ev.target.sha });
        ev.target.updatedAt = Math.max(ev.target.updatedAt, (j.finishedAt ?? ev.t) + 1000);
      }
      continue;
    }
    const user = member();
    let ref = 'main';
    let commit: CommitRec;
    let specs: JobSpec[];
    let pipeSource = 'push';
    if (ev.kind === 'main') {
      const mr = ev.mr ?? (r.chance(0.85) ? makeMr(ev.t - r.around(20 * HOUR, 0.7) - 10 * MIN, ev.t - r.int(5, 60) * 1000, mrLabels(), `feature/${r.pick(WORDS)}-${r.int(100, 999)}`, 'merged') : null);
      const mergeSha = sha();
      commit = mr
        ? { sha: mergeSha, title: `Merge branch '${mr.sourceBranch}' into 'main'`, message: `Merge branch '${mr.sourceBranch}' into 'main'\n\n${mr.title}\n`, authorIdx: mr.mergeUserIdx ?? user, authoredAt: ev.t - 2000, committedAt: ev.t - 2000 }
        : { sha: mergeSha, title: title(), message: `${title()}\n`, authorIdx: user, authoredAt: ev.t - r.around(2 * HOUR), committedAt: ev.t - 2000 };
      if (mr) mr.mergeCommitSha = mergeSha;
      mainIdxOfSha.set(mergeSha, mrsByMainIdx.length);
      mrsByMainIdx.push(mr);
      lastMainSha = mergeSha;
      specs = [J.build, J.unit, J.integration, J.lint, ...envByRole('staging').map((e) => deploySpec(e, 'staging'))];
      if (ev.deploy && !profile.apiDeploys) specs.push(...envByRole('prod').map((e) => deploySpec(e, 'production')));
    } else if (ev.kind === 'hotfix') {
      ref = ev.hotfixRef ?? 'hotfix/unknown';
      commit = { sha: sha(), title: title(), message: `${title()}\n`, authorIdx: user, authoredAt: ev.t - r.around(HOUR), committedAt: ev.t - 1000 };
      specs = [J.build, J.unit, ...envByRole('prod').map((e) => deploySpec(e, 'production'))];
    } else if (ev.kind === 'schedule') {
      pipeSource = 'schedule';
      commit = { sha: lastMainSha, title: 'Nightly', message: 'Nightly\n', authorIdx: user, authoredAt: ev.t - DAY, committedAt: ev.t - DAY };
      specs = [J.build, J.unit, J.integration, J.depscan];
    } else {
      ref = `feature/${r.pick(WORDS)}-${r.int(100, 999)}`;
      pipeSource = r.chance(0.7) ? 'merge_request_event' : 'push';
      commit = { sha: sha(), title: title(), message: `${title()}\n`, authorIdx: user, authoredAt: ev.t - r.around(HOUR), committedAt: ev.t - 1000 };
      specs = [J.build, J.unit, J.integration, J.lint, J.sast, ...envByRole('dev').map((e) => deploySpec(e, 'review'))];
      if (r.chance(0.04)) makeMr(ev.t - r.around(DAY), null, mrLabels(), ref, 'closed');
      else if (ev.t > end - 5 * DAY && r.chance(0.3)) makeMr(ev.t - r.around(DAY), null, mrLabels(), ref, 'opened');
    }
    const pipeline: PipelineRec = {
      id: 0, iid: 0, ref, sha: commit.sha, status: 'created', source: pipeSource, createdAt: ev.t, updatedAt: ev.t,
      name: null, userIdx: user, commit,
    };
    pipelines.push(pipeline);
    const ran = runPipeline(pipeline, specs, ev.t, user);

    // deployments made by this pipeline's deploy jobs
    const prodOk: DeployRec[] = [];
    for (const j of ran) {
      const env = (j as JobRec & { env?: EnvRec }).env;
      if (!env) continue;
      const dep = deploymentFor(j, env, pipeline);
      if (dep.status === 'success' && env.tier === 'production') prodOk.push(dep);
    }
    if (profile.apiDeploys && ev.kind === 'main' && ev.deploy && pipeline.status === 'success') {
      // pull-based deploys reported through POST /deployments: no job behind them
      for (const env of envByRole('prod')) {
        const t = pipeline.updatedAt + r.around(10 * MIN);
        if (t >= end) continue;
        const ok = r.chance(0.95);
        const upd = t + r.around(3 * MIN);
        const dep: DeployRec = { id: 0, iid: 0, env, ref: 'main', sha: pipeline.sha, status: ok ? 'success' : 'failed', createdAt: t, updatedAt: upd, finishedAt: upd, job: null, userIdx: member(), mrs: [] };
        deployments.push(dep);
        if (ok) prodOk.push(dep);
      }
    }
    if (prodOk.length > 0) {
      const previous = liveProd[liveProd.length - 1];
      liveProd.push({ pipeline, sha: pipeline.sha });
      const finished = Math.max(...prodOk.map((d) => d.finishedAt ?? 0));
      if (r.chance(0.03)) issues.push(makeIncident(finished + r.around(2 * HOUR) + 5 * MIN, teamLabel));
      if (ev.kind === 'main' && r.chance(0.04)) {
        // a hotfix within hours: MR labelled type::hotfix, deployed from its branch, merged after
        const hotfixRef = `hotfix/${r.pick(WORDS)}-${r.int(100, 999)}`;
        const t = finished + r.around(4 * HOUR);
        insertEvent({ t, kind: 'hotfix', hotfixRef });
      } else if (ev.kind === 'main' && previous && !profile.apiDeploys && r.chance(0.015)) {
        insertEvent({ t: finished + r.around(2 * HOUR), kind: 'rollback', target: previous.pipeline });
      }
      if (ctx.redeploys > 0 && !profile.apiDeploys && r.chance(ctx.redeploys)) {
        const env = r.pick(prodOk.map((d) => d.env));
        insertEvent({ t: finished + DAY + Math.floor(r.next() * 3 * DAY), kind: 'redeploy', target: pipeline, env });
      }
      if (ev.kind === 'hotfix') {
        const mergedAt = finished + r.around(40 * MIN);
        const mr = makeMr(ev.t - r.around(2 * HOUR), mergedAt, ['type::hotfix', ...teamLabel], ref, 'merged');
        for (const d of prodOk) d.mrs.push(mr);
        (mr as MrRec & { shippedEarly?: boolean }).shippedEarly = true;
        insertEvent({ t: mergedAt + 30_000, kind: 'main', mr });
      }
    }
  }

  function deploySpec(env: EnvRec, stage: string): JobSpec & { env: string } {
    const name = env.tier === 'production' ? (env.name === 'production' ? 'deploy-prod' : `deploy-${env.name.replace(/\//g, '-')}`) : `deploy-${env.name}`;
    return { name, stage, size: 'small', median: 150, env: env.name };
  }

  function runnerFor(spec: JobSpec): number {
    if (r.chance(0.01)) return -1; // runner deleted since
    if (profile.runnerMode === 'group') return profile.groupRunnerIdx;
    if (profile.runnerMode === 'project') return profile.projectRunnerIdx;
    return spec.size === 'small' ? 0 : spec.size === 'medium' ? 1 : 2;
  }

  function makeJob(pipeline: PipelineRec, spec: JobSpec, createdAt: number, startFrom: number, user: number, failP: number): JobRec {
    const queued = r.chance(0.05) ? r.around(180, 0.8) : r.around(6, 0.6);
    const duration = Math.round(r.around(spec.median, 0.4) * 1e6) / 1e6;
    const startedAt = Math.round(startFrom + queued * 1000);
    const runnerIdx = runnerFor(spec);
    let status = 'success';
    let failureReason: string | null = null;
    if (r.chance(failP)) {
      status = 'failed';
      const x = r.next();
      failureReason = x < 0.8 ? 'script_failure' : x < 0.92 ? 'runner_system_failure' : 'stuck_or_timeout_failure';
    }
    const job: JobRec & { env?: EnvRec } = {
      id: 0, pipeline, name: spec.name, stage: spec.stage, status, allowFailure: spec.allowFailure ?? false,
      createdAt, startedAt, finishedAt: startedAt + Math.round(duration * 1000), duration,
      queuedDuration: Math.round(queued * 1e6) / 1e6, runnerIdx,
      tags: profile.runnerMode === 'instance' ? SAAS_TAGS[spec.size] : (ctx.runners[runnerIdx]?.tags ?? []),
      failureReason, userIdx: user,
    };
    const env = (spec as JobSpec & { env?: string }).env;
    if (env) job.env = environments.find((e) => e.name === env);
    jobs.push(job);
    return job;
  }

  function skippedJob(pipeline: PipelineRec, spec: JobSpec, createdAt: number, user: number, status: 'skipped' | 'canceled'): JobRec {
    const job: JobRec & { env?: EnvRec } = {
      id: 0, pipeline, name: spec.name, stage: spec.stage, status, allowFailure: spec.allowFailure ?? false,
      createdAt, startedAt: null, finishedAt: null, duration: null, queuedDuration: null,
      runnerIdx: -1, tags: profile.runnerMode === 'instance' ? SAAS_TAGS[spec.size] : [], failureReason: null, userIdx: user,
    };
    const env = (spec as JobSpec & { env?: string }).env;
    if (env) job.env = environments.find((e) => e.name === env);
    jobs.push(job);
    return job;
  }

  /** Runs stages in order; failed jobs may be retried (same name twice in the pipeline). */
  function runPipeline(pipeline: PipelineRec, specs: JobSpec[], t: number, user: number): JobRec[] {
    const stages: string[] = [];
    for (const s of specs) if (!stages.includes(s.stage)) stages.push(s.stage);
    const out: JobRec[] = [];
    let clock = t;
    let broken: 'failed' | 'canceled' | null = null;
    const cancelAt = r.chance(0.01) ? r.int(0, stages.length - 1) : -1;
    stages.forEach((stage, si) => {
      const inStage = specs.filter((s) => s.stage === stage);
      if (broken) {
        for (const s of inStage) out.push(skippedJob(pipeline, s, t, user, broken === 'failed' ? 'skipped' : 'canceled'));
        return;
      }
      let stageEnd = clock;
      for (const s of inStage) {
        const failP = s.stage === 'production' || s.stage === 'staging' ? 0.05 : profile.failRate;
        let job = makeJob(pipeline, s, t, clock, user, failP);
        out.push(job);
        if (si === cancelAt && job.finishedAt !== null && job.startedAt !== null) {
          // canceled mid-run: it ran (and costs minutes) for part of its duration
          job.status = 'canceled';
          job.failureReason = null;
          job.finishedAt = job.startedAt + Math.round((job.finishedAt - job.startedAt) / 2);
          job.duration = (job.finishedAt - job.startedAt) / 1000;
          broken = 'canceled';
        }
        while (job.status === 'failed' && r.chance(job.failureReason === 'script_failure' ? 0.25 : 0.8)) {
          const retryAt = (job.finishedAt ?? clock) + Math.round(r.around(90) * 1000);
          job = makeJob(pipeline, s, retryAt, retryAt, r.chance(0.8) ? user : member(), failPOf(s));
          out.push(job);
        }
        stageEnd = Math.max(stageEnd, job.finishedAt ?? clock);
        if (job.status === 'failed' && !job.allowFailure) broken = broken ?? 'failed';
      }
      clock = stageEnd;
    });
    pipeline.status = broken ?? 'success';
    pipeline.updatedAt = Math.max(clock, ...out.map((j) => j.finishedAt ?? j.createdAt)) + 1000;
    return out;
  }
  function failPOf(s: JobSpec): number {
    return s.stage === 'production' || s.stage === 'staging' ? 0.02 : profile.failRate;
  }

  function deploymentFor(j: JobRec, env: EnvRec, pipeline: PipelineRec): DeployRec {
    const finished = j.status === 'success' || j.status === 'failed' || j.status === 'canceled' ? j.finishedAt ?? j.createdAt : null;
    const dep: DeployRec = {
      id: 0, iid: 0, env, ref: pipeline.ref, sha: pipeline.sha, status: j.status === 'canceled' && j.startedAt === null ? 'canceled' : j.status,
      createdAt: j.createdAt, updatedAt: (finished ?? pipeline.updatedAt) + r.int(200, 3000), finishedAt: finished, job: j, userIdx: j.userIdx, mrs: [],
    };
    deployments.push(dep);
    return dep;
  }

  function rerunDeploy(target: PipelineRec, t: number): boolean {
    let ok = false;
    for (const env of envByRole('prod')) {
      const j = makeJob(target, deploySpec(env, 'production'), t, t, member(), 0);
      ok = deploymentFor(j, env, target).status === 'success' || ok;
      target.updatedAt = Math.max(target.updatedAt, (j.finishedAt ?? t) + 1000);
    }
    return ok;
  }

  function makeIncident(createdAt: number, labels: string[]): IssueRec {
    const asType = r.chance(0.75);
    const open = r.chance(0.12);
    const closedAt = open ? null : createdAt + (r.chance(0.7) ? r.around(3 * HOUR, 0.8) : r.around(2 * DAY, 0.6));
    const isClosed = closedAt !== null && closedAt < ctx.dataEnd;
    return {
      id: 0, iid: 0, projectId: project.id, title: `Incident: ${r.pick(WORDS)} ${r.pick(['errors', 'latency', 'outage', 'degraded'])}`,
      state: isClosed ? 'closed' : 'opened', createdAt, updatedAt: Math.min(ctx.dataEnd - 1000, (isClosed ? closedAt : createdAt) + r.around(30 * MIN)),
      closedAt: isClosed ? closedAt : null, closedByIdx: isClosed ? member() : null,
      labels: asType ? labels : ['type::incident', ...labels], milestone: null, authorIdx: member(), assigneeIdxs: [member()],
      issueType: asType ? 'incident' : 'issue', severity: r.pick(['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const),
    };
  }

  // 2. Ordinary issues, ~6 a month, some planned in monthly milestones.
  for (let t = start + r.around(5 * DAY); t < end; t += r.around(5 * DAY, 0.7)) {
    const closed = r.chance(0.7);
    const closedAt = closed ? t + r.around(7 * DAY, 0.8) : null;
    const isClosed = closedAt !== null && closedAt < end;
    const ms = r.chance(0.5) ? ctx.milestones.find((m) => m.dueDate !== null && Date.parse(m.dueDate) + DAY > t) ?? null : null;
    const type = r.next();
    issues.push({
      id: 0, iid: 0, projectId: project.id, title: `${r.pick(VERBS)} ${r.pick(WORDS)} for ${r.pick(WORDS)}`,
      state: isClosed ? 'closed' : 'opened', createdAt: t,
      updatedAt: Math.min(end - 1000, (isClosed ? closedAt : t) + r.around(DAY)),
      closedAt: isClosed ? closedAt : null, closedByIdx: isClosed ? member() : null,
      labels: [type < 0.3 ? 'type::bug' : type < 0.8 ? 'type::feature' : 'type::chore', ...(r.chance(0.6) ? teamLabel : [])],
      milestone: ms, authorIdx: member(), assigneeIdxs: r.chance(0.8) ? [member()] : [], issueType: 'issue', severity: 'UNKNOWN',
    });
  }

  // 3. MRs newly shipped by each successful deployment to a trackable environment: the
  // MRs merged into main up to the deployed commit and not yet shipped there (a rollback
  // to an older commit ships none; the first deployment ships everything before it).
  const byFinish = deployments.filter((d) => d.status === 'success').sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0));
  const upTo = new Map<number, number>();
  const shipped = new Map<number, Set<MrRec>>();
  for (const d of byFinish) {
    const set = shipped.get(d.env.id) ?? new Set<MrRec>();
    shipped.set(d.env.id, set);
    for (const m of d.mrs) set.add(m);
    const idx = mainIdxOfSha.get(d.sha);
    if (idx === undefined) continue;
    for (let i = (upTo.get(d.env.id) ?? -1) + 1; i <= idx; i++) {
      const m = mrsByMainIdx[i];
      if (m && !set.has(m)) {
        set.add(m);
        d.mrs.push(m);
      }
    }
    upTo.set(d.env.id, Math.max(idx, upTo.get(d.env.id) ?? -1));
  }
  for (const e of environments) e.updatedAt = Math.max(e.updatedAt, ...deployments.filter((d) => d.env === e).map((d) => d.updatedAt));
  return finish();

  function finish(): ProjectActivity {
    // ids follow creation order (ties keep generation order), as GitLab's sequences do
    const byCreated = <T extends { createdAt: number }>(xs: T[]) => xs.map((x, i) => [x, i] as const).sort((a, b) => a[0].createdAt - b[0].createdAt || a[1] - b[1]).map(([x]) => x);
    const ps = byCreated(pipelines);
    ps.forEach((p, i) => { p.id = idOf(ID_BASE.pipeline, i, slot); p.iid = i + 1; });
    const js = byCreated(jobs);
    js.forEach((j, i) => { j.id = idOf(ID_BASE.job, i, slot); });
    const ds = byCreated(deployments);
    ds.forEach((d, i) => { d.id = idOf(ID_BASE.deployment, i, slot); d.iid = i + 1; });
    const ms = byCreated(mergeRequests);
    ms.forEach((m, i) => { m.id = idOf(ID_BASE.mr, i, slot); m.iid = i + 1; delete (m as MrRec & { shippedEarly?: boolean }).shippedEarly; });
    const is = byCreated(issues.filter((i) => i.createdAt < end));
    is.forEach((x, i) => { x.id = idOf(ID_BASE.issue, i, slot); x.iid = i + 1; });
    for (const j of js) delete (j as JobRec & { env?: EnvRec }).env;
    return { environments, pipelines: ps, jobs: js, deployments: ds, mergeRequests: ms, issues: is };
  }
}
