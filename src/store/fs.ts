/**
 * File writes are atomic: content goes to a temp file in the same directory, is flushed,
 * then renamed over the target, so a killed process never leaves a truncated file in place
 * of a complete one.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';

let counter = 0;

/** Runs `write` on a temp file beside `path`, flushes it, then renames it over `path`. */
function atomically(path: string, write: (fd: number) => void): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${++counter}.tmp`);
  try {
    const fd = openSync(tmp, 'w');
    try {
      write(fd);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  atomically(path, (fd) => {
    if (typeof content === 'string') {
      writeSync(fd, content);
      return;
    }
    // writeSync may write less than asked: loop until every byte is out.
    for (let off = 0; off < content.length; ) off += writeSync(fd, content, off, content.length - off);
  });
}

/**
 * Atomic write of many lines without building one big string: a year of jobs is ~300 MB
 * of NDJSON. Lines go to the temp file in ~1 MB batches.
 */
export function writeLinesAtomic(path: string, lines: Iterable<string>): void {
  atomically(path, (fd) => {
    let batch: string[] = [];
    let size = 0;
    for (const line of lines) {
      batch.push(line);
      size += line.length + 1;
      if (size >= 1 << 20) {
        writeSync(fd, batch.join('\n') + '\n');
        batch = [];
        size = 0;
      }
    }
    if (batch.length) writeSync(fd, batch.join('\n') + '\n');
  });
}

/** Temp files left by a killed run (`.<name>.<pid>.<n>.tmp`) are removed before writing anew. */
export function removeStaleTemps(dir: string): number {
  if (!existsSync(dir)) return 0;
  let removed = 0;
  for (const name of readdirSync(dir)) {
    if (/^\..+\.\d+\.\d+\.tmp$/.test(name)) {
      rmSync(join(dir, name), { force: true });
      removed++;
    }
  }
  return removed;
}

/** Each file of `files` written atomically into `dir`, in name order. */
export function writeFilesAtomic(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [name, content] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) writeFileAtomic(join(dir, name), content);
}

/** The named files of `dir` removed where they exist. */
export function removeFiles(dir: string, names: string[]): void {
  for (const name of names) rmSync(join(dir, name), { force: true });
}
