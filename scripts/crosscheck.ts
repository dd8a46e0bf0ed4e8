/**
 * Cross-check: the independent reference (test/crosscheck/reference.ts) against the
 * product's CSVs for the same snapshot.
 *
 *   node --import tsx scripts/crosscheck.ts <snapshotDir> <productMonthDir>
 *
 * Configuration = the documented input defaults (../docs/inputs.md) (tier production, UTC, 0.008/min, no runner rates,
 * change_failure deployments, incident label type::incident, hotfix (?i)hotfix, 12 months);
 * the report month is the product directory's name. Compares every CSV (extra columns such
 * as the DORA levels included) and report.json's correlations. Prints, per file and column, rows
 * compared, cells differing by more than 0.01 (or empty vs non-empty) and up to 5 examples.
 * Always exits 0: it is a report.
 */
import { basename } from 'node:path';
import { readSnapshots } from '../src/store/snapshot';
import { compareWithProduct, formatComparison } from '../test/crosscheck/compare';
import { computeReference, defaultRefConfig } from '../test/crosscheck/reference';

async function main() {
  const [snapshotDir, productDir] = process.argv.slice(2);
  if (!snapshotDir || !productDir) {
    console.log('usage: node --import tsx scripts/crosscheck.ts <snapshotDir> <productMonthDir>');
    return;
  }
  const month = basename(productDir.replace(/\/+$/, ''));
  const t0 = Date.now();
  const ds = readSnapshots([snapshotDir]);
  console.log(`loaded snapshot: ${ds.projects.length} projects, ${ds.deployments.length} deployments, ${ds.jobs.length} jobs (${Date.now() - t0} ms)`);
  const ref = computeReference(ds, defaultRefConfig(month));
  console.log(`reference computed (${Date.now() - t0} ms), month ${month}\n`);
  console.log(formatComparison(compareWithProduct(ref, productDir)));
}

main().catch((e: unknown) => {
  console.log(`crosscheck failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
});
