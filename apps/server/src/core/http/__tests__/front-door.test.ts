import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { frontDoor } from '../front-door.ts';

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A Fastify app served through the front door: its route says who answered, and a direct handler takes `/direct/…`. */
async function served(options: Record<string, unknown> = {}) {
  const door = frontDoor();
  const app = Fastify({ serverFactory: door.serverFactory, ...options });
  app.get('/*', async (req) => ({ by: 'fastify', url: req.url }));
  const seen: string[] = [];
  door.add((req, res) => {
    seen.push(String(req.url));
    if (!req.url?.startsWith('/direct/')) return false;
    res.writeHead(302, ['location', 'https://hotel.example/', 'content-length', '0']).end();
    return true;
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  closers.push(() => app.close());
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { door, app, base, seen };
}

describe('the front door (HTTP server before Fastify, decision 0016)', () => {
  it('a request a direct handler takes is answered by it; one it declines reaches Fastify whole', async () => {
    const { base, seen } = await served();
    const direct = await fetch(`${base}/direct/1`, { redirect: 'manual' });
    expect({ status: direct.status, location: direct.headers.get('location') }).toEqual({ status: 302, location: 'https://hotel.example/' });
    const declined = await fetch(`${base}/other?x=1`);
    expect(await declined.json()).toEqual({ by: 'fastify', url: '/other?x=1' });
    expect(seen).toEqual(['/direct/1', '/other?x=1']);
  });

  it('once shut (a closing app), every request goes to Fastify, the direct handler is not asked', async () => {
    const { door, base, seen } = await served();
    door.shut();
    expect(await (await fetch(`${base}/direct/2`, { redirect: 'manual' })).json()).toEqual({ by: 'fastify', url: '/direct/2' });
    expect(seen).toEqual([]);
  });

  it('the server is made as Fastify makes its own: its timeouts and per-socket limit, and Fastify’s handling of bad requests', async () => {
    const { app, base } = await served({ keepAliveTimeout: 1234, requestTimeout: 5678, connectionTimeout: 4321, maxRequestsPerSocket: 7 });
    const server = app.server as http.Server;
    expect({ keepAlive: server.keepAliveTimeout, request: server.requestTimeout, connection: server.timeout, perSocket: server.maxRequestsPerSocket }).toEqual({ keepAlive: 1234, request: 5678, connection: 4321, perSocket: 7 });
    // Fastify still puts its own clientError handler on the server it was given.
    expect(server.listenerCount('clientError')).toBe(1);
    expect((await fetch(`${base}/x`)).status).toBe(200);
    // Its defaults when none are set, as Fastify's own server would have them.
    const plain = await served();
    expect((plain.app.server as http.Server).keepAliveTimeout).toBe(72_000);
  });
});
