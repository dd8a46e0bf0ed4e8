import { afterEach, describe, expect, it } from 'vitest';
import { buildScenario, startFakeGitLabHttp, type FakeData } from '../fake-gitlab';
import { runNaive } from '../../scripts/bench/naive';

const TOKEN = 'naive-token';
let close: (() => Promise<void>) | null = null;
afterEach(async () => { await close?.(); close = null; });

async function naive(data: FakeData, sampleEvery: number) {
  const fake = await startFakeGitLabHttp(data, { token: TOKEN });
  close = fake.close;
  const result = await runNaive({ url: fake.url, token: TOKEN, group: 'acme', startDate: '2026-10-01', endDate: '2026-10-31', prodEnv: 'production', sampleEvery });
  return { result, served: fake.state.total };
}

describe('naive baseline (customer sketch) request count', () => {
  it('pages until an empty page, lists jobs per pipeline, survives a deployment without a job', async () => {
    const data = buildScenario({
      projects: [
        {
          path: 'acme/a',
          bulk: { pipelines: 150, jobsPerPipeline: 2, from: '2026-10-01T00:00:00Z' },
          deployments: [{ environment: 'production', api: true, finished_at: '2026-09-15T00:00:00Z' }],
        },
        { path: 'acme/b' },
      ],
    });
    const { result, served } = await naive(data, 1);
    // projects: 2 listed + an empty page = 2
    // acme/a: deployments 1 + empty = 2; pipelines 150 -> pages of 100, 50, empty = 3;
    //         jobs per pipeline: 150 x (one page of 2 + empty) = 300; issues: empty = 1  -> 306
    // acme/b: deployments, pipelines, issues: one empty page each = 3
    // 2 + 306 + 3 = 311
    expect(result).toEqual({ requests: 311, measuredRequests: 311, projects: 2, measuredProjects: 2, extrapolated: false });
    expect(served).toBe(311);
  });

  it('extrapolates the per-project requests from a sample', async () => {
    const project = (path: string) => ({ path, bulk: { pipelines: 10, jobsPerPipeline: 1, from: '2026-10-01T00:00:00Z' } });
    const data = buildScenario({ projects: [project('acme/a'), project('acme/b')] });
    const { result } = await naive(data, 2);
    // per project: deployments 1 + pipelines (10, empty) 2 + jobs 10 x 2 = 20 + issues 1 = 24
    // measured: listing 2 + one project 24 = 26; extrapolated: 2 + 24 x 2 projects = 50
    expect(result).toEqual({ requests: 50, measuredRequests: 26, projects: 2, measuredProjects: 1, extrapolated: true });
  });
});
