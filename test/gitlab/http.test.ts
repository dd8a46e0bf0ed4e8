/**
 * The wire under Transport (src/gitlab/http.ts) against a real local HTTP server: what fetch
 * used to do for us (gzip, redirects, a timeout over the whole answer) and what it must not
 * (send the token to another host).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpTimeoutError, nodeSend } from '../../src/gitlab/http';
import { Transport } from '../../src/gitlab/transport';
import { GitLabApiError } from '../../src/gitlab/errors';
import { silentLogger } from '../../src/log';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const servers: Array<{ close(): void; closeAllConnections(): void }> = [];
afterEach(() => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

/** A server on 127.0.0.1; `seen` records each request (method, path, token header) and each new connection. */
async function serve(handler: Handler): Promise<{ base: string; port: number; seen: Array<{ method: string; path: string; token: string | undefined; encoding: string | undefined }>; connections: () => number }> {
  const seen: Array<{ method: string; path: string; token: string | undefined; encoding: string | undefined }> = [];
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', path: req.url ?? '', token: req.headers['private-token'] as string | undefined, encoding: req.headers['accept-encoding'] });
      handler(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  });
  server.on('connection', () => connections++);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { base: `http://127.0.0.1:${port}`, port, seen, connections: () => connections };
}

const init = { method: 'GET', headers: { 'PRIVATE-TOKEN': 'glpat-secret' }, timeoutMs: 2000 };

describe('nodeSend', () => {
  it('asks for gzip and inflates a gzip body; reuses one connection for requests in turn', async () => {
    const page = JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ id: i, name: `job ${i}`, note: 'é ü ✓' })));
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', link: '<a>; rel="next"' });
      res.end(gzipSync(page));
    });
    const send = nodeSend();
    for (let i = 0; i < 3; i++) {
      const r = await send(new URL(`${srv.base}/api/v4/projects/1/jobs`), init);
      expect(r.status).toBe(200);
      expect(r.headers['link']).toBe('<a>; rel="next"');
      expect(await r.text()).toBe(page);
    }
    expect(srv.seen.map((s) => s.encoding)).toEqual(['gzip', 'gzip', 'gzip']);
    expect(srv.connections()).toBe(1);
  });

  it('sends a POST body with its length', async () => {
    const srv = await serve((_req, res, body) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ got: body }));
    });
    const body = JSON.stringify({ query: '{ a }', variables: { x: 'ü' } });
    const r = await nodeSend()(new URL(`${srv.base}/api/graphql`), { ...init, method: 'POST', body });
    expect(JSON.parse(await r.text())).toEqual({ got: body });
  });

  it('follows a redirect on the same host (303 after a POST becomes a GET), keeping the token', async () => {
    const srv = await serve((req, res) => {
      if (req.url === '/old') {
        res.writeHead(303, { location: '/new' });
        res.end('moved');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    const r = await nodeSend()(new URL(`${srv.base}/old`), { ...init, method: 'POST', body: '{}' });
    expect(await r.text()).toBe('{"ok":true}');
    expect(srv.seen.map((s) => `${s.method} ${s.path} ${s.token}`)).toEqual(['POST /old glpat-secret', 'GET /new glpat-secret']);
  });

  it('does not follow a redirect to another host: the token goes nowhere else, and the error says where GitLab points', async () => {
    const other = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('[]');
    });
    // "localhost" is another host name than 127.0.0.1, on the same machine
    const srv = await serve((_req, res) => {
      res.writeHead(301, { location: `http://localhost:${other.port}/api/v4/groups/1?x=1` });
      res.end();
    });
    const t = new Transport({ concurrency: 1, rateLimitPerMinute: null, jobsRateLimitPerMinute: 0, requestTimeoutMs: 2000, maxAttempts: 1, log: silentLogger });
    const err = await t.request('GET', new URL(`${srv.base}/api/v4/groups/1`), { headers: { 'PRIVATE-TOKEN': 'glpat-secret' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitLabApiError);
    expect((err as Error).message).toContain(`redirected to http://localhost:${other.port}/api/v4/groups/1:`);
    expect(other.seen).toEqual([]);
  });

  it('times out when no answer comes, and when the body stops half-way', async () => {
    const silent = await serve(() => undefined);
    const t0 = Date.now();
    const e1 = await nodeSend()(new URL(`${silent.base}/x`), { ...init, timeoutMs: 300 }).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(HttpTimeoutError);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(Date.now() - t0).toBeLessThan(2000);

    const stalls = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('[1,2,');
    });
    const r = await nodeSend()(new URL(`${stalls.base}/x`), { ...init, timeoutMs: 300 });
    expect(r.status).toBe(200);
    await expect(r.text()).rejects.toBeInstanceOf(HttpTimeoutError);
  });

  it('a connection cut in the middle of a body is a network error the transport retries', async () => {
    let n = 0;
    const srv = await serve((_req, res) => {
      n++;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      if (n === 1) {
        res.write('[1,');
        res.socket?.destroy();
        return;
      }
      res.end(JSON.stringify([1, 2, 3]).padEnd(100, ' '));
    });
    const t = new Transport({ concurrency: 1, rateLimitPerMinute: null, jobsRateLimitPerMinute: 0, requestTimeoutMs: 2000, maxAttempts: 3, retryBaseMs: 1, log: silentLogger });
    const res = await t.request('GET', new URL(`${srv.base}/api/v4/projects/1/jobs`), { headers: {} });
    expect(res.body).toEqual([1, 2, 3]);
    expect(t.stats.retries).toEqual({ network: 1 });
  });

  it("trusts the runner's CA bundle (CI_SERVER_TLS_CA_FILE) besides the system's; without it the error says what to set", async () => {
    const dir = new URL('./fixtures/tls/', import.meta.url);
    const server = createTlsServer({ cert: readFileSync(new URL('server.pem', dir)), key: readFileSync(new URL('server-key.pem', dir)) }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"version":"17.0.0"}');
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = new URL(`https://127.0.0.1:${(server.address() as AddressInfo).port}/api/v4/version`);

    const trusted = await nodeSend({ caFile: new URL('ca.pem', dir).pathname })(url, init);
    expect(await trusted.text()).toBe('{"version":"17.0.0"}');

    const t = new Transport({ concurrency: 1, rateLimitPerMinute: null, jobsRateLimitPerMinute: 0, requestTimeoutMs: 2000, maxAttempts: 1, log: silentLogger });
    const err = await t.request('GET', url, { headers: {} }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE: GitLab's certificate is not signed by an authority this machine trusts; give its CA bundle in \$CI_SERVER_TLS_CA_FILE/);

    const warnings: string[] = [];
    const unreadable = nodeSend({ caFile: '/nonexistent/ca.pem', log: { info: () => undefined, warn: (m) => warnings.push(m) } });
    await expect(unreadable(url, init)).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    expect(warnings).toEqual([expect.stringMatching(/^cannot read the CA bundle \/nonexistent\/ca.pem \(\$CI_SERVER_TLS_CA_FILE\): ENOENT/)]);
  });
});
