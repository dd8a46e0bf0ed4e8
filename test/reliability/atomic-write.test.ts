/**
 * Atomic artifacts (src/store/fs.ts writeFileAtomic: temp file + fsync + rename): a process
 * killed while it writes never leaves a truncated file where a complete one was, and its
 * temp files are dot-files, never visible artifacts.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/store/fs';
import { content, SIZE } from './atomic-writer';
import { REPO } from './cli';
import { Summary } from './summary';

const summary = new Summary('Atomic writes');
afterAll(() => summary.write());

/** Starts the writer, lets it run `ms` after it is ready, then SIGKILLs it. */
function killWhileWriting(dir: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'test/reliability/atomic-writer.ts'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), ms));
    child.on('exit', () => resolve());
  });
}

/** 'absent', 'complete v<k>' or 'TORN'. */
function state(path: string): string {
  if (!existsSync(path)) return 'absent';
  const text = readFileSync(path, 'utf8');
  const m = /\nEND (\d+)\n$/.exec(text);
  return m && text === content(Number(m[1])) ? `complete v${m[1]}` : 'TORN';
}

describe('writeFileAtomic under SIGKILL', () => {
  it('leaves the target absent or complete, never torn, over 12 kills at different moments', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dora-atomic-'));
    const target = join(dir, 'report.md');
    const seen: string[] = [];
    // Deterministic spread of kill moments (ms after start): no Math.random, same every run.
    const moments = [0, 5, 15, 30, 50, 80, 120, 170, 230, 300, 380, 470];
    for (const ms of moments) {
      const before = state(target);
      await killWhileWriting(dir, ms);
      const after = state(target);
      seen.push(after);
      expect(after, `killed after ${ms} ms`).not.toBe('TORN');
      // a complete file is never replaced by an absent one
      if (before !== 'absent') expect(after).not.toBe('absent');
    }
    const visible = readdirSync(dir).filter((f) => !f.startsWith('.'));
    const temps = readdirSync(dir).filter((f) => f.startsWith('.'));
    summary.add({
      scenario: 'SIGKILL while writing a 4 MB artifact',
      input: `${moments.length} kills at fixed moments 0-470 ms after start`,
      expected: 'target absent or complete after each kill; only dot-files left besides it',
      observed: `${seen.some((s) => s === 'TORN') ? 'TORN file seen' : 'never torn'}; visible files: ${visible.join(', ') || 'none'}`,
    });
    expect(visible.every((f) => f === 'report.md')).toBe(true);
    // the kills did land mid-write at least sometimes: leftovers are dot-files only
    for (const t of temps) expect(t).toMatch(/^\.report\.md\.\d+\.\d+\.tmp$/);
    expect(seen.filter((s) => s.startsWith('complete')).length).toBeGreaterThan(0);
    expect(SIZE).toBeGreaterThan(1_000_000);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('replaces an existing file in one step and removes its temp file when the rename fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dora-atomic-'));
    const target = join(dir, 'a.csv');
    writeFileSync(target, 'old\n');
    writeFileAtomic(target, 'new\n');
    expect(readFileSync(target, 'utf8')).toBe('new\n');
    // renaming a file over a non-empty directory fails: nothing may be left behind
    const blocked = join(dir, 'blocked');
    mkdirSync(join(blocked, 'inside'), { recursive: true });
    expect(() => writeFileAtomic(blocked, 'x')).toThrow();
    const left = readdirSync(dir).sort();
    summary.add({ scenario: 'failed write', input: 'rename over a non-empty directory', expected: 'error raised, no temp file left', observed: `left: ${left.join(', ')}` });
    expect(left).toEqual(['a.csv', 'blocked']);
  });
});
