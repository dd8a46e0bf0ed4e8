/**
 * MR commits in GraphQL batches (issue 12): the fake's complexity scoring worked out by hand,
 * and collections of small scenarios both ways (per item / bulk) with identical records.
 */
import { parse, Kind, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { GitLabClient } from '../../src/gitlab/client';
import { batchComplexity, GraphqlMrCommits } from '../../src/gitlab/graphql';
import { buildScenario, type Knobs, type ScenarioSpec } from '../fake-gitlab';
import { complexity, makeGraphqlExecutor } from '../fake-gitlab/graphql';
import { collectOverHttp } from './over-http';

describe('GraphQL complexity as GitLab scores it', () => {
  it('a batch of 2 MRs with 10 commits each: 35', () => {
    // commits (connection): children pageInfo 1+2 and nodes 1+1 = 5, metadata 3+1 = 4 -> 1 + 10*(5-4) + 4 = 15
    // MR node: iid 1 + commits 15 = 16; mergeRequests (connection): children nodes 1+16 = 17, metadata 1 -> 1 + 2*16 + 1 = 34
    // project: 1 + 34 = 35
    const op = parse(
      'query($p: ID!) { project(fullPath: $p) { mergeRequests(iids: ["1", "2"], first: 2) { nodes { iid commits(first: 10) { pageInfo { hasNextPage endCursor } nodes { authoredDate } } } } } }',
    ).definitions[0] as OperationDefinitionNode;
    expect(op.kind).toBe(Kind.OPERATION_DEFINITION);
    expect(complexity(op.selectionSet, 'Query', {})).toBe(35);
    expect(batchComplexity([2])).toBe(35);
    // 15 MRs of one project: 3 + 15*16 = 243 <= 250; 16 would be 259
    expect(batchComplexity([15])).toBe(243);
    expect(batchComplexity([16])).toBe(259);
  });

  it('first: from a variable, and the 100-node page cap', () => {
    const op = parse('query($n: Int) { project(fullPath: "a/b") { mergeRequest(iid: "1") { commits(first: $n) { nodes { authoredDate } } } } }')
      .definitions[0] as OperationDefinitionNode;
    // commits: children nodes 1+1 = 2, metadata 1 -> 1 + n*1 + 1; mergeRequest 1 + that; project 1 + that
    expect(complexity(op.selectionSet, 'Query', { n: 40 })).toBe(44);
    expect(complexity(op.selectionSet, 'Query', { n: 500 })).toBe(104);
  });
});

// ---------- over HTTP ----------

const TOKEN = 'tok-123';
const WINDOW = { start: '2026-10-01T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z' };

function collectOnce(spec: ScenarioSpec, mode: 'bulk' | 'per-item', knobs: Knobs = {}) {
  return collectOverHttp(buildScenario(spec), { token: TOKEN, window: WINDOW, config: { collect: mode }, knobs });
}

const day = (d: number, h = 8) => `2026-10-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00Z`;
/** 20 MRs over 2 projects, shipped by 4 deployments; MR !1 of each project has 23 commits (a GraphQL follow-up page) */
function spec(): ScenarioSpec {
  const mrs = (n: number) =>
    Array.from({ length: n }, (_, k) => ({
      iid: k + 1,
      created_at: day(2 + k),
      merged_at: day(2 + k, 12),
      commits: Array.from({ length: k === 0 ? 23 : 1 + (k % 3) }, (_, c) => ({ authored_date: `2026-09-${String(10 + (c % 19)).padStart(2, '0')}T0${c % 10}:00:00Z` })),
    }));
  const deploys = (base: number, n: number) => [
    { id: base, environment: 'production', finished_at: '2026-09-20T10:00:00Z', mrs: [] },
    { id: base + 1, environment: 'production', finished_at: day(25, 10), mrs: Array.from({ length: Math.ceil(n / 2) }, (_, k) => k + 1) },
    { id: base + 2, environment: 'production', finished_at: day(27, 10), mrs: Array.from({ length: n - Math.ceil(n / 2) }, (_, k) => Math.ceil(n / 2) + k + 1) },
  ];
  return {
    projects: [
      { id: 1, path: 'acme/team-a/api', mergeRequests: mrs(12), deployments: deploys(100, 12) },
      { id: 2, path: 'acme/team-b/web', mergeRequests: mrs(8), deployments: deploys(200, 8) },
    ],
  };
}
const COMMITS = 'GET /projects/:id/merge_requests/:iid/commits';
const GRAPHQL = 'POST /api/graphql';

describe('MR commits in GraphQL batches, over HTTP', () => {
  it('every MR\'s first commit time and commit count as the per-MR REST listing gives them, in 2 batches and 2 follow-up pages', async () => {
    const perItem = await collectOnce(spec(), 'per-item');
    const bulk = await collectOnce(spec(), 'bulk');
    const api1 = perItem.ds.deploymentMergeRequests.find((m) => m.mrProjectId === 1 && m.mrIid === 1)!;
    // 23 commits authored 2026-09-10..28; the earliest: 2026-09-10T00:00 (commit 0)
    expect(api1).toMatchObject({ commitCount: 23, firstCommitAuthoredAt: '2026-09-10T00:00:00.000Z' });
    expect(bulk.ds.deploymentMergeRequests).toEqual(perItem.ds.deploymentMergeRequests);
    expect(perItem.requests[COMMITS]).toBe(20);
    expect(bulk.requests[COMMITS] ?? 0).toBe(0);
    // 20 MRs asked at once: a batch of 15 (3 + 15*16 = 243 <= 250 for one project; less spread over
    // two) and one of 5, plus one follow-up page each for api !1 and web !1 (23 commits: 10 + 13)
    expect(bulk.requests[GRAPHQL]).toBe(4);
    expect(bulk.ds.meta.collectionPaths?.merge_request_commits).toEqual({ path: 'bulk', bulk: 20, perItem: 0 });
  });

  it('a complexity refusal halves the batch and never fails the run; no refusal after the first adaptation', async () => {
    const perItem = await collectOnce(spec(), 'per-item');
    // limit 100: 15 MRs (>= 243) refused, 7 (>= 115) refused, 3 (<= 3 * 19 = 57) accepted
    const bulk = await collectOnce(spec(), 'bulk', { graphqlMaxComplexity: 100 });
    expect(bulk.ds.deploymentMergeRequests).toEqual(perItem.ds.deploymentMergeRequests);
    expect(bulk.ds.meta.collectionPaths?.merge_request_commits).toEqual({ path: 'bulk', bulk: 20, perItem: 0 });
    // The first batch alone: 15 refused, its first 7 refused, then batches of 3: the 15 as
    // 3, 3, 1 (rest of the 7) and 3, 3, 2 (the other 8), the last 5 as 3, 2 -> 2 refused + 8.
    // Follow-ups: 100 commits costs 107 > 100, refused; 50 (57) then serves both long MRs -> 3.
    expect(bulk.requests[GRAPHQL]).toBe(2 + 8 + 3);
  });

  it('an older GitLab without MergeRequest.commits: one refused query, then per MR, same records', async () => {
    const perItem = await collectOnce(spec(), 'per-item');
    const bulk = await collectOnce(spec(), 'bulk', { graphqlMrCommits: false });
    expect(bulk.ds.deploymentMergeRequests).toEqual(perItem.ds.deploymentMergeRequests);
    expect(bulk.requests[GRAPHQL]).toBe(1);
    expect(bulk.requests[COMMITS]).toBe(20);
    const path = bulk.ds.meta.collectionPaths?.merge_request_commits;
    expect(path).toMatchObject({ path: 'per-item', bulk: 0, perItem: 20 });
    expect(path?.fallback).toContain('Cannot query field "commits" on type "MergeRequest"');
  });
});

describe('GraphQL batches of MRs from many projects', () => {
  // 15 projects with one MR each (2 commits): each project adds its own fields to the query
  const many = buildScenario({
    projects: Array.from({ length: 15 }, (_, i) => ({
      id: i + 1, path: `acme/team-${i}/svc`,
      mergeRequests: [{ iid: 1, created_at: day(3), merged_at: day(3, 12), commits: [{ authored_date: day(2, 9) }, { authored_date: day(1, 9) }] }],
    })),
  });
  function reader(knobs: { graphqlMaxComplexity?: number } = {}) {
    const answer = makeGraphqlExecutor(many, knobs);
    const queries: number[] = [];
    const client = {
      graphql: async (query: string, variables: Record<string, unknown>) => {
        queries.push(Object.keys(variables).filter((k) => k.startsWith('i')).length);
        return { status: 200, headers: {}, body: await answer({ query, variables }) };
      },
    } as unknown as GitLabClient;
    const r = new GraphqlMrCommits(client, () => Promise.reject(new Error('no per-item read expected')));
    const all = Promise.all(Array.from({ length: 15 }, (_, i) => r.get(`acme/team-${i}/svc`, i + 1, 1)));
    return { r, queries, all };
  }

  it('a batch holds as many projects as the complexity budget allows: 13 (13 x 19 = 247 <= 250), then 2', async () => {
    const { r, queries, all } = reader();
    const got = await all;
    expect(got.every((c) => c.count === 2 && c.firstAuthoredAt === '2026-10-01T09:00:00.000Z')).toBe(true);
    expect(queries).toEqual([13, 2]);
    expect(r.stats).toMatchObject({ bulk: 15, perItem: 0, refusals: 0 });
  });

  it('an MR GraphQL does not answer is read per item, and a failing per-item read rejects that ask instead of leaving it pending', async () => {
    // GraphQL answers every project without MRs (a deleted MR); the REST read then answers 404.
    const client = {
      graphql: async (_q: string, variables: Record<string, unknown>) => ({
        status: 200,
        headers: {},
        body: { data: Object.fromEntries(Object.keys(variables).filter((k) => k.startsWith('p')).map((k) => [k, { mergeRequests: { nodes: [] } }])) },
      }),
    } as unknown as GitLabClient;
    const gone = new Error('HTTP 404 on GET /projects/:id/merge_requests/:iid/commits');
    const r = new GraphqlMrCommits(client, () => Promise.reject(gone));
    const asks = [r.get('acme/a', 1, 1), r.get('acme/b', 2, 1)];
    for (const a of asks) await expect(a).rejects.toBe(gone);
  });

  it('with a limit of 100: the first batch is halved until it passes, then no refusal', async () => {
    // 13 (247) refused; 6 (114) refused; then 3 (57): 3 + 3 for the 6, 3 + 3 + 1 for the other 7; the last 2 (38)
    const { r, queries, all } = reader({ graphqlMaxComplexity: 100 });
    await all;
    expect(queries).toEqual([13, 6, 3, 3, 3, 3, 1, 2]);
    expect(r.stats).toMatchObject({ bulk: 15, perItem: 0, refusals: 2, lateRefusals: 0, batchSize: 3 });
  });
});
