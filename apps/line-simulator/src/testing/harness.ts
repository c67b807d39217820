import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createManualClock, type ManualClock } from '../state/clock.ts';
import { type SimulatorOptions, startSimulator } from '../index.ts';

export type TestSim = Awaited<ReturnType<typeof startSimulator>> & { clock: ManualClock };

/** A listening simulator on a free port with a manual clock (the SDK needs real HTTP). */
export async function startTestSim(options: SimulatorOptions = {}): Promise<TestSim> {
  const clock = createManualClock();
  const started = await startSimulator({ port: 0, seed: 'test-seed', clock, ...options });
  return { ...started, clock };
}

export type Captured = { headers: IncomingHttpHeaders; body: string; json: { destination: string; events: Record<string, unknown>[] } };

/**
 * A stand-in for Innkeeper's webhook endpoint that records raw bodies. `respond` picks the status per
 * request; waitFor resolves once n requests have arrived, so tests never sleep.
 */
export async function startReceiver(respond: (n: number, req: Captured) => number = () => 200) {
  const requests: Captured[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const captured: Captured = { headers: req.headers, body, json: JSON.parse(body) };
      requests.push(captured);
      res.statusCode = respond(requests.length, captured);
      res.end('{}');
      for (const w of waiters.filter((w) => requests.length >= w.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    requests,
    waitFor: (n: number) => (requests.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** JSON helper for the /_sim admin API. */
export async function admin<T = Record<string, unknown>>(baseUrl: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

export const textMessage = (text: string) => ({ type: 'text' as const, text });
