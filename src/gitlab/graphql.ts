/**
 * MR commits in GraphQL batches (issue 12, docs/gitlab-bulk-api.md): instead of one
 * `GET /projects/:id/merge_requests/:iid/commits` per MR, one `POST /api/graphql` asks for the
 * commits (authoredDate) of many MRs of several projects at once. The first-commit time and the
 * commit count are taken over ALL commits: an MR with more than one page is paginated.
 *
 * Limits (S:app/graphql/gitlab_schema.rb): complexity 250 for an authenticated user, 100 nodes
 * per page; a complexity (or timeout) refusal halves the batch and the run goes on; any other
 * GraphQL failure (an older GitLab without MergeRequest.commits, no endpoint) switches the rest
 * of the run to the per-item REST path, which stays the reference.
 */
import type { GitLabClient } from './client';
import { isGitLabApiError } from './errors';
import { firstAuthored } from './normalize';

export interface CommitSummary {
  firstAuthoredAt: string | null;
  count: number;
}

/** Commits asked per MR in a batch; an MR with more is paginated 100 at a time. */
const COMMITS_PER_MR = 10;
const GRAPHQL_MAX_COMPLEXITY = 250;
const PAGE = 100;

/**
 * GitLab's score of one batch query (`mrsPerProject[i]` MRs of project i, COMMITS_PER_MR commits
 * each): per project 3 + B * (M + 6) — project 1, mergeRequests connection 1 + B * (iid 1 +
 * nodes 1 + commits (1 + M + pageInfo 3 + nodes 1) ... ) + metadata 1 (graphql-ruby's connection
 * scoring; the fake computes it from the query itself). Used only to size the first batches.
 */
export function batchComplexity(mrsPerProject: number[], m = COMMITS_PER_MR): number {
  return mrsPerProject.reduce((s, b) => s + 3 + b * (m + 6), 0);
}

export interface GraphqlCommitStats {
  /** MRs whose commits came from GraphQL */
  bulk: number;
  /** MRs whose commits were read per item (REST) */
  perItem: number;
  /** batch queries sent (first pages) and follow-up pages */
  batches: number;
  followUps: number;
  /** refusals for complexity or timeout (each halves the batch) */
  refusals: number;
  /** of which after the first batch had gone through (the target: 0) */
  lateRefusals: number;
  /** MRs per batch at the end */
  batchSize: number;
  fallback: string | null;
}

interface Pending {
  path: string;
  iid: number;
  projectId: number;
  resolve: (c: CommitSummary) => void;
  reject: (e: unknown) => void;
}

interface CommitPage {
  pageInfo?: { hasNextPage?: boolean; endCursor?: string | null };
  nodes?: ({ authoredDate?: string | null } | null)[];
}

const BATCH_QUERY_HEAD = 'query';
/**
 * How long the asks of a burst are gathered before a part-full batch leaves. Asks come in
 * bursts, one per MR of a listing page; the rest of a page waits for the next page's asks.
 * On the bench's cold year (51,354 MRs, at most 15 a batch: 3,424 batches at the least), 20 ms
 * let 3,900 batches leave once listings shared the permits with the fan-out; 100 ms, 3,526
 * (BENCHMARKS.md). The last asks of a run wait at most that long.
 */
const GATHER_MS = 100;
const isRefusal = (m: string) => /complexity|timeout|timed out/i.test(m);

export class GraphqlMrCommits {
  readonly stats: GraphqlCommitStats;
  private pending: Pending[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private maxMrs: number;

  constructor(
    private readonly client: GitLabClient,
    private readonly perItem: (projectId: number, iid: number) => Promise<CommitSummary>,
  ) {
    // as many MRs of one project as GitLab's limit allows by our estimate
    let b = 1;
    while (batchComplexity([b + 1]) <= GRAPHQL_MAX_COMPLEXITY) b++;
    this.maxMrs = b;
    this.stats = { bulk: 0, perItem: 0, batches: 0, followUps: 0, refusals: 0, lateRefusals: 0, batchSize: b, fallback: null };
  }

  /** The commits of MR !iid of the project at `path` (null path: read per item). */
  get(path: string | null, projectId: number, iid: number): Promise<CommitSummary> {
    if (path === null || this.stats.fallback !== null) return this.rest(projectId, iid);
    return new Promise((resolve, reject) => {
      this.pending.push({ path, iid, projectId, resolve, reject });
      this.flush(false);
      // the rest of a burst of asks is gathered for a moment before it is sent
      if (this.pending.length > 0) this.timer ??= setTimeout(() => this.flush(true), GATHER_MS);
    });
  }

  private rest(projectId: number, iid: number): Promise<CommitSummary> {
    this.stats.perItem++;
    return this.perItem(projectId, iid);
  }

  private flush(all: boolean): void {
    if (all && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    for (;;) {
      const n = this.fitCount(this.pending);
      // a batch leaves when the next ask would not fit in it (or when the burst is over)
      if (n === 0 || (n === this.pending.length && !all)) break;
      const batch = this.pending.splice(0, n);
      if (this.calibrated === null) {
        // The first batch goes alone: a refusal adapts the size before any other batch is sent
        // (0 refusals after the first adaptation).
        this.calibrated = this.settled(batch).finally(() => (this.firstDone = true));
      } else {
        void this.calibrated.then(() => this.settled(batch));
      }
    }
  }

  /**
   * How many asks from the front of `list` one query takes: at most maxMrs MRs, and GitLab's
   * score of the query by our estimate within the budget (MRs of many projects cost more: each
   * project adds its own fields). At least one.
   */
  private fitCount(list: Pending[]): number {
    const perPath = new Map<string, number>();
    let n = 0;
    for (const p of list) {
      if (n >= this.maxMrs) break;
      perPath.set(p.path, (perPath.get(p.path) ?? 0) + 1);
      if (n > 0 && batchComplexity([...perPath.values()]) > this.budget) break;
      n++;
    }
    return n;
  }

  /** Our estimate of GitLab's score a batch may reach (halved with the batch on a refusal). */
  private budget = GRAPHQL_MAX_COMPLEXITY;

  /** Commits per follow-up page (halved on a refusal). */
  private followSize = PAGE;

  /** Settled once the first batch (and its halvings) went through. */
  private calibrated: Promise<void> | null = null;
  private firstDone = false;

  /**
   * A batch whose every ask is answered, or rejected with the error that stopped it: never a
   * promise left pending (collection would wait forever) nor an unhandled rejection.
   */
  private settled(items: Pending[]): Promise<void> {
    return this.runBatch(items).catch((e: unknown) => {
      for (const p of items) p.reject(e); // no-op for the asks already answered
    });
  }

  private settle(items: Pending[], fn: (p: Pending) => Promise<CommitSummary>): void {
    for (const p of items) fn(p).then(p.resolve, p.reject);
  }

  private async runBatch(items: Pending[]): Promise<void> {
    if (this.stats.fallback !== null) {
      this.settle(items, (p) => this.rest(p.projectId, p.iid));
      return;
    }
    const head = this.fitCount(items);
    if (head < items.length) {
      // sized before a refusal lowered the size: the first part alone (it may lower the size
      // again), then the rest at the size it leaves
      await this.runBatch(items.slice(0, head));
      let rest = items.slice(head);
      const parts: Pending[][] = [];
      while (rest.length > 0) {
        const n = this.fitCount(rest);
        parts.push(rest.slice(0, n));
        rest = rest.slice(n);
      }
      await Promise.all(parts.map((x) => this.runBatch(x)));
      return;
    }
    const byProject = new Map<string, Pending[]>();
    for (const p of items) {
      let l = byProject.get(p.path);
      if (!l) byProject.set(p.path, (l = []));
      l.push(p);
    }
    const groups = [...byProject.entries()];
    const vars: Record<string, unknown> = {};
    const parts: string[] = [];
    const decl: string[] = [];
    groups.forEach(([path, ps], i) => {
      vars[`p${i}`] = path;
      vars[`i${i}`] = ps.map((p) => String(p.iid));
      decl.push(`$p${i}: ID!, $i${i}: [String!]`);
      parts.push(
        `p${i}: project(fullPath: $p${i}) { mergeRequests(iids: $i${i}, first: ${ps.length}) { nodes { iid commits(first: ${COMMITS_PER_MR}) { pageInfo { hasNextPage endCursor } nodes { authoredDate } } } } }`,
      );
    });
    const query = `${BATCH_QUERY_HEAD}(${decl.join(', ')}) { ${parts.join(' ')} }`;
    let body: { data?: Record<string, { mergeRequests?: { nodes?: ({ iid?: string; commits?: CommitPage | null } | null)[] } } | null>; errors?: { message?: string }[] };
    try {
      this.stats.batches++;
      body = (await this.client.graphql(query, vars)).body as typeof body;
    } catch (e) {
      if (!isGitLabApiError(e)) throw e;
      this.disable(`GraphQL answered HTTP ${e.status}`);
      this.settle(items, (p) => this.rest(p.projectId, p.iid));
      return;
    }
    const errors = body?.errors ?? [];
    if (errors.length > 0) {
      const msg = errors.map((x) => x.message ?? '').join('; ');
      if (isRefusal(msg) && items.length > 1) {
        // never fails the run: half the batch, and every later batch no larger
        this.stats.refusals++;
        if (this.firstDone) this.stats.lateRefusals++;
        this.maxMrs = Math.min(this.maxMrs, Math.max(1, Math.floor(items.length / 2)));
        this.budget = Math.min(this.budget, Math.floor(batchComplexity([...byProject.values()].map((l) => l.length)) / 2));
        this.stats.batchSize = this.maxMrs;
        await this.runBatch(items);
        return;
      }
      if (isRefusal(msg)) {
        // one MR alone is too much for GitLab: that MR is read per item
        this.settle(items, (p) => this.rest(p.projectId, p.iid));
        return;
      }
      this.disable(`GraphQL answered: ${msg.slice(0, 200)}`);
      this.settle(items, (p) => this.rest(p.projectId, p.iid));
      return;
    }
    await Promise.all(
      groups.map(async ([, ps], i) => {
        const nodes = body.data?.[`p${i}`]?.mergeRequests?.nodes ?? [];
        const byIid = new Map<string, CommitPage | null | undefined>();
        for (const n of nodes) if (n?.iid !== undefined) byIid.set(n.iid, n.commits);
        await Promise.all(
          ps.map(async (p) => {
            const first = byIid.get(String(p.iid));
            try {
              // not answered (no such MR in GraphQL, or no commits connection): REST decides
              p.resolve(first ? await this.complete(p, first) : await this.rest(p.projectId, p.iid));
            } catch (e) {
              p.reject(e);
            }
          }),
        );
      }),
    );
  }

  /** Every commit page of one MR, from its first page in the batch. */
  private async complete(p: Pending, first: CommitPage): Promise<CommitSummary> {
    const commits: unknown[] = [];
    let pageOf: CommitPage = first;
    for (;;) {
      for (const n of pageOf.nodes ?? []) commits.push({ authored_date: n?.authoredDate ?? null });
      if (!pageOf.pageInfo?.hasNextPage) break;
      const next = await this.nextPage(p, pageOf.pageInfo.endCursor ?? null);
      // an incomplete answer is never used: this MR is read per item
      if (next === null) return this.rest(p.projectId, p.iid);
      pageOf = next;
    }
    this.stats.bulk++;
    return firstAuthored(commits);
  }

  /** The commits page after `cursor`; a refusal asks the same page again, smaller. Null: failed. */
  private async nextPage(p: Pending, cursor: string | null): Promise<CommitPage | null> {
    for (;;) {
      this.stats.followUps++;
      const res = await this.client.graphql(
        `query($p: ID!, $i: String!, $c: String) { project(fullPath: $p) { mergeRequest(iid: $i) { commits(first: ${this.followSize}, after: $c) { pageInfo { hasNextPage endCursor } nodes { authoredDate } } } } }`,
        { p: p.path, i: String(p.iid), c: cursor },
      );
      const b = res.body as { data?: { project?: { mergeRequest?: { commits?: CommitPage | null } | null } | null }; errors?: { message?: string }[] };
      const errors = b?.errors ?? [];
      if (errors.length > 0 && errors.some((x) => isRefusal(x.message ?? '')) && this.followSize > 1) {
        this.stats.refusals++;
        if (this.firstDone) this.stats.lateRefusals++;
        this.followSize = Math.max(1, Math.floor(this.followSize / 2));
        continue;
      }
      return errors.length > 0 ? null : (b?.data?.project?.mergeRequest?.commits ?? null);
    }
  }

  private disable(why: string): void {
    this.stats.fallback ??= `${why}: per MR`;
  }
}
