import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { END, START, readInputs, renderInputsTable, replaceBetweenMarkers, staleFiles } from '../../scripts/gen-inputs-doc';
import { REPO_ROOT } from './gitlab-ci-local';

const TEMPLATE = readFileSync(join(REPO_ROOT, 'templates/dora-report.yml'), 'utf8');

describe('inputs documentation', () => {
  it('docs/inputs.md and the README block are regenerated after every input change', () => {
    // Fails when someone edits spec:inputs without running scripts/gen-inputs-doc.ts.
    expect(staleFiles(REPO_ROOT).map((p) => p.slice(REPO_ROOT.length + 1))).toEqual([]);
  });

  it('renders name, type, default, options / regex and description, escaping pipes and tags', () => {
    const template = [
      'spec:',
      '  inputs:',
      '    group:',
      '      description: Group to report on.',
      '    tier:',
      '      description: Tier of <env>.',
      '      default: production',
      '      options: [production, staging]',
      '    month:',
      '      type: string',
      "      default: ''",
      '      regex: ^$|^\\d{4}$',
      '      description: A | B.',
      '---',
      'job: { script: [echo] }',
      '',
    ].join('\n');
    expect(renderInputsTable(template).split('\n')).toEqual([
      '| input | type | default | options / regex | description |',
      '|---|---|---|---|---|',
      '| `group` | string | (required) |  | Group to report on. |',
      '| `tier` | string | `production` | `production`, `staging` | Tier of &lt;env&gt;. |',
      '| `month` | string | `""` | regex `^$\\|^\\d{4}$` | A \\| B. |',
    ]);
  });

  it('replaces only the text between the README markers', () => {
    const readme = `# Title\n\nintro\n\n${START}\nold table\n${END}\n\n## After\n`;
    expect(replaceBetweenMarkers(readme, 'NEW')).toBe(`# Title\n\nintro\n\n${START}\nNEW\n${END}\n\n## After\n`);
    expect(replaceBetweenMarkers('# no markers\n', 'NEW')).toBeNull();
    expect(replaceBetweenMarkers(`${START} but no end`, 'NEW')).toBeNull();
  });
});

describe('the component template', () => {
  const inputs = new Map(readInputs(TEMPLATE));

  it('declares every documented input with a description and a type', () => {
    const required = [
      'group', 'environment_tier', 'environment', 'cost_per_minute', 'runner_rates', 'currency', 'month', 'months',
      'timezone', 'team_source', 'team_file', 'change_failure', 'incident_labels', 'hotfix_pattern', 'wiki',
      'wiki_project', 'wiki_prefix', 'token_variable', 'shards', 'stage', 'job_name', 'rules', 'needs',
    ];
    for (const name of required) expect(inputs.has(name), name).toBe(true);
    for (const [name, spec] of inputs) {
      expect(spec.description, name).toMatch(/\S/);
      expect(['string', 'number', 'boolean', 'array'], name).toContain(spec.type);
    }
    expect(inputs.get('group')).not.toHaveProperty('default');
  });

  it('accepts and refuses months as the month regex says', () => {
    const month = new RegExp(inputs.get('month')?.regex ?? '');
    for (const ok of ['', '2026-01', '2026-12']) expect(month.test(ok), ok).toBe(true);
    for (const bad of ['2026-13', '2026-00', '2026-1', '26-01', '2026-01-01']) expect(month.test(bad), bad).toBe(false);
  });

  it('has no global keywords and passes no token value', () => {
    const body = parseAllDocuments(TEMPLATE)[1]?.toJS() as Record<string, unknown>;
    const globals = ['default', 'stages', 'variables', 'workflow', 'include', 'image', 'services', 'cache', 'before_script', 'after_script'];
    expect(Object.keys(body).filter((k) => globals.includes(k))).toEqual([]);
    expect(TEMPLATE).not.toMatch(/TOKEN:\s*\$/);
  });
});
