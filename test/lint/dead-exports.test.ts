import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unimportedExports } from '../../scripts/dead-exports';

const root = mkdtempSync(join(tmpdir(), 'dead-exports-'));
const write = (rel: string, text: string): void => {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
};
write('tsconfig.json', JSON.stringify({ compilerOptions: { strict: true, module: 'ESNext', moduleResolution: 'Bundler', noEmit: true }, include: ['src', 'test'] }));
write(
  'src/a.ts',
  [
    'export const used = 1;',
    'export const onlyHere = 2;',
    'export const nowhere = 3;',
    'export function tested(): number { return onlyHere; }',
    'export interface Shape { n: number }',
    'export const lazy = 4;',
    'export const viaStar = 5;',
    'export const dead = 6;',
  ].join('\n'),
);
write('src/star.ts', "export * from './a';\n");
write('src/reexport.ts', "export { used as again } from './a';\nexport { nowhere as alias } from './a';\n");
write(
  'src/b.ts',
  [
    "import { used } from './a';",
    "import type { Shape } from './a';",
    "import { again } from './reexport';",
    "export const b: Shape = { n: used + again };",
    "export async function load(): Promise<number> { return (await import('./lazy-user')).x; }",
  ].join('\n'),
);
write('src/lazy-user.ts', "export const x = 1;\n");
write('src/c.ts', "import { viaStar } from './star';\nexport const c = viaStar;\n");
write('test/a.test.ts', "import { tested } from '../src/a';\nimport { b } from '../src/b';\nimport { c } from '../src/c';\nexport const t = tested() + b.n + c;\n");

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('dead-exports', () => {
  const rows = unimportedExports(root);
  const row = (file: string, name: string) => rows.find((r) => r.file === file && r.name === name);

  it('lists exports no module imports, and says whether their own module uses them', () => {
    expect(row('src/a.ts', 'onlyHere')).toEqual({ file: 'src/a.ts', name: 'onlyHere', importers: [], ownUses: 1 });
    expect(row('src/a.ts', 'dead')?.ownUses).toBe(0);
    expect(row('src/a.ts', 'lazy')).toBeDefined();
  });

  it('counts imports, type imports, re-exports, export * and import() as uses', () => {
    expect(row('src/a.ts', 'used')).toBeUndefined();
    expect(row('src/a.ts', 'Shape')).toBeUndefined();
    expect(row('src/a.ts', 'viaStar')).toBeUndefined();
    expect(row('src/lazy-user.ts', 'x')).toBeUndefined();
    expect(row('src/reexport.ts', 'again')).toBeUndefined();
    // re-exported (as alias): the re-export is the candidate, not the declaration
    expect(row('src/a.ts', 'nowhere')).toBeUndefined();
  });

  it('reports an unused re-export where it is written, and exports only tests import', () => {
    expect(row('src/reexport.ts', 'alias')?.importers).toEqual([]);
    expect(row('src/a.ts', 'tested')?.importers).toEqual(['test/a.test.ts']);
    expect(row('src/b.ts', 'b')?.importers).toEqual(['test/a.test.ts']);
  });
});
