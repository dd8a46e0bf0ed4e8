/**
 * Bulk collection of the MRs each production deployment shipped (issue 12, docs/gitlab-bulk-api.md):
 * instead of one `deployments/:id/merge_requests` call per deployment, one group-wide
 * `GET /groups/:id/merge_requests?environment=E&deployed_after=lo&deployed_before=hi` per slice
 * of deployment finish times, cut so that a slice holds at most one deployment per project and
 * environment. Exactness first: a deployment is taken from a slice only when it is provably
 * alone there; every other one is read per item, as before.
 *
 * GitLab's semantics (S:app/finders/merge_requests_finder.rb `by_deployments`,
 * S:app/models/deployment_merge_request.rb): an MR is listed when it is linked to a deployment
 * whose own `deployments.finished_at` is strictly after `deployed_after` and strictly before
 * `deployed_before`, to an environment of that name in the MR's target project. GitLab links
 * only MRs of the deployment's own project (S:app/services/deployments/link_merge_requests_service.rb),
 * so the MR's project names the deployment within a slice.
 */
import type { DeploymentRecord } from '../model/types';
import type { GitLabClient } from './client';
import { forEachLimited, PER_PAGE } from './collect-shared';
import { isGitLabApiError } from './errors';

/**
 * How far a deployment's own finished_at (what GitLab filters on) may be from the finish time we
 * hold, its job's `deployable.finished_at` (the deployment list has no finished_at: ../../docs/gitlab-api.md#deployments-have-no-finish-time-and-no-tier).
 * The deployment reaches `success` in its job's state-machine hooks, normally seconds after the
 * job (INFERENCE); five minutes leaves room for a busy Sidekiq.
 */
const DEPLOYMENT_TIME_MARGIN_MS = 5 * 60_000;

/**
 * A deployment without a job finish time is placed by its updated_at (../../docs/definitions.md#deployments). Its own
 * finished_at was set by an update (the transition to success), so it is not after updated_at;
 * a later update (e.g. archiving) could have moved updated_at on, so an hour before it is allowed
 * (INFERENCE from app/models/deployment.rb's state machine).
 */
const UPDATED_AT_MARGIN_MS = 60 * 60_000;

/** One project's production environment as the bulk planner sees it. */
export interface BulkUnit {
  projectId: number;
  envName: string;
  /**
   * Lower bound of deployments.finished_at for the deployments listed (finished_after): any
   * deployment not in `known` finished before it or at/after the window end.
   */
  lowerMs: number;
  /**
   * Every successful deployment of this project and environment listed from lowerMs (before the
   * window filter) and cached ones: the planner must keep each of them apart.
   */
  known: DeploymentRecord[];
  /** The deployments whose shipped MRs are wanted (a subset of known). */
  targets: DeploymentRecord[];
  /**
   * Set when a listed successful deployment could not be read (its finish time is unknown):
   * then every target of the unit is read per item.
   */
  dirty: boolean;
}

/** A slice (lo, hi) of deployments.finished_at for one environment name (both bounds strict). */
interface Slice {
  envName: string;
  lo: number;
  hi: number;
  /** projectId -> the deployment of that project the slice's MRs belong to */
  assigned: Map<number, number>;
  /** projects of this environment with no deployment at all in the slice: an MR of theirs breaks an assumption */
  quiet: Set<number>;
}

interface Item {
  unit: BulkUnit;
  d: DeploymentRecord;
  start: number;
  end: number;
}

/**
 * Cuts each environment name's time line into slices (pure). A deployment d with job finish time
 * J has its own finished_at D in [J - margin, J + margin] (placed by updated_at U: in
 * [U - UPDATED_AT_MARGIN_MS, U]). It is assigned to the slice (lo, hi)
 * when lo < J - margin, J + margin < hi (or hi is the window end, before which every listed
 * deployment finished), lo >= its unit's lowerMs, and no other known deployment of its unit
 * touches the slice. Slices without an assigned deployment are dropped (no request).
 */
export function planSlices(units: BulkUnit[], endMs: number): Slice[] {
  const marginMs = DEPLOYMENT_TIME_MARGIN_MS;
  const byEnv = new Map<string, BulkUnit[]>();
  for (const u of units) {
    if (u.dirty || u.targets.length === 0) continue;
    let l = byEnv.get(u.envName);
    if (!l) byEnv.set(u.envName, (l = []));
    l.push(u);
  }
  const slices: Slice[] = [];
  for (const [envName, envUnits] of [...byEnv.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const items: Item[] = [];
    for (const unit of envUnits) {
      for (const d of unit.known) {
        const j = Date.parse(d.finishedAt);
        if (d.finishedAtFromUpdatedAt) items.push({ unit, d, start: j - UPDATED_AT_MARGIN_MS, end: j + 1 });
        else items.push({ unit, d, start: j - marginMs, end: j + marginMs });
      }
    }
    items.sort((a, b) => a.start - b.start || a.d.id - b.d.id);
    const lo0 = Math.min(...envUnits.map((u) => u.lowerMs));
    const bounds = cut(items, lo0, endMs);
    for (let i = 0; i + 1 < bounds.length; i++) {
      const lo = bounds[i]!;
      const hi = bounds[i + 1]!;
      if (hi <= lo) continue;
      const touching = new Map<BulkUnit, Item[]>();
      for (const it of items) {
        // D can lie anywhere in [start, end]: it may fall in (lo, hi) unless it ends at/before lo or starts at/after hi
        if (it.end <= lo || it.start >= hi) continue;
        let t = touching.get(it.unit);
        if (!t) touching.set(it.unit, (t = []));
        t.push(it);
      }
      const assigned = new Map<number, number>();
      const quiet = new Set<number>();
      for (const unit of envUnits) {
        if (lo < unit.lowerMs) continue; // deployments not listed may have finished in the slice
        const t = touching.get(unit) ?? [];
        if (t.length === 0) {
          quiet.add(unit.projectId);
          continue;
        }
        if (t.length > 1) continue;
        const it = t[0]!;
        const inside = it.start > lo && (it.end < hi || hi >= endMs);
        if (inside && unit.targets.some((x) => x.id === it.d.id)) assigned.set(unit.projectId, it.d.id);
      }
      if (assigned.size > 0) slices.push({ envName, lo, hi, assigned, quiet });
    }
  }
  return slices;
}

/**
 * Boundaries [lo0, b1, ..., endMs]: a new slice starts where a project would otherwise appear
 * twice in the current one, at the latest gap (a time no deployment range covers) after that
 * project's earlier deployment. Without such a gap both stay together and the planner reads
 * them per item.
 */
function cut(items: Item[], lo0: number, endMs: number): number[] {
  const bounds = [lo0];
  let current: Item[] = [];
  const units = new Set<BulkUnit>();
  for (const it of items) {
    if (it.start >= endMs) break;
    if (units.has(it.unit)) {
      const prev = current.map((c) => c.unit).lastIndexOf(it.unit);
      // latest i >= prev with max(end of current[0..i]) < start of current[i+1] (or of it)
      let maxEnd = Number.NEGATIVE_INFINITY;
      const prefixMax: number[] = [];
      for (const c of current) prefixMax.push((maxEnd = Math.max(maxEnd, c.end)));
      let cutAt = -1;
      for (let i = current.length - 1; i >= prev; i--) {
        const nextStart = i + 1 < current.length ? current[i + 1]!.start : it.start;
        if (prefixMax[i]! < nextStart - 1) {
          cutAt = i;
          break;
        }
      }
      if (cutAt >= 0) {
        const nextStart = cutAt + 1 < current.length ? current[cutAt + 1]!.start : it.start;
        bounds.push(Math.floor((prefixMax[cutAt]! + nextStart) / 2));
        current = current.slice(cutAt + 1);
        units.clear();
        for (const c of current) units.add(c.unit);
      }
    }
    current.push(it);
    units.add(it.unit);
  }
  bounds.push(endMs);
  return bounds;
}

/** What the bulk reading did, for CollectionMeta.collectionPaths. */
interface BulkShippedStats {
  /** successful deployments whose MRs came from a windowed group listing */
  bulk: number;
  /** successful deployments read per item (ambiguous slice, no job finish time, capability missing) */
  perItem: number;
  /** group-wide windowed listings requested (first pages) */
  slices: number;
  /** listings not requested: an interrupted run had saved their answers (SliceStore) */
  resumedSlices: number;
  /** why everything went per item, when it did */
  fallback: string | null;
}

/**
 * Where the answers of windowed listings are kept as they arrive (the checkpoint,
 * src/store/checkpoint.ts), so that a run stopped in the group-wide phase and rerun does not
 * ask them again. A slice is named by its environment and bounds: the same units (projects
 * saved as listed, or listed again from the same final window) give the same plan.
 */
export interface SliceStore {
  saved(key: string): unknown[] | null;
  done(key: string, rows: unknown[]): void;
}

/** The name of a slice in a SliceStore. */
const sliceKey = (s: Pick<Slice, 'envName' | 'lo' | 'hi'>): string => `${s.envName}\u0000${s.lo}\u0000${s.hi}`;

/**
 * What is kept of a listed MR: the fields the shipped-MR record reads
 * (normalize.ts normalizeShippedMr, and project_id to place it), never its people fields.
 */
const SHIPPED_MR_FIELDS = ['id', 'iid', 'project_id', 'created_at', 'merged_at', 'labels'] as const;
function shippedMrFields(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const o = raw as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of SHIPPED_MR_FIELDS) if (k in o) out[k] = o[k];
  return out;
}

/** Returns the raw MR rows a deployment shipped, or null: read it per item. */
export type ShippedLister = (d: DeploymentRecord) => unknown[] | null;

interface Registration {
  units: BulkUnit[];
  resolve: (lister: ShippedLister) => void;
  reject: (e: unknown) => void;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The projects register their production environments as their deployments are listed; `run`
 * (once every project is listed) reads the slices and answers every registration.
 */
export class BulkShippedMrs {
  readonly stats: BulkShippedStats = { bulk: 0, perItem: 0, slices: 0, resumedSlices: 0, fallback: null };
  private readonly registrations: Registration[] = [];

  constructor(
    private readonly client: GitLabClient,
    private readonly groupId: number,
    private readonly endMs: number,
    private readonly concurrency: number,
    private readonly store: SliceStore | null = null,
  ) {}

  register(units: BulkUnit[]): Promise<ShippedLister> {
    return new Promise((resolve, reject) => this.registrations.push({ units, resolve, reject }));
  }

  async run(): Promise<void> {
    try {
      await this.read();
    } catch (e) {
      for (const r of this.registrations) r.reject(e);
      throw e;
    }
  }

  private async read(): Promise<void> {
    const units = this.registrations.flatMap((r) => r.units);
    const targets = units.reduce((n, u) => n + u.targets.length, 0);
    const rows = new Map<number, unknown[]>();
    const perItem = new Set<BulkUnit>();
    if (targets > 0) {
      const supported = await this.probe(units[0]!.envName);
      if (!supported) {
        this.stats.fallback = 'GitLab ignores the MR list deployment filters (older version): per deployment';
      } else {
        try {
          await this.readSlices(units, rows, perItem);
        } catch (e) {
          // A GitLab that refuses the filters (400/422) is a capability missing, not a failure.
          if (!(isGitLabApiError(e) && (e.status === 400 || e.status === 422))) throw e;
          rows.clear();
          this.stats.fallback = `GitLab refused a windowed MR listing (HTTP ${e.status}): per deployment`;
        }
      }
    }
    for (const u of units) {
      for (const d of u.targets) {
        if (rows.has(d.id) && !perItem.has(u)) this.stats.bulk++;
        else this.stats.perItem++;
      }
    }
    for (const r of this.registrations) {
      const dirty = new Set(r.units.filter((u) => perItem.has(u)).flatMap((u) => u.targets.map((d) => d.id)));
      r.resolve((d) => (dirty.has(d.id) ? null : (rows.get(d.id) ?? null)));
    }
  }

  /**
   * An older GitLab drops unknown params and answers ALL MRs: a listing that cannot match
   * anything (deployed before 1970) must come back empty, else the filters are not honoured.
   */
  private async probe(envName: string): Promise<boolean> {
    try {
      const res = await this.client.getRaw(`groups/${this.groupId}/merge_requests`, {
        environment: envName,
        deployed_before: '1970-01-01T00:00:01Z',
        state: 'all',
        scope: 'all',
        per_page: '1',
      });
      return Array.isArray(res.body) && res.body.length === 0;
    } catch (e) {
      if (isGitLabApiError(e) && (e.status === 400 || e.status === 422)) return false;
      throw e;
    }
  }

  private async readSlices(units: BulkUnit[], rows: Map<number, unknown[]>, perItem: Set<BulkUnit>): Promise<void> {
    const slices = planSlices(units, this.endMs);
    const unitOf = new Map<string, BulkUnit>();
    for (const u of units) unitOf.set(`${u.envName}\u0000${u.projectId}`, u);
    await forEachLimited(slices, Math.max(1, this.concurrency), async (s) => {
      const key = sliceKey(s);
      let got = this.store?.saved(key) ?? null;
      if (got) this.stats.resumedSlices++;
      else {
        this.stats.slices++;
        const rows: unknown[] = [];
        await this.client.forEachPage(
          `groups/${this.groupId}/merge_requests`,
          { environment: s.envName, deployed_after: iso(s.lo), deployed_before: iso(s.hi), state: 'all', scope: 'all', per_page: String(PER_PAGE) },
          (items) => {
            for (const x of items) rows.push(shippedMrFields(x));
          },
        );
        this.store?.done(key, rows);
        got = rows;
      }
      const mine = new Map<number, unknown[]>();
      for (const [, id] of s.assigned) mine.set(id, []);
      let unplaced = false;
      for (const raw of got) {
        const pid = typeof raw === 'object' && raw !== null ? (raw as { project_id?: unknown }).project_id : undefined;
        if (typeof pid !== 'number') {
          // cannot tell whose it is: nothing of this slice is trusted
          unplaced = true;
          continue;
        }
        const id = s.assigned.get(pid);
        if (id !== undefined) mine.get(id)!.push(raw);
        else if (s.quiet.has(pid)) {
          // a project with no known deployment here shipped an MR in the slice: the margin
          // assumption does not hold for it, so none of its deployments is read in bulk
          const u = unitOf.get(`${s.envName}\u0000${pid}`);
          if (u) perItem.add(u);
        }
      }
      if (unplaced) return;
      for (const [id, list] of mine) rows.set(id, list);
    });
  }
}
