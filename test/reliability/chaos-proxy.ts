/**
 * A small HTTP proxy in front of the fake GitLab that injects the faults the fake itself
 * cannot: connection resets, answers slower than the client's per-request timeout,
 * truncated JSON, a project that disappears mid-run, Retry-After headers dropped from 429s,
 * and records that shift between consecutive offset pages (GitLab's offset pagination
 * repeats a record on the next page when one is inserted ahead of it mid-listing).
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ChaosKind =
  /** close the socket without answering */
  | 'reset'
  /** answer after `delayMs` */
  | 'delay'
  /** send only the first half of the body (with a matching content-length: valid HTTP, broken JSON) */
  | 'truncate'
  /** answer 404 Project Not Found, as GitLab does for a deleted project */
  | 'gone'
  /** pass a 429 on without its Retry-After header */
  | 'no-retry-after'
  /** page N >= 2 of an offset listing also carries the last record of page N-1 */
  | 'shift';

export interface ChaosRule {
  kind: ChaosKind;
  /** tested against path + query below the host, e.g. /api/v4/projects/3/pipelines?page=2 */
  match: RegExp;
  /** let this many matching requests through untouched first (e.g. deleted after N requests) */
  after?: number;
  /** hit at most this many matching requests (default: all) */
  times?: number;
  delayMs?: number;
}

export interface ChaosProxy {
  url: string;
  /** requests each rule actually disturbed, by rule index */
  hits: number[];
  close(): Promise<void>;
}

interface Upstream {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

function forward(target: URL, req: IncomingMessage, path: string, body: Buffer): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: target.host };
    delete headers['content-length'];
    const up = httpRequest(
      { hostname: target.hostname, port: target.port, path, method: req.method, headers: { ...headers, 'content-length': String(body.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers as Record<string, string | string[]>, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    up.on('error', reject);
    up.end(body);
  });
}

function send(res: ServerResponse, status: number, headers: Record<string, string | string[]>, body: Buffer): void {
  const h: Record<string, string | string[]> = { ...headers, 'content-length': String(body.length) };
  delete h['transfer-encoding'];
  delete h.connection;
  delete h['keep-alive'];
  res.writeHead(status, h);
  res.end(body);
}

export interface SmallPages {
  /** the listings whose page size is rewritten, e.g. /\/projects\/3\/pipelines\?/ */
  match: RegExp;
  perPage: number;
}

/**
 * `smallPages` rewrites the collector's per_page=100 on the matching listings so that a small
 * data set spans several pages; the fake's Link headers then carry the small size and every
 * later page follows it.
 */
export async function startChaosProxy(
  targetUrl: string,
  rules: ChaosRule[],
  opts: {
    smallPages?: SmallPages;
    /** rewrites every successful JSON answer, to craft API objects the fake does not produce */
    rewrite?: (path: string, body: unknown) => unknown;
  } = {},
): Promise<ChaosProxy> {
  const target = new URL(targetUrl);
  const seen = rules.map(() => 0);
  const hits = rules.map(() => 0);

  const pick = (path: string): { rule: ChaosRule; index: number } | null => {
    for (const [index, rule] of rules.entries()) {
      if (!rule.match.test(path)) continue;
      seen[index] = (seen[index] ?? 0) + 1;
      if ((seen[index] ?? 0) <= (rule.after ?? 0)) continue;
      if ((hits[index] ?? 0) >= (rule.times ?? Number.POSITIVE_INFINITY)) continue;
      hits[index] = (hits[index] ?? 0) + 1;
      return { rule, index };
    }
    return null;
  };

  const server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks);
      let path = req.url ?? '/';
      const small = opts.smallPages;
      if (small && small.match.test(path)) path = path.replace(/([?&]per_page=)100(?=&|$)/, `$1${small.perPage}`);
      const chosen = pick(path);
      const kind = chosen?.rule.kind;
      if (kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (kind === 'gone') {
        send(res, 404, { 'content-type': 'application/json' }, Buffer.from(JSON.stringify({ message: '404 Project Not Found' })));
        return;
      }
      if (kind === 'delay') await new Promise((r) => setTimeout(r, chosen?.rule.delayMs ?? 5_000));
      if (res.destroyed) return;
      const up = await forward(target, req, path, body);
      if (kind === 'truncate') {
        send(res, up.status, up.headers, up.body.subarray(0, Math.floor(up.body.length / 2)));
        return;
      }
      if (kind === 'no-retry-after' && up.status === 429) {
        const h = { ...up.headers };
        delete h['retry-after'];
        send(res, up.status, h, up.body);
        return;
      }
      if (kind === 'shift') {
        const u = new URL(path, 'http://x');
        const page = Number(u.searchParams.get('page') ?? '1');
        if (page >= 2 && up.status === 200) {
          u.searchParams.set('page', String(page - 1));
          const prev = await forward(target, req, u.pathname + u.search, Buffer.alloc(0));
          const before = JSON.parse(prev.body.toString('utf8')) as unknown[];
          const items = JSON.parse(up.body.toString('utf8')) as unknown[];
          const last = before[before.length - 1];
          const shifted = last === undefined ? items : [last, ...items];
          send(res, up.status, up.headers, Buffer.from(JSON.stringify(shifted)));
          return;
        }
      }
      const json = String(up.headers['content-type'] ?? '').startsWith('application/json');
      if (opts.rewrite && up.status < 300 && json) {
        const body = opts.rewrite(path, JSON.parse(up.body.toString('utf8')));
        send(res, up.status, up.headers, Buffer.from(JSON.stringify(body)));
        return;
      }
      send(res, up.status, up.headers, up.body);
    })().catch(() => {
      if (!res.headersSent) send(res, 502, { 'content-type': 'text/plain' }, Buffer.from('chaos proxy: upstream failed'));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    hits,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
