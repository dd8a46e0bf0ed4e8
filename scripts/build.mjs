// Bundles the CLI into one CommonJS file with no runtime dependencies (dist/dora-report.cjs).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: ['src/cli.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: 'dist/dora-report.cjs',
  banner: { js: '#!/usr/bin/env node' },
  define: { __DORA_VERSION__: JSON.stringify(pkg.version) },
  loader: { '.hbs': 'text' },
  legalComments: 'none',
  logLevel: 'warning',
});
