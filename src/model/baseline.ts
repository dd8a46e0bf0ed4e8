/**
 * The baseline rule (../../docs/definitions.md#baseline-deployment), written once for the
 * collector (which does not read a baseline's commits) and the metrics (which ship no
 * change from it).
 */
import type { DeploymentRecord, EnvironmentBaselineRecord } from './types';

/**
 * Ids of the baseline deployments: for each environment whose look-up found no successful
 * deployment before the window, its first successful deployment (by finish time, then id).
 * SPEC-CHOICE: an environment without a baseline record has no baseline, because skipping
 * the changes of a real deployment is worse than a missing look-up.
 */
export function baselineDeploymentIds(
  deployments: Iterable<DeploymentRecord>,
  baselines: Iterable<EnvironmentBaselineRecord>,
): Set<number> {
  const fresh = new Set<number>();
  for (const b of baselines) if (!b.hasEarlierSuccess) fresh.add(b.environmentId);
  const first = new Map<number, DeploymentRecord>();
  for (const d of deployments) {
    if (d.status !== 'success' || !fresh.has(d.environmentId)) continue;
    const cur = first.get(d.environmentId);
    if (cur === undefined || (Date.parse(d.finishedAt) - Date.parse(cur.finishedAt) || d.id - cur.id) < 0) first.set(d.environmentId, d);
  }
  return new Set([...first.values()].map((d) => d.id));
}
