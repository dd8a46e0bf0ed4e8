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
import { jsonText } from './serialize';

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const method = req.method ?? 'GET';
  // A GET or HEAD body is never read (a Fetch Request cannot carry one): not iterated either,
  // which saves a few promise turns per request; node:http discards it when the answer ends.
  const bodiless = method === 'GET' || method === 'HEAD';
  const chunks: Buffer[] = [];
  if (!bodiless) for await (const c of req) chunks.push(c as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) v.forEach((x) => headers.append(k, x));
    else if (v !== undefined) headers.set(k, v);
  }
  return new Request(`${origin}${req.url ?? '/'}`, { method, headers, body: chunks.length > 0 ? Buffer.concat(chunks) : undefined });
}

/**
 * msw tries every handler in order and compiles each one's path pattern on every request
 * (path-to-regexp, plus cookie parsing): a sixth of the fake's CPU in `npm run bench:pacing`
 * (node --cpu-prof). Each handler gets a cheap pre-test, compiled once, that accepts at least
 * everything its pattern accepts (same method, same number of segments, same literal segments,
 * case-insensitive, optional trailing slash); msw then runs only those handlers, in their
 * original order, so it answers exactly as with the full list. Patterns the pre-test does not
 * understand are always kept.
 */
function preTest(h: HttpHandler): (method: string, pathname: string) => boolean {
  const { method, path } = h.info as { method?: unknown; path?: unknown };
  if (typeof path !== 'string' || typeof method !== 'string') return () => true;
  let pathname: string;
  try {
    pathname = new URL(path).pathname;
  } catch {
    return () => true;
  }
  const segs = pathname.split('/');
  if (segs.some((s) => !/^(:[A-Za-z_][A-Za-z0-9_]*|[A-Za-z0-9_.~-]*)$/.test(s))) return () => true;
  const source = segs.map((s) => (s.startsWith(':') ? '[^/]+' : s.replace(/\./g, '\\.'))).join('/');
  const re = new RegExp(`^${source}/?$`, 'i');
  const m = method.toUpperCase();
  return (reqMethod, reqPath) => reqMethod.toUpperCase() === m && re.test(reqPath);
}

function candidates(handlers: HttpHandler[], tests: Array<(method: string, pathname: string) => boolean>, method: string, pathname: string): HttpHandler[] {
  const out = handlers.filter((_, i) => tests[i]?.(method, pathname) ?? true);
  return out.length > 0 ? out : handlers;
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((v, k) => { headers[k] = v; });
  const text = jsonText.get(response);
  if (text !== undefined && !response.bodyUsed) {
    // serialize.ts json(): the body is this text, and its content-length header is the text's byte length
    headers['content-length'] ??= String(Buffer.byteLength(text));
    res.writeHead(response.status, headers);
    // As many UTF-8 bytes as characters: all ASCII, whose latin1 bytes are the same and are
    // written by a plain copy instead of V8's UTF-8 encoder (the bulk of the socket write's CPU).
    res.end(text, headers['content-length'] === String(text.length) ? 'latin1' : 'utf8');
    return;
  }
  const buf = Buffer.from(await response.arrayBuffer());
  headers['content-length'] = String(buf.length);
  res.writeHead(response.status, headers);
  res.end(buf);
}

/** Sum over requests of the time from their arrival to the end of their response (the benchmark's mean in-flight). */
export interface ServedTime {
  busyMs: number;
  /** when set (a bench diagnostic), called once per request with its arrival and end (epoch ms) */
  trace?: (method: string, url: string, arrived: number, ended: number) => void;
}

/**
 * Resolves at `due` (a performance.now() instant), never before it. A timer's delay counts
 * from the event loop's cached clock, which can be behind when the timer is set, so it may
 * fire early: then it waits again for what is left.
 */
async function until(due: number): Promise<void> {
  for (let left = due - performance.now(); left > 0; left = due - performance.now()) {
    await new Promise((resolve) => setTimeout(resolve, left));
  }
}

export async function startFakeGitLabHttp(
  data: FakeData,
  knobs: Knobs = {},
): Promise<{ url: string; state: FakeState; served: ServedTime; close(): Promise<void> }> {
  let handlers: HttpHandler[] = [];
  let tests: Array<(method: string, pathname: string) => boolean> = [];
  let state: FakeState | null = null;
  const served: ServedTime = { busyMs: 0 };
  const server = createServer((req, res) => {
    const arrived = performance.now();
    const counted = state;
    if (counted) {
      enter(counted);
      res.once('close', () => {
        counted.inFlight--;
        const ended = performance.now();
        served.busyMs += ended - arrived;
        served.trace?.(req.method ?? 'GET', req.url ?? '/', performance.timeOrigin + arrived, performance.timeOrigin + ended);
      });
    }
    // The latency is the server's whole answer time from the request's arrival (its own
    // work included): the answer leaves at arrival + latency, or when the work is done if later.
    const due = arrived + (knobs.latencyMs ?? 0);
    void (async () => {
      let response: Response;
      try {
        const request = await toRequest(req, url);
        const pathname = (req.url ?? '/').split('?')[0] ?? '/';
        response = (await getResponse(candidates(handlers, tests, request.method, pathname), request)) ?? Response.json({ message: '404 Not Found' }, { status: 404 });
      } catch (e) {
        response = Response.json({ message: `500 Internal Server Error: ${(e as Error).message}` }, { status: 500 });
      }
      await until(due);
      await send(res, response);
    })();
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Over HTTP the latency is kept here, from the arrival, not in the handlers: a handler's
  // clock starts only after the request was turned into a Fetch Request and matched, and its
  // timer could fire early (about a tenth of the answers left under 30 ms, the fastest at
  // 29.35 ms; BENCHMARKS.md, session 5). Here no answer leaves before arrival + latency.
  const fake = createFakeGitLab(data, knobs, url, { countInFlight: false, fast: true, latencyOutside: true });
  handlers = fake.handlers;
  tests = handlers.map(preTest);
  state = fake.state;
  return {
    url,
    state: fake.state,
    served,
    close: () => new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections();
    }),
  };
}
