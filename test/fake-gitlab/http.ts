/**
 * Serves the fake over real HTTP on 127.0.0.1 with the very same msw handlers (resolved
 * with msw's getResponse), so HTTP-level tests, the demo and the benchmark exercise the
 * exact behaviour the in-process tests see.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse, type HttpHandler } from 'msw';
import { createFakeGitLab, enter, type FakeState, type Knobs } from './handlers';
import type { FakeData } from './model';

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) v.forEach((x) => headers.append(k, x));
    else if (v !== undefined) headers.set(k, v);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD' && chunks.length > 0;
  return new Request(`${origin}${req.url ?? '/'}`, { method, headers, body: hasBody ? Buffer.concat(chunks) : undefined });
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((v, k) => { headers[k] = v; });
  const buf = Buffer.from(await response.arrayBuffer());
  headers['content-length'] = String(buf.length);
  res.writeHead(response.status, headers);
  res.end(buf);
}

export async function startFakeGitLabHttp(data: FakeData, knobs: Knobs = {}): Promise<{ url: string; state: FakeState; close(): Promise<void> }> {
  let handlers: HttpHandler[] = [];
  let state: FakeState | null = null;
  const server = createServer((req, res) => {
    const counted = state;
    if (counted) {
      enter(counted);
      res.once('close', () => { counted.inFlight--; });
    }
    void (async () => {
      try {
        const request = await toRequest(req, url);
        const response = await getResponse(handlers, request);
        await send(res, response ?? Response.json({ message: '404 Not Found' }, { status: 404 }));
      } catch (e) {
        await send(res, Response.json({ message: `500 Internal Server Error: ${(e as Error).message}` }, { status: 500 }));
      }
    })();
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fake = createFakeGitLab(data, knobs, url, { countInFlight: false });
  handlers = fake.handlers;
  state = fake.state;
  return {
    url,
    state: fake.state,
    close: () => new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections();
    }),
  };
}
