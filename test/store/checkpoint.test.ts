/**
 * The checkpoint on disk (src/store/checkpoint.ts) and collection resumed from it: saved
 * units come back whole; a damaged, foreign-version or later-window file is never read as
 * valid; and a checkpoint of an interrupted run for an earlier window, resumed for the next
 * month, gives exactly the data set of a cold collection of that month.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatePortfolio, startFakeGitLabHttp } from '../fake-gitlab';
import { createGitLabClient } from '../../src/gitlab/client';
import { collect, type Checkpoint, type ListedProject, type ProjectData } from '../../src/gitlab/collect';
import { silentLogger, type Logger } from '../../src/log';
import type { Dataset, JobRecord } from '../../src/model/types';
import { finalUntil } from '../../src/store/cache';
import { DiskCheckpoint } from '../../src/store/checkpoint';
import { baseConfig } from '../gitlab/config-fixture';

const NOW = Date.parse('2026-12-03T00:00:00Z');
const W = { windowStart: '2026-08-01T00:00:00.000Z', windowEnd: '2026-11-01T00:00:00.000Z' };

function open(dir: string, over: Partial<{ toolVersion: string; windowStart: string; windowEnd: string; nowMs: number }> = {}, log: Logger = silentLogger) {
  return new DiskCheckpoint({ dir, toolVersion: '1.0.0', ...W, nowMs: NOW, log, ...over });
}

const job = (id: number): JobRecord => ({
  id, projectId: 7, pipelineId: 1, name: 'build', stage: 'build', status: 'success', ref: 'main',
  createdAt: '2026-09-01T10:00:00.000Z', startedAt: '2026-09-01T10:00:05.000Z', finishedAt: '2026-09-01T10:01:05.000Z',
  duration: 60, queuedDuration: 5, failureReason: null, runnerType: 'instance_type', tags: ['linux'],
});
const project = (jobs: JobRecord[]): ProjectData => ({
  environments: [{ id: 3, projectId: 7, name: 'production', tier: 'production' }],
  deployments: [], baselines: [], deploymentMergeRequests: [], pipelines: [], jobs,
});

describe('checkpoint files', () => {
  it('give back each finished project and listing whole, final until the window end when the window is over', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    const a = open(dir);
    a.projectDone(7, project([job(1), job(2)]));
    a.groupListDone('issues', []);
    const b = open(dir);
    expect(b.found).toEqual({ projects: 1, lists: ['issues'], discarded: 0 });
    expect(b.savedProject(7)).toEqual({ ...W, coveredUntil: W.windowEnd, data: project([job(1), job(2)]) });
    expect(b.savedGroupList('issues')).toEqual({ ...W, coveredUntil: W.windowEnd, data: [] });
    expect(b.savedGroupList('mergeRequests')).toBeNull();
    expect(b.savedProject(8)).toBeNull();
  });

  it('are final only up to a day before the run for a window that is not over', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    open(dir, { nowMs: Date.parse('2026-10-20T12:00:00Z') }).projectDone(7, project([]));
    expect(open(dir).savedProject(7)?.coveredUntil).toBe('2026-10-19T12:00:00.000Z');
  });

  it('a file cut short (no trailer) or with a torn last line is ignored with a warning and removed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    open(dir).projectDone(7, project([job(1), job(2)]));
    open(dir).projectDone(8, project([job(3)]));
    const p7 = join(dir, 'checkpoint', 'projects', '7.ndjson');
    const p8 = join(dir, 'checkpoint', 'projects', '8.ndjson');
    const lines7 = readFileSync(p7, 'utf8').split('\n');
    writeFileSync(p7, lines7.slice(0, -2).join('\n') + '\n'); // header + records, trailer lost
    const text8 = readFileSync(p8, 'utf8');
    writeFileSync(p8, text8.slice(0, text8.length - 20)); // torn mid-line
    const warnings: string[] = [];
    const c = open(dir, {}, { info: () => undefined, warn: (m) => warnings.push(m) });
    expect(c.savedProject(7)).toBeNull();
    expect(c.savedProject(8)).toBeNull();
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/damaged and is ignored/);
    expect(existsSync(p7) || existsSync(p8)).toBe(false);
  });

  it('bulk: a project saved as listed comes back whole until the project is saved complete', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    const deployment = {
      id: 41, projectId: 7, environmentId: 3, environmentName: 'production', status: 'success', sha: 'a1', ref: 'main',
      createdAt: '2026-09-02T10:00:00.000Z', finishedAt: '2026-09-02T10:05:00.000Z', finishedAtFromUpdatedAt: true,
    } as unknown as ListedProject['fresh'][number];
    const listed: ListedProject = {
      data: project([job(1)]),
      fresh: [deployment],
      cachedDeployments: [],
      units: [{ projectId: 7, envName: 'production', lowerMs: Date.parse(W.windowStart), known: [deployment], targets: [deployment], dirty: false }],
    };
    open(dir).projectListed(7, listed);
    const b = open(dir);
    expect(b.foundBulk.listed).toBe(1);
    expect(b.found.projects).toBe(0);
    expect(b.savedListedProject(7)).toEqual({ ...W, coveredUntil: W.windowEnd, data: listed });
    b.projectDone(7, project([job(1)]));
    const c = open(dir);
    expect(c.foundBulk.listed).toBe(0);
    expect(c.savedListedProject(7)).toBeNull();
    expect(c.found.projects).toBe(1);
  });

  it('bulk: windowed listings come back by key; a line torn by a kill is dropped, the others kept; another window discards them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    const a = open(dir);
    a.slices.done('production\u00001\u00002', [{ id: 1, iid: 1, project_id: 7 }]);
    a.slices.done('production\u00002\u00003', []);
    a.slices.done('production\u00003\u00004', [{ id: 2, iid: 2, project_id: 8 }]);
    const path = join(dir, 'checkpoint', 'slices.ndjson');
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.slice(0, text.length - 10)); // the last line torn mid-way
    const b = open(dir);
    expect(b.foundBulk.slices).toBe(2);
    expect(b.slices.saved('production\u00001\u00002')).toEqual([{ id: 1, iid: 1, project_id: 7 }]);
    expect(b.slices.saved('production\u00002\u00003')).toEqual([]);
    expect(b.slices.saved('production\u00003\u00004')).toBeNull();
    // appended after the rewrite: read back on a clean line
    b.slices.done('production\u00003\u00004', [{ id: 3, iid: 3, project_id: 8 }]);
    expect(open(dir).slices.saved('production\u00003\u00004')).toEqual([{ id: 3, iid: 3, project_id: 8 }]);
    const other = open(dir, { windowStart: '2026-07-01T00:00:00.000Z' });
    expect(other.found.discarded).toBe(1);
    expect(other.slices.saved('production\u00001\u00002')).toBeNull();
    expect(existsSync(path)).toBe(false);
  });

  it('bulk: windowed listings saved while the window was still open are not reused (a later deployment may finish in a slice)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    open(dir, { nowMs: Date.parse('2026-10-20T12:00:00Z') }).slices.done('production\u00001\u00002', []);
    const b = open(dir);
    expect(b.slices.saved('production\u00001\u00002')).toBeNull();
    expect(b.found.discarded).toBe(1);
  });

  it('a temp file left by a killed write is never read and is removed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    open(dir).projectDone(7, project([job(1)]));
    const projects = join(dir, 'checkpoint', 'projects');
    writeFileSync(join(projects, '.9.ndjson.4242.1.tmp'), readFileSync(join(projects, '7.ndjson'), 'utf8').slice(0, 50));
    const c = open(dir);
    expect(c.found.projects).toBe(1);
    expect(c.savedProject(9)).toBeNull();
    expect(readdirSync(projects)).toEqual(['7.ndjson']);
  });

  it('written by another tool version, or for a window starting later than the run, are discarded; an earlier start is kept', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    // Opened before any file exists (opening removes what is unusable for the opener).
    const writers = [
      open(dir, { toolVersion: '0.9.0' }),
      open(dir, { windowStart: '2026-09-01T00:00:00.000Z' }),
      open(dir, { windowStart: '2026-07-01T00:00:00.000Z', windowEnd: '2026-10-01T00:00:00.000Z' }),
    ];
    writers.forEach((w, i) => w.projectDone(i + 1, project([])));
    const c = open(dir);
    expect(c.found).toEqual({ projects: 1, lists: [], discarded: 2 });
    expect(c.savedProject(1)).toBeNull();
    expect(c.savedProject(2)).toBeNull();
    expect(c.savedProject(3)?.windowStart).toBe('2026-07-01T00:00:00.000Z');
    c.clear();
    expect(existsSync(join(dir, 'checkpoint'))).toBe(false);
  });
});

describe('collection resumed from a checkpoint', () => {
  const data = generatePortfolio({ teams: 2, projects: 8, months: 4, seed: 5 });
  const TOKEN = 'tok-ckpt';

  async function collectWith(url: string, window: { start: string; end: string }, checkpoint: Checkpoint | null, cache: { dataset: Dataset; coveredUntil: string } | null = null) {
    const config = baseConfig({ gitlabUrl: url, token: TOKEN, concurrency: 4 });
    const client = createGitLabClient({
      gitlabUrl: url, token: TOKEN, concurrency: 4, rateLimitPerMinute: 100_000, jobsRateLimitPerMinute: 100_000,
      requestTimeoutMs: 10_000, maxAttempts: 2, log: silentLogger,
    } as Parameters<typeof createGitLabClient>[0]);
    const ds = await collect({ config, client, log: silentLogger, windowStart: window.start, windowEnd: window.end, toolVersion: '1.0.0', checkpoint, cache });
    const { meta: _meta, ...rest } = ds;
    return Object.assign(rest, { dataset: ds });
  }

  /** Per-project records exactly equal; group-wide listings by the incremental cache's rule (see below). */
  function expectSameAsCold(resumed: Awaited<ReturnType<typeof collectWith>>, cold: Awaited<ReturnType<typeof collectWith>>, windowStart: string) {
    const { issues, mergeRequests, dataset: _d1, ...projectPart } = resumed;
    const { issues: coldIssues, mergeRequests: coldMrs, dataset: _d2, ...coldProjectPart } = cold;
    expect(projectPart).toEqual(coldProjectPart);
    // Group-wide listings follow the incremental cache's rule (the saved rows plus what
    // changed since): every cold row, plus rows of the earlier window that ended before
    // this one starts (closed/merged before it), which no month of the report counts.
    const startMs = Date.parse(windowStart);
    const extra = <T extends { id: number }>(got: T[], want: T[]) => {
      const ids = new Set(want.map((r) => r.id));
      expect(got.filter((r) => ids.has(r.id))).toEqual(want);
      return got.filter((r) => !ids.has(r.id));
    };
    for (const i of extra(issues, coldIssues)) expect(Date.parse(i.closedAt ?? '')).toBeLessThan(startMs);
    for (const m of extra(mergeRequests, coldMrs)) expect(Date.parse(m.mergedAt ?? '')).toBeLessThan(startMs);
  }

  /** A run interrupted after saving only the even projects and the issues listing. */
  function interrupted(disk: DiskCheckpoint): Checkpoint {
    return {
      savedProject: () => null,
      savedGroupList: () => null,
      projectDone: (id, d) => (id % 2 === 0 ? disk.projectDone(id, d) : undefined),
      groupListDone: (list, rows) => (list === 'issues' ? disk.groupListDone(list, rows) : undefined),
    };
  }

  it('an interrupted run for one window, resumed for the next month: the cold data set, fewer requests', async () => {
    const server = await startFakeGitLabHttp(data, { token: TOKEN });
    try {
      const w1 = { start: '2026-07-01T00:00:00.000Z', end: '2026-10-01T00:00:00.000Z' };
      const w2 = { start: '2026-08-01T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z' };
      const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
      // The interrupted run: only half of the projects and the issues listing were saved.
      const disk = new DiskCheckpoint({ dir, toolVersion: '1.0.0', windowStart: w1.start, windowEnd: w1.end, nowMs: NOW, log: silentLogger });
      await collectWith(server.url, w1, interrupted(disk));
      server.state.reset();
      const cold = await collectWith(server.url, w2, null);
      const coldRequests = server.state.total;
      server.state.reset();
      const reopened = new DiskCheckpoint({ dir, toolVersion: '1.0.0', windowStart: w2.start, windowEnd: w2.end, nowMs: NOW, log: silentLogger });
      expect(reopened.found.projects).toBeGreaterThan(0);
      const resumed = await collectWith(server.url, w2, reopened);
      expectSameAsCold(resumed, cold, w2.start);
      expect(server.state.total).toBeLessThan(coldRequests);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('the incremental cache of last month plus a partial checkpoint of this month on top: the cold data set', async () => {
    const server = await startFakeGitLabHttp(data, { token: TOKEN });
    try {
      const w1 = { start: '2026-07-01T00:00:00.000Z', end: '2026-10-01T00:00:00.000Z' };
      const w2 = { start: '2026-08-01T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z' };
      const base = await collectWith(server.url, w1, null);
      const cache = { dataset: base.dataset, coveredUntil: finalUntil(w1.end, NOW) };
      const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
      const open2 = () => new DiskCheckpoint({ dir, toolVersion: '1.0.0', windowStart: w2.start, windowEnd: w2.end, nowMs: NOW, log: silentLogger });
      await collectWith(server.url, w2, interrupted(open2()), cache);
      const cold = await collectWith(server.url, w2, null);
      server.state.reset();
      const resumed = await collectWith(server.url, w2, open2(), cache);
      const resumedRequests = server.state.total;
      expectSameAsCold(resumed, cold, w2.start);
      // Saved projects and the issues listing cost nothing; the rest continue from the cache.
      server.state.reset();
      await collectWith(server.url, w2, null, cache);
      expect(resumedRequests).toBeLessThan(server.state.total);
    } finally {
      await server.close();
    }
  }, 60_000);
});
