import { describe, expect, it } from 'vitest';
import { baselineDeploymentIds } from '../../src/model/baseline';
import type { DeploymentRecord, EnvironmentBaselineRecord } from '../../src/model/types';

const dep = (id: number, environmentId: number, finishedAt: string, status: DeploymentRecord['status'] = 'success'): DeploymentRecord => ({
  id, iid: id, projectId: 1, environmentId, environmentName: `env${environmentId}`, status, ref: 'main', sha: `s${id}`,
  createdAt: finishedAt, updatedAt: finishedAt, finishedAt, pipelineId: id, commitAuthoredAt: null,
});
const base = (environmentId: number, hasEarlierSuccess: boolean): EnvironmentBaselineRecord => ({
  projectId: 1, environmentId, environmentName: `env${environmentId}`, hasEarlierSuccess, lastSha: null, lastFinishedAt: null,
});

describe('the baseline rule (one function for the collector and the metrics)', () => {
  it("is each fresh environment's first successful deployment by finish time, then id", () => {
    const ids = baselineDeploymentIds(
      [
        dep(1, 10, '2025-03-02T00:00:00Z', 'failed'), // failed: never a baseline
        dep(3, 10, '2025-03-03T00:00:00Z'),
        dep(2, 10, '2025-03-03T00:00:00Z'), // same finish as 3, lower id: the baseline
        dep(4, 10, '2025-03-04T00:00:00Z'),
        dep(5, 20, '2025-03-01T00:00:00Z'), // env 20 had an earlier success: no baseline
        dep(6, 30, '2025-03-01T00:00:00Z'), // env 30 has no look-up record: no baseline
        dep(8, 40, '2025-03-05T10:00:00+02:00'), // 08:00Z
        dep(7, 40, '2025-03-05T09:00:00Z'),
      ],
      [base(10, false), base(20, true), base(40, false)],
    );
    expect([...ids].sort((a, b) => a - b)).toEqual([2, 8]);
  });
});
