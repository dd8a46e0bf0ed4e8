/**
 * The shell in templates/dora-report.yml, checked with shellcheck. It has to stay in the
 * template: a consumer's job runs it without a checkout of this repository, and it is what
 * picks the tool release to run. So each job's `script:` lines are extracted as the runner
 * would run them (YAML anchors resolved, the lines of a job in one shell), with the
 * `$[[ inputs.* ]]` / `$[[ component.* ]]` interpolations replaced by a sample value, and
 * checked as POSIX sh (the default image is Alpine: BusyBox sh).
 *
 *   node --import tsx scripts/shellcheck-template.ts        # exit 1 on any finding
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/** One shell script per job: its script lines, interpolations filled with sample values. */
export function templateShell(templateText: string): Array<{ job: string; script: string }> {
  const docs = parseAllDocuments(templateText);
  const jobs = docs[1]?.toJS() as Record<string, { script?: unknown[] }> | undefined;
  if (!jobs) throw new Error('the template has no job document after ---');
  return Object.entries(jobs)
    .filter(([, job]) => Array.isArray(job.script))
    .map(([job, j]) => ({
      job,
      script: [
        '#!/bin/sh',
        ...(j.script ?? []).map((line) =>
          String(line)
            // a sample released version; inputs become a word (numbers stay numbers for `[ -le ]`)
            .replace(/\$\[\[\s*component\.version\s*\]\]/g, '1.2.3')
            .replace(/\$\[\[\s*component\.reference\s*\]\]/g, '1.2.3')
            .replace(/\$\[\[\s*inputs\.(shards|months|cost_per_minute)\s*\]\]/g, '1')
            .replace(/\$\[\[\s*inputs\.([a-z_]+)\s*\]\]/g, 'input-$1'),
        ),
        '',
      ].join('\n'),
    }));
}

/** shellcheck's findings for each job's shell, '' when clean. */
export function shellcheckTemplate(templatePath: string): Array<{ job: string; output: string; status: number | null }> {
  const dir = mkdtempSync(join(tmpdir(), 'dora-shellcheck-'));
  try {
    return templateShell(readFileSync(templatePath, 'utf8')).map(({ job, script }) => {
      const file = join(dir, `${job.replace(/[^A-Za-z0-9_-]/g, '_')}.sh`);
      writeFileSync(file, script);
      const r = spawnSync('shellcheck', ['--shell=sh', '--severity=style', file], { encoding: 'utf8' });
      if (r.error) throw new Error(`shellcheck could not run (${r.error.message}); install it (apt-get install shellcheck)`);
      return { job, output: r.stdout + r.stderr, status: r.status };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const results = shellcheckTemplate(join(root, 'templates/dora-report.yml'));
  for (const r of results) console.log(`${r.job}: ${r.status === 0 ? 'clean' : `findings\n${r.output}`}`);
  process.exitCode = results.every((r) => r.status === 0) ? 0 : 1;
}
