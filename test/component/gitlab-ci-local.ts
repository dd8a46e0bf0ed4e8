/**
 * Runs the component the way GitLab would, locally: gitlab-ci-local (from the nested
 * tools package, which brings the Node 22 it needs) on a throw-away consumer repository
 * whose .gitlab-ci.yml includes templates/dora-report.yml as a component.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TOOLS = join(REPO_ROOT, 'test/component/tools/node_modules');
const GCL = join(TOOLS, 'gitlab-ci-local/dist/index.js');
const NODE22 = join(TOOLS, '.bin/node');

/** Why the tools cannot run, or null when they can. */
export function toolsMissing(): string | null {
  if (!existsSync(GCL) || !existsSync(NODE22)) return 'gitlab-ci-local is not installed: run `npm ci --prefix test/component/tools`';
  if (spawnSync('rsync', ['--version']).status !== 0) return 'rsync is not installed (gitlab-ci-local copies the checkout with it)';
  if (spawnSync('git', ['--version']).status !== 0) return 'git is not installed';
  return null;
}

/**
 * A consumer repository: a copy of the component (templates/ + the CLI bundle, as in the
 * component's own self-test, since gitlab-ci-local resolves
 * `$CI_SERVER_FQDN/$CI_PROJECT_PATH/<name>@$CI_COMMIT_SHA` from the local templates/)
 * plus the given .gitlab-ci.yml, committed, with a remote named origin.
 */
export function makeConsumer(bundle: string, gitlabCi: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'dora-component-'));
  mkdirSync(join(dir, 'templates'));
  mkdirSync(join(dir, 'dist'));
  cpSync(join(REPO_ROOT, 'templates/dora-report.yml'), join(dir, 'templates/dora-report.yml'));
  cpSync(bundle, join(dir, 'dist/dora-report.cjs'));
  writeFileSync(join(dir, '.gitlab-ci.yml'), gitlabCi);
  const git = (...args: string[]): void => {
    const r = spawnSync('git', ['-c', 'user.name=CI', '-c', 'user.email=ci@example.invalid', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  };
  git('init', '-q');
  git('remote', 'add', 'origin', 'https://gitlab.example.com/acme/reporting.git');
  git('add', '-A');
  git('commit', '-qm', 'consumer');
  // gitlab-ci-local asks origin for its default branch; answer locally instead of warning.
  git('update-ref', 'refs/remotes/origin/main', 'HEAD');
  git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
  return dir;
}

export interface GclResult {
  code: number;
  output: string;
}

/**
 * Runs the pipeline (or the named jobs) on this machine, in `cwd`. Asynchronous on purpose:
 * the fake GitLab answers from this process's event loop while the jobs run.
 */
export function runGitlabCiLocal(cwd: string, variables: Record<string, string>, jobs: string[] = [], timeoutMs = 120_000): Promise<GclResult> {
  // The job names an image (node:20-alpine); --force-shell-executor runs it on this
  // machine anyway (--shell-executor-no-image only covers jobs without an image).
  const args = [GCL, '--home', join(cwd, '.gcl-home'), '--force-shell-executor', '--no-color', '--timestamps=false'];
  for (const [k, v] of Object.entries(variables)) args.push('--variable', `${k}=${v}`);
  // Overriding these predefined variables is the point (the fake GitLab, a scheduled pipeline).
  args.push('--ignore-predefined-vars', Object.keys(variables).filter((k) => k.startsWith('CI_')).join(','));
  args.push(...jobs);
  return new Promise((done, fail) => {
    // The jobs run with the Node that runs the tests (>= 20, like node:20-alpine);
    // only gitlab-ci-local itself gets Node 22.
    const child = spawn(NODE22, args, { cwd, env: { ...process.env, FORCE_COLOR: '0' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code: code ?? -1, output });
    });
  });
}
