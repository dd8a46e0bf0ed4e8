/**
 * Entry point: argv/env → Config → run() → exit code. Nothing else happens here.
 * Exit codes: 0 ok, 2 bad input (also a token or group the preflight refuses), 3 wiki publish
 * failed (artifacts written) or the preflight found the wiki unwritable (nothing collected),
 * 4 GitLab failed during collection, 1 unexpected error.
 */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { ConfigError } from './config/errors';
import { HELP_TEXT, resolveConfig, wantsHelp, wantsVersion } from './config/resolve';
import { GroupAccessError } from './gitlab/collect';
import { PreflightError, isGitLabApiError } from './gitlab/errors';
import { MalformedRecordError } from './gitlab/normalize';
import { createLogger, redact, registerSecret } from './log';
import { EXIT, run } from './run';
import { SnapshotError } from './store/snapshot';
import { VERSION } from './version';

export async function main(argv: string[], env: Record<string, string | undefined>, nowMs = Date.now()): Promise<number> {
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
    if (e instanceof ConfigError) {
      early.warn(`invalid configuration (exit 2):\n${e.message}`);
      return EXIT.BAD_INPUT;
    }
    throw e;
  }
  registerSecret(config.token);
  const log = createLogger({ quiet: config.quiet });
  try {
    const res = await run(config, { log, nowMs, version: VERSION });
    if (res.outputDir) process.stdout.write(`${res.outputDir}/report.md\n`);
    return res.exitCode;
  } catch (e) {
    // The preflight's catalogue carries its exit code: 2 for the token, 3 for the wiki.
    if (e instanceof PreflightError) {
      log.warn(`${e.message} (exit ${e.exitCode})`);
      return e.exitCode;
    }
    if (e instanceof GroupAccessError || e instanceof SnapshotError) {
      log.warn(`${e.message} (exit 2)`);
      return EXIT.BAD_INPUT;
    }
    if (e instanceof MalformedRecordError) {
      // Only when GitLab's answers of one kind are unreadable as a whole (single records are skipped and counted).
      log.warn(`collection failed (exit 4): ${e.message}. Nothing was published.`);
      return EXIT.GITLAB_FAILED;
    }
    if (isGitLabApiError(e)) {
      log.warn(`collection failed (exit 4): ${e.message}. Nothing was published; rerun when GitLab answers again.`);
      return EXIT.GITLAB_FAILED;
    }
    log.warn(`unexpected error (exit 1): ${redact((e as Error).stack ?? String(e))}`);
    return 1;
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
  main(process.argv.slice(2), process.env).then(
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
