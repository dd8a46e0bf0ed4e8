/**
 * npm run demo: starts the fake GitLab over HTTP with the synthetic 22-team / 200-project
 * portfolio, runs the real CLI bundle against it (a child process, as a user would), and
 * prints the path of report.md (executive_deck.pptx and report.xlsx beside it). No token or
 * GitLab needed.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { generatePortfolio, startFakeGitLabHttp } from '../test/fake-gitlab';

const outDir = resolve(process.env.DEMO_OUTPUT_DIR ?? 'reports/demo');
const bundle = resolve('dist/dora-report.cjs');
if (!existsSync(bundle)) {
  console.error(`missing ${bundle}: run "npm run build" first`);
  process.exit(1);
}

const started = Date.now();
const data = generatePortfolio({});
const server = await startFakeGitLabHttp(data, { token: 'demo-token' });
console.error(`fake GitLab listening on ${server.url} (portfolio: 22 teams, 200 projects, 12 months)`);

const args = [
  bundle,
  '--gitlab-url', server.url,
  '--group', 'acme',
  '--month', '2026-10',
  '--months', '12',
  '--output-dir', outDir,
  '--wiki-project', 'acme/reporting',
  '--runner-rates', 'instance_type=0.008,group_type=0.004,project_type=0.002,tag:saas-linux-large-amd64=0.024',
  '--concurrency', '16',
  '--rate-limit', '100000',
  '--jobs-rate-limit', '100000',
];
const child = spawn(process.execPath, args, {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, GITLAB_TOKEN: 'demo-token', DORA_REPORT_TOKEN: '' },
});
let stdout = '';
child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
const code: number = await new Promise((r) => child.on('close', (c) => r(c ?? 1)));
await server.close();
if (code !== 0) {
  console.error(`dora-report exited with ${code}`);
  process.exit(code);
}
console.error(`done in ${((Date.now() - started) / 1000).toFixed(1)} s; ${server.state.total} requests served`);
const report = resolve(stdout.trim().split('\n').pop() ?? '');
for (const f of ['executive_deck.pptx', 'report.xlsx']) {
  const p = join(dirname(report), f);
  console.error(existsSync(p) ? `${f}: ${p}` : `${f}: not written`);
}
console.log(report);
