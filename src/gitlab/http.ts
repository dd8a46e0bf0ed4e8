/**
 * The wire under Transport: node:http / node:https over keep-alive agents.
 *
 * Why not fetch: undici's fetch builds a Request, Headers, a WHATWG stream and an
 * AbortSignal per call and reads the body through that stream. On a 226 KB job page that is
 * ~0.33 ms more CPU than node:http, and at hundreds of requests a second the client's event
 * loop is what keeps requests waiting (../../docs/collection.md#the-wire). The body is read here as bytes; Transport parses it once
 * the request's concurrency permit is given back.
 *
 * What fetch did for us and this does too:
 * - compressed answers: `accept-encoding: gzip` is sent and a gzip body is inflated;
 * - redirects: followed only to the same host (an http:// URL answered with https:// is
 *   the usual case). A redirect elsewhere is not followed: the token travels in a
 *   PRIVATE-TOKEN header, which fetch would have sent on to any host; the 3xx comes back
 *   to Transport, whose error names where GitLab points;
 * - one timeout per attempt, covering the answer and its whole body.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { Logger } from '../log';

export interface RawResponse {
  status: number;
  /** Lower-case names; a repeated header's values joined with ", ". */
  headers: Record<string, string>;
  /** The whole body as text (inflated when the server compressed it). */
  text(): Promise<string>;
  /** Drops the body unread; the connection stays usable. */
  discard(): void;
}

export interface SendInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** For the whole attempt: connection, answer and body. */
  timeoutMs: number;
}

export type Send = (url: URL, init: SendInit) => Promise<RawResponse>;

/** No answer (or no whole body) within the attempt's time. */
export class HttpTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

const MAX_REDIRECTS = 5;
const REDIRECT = new Set([301, 302, 303, 307, 308]);

/**
 * A sender with its own keep-alive agents. Connections are reused across requests; how many
 * are open at once is bounded by Transport's concurrency permits, not here.
 */
export function nodeSend(opts: { caFile?: string | null; log?: Logger } = {}): Send {
  const agents = {
    'http:': new http.Agent({ keepAlive: true }),
    'https:': new https.Agent({ keepAlive: true, ...trust(opts.caFile ?? null, opts.log) }),
  };
  const once = (url: URL, init: SendInit, deadline: number): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      const lib = url.protocol === 'https:' ? https : http;
      const agent = url.protocol === 'https:' ? agents['https:'] : agents['http:'];
      const headers: Record<string, string | number> = { 'accept-encoding': 'gzip', ...init.headers };
      if (init.body !== undefined) headers['content-length'] = Buffer.byteLength(init.body);
      const req = lib.request(url, { method: init.method, headers, agent });
      let answer: http.IncomingMessage | null = null;
      const timer = setTimeout(() => {
        const err = new HttpTimeoutError(`no answer within ${init.timeoutMs} ms`);
        if (answer) answer.destroy(err);
        else req.destroy(err);
      }, Math.max(0, deadline - Date.now()));
      req.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      req.once('response', (res) => {
        answer = res;
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) {
          if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
        }
        const gzip = (out['content-encoding'] ?? '').trim().toLowerCase() === 'gzip';
        let consumed = false;
        resolve({
          status: res.statusCode ?? 0,
          headers: out,
          text: () => {
            consumed = true;
            const stream: Readable = gzip ? res.pipe(createGunzip()) : res;
            return readAll(stream, res).finally(() => clearTimeout(timer));
          },
          discard: () => {
            if (consumed) return;
            consumed = true;
            clearTimeout(timer);
            res.resume();
          },
        });
      });
      req.end(init.body);
    });

  return async (url, init) => {
    const deadline = Date.now() + init.timeoutMs;
    let target = url;
    let method = init.method;
    let body = init.body;
    for (let hop = 0; ; hop++) {
      const res = await once(target, { ...init, method, body }, deadline);
      const location = res.headers['location'];
      if (!REDIRECT.has(res.status) || location === undefined || hop >= MAX_REDIRECTS) return res;
      const next = new URL(location, target);
      // Same host only (an upgrade to https included): the token must not go anywhere else.
      if (next.hostname !== target.hostname || (next.protocol !== 'https:' && next.protocol !== target.protocol)) return res;
      res.discard();
      // 303, and 301/302 after a POST, become a GET without a body (as fetch and browsers do).
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
      target = next;
    }
  };
}

/**
 * The runner's CA bundle added to Node's own roots and to $NODE_EXTRA_CA_CERTS (an agent's `ca`
 * replaces both). Unreadable: a warning, and the default store only; a certificate error then
 * says what to set (transport.ts).
 */
function trust(caFile: string | null, log?: Logger): { ca?: string[] } {
  if (!caFile) return {};
  try {
    const extra = process.env.NODE_EXTRA_CA_CERTS;
    let extraPem: string[] = [];
    try {
      extraPem = extra ? [readFileSync(extra, 'utf8')] : [];
    } catch {
      // Node itself warned about it at start-up
    }
    return { ca: [...tls.rootCertificates, ...extraPem, readFileSync(caFile, 'utf8')] };
  } catch (e) {
    log?.warn(`cannot read the CA bundle ${caFile} ($CI_SERVER_TLS_CA_FILE): ${(e as Error).message}; trusting the system's certificate authorities only`);
    return {};
  }
}

/** Every byte of `stream` as UTF-8 text; a failure of `source` (timeout, reset) fails it too. */
function readAll(stream: Readable, source: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.once('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    stream.once('error', reject);
    // A gunzip stream does not see its source fail: listen there too.
    if (stream !== source) source.once('error', reject);
  });
}
