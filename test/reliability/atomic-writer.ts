/**
 * Child process for atomic-write.test.ts: rewrites one large file forever with
 * writeFileAtomic until it is killed. Version k is `k` repeated over SIZE bytes, then an end
 * marker naming k, so a reader can tell a complete file from a torn one.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/store/fs';

export const SIZE = 4_000_000;

export function content(version: number): string {
  const unit = `${version};`;
  return unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE) + `\nEND ${version}\n`;
}

// Only when run as the child process, never when the test imports `content`.
const dir = process.argv[1]?.endsWith('atomic-writer.ts') ? process.argv[2] : undefined;
if (dir) {
  process.stdout.write('ready\n');
  for (let v = 1; ; v++) writeFileAtomic(join(dir, 'report.md'), content(v));
}
