/**
 * Test helpers against the fake GitLab served over HTTP: collect() with a client as the CLI
 * builds it, and the real CLI entry point (main, in-process) with stdout and stderr captured
 * and what it wrote for the month read back.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { main } from '../../src/cli';
import type { Config } from '../../src/config/types';
import { createGitLabClient } from '../../src/gitlab/client';
import { collect } from '../../src/gitlab/collect';
import { silentLogger } from '../../src/log';
import type { Dataset } from '../../src/model/types';
import { baseConfig } from './config-fixture';
import { startFakeGitLabHttp, type FakeData, type Knobs } from '../fake-gitlab';

export interface MainRun {
  code: number;
  /** <output_dir>/<month> */
  dir: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  md: string;
  /** the fake's request counts per endpoint */
  requests: Record<string, number>;
  stderr: string;
}

export async function runMainOverHttp(
  data: FakeData,
  o: { token: string; month: string; months: number; extra?: string[]; knobs?: Knobs },
): Promise<MainRun> {
  const server = await startFakeGitLabHttp(data, { token: o.token, ...o.knobs });
  const out = mkdtempSync(join(tmpdir(), 'dora-main-'));
  let stderr = '';
  const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const outSpy = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    const code = await main(
      [
        '--gitlab-url', server.url, '--group', 'acme', '--month', o.month, '--months', String(o.months), '--output-dir', out, '--no-wiki',
        '--rate-limit', '100000', '--jobs-rate-limit', '100000', '--max-attempts', '1', '--quiet', ...(o.extra ?? []),
      ],
      { GITLAB_TOKEN: o.token },
    );
    const dir = join(out, o.month);
    const read = (f: string) => {
      try {
        return readFileSync(join(dir, f), 'utf8');
      } catch {
        return '';
      }
    };
    const jsonText = read('report.json');
    return { code, dir, json: jsonText ? JSON.parse(jsonText) : null, md: read('report.md'), requests: { ...server.state.requestsByEndpoint }, stderr };
  } finally {
    errSpy.mockRestore();
    outSpy.mockRestore();
    await server.close();
  }
}

/** collect() over HTTP for a window: the data set and the fake's request counts per endpoint. */
export async function collectOverHttp(
  data: FakeData,
  o: { token: string; window: { start: string; end: string }; config?: Partial<Config>; knobs?: Knobs },
): Promise<{ ds: Dataset; requests: Record<string, number> }> {
  const server = await startFakeGitLabHttp(data, { token: o.token, ...o.knobs });
  try {
    const config = baseConfig({ gitlabUrl: server.url, token: o.token, ...o.config });
    const client = createGitLabClient({
      gitlabUrl: server.url, token: o.token, concurrency: 8, rateLimitPerMinute: 100_000, jobsRateLimitPerMinute: 100_000,
      requestTimeoutMs: 10_000, maxAttempts: 2, retryBaseMs: 20, log: silentLogger,
    } as Parameters<typeof createGitLabClient>[0]);
    const ds = await collect({ config, client, log: silentLogger, windowStart: o.window.start, windowEnd: o.window.end, toolVersion: 'test' });
    return { ds, requests: { ...server.state.requestsByEndpoint } };
  } finally {
    await server.close();
  }
}
