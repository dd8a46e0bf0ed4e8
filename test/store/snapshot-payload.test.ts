/**
 * Snapshots (and so the cache) keep what reading GitLab's payloads met (../../docs/collection.md#payload-variations): the
 * counts in meta and the flags on records round-trip; snapshots written before the counts
 * existed still read, as nothing met; shards add up.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyDataset, type Dataset } from '../../src/model/types';
import { readSnapshots, writeSnapshot } from '../../src/store/snapshot';

function dataset(payload: Dataset['meta']['payload']): Dataset {
  const ds = emptyDataset({
    toolVersion: 't', group: 'acme', windowStart: '2026-10-01T00:00:00.000Z', windowEnd: '2026-11-01T00:00:00.000Z',
    skippedProjects: [], retries: {}, requests: {}, shards: 1, ...(payload ? { payload } : {}),
  });
  ds.environments = [{ id: 1, projectId: 1, name: 'live', tier: 'production', tierGuessed: true }];
  ds.pipelines = [{ id: 2, projectId: 1, ref: 'main', status: 'success', source: 'push', createdAt: '2026-10-02T00:00:00.000Z', updatedAt: null, webUrl: '' }];
  ds.jobs = [{
    id: 3, projectId: 1, pipelineId: 2, name: 'b', stage: 'b', status: 'failed', ref: 'main', createdAt: '2026-10-02T00:00:00.000Z',
    startedAt: null, finishedAt: null, duration: 60, queuedDuration: null, failureReason: null, runnerType: 'unknown', runnerWithoutType: true, tags: [], noTagList: true,
  }];
  return ds;
}

describe('snapshot payload counts', () => {
  it('round-trip: meta counts and record flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'snap-payload-'));
    const ds = dataset({ unreadable: { jobs: 2 }, offsetTimestamps: 7 });
    writeSnapshot(dir, ds);
    const back = readSnapshots([dir]);
    expect(back.meta.payload).toEqual({ unreadable: { jobs: 2 }, offsetTimestamps: 7 });
    expect(back.environments).toEqual(ds.environments);
    expect(back.pipelines).toEqual(ds.pipelines);
    expect(back.jobs).toEqual(ds.jobs);
  });

  it('a snapshot written before the counts existed reads as nothing met', () => {
    const dir = mkdtempSync(join(tmpdir(), 'snap-old-'));
    writeSnapshot(dir, dataset(undefined));
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as Record<string, unknown>;
    expect(meta.payload).toBeUndefined();
    writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
    expect(readSnapshots([dir]).meta.payload).toEqual({ unreadable: {}, offsetTimestamps: 0 });
  });

  it('shards add up', () => {
    const a = mkdtempSync(join(tmpdir(), 'snap-a-'));
    const b = mkdtempSync(join(tmpdir(), 'snap-b-'));
    writeSnapshot(a, dataset({ unreadable: { jobs: 1 }, offsetTimestamps: 2 }));
    writeSnapshot(b, dataset({ unreadable: { jobs: 1, issues: 3 }, offsetTimestamps: 5 }));
    expect(readSnapshots([a, b]).meta.payload).toEqual({ unreadable: { jobs: 2, issues: 3 }, offsetTimestamps: 7 });
  });
});
