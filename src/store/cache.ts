/**
 * Incremental cache (../../docs/collection.md#incremental-cache): the normalized records of the last run, per group,
 * GitLab instance, production rule and shard, with the instant up to which they are final.
 * Data about the past does not change once it is over (finished deployments and the MRs they
 * shipped, finished jobs and pipelines, merged MRs); what is still moving is refetched.
 * A damaged cache is ignored with a warning: it can cost requests, never correctness.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/types';
import type { Logger } from '../log';
import type { Dataset } from '../model/types';
import { writeFileAtomic } from './fs';
import { readSnapshots, writeSnapshot } from './snapshot';

/** Records younger than this at run time are not trusted as final (pipelines still running). */
const SETTLE_MS = 24 * 3600 * 1000;

/** Up to when records collected at `nowMs` for a window ending at `windowEnd` are final. */
export function finalUntil(windowEnd: string, nowMs: number): string {
  return new Date(Math.min(Date.parse(windowEnd), nowMs - SETTLE_MS)).toISOString();
}

export function cacheKey(config: Pick<Config, 'gitlabUrl' | 'group' | 'environmentTier' | 'environment' | 'shard'>): string {
  const rule = config.environment ? `name:${config.environment.source}` : `tier:${config.environmentTier}`;
  const shard = config.shard ? `${config.shard.index}/${config.shard.total}` : 'all';
  return createHash('sha256').update(`${config.gitlabUrl}\n${config.group}\n${rule}\n${shard}`).digest('hex').slice(0, 16);
}

export function loadCache(dir: string, key: string, log: Logger): { dataset: Dataset; coveredUntil: string } | null {
  const base = join(dir, key);
  const marker = join(base, 'cache.json');
  if (!existsSync(marker)) return null;
  try {
    const { coveredUntil } = JSON.parse(readFileSync(marker, 'utf8')) as { coveredUntil: string };
    if (typeof coveredUntil !== 'string' || Number.isNaN(Date.parse(coveredUntil))) throw new Error('no coveredUntil');
    return { dataset: readSnapshots([base]), coveredUntil };
  } catch (e) {
    log.warn(`cache in ${base} is unreadable and is ignored (${(e as Error).message})`);
    return null;
  }
}

export function saveCache(dir: string, key: string, dataset: Dataset, nowMs: number): string {
  const base = join(dir, key);
  const coveredUntil = finalUntil(dataset.meta.windowEnd, nowMs);
  // The marker goes first and comes back last: a run killed while the entity files are being
  // rewritten leaves no marker, so the next run ignores the half-written cache (the
  // checkpoint, removed only after this, still holds every finished project).
  rmSync(join(base, 'cache.json'), { force: true });
  writeSnapshot(base, dataset);
  writeFileAtomic(join(base, 'cache.json'), JSON.stringify({ coveredUntil }, null, 2) + '\n');
  return coveredUntil;
}
