/**
 * Snapshots keep how each data kind was read (issue 12): the collection paths round-trip, and
 * shards merged by --snapshot add up (a kind is bulk when any shard read some of it in bulk).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve';
import { emptyDataset, type CollectionMeta } from '../../src/model/types';
import { readSnapshots, writeSnapshot } from '../../src/store/snapshot';

function snapshot(paths: CollectionMeta['collectionPaths'] | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'snap-paths-'));
  writeSnapshot(
    dir,
    emptyDataset({
      toolVersion: 't', group: 'acme', windowStart: '2026-10-01T00:00:00.000Z', windowEnd: '2026-11-01T00:00:00.000Z',
      skippedProjects: [], retries: {}, requests: {}, shards: 1, ...(paths ? { collectionPaths: paths } : {}),
    }),
  );
  return dir;
}

describe('snapshot collection paths', () => {
  it('round-trip', () => {
    const paths = { deployment_merge_requests: { path: 'bulk' as const, bulk: 40, perItem: 2 } };
    expect(readSnapshots([snapshot(paths)]).meta.collectionPaths).toEqual(paths);
  });

  it('shards add up; one shard in bulk makes the kind bulk; a fallback reason is kept; an old snapshot adds nothing', () => {
    const a = snapshot({
      deployment_merge_requests: { path: 'bulk', bulk: 40, perItem: 2 },
      merge_request_commits: { path: 'per-item', bulk: 0, perItem: 7, fallback: 'GraphQL answered HTTP 404: per MR' },
    });
    const b = snapshot({ deployment_merge_requests: { path: 'per-item', bulk: 0, perItem: 5 }, merge_request_commits: { path: 'bulk', bulk: 30, perItem: 0 } });
    const old = snapshot(undefined);
    expect(readSnapshots([a, b, old]).meta.collectionPaths).toEqual({
      deployment_merge_requests: { path: 'bulk', bulk: 40, perItem: 7 },
      merge_request_commits: { path: 'bulk', bulk: 30, perItem: 7, fallback: 'GraphQL answered HTTP 404: per MR' },
    });
    expect(readSnapshots([old]).meta.collectionPaths).toBeUndefined();
  });
});

describe('--collect / DORA_COLLECT', () => {
  const env = { GITLAB_TOKEN: 'glpat-collect-flag-0001', DORA_GROUP: 'acme', CI_PROJECT_PATH: 'acme/reporting' };
  const resolve = (argv: string[], e: Record<string, string> = env) =>
    resolveConfig({ argv, env: e, nowMs: Date.parse('2026-03-15T12:00:00Z'), readFile: () => { throw new Error('no files'); } });
  it('bulk when asked (flag or variable), absent otherwise (the per-item default)', () => {
    expect(resolve(['--collect', 'bulk']).collect).toBe('bulk');
    expect(resolve([], { ...env, DORA_COLLECT: 'bulk' }).collect).toBe('bulk');
    expect(resolve(['--collect', 'per-item']).collect).toBeUndefined();
    expect(resolve([]).collect).toBeUndefined();
  });
  it('anything else is refused with the accepted values', () => {
    expect(() => resolve(['--collect', 'graphql'])).toThrow(/per-item, bulk/);
  });
});
