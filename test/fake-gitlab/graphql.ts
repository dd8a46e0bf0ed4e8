/**
 * `POST /api/graphql` of the fake GitLab, for exactly the fields dora-report reads: a project's
 * merge requests by iid with their commits' authoredDate, paginated. Executed by graphql-js on a
 * schema that mirrors GitLab's names and types; refused the way GitLab refuses:
 * - complexity over 250 (authenticated: S:app/graphql/gitlab_schema.rb AUTHENTICATED_MAX_COMPLEXITY),
 *   scored as GitLab's fields and graphql-ruby's connections score (see `complexity` below);
 * - a query over 10,000 characters (S:doc/api/graphql/_index.md "Query limits"; message UNVERIFIED);
 * - a connection page over 100 nodes is capped at 100, as graphql-ruby's max page size does
 *   (S:app/graphql/gitlab_schema.rb default_max_page_size 100): not an error.
 * Errors come back with HTTP 200 and `{ errors: [{ message }] }`, as graphql-ruby answers.
 */
import { buildSchema, graphql, parse, validate, Kind, type FieldNode, type SelectionSetNode, type ValueNode } from 'graphql';
import type { FakeData, MrRec } from './model';
import { iso } from './serialize';

export const MAX_COMPLEXITY = 250;
export const MAX_QUERY_LENGTH = 10_000;
export const MAX_PAGE_SIZE = 100;

export interface GraphqlKnobs {
  /** false: an older GitLab whose MergeRequest type has no `commits` field (validation error) */
  graphqlMrCommits?: boolean;
  /** false: no GraphQL endpoint at all (404) */
  graphql?: boolean;
  /** complexity limit (default 250, GitLab's for an authenticated user): tests lower it to see refusals */
  graphqlMaxComplexity?: number;
}

const SDL = (withCommits: boolean) => `
  scalar Time
  type PageInfo { hasNextPage: Boolean! endCursor: String startCursor: String hasPreviousPage: Boolean! }
  type Commit { authoredDate: Time sha: String! }
  type CommitConnection { nodes: [Commit] pageInfo: PageInfo! count: Int! }
  type MergeRequest {
    iid: String!
    id: ID!
    ${withCommits ? 'commits(first: Int, after: String): CommitConnection' : ''}
  }
  type MergeRequestConnection { nodes: [MergeRequest] pageInfo: PageInfo! count: Int! }
  type Project {
    id: ID!
    fullPath: ID!
    mergeRequest(iid: String!): MergeRequest
    mergeRequests(iids: [String!], first: Int, after: String): MergeRequestConnection
  }
  type Query { project(fullPath: ID!): Project }
`;

/**
 * A plain field costs 1 (S:app/graphql/types/base_field.rb DEFAULT_COMPLEXITY). Its
 * `calls_gitaly` +1 (base_complexity) goes into resolver-based complexity only; a connection
 * field such as MergeRequest.commits (declared calls_gitaly, without a resolver) is scored by
 * graphql-ruby's connection formula below, which adds no own cost (INFERENCE).
 */
const CONNECTIONS = new Set(['MergeRequestConnection', 'CommitConnection']);
const FIELD_TYPE: Record<string, string> = {
  'Query.project': 'Project',
  'Project.mergeRequest': 'MergeRequest',
  'Project.mergeRequests': 'MergeRequestConnection',
  'MergeRequest.commits': 'CommitConnection',
  'MergeRequestConnection.nodes': 'MergeRequest',
  'MergeRequestConnection.pageInfo': 'PageInfo',
  'CommitConnection.nodes': 'Commit',
  'CommitConnection.pageInfo': 'PageInfo',
};

function intArg(f: FieldNode, name: string, vars: Record<string, unknown>): number | null {
  const a = f.arguments?.find((x) => x.name.value === name);
  if (!a) return null;
  const v: ValueNode = a.value;
  if (v.kind === Kind.INT) return Number(v.value);
  if (v.kind === Kind.VARIABLE) {
    const x = vars[v.name.value];
    return typeof x === 'number' ? x : null;
  }
  return null;
}

/**
 * Query complexity as graphql-ruby's legacy analysis scores GitLab's schema (INFERENCE from
 * graphql-ruby Schema::Field#calculate_complexity; GitLab sets no other mode): a plain field
 * costs its own cost plus its children; a connection field costs
 * 1 + page_size * (children - metadata) + metadata, where the page size is `first` (else 100)
 * and metadata is what `nodes`/`pageInfo` themselves cost (pageInfo: 1 + its selected fields).
 */
export function complexity(sel: SelectionSetNode | undefined, type: string, vars: Record<string, unknown>): number {
  if (!sel) return 0;
  let total = 0;
  for (const s of sel.selections) {
    if (s.kind !== Kind.FIELD) continue;
    const name = s.name.value;
    if (name === '__typename') continue;
    const childType = FIELD_TYPE[`${type}.${name}`] ?? 'Leaf';
    const child = complexity(s.selectionSet, childType, vars);
    if (CONNECTIONS.has(childType)) {
      const first = intArg(s, 'first', vars);
      const pageSize = Math.min(first ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
      let metadata = 0;
      for (const m of s.selectionSet?.selections ?? []) {
        if (m.kind !== Kind.FIELD) continue;
        metadata += 1;
        if (m.name.value !== 'nodes' && m.name.value !== 'edges') metadata += m.selectionSet?.selections.length ?? 0;
      }
      total += 1 + pageSize * (child - metadata) + metadata;
    } else {
      total += 1 + child;
    }
  }
  return total;
}

const cursorOf = (i: number) => Buffer.from(JSON.stringify({ offset: i })).toString('base64');
function offsetOf(after: unknown): number {
  if (typeof after !== 'string' || after === '') return 0;
  try {
    const o = JSON.parse(Buffer.from(after, 'base64').toString('utf8')) as { offset?: unknown };
    return typeof o.offset === 'number' ? o.offset + 1 : 0;
  } catch {
    return 0;
  }
}
function page<T>(items: T[], args: { first?: number | null; after?: string | null }) {
  const start = offsetOf(args.after);
  const size = Math.min(args.first ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
  const slice = items.slice(start, start + size);
  return {
    nodes: slice,
    count: items.length,
    pageInfo: {
      hasNextPage: start + size < items.length,
      hasPreviousPage: start > 0,
      startCursor: slice.length ? cursorOf(start) : null,
      endCursor: slice.length ? cursorOf(start + slice.length - 1) : null,
    },
  };
}

/** Answers one GraphQL request body: the JSON object GitLab would send with HTTP 200. */
export function makeGraphqlExecutor(data: FakeData, knobs: GraphqlKnobs = {}) {
  const schema = buildSchema(SDL(knobs.graphqlMrCommits !== false));
  const byPath = new Map(data.projects.map((p) => [p.pathWithNamespace, p]));
  const mrJson = (m: MrRec) => ({
    iid: String(m.iid),
    id: `gid://gitlab/MergeRequest/${m.id}`,
    commits: (args: { first?: number | null; after?: string | null }) => page(m.commits.map((c) => ({ authoredDate: iso(c.authoredAt), sha: c.sha })), args),
  });
  const rootValue = {
    project: ({ fullPath }: { fullPath: string }) => {
      const p = byPath.get(fullPath);
      if (!p) return null;
      const mrs = () => data.activity(p.id).mergeRequests;
      return {
        id: `gid://gitlab/Project/${p.id}`,
        fullPath: p.pathWithNamespace,
        mergeRequest: ({ iid }: { iid: string }) => {
          const m = mrs().find((x) => String(x.iid) === iid);
          return m ? mrJson(m) : null;
        },
        mergeRequests: (args: { iids?: string[] | null; first?: number | null; after?: string | null }) => {
          const wanted = args.iids ? new Set(args.iids) : null;
          // GitLab's default order is created_at desc (MergeRequestsFinder); by iid desc here
          const list = mrs().filter((m) => !wanted || wanted.has(String(m.iid))).sort((a, b) => b.iid - a.iid);
          return page(list.map(mrJson), args);
        },
      };
    },
  };

  return async (body: unknown): Promise<Record<string, unknown>> => {
    const b = (body ?? {}) as { query?: unknown; variables?: unknown };
    if (typeof b.query !== 'string') return { errors: [{ message: 'No query string was present' }] };
    if (b.query.length > MAX_QUERY_LENGTH) return { errors: [{ message: 'Query too large' }] };
    const vars = (b.variables && typeof b.variables === 'object' ? b.variables : {}) as Record<string, unknown>;
    let doc;
    try {
      doc = parse(b.query);
    } catch (e) {
      return { errors: [{ message: (e as Error).message }] };
    }
    const invalid = validate(schema, doc);
    if (invalid.length > 0) return { errors: invalid.map((e) => ({ message: e.message })) };
    const op = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    const score = op && op.kind === Kind.OPERATION_DEFINITION ? complexity(op.selectionSet, 'Query', vars) : 0;
    const limit = knobs.graphqlMaxComplexity ?? MAX_COMPLEXITY;
    if (score > limit) {
      // graphql-ruby's max_complexity error
      return { errors: [{ message: `Query has complexity of ${score}, which exceeds max complexity of ${limit}` }] };
    }
    const res = await graphql({ schema, source: b.query, rootValue, variableValues: vars });
    return JSON.parse(JSON.stringify(res)) as Record<string, unknown>;
  };
}
