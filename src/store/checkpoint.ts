/**
 * Checkpoint (../../docs/collection.md#checkpoint): what a run has collected, saved as it goes, so that a run
 * stopped at any point (job timeout, SIGTERM, SIGKILL, runner lost) is resumed by the next
 * run with the same cache directory without fetching again what was saved.
 *
 * Layout, beside the incremental cache of the same key (group, instance, production rule,
 * shard): `<cache-dir>/<key>/checkpoint/`
 *   projects/<projectId>.ndjson   one file per finished project
 *   issues.ndjson, mergeRequests.ndjson   one file per finished group-wide listing
 *   listed/<projectId>.ndjson     bulk collection: a project read but for the MRs its
 *                                 deployments shipped (replaced by projects/ when it is done)
 *   slices.ndjson                 bulk collection: the answers of the windowed group MR
 *                                 listings, one line per listing, appended as each arrives
 * Each file: a header line (format, tool version, window, `coveredUntil`), one
 * `["<entity>", record]` line per record, and a trailer `{"end": <record count>}`. Files are
 * written whole through a temp file and a rename (writeLinesAtomic), so a killed run leaves
 * either the complete file or none; the trailer is checked as well, so a damaged file is
 * ignored (it costs requests, never correctness). One file per unit keeps memory flat: a
 * project's records are written once, when it finishes, never the whole cache again.
 *
 * A successful run merges everything into the normal cache (saveCache) and then removes the
 * checkpoint, so a checkpoint exists only after an unfinished run.
 */
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Checkpoint, GroupLists, ListedProject, ProjectData, Saved } from '../gitlab/collect';
import type { SliceStore } from '../gitlab/collect-bulk';
import type { Logger } from '../log';
import { finalUntil } from './cache';
import { removeStaleTemps, writeLinesAtomic } from './fs';
import { readNdjson } from './snapshot';

const CHECKPOINT_FORMAT = 1;

const PROJECT_ENTITIES = ['environments', 'deployments', 'baselines', 'deploymentMergeRequests', 'pipelines', 'jobs'] as const;
const GROUP_LISTS = ['issues', 'mergeRequests'] as const;
/** A listed project (bulk): its records but the shipped MRs, and what the bulk planner needs. */
const LISTED_ENTITIES = [...PROJECT_ENTITIES, 'fresh', 'cachedDeployments', 'units'] as const;

interface Header {
  format: number;
  toolVersion: string;
  kind: 'project' | 'listed' | 'slices' | keyof GroupLists;
  windowStart: string;
  windowEnd: string;
  coveredUntil: string;
}

interface CheckpointOptions {
  /** `<cache-dir>/<cache key>`: the checkpoint lives in its `checkpoint/` folder. */
  dir: string;
  toolVersion: string;
  windowStart: string;
  windowEnd: string;
  /** Run start: records finished a settling day before it are final (as in the cache). */
  nowMs: number;
  log: Logger;
}

/** The first line of a file, without reading the rest (project files can be hundreds of MB). */
function firstLine(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(4096);
    let text = '';
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) return text;
      text += buf.subarray(0, n).toString('utf8');
      const nl = text.indexOf('\n');
      if (nl >= 0) return text.slice(0, nl);
      if (text.length > 64 * 1024) return text;
    }
  } finally {
    closeSync(fd);
  }
}

function parseHeader(line: string): Header | null {
  try {
    const h = JSON.parse(line) as Partial<Header>;
    const date = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v));
    if (typeof h.format !== 'number' || typeof h.toolVersion !== 'string' || typeof h.kind !== 'string') return null;
    if (!date(h.windowStart) || !date(h.windowEnd) || !date(h.coveredUntil)) return null;
    return h as Header;
  } catch {
    return null;
  }
}

export class DiskCheckpoint implements Checkpoint {
  private readonly root: string;
  private readonly coveredUntil: string;
  /** Usable saved files (path → header), found when the checkpoint was opened. */
  private readonly usable = new Map<string, Header>();
  /** Saved units found usable when opened: projects, and group-wide listings by name. */
  readonly found = { projects: 0, lists: [] as string[], discarded: 0 };
  /** Bulk collection's saved units found usable: projects saved as listed, windowed listings answered. */
  readonly foundBulk = { listed: 0, slices: 0 };
  /** Saved answers of windowed listings (bulk), by slice key. */
  private readonly savedSlices = new Map<string, unknown[]>();
  readonly slices: SliceStore = {
    saved: (key) => this.savedSlices.get(key) ?? null,
    done: (key, rows) => this.sliceDone(key, rows),
  };

  constructor(private readonly o: CheckpointOptions) {
    this.root = join(o.dir, 'checkpoint');
    this.coveredUntil = finalUntil(o.windowEnd, o.nowMs);
    this.scan();
  }

  private projectPath(projectId: number): string {
    return join(this.root, 'projects', `${projectId}.ndjson`);
  }

  private listedPath(projectId: number): string {
    return join(this.root, 'listed', `${projectId}.ndjson`);
  }

  private get slicesPath(): string {
    return join(this.root, 'slices.ndjson');
  }

  private listPath(list: keyof GroupLists): string {
    return join(this.root, `${list}.ndjson`);
  }

  /**
   * Reads every header once. A file is usable when this tool version wrote it (a newer
   * version may read payloads differently) for a window starting no later than this run's
   * (its records then cover the start; newer ones are fetched from its `coveredUntil` on).
   * Anything else is removed now, so it can never be mixed in later.
   */
  private scan(): void {
    if (!existsSync(this.root)) return;
    const candidates: Array<{ path: string; kind: Header['kind'] }> = [];
    removeStaleTemps(this.root);
    for (const list of GROUP_LISTS) if (existsSync(this.listPath(list))) candidates.push({ path: this.listPath(list), kind: list });
    const projectsDir = join(this.root, 'projects');
    if (existsSync(projectsDir)) {
      removeStaleTemps(projectsDir);
      for (const name of readdirSync(projectsDir)) {
        if (/^\d+\.ndjson$/.test(name)) candidates.push({ path: join(projectsDir, name), kind: 'project' });
      }
    }
    const listedDir = join(this.root, 'listed');
    if (existsSync(listedDir)) {
      removeStaleTemps(listedDir);
      for (const name of readdirSync(listedDir)) {
        if (/^\d+\.ndjson$/.test(name)) candidates.push({ path: join(listedDir, name), kind: 'listed' });
      }
    }
    this.scanSlices();
    const startMs = Date.parse(this.o.windowStart);
    for (const { path, kind } of candidates) {
      let h: Header | null = null;
      try {
        h = parseHeader(firstLine(path));
      } catch {
        h = null;
      }
      if (h && h.format === CHECKPOINT_FORMAT && h.toolVersion === this.o.toolVersion && h.kind === kind && Date.parse(h.windowStart) <= startMs) {
        this.usable.set(path, h);
        if (kind === 'project') this.found.projects++;
        else if (kind === 'listed') this.foundBulk.listed++;
        else this.found.lists.push(kind);
      } else {
        rmSync(path, { force: true });
        this.found.discarded++;
      }
    }
  }

  /**
   * The windowed listings' answers: usable only when this tool version wrote them for this very
   * window, once it was final (a slice is named by its bounds, which the window's deployments decide). Lines are
   * appended one listing at a time, so a kill can tear the last line only: every line that
   * reads whole is kept, and the file is rewritten with those before anything is appended.
   */
  private scanSlices(): void {
    const path = this.slicesPath;
    if (!existsSync(path)) return;
    // a few MB for a year: read whole; a line that does not parse (torn by a kill) is dropped
    const lines = readFileSync(path, 'utf8').split('\n');
    const header = parseHeader(lines[0] ?? '');
    const rows: Array<[string, unknown[]]> = [];
    for (const line of lines.slice(1)) {
      try {
        const row = JSON.parse(line) as unknown;
        if (Array.isArray(row) && typeof row[0] === 'string' && Array.isArray(row[1])) rows.push([row[0], row[1] as unknown[]]);
      } catch {
        // torn or empty line
      }
    }
    const h = header;
    // Final windows only: while a window is open, a later deployment can still finish inside a
    // saved slice (the last one reaches the window end) and add MRs its saved answer lacks.
    const usable =
      h !== null &&
      h.format === CHECKPOINT_FORMAT &&
      h.toolVersion === this.o.toolVersion &&
      h.kind === 'slices' &&
      h.windowStart === this.o.windowStart &&
      h.windowEnd === this.o.windowEnd &&
      Date.parse(h.coveredUntil) >= Date.parse(h.windowEnd);
    if (!usable) {
      rmSync(path, { force: true });
      this.found.discarded++;
      return;
    }
    for (const [key, r] of rows) this.savedSlices.set(key, r);
    this.foundBulk.slices = this.savedSlices.size;
    writeLinesAtomic(
      path,
      (function* () {
        yield JSON.stringify(h);
        for (const r of rows) yield JSON.stringify(r);
      })(),
    );
  }

  private sliceDone(key: string, rows: unknown[]): void {
    const path = this.slicesPath;
    if (!existsSync(path)) {
      mkdirSync(this.root, { recursive: true });
      appendFileSync(path, JSON.stringify(this.header('slices')) + '\n');
    }
    appendFileSync(path, JSON.stringify([key, rows]) + '\n');
  }

  /** Reads a saved file whole; null (and the file removed) when it is damaged. */
  private read<T>(path: string, entities: readonly string[], empty: () => T): Saved<T> | null {
    const header = this.usable.get(path);
    if (!header) return null;
    this.usable.delete(path);
    const data = empty() as Record<string, unknown[]>;
    let records = 0;
    let end: number | null = null;
    let first = true;
    try {
      readNdjson(path, (row) => {
        if (first) {
          first = false;
          return;
        }
        if (end !== null) throw new Error('records after the trailer');
        if (!Array.isArray(row)) {
          end = typeof (row as { end?: unknown }).end === 'number' ? ((row as { end: number }).end) : -1;
          return;
        }
        const [entity, record] = row as unknown as [string, unknown];
        const into = data[entity];
        if (!entities.includes(entity) || !into) throw new Error(`unknown entity ${String(entity)}`);
        into.push(record);
        records++;
      });
      if (end !== records) throw new Error('incomplete file (no trailer or a wrong count)');
    } catch (e) {
      this.o.log.warn(`checkpoint file ${path} is damaged and is ignored (${(e as Error).message}); its records are fetched again`);
      rmSync(path, { force: true });
      return null;
    }
    return { windowStart: header.windowStart, windowEnd: header.windowEnd, coveredUntil: header.coveredUntil, data: data as T };
  }

  savedProject(projectId: number): Saved<ProjectData> | null {
    return this.read<ProjectData>(this.projectPath(projectId), PROJECT_ENTITIES, () =>
      Object.fromEntries(PROJECT_ENTITIES.map((e) => [e, []])) as unknown as ProjectData,
    );
  }

  savedGroupList<K extends keyof GroupLists>(list: K): Saved<GroupLists[K]> | null {
    const saved = this.read<Record<string, unknown[]>>(this.listPath(list), [list], () => ({ [list]: [] }));
    return saved ? { ...saved, data: saved.data[list] as GroupLists[K] } : null;
  }

  private header(kind: Header['kind']): Header {
    return {
      format: CHECKPOINT_FORMAT,
      toolVersion: this.o.toolVersion,
      kind,
      windowStart: this.o.windowStart,
      windowEnd: this.o.windowEnd,
      coveredUntil: this.coveredUntil,
    };
  }

  private write(path: string, kind: Header['kind'], parts: Array<[string, readonly unknown[]]>): void {
    const header = this.header(kind);
    let count = 0;
    for (const [, rows] of parts) count += rows.length;
    writeLinesAtomic(
      path,
      (function* () {
        yield JSON.stringify(header);
        for (const [entity, rows] of parts) for (const r of rows) yield JSON.stringify([entity, r]);
        yield JSON.stringify({ end: count });
      })(),
    );
  }

  projectDone(projectId: number, data: ProjectData): void {
    this.write(
      this.projectPath(projectId),
      'project',
      PROJECT_ENTITIES.map((e) => [e, data[e]]),
    );
    // the complete project supersedes what was saved of it as listed
    rmSync(this.listedPath(projectId), { force: true });
  }

  savedListedProject(projectId: number): Saved<ListedProject> | null {
    const saved = this.read<Record<(typeof LISTED_ENTITIES)[number], unknown[]>>(this.listedPath(projectId), LISTED_ENTITIES, () =>
      Object.fromEntries(LISTED_ENTITIES.map((e) => [e, []])) as unknown as Record<(typeof LISTED_ENTITIES)[number], unknown[]>,
    );
    if (!saved) return null;
    const { fresh, cachedDeployments, units, ...data } = saved.data;
    return {
      ...saved,
      data: {
        data: data as unknown as ProjectData,
        fresh: fresh as ListedProject['fresh'],
        cachedDeployments: cachedDeployments as ListedProject['cachedDeployments'],
        units: units as ListedProject['units'],
      },
    };
  }

  projectListed(projectId: number, listed: ListedProject): void {
    this.write(this.listedPath(projectId), 'listed', [
      ...PROJECT_ENTITIES.map((e): [string, readonly unknown[]] => [e, listed.data[e]]),
      ['fresh', listed.fresh],
      ['cachedDeployments', listed.cachedDeployments],
      ['units', listed.units],
    ]);
  }

  groupListDone<K extends keyof GroupLists>(list: K, rows: GroupLists[K]): void {
    this.write(this.listPath(list), list, [[list, rows]]);
  }

  /** After the normal cache holds everything: the checkpoint is no longer needed. */
  clear(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export function openCheckpoint(o: CheckpointOptions): DiskCheckpoint {
  return new DiskCheckpoint(o);
}
