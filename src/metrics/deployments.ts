/**
 * Production deployments (../../docs/definitions.md#deployments, ../../docs/definitions.md#hotfix-and-rollback): grouping of one pipeline's deployments
 * into one deployment, attempts, baselines, hotfixes, rollbacks and cfr_deployments.
 */

import type { Config } from '../config/types';
import type {
  DeploymentMergeRequestRecord,
  DeploymentRecord,
  EnvironmentBaselineRecord,
  EnvironmentRecord,
} from '../model/types';
import type { Calendar } from './calendar';
import { baselineDeploymentIds } from '../model/baseline';
import { isProductionEnvironment, withoutStatefulFlags } from '../config/production';
import { isoMs } from './instants';
import { Grid, type Scopes } from './scopes';

/** Reader-facing definition (report.md and executive_summary.txt say it in these words): ../../docs/definitions.md#deployments */
export const DEPLOYMENT_DEFINITION =
  'one pipeline\u2019s deployments to production environments count as one (a failed deploy job retried to success is a success); a deploy job re-run after its pipeline already succeeded in that environment (GitLab\u2019s Re-deploy or Rollback) is a deployment of its own that ships no change';

/** Reader-facing definition (report.md and executive_summary.txt say it in these words): ../../docs/definitions.md#change-failure-rate */
export const CFR_DEPLOYMENTS_DEFINITION =
  'production deployments that failed, were followed by a hotfix within 24 h or were rolled back, per production deployment attempt';

const HOUR_MS = 3_600_000;
const HOTFIX_WINDOW_MS = 24 * HOUR_MS;
const HOTFIX_LABEL = 'type::hotfix';

/** One deployment in every count: a project's pipeline's production deployments, or an API deployment. */
export interface DeploymentGroup {
  projectId: number;
  pipelineId: number | null;
  ref: string;
  /** Finish of the last deciding deployment (ms). */
  finishMs: number;
  /** Every deciding deployment (the last one per environment) succeeded. */
  success: boolean;
  /** All production attempts of the group, by id. */
  deployments: DeploymentRecord[];
  /** The last attempt per environment: these decide status, finish and SHA per environment. */
  deciding: DeploymentRecord[];
  /** Ids of members that are their environment's first-ever successful deployment. */
  baselineIds: Set<number>;
  /**
   * A re-run of a deploy job to an environment where its pipeline had already succeeded
   * (GitLab's "Re-deploy"/"Rollback" button): one record, a deployment of its own that
   * ships no change (4.1).
   */
  rerun: boolean;
  /** Successful, and its ref matches hotfix_pattern or it ships an MR labelled type::hotfix. */
  hotfix: boolean;
  followedByHotfix: boolean;
  rolledBack: boolean;
}

function isChangeFailure(g: DeploymentGroup): boolean {
  return !g.success || g.followedByHotfix || g.rolledBack;
}

export interface ProductionData {
  /** Deployment groups ordered by finish time (then lowest member id). */
  groups: DeploymentGroup[];
  /** Baseline records of production environments, by environment id. */
  baselines: Map<number, EnvironmentBaselineRecord>;
  /** MR links by deployment id. */
  links: Map<number, DeploymentMergeRequestRecord[]>;
  /** Production attempts created through the API (no job, no pipeline). */
  deploymentsWithoutJob: number;
}

interface Inputs {
  environments: readonly EnvironmentRecord[];
  deployments: readonly DeploymentRecord[];
  baselines: readonly EnvironmentBaselineRecord[];
  deploymentMergeRequests: readonly DeploymentMergeRequestRecord[];
}

/** Production predicate over a deployment, resolving its environment once per id. */
function productionFilter(
  environments: readonly EnvironmentRecord[],
  config: Pick<Config, 'environmentTier' | 'environment'>,
): (d: { projectId: number; environmentId: number; environmentName: string }) => boolean {
  const byId = new Map(environments.map((e) => [e.id, e]));
  const byName = new Map(environments.map((e) => [`${e.projectId}\u0000${e.name}`, e]));
  const cache = new Map<number, boolean>();
  return (d) => {
    let prod = cache.get(d.environmentId);
    if (prod === undefined) {
      // SPEC-CHOICE: an environment missing from data.environments is looked up by
      // project and name; failing that it is judged by its name with no tier (so only
      // the `environment` name regex can make it production).
      const env = byId.get(d.environmentId) ??
        byName.get(`${d.projectId}\u0000${d.environmentName}`) ?? { name: d.environmentName, tier: null };
      prod = isProductionEnvironment(env, config);
      cache.set(d.environmentId, prod);
    }
    return prod;
  };
}

export function analyzeDeployments(
  data: Inputs,
  config: Pick<Config, 'environmentTier' | 'environment' | 'hotfixPattern'>,
): ProductionData {
  const isProd = productionFilter(data.environments, config);
  // Attempts only: canceled, skipped, blocked, running and created ones are not attempts (../../docs/definitions.md#deployments).
  const attempts = data.deployments.filter((d) => (d.status === 'success' || d.status === 'failed') && isProd(d));

  const links = new Map<number, DeploymentMergeRequestRecord[]>();
  for (const l of data.deploymentMergeRequests) {
    const list = links.get(l.deploymentId);
    if (list) list.push(l);
    else links.set(l.deploymentId, [l]);
  }

  const baselines = new Map<number, EnvironmentBaselineRecord>();
  for (const b of data.baselines) if (isProd(b)) baselines.set(b.environmentId, b);

  const baselineIds = baselineDeploymentIds(attempts, baselines.values());

  const byKey = new Map<string, DeploymentRecord[]>();
  let deploymentsWithoutJob = 0;
  for (const d of attempts) {
    if (d.pipelineId === null) deploymentsWithoutJob++;
    // API-created deployments (no pipeline) stand alone.
    const key = d.pipelineId === null ? `d${d.id}` : `${d.projectId}:${d.pipelineId}`;
    const list = byKey.get(key);
    if (list) list.push(d);
    else byKey.set(key, [d]);
  }

  const hotfixRef = new RegExp(config.hotfixPattern.pattern, withoutStatefulFlags(config.hotfixPattern.flags));
  const groups: DeploymentGroup[] = [];
  const addGroup = (members: DeploymentRecord[], rerun: boolean): void => {
    // SPEC-CHOICE: "the last deployment to each environment in that pipeline" is the one
    // created last (highest id): a retried deploy job creates a new deployment.
    const last = new Map<number, DeploymentRecord>();
    for (const d of members) last.set(d.environmentId, d);
    const deciding = [...last.values()];
    const success = deciding.every((d) => d.status === 'success');
    const first = members[0] as DeploymentRecord;
    const group: DeploymentGroup = {
      projectId: first.projectId,
      pipelineId: first.pipelineId,
      ref: (deciding[deciding.length - 1] as DeploymentRecord).ref,
      finishMs: Math.max(...deciding.map((d) => isoMs(d.finishedAt))),
      success,
      deployments: members,
      deciding,
      baselineIds: new Set(members.filter((d) => baselineIds.has(d.id)).map((d) => d.id)),
      rerun,
      hotfix: false,
      followedByHotfix: false,
      rolledBack: false,
    };
    group.hotfix =
      success &&
      (hotfixRef.test(group.ref) ||
        // A re-run ships no MR, whatever GitLab links to it, so only its ref can make it a
        // hotfix. SPEC-CHOICE: a baseline links every MR ever merged, old hotfixes
        // included: those do not make it a hotfix.
        (!rerun &&
          members.some(
            (d) =>
              d.status === 'success' &&
              !group.baselineIds.has(d.id) &&
              (links.get(d.id) ?? []).some((l) => l.labels.includes(HOTFIX_LABEL)),
          )));
    groups.push(group);
  };
  for (const members of byKey.values()) {
    members.sort((a, b) => a.id - b.id);
    // Per environment, the pipeline's attempts up to and including its first success there
    // belong to the release; every later attempt there is a re-run of a finished deploy job
    // (GitLab's Ci::RetryJobService clones the job, and Deployments::CreateForJobService
    // gives the clone a new deployment: same pipeline, ref and SHA, new id), which is a
    // deployment of its own at its own finish time (4.1). In id order: a retry's
    // deployment is created after the job it retries.
    const succeededIn = new Set<number>();
    const release: DeploymentRecord[] = [];
    const reruns: DeploymentRecord[] = [];
    for (const d of members) {
      if (succeededIn.has(d.environmentId)) reruns.push(d);
      else {
        release.push(d);
        if (d.status === 'success') succeededIn.add(d.environmentId);
      }
    }
    addGroup(release, false);
    // SPEC-CHOICE: each re-run record stands alone, even when one click re-ran the deploy
    // jobs of several environments: 4.1 makes every such deployment "a deployment of its own".
    for (const d of reruns) addGroup([d], true);
  }
  groups.sort((a, b) => a.finishMs - b.finishMs || a.deployments[0]!.id - b.deployments[0]!.id);

  markHotfixesAndRollbacks(groups, baselines);
  return { groups, baselines, links, deploymentsWithoutJob };
}

/**
 * Per production environment, the successful deployments in finish order with the SHA each
 * made live and the time its record there finished.
 */
function environmentHistories(groups: readonly DeploymentGroup[]): Map<number, { group: DeploymentGroup; sha: string; atMs: number }[]> {
  const histories = new Map<number, { group: DeploymentGroup; sha: string; atMs: number }[]>();
  for (const g of groups) {
    if (!g.success) continue;
    for (const d of g.deciding) {
      const entry = { group: g, sha: d.sha, atMs: isoMs(d.finishedAt) };
      const h = histories.get(d.environmentId);
      if (h) h.push(entry);
      else histories.set(d.environmentId, [entry]);
    }
  }
  return histories;
}

/**
 * Per production environment, when each SHA was first live there: the earliest finish of ANY
 * successful deployment record of it, including successful records of a release that
 * failed in another environment (the SHA did go live here).
 */
function firstLiveBySha(groups: readonly DeploymentGroup[]): Map<number, Map<string, number>> {
  const out = new Map<number, Map<string, number>>();
  for (const g of groups) {
    for (const d of g.deployments) {
      if (d.status !== 'success') continue;
      let bySha = out.get(d.environmentId);
      if (!bySha) out.set(d.environmentId, (bySha = new Map()));
      const at = isoMs(d.finishedAt);
      const cur = bySha.get(d.sha);
      if (cur === undefined || at < cur) bySha.set(d.sha, at);
    }
  }
  return out;
}

function markHotfixesAndRollbacks(
  groups: readonly DeploymentGroup[],
  baselines: ReadonlyMap<number, EnvironmentBaselineRecord>,
): void {
  const liveFrom = firstLiveBySha(groups);
  for (const [envId, history] of environmentHistories(groups)) {
    const n = history.length;
    // nextHotfix[i]: first index >= i whose deployment is a hotfix (n if none).
    const nextHotfix = new Array<number>(n + 1).fill(n);
    for (let i = n - 1; i >= 0; i--) nextHotfix[i] = history[i]!.group.hotfix ? i : nextHotfix[i + 1]!;
    const before = baselines.get(envId)?.lastSha ?? null;
    const shaLiveFrom = liveFrom.get(envId)!;
    // liveSince[k]: when entry k's SHA was first live here (-Infinity: before the window);
    // every history entry is itself a successful record, so firstLiveBySha holds its SHA.
    const liveSince = history.map((e) => (e.sha === before ? -Infinity : shaLiveFrom.get(e.sha)!));
    // Over the suffix k > i, the earliest liveSince and the earliest among other SHAs than
    // that one's, so "some later deployment redeploys a SHA other than D's that was live
    // before D" is answered in O(1) per D.
    const best: Array<{ v: number; sha: string | null; v2: number }> = new Array(n + 1);
    best[n] = { v: Infinity, sha: null, v2: Infinity };
    for (let k = n - 1; k >= 0; k--) {
      const nxt = best[k + 1]!;
      const v = liveSince[k]!;
      const sha = history[k]!.sha;
      if (v < nxt.v) best[k] = { v, sha, v2: nxt.sha === sha ? nxt.v2 : nxt.v };
      else if (sha !== nxt.sha && v < nxt.v2) best[k] = { v: nxt.v, sha: nxt.sha, v2: v };
      else best[k] = nxt;
    }

    let j = 0; // first index finishing strictly after entry i
    for (let i = 0; i < n; i++) {
      const d = history[i]!;
      if (j <= i) j = i + 1;
      while (j < n && history[j]!.group.finishMs <= d.group.finishMs) j++;
      const h = nextHotfix[j]!;
      if (h < n && history[h]!.group.finishMs - d.group.finishMs <= HOTFIX_WINDOW_MS) d.group.followedByHotfix = true;

      // Rollback, to the letter of ../../docs/definitions.md#hotfix-and-rollback: ANY later successful deployment here
      // that redeploys a SHA other than D's that was live here before D (or was the last
      // one before the window). Rolling back from c to a therefore marks both b and c.
      const after = best[i + 1]!;
      const earliestOther = after.sha === d.sha ? after.v2 : after.v;
      if (earliestOther < d.atMs) d.group.rolledBack = true;
    }
  }
}

/** `failed_deployments` = attempts that failed; `change_failures` adds hotfixed and rolled-back ones. */
interface DeploymentCounts {
  prod_deployments: number;
  deployment_attempts: number;
  failed_deployments: number;
  change_failures: number;
  hotfix_deployments: number;
  /** Local days (days since epoch) with a successful deployment. */
  days: Set<number>;
}

export function deploymentCounts(groups: readonly DeploymentGroup[], cal: Calendar, scopes: Scopes): Grid<DeploymentCounts> {
  const grid = new Grid<DeploymentCounts>(scopes.count, cal.length, () => ({
    prod_deployments: 0,
    deployment_attempts: 0,
    failed_deployments: 0,
    change_failures: 0,
    hotfix_deployments: 0,
    days: new Set(),
  }));
  for (const g of groups) {
    const m = cal.monthIndex(g.finishMs);
    if (m < 0) continue;
    const day = cal.localDay(g.finishMs);
    const failure = isChangeFailure(g);
    for (const s of scopes.ofProject(g.projectId)) {
      const c = grid.at(s, m);
      c.deployment_attempts++;
      if (failure) c.change_failures++;
      if (g.success) {
        c.prod_deployments++;
        c.days.add(day);
        if (g.hotfix) c.hotfix_deployments++;
      } else {
        c.failed_deployments++;
      }
    }
  }
  return grid;
}
