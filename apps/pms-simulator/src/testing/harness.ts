import { DEMO_API_KEY, type PmsSimulatorOptions, startPmsSimulator } from '../index.ts';

export type TestPms = Awaited<ReturnType<typeof startPmsSimulator>>;

/** A listening simulator on a free port, small and seeded, with no background changes unless asked. */
export function startTestPms(options: PmsSimulatorOptions = {}): Promise<TestPms> {
  return startPmsSimulator({ port: 0, seed: 'test-seed', profiles: 600, changesPerHour: 0, ...options });
}

// Test answers are untyped JSON, read field by field in assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
export type Answer = { status: number; headers: Headers; body: Json };

export async function call(url: string, path: string, init: { method?: string; key?: string | null; hotel?: string; body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.key !== null) headers['x-api-key'] = init.key ?? DEMO_API_KEY;
  if (init.hotel) headers['x-hotel-cod'] = init.hotel;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${url}${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body), signal: init.signal });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

/**
 * A client walk as Innkeeper does it (contract §4): follow nextCursor until hasMore is false; retry a failed page
 * (5xx, a timeout, a body that does not parse) from the same cursor, never applying half a page.
 */
export async function walk(url: string, path: '/guests' | '/stays', options: { since?: string | null; limit?: number; hotel?: string; attempts?: number; timeoutMs?: number } = {}) {
  const rows: Json[] = [];
  let cursor: string | null = null;
  let watermark: string | null = options.since ?? null;
  let pages = 0;
  let failures = 0;
  for (;;) {
    const q = new URLSearchParams();
    if (options.since) q.set('since', options.since);
    if (cursor) q.set('cursor', cursor);
    q.set('limit', String(options.limit ?? 100));
    let answer: Answer | null = null;
    for (let attempt = 0; attempt < (options.attempts ?? 20) && !answer; attempt++) {
      try {
        const a = await call(url, `${path}?${q}`, { ...(options.hotel ? { hotel: options.hotel } : {}), signal: AbortSignal.timeout(options.timeoutMs ?? 2000) });
        if (a.status === 200) answer = a;
        else if (a.status >= 500 || a.status === 429) failures++;
        else throw new Error(`walk stopped: ${a.status} ${JSON.stringify(a.body)}`);
      } catch (e) {
        if (e instanceof Error && e.message.startsWith('walk stopped')) throw e;
        failures++;
      }
    }
    if (!answer) throw new Error('walk gave up');
    pages++;
    rows.push(...answer.body.data);
    watermark = answer.body.watermark ?? watermark;
    if (!answer.body.page.hasMore) return { rows, watermark, pages, failures };
    cursor = answer.body.page.nextCursor;
  }
}
