/** Writes a snapshot of the default fake portfolio (2026-10, 12 months) with the real CLI bundle over HTTP. */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { generatePortfolio, startFakeGitLabHttp } from '../test/fake-gitlab';

const out = resolve(process.argv[2] ?? '.tmp/portfolio-snapshot');
const build = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(1);
const server = await startFakeGitLabHttp(generatePortfolio({}), { token: 'bench-token' });
const { spawn } = await import('node:child_process');
const child = spawn(
  process.execPath,
  ['dist/dora-report.cjs', '--gitlab-url', server.url, '--group', 'acme', '--month', '2026-10', '--months', '12', '--no-wiki',
    '--output-dir', resolve('.tmp/snapshot-run'), '--snapshot-out', out, '--concurrency', '16', '--rate-limit', '100000', '--jobs-rate-limit', '100000', '--quiet'],
  { stdio: 'inherit', env: { ...process.env, GITLAB_TOKEN: 'bench-token' } },
);
const code: number = await new Promise((r) => child.on('close', (c) => r(c ?? 1)));
await server.close();
process.exit(code);
