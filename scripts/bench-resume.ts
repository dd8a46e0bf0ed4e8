/**
 * Resume cost at a realistic scale: the real CLI (dist bundle) against the HTTP fake GitLab,
 * a cold run, then a cold run SIGKILLed when the fake has served half the cold run's
 * requests and rerun with the same cache directory. Prints the requests of each run and
 * the ratio (../docs/collection.md#incremental-cache; the acceptance is <= 1.1 x one cold run) and checks the CSVs.
 *
 *   npm run build && node --import tsx scripts/bench-resume.ts [projects] [months] [concurrency] [per-item|bulk] [kill share]
 *
 * The collection strategy (4th argument, default per-item) is passed as --collect; the kill
 * comes when the fake has served that share (5th argument, default 0.5) of the cold run's
 * requests. DORA_BENCH_BUNDLE names another CLI bundle than dist/dora-report.cjs (one built
 * outside dist/, which is committed and rebuilt by the release only).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePortfolio, startFakeGitLabHttp } from '../test/fake-gitlab';

const argv = process.argv.slice(2);
const [projects = 60, months = 3, concurrency = 8] = argv.slice(0, 3).map(Number);
const mode = argv[3] ?? 'per-item';
if (mode !== 'per-item' && mode !== 'bulk') throw new Error(`collect strategy: per-item or bulk, not ${mode}`);
const share = argv[4] === undefined ? 0.5 : Number(argv[4]);
if (!(share > 0 && share < 1)) throw new Error(`kill share: a number between 0 and 1, not ${argv[4]}`);
const bundle = process.env.DORA_BENCH_BUNDLE ?? 'dist/dora-report.cjs';
const TOKEN = 'glpat-bench-resume-000000';
const root = mkdtempSync(join(tmpdir(), 'dora-bench-resume-'));

function run(url: string, out: string, cache: string, onSpawn?: (c: ChildProcess) => void): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bundle, '--gitlab-url', url, '--group', 'acme', '--month', '2026-10', '--months', String(months),
      '--output-dir', out, '--cache-dir', cache, '--no-wiki', '--rate-limit', '100000', '--jobs-rate-limit', '100000', '--concurrency', String(concurrency), '--collect', mode, '--quiet'],
    { env: { PATH: process.env.PATH ?? '', GITLAB_TOKEN: TOKEN }, stdio: ['ignore', 'ignore', 'inherit'] });
    onSpawn?.(child);
    child.on('close', (code) => resolve(code ?? -1));
  });
}

const csvs = (dir: string) => Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.csv')).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

const data = generatePortfolio({ teams: Math.max(2, Math.round(projects / 10)), projects, months, seed: 3 });
const server = await startFakeGitLabHttp(data, { token: TOKEN });
try {
  const t0 = Date.now();
  if ((await run(server.url, join(root, 'cold'), join(root, 'cold-cache'))) !== 0) throw new Error('cold run failed');
  const cold = server.state.total;
  const coldS = (Date.now() - t0) / 1000;
  server.state.reset();
  let child: ChildProcess | null = null;
  const poll = setInterval(() => {
    if (child && server.state.total >= cold * share) {
      child.kill('SIGKILL');
      clearInterval(poll);
    }
  }, 2);
  await run(server.url, join(root, 'k1'), join(root, 'cache'), (c) => (child = c));
  clearInterval(poll);
  const killed = server.state.total;
  server.state.reset();
  if ((await run(server.url, join(root, 'k2'), join(root, 'cache'))) !== 0) throw new Error('resumed run failed');
  const resumed = server.state.total;
  const same = JSON.stringify(csvs(join(root, 'k2', '2026-10'))) === JSON.stringify(csvs(join(root, 'cold', '2026-10')));
  console.log(`${projects} projects, ${months} months, concurrency ${concurrency}, --collect ${mode}, killed at ${share} x cold: cold ${cold} requests (${coldS.toFixed(1)} s); killed at ${killed} + resumed ${resumed} = ${killed + resumed} = ${((killed + resumed) / cold).toFixed(3)} x cold; CSVs ${same ? 'byte-identical' : 'DIFFER'}`);
  if (!same) process.exitCode = 1;
} finally {
  await server.close();
}
