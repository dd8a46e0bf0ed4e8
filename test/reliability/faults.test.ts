/**
 * Fault injection over HTTP: the real CLI against the fake GitLab, with failures from the
 * fake's own knobs (429 with Retry-After, 500/502/503, 403) and from the chaos proxy in front
 * of it (resets, slow answers, truncated JSON, a project deleted mid-run, 429 without
 * Retry-After, records repeated across offset pages). Every run must either give CSVs
 * byte-identical to the clean run, or fail with exit 4 naming the endpoint; when a project
 * is skipped, the month is never presented as complete.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePortfolio, startFakeGitLabHttp, type FailureRule } from '../fake-gitlab';
import { assertWellFormedTables } from '../report/md-table';
import { startChaosProxy, type ChaosRule, type SmallPages } from './chaos-proxy';
import { csvs, runCli, type CliRun } from './cli';
import { Summary } from './summary';

const TOKEN = 'glpat-RELIABILITY-faults-5120';
const data = generatePortfolio({ teams: 2, projects: 5, months: 2, seed: 29 });
const root = mkdtempSync(join(tmpdir(), 'dora-faults-'));
const summary = new Summary('Faults during collection (HTTP)');
const MONTH = '2026-10';

// The project every fault below aims at: the first one with pipelines, deployments and jobs.
const target = data.projects.find((p) => !p.archived && data.activity(p.id).deployments.length > 0 && data.activity(p.id).jobs.length > 0)!;

function args(url: string, out: string, extra: string[] = []): string[] {
  return [
    '--gitlab-url', url, '--group', data.groups[0]!.fullPath, '--month', MONTH, '--months', '2', '--output-dir', out, '--no-wiki',
    '--rate-limit', '100000', '--jobs-rate-limit', '100000', '--concurrency', '4', '--request-timeout', '2', '--max-attempts', '4',
    ...extra,
  ];
}

interface Scenario {
  name: string;
  fault: string;
  failures?: FailureRule[];
  forbiddenProjects?: number[];
  chaos?: ChaosRule[];
  /** page size forced by the proxy so that the listings span several pages */
  smallPages?: SmallPages;
  extra?: string[];
}

// The machine has 2 cores: two CLI runs at a time (each run is a child process plus the fake
// in this worker), so that faults meet a loaded but not starved client.
let running = 0;
const waiting: (() => void)[] = [];
async function slot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= 2) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function runScenario(s: Scenario, out: string): Promise<{ run: CliRun; fakeRequests: number; hits: number[] }> {
  return slot(() => runScenarioNow(s, out));
}

async function runScenarioNow(s: Scenario, out: string): Promise<{ run: CliRun; fakeRequests: number; hits: number[] }> {
  const fake = await startFakeGitLabHttp(data, { token: TOKEN, failures: s.failures, forbiddenProjects: s.forbiddenProjects });
  const proxy = s.chaos || s.smallPages ? await startChaosProxy(fake.url, s.chaos ?? [], { smallPages: s.smallPages }) : null;
  try {
    const run = await runCli(args(proxy?.url ?? fake.url, out, s.extra), { GITLAB_TOKEN: TOKEN });
    return { run, fakeRequests: fake.state.total, hits: proxy?.hits ?? [] };
  } finally {
    await proxy?.close();
    await fake.close();
  }
}

let clean: Record<string, string>;
let cleanRequests = 0;

beforeAll(async () => {
  const r = await runScenario({ name: 'clean', fault: 'none' }, join(root, 'clean'));
  expect(r.run.code, r.run.stderr).toBe(0);
  clean = csvs(join(root, 'clean', MONTH));
  cleanRequests = r.fakeRequests;
  // the comparison means something only when the clean month has data
  expect(clean['dora_monthly.csv']?.split('\n').length).toBeGreaterThan(2);
}, 120_000);
afterAll(async () => {
  await summary.write();
  rmSync(root, { recursive: true, force: true });
});

const p = `/api/v4/projects/${target.id}`;
const SURVIVED: Scenario[] = [
  { name: '429 storm with Retry-After', fault: '4 x HTTP 429, Retry-After: 1, on project jobs', failures: [{ match: '/jobs', status: 429, times: 4, retryAfter: 1 }] },
  { name: '429 storm without Retry-After', fault: '4 x HTTP 429 on pipelines, Retry-After stripped by the proxy', failures: [{ match: '/pipelines', status: 429, times: 4 }], chaos: [{ kind: 'no-retry-after', match: /\/pipelines/ }] },
  { name: '500 burst', fault: '3 x HTTP 500 on deployments', failures: [{ match: '/deployments', status: 500, times: 3 }] },
  { name: '502 burst', fault: '3 x HTTP 502 on environments', failures: [{ match: '/environments', status: 502, times: 3 }] },
  { name: '503 burst', fault: '3 x HTTP 503 on group issues and MRs', failures: [{ match: /\/groups\/\d+\/(issues|merge_requests)/, status: 503, times: 3 }] },
  { name: 'mixed 5xx on one project', fault: '500, 502, 503 (one each) on the requests of one project', failures: [500, 502, 503].map((status) => ({ match: `/projects/${target.id}/`, status: status as 500 | 502 | 503, times: 1 })) },
  // 3 resets stay below --max-attempts 4 even when they all hit the same request
  { name: 'connection resets', fault: '3 sockets closed without an answer (group projects, jobs, pipelines)', chaos: [{ kind: 'reset', match: /\/projects\?|\/jobs\?|\/pipelines\?/, times: 3 }] },
  { name: 'answers slower than the timeout', fault: '2 answers delayed 3 s with --request-timeout 1', chaos: [{ kind: 'delay', match: /\/jobs\?/, times: 2, delayMs: 3_000 }], extra: ['--request-timeout', '1'] },
  { name: 'truncated JSON', fault: '3 bodies cut in half (deployments, jobs)', chaos: [{ kind: 'truncate', match: /\/deployments\?|\/jobs\?/, times: 3 }] },
  { name: 'small pages, no fault', fault: 'per_page 100 rewritten to 20 on every listing', smallPages: { match: /./, perPage: 20 } },
];

/**
 * GitLab offset pagination repeats a record on page N+1 when one is inserted ahead of it
 * while the listing is read. The proxy makes pages 2 and 3 of one listing start with the last
 * record of the page before; the page size is chosen so that each listing spans >= 3 pages.
 */
const shift = (what: string, listing: RegExp, perPage: number): Scenario => ({
  name: `records shift between pages: ${what}`,
  fault: `${what} listing: pages 2 and 3 repeat the last record of the page before (per_page ${perPage})`,
  smallPages: { match: listing, perPage },
  chaos: [{ kind: 'shift', match: new RegExp(`${listing.source}.*[?&]page=[23](&|$)`), times: 2 }],
});
const SHIFTED: Scenario[] = [
  shift('issues', /\/groups\/\d+\/issues\?/, 20),
  shift('merge requests', /\/groups\/\d+\/merge_requests\?/, 50),
  shift('projects', /\/groups\/\d+\/projects\?/, 2),
  shift('pipelines', new RegExp(`${p}/pipelines\\?`), 30),
  shift('deployments', new RegExp(`${p}/deployments\\?.*status=success`), 10),
];
/**
 * Known bug (src/gitlab/collect.ts, not fixed here): projects, pipelines and deployments
 * read by offset pagination are not de-duplicated by id, so the repeated record is counted
 * twice. These cases are expected to fail until collect.ts drops duplicates; when it does,
 * vitest reports them and they move out of this set.
 */
const NOT_DEDUPLICATED = new Set<string>();

const FAILED: (Scenario & { endpoint: string })[] = [
  { name: 'persistent 500', fault: `HTTP 500 on every pipelines request of project ${target.id}, --max-attempts 2`, failures: [{ match: `${p}/pipelines`, status: 500, times: 1_000 }], extra: ['--max-attempts', '2'], endpoint: `GET /projects/${target.id}/pipelines` },
  { name: 'persistent 503 on the group', fault: 'HTTP 503 on every group issues request, --max-attempts 2', failures: [{ match: /\/groups\/\d+\/issues/, status: 503, times: 1_000 }], extra: ['--max-attempts', '2'], endpoint: '/issues failed: HTTP 503' },
  { name: 'persistent resets', fault: `every jobs request of project ${target.id} reset, --max-attempts 2`, chaos: [{ kind: 'reset', match: new RegExp(`${p}/jobs\\?`) }], extra: ['--max-attempts', '2'], endpoint: `GET /projects/${target.id}/jobs` },
  { name: 'persistent timeouts', fault: `every environments request of project ${target.id} answers after 3 s, --request-timeout 0.5 --max-attempts 2`, chaos: [{ kind: 'delay', match: new RegExp(`${p}/environments\\?`), delayMs: 3_000 }], extra: ['--max-attempts', '2', '--request-timeout', '0.5'], endpoint: `GET /projects/${target.id}/environments` },
  { name: 'persistent truncated JSON', fault: `every deployments body of project ${target.id} cut in half, --max-attempts 2`, chaos: [{ kind: 'truncate', match: new RegExp(`${p}/deployments\\?`) }], extra: ['--max-attempts', '2'], endpoint: `GET /projects/${target.id}/deployments` },
];

describe.concurrent('faults survived: CSVs identical to the clean run', () => {
  it.each(SURVIVED)('$name', async (s) => {
    const out = join(root, s.name.replace(/\W+/g, '-'));
    const r = await runScenario(s, out);
    const same = r.run.code === 0 && JSON.stringify(csvs(join(out, MONTH))) === JSON.stringify(clean);
    summary.add({ scenario: s.name, input: s.fault, expected: 'exit 0, CSVs identical to the clean run', observed: `exit ${r.run.code}, CSVs ${same ? 'identical' : 'DIFFERENT'}` });
    expect(r.run.code, r.run.stderr).toBe(0);
    expect(csvs(join(out, MONTH))).toEqual(clean);
    if (s.failures) expect(r.fakeRequests).toBeGreaterThan(cleanRequests); // the faults were met and retried
    for (const h of r.hits) expect(h).toBeGreaterThan(0); // every proxy rule fired
    const report = JSON.parse(readFileSync(join(out, MONTH, 'report.json'), 'utf8')) as { run: { complete: boolean } };
    expect(report.run.complete).toBe(true);
    expect(r.run.stderr).not.toContain(TOKEN);
  });
});

describe.concurrent('records repeated across offset pages: CSVs identical to the clean run (duplicates dropped by id)', () => {
  for (const s of SHIFTED) {
    const known = NOT_DEDUPLICATED.has(s.name);
    (known ? it.fails : it)(s.name, async () => {
      const out = join(root, s.name.replace(/\W+/g, '-'));
      const r = await runScenario(s, out);
      const same = r.run.code === 0 && JSON.stringify(csvs(join(out, MONTH))) === JSON.stringify(clean);
      summary.add({
        scenario: s.name,
        input: s.fault,
        expected: 'exit 0, CSVs identical to the clean run',
        observed: `exit ${r.run.code}, ${r.hits[0] ?? 0} pages shifted, CSVs ${same ? 'identical' : 'DIFFERENT: the repeated record is counted twice (known bug: src/gitlab/collect.ts keeps duplicates)'}`,
      });
      expect(r.hits[0]).toBe(2);
      expect(r.run.code, r.run.stderr).toBe(0);
      expect(csvs(join(out, MONTH))).toEqual(clean);
    });
  }
});

describe.concurrent('faults not survived: exit 4 naming the endpoint, nothing written', () => {
  it.each(FAILED)('$name', async (s) => {
    const out = join(root, s.name.replace(/\W+/g, '-'));
    const r = await runScenario(s, out);
    const named = r.run.stderr.includes(s.endpoint);
    summary.add({ scenario: s.name, input: s.fault, expected: 'exit 4, message names the endpoint, no artifacts', observed: `exit ${r.run.code}${named ? ', endpoint named' : ', endpoint NOT named'}, ${Object.keys(csvs(join(out, MONTH))).length} CSVs` });
    expect(r.run.code, r.run.stderr).toBe(4);
    expect(r.run.stderr).toContain('collection failed (exit 4)');
    expect(r.run.stderr).toContain(s.endpoint);
    expect(csvs(join(out, MONTH))).toEqual({});
    expect(r.run.stdout).toBe('');
    expect(r.run.stderr).not.toContain(TOKEN);
  });
});

describe.concurrent('a project lost mid-run: skipped, and the month is published as incomplete', () => {
  const lost: Scenario[] = [
    { name: 'project deleted mid-run', fault: `project ${target.id} answers 404 after its first 2 requests`, chaos: [{ kind: 'gone', match: new RegExp(`${p}/`), after: 2 }] },
    { name: 'project forbidden', fault: `project ${target.id} answers 403 (access revoked)`, forbiddenProjects: [target.id] },
  ];
  it.each(lost)('$name', async (s) => {
    const out = join(root, s.name.replace(/\W+/g, '-'));
    const r = await runScenario(s, out);
    const dir = join(out, MONTH);
    const md = r.run.code === 0 ? readFileSync(join(dir, 'report.md'), 'utf8') : '';
    const json = r.run.code === 0 ? (JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { run: { complete: boolean }; data_quality: { complete: boolean; skipped_projects: { path: string; project_id: number; reason: string }[] } }) : null;
    const flagged = !!json && !json.run.complete && md.includes('Incomplete') && md.includes(target.pathWithNamespace);
    summary.add({ scenario: s.name, input: s.fault, expected: 'exit 0, project skipped and named; report.md and report.json say incomplete', observed: `exit ${r.run.code}, ${flagged ? 'marked incomplete, project named' : 'NOT marked incomplete'}` });
    expect(r.run.code, r.run.stderr).toBe(0);
    expect(r.run.stderr).toContain(`project ${target.pathWithNamespace} skipped`);
    // report.json: not complete, and names what is missing
    expect(json?.run.complete).toBe(false);
    expect(json?.data_quality.complete).toBe(false);
    expect(json?.data_quality.skipped_projects).toEqual([
      expect.objectContaining({ project_id: target.id, path: target.pathWithNamespace, reason: expect.stringMatching(/^HTTP 40[34] on GET \/projects\/:id/) }),
    ]);
    // report.md: the banner at the top and the Data quality section both say so
    assertWellFormedTables(md);
    expect(md.split('\n').slice(0, 12).join('\n')).toMatch(/Incomplete data/);
    const quality = md.slice(md.search(/^## \d+\. Data quality$/m));
    expect(quality).toContain('Incomplete: 1 project could not be read');
    expect(quality).toContain(target.pathWithNamespace);
    expect(readFileSync(join(dir, 'executive_summary.txt'), 'utf8')).toContain('WARNING: incomplete data');
    // the skipped project's rows are gone, so the month's counts differ from the clean run
    expect(csvs(dir)['dora_project_monthly.csv']).not.toContain(target.pathWithNamespace);
  });
});
