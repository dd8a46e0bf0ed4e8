/**
 * The bulk deployment-MR path (issue 12): the slice planner on hand-made time lines, and
 * collections of small scenarios over HTTP where the expected records are written out by hand.
 */
import { describe, expect, it } from 'vitest';
import { planSlices, type BulkUnit } from '../../src/gitlab/collect-bulk';
import type { DeploymentRecord } from '../../src/model/types';
import { buildScenario, startFakeGitLabHttp, type Knobs, type ScenarioSpec } from '../fake-gitlab';
import { collectOverHttp } from './over-http';

const T = (hhmm: string) => Date.parse(`2026-10-05T${hhmm}:00.000Z`);
const DAY_START = T('00:00');
const DAY_END = Date.parse('2026-10-06T00:00:00.000Z');

function dep(id: number, projectId: number, hhmm: string, over: Partial<DeploymentRecord> = {}): DeploymentRecord {
  const at = new Date(T(hhmm)).toISOString();
  return {
    id, iid: id, projectId, environmentId: projectId * 10, environmentName: 'production', status: 'success', ref: 'main', sha: `sha${id}`,
    createdAt: at, updatedAt: at, finishedAt: at, pipelineId: null, commitAuthoredAt: null, ...over,
  };
}
function unit(projectId: number, deployments: DeploymentRecord[], over: Partial<BulkUnit> = {}): BulkUnit {
  return { projectId, envName: 'production', lowerMs: DAY_START, known: deployments, targets: deployments, dirty: false, ...over };
}
const plain = (slices: ReturnType<typeof planSlices>) =>
  slices.map((s) => ({ lo: new Date(s.lo).toISOString().slice(11, 16), hi: new Date(s.hi).toISOString().slice(0, 16), assigned: Object.fromEntries(s.assigned), quiet: [...s.quiet] }));

describe('planSlices: at most one deployment per project and environment in a slice', () => {
  it('cuts in the gap before a project repeats: A 10:00, B 12:00 | A 14:00', () => {
    // Ranges (+-5 min): A1 09:55-10:05, B 11:55-12:05, A2 13:55-14:05. A repeats at A2: the
    // latest gap after A1 is between B's end (12:05) and A2's start (13:55): cut at 13:00.
    const slices = planSlices([unit(1, [dep(11, 1, '10:00'), dep(12, 1, '14:00')]), unit(2, [dep(21, 2, '12:00')])], DAY_END);
    expect(plain(slices)).toEqual([
      { lo: '00:00', hi: '2026-10-05T13:00', assigned: { 1: 11, 2: 21 }, quiet: [] },
      { lo: '13:00', hi: '2026-10-06T00:00', assigned: { 1: 12 }, quiet: [2] },
    ]);
  });

  it('two deployments of one project 6 minutes apart cannot be separated: neither is assigned (read per item)', () => {
    // A1 09:55-10:05 and A2 10:01-10:11 overlap: no boundary can lie between them.
    const slices = planSlices([unit(1, [dep(11, 1, '10:00'), dep(12, 1, '10:06')]), unit(2, [dep(21, 2, '12:00')])], DAY_END);
    expect(plain(slices)).toEqual([{ lo: '00:00', hi: '2026-10-06T00:00', assigned: { 2: 21 }, quiet: [] }]);
  });

  it('a deployment within the margin of the listed range start is not assigned (its own finished_at may be on the bound)', () => {
    const slices = planSlices([unit(1, [dep(11, 1, '00:03'), dep(12, 1, '09:00')])], DAY_END);
    expect(plain(slices)).toEqual([{ lo: '04:31', hi: '2026-10-06T00:00', assigned: { 1: 12 }, quiet: [] }]);
  });

  it('a deployment placed by updated_at may have finished up to an hour earlier: one at 10:00 and one updated at 10:30 collide', () => {
    const api = dep(12, 1, '10:30', { finishedAtFromUpdatedAt: true });
    // ranges: 09:55-10:05 and 09:30-10:30:00.001: overlapping, so the pair is read per item
    expect(planSlices([unit(1, [dep(11, 1, '10:00'), api])], DAY_END)).toEqual([]);
    // updated at 11:10 instead: 10:10-11:10 starts after 10:05: cut in between
    const later = dep(12, 1, '11:10', { finishedAtFromUpdatedAt: true });
    expect(plain(planSlices([unit(1, [dep(11, 1, '10:00'), later])], DAY_END))).toEqual([
      { lo: '00:00', hi: '2026-10-05T10:07', assigned: { 1: 11 }, quiet: [] },
      { lo: '10:07', hi: '2026-10-06T00:00', assigned: { 1: 12 }, quiet: [] },
    ]);
  });

  it('a known deployment that is not a target (e.g. outside the window) still keeps its project out of the slice', () => {
    const outside = dep(10, 1, '09:58');
    const s = planSlices([unit(1, [outside, dep(11, 1, '10:00')], { targets: [dep(11, 1, '10:00')] })], DAY_END);
    expect(s).toEqual([]);
  });

  it('a dirty unit (a listed deployment unreadable) is never assigned', () => {
    expect(planSlices([unit(1, [dep(11, 1, '10:00')], { dirty: true })], DAY_END)).toEqual([]);
  });
});

// ---------- over HTTP ----------

const TOKEN = 'tok-123';
const WINDOW = { start: '2026-10-01T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z' };

async function collectBoth(spec: ScenarioSpec, knobs: Knobs = {}) {
  const data = buildScenario(spec);
  const once = (mode: 'bulk' | 'per-item') => collectOverHttp(data, { token: TOKEN, window: WINDOW, config: { collect: mode }, knobs });
  return { perItem: await once('per-item'), bulk: await once('bulk') };
}

const shippedOf = (ds: { deploymentMergeRequests: { deploymentId: number; mrIid: number; mrProjectId: number }[] }) =>
  ds.deploymentMergeRequests.map((m) => `${m.deploymentId}:${m.mrProjectId}!${m.mrIid}`);
const DEPLOYMENT_MRS = 'GET /projects/:id/deployments/:deployment_id/merge_requests';
const GROUP_MRS = 'GET /groups/:id/merge_requests';

const mr = (iid: number, day: string) => ({ iid, created_at: `2026-10-${day}T08:00:00Z`, merged_at: `2026-10-${day}T09:00:00Z`, commits: [{ authored_date: `2026-10-${day}T07:00:00Z` }] });
// Deployment finished_at (GitLab's column, what the filter compares) differs from the deploy job's
// finished_at (what the deployment list shows) by 2 minutes, inside the 5-minute margin.
const deploy = (id: number, finished: string, mrs: number[]) => ({
  id, environment: 'production', finished_at: finished, mrs, job: { finished_at: new Date(Date.parse(finished) - 120_000).toISOString() },
});

const api = 1;
const web = 2;

describe('bulk collection of the MRs deployments shipped, over HTTP', () => {
  const spec: ScenarioSpec = {
    projects: [
      {
        id: api,
        path: 'acme/team-a/api',
        mergeRequests: [mr(1, '03'), mr(2, '04'), mr(3, '06')],
        deployments: [
          // the environment's first deployment before the window: not a baseline then
          deploy(100, '2026-09-20T10:00:00Z', []),
          deploy(101, '2026-10-04T10:00:00Z', [1, 2]),
          deploy(102, '2026-10-07T10:00:00Z', [3]),
        ],
      },
      {
        id: web,
        path: 'acme/team-b/web',
        mergeRequests: [mr(1, '03'), mr(2, '05')],
        deployments: [deploy(200, '2026-09-21T10:00:00Z', []), deploy(201, '2026-10-04T12:00:00Z', [1]), deploy(202, '2026-10-05T12:00:00Z', [2])],
      },
    ],
  };

  it('attributes every MR to its deployment exactly as the per-deployment listing does, from windowed group listings', async () => {
    const { perItem, bulk } = await collectBoth(spec);
    // by hand: 101 shipped api !1 and !2, 102 api !3, 201 web !1, 202 web !2
    const expected = [`101:${api}!1`, `101:${api}!2`, `102:${api}!3`, `201:${web}!1`, `202:${web}!2`];
    expect(shippedOf(perItem.ds)).toEqual(expected);
    expect(shippedOf(bulk.ds)).toEqual(expected);
    expect(bulk.ds.deploymentMergeRequests).toEqual(perItem.ds.deploymentMergeRequests);
    expect(perItem.requests[DEPLOYMENT_MRS]).toBe(4);
    expect(bulk.requests[DEPLOYMENT_MRS] ?? 0).toBe(0);
    expect(bulk.ds.meta.collectionPaths?.deployment_merge_requests).toEqual({ path: 'bulk', bulk: 4, perItem: 0 });
    // 101 (api), 201 (web) | 202 (web) | 102 (api)... slices: cut when web repeats at 202 and when
    // api repeats at 102; probe + group merged-MR listing + slices
    const sliceRequests = (bulk.requests[GROUP_MRS] ?? 0) - (perItem.requests[GROUP_MRS] ?? 0) - 1;
    expect(sliceRequests).toBe(2);
  });

  it('an older GitLab that ignores the MR deployment filters: detected by the probe, everything per deployment, same records', async () => {
    const { perItem, bulk } = await collectBoth(spec, { mrDeploymentFilters: false });
    expect(bulk.ds.deploymentMergeRequests).toEqual(perItem.ds.deploymentMergeRequests);
    expect(bulk.requests[DEPLOYMENT_MRS]).toBe(4);
    expect(bulk.ds.meta.collectionPaths?.deployment_merge_requests).toEqual({
      path: 'per-item', bulk: 0, perItem: 4, fallback: 'GitLab ignores the MR list deployment filters (older version): per deployment',
    });
  });

  it('two deployments of one project minutes apart are read per deployment, the others in bulk', async () => {
    const close: ScenarioSpec = {
      projects: [
        { ...spec.projects![0]!, deployments: [...spec.projects![0]!.deployments!.slice(0, 2), deploy(102, '2026-10-04T10:04:00Z', [3])] },
        spec.projects![1]!,
      ],
    };
    const { perItem, bulk } = await collectBoth(close);
    expect(bulk.ds.deploymentMergeRequests).toEqual(perItem.ds.deploymentMergeRequests);
    expect(shippedOf(bulk.ds)).toContain(`102:${api}!3`);
    expect(bulk.requests[DEPLOYMENT_MRS]).toBe(2);
    expect(bulk.ds.meta.collectionPaths?.deployment_merge_requests).toEqual({ path: 'bulk', bulk: 2, perItem: 2 });
  });
});

describe('fake GitLab: MR list deployment filters as MergeRequestsFinder#by_deployments', () => {
  it('compares the deployment finished_at strictly on both sides, by environment name, and refuses an unparsable date', async () => {
    const data = buildScenario({
      projects: [{
        id: 1, path: 'acme/team-a/api', environments: [{ name: 'production', tier: 'production' }, { name: 'staging', tier: 'staging' }],
        mergeRequests: [mr(1, '03'), mr(2, '03')],
        deployments: [
          { id: 101, environment: 'production', finished_at: '2026-10-04T10:00:00Z', mrs: [1] },
          { id: 102, environment: 'staging', finished_at: '2026-10-04T10:00:00Z', mrs: [2] },
        ],
      }],
    });
    const server = await startFakeGitLabHttp(data, { token: TOKEN });
    const list = async (q: string) => {
      const res = await fetch(`${server.url}/api/v4/groups/acme/merge_requests?state=all&${q}`, { headers: { 'PRIVATE-TOKEN': TOKEN } });
      return { status: res.status, iids: res.status === 200 ? ((await res.json()) as { iid: number }[]).map((m) => m.iid).sort() : [] };
    };
    try {
      const at = '2026-10-04T10:00:00.000Z';
      expect(await list(`environment=production&deployed_after=${at}`)).toEqual({ status: 200, iids: [] });
      expect(await list(`environment=production&deployed_before=${at}`)).toEqual({ status: 200, iids: [] });
      expect(await list(`environment=production&deployed_after=2026-10-04T09:59:59.999Z&deployed_before=2026-10-04T10:00:00.001Z`)).toEqual({ status: 200, iids: [1] });
      expect(await list(`environment=staging&deployed_after=2026-10-04T09:59:59Z`)).toEqual({ status: 200, iids: [2] });
      expect(await list(`deployed_after=2026-10-04T09:59:59Z`)).toEqual({ status: 200, iids: [1, 2] });
      expect((await list('environment=production&deployed_after=yesterday')).status).toBe(400);
    } finally {
      await server.close();
    }
  });
});
