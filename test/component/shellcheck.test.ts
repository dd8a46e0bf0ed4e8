/**
 * The template's shell passes shellcheck (POSIX sh, every severity), as the runner would run
 * it: anchors resolved, a job's script lines in one shell. A planted mistake is found, so
 * the check is real.
 */
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shellcheckTemplate, templateShell } from '../../scripts/shellcheck-template';
import { REPO_ROOT } from './gitlab-ci-local';

const TEMPLATE = join(REPO_ROOT, 'templates/dora-report.yml');

describe('shellcheck on the template', () => {
  it('extracts each job’s shell with the anchors resolved', () => {
    const jobs = templateShell(readFileSync(TEMPLATE, 'utf8'));
    expect(jobs.map((j) => j.job)).toEqual(['$[[ inputs.job_name ]]-collect', '$[[ inputs.job_name ]]']);
    for (const j of jobs) {
      expect(j.script).toContain('dora_report() { npx --yes "dora-report@$version" "$@"; }'); // the shared &dora_tool block
      expect(j.script).not.toContain('$[[');
    }
    expect(jobs[1]?.script).toContain('dora_report --snapshot "$@"');
  });

  it('finds nothing in the template', () => {
    const results = shellcheckTemplate(TEMPLATE);
    expect(results.map((r) => [r.job, r.status, r.output])).toEqual(results.map((r) => [r.job, 0, '']));
  });

  it('finds a planted mistake (the shard list unquoted)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dora-shellcheck-test-'));
    try {
      const bad = readFileSync(TEMPLATE, 'utf8').replace('dora_report --snapshot "$@"', 'dora_report --snapshot $@');
      expect(bad).not.toBe(readFileSync(TEMPLATE, 'utf8'));
      writeFileSync(join(dir, 't.yml'), bad);
      const report = shellcheckTemplate(join(dir, 't.yml')).find((r) => r.job === '$[[ inputs.job_name ]]');
      expect(report?.status).toBe(1);
      expect(report?.output).toContain('SC2068'); // double quote array expansions
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
