/**
 * Entry point: argv/env → Config → run() → exit code. Nothing else happens here.
 * Exit codes: 0 ok, 2 bad input (also a token or group the preflight refuses), 3 wiki publish
 * failed (artifacts written) or the preflight found the wiki unwritable (nothing collected),
 * 4 GitLab failed during collection, 5 stopped (SIGTERM or the job's timeout; resumable),
 * 1 unexpected error.
 */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { HELP_TEXT, resolveConfig, wantsHelp, wantsVersion } from './config/resolve';
import { EXIT, describeFailure } from './config/runtime-errors';
import { createLogger, redact, registerSecret, type Logger } from './log';
import { ProgressReporter, progressMode } from './progress';
import { run } from './run';
import { VERSION } from './version';

/**
 * When the job's own timeout will end it: GitLab's job timeout covers the cache upload too,
 * so a script still running at the timeout loses the cache (gitlab-org/gitlab#421691). The
 * tool stops itself a margin before (10% of the timeout, at least 2 minutes), leaving time
 * for `cache: when: always` to save the checkpoint. CI_JOB_TIMEOUT (seconds, GitLab 15.7+)
 * and CI_JOB_STARTED_AT are predefined CI/CD variables; null outside a job.
 */
export function jobDeadline(env: Record<string, string | undefined>): number | null {
  const timeoutS = Number(env.CI_JOB_TIMEOUT);
  const started = Date.parse(env.CI_JOB_STARTED_AT ?? '');
  if (!env.CI_JOB_TIMEOUT || !Number.isFinite(timeoutS) || timeoutS <= 0 || Number.isNaN(started)) return null;
  const marginS = Math.max(120, timeoutS * 0.1);
  return started + (timeoutS - marginS) * 1000;
}

export function interruptMessage(why: string, cacheDir: string | null): string {
  const saved = cacheDir
    ? `Every finished project and group-wide listing is saved in ${cacheDir}: the next run with the same cache directory resumes from there and does not fetch them again.`
    : 'Nothing was saved: without --cache-dir (the component sets it) a stopped run cannot be resumed.';
  return `collection stopped (exit ${EXIT.INTERRUPTED}): ${why}. ${saved}`;
}

/** SIGTERM (GitLab's cancel and timeout), SIGINT, and the job's own deadline stop the run. */
function handleInterruptions(env: Record<string, string | undefined>, cacheDir: string | null, log: Logger, progress: ProgressReporter): void {
  const stop = (why: string) => {
    progress.close();
    // Checkpoint files are written synchronously: none can be half-way when this runs.
    log.warn(interruptMessage(why, cacheDir));
    process.exit(EXIT.INTERRUPTED);
  };
  process.once('SIGTERM', () => stop('received SIGTERM (GitLab sends it when a job is canceled or times out)'));
  process.once('SIGINT', () => stop('interrupted (SIGINT)'));
  const deadline = jobDeadline(env);
  if (deadline !== null) {
    const timer = setTimeout(() => {
      // Once collection is over (the cache is saved), finishing the report is the better use of the time left.
      if (!progress.closedOnce) stop(`the job's timeout (CI_JOB_TIMEOUT=${env.CI_JOB_TIMEOUT} s) is near: stopping now leaves time to save the cache`);
    }, Math.max(0, deadline - Date.now()));
    timer.unref();
  }
}

export async function main(argv: string[], env: Record<string, string | undefined>, nowMs = Date.now(), opts: { handleSignals?: boolean } = {}): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(HELP_TEXT + '\n');
    return EXIT.OK;
  }
  if (wantsVersion(argv)) {
    process.stdout.write(`dora-report ${VERSION}\n`);
    return EXIT.OK;
  }
  // Register every candidate token before anything can print.
  for (const [k, v] of Object.entries(env)) {
    if (v && (k === 'GITLAB_TOKEN' || /TOKEN/.test(k))) registerSecret(v);
  }
  const early = createLogger({});
  let config;
  try {
    config = resolveConfig({ argv, env, nowMs, readFile: (p) => readFileSync(p, 'utf8') });
  } catch (e) {
    const failure = describeFailure(e);
    if (failure === null) throw e;
    early.warn(failure.line);
    return failure.exit;
  }
  registerSecret(config.token);
  const progress = new ProgressReporter({ mode: progressMode(config.quiet, Boolean(process.stderr.isTTY), env) });
  const log = createLogger({ quiet: config.quiet, write: progress.writeLine });
  if (opts.handleSignals) handleInterruptions(env, config.cacheDir, log, progress);
  try {
    const res = await run(config, { log, nowMs, version: VERSION, progress });
    if (res.outputDir) process.stdout.write(`${res.outputDir}/report.md\n`);
    return res.exitCode;
  } catch (e) {
    // Every known failure is in the runtime error catalogue, with its exit code and its line.
    const failure = describeFailure(e);
    if (failure !== null) {
      log.warn(failure.line);
      return failure.exit;
    }
    log.warn(`unexpected error (exit ${EXIT.UNEXPECTED}): ${redact((e as Error).stack ?? String(e))}`);
    return EXIT.UNEXPECTED;
  }
}

/**
 * Collection parses ~100k response pages; a jobs page is a ~250 KB string, which V8 puts
 * straight into the old generation, so garbage piles up there. With V8's default growing
 * factor the heap reaches ~3-4x the live data before a full GC: 1.7 GB peak RSS for a
 * 200-project year whose live data is ~450 MB. A factor of 1.3 keeps that run (cache
 * included) under ~900 MB for ~20% more CPU in GC, which a rate-limited collection has to
 * spare (measured: 1.5 peaked at 980 MB). It is not a cap: a larger group still gets all
 * the heap it needs. A --heap-growing-percent given to node wins.
 */
export function tuneHeap(execArgv: readonly string[]): boolean {
  if (execArgv.some((a) => /^--heap[-_]growing[-_]percent/.test(a))) return false;
  setFlagsFromString('--heap-growing-percent=30');
  return true;
}

// Run when executed directly (bundle or tsx), not when imported by tests.
const invokedDirectly = typeof require !== 'undefined' ? require.main === module : process.argv[1]?.endsWith('cli.ts');
if (invokedDirectly) {
  tuneHeap(process.execArgv);
  main(process.argv.slice(2), process.env, Date.now(), { handleSignals: true }).then(
    (code) => {
      // Exit now: after a collection failure, listings still running in the background
      // (e.g. the group-wide ones) must not keep the process alive.
      process.exit(code);
    },
    (e: unknown) => {
      process.stderr.write(redact(String((e as Error)?.stack ?? e)) + '\n');
      process.exitCode = 1;
    },
  );
}
