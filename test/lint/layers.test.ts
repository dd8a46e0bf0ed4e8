/**
 * The layer rules of eslint.config.mjs catch a forbidden import (value or type) and let an
 * allowed one through: linted as text at the path it would have, so nothing is written.
 */
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

describe('layer rules', () => {
  it('metrics may not import gitlab (even a type), store, report or publish; config and model are fine', async () => {
    const errors = await layerErrors(
      'src/metrics/example.ts',
      [
        "import type { GitLabClient } from '../gitlab/client';",
        "import { readSnapshots } from '../store/snapshot';",
        "import { renderArtifacts } from '../report';",
        "import { isProductionEnvironment } from '../config/production';",
        "import { sortDataset } from '../model/types';",
        'export const x: unknown[] = [readSnapshots, renderArtifacts, isProductionEnvironment, sortDataset, null as unknown as GitLabClient];',
      ].join('\n'),
    );
    expect(errors).toHaveLength(3);
    expect(errors[0]).toContain('must not depend on src/gitlab');
    expect(errors[1]).toContain('must not depend on src/store');
    expect(errors[2]).toContain('must not depend on src/report');
  });

  it('gitlab and store may not import metrics; store may use gitlab types only; report may not import gitlab', async () => {
    expect(await layerErrors('src/gitlab/example.ts', "import { doraLevels } from '../metrics/levels';\nexport const x = doraLevels;")).toHaveLength(1);
    expect(await layerErrors('src/store/example.ts', "import { computeMetrics } from '../metrics/compute';\nexport const x = computeMetrics;")).toHaveLength(1);
    expect(await layerErrors('src/store/example.ts', "import type { Saved } from '../gitlab/collect';\nexport type X = Saved;")).toEqual([]);
    expect(await layerErrors('src/store/example.ts', "import { collect } from '../gitlab/collect';\nexport const x = collect;")).toHaveLength(1);
    expect(await layerErrors('src/report/example.ts', "import { Transport } from '../gitlab/transport';\nexport const x = Transport;")).toHaveLength(1);
  });
});
