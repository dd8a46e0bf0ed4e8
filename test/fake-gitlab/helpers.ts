/** Test helper: one msw server per test file, handlers swapped per test. */
import { setupServer } from 'msw/node';
import { createFakeGitLab, type Knobs } from './handlers';
import type { FakeData } from './model';

export const BASE = 'https://gitlab.fake/api/v4';
export const server = setupServer();

export function useFake(data: FakeData, knobs: Knobs = {}) {
  const fake = createFakeGitLab(data, knobs);
  server.resetHandlers(...fake.handlers);
  return fake.state;
}

export function get(path: string, token: string | null = 'fake-token', base = BASE): Promise<Response> {
  return fetch(`${base}${path}`, { headers: token === null ? {} : { 'PRIVATE-TOKEN': token } });
}

export function send(method: string, path: string, body: unknown, form = false): Promise<Response> {
  return fetch(`${BASE}${path}`, {
    method,
    headers: { 'PRIVATE-TOKEN': 'fake-token', 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
    body: form ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body),
  });
}

/** Parses a Link header into { rel: url } */
export function links(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (res.headers.get('link') ?? '').split(',')) {
    const m = /<([^>]+)>;\s*rel="([^"]+)"/.exec(part.trim());
    if (m?.[1] && m[2]) out[m[2]] = m[1];
  }
  return out;
}
