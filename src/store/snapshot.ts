/**
 * Snapshots: the normalized Dataset on disk, one NDJSON file per entity plus meta.json.
 * Records hold no person data (the collectors drop it), so snapshots hold none either.
 * Several snapshot directories (one per shard) merge into one Dataset, deduplicated by key.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { join } from 'node:path';
import { collectionPath, DATASET_ENTITIES, sortDataset, type CollectionMeta, type CollectionPath, type CollectionPathKind, type Dataset, type DatasetEntity, type TeamAssignment } from '../model/types';
import { RuntimeError } from '../config/runtime-errors';
import { writeFileAtomic, writeLinesAtomic } from './fs';

const SNAPSHOT_FORMAT = 1;

export class SnapshotError extends RuntimeError {
  readonly code = 'snapshot-unreadable' as const;
}

export function writeSnapshot(dir: string, ds: Dataset): void {
  for (const entity of DATASET_ENTITIES) {
    const rows = ds[entity] as unknown[];
    writeLinesAtomic(
      join(dir, `${entity}.ndjson`),
      (function* () {
        for (const r of rows) yield JSON.stringify(r);
      })(),
    );
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

/**
 * Calls `onRow` per line, reading the file in chunks: a year of jobs for 200 projects is
 * ~300 MB of NDJSON, which must not sit in memory as one string beside its records.
 */
export function readNdjson(path: string, onRow: (row: Record<string, unknown>) => void): void {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(4 * 1024 * 1024);
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let lineNo = 0;
  const handle = (line: string) => {
    lineNo++;
    if (line.length === 0) return;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new SnapshotError(`Snapshot file ${path} line ${lineNo} is not valid JSON. Accepted: a directory written by dora-report --snapshot-out.`);
    }
    onRow(row);
  };
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      const text = carry + decoder.write(buf.subarray(0, n));
      let start = 0;
      for (let end = text.indexOf('\n', start); end !== -1; end = text.indexOf('\n', start)) {
        handle(text.slice(start, end));
        start = end + 1;
      }
      carry = text.slice(start);
    }
    handle(carry + decoder.end());
  } finally {
    closeSync(fd);
  }
}

/**
 * Job fields repeat across hundreds of thousands of rows (names, stages, refs, tag lists):
 * sharing one string/array per distinct value keeps a year of jobs well under 1 GB.
 */
function internJobs(): (row: Record<string, unknown>) => Record<string, unknown> {
  const strings = new Map<string, string>();
  const tagLists = new Map<string, unknown>();
  const s = (v: unknown) => {
    if (typeof v !== 'string') return v;
    const hit = strings.get(v);
    if (hit !== undefined) return hit;
    strings.set(v, v);
    return v;
  };
  return (row) => {
    for (const k of ['name', 'stage', 'status', 'ref', 'runnerType', 'failureReason']) row[k] = s(row[k]);
    const key = JSON.stringify(row.tags);
    const hit = tagLists.get(key);
    if (hit !== undefined) row.tags = hit;
    else tagLists.set(key, row.tags);
    return row;
  };
}

export function readSnapshots(dirs: string[]): Dataset {
  if (dirs.length === 0) throw new SnapshotError('No snapshot directory given.');
  const metas: CollectionMeta[] = [];
  // One directory needs no de-duplication (rows are unique by construction); several
  // (shards, or a cache merged with a snapshot) are merged by key, the last one winning.
  const single = dirs.length === 1;
  const rowsOf = new Map<DatasetEntity, unknown[]>(DATASET_ENTITIES.map((e) => [e, []]));
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
      const prep = entity === 'jobs' ? internJobs() : (r: Record<string, unknown>) => r;
      if (single) {
        const rows = rowsOf.get(entity)!;
        readNdjson(path, (r) => rows.push(prep(r)));
      } else {
        const m = maps.get(entity)!;
        readNdjson(path, (r) => m.set(keyOf(entity, r), prep(r)));
      }
    }
  }
  const first = metas[0]!;
  for (const m of metas) {
    if (m.windowStart !== first.windowStart || m.windowEnd !== first.windowEnd || m.group !== first.group || !sameTeams(m.teams, first.teams)) {
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
      ...(first.teams ? { teams: first.teams } : {}),
      // Snapshots written before payload counts existed have none: read as nothing met.
      payload: {
        unreadable: sum((m) => m.payload?.unreadable ?? {}),
        offsetTimestamps: metas.reduce((n, m) => n + (m.payload?.offsetTimestamps ?? 0), 0),
      },
      ...mergedCollectionPaths(metas),
    },
  } as Dataset;
  for (const entity of DATASET_ENTITIES) {
    (ds as unknown as Record<string, unknown[]>)[entity] = single ? rowsOf.get(entity)! : [...maps.get(entity)!.values()];
  }
  sortDataset(ds);
  return ds;
}

function sameTeams(a: TeamAssignment | undefined, b: TeamAssignment | undefined): boolean {
  return a?.source === b?.source && a?.fileDigest === b?.fileDigest;
}

/**
 * Teams are assigned when collecting (ProjectRecord.team), so a snapshot cannot be reported
 * with another team assignment: refused (exit 2) with both sides named. A snapshot written
 * before assignments were recorded is accepted as it is.
 */
export function checkSnapshotTeams(meta: CollectionMeta, wanted: TeamAssignment, dirs: readonly string[]): void {
  const had = meta.teams;
  if (had === undefined || sameTeams(had, wanted)) return;
  const where = dirs.map((d) => `"${d}"`).join(', ');
  if (had.source !== wanted.source) {
    throw new SnapshotError(
      `--team-source / DORA_TEAM_SOURCE: "${wanted.source}" differs from the snapshot ${where}, whose projects were assigned to teams by "${had.source}" when it was collected. Accepted: team_source ${had.source} for this snapshot, or collect again with ${wanted.source}.`,
    );
  }
  throw new SnapshotError(
    `--team-file / DORA_TEAM_FILE: its content differs from the team file the snapshot ${where} was collected with. Accepted: the same team file, or collect again with this one.`,
  );
}

/** Shards' collection paths summed per data kind (absent when no shard recorded any). */
function mergedCollectionPaths(metas: CollectionMeta[]): Pick<CollectionMeta, 'collectionPaths'> {
  const out: Partial<Record<CollectionPathKind, CollectionPath>> = {};
  for (const m of metas) {
    for (const [k, v] of Object.entries(m.collectionPaths ?? {}) as [CollectionPathKind, CollectionPath][]) {
      const prev = out[k];
      const bulk = (prev?.bulk ?? 0) + v.bulk;
      const fallback = prev?.fallback ?? v.fallback;
      out[k] = collectionPath(bulk, (prev?.perItem ?? 0) + v.perItem, fallback);
    }
  }
  return Object.keys(out).length > 0 ? { collectionPaths: out } : {};
}
