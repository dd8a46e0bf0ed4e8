/**
 * Collection checked end to end against an independent collector: the real CLI and
 * raw-collector.ts (plain fetch of the REST API, nothing from src/) read the same fake GitLab
 * holding records on the window's edges; the reference metrics of the raw collector's data
 * must equal the product's CSVs cell for cell. (A pipeline created at the window's first
 * instant was once dropped: GitLab's created_after is strict.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeGitLabHttp } from '../fake-gitlab';
import { runCli } from '../reliability/cli';
import { compareWithProduct, disagreements } from './compare';
import { collectRaw } from './raw-collector';
import { rawEdgeScenario } from './raw-edges';
import { computeReference, defaultRefConfig } from './reference';

const TOKEN = 'glpat-crosscheck-raw';
const root = mkdtempSync(join(tmpdir(), 'dora-xraw-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('collection against an independent raw-API collector', () => {
  it('records on the window edges give the same CSVs as the independent collector', async () => {
    const fake = await startFakeGitLabHttp(rawEdgeScenario(), { token: TOKEN });
    try {
      const out = join(root, 'out');
      const run = await runCli(
        ['--gitlab-url', fake.url, '--group', 'acme', '--month', '2026-10', '--no-wiki', '--output-dir', out, '--rate-limit', '100000', '--jobs-rate-limit', '100000', '--quiet'],
        { GITLAB_TOKEN: TOKEN },
      );
      expect(run.code, run.stderr).toBe(0);
      // 12 months ending 2026-10 in UTC
      const ds = await collectRaw({ url: fake.url, token: TOKEN, group: 'acme', windowStart: '2025-11-01T00:00:00.000Z', windowEnd: '2026-11-01T00:00:00.000Z' });
      // the edge pipelines: created at the start instant and 1 ms before the end are in; 1 ms before the start and at the end are out
      const created = new Set(ds.pipelines.map((p) => p.createdAt));
      expect(['2025-11-01T00:00:00.000Z', '2026-10-31T23:59:59.999Z'].filter((t) => created.has(t))).toHaveLength(2);
      expect(['2025-10-31T23:59:59.999Z', '2026-11-01T00:00:00.000Z'].filter((t) => created.has(t))).toHaveLength(0);
      const result = compareWithProduct(computeReference(ds, defaultRefConfig('2026-10')), join(out, '2026-10'));
      expect(disagreements(result), 'where the product differs from the independent collector (reference=... product=...)').toEqual([]);
    } finally {
      await fake.close();
    }
  }, 120_000);
});
