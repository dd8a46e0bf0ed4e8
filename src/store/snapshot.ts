/**
 * Snapshots: the normalized Dataset on disk, one NDJSON file per entity plus meta.json.
 * Records hold no person data (the collectors drop it), so snapshots hold none either.
 * Several snapshot directories (one per shard) merge into one Dataset, deduplicated by key.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DATASET_ENTITIES, type CollectionMeta, type Dataset, type DatasetEntity } from '../model/types';
import { sortDataset } from '../gitlab/collect';
import { writeFileAtomic } from './fs';

export const SNAPSHOT_FORMAT = 1;

export class SnapshotError extends Error {
  readonly exitCode = 2;
}

export function writeSnapshot(dir: string, ds: Dataset): void {
  for (const entity of DATASET_ENTITIES) {
    const rows = ds[entity] as unknown[];
    writeFileAtomic(join(dir, `${entity}.ndjson`), rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''));
  }
  // meta.json last: its presence marks a complete snapshot.
  writeFileAtomic(join(dir, 'meta.json'), JSON.stringify({ format: SNAPSHOT_FORMAT, ...ds.meta }, null, 2) + '\n');
}

function keyOf(entity: DatasetEntity, r: Record<string, unknown>): string {
  switch (entity) {
    case 'baselines':
      return `${String(r.projectId)}:${String(r.environmentId)}`;
    case 'deploymentMergeRequests':
      return `${String(r.deploymentId)}:${String(r.mrId)}`;
    default:
      return String(r.id);
  }
}

function readNdjson(path: string): Record<string, unknown>[] {
  const text = readFileSync(path, 'utf8');
  const out: Record<string, unknown>[] = [];
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo++;
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      throw new SnapshotError(`Snapshot file ${path} line ${lineNo} is not valid JSON. Accepted: a directory written by dora-report --snapshot-out.`);
    }
  }
  return out;
}

export function readSnapshots(dirs: string[]): Dataset {
  if (dirs.length === 0) throw new SnapshotError('No snapshot directory given.');
  const metas: CollectionMeta[] = [];
  const maps = new Map<DatasetEntity, Map<string, unknown>>(DATASET_ENTITIES.map((e) => [e, new Map()]));
  for (const dir of dirs) {
    const metaPath = join(dir, 'meta.json');
    if (!existsSync(metaPath)) {
      const what = existsSync(dir) ? `has no meta.json (found: ${readdirSync(dir).slice(0, 5).join(', ') || 'nothing'})` : 'does not exist';
      throw new SnapshotError(`Snapshot directory "${dir}" (--snapshot) ${what}. Accepted: a directory written by dora-report --snapshot-out (or a shard job).`);
    }
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as CollectionMeta & { format?: number };
    if (meta.format !== SNAPSHOT_FORMAT) {
      throw new SnapshotError(`Snapshot "${dir}" has format ${String(meta.format)}; this version reads format ${SNAPSHOT_FORMAT}.`);
    }
    delete meta.format;
    metas.push(meta);
    for (const entity of DATASET_ENTITIES) {
      const path = join(dir, `${entity}.ndjson`);
      if (!existsSync(path)) throw new SnapshotError(`Snapshot "${dir}" is missing ${entity}.ndjson.`);
      const m = maps.get(entity)!;
      for (const r of readNdjson(path)) m.set(keyOf(entity, r), r);
    }
  }
  const first = metas[0]!;
  for (const m of metas) {
    if (m.windowStart !== first.windowStart || m.windowEnd !== first.windowEnd || m.group !== first.group) {
      throw new SnapshotError(
        `Snapshots disagree: "${dirs[metas.indexOf(m)]}" covers ${m.group} ${m.windowStart}..${m.windowEnd}, "${dirs[0]}" covers ${first.group} ${first.windowStart}..${first.windowEnd}. Accepted: shards of one run.`,
      );
    }
  }
  const sum = (pick: (m: CollectionMeta) => Record<string, number>): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const m of metas) for (const [k, v] of Object.entries(pick(m))) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  const ds = {
    meta: {
      toolVersion: first.toolVersion,
      group: first.group,
      windowStart: first.windowStart,
      windowEnd: first.windowEnd,
      skippedProjects: metas.flatMap((m) => m.skippedProjects).sort((a, b) => a.projectId - b.projectId),
      retries: sum((m) => m.retries),
      requests: sum((m) => m.requests),
      shards: Math.max(metas.length, first.shards),
    },
  } as Dataset;
  for (const entity of DATASET_ENTITIES) (ds as unknown as Record<string, unknown[]>)[entity] = [...maps.get(entity)!.values()];
  sortDataset(ds);
  return ds;
}
