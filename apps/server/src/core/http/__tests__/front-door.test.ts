import type http from 'node:http';
import net, { type AddressInfo } from 'node:net';
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

  it('a request still being answered when the close begins does not hold the close open: its keep-alive connection is closed once answered', async () => {
    const door = frontDoor();
    const app = Fastify({ serverFactory: door.serverFactory });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let arrived!: () => void;
    const inFlight = new Promise<void>((resolve) => (arrived = resolve));
    app.get('/slow', async () => {
      arrived();
      await gate;
      return { ok: true };
    });
    // As the lean context does (lean-routes.ts): the door shut before the server closes.
    app.addHook('preClose', async () => door.shut());
    await app.listen({ port: 0, host: '127.0.0.1' });
    const socket = net.connect((app.server.address() as AddressInfo).port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    const socketClosed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write('GET /slow HTTP/1.1\r\nHost: a\r\n\r\n');
    await inFlight;
    const closed = app.close();
    // Answered only once the close is under way (the idle connections it closes at its start do not include this one).
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    // Answered (with keep-alive: it was routed before the close), then its connection closed by the server, and the
    // close completes — not after the 72 s keep-alive timeout.
    await socketClosed;
    await closed;
    expect(text.split('\r\n', 1)[0]).toBe('HTTP/1.1 200 OK');
    expect(text).toContain('{"ok":true}');
  });
});
