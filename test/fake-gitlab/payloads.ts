/**
 * Payload variations of real GitLab versions and instances (../../docs/collection.md#payload-variations), applied by the
 * serializers to the JSON the fake serves. Each variation is a fraction (0..1) of the records
 * concerned, picked deterministically from the record id (1 = every record: an older version).
 *
 * The shapes were checked against GitLab's own sources (gitlabhq/gitlabhq) and captured
 * payloads, not against our code:
 * - lib/api/entities/ci/job_basic.rb: `failure_reason` is exposed only `if: job.failed?`
 *   (absent, not null, on other jobs); `queued_duration` is a later addition (absent before).
 * - lib/api/entities/ci/job.rb: `runner` (null when none), `tag_list` (later addition).
 * - lib/api/entities/ci/runner.rb: `is_shared` is `instance_type?`; `runner_type` beside it
 *   (absent on older versions, `is_shared` kept).
 * - lib/api/entities/environment*.rb: `tier` since 13.10 (app/models/environment.rb guesses
 *   it from the name for environments created earlier).
 * - lib/api/entities/deployment.rb: `deployable` is the job, null for deployments created
 *   through the API; a job that never finished has `finished_at: null`.
 * - apache/incubator-devlake backend/plugins/gitlab/e2e/raw_tables/_raw_gitlab_api_job.csv
 *   (a self-managed instance, 2022): failed jobs without `failure_reason`, no
 *   `queued_duration`, no `tag_list`, `runner: null`, commit dates with `+00:00`.
 */
import type { FakeData } from './model';

export interface PayloadVariations {
  /** failed jobs sent without the failure_reason key (older versions) */
  noFailureReason?: number;
  /** failed jobs sent with failure_reason unknown_failure */
  unknownFailure?: number;
  /** runner objects sent without runner_type (is_shared kept) */
  runnerWithoutType?: number;
  /** jobs without the tag_list key */
  noTagList?: number;
  /** jobs without the queued_duration key */
  noQueuedDuration?: number;
  /** environments without the tier key (before GitLab 13.10): applied by withPayloads */
  noTier?: number;
  /** deployments with deployable: null */
  nullDeployable?: number;
  /** deployments whose deployable has finished_at: null */
  nullDeployableFinishedAt?: number;
  /** pipelines (listed, and embedded in jobs) with updated_at: null */
  pipelineUpdatedAtNull?: number;
  /** records whose timestamps carry a +08:00 (even ids) or -04:30 (odd ids) offset */
  offsetTimestamps?: number;
  /** records sent without their id (unreadable), per kind */
  unreadable?: Partial<Record<'jobs' | 'pipelines' | 'deployments' | 'issues' | 'merge_requests', number>>;
}

export type Json = Record<string, unknown>;

const SALT = {
  noFailureReason: 1, unknownFailure: 2, runnerWithoutType: 3, noTagList: 4, noQueuedDuration: 5, noTier: 6,
  nullDeployable: 7, nullDeployableFinishedAt: 8, pipelineUpdatedAtNull: 9, offsetTimestamps: 10, unreadable: 11,
} as const;

/** Deterministic pick of a fraction of ids: a multiplicative hash, salted per variation. */
export function picked(fraction: number | undefined, id: number, salt: number): boolean {
  if (!fraction || fraction <= 0) return false;
  if (fraction >= 1) return true;
  const h = (Math.imul(id ^ (salt * 0x9e3779b1), 2654435761) >>> 0) % 10_000;
  return h < fraction * 10_000;
}

const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** The same instant written with a UTC offset, as an instance in that zone sends it. */
export function withOffset(isoZ: string, offsetMinutes: number): string {
  const local = new Date(Date.parse(isoZ) + offsetMinutes * 60_000).toISOString().slice(0, -1);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function offsetAll(v: unknown, minutes: number): unknown {
  if (typeof v === 'string') return ISO_Z.test(v) ? withOffset(v, minutes) : v;
  if (Array.isArray(v)) return v.map((x) => offsetAll(x, minutes));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, offsetAll(x, minutes)]));
  return v;
}

/** A per-record JSON patch (hand-made scenarios): a key whose value is undefined is removed. */
export function patchJson(out: Json, patch: Record<string, unknown> | undefined): Json {
  if (!patch) return out;
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

type Kind = 'job' | 'pipeline' | 'deployment' | 'issue' | 'merge_request';
const UNREADABLE_KIND: Record<Kind, keyof NonNullable<PayloadVariations['unreadable']>> = {
  job: 'jobs', pipeline: 'pipelines', deployment: 'deployments', issue: 'issues', merge_request: 'merge_requests',
};

/** Applies the data set's variations to one serialized record (a fresh object, edited in place). */
export function varyPayload(d: FakeData, kind: Kind, id: number, out: Json): Json {
  const v = d.payloads;
  if (!v) return out;
  if (kind === 'job') {
    if (out.status === 'failed') {
      if (picked(v.noFailureReason, id, SALT.noFailureReason)) delete out.failure_reason;
      else if (picked(v.unknownFailure, id, SALT.unknownFailure)) out.failure_reason = 'unknown_failure';
    }
    const runner = out.runner as Json | null;
    if (runner && picked(v.runnerWithoutType, Number(runner.id), SALT.runnerWithoutType)) {
      const { runner_type: _dropped, ...rest } = runner;
      out.runner = rest;
    }
    if (picked(v.noTagList, id, SALT.noTagList)) delete out.tag_list;
    if (picked(v.noQueuedDuration, id, SALT.noQueuedDuration)) delete out.queued_duration;
    const pl = out.pipeline as Json | null;
    if (pl && picked(v.pipelineUpdatedAtNull, Number(pl.id), SALT.pipelineUpdatedAtNull)) out.pipeline = { ...pl, updated_at: null };
  }
  if (kind === 'pipeline' && picked(v.pipelineUpdatedAtNull, id, SALT.pipelineUpdatedAtNull)) out.updated_at = null;
  if (kind === 'deployment') {
    if (picked(v.nullDeployable, id, SALT.nullDeployable)) out.deployable = null;
    else if (out.deployable && picked(v.nullDeployableFinishedAt, id, SALT.nullDeployableFinishedAt)) {
      out.deployable = { ...(out.deployable as Json), finished_at: null };
    }
  }
  if (picked(v.unreadable?.[UNREADABLE_KIND[kind]], id, SALT.unreadable)) delete out.id;
  if (picked(v.offsetTimestamps, id, SALT.offsetTimestamps)) return offsetAll(out, id % 2 === 0 ? 480 : -270) as Json;
  return out;
}

/**
 * The data set served with payload variations. Environments are marked here (their serializer
 * has no data set at hand); every other variation is applied by the serializers.
 */
export function withPayloads(data: FakeData, v: PayloadVariations | undefined): FakeData {
  if (!v) return data;
  const activity = data.activity.bind(data);
  return {
    ...data,
    payloads: v,
    activity: (projectId) => {
      const a = activity(projectId);
      for (const e of a.environments) if (picked(v.noTier, e.id, SALT.noTier)) e.noTier = true;
      return a;
    },
  };
}
