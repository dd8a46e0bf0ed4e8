/**
 * Independent reference implementation of ../../docs/definitions.md and ../../docs/outputs.md#layout (metric
 * definitions and CSV columns), written from the spec text alone to cross-check the
 * product's CSVs. Deliberately written without reading src/metrics or src/report.
 *
 * Every place where the spec leaves room carries a `// SPEC-READING:` comment naming
 * the choice made.
 */
import type { Dataset, DeploymentRecord, IssueRecord, JobRecord, ProjectRecord } from '../../src/model/types';
import type { RunnerRate } from '../../src/config/types';

export interface RefConfig {
  environmentTier: string;
  /** When set, replaces the tier rule. */
  environmentPattern: RegExp | null;
  timezone: string;
  costPerMinute: number;
  runnerRates: RunnerRate[];
  changeFailure: 'deployments' | 'incidents';
  incidentLabels: string[];
  hotfixPattern: RegExp;
  /** Report month YYYY-MM and trend length. */
  month: string;
  months: number;
}

export type Cell = string | number | null;
export type Row = Record<string, Cell>;
export type RefOutput = Record<string, Row[]>;

export const DORA_COLUMNS = [
  'prod_deployments',
  'lead_time_hours',
  'change_failure_rate',
  'mttr_minutes',
  'deployments_per_day',
  'deployment_days',
  'lead_time_p90_hours',
  'lead_time_merge_hours',
  'cfr_deployments',
  'cfr_incidents',
  'incidents',
  'open_incidents',
  'time_to_restore_median_minutes',
] as const;

/** DORA extras: counts behind the rates, and the level columns (../../docs/definitions.md#dora-levels). */
const DORA_EXTRAS = [
  'deployment_attempts',
  'failed_deployments',
  'changes',
  'hotfix_deployments',
  'deployment_days_per_week',
  'level_deployment_frequency',
  'level_lead_time',
  'level_change_failure_rate',
  'level_time_to_restore',
];

export interface FileSpec {
  /** Columns identifying a row (both sides are matched on them). */
  keys: string[];
  /** The documented columns for the file (../../docs/outputs.md#layout), in their order (keys included). */
  columns: string[];
  /** Columns beyond the documented list that the reference computes and the product must write too. */
  extras: string[];
}

/** Correlations are published in report.json, not in a CSV; compare.ts reads them from there. */
export const CORRELATIONS = 'report.json#correlations';

export const FILE_SPECS: Record<string, FileSpec> = {
  'dora_monthly.csv': { keys: ['month'], columns: ['month', ...DORA_COLUMNS], extras: DORA_EXTRAS },
  'dora_team_monthly.csv': { keys: ['month', 'team'], columns: ['month', 'team', ...DORA_COLUMNS], extras: DORA_EXTRAS },
  'dora_project_monthly.csv': { keys: ['month', 'team', 'project'], columns: ['month', 'team', 'project', ...DORA_COLUMNS], extras: DORA_EXTRAS },
  'ci_cost_monthly.csv': { keys: ['month'], columns: ['month', 'ci_minutes', 'ci_cost'], extras: [] },
  'ci_cost_team_monthly.csv': { keys: ['month', 'team'], columns: ['month', 'team', 'ci_minutes', 'ci_cost'], extras: [] },
  'ci_cost_project_monthly.csv': { keys: ['month', 'team', 'project'], columns: ['month', 'team', 'project', 'ci_minutes', 'ci_cost'], extras: [] },
  'cost_vs_dora.csv': {
    keys: ['month'],
    columns: ['month', 'ci_cost', 'prod_deployments', 'lead_time_hours', 'change_failure_rate', 'deployments_per_1k_cost'],
    extras: ['mttr_minutes', 'ci_minutes', 'cfr_deployments', 'cfr_incidents'],
  },
  'pipelines_team_monthly.csv': {
    keys: ['month', 'team'],
    columns: ['month', 'team', 'pipelines', 'pipeline_success_rate', 'retry_rate', 'infra_failure_share', 'pipeline_duration_median_minutes', 'queue_time_p90_minutes'],
    extras: ['pipeline_duration_p90_minutes', 'queue_time_median_minutes', 'jobs', 'failed_jobs'],
  },
  'delivery_team_monthly.csv': {
    keys: ['month', 'team'],
    columns: ['month', 'team', 'issues_closed', 'mrs_merged', 'mr_cycle_time_hours', 'spillover', 'bugs_opened', 'hotfix_ratio'],
    extras: [],
  },
  'top_pipelines.csv': {
    keys: ['rank'],
    columns: ['rank', 'project', 'team', 'pipeline_id', 'ref', 'ci_minutes', 'ci_cost', 'web_url'],
    extras: [],
  },
  [CORRELATIONS]: { keys: ['metric'], columns: ['metric', 'r', 'n'], extras: [] },
};

// ---------- statistics (4.1: median of even count = mean of middles; p90 = PERCENTILE.INC) ----------

export function quantile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}
const median = (v: number[]) => quantile(v, 0.5);
const mean = (v: number[]) => (v.length === 0 ? null : v.reduce((a, b) => a + b, 0) / v.length);
const ratio = (num: number, den: number) => (den === 0 ? null : (num / den) * 100);

/**
 * Pearson r over the pairs where both values exist; r is null when fewer than 4 such pairs
 * exist (../../docs/definitions.md#correlations). SPEC-READING: r is also null when either series is constant (r is
 * undefined there: 0/0), while n still reports the pairs.
 */
export function pearson(pairs: Array<[number | null, number | null]>): { r: number | null; n: number } {
  const both = pairs.filter((p): p is [number, number] => p[0] !== null && p[1] !== null);
  const n = both.length;
  if (n < 4) return { r: null, n };
  const mx = both.reduce((a, p) => a + p[0], 0) / n;
  const my = both.reduce((a, p) => a + p[1], 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [x, y] of both) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  return { r: sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy), n };
}

// ---------- DORA levels (../../docs/definitions.md#dora-levels) ----------

export type Level = 'elite' | 'high' | 'medium' | 'low';

/**
 * Median over the month's weeks of the number of deployment days in each week.
 * `days` are local calendar days YYYY-MM-DD with at least one successful production deployment.
 * SPEC-READING (the week is not defined by the product; the product's README states
 * "the month's Monday–Sunday weeks (cut at the month's edges)"): weeks start on Monday,
 * the first and last weeks are cut at the month's edges and count as weeks of their own,
 * and a cut week's days are counted as they are (not scaled to 7 days).
 */
export function deploymentDaysPerWeek(month: string, days: Iterable<string>): number {
  const inMonth = new Set([...days].filter((d) => d.startsWith(`${month}-`)));
  const [y, m] = month.split('-').map(Number) as [number, number];
  const weeks: number[] = [];
  for (let d = 1; d <= daysInMonth(month); d++) {
    // getUTCDay: 1 = Monday. The month's first day always opens a week.
    if (d === 1 || new Date(Date.UTC(y, m - 1, d)).getUTCDay() === 1) weeks.push(0);
    if (inMonth.has(`${month}-${String(d).padStart(2, '0')}`)) weeks[weeks.length - 1]!++;
  }
  return median(weeks)!;
}

/**
 * Deployment frequency: elite ≥ 5 deployment days per week (median), high ≥ 1, medium
 * ≥ 1 per month, low less. SPEC-READING: "≥ 1 per month" = at least one deployment day in
 * the month; 0 deployments is a value (../../docs/definitions.md#general-rules: counting nothing gives 0), so its level is low.
 */
export function deploymentFrequencyLevel(daysPerWeek: number, deploymentDays: number): Level {
  if (daysPerWeek >= 5) return 'elite';
  if (daysPerWeek >= 1) return 'high';
  return deploymentDays >= 1 ? 'medium' : 'low';
}
/** Lead time (median hours): elite < 1 day, high < 7 days, medium < 30 days, low ≥ 30 days. */
export function leadTimeLevel(hours: number | null): Level | null {
  if (hours === null) return null;
  return hours < 24 ? 'elite' : hours < 7 * 24 ? 'high' : hours < 30 * 24 ? 'medium' : 'low';
}
/** Change failure rate (%): elite ≤ 5, high ≤ 10, medium ≤ 15, low > 15. */
export function changeFailureLevel(pct: number | null): Level | null {
  if (pct === null) return null;
  return pct <= 5 ? 'elite' : pct <= 10 ? 'high' : pct <= 15 ? 'medium' : 'low';
}
/** Time to restore (median minutes): elite < 1 hour, high < 24 hours, medium < 7 days, low ≥ 7 days. */
export function timeToRestoreLevel(minutes: number | null): Level | null {
  if (minutes === null) return null;
  return minutes < 60 ? 'elite' : minutes < 24 * 60 ? 'high' : minutes < 7 * 24 * 60 ? 'medium' : 'low';
}

// ---------- time ----------

const HOUR = 3_600_000;
const MINUTE = 60_000;

function makeClock(timezone: string) {
  const utc = timezone === 'UTC' || timezone === 'Etc/UTC';
  const fmt = utc
    ? null
    : new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
  /** Local calendar day YYYY-MM-DD of a UTC instant in the configured zone. */
  const dayOf = (iso: string): string => (fmt === null ? new Date(iso).toISOString().slice(0, 10) : fmt.format(new Date(iso)));
  return { dayOf, monthOf: (iso: string) => dayOf(iso).slice(0, 7) };
}

function monthList(last: string, count: number): string[] {
  const [y, m] = last.split('-').map(Number) as [number, number];
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const idx = y * 12 + (m - 1) - i;
    out.push(`${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}
function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}
const ms = (iso: string) => Date.parse(iso);

// ---------- production releases (4.1: one pipeline's production deployments = one deployment) ----------

interface Release {
  key: string;
  projectId: number;
  /** Every attempt that belongs to this deployment. */
  records: DeploymentRecord[];
  /** The deciding deployment per environment (last attempt to it in the release). */
  members: DeploymentRecord[];
  success: boolean;
  finishMs: number;
  finishIso: string;
  /** A deploy job re-run after its pipeline had succeeded in that environment: ships no change. */
  rerun: boolean;
}

const isAttempt = (d: DeploymentRecord) => d.status === 'success' || d.status === 'failed';
const finishOrder = (a: DeploymentRecord, b: DeploymentRecord) => ms(a.finishedAt) - ms(b.finishedAt) || a.id - b.id;

function makeRelease(key: string, list: DeploymentRecord[], rerun: boolean): Release {
  // The deciding deployment per environment: its last attempt in the release.
  const lastPerEnv = new Map<number, DeploymentRecord>();
  for (const d of [...list].sort(finishOrder)) lastPerEnv.set(d.environmentId, d);
  const members = [...lastPerEnv.values()];
  let last = members[0]!;
  for (const m of members) if (ms(m.finishedAt) > ms(last.finishedAt)) last = m;
  return {
    key,
    projectId: list[0]!.projectId,
    records: list,
    members,
    success: members.every((m) => m.status === 'success'),
    finishMs: ms(last.finishedAt),
    finishIso: last.finishedAt,
    rerun,
  };
}

function buildReleases(deps: DeploymentRecord[]): Release[] {
  const groups = new Map<string, DeploymentRecord[]>();
  for (const d of deps) {
    // SPEC-READING: canceled/skipped/blocked/running deployments are not attempts and are
    // dropped before grouping, so they never decide a release's status.
    if (!isAttempt(d)) continue;
    // Deployments without a pipeline (API-created) stand alone.
    const key = d.pipelineId === null ? `api:${d.id}` : `${d.projectId}:${d.pipelineId}`;
    const g = groups.get(key);
    if (g) g.push(d);
    else groups.set(key, [d]);
  }
  const releases: Release[] = [];
  for (const [key, list] of groups) {
    // 4.1: per environment, the pipeline's attempts up to and including its first success
    // there belong to the release; any attempt there after that success (a re-run of the
    // finished deploy job, successful or failed) is a deployment of its own.
    // SPEC-READING: attempts are ordered by finish time (ties: deployment id); each re-run
    // record is its own deployment, also when several environments were re-run together.
    const inRelease: DeploymentRecord[] = [];
    const reruns: DeploymentRecord[] = [];
    const envs = new Map<number, DeploymentRecord[]>();
    for (const d of list) envs.set(d.environmentId, [...(envs.get(d.environmentId) ?? []), d]);
    for (const attempts of envs.values()) {
      attempts.sort(finishOrder);
      const firstOk = attempts.findIndex((d) => d.status === 'success');
      const cut = firstOk === -1 ? attempts.length : firstOk + 1;
      inRelease.push(...attempts.slice(0, cut));
      reruns.push(...attempts.slice(cut));
    }
    releases.push(makeRelease(key, inRelease, false));
    for (const d of reruns) releases.push(makeRelease(`${key}:rerun:${d.id}`, [d], true));
  }
  return releases.sort((a, b) => a.finishMs - b.finishMs || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

// ---------- per-release facts ----------

interface Change {
  startMs: number | null;
  mergedMs: number | null;
}
interface ReleaseFacts {
  release: Release;
  changes: Change[];
  changeFailure: boolean;
  hotfix: boolean;
  incidentAttributed: boolean;
}

function teamLabel(labels: string[]): string | null {
  const teams = labels.filter((l) => l.startsWith('team::'));
  return teams.length === 1 ? teams[0]!.slice('team::'.length) : null;
}

export function computeReference(ds: Dataset, cfg: RefConfig): RefOutput {
  const clock = makeClock(cfg.timezone);
  const months = monthList(cfg.month, cfg.months);
  const monthSet = new Set(months);
  const projectById = new Map<number, ProjectRecord>(ds.projects.map((p) => [p.id, p]));
  const teamOfProject = (id: number) => projectById.get(id)?.team ?? null;

  // Production = environment tier equals environment_tier, or name matches `environment`.
  const envById = new Map(ds.environments.map((e) => [e.id, e]));
  // 4.1: an environment without a tier (GitLab before 13.10) has GitLab's guessed tier:
  // development, testing, staging, production patterns, case-insensitive, in that order.
  const guessedTier = (name: string): string => {
    const order: Array<[string, RegExp]> = [
      ['development', /dev|review|trunk/i],
      ['testing', /test|tst|int|accept|acpt|qa|qc|control|quality/i],
      ['staging', /stag|stg|model|modl|pre|demo|non/i],
      ['production', /prod|prd|live/i],
    ];
    return order.find(([, re]) => re.test(name))?.[0] ?? 'other';
  };
  const isProduction = (d: DeploymentRecord) => {
    const env = envById.get(d.environmentId);
    if (cfg.environmentPattern) return cfg.environmentPattern.test(env?.name ?? d.environmentName);
    // SPEC-READING: a deployment whose environment record is missing is kept (only production
    // deployments are collected), since its tier cannot be checked.
    // The collector flags a tier it guessed: guessed again here, from the name, independently.
    return env === undefined || (env.tier === null || env.tierGuessed === true ? guessedTier(env.name) : env.tier) === cfg.environmentTier;
  };
  const prodDeps = ds.deployments.filter(isProduction);
  const releases = buildReleases(prodDeps);

  const mrsOfDeployment = new Map<number, Dataset['deploymentMergeRequests']>();
  for (const l of ds.deploymentMergeRequests) {
    const a = mrsOfDeployment.get(l.deploymentId);
    if (a) a.push(l);
    else mrsOfDeployment.set(l.deploymentId, [l]);
  }
  const baselineOf = new Map(ds.baselines.map((b) => [`${b.projectId}:${b.environmentId}`, b]));

  // Environment timelines: every successful production deployment record per environment,
  // by finish. SPEC-READING: "live there before D" is about deployment records, so a
  // successful record inside a failed release (another environment failed) still made its
  // SHA live.
  const timeline = new Map<number, DeploymentRecord[]>();
  for (const r of releases) {
    for (const d of r.records) {
      if (d.status !== 'success') continue;
      const t = timeline.get(d.environmentId);
      if (t) t.push(d);
      else timeline.set(d.environmentId, [d]);
    }
  }
  for (const t of timeline.values()) t.sort((a, b) => ms(a.finishedAt) - ms(b.finishedAt) || a.id - b.id);
  const posInTimeline = new Map<number, number>();
  for (const t of timeline.values()) t.forEach((d, i) => posInTimeline.set(d.id, i));

  // Baseline: first successful deployment to an environment without any earlier success.
  const baselineDeployments = new Set<number>();
  for (const [envId, t] of timeline) {
    const first = t[0]!;
    const b = baselineOf.get(`${first.projectId}:${envId}`);
    // SPEC-READING: without a baseline record the environment is assumed to have history.
    if (b && !b.hasEarlierSuccess) baselineDeployments.add(first.id);
  }

  // Successful releases per environment they reached, in finish order.
  const releasesInEnv = new Map<number, Release[]>();
  for (const r of releases) {
    if (!r.success) continue;
    for (const m of r.members) {
      const a = releasesInEnv.get(m.environmentId);
      if (a) a.push(r);
      else releasesInEnv.set(m.environmentId, [r]);
    }
  }

  const shipsHotfixMr = (d: DeploymentRecord) => (mrsOfDeployment.get(d.id) ?? []).some((l) => l.labels.includes('type::hotfix'));
  const isHotfixDeployment = (d: DeploymentRecord) => cfg.hotfixPattern.test(d.ref) || shipsHotfixMr(d);
  // A successful release is a hotfix when a successful record of it is one; a re-run ships
  // no MR (4.1), so only its ref can make it a hotfix.
  const isHotfixRelease = (r: Release) =>
    r.success && (r.rerun ? cfg.hotfixPattern.test(r.members[0]!.ref) : r.records.some((d) => d.status === 'success' && isHotfixDeployment(d)));

  const facts = new Map<Release, ReleaseFacts>();
  // Lead-time changes, per project, in release order.
  const liveMrs = new Set<string>();
  const liveShas = new Set<string>();
  for (const b of ds.baselines) if (b.lastSha) liveShas.add(`${b.projectId}:${b.lastSha}`);

  for (const r of releases) {
    const okRecords = r.records.filter((d) => d.status === 'success');
    const f: ReleaseFacts = { release: r, changes: [], changeFailure: !r.success, hotfix: false, incidentAttributed: false };
    facts.set(r, f);
    f.hotfix = isHotfixRelease(r);

    // Change failure via hotfix / rollback (4.1), checked in each environment of the release.
    // SPEC-READING: "ONE deployment in every count" makes the release the unit here too: the
    // later deployment is a later successful release to the same environment, and its
    // "finishing after D and at most 24 h after it" compares release finish times (a deploy
    // job re-run after its success is a release of its own). "Live there before
    // D" is a fact about the environment, so it reads every successful record in it that
    // finished before D's record there (and the pre-window SHA).
    if (r.success) {
      for (const m of r.members) {
        const later = (releasesInEnv.get(m.environmentId) ?? []).filter((h) => h !== r && h.finishMs > r.finishMs);
        const hot = later.some((h) => h.finishMs <= r.finishMs + 24 * HOUR && isHotfixRelease(h));
        const t = timeline.get(m.environmentId) ?? [];
        const liveBefore = new Set(t.filter((d) => ms(d.finishedAt) < ms(m.finishedAt)).map((d) => d.sha));
        const b = baselineOf.get(`${m.projectId}:${m.environmentId}`);
        if (b?.lastSha) liveBefore.add(b.lastSha);
        liveBefore.delete(m.sha);
        // SPEC-READING: "a later successful deployment" has no time bound: any later redeploy
        // of a SHA live before D marks D.
        const rolledBack = later.some((h) => h.members.some((x) => x.environmentId === m.environmentId && liveBefore.has(x.sha)));
        if (hot || rolledBack) f.changeFailure = true;
      }
    }

    // Changes shipped (lead time). SPEC-READING: only successful releases ship changes;
    // MRs linked to records of a failed release are neither changes nor marked live.
    if (!r.success) continue;
    if (r.rerun) {
      // A re-run ships no change (its SHA was live before): MRs GitLab links to it are
      // neither changes nor live from it, so a later deployment that ships them counts them.
      for (const d of okRecords) liveShas.add(`${r.projectId}:${d.sha}`);
      continue;
    }
    const shipped = new Map<string, Change>();
    // SPEC-READING: the release ships the MRs linked to any of its successful records.
    // Baseline records are read last: an MR that a non-baseline
    // environment of the same release ships is a change; the baseline's own MRs become live.
    const ordered = [...okRecords.filter((d) => !baselineDeployments.has(d.id)), ...okRecords.filter((d) => baselineDeployments.has(d.id))];
    for (const d of ordered) {
      for (const l of mrsOfDeployment.get(d.id) ?? []) {
        const key = `${r.projectId}:${l.mrId}`;
        if (liveMrs.has(key)) continue;
        liveMrs.add(key);
        if (baselineDeployments.has(d.id)) continue;
        const merged = l.mergedAt === null ? null : ms(l.mergedAt);
        const first = l.firstCommitAuthoredAt === null ? null : ms(l.firstCommitAuthoredAt);
        // Start = earliest commit, never later than merged_at.
        // SPEC-READING: an MR without commits starts at merged_at; without both, no start.
        const start = first === null ? merged : merged === null ? first : Math.min(first, merged);
        shipped.set(key, { startMs: start, mergedMs: merged });
      }
    }
    // SPEC-READING: the "no linked MR" rule applies when no record of the release has a
    // linked MR; "the last successful production deployment to that environment" is the
    // last one before this release's first record there; the commit counts once per
    // project like an MR.
    if (!okRecords.some((d) => (mrsOfDeployment.get(d.id) ?? []).length > 0)) {
      for (const m of r.members) {
        const t = timeline.get(m.environmentId) ?? [];
        const firstHere = okRecords.filter((d) => d.environmentId === m.environmentId).map((d) => posInTimeline.get(d.id)!);
        const i = Math.min(...firstHere);
        const prev = i > 0 ? t[i - 1]!.sha : (baselineOf.get(`${m.projectId}:${m.environmentId}`)?.lastSha ?? null);
        const shaKey = `${r.projectId}:${m.sha}`;
        if (!baselineDeployments.has(t[i]!.id) && prev !== m.sha && !liveShas.has(shaKey) && !shipped.has(shaKey)) {
          // SPEC-READING: a commit without authored_date is a change without a lead time.
          shipped.set(shaKey, { startMs: m.commitAuthoredAt === null ? null : ms(m.commitAuthoredAt), mergedMs: null });
        }
      }
    }
    for (const d of okRecords) liveShas.add(`${r.projectId}:${d.sha}`);
    f.changes = [...shipped.values()];
  }

  // ---------- incidents ----------
  const labelSet = new Set(cfg.incidentLabels);
  const incidents = ds.issues.filter((i) => i.issueType === 'incident' || i.labels.some((l) => labelSet.has(l)));
  const incidentTeam = (i: IssueRecord) => teamLabel(i.labels) ?? teamOfProject(i.projectId);

  const successByProject = new Map<number, Release[]>();
  const successByTeam = new Map<string, Release[]>();
  for (const r of releases) {
    if (!r.success) continue;
    const pl = successByProject.get(r.projectId) ?? [];
    pl.push(r);
    successByProject.set(r.projectId, pl);
    const team = teamOfProject(r.projectId);
    if (team !== null) {
      const tl = successByTeam.get(team) ?? [];
      tl.push(r);
      successByTeam.set(team, tl);
    }
  }
  const latestBefore = (list: Release[], t: number): Release | null => {
    let best: Release | null = null;
    for (const r of list) if (r.finishMs < t) best = r; // list is in finish order
    return best;
  };
  for (const inc of incidents) {
    const created = ms(inc.createdAt);
    const own = successByProject.get(inc.projectId);
    let target: Release | null;
    if (own && own.length > 0) target = latestBefore(own, created);
    else {
      // Team fallback only when the project has no successful production deployment at all.
      const team = incidentTeam(inc);
      target = team === null ? null : latestBefore(successByTeam.get(team) ?? [], created);
    }
    if (target) facts.get(target)!.incidentAttributed = true;
  }

  // ---------- DORA rows ----------
  type Scope = (projectId: number) => boolean;
  const factsByMonth = new Map<string, ReleaseFacts[]>();
  for (const f of facts.values()) {
    const m = clock.monthOf(f.release.finishIso);
    const a = factsByMonth.get(m);
    if (a) a.push(f);
    else factsByMonth.set(m, [f]);
  }
  const doraRow = (month: string, inScope: Scope, incidentInScope: (i: IssueRecord) => boolean): Row => {
    const inMonth = (factsByMonth.get(month) ?? []).filter((f) => inScope(f.release.projectId));
    const ok = inMonth.filter((f) => f.release.success);
    const changes = ok.flatMap((f) => f.changes.map((c) => ({ c, finish: f.release.finishMs })));
    const lead = changes.filter((x) => x.c.startMs !== null).map((x) => (x.finish - x.c.startMs!) / HOUR);
    // Merge → deploy below zero counts as 0.
    const leadMerge = changes.filter((x) => x.c.mergedMs !== null).map((x) => Math.max(0, x.finish - x.c.mergedMs!) / HOUR);
    const cfrDep = ratio(inMonth.filter((f) => f.changeFailure).length, inMonth.length);
    const cfrInc = ratio(ok.filter((f) => f.incidentAttributed).length, ok.length);
    const days = new Set(ok.map((f) => clock.dayOf(f.release.finishIso)));
    const daysPerWeek = deploymentDaysPerWeek(month, days);
    const headlineCfr = cfg.changeFailure === 'deployments' ? cfrDep : cfrInc;
    const scopeIncidents = incidents.filter(incidentInScope);
    const end = monthEndMs(month);
    const closed = scopeIncidents
      .filter((i) => i.closedAt !== null && clock.monthOf(i.closedAt) === month)
      .map((i) => (ms(i.closedAt!) - ms(i.createdAt)) / MINUTE);
    const leadTime = median(lead);
    const restoreMedian = median(closed);
    return {
      prod_deployments: ok.length,
      lead_time_hours: leadTime,
      change_failure_rate: headlineCfr,
      mttr_minutes: mean(closed),
      deployments_per_day: ok.length / daysInMonth(month),
      deployment_days: days.size,
      lead_time_p90_hours: quantile(lead, 0.9),
      lead_time_merge_hours: median(leadMerge),
      cfr_deployments: cfrDep,
      cfr_incidents: cfrInc,
      incidents: scopeIncidents.filter((i) => clock.monthOf(i.createdAt) === month).length,
      open_incidents: scopeIncidents.filter((i) => ms(i.createdAt) < end && (i.closedAt === null || ms(i.closedAt) >= end)).length,
      time_to_restore_median_minutes: restoreMedian,
      // Extras (not in the documented list) that localise disagreements.
      deployment_attempts: inMonth.length,
      failed_deployments: inMonth.filter((f) => !f.release.success).length,
      changes: changes.length,
      hotfix_deployments: ok.filter((f) => f.hotfix).length,
      deployment_days_per_week: daysPerWeek,
      level_deployment_frequency: deploymentFrequencyLevel(daysPerWeek, days.size),
      level_lead_time: leadTimeLevel(leadTime),
      // SPEC-READING: the level of "change failure rate" rates the headline rate (the one
      // chosen by change_failure), and time to restore is rated on its median, as the table says.
      level_change_failure_rate: changeFailureLevel(headlineCfr),
      level_time_to_restore: timeToRestoreLevel(restoreMedian),
    };
  };
  // Month end in the configured zone: the first instant whose local month is the next month.
  const monthEndCache = new Map<string, number>();
  function monthEndMs(month: string): number {
    const hit = monthEndCache.get(month);
    if (hit !== undefined) return hit;
    const next = nextMonth(month);
    // Search the UTC hours around the next month's start for the first one in that month.
    const [y, m] = next.split('-').map(Number) as [number, number];
    let t = Date.UTC(y, m - 1, 1) - 15 * HOUR;
    while (clock.monthOf(new Date(t).toISOString()) !== next) t += MINUTE * 15;
    monthEndCache.set(month, t);
    return t;
  }

  const teams = [...new Set(ds.projects.map((p) => p.team).filter((t): t is string => t !== null))].sort();
  // SPEC-READING: team rows for teams known only from an incident's team:: label are also produced.
  const incidentTeams = new Set(incidents.map(incidentTeam).filter((t): t is string => t !== null));
  const doraTeams = [...new Set([...teams, ...incidentTeams])].sort();
  const projects = [...ds.projects].sort((a, b) => (a.team ?? '').localeCompare(b.team ?? '') || a.path.localeCompare(b.path));

  const out: RefOutput = {};
  out['dora_monthly.csv'] = months.map((month) => ({ month, ...doraRow(month, () => true, () => true) }));
  out['dora_team_monthly.csv'] = months.flatMap((month) =>
    doraTeams.map((team) => ({ month, team, ...doraRow(month, (p) => teamOfProject(p) === team, (i) => incidentTeam(i) === team) })),
  );
  out['dora_project_monthly.csv'] = months.flatMap((month) =>
    projects.map((p) => ({ month, team: p.team, project: p.path, ...doraRow(month, (id) => id === p.id, (i) => i.projectId === p.id) })),
  );

  // ---------- CI minutes and cost ----------
  // 4.1: a runner without runner_type is instance_type when shared (the record then says so),
  // else of unknown type ('unknown'), which no runner-type entry names: only tag: rates apply.
  const rateOf = (j: JobRecord): number => {
    for (const r of cfg.runnerRates) if (r.kind === 'tag' && j.tags.includes(r.tag)) return r.rate;
    for (const r of cfg.runnerRates) if (r.kind === 'runner_type' && j.runnerType === r.runnerType) return r.rate;
    return cfg.costPerMinute;
  };
  const minutes = new Map<string, number>(); // `${month}|${projectId}`
  const cost = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);

  // Retry: a later job with the same name in the same pipeline exists.
  // SPEC-READING: "later" = created later (ties: higher id).
  const latestOf = new Map<string, JobRecord>();
  for (const j of ds.jobs) {
    if (j.pipelineId === null) continue;
    const k = `${j.pipelineId}|${j.name}`;
    const cur = latestOf.get(k);
    if (!cur || ms(j.createdAt) > ms(cur.createdAt) || (ms(j.createdAt) === ms(cur.createdAt) && j.id > cur.id)) latestOf.set(k, j);
  }
  interface PipeAgg {
    ran: number;
    retried: number;
    failed: number;
    infra: number;
    /** failed jobs with a known failure reason (the infra share's denominator) */
    known: number;
    queue: number[];
  }
  const INFRA_REASONS = new Set([
    'runner_system_failure', 'stuck_or_timeout_failure', 'api_failure', 'scheduler_failure', 'data_integrity_failure',
    'no_matching_runner', 'runner_unsupported', 'stale_schedule', 'job_router_failure',
  ]);
  const jobAgg = new Map<string, PipeAgg>(); // `${month}|${team}`
  const jobIntervals = new Map<number, Array<[number, number]>>();
  for (const j of ds.jobs) {
    if (j.pipelineId !== null && j.startedAt !== null && j.finishedAt !== null && latestOf.get(`${j.pipelineId}|${j.name}`) === j) {
      const iv = jobIntervals.get(j.pipelineId) ?? [];
      iv.push([ms(j.startedAt), ms(j.finishedAt)]);
      jobIntervals.set(j.pipelineId, iv);
    }
    const month = clock.monthOf(j.createdAt);
    if (!monthSet.has(month)) continue;
    const ran = j.duration !== null && j.duration > 0;
    if (ran) {
      add(minutes, `${month}|${j.projectId}`, j.duration! / 60);
      add(cost, `${month}|${j.projectId}`, (j.duration! / 60) * rateOf(j));
    }
    const team = teamOfProject(j.projectId);
    if (team === null) continue;
    const key = `${month}|${team}`;
    let a = jobAgg.get(key);
    if (!a) jobAgg.set(key, (a = { ran: 0, retried: 0, failed: 0, infra: 0, known: 0, queue: [] }));
    if (ran) a.ran++;
    // SPEC-READING: the retry numerator counts every retried job created in the month (the
    // text does not restrict it to jobs that ran).
    if (j.pipelineId !== null && latestOf.get(`${j.pipelineId}|${j.name}`) !== j) a.retried++;
    if (j.status === 'failed') {
      a.failed++;
      // 4: a missing reason or unknown_failure is unknown: out of both counts.
      if (j.failureReason !== null && j.failureReason !== 'unknown_failure') {
        a.known++;
        if (INFRA_REASONS.has(j.failureReason)) a.infra++;
      }
    }
    // SPEC-READING: queue time over every job created in the month with a known queued_duration.
    if (j.queuedDuration !== null) a.queue.push(j.queuedDuration / 60);
  }
  const sumWhere = (m: Map<string, number>, month: string, pred: (id: number) => boolean) => {
    let s = 0;
    for (const p of ds.projects) if (pred(p.id)) s += m.get(`${month}|${p.id}`) ?? 0;
    return s;
  };
  out['ci_cost_monthly.csv'] = months.map((month) => ({
    month,
    ci_minutes: sumWhere(minutes, month, () => true),
    ci_cost: sumWhere(cost, month, () => true),
  }));
  out['ci_cost_team_monthly.csv'] = months.flatMap((month) =>
    teams.map((team) => ({
      month,
      team,
      ci_minutes: sumWhere(minutes, month, (id) => teamOfProject(id) === team),
      ci_cost: sumWhere(cost, month, (id) => teamOfProject(id) === team),
    })),
  );
  out['ci_cost_project_monthly.csv'] = months.flatMap((month) =>
    projects.map((p) => ({
      month,
      team: p.team,
      project: p.path,
      ci_minutes: minutes.get(`${month}|${p.id}`) ?? 0,
      ci_cost: cost.get(`${month}|${p.id}`) ?? 0,
    })),
  );

  // ---------- cost vs DORA, correlations (portfolio, per month of the trend window) ----------
  const dora = new Map(out['dora_monthly.csv'].map((r) => [r.month as string, r]));
  const ci = new Map(out['ci_cost_monthly.csv'].map((r) => [r.month as string, r]));
  out['cost_vs_dora.csv'] = months.map((month) => {
    const d = dora.get(month)!;
    const c = ci.get(month)!;
    const cost = c.ci_cost as number;
    return {
      month,
      ci_cost: cost,
      prod_deployments: d.prod_deployments!,
      lead_time_hours: d.lead_time_hours!,
      change_failure_rate: d.change_failure_rate!,
      deployments_per_1k_cost: cost === 0 ? null : ((d.prod_deployments as number) / cost) * 1000,
      mttr_minutes: d.mttr_minutes!,
      ci_minutes: c.ci_minutes!,
      cfr_deployments: d.cfr_deployments!,
      cfr_incidents: d.cfr_incidents!,
    };
  });
  // SPEC-READING: unrounded monthly values; a month counts when both values are non-empty.
  out[CORRELATIONS] = (['prod_deployments', 'lead_time_hours', 'change_failure_rate'] as const).map((metric) => ({
    metric,
    ...pearson(out['cost_vs_dora.csv']!.map((r) => [r.ci_cost as number | null, r[metric] as number | null])),
  }));

  // ---------- top pipelines of the report month ----------
  // SPEC-READING: ../../docs/definitions.md#ci-minutes-and-cost counts CI minutes "by job created_at", so a pipeline's minutes and
  // cost in the report month are those of its jobs (that ran) created in the month, whatever
  // month the pipeline was created in: the top list then sums to at most the month's ci_cost.
  // Ranked by ci_cost descending; ties by pipeline_id ascending (the older pipeline first).
  // Only pipelines with a job that ran in the month are ranked.
  const perPipeline = new Map<number, { projectId: number; ref: string; minutes: number; cost: number }>();
  for (const j of ds.jobs) {
    if (j.pipelineId === null || j.duration === null || j.duration <= 0 || clock.monthOf(j.createdAt) !== cfg.month) continue;
    let a = perPipeline.get(j.pipelineId);
    if (!a) perPipeline.set(j.pipelineId, (a = { projectId: j.projectId, ref: j.ref, minutes: 0, cost: 0 }));
    a.minutes += j.duration / 60;
    a.cost += (j.duration / 60) * rateOf(j);
  }
  const pipelineById = new Map(ds.pipelines.map((p) => [p.id, p]));
  out['top_pipelines.csv'] = [...perPipeline.entries()]
    .sort((a, b) => b[1].cost - a[1].cost || a[0] - b[0])
    .slice(0, 10)
    .map(([id, a], i) => {
      const pl = pipelineById.get(id);
      const project = projectById.get(a.projectId);
      return {
        rank: i + 1,
        project: project?.path ?? '',
        team: project?.team ?? null,
        pipeline_id: id,
        // SPEC-READING: a pipeline missing from the collected pipelines (created before the
        // window) takes its jobs' ref and GitLab's pipeline URL.
        ref: pl?.ref ?? a.ref,
        ci_minutes: a.minutes,
        ci_cost: a.cost,
        web_url: pl?.webUrl ?? `${project?.webUrl ?? ''}/-/pipelines/${id}`,
      };
    });

  // ---------- pipelines ----------
  interface PlAgg {
    count: number;
    success: number;
    failed: number;
    durations: number[];
  }
  const plAgg = new Map<string, PlAgg>();
  for (const p of ds.pipelines) {
    const team = teamOfProject(p.projectId);
    const month = clock.monthOf(p.createdAt);
    if (team === null || !monthSet.has(month)) continue;
    const key = `${month}|${team}`;
    let a = plAgg.get(key);
    if (!a) plAgg.set(key, (a = { count: 0, success: 0, failed: 0, durations: [] }));
    a.count++;
    if (p.status === 'success') a.success++;
    if (p.status === 'failed') a.failed++;
    // SPEC-READING: the record has no duration and the definitions do not say; GitLab's
    // pipeline `duration` is "seconds spent running" (../../docs/gitlab-api.md#pipeline-lists-have-no-duration), i.e. the union of
    // its jobs' running periods (latest, non-retried jobs; gaps where nothing runs excluded).
    // Pipelines without a job that started and finished have no duration.
    const d = runningSeconds(jobIntervals.get(p.id) ?? []);
    if (d !== null) a.durations.push(d / 60);
  }
  out['pipelines_team_monthly.csv'] = months.flatMap((month) =>
    teams.map((team) => {
      const p = plAgg.get(`${month}|${team}`);
      const j = jobAgg.get(`${month}|${team}`);
      return {
        month,
        team,
        pipelines: p?.count ?? 0,
        pipeline_success_rate: p ? ratio(p.success, p.success + p.failed) : null,
        retry_rate: j ? ratio(j.retried, j.ran) : null,
        infra_failure_share: j ? ratio(j.infra, j.known) : null,
        pipeline_duration_median_minutes: p ? median(p.durations) : null,
        queue_time_p90_minutes: j ? quantile(j.queue, 0.9) : null,
        pipeline_duration_p90_minutes: p ? quantile(p.durations, 0.9) : null,
        queue_time_median_minutes: j ? median(j.queue) : null,
        // "jobs that ran; failed jobs" by job created_at, as in the rates above.
        jobs: j?.ran ?? 0,
        failed_jobs: j?.failed ?? 0,
      };
    }),
  );

  // ---------- delivery ----------
  // SPEC-READING: an ordinary issue's team is its project's team (the team:: label rule is
  // stated for incidents only); issues_closed counts issues of every type, incidents included.
  out['delivery_team_monthly.csv'] = months.flatMap((month) =>
    teams.map((team) => {
      const inTeam = (projectId: number) => teamOfProject(projectId) === team;
      const issues = ds.issues.filter((i) => inTeam(i.projectId));
      const merged = ds.mergeRequests.filter((m) => inTeam(m.projectId) && m.mergedAt !== null && clock.monthOf(m.mergedAt) === month);
      const end = monthEndMs(month);
      const ok = (factsByMonth.get(month) ?? []).filter((f) => f.release.success && inTeam(f.release.projectId));
      return {
        month,
        team,
        issues_closed: issues.filter((i) => i.closedAt !== null && clock.monthOf(i.closedAt) === month).length,
        mrs_merged: merged.length,
        mr_cycle_time_hours: median(merged.map((m) => (ms(m.mergedAt!) - ms(m.createdAt)) / HOUR)),
        // SPEC-READING: spillover = issues whose milestone due date (a calendar date) is in the
        // month and that were still open at the month's end.
        spillover: issues.filter(
          (i) => i.milestoneDueDate !== null && i.milestoneDueDate.slice(0, 7) === month && ms(i.createdAt) < end && (i.closedAt === null || ms(i.closedAt) >= end),
        ).length,
        bugs_opened: issues.filter((i) => i.labels.includes('type::bug') && clock.monthOf(i.createdAt) === month).length,
        // SPEC-READING: a hotfix deployment is a successful release whose ref matches
        // hotfix_pattern or that ships an MR labelled type::hotfix.
        hotfix_ratio: ratio(ok.filter((f) => f.hotfix).length, ok.length),
      };
    }),
  );
  return out;
}

/** Length of the union of [start, end] intervals, in seconds; null when there are none. */
export function runningSeconds(intervals: Array<[number, number]>): number | null {
  if (intervals.length === 0) return null;
  const iv = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [cs, ce] = iv[0]!;
  for (const [s, e] of iv.slice(1)) {
    if (s > ce) {
      total += ce - cs;
      [cs, ce] = [s, e];
    } else ce = Math.max(ce, e);
  }
  return (total + ce - cs) / 1000;
}

/** `(?i)hotfix` → /hotfix/i (a leading RE2 inline flag group). */
export function compilePattern(source: string): RegExp {
  const m = /^\(\?([a-z]+)\)/.exec(source);
  return m ? new RegExp(source.slice(m[0].length), m[1]!.replace(/[^imsu]/g, '')) : new RegExp(source);
}

/** The documented input defaults (../../docs/inputs.md) for a report month. */
export function defaultRefConfig(month: string, months = 12): RefConfig {
  return {
    environmentTier: 'production',
    environmentPattern: null,
    timezone: 'UTC',
    costPerMinute: 0.008,
    runnerRates: [],
    changeFailure: 'deployments',
    incidentLabels: ['type::incident'],
    hotfixPattern: compilePattern('(?i)hotfix'),
    month,
    months,
  };
}
