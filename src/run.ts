/**
 * Wires the stages: config → collect (or snapshot) → metrics → artifacts → wiki.
 * Collaborators (client factory, clock, logger) come in as parameters so tests swap them.
 * Exit codes: 0 ok, 2 bad input, 3 wiki publish failed (every artifact is on disk),
 * 4 GitLab failed during collection (persistent errors after retries), 5 stopped by SIGTERM or
 * the job's timeout (what was finished is in the checkpoint; the next run resumes).
 */
import { join } from 'node:path';
import type { Config } from './config/types';
import type { Logger } from './log';
import type { Dataset } from './model/types';
import { createGitLabClient, type GitLabClient } from './gitlab/client';
import { collect } from './gitlab/collect';
import { estimateRequests, formatEstimate, preflight } from './gitlab/preflight';
import { checkSnapshotTeams, readSnapshots, writeSnapshot } from './store/snapshot';
import { teamAssignment } from './config/teams';
import { removeFiles, removeStaleTemps, writeFilesAtomic } from './store/fs';
import { cacheKey, loadCache, saveCache } from './store/cache';
import { openCheckpoint } from './store/checkpoint';
import type { ProgressReporter } from './progress';
import { computeMetrics } from './metrics/compute';
import { DECK_FILE, WORKBOOK_FILE, renderArtifacts, renderBinaryArtifacts } from './report';
import type { ReportContext } from './report/context';
import { DEFINITIONS_HEADING, headingAnchor } from './report/definitions-link';
import { monthPageSlug, publishWiki } from './publish/wiki';
import { parseWikiTarget } from './gitlab/wiki';
import { lastFullMonth, monthRangeMs, monthWindow } from './time';

import { EXIT } from './config/runtime-errors';

interface RunDeps {
  log: Logger;
  nowMs: number;
  version: string;
  /** Defaults to the real GitLab client. */
  createClient?: (config: Config) => GitLabClient;
  /** Progress and ETA of the collection (none when absent). */
  progress?: ProgressReporter;
}

interface RunResult {
  exitCode: number;
  /** Directory holding the month's artifacts (when written). */
  outputDir?: string;
  dataset?: Dataset;
  client?: GitLabClient;
}

function collectionWindow(config: Pick<Config, 'month' | 'months' | 'timezone'>): { start: string; end: string } {
  const months = monthWindow(config.month, config.months);
  const start = monthRangeMs(months[0]!, config.timezone).start;
  const end = monthRangeMs(config.month, config.timezone).end;
  return { start: new Date(start).toISOString(), end: new Date(end).toISOString() };
}

function defaultClient(config: Config, log: Logger): GitLabClient {
  return createGitLabClient({
    gitlabUrl: config.gitlabUrl,
    caFile: config.caFile,
    token: config.token,
    concurrency: config.concurrency,
    rateLimitPerMinute: config.rateLimitPerMinute,
    jobsRateLimitPerMinute: config.jobsRateLimitPerMinute,
    requestTimeoutMs: config.requestTimeoutMs,
    maxAttempts: config.maxAttempts,
    log,
  });
}

/**
 * Months of data the collection fetches: the window, or with a cache reaching back to the
 * window start only what the cache does not cover as final (at least one month).
 */
function monthsToFetch(window: { start: string; end: string }, cache: { dataset: Dataset; coveredUntil: string } | null, months: number): number {
  if (!cache || Date.parse(cache.dataset.meta.windowStart) > Date.parse(window.start)) return months;
  const from = Math.max(Date.parse(window.start), Date.parse(cache.coveredUntil));
  const span = Date.parse(window.end) - from;
  return Math.min(months, Math.max(1, Math.ceil(span / (30.44 * 86_400_000))));
}

function environmentRule(config: Config): string {
  return config.environment ? `environment name matches /${config.environment.source}/` : `environment tier = ${config.environmentTier}`;
}

/**
 * The month's wiki page (its Data quality section lists every definition used), when its URL
 * can be written without an API call: a project or group path, not a numeric project ID.
 */
export function wikiPageUrl(config: Pick<Config, 'gitlabUrl' | 'wikiProject' | 'wikiPrefix' | 'month'>): string | null {
  const t = parseWikiTarget(config.wikiProject);
  const base = t.kind === 'group' ? `${config.gitlabUrl}/groups/${t.id}` : /^\d+$/.test(t.id) || t.id === '' ? null : `${config.gitlabUrl}/${t.id}`;
  return base ? `${base}/-/wikis/${monthPageSlug(config)}#${headingAnchor(DEFINITIONS_HEADING)}` : null;
}

export async function run(config: Config, deps: RunDeps): Promise<RunResult> {
  const { log } = deps;
  const window = collectionWindow(config);
  let dataset: Dataset;
  let client: GitLabClient | undefined;
  let gitlabVersion: string | null = null;

  if (config.snapshotDirs.length > 0) {
    dataset = readFromSnapshots(config, window, log);
  } else {
    client = (deps.createClient ?? ((c) => defaultClient(c, log)))(config);
    const collected = await collectFromGitLab(config, deps, window, client);
    dataset = collected.dataset;
    gitlabVersion = collected.gitlabVersion;
  }

  if (config.snapshotOut) {
    writeSnapshot(config.snapshotOut, dataset);
    log.info(`snapshot written to ${config.snapshotOut}`);
    if (config.shard) return { exitCode: EXIT.OK, dataset, client };
  }

  // A report month still in progress (month = the current month) stays out of the forecast's history.
  const result = computeMetrics(dataset, config, { lastCompleteMonth: lastFullMonth(deps.nowMs, config.timezone) });
  const ctx = reportContext(config, deps, dataset, window, gitlabVersion);
  const { outDir, files } = await writeArtifacts(config, result, ctx, log);

  if (config.wiki) {
    const wikiClient = client ?? (deps.createClient ?? ((c) => defaultClient(c, log)))(config);
    const ok = await publishWiki({ client: wikiClient, config, result, ctx, reportMd: files['report.md'] ?? '', log });
    if (!ok) return { exitCode: EXIT.PUBLISH_FAILED, outputDir: outDir, dataset, client };
  }
  return { exitCode: EXIT.OK, outputDir: outDir, dataset, client };
}

type Window = ReturnType<typeof collectionWindow>;

/** --snapshot: the shards' data sets merged, refused when collected with another team assignment. */
function readFromSnapshots(config: Config, window: Window, log: RunDeps['log']): Dataset {
  const dataset = readSnapshots(config.snapshotDirs);
  checkSnapshotTeams(dataset.meta, teamAssignment(config), config.snapshotDirs);
  if (Date.parse(dataset.meta.windowStart) > Date.parse(window.start) || Date.parse(dataset.meta.windowEnd) < Date.parse(window.end)) {
    log.warn(
      `the snapshot covers ${dataset.meta.windowStart} to ${dataset.meta.windowEnd}, less than the requested window ${window.start} to ${window.end}: months outside it will show no data`,
    );
  }
  log.info(`snapshot read: ${dataset.projects.length} projects, ${dataset.deployments.length} deployments, ${dataset.jobs.length} jobs`);
  return dataset;
}

/** The preflight, then the collection with the cache and the checkpoint; the cache saved at the end. */
async function collectFromGitLab(config: Config, deps: RunDeps, window: Window, client: GitLabClient): Promise<{ dataset: Dataset; gitlabVersion: string | null }> {
  const { log } = deps;
  log.info(`collecting ${config.group} from ${config.gitlabUrl}, window ${window.start} to ${window.end}`);
  // Fails in seconds (exit 2 or 3) on what would otherwise fail at the end (../docs/collection.md#preflight).
  // A shard only writes its snapshot; the final --snapshot run publishes (and needs the api scope).
  const pre = await preflight({ config, client, log, nowMs: deps.nowMs, checkWiki: config.wiki && !config.shard });
  const key = config.cacheDir ? cacheKey(config) : '';
  const cache = config.cacheDir ? loadCache(config.cacheDir, key, log) : null;
  if (cache) log.info(`cache: records final until ${cache.coveredUntil} reused; fetching only newer data`);
  const months = monthsToFetch(window, cache, config.months);
  const onProjectsListed = (projects: number) => {
    const estimate = estimateRequests({ projects, months, collect: config.collect });
    const pace = {
      announcedPerMinute: pre.announcedPerMinute,
      ceilingPerMinute: config.rateLimitPerMinute,
      jobsPerMinute: config.jobsRateLimitPerMinute,
      concurrency: config.concurrency,
      latencyMs: pre.latencyMs,
    };
    log.info(formatEstimate(estimate, pace, projects, months));
    deps.progress?.expectRequests(estimate.requests);
  };
  const checkpoint = config.cacheDir ? openRunCheckpoint(config, config.cacheDir, key, window, deps) : null;
  if (deps.progress) deps.progress.requests = () => client.transport.stats.total;
  let dataset: Dataset;
  try {
    dataset = await collect({
      config,
      client,
      log,
      windowStart: window.start,
      windowEnd: window.end,
      toolVersion: deps.version,
      cache,
      checkpoint,
      progress: deps.progress,
      group: pre.group,
      onProjectsListed,
    });
  } finally {
    deps.progress?.close();
  }
  if (config.cacheDir) {
    saveCache(config.cacheDir, key, dataset, deps.nowMs);
    checkpoint?.clear();
  }
  log.info(
    `collected: ${dataset.projects.length} projects, ${dataset.deployments.length} production deployments, ${dataset.pipelines.length} pipelines, ${dataset.jobs.length} jobs, ${dataset.issues.length} issues, ${client.transport.stats.total} requests`,
  );
  return { dataset, gitlabVersion: pre.gitlabVersion };
}

/**
 * The checkpoint lives beside the cache of the same key: saved as the run goes, merged into
 * the cache at the end and then removed (../docs/collection.md#checkpoint). Says what an
 * interrupted run left for this one.
 */
function openRunCheckpoint(config: Config, cacheDir: string, key: string, window: Window, deps: RunDeps): ReturnType<typeof openCheckpoint> {
  const { log } = deps;
  const checkpoint = openCheckpoint({ dir: join(cacheDir, key), toolVersion: deps.version, windowStart: window.start, windowEnd: window.end, nowMs: deps.nowMs, log });
  const { found } = checkpoint;
  const bulk = checkpoint.foundBulk;
  if (found.projects > 0 || found.lists.length > 0 || bulk.listed > 0 || bulk.slices > 0) {
    const lists = found.lists.length > 0 ? ` and the ${found.lists.sort().join(', ')} listing(s)` : '';
    // --collect bulk also saves projects listed but not yet complete, and windowed MR listings.
    const partial = [
      bulk.listed > 0 ? `${bulk.listed} listed project(s) (their shipped MRs still to read)` : '',
      bulk.slices > 0 ? `${bulk.slices} windowed MR listing(s)` : '',
    ].filter(Boolean).join(' and ');
    log.info(`checkpoint: resuming an interrupted run: ${found.projects} project(s)${lists}${partial ? `, ${partial}` : ''} saved in ${config.cacheDir} are not fetched again`);
  }
  if (found.discarded > 0) {
    log.info(`checkpoint: ${found.discarded} file(s) saved for another window or tool version were removed`);
  }
  return checkpoint;
}

/** What the report says about the run besides the metrics: the group, versions, window, definitions used, collection facts. */
function reportContext(config: Config, deps: RunDeps, dataset: Dataset, window: Window, gitlabVersion: string | null): ReportContext {
  return {
    group: dataset.meta.group,
    toolVersion: deps.version,
    gitlabVersion,
    generatedAt: new Date(deps.nowMs).toISOString(),
    windowStart: window.start,
    windowEnd: window.end,
    definitions: {
      environmentRule: environmentRule(config),
      changeFailure: config.changeFailure,
      incidentLabels: config.incidentLabels,
      hotfixPattern: config.hotfixPattern.source,
      costPerMinute: config.costPerMinute,
      runnerRates: config.runnerRatesText,
      currency: config.currency,
      timezone: config.timezone,
      teamSource: config.teamSource,
      months: config.months,
    },
    skippedProjects: dataset.meta.skippedProjects,
    retries: dataset.meta.retries,
    requests: dataset.meta.requests,
    shards: dataset.meta.shards,
    ...(dataset.meta.collectionPaths ? { collectionPaths: dataset.meta.collectionPaths } : {}),
    complete: dataset.meta.skippedProjects.length === 0,
    definitionsUrl: config.wiki ? wikiPageUrl(config) : null,
  };
}

/** Every artifact written atomically to <output_dir>/<month>/: the text files first, then the deck and workbook built from them. */
async function writeArtifacts(
  config: Config,
  result: ReturnType<typeof computeMetrics>,
  ctx: ReportContext,
  log: RunDeps['log'],
): Promise<{ outDir: string; files: Record<string, string> }> {
  const files = renderArtifacts(result, ctx);
  const outDir = join(config.outputDir, config.month);
  removeStaleTemps(outDir);
  writeFilesAtomic(outDir, files);
  // The deck and the workbook come after the text files they are built from (written first:
  // a failure building them loses none of the text artifacts).
  const binary = await renderBinaryArtifacts(result, ctx, files, { deck: config.deck, xlsx: config.xlsx });
  writeFilesAtomic(outDir, binary);
  // A deck or workbook left by an earlier run of this month would show stale numbers.
  removeFiles(outDir, [DECK_FILE, WORKBOOK_FILE].filter((name) => !(name in binary)));
  log.info(`artifacts written to ${outDir} (${Object.keys(files).length + Object.keys(binary).length} files)`);
  return { outDir, files };
}
