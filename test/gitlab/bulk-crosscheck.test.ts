/**
 * Issue 12, exactness first: the same portfolio collected per item and in bulk gives
 * byte-identical CSVs, through the real CLI over HTTP, with far fewer deployment-MR requests.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generatePortfolio, type FakeData, type Knobs } from '../fake-gitlab';
import { runMainOverHttp, type MainRun } from './over-http';

const TOKEN = 'glpat-bulk-crosscheck-0001';
const MONTH = '2026-10';

function runCli(data: FakeData, extra: string[], knobs: Knobs = {}, months = 6, month = MONTH): Promise<MainRun> {
  return runMainOverHttp(data, { token: TOKEN, month, months, extra, knobs });
}

function csvs(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.csv')).sort()) m.set(f, readFileSync(join(dir, f), 'utf8'));
  return m;
}

const DEPLOYMENT_MRS = 'GET /projects/:id/deployments/:deployment_id/merge_requests';
const GROUP_MRS = 'GET /groups/:id/merge_requests';
const COMMITS = 'GET /projects/:id/merge_requests/:iid/commits';
const GRAPHQL = 'POST /api/graphql';

afterEach(() => vi.restoreAllMocks());

describe('bulk collection gives the per-item CSVs byte for byte (issue 12)', () => {
  it('an 8-project portfolio with re-runs and payload variations: a cold 3-month run and the next month with the cache, every CSV identical, a fraction of the requests', async () => {
    // 4 months of data ending 2026-10: the cold run reports 2026-09 (3 months), the next run 2026-10 with its cache
    const data = generatePortfolio({
      teams: 3, projects: 8, months: 4, endMonth: MONTH, seed: 12, redeploys: 0.3,
      payloads: { nullDeployable: 0.05, nullDeployableFinishedAt: 0.05, offsetTimestamps: 0.2, unreadable: { merge_requests: 0.01 } },
    });
    const cacheA = mkdtempSync(join(tmpdir(), 'dora-bulk-cache-a-'));
    const cacheB = mkdtempSync(join(tmpdir(), 'dora-bulk-cache-b-'));
    const perItem = await runCli(data, ['--collect', 'per-item', '--cache-dir', cacheA], {}, 3, '2026-09');
    const bulk = await runCli(data, ['--collect', 'bulk', '--cache-dir', cacheB], {}, 3, '2026-09');
    expect(perItem.code, perItem.stderr).toBe(0);
    expect(bulk.code, bulk.stderr).toBe(0);
    const same = (x: MainRun, y: MainRun) => {
      const a = csvs(x.dir);
      const b = csvs(y.dir);
      expect([...b.keys()]).toEqual([...a.keys()]);
      expect(a.size).toBeGreaterThan(3);
      for (const [name, text] of a) expect(b.get(name), name).toBe(text);
    };
    same(perItem, bulk);

    // The per-item run asked once per successful production deployment and once per MR; the bulk
    // run per deployment only where a slice could not isolate it, and no MR's commits per item.
    const dq = (r: MainRun) => r.json.data_quality.collection_paths;
    const perDeployment = perItem.requests[DEPLOYMENT_MRS] ?? 0;
    const perMr = perItem.requests[COMMITS] ?? 0;
    expect(dq(perItem).deployment_merge_requests).toEqual({ path: 'per-item', bulk: 0, per_item: perDeployment });
    expect(dq(perItem).merge_request_commits).toEqual({ path: 'per-item', bulk: 0, per_item: perMr });
    expect(dq(bulk).deployment_merge_requests.path).toBe('bulk');
    expect(dq(bulk).deployment_merge_requests.bulk + dq(bulk).deployment_merge_requests.per_item).toBe(perDeployment);
    expect(bulk.requests[DEPLOYMENT_MRS] ?? 0).toBe(dq(bulk).deployment_merge_requests.per_item);
    expect(dq(bulk).merge_request_commits).toEqual({ path: 'bulk', bulk: perMr, per_item: 0 });
    expect(bulk.requests[COMMITS] ?? 0).toBe(0);
    const bulkTotal = (bulk.requests[DEPLOYMENT_MRS] ?? 0) + (bulk.requests[GROUP_MRS] ?? 0) - (perItem.requests[GROUP_MRS] ?? 0) + (bulk.requests[GRAPHQL] ?? 0);
    // A slice holds at most one deployment per project: with 8 projects a few deployments per
    // listing (the share falls as projects grow: see BENCHMARKS.md for 200 projects); 15 MRs a query.
    expect(bulkTotal).toBeLessThan((perDeployment + perMr) * 0.4);
    expect(bulk.md).toContain('Collection: MRs shipped by deployments: read in bulk');
    expect(bulk.md).toContain('Collection: MR commits: read in GraphQL batches');
    expect(perItem.md).toContain('Collection: MRs shipped by deployments: read per deployment');

    // The next month, each with its own cache: the same CSVs again.
    const perItemNext = await runCli(data, ['--collect', 'per-item', '--cache-dir', cacheA], {}, 3, MONTH);
    const bulkNext = await runCli(data, ['--collect', 'bulk', '--cache-dir', cacheB], {}, 3, MONTH);
    expect(perItemNext.code, perItemNext.stderr).toBe(0);
    expect(bulkNext.code, bulkNext.stderr).toBe(0);
    same(perItemNext, bulkNext);
    expect(bulkNext.requests[COMMITS] ?? 0).toBe(0);
  }, 300_000);
});
