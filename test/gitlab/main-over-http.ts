/**
 * Test helper: the real CLI entry point (main, in-process) against the fake GitLab served
 * over HTTP, with stdout and stderr captured; what it wrote for the month read back.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { main } from '../../src/cli';
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
