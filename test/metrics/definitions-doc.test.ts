/**
 * Each metric's reader-facing definition is written once, next to its code, and reaches
 * report.md, executive_summary.txt and the README from there.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CFR_DEPLOYMENTS_DEFINITION, DEPLOYMENT_DEFINITION } from '../../src/metrics/deployments';
import { CFR_INCIDENTS_DEFINITION, MTTR_DEFINITION } from '../../src/metrics/incidents';
import { LEAD_TIME_DEFINITION } from '../../src/metrics/lead-time';
import { DEPLOYMENT_FREQUENCY_LEVEL_DEFINITION } from '../../src/metrics/levels';
import { PIPELINE_DURATION_DEFINITION } from '../../src/metrics/pipelines';
import { renderArtifacts } from '../../src/report';
import { expectedFiles, staleFiles } from '../../scripts/gen-inputs-doc';
import { fixtureContext, fixtureResult } from '../report/fixture';

const ROOT = resolve(__dirname, '../..');
const ALL = [
  DEPLOYMENT_DEFINITION,
  CFR_DEPLOYMENTS_DEFINITION,
  CFR_INCIDENTS_DEFINITION,
  LEAD_TIME_DEFINITION,
  MTTR_DEFINITION,
  DEPLOYMENT_FREQUENCY_LEVEL_DEFINITION,
  PIPELINE_DURATION_DEFINITION,
];

describe("metrics' reader-facing definitions", () => {
  it('report.md lists them in Data quality; the summary states the headline CFR', () => {
    const ctx = fixtureContext();
    const files = renderArtifacts(fixtureResult(), ctx);
    for (const text of [DEPLOYMENT_DEFINITION, CFR_DEPLOYMENTS_DEFINITION, LEAD_TIME_DEFINITION, MTTR_DEFINITION, DEPLOYMENT_FREQUENCY_LEVEL_DEFINITION, PIPELINE_DURATION_DEFINITION])
      expect(files['report.md'], text).toContain(text);
    expect(files['executive_summary.txt']).toContain(`Change failure rate = ${CFR_DEPLOYMENTS_DEFINITION}.`);
    const incidents = renderArtifacts(fixtureResult(), { ...ctx, definitions: { ...ctx.definitions, changeFailure: 'incidents' } });
    expect(incidents['report.md']).toContain(`Change failure rate (incidents) = ${CFR_INCIDENTS_DEFINITION}.`);
  });

  it('the README table is generated from them and follows a change', () => {
    const readme = expectedFiles(ROOT).find((f) => f.path.endsWith('README.md'))?.content ?? '';
    for (const text of ALL) expect(readme, text).toContain(`| ${text} |`);
    expect(staleFiles(ROOT).map((p) => p.slice(ROOT.length + 1))).toEqual([]);
    const changed = [{ metric: 'MTTR', anchor: 'time-to-restore', text: 'mean restore time (changed)' }];
    expect(staleFiles(ROOT, undefined, { definitions: changed }).map((p) => p.slice(ROOT.length + 1))).toEqual(['README.md']);
    const after = expectedFiles(ROOT, undefined, { definitions: changed }).find((f) => f.path.endsWith('README.md'))?.content ?? '';
    expect(after).toContain('| [MTTR](docs/definitions.md#time-to-restore) | mean restore time (changed) |');
    expect(after).not.toContain(`| ${LEAD_TIME_DEFINITION} |`);
  });
});
