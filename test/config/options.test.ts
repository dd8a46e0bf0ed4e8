/**
 * The options table (src/config/options.ts) is the one source of every input's default,
 * allowed values, range and pattern: the component's `spec:inputs` must say the same, and
 * the CLI must accept and refuse what the template's regex accepts and refuses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInputs } from '../../scripts/gen-inputs-doc';
import { OPTIONS, WIKI_PREFIX, spec } from '../../src/config/options';
import { resolveConfig } from '../../src/config/resolve';

const TEMPLATE = readFileSync(join(__dirname, '../../templates/dora-report.yml'), 'utf8');
const templateInputs = new Map(readInputs(TEMPLATE));
/** Inputs of the template that only shape the CI jobs: no CLI option reads them. */
const JOB_ONLY = ['stage', 'job_name', 'rules', 'needs', 'image', 'cache_dir', 'cache_key', 'timeout', 'tool_path'];

describe('spec:inputs against the options table', () => {
  const tableInputs = OPTIONS.filter((o) => o.input);

  it('the same inputs on both sides (the job-only ones aside)', () => {
    expect(tableInputs.map((o) => o.key).sort()).toEqual([...templateInputs.keys()].filter((k) => !JOB_ONLY.includes(k)).sort());
  });

  it.each(OPTIONS.filter((o) => o.input).map((o) => [o.key, o] as const))('%s: default, type, options and regex agree', (key, o) => {
    const t = templateInputs.get(key);
    expect(t, `template input ${key}`).toBeDefined();
    if (!t) return;
    // default: the template's value is the table's ('' for "not set"); the group has none
    if (o.value === undefined) expect('default' in t).toBe(false);
    else expect(t.default).toBe(o.value);
    expect(t.type ?? 'string').toBe(typeof o.value === 'number' ? 'number' : typeof o.value === 'boolean' ? 'boolean' : 'string');
    expect(t.options).toEqual(o.options === undefined ? undefined : [...o.options]);
    // the same pattern (compared as JavaScript parses both)
    expect(t.regex === undefined ? undefined : new RegExp(t.regex).source).toBe(o.pattern?.source);
    // a range in the table is stated in the description
    if (o.range?.max !== undefined) expect(t.description).toContain(`${o.range.min} to ${o.range.max}`);
  });

  it.each(OPTIONS.filter((o) => o.input).map((o) => [o.key, o] as const))('%s reaches the CLI as its variable in the jobs', (key, o) => {
    // a job variable (`DORA_X: $[[ inputs.x ]]`, `{ value: "$[[ inputs.x ]]" ... }`) or the script's export (`DORA_X='$[[ inputs.x ]]'`)
    expect(o.env).toBe(`DORA_${key.toUpperCase()}`);
    expect(TEMPLATE).toMatch(new RegExp(`\\b${o.env}(?::\\s*(?:\\{ value: ")?|=')\\$\\[\\[ inputs\\.${key} \\]\\]`));
  });

  it('wiki_prefix: what the template regex refuses, the CLI refuses too, and the other way round', () => {
    const cases: Array<[string, boolean]> = [
      ['dora-reports', true],
      ['reports/dora', true],
      ['.hidden/x', true],
      ['..x', true],
      ['/dora', false],
      ['dora/', false],
      ['a//b', false],
      ['a/./b', false],
      ['a/../b', false],
      ['..', false],
      ['my reports', false],
    ];
    const templateRegex = new RegExp(templateInputs.get('wiki_prefix')?.regex ?? '');
    for (const [value, ok] of cases) {
      expect(templateRegex.test(value), `template: ${value}`).toBe(ok);
      expect(WIKI_PREFIX.test(value), `table: ${value}`).toBe(ok);
      const run = () => resolveConfig({ argv: ['--group', 'acme', '--no-wiki', '--wiki-prefix', value], env: { GITLAB_TOKEN: 'x' }, nowMs: Date.UTC(2025, 5, 1), readFile: () => '' });
      if (ok) expect(run, value).not.toThrow();
      else expect(run, value).toThrow(/--wiki-prefix \/ DORA_WIKI_PREFIX/);
    }
  });

  it('currency: 1 to 10 characters without spaces on both sides', () => {
    const templateRegex = new RegExp(templateInputs.get('currency')?.regex ?? '');
    const run = (c: string) => () => resolveConfig({ argv: ['--group', 'acme', '--no-wiki', '--currency', c], env: { GITLAB_TOKEN: 'x' }, nowMs: Date.UTC(2025, 5, 1), readFile: () => '' });
    for (const [value, ok] of [['EUR', true], ['US$', true], ['ABCDEFGHIJ', true], ['ABCDEFGHIJK', false], ['US D', false]] as const) {
      expect(templateRegex.test(value), value).toBe(ok);
      if (ok) expect(run(value)).not.toThrow();
      else expect(run(value)).toThrow(/--currency \/ DORA_CURRENCY/);
    }
  });

  it('resolveConfig applies the table defaults', () => {
    const c = resolveConfig({ argv: ['--group', 'acme', '--no-wiki'], env: { GITLAB_TOKEN: 'x' }, nowMs: Date.UTC(2025, 5, 1), readFile: () => '' });
    expect(c.costPerMinute).toBe(spec('cost_per_minute').value);
    expect(c.months).toBe(spec('months').value);
    expect(c.currency).toBe(spec('currency').value);
    expect(c.environmentTier).toBe(spec('environment_tier').value);
    expect(c.teamSource).toBe(spec('team_source').value);
    expect(c.changeFailure).toBe(spec('change_failure').value);
    expect(c.incidentLabels).toEqual([spec('incident_labels').value]);
    expect(c.wikiPrefix).toBe(spec('wiki_prefix').value);
    expect(c.concurrency).toBe(spec('concurrency').value);
    expect(c.jobsRateLimitPerMinute).toBe(spec('jobs_rate_limit').value);
    expect(c.requestTimeoutMs).toBe((spec('request_timeout').value as number) * 1000);
    expect(c.maxAttempts).toBe(spec('max_attempts').value);
  });
});
