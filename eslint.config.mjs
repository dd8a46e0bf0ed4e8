import tseslint from 'typescript-eslint';

/**
 * The layers (README "Development"): src/config → src/gitlab (the only HTTP code) →
 * src/model → src/store → src/metrics (pure) → src/report → src/publish. Each folder lists
 * the folders it must never import; `import type` counts too, except where noted.
 */
const forbid = (...folders) =>
  folders.map((f) => ({
    group: [`../${f}`, `../${f}/*`, `../../src/${f}`, `../../src/${f}/*`],
    message: `layer rule: this folder must not depend on src/${f} (see eslint.config.mjs)`,
  }));

const layer = (folder, patterns) => ({
  files: [`src/${folder}/**/*.ts`],
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'reports/**', 'coverage/**', '.tmp/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  // metrics are pure: no HTTP, no disk, no rendering
  layer('metrics', forbid('gitlab', 'store', 'publish', 'report')),
  // the report renders results; it never talks to GitLab
  layer('report', forbid('gitlab', 'store', 'publish')),
  // collection and storage know records, not metrics or their rendering
  layer('gitlab', forbid('metrics', 'store', 'report', 'publish')),
  layer('store', [
    ...forbid('metrics', 'report', 'publish'),
    // the checkpoint stores what the collector hands it: its types only
    { group: ['../gitlab', '../gitlab/*'], allowTypeImports: true, message: 'layer rule: src/store may use src/gitlab types only' },
  ]),
  // records and configuration are the bottom: they import nothing of the layers above
  layer('model', forbid('config', 'gitlab', 'store', 'metrics', 'report', 'publish')),
  layer('config', forbid('gitlab', 'model', 'store', 'metrics', 'report', 'publish')),
);
