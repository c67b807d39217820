import net from 'node:net';
import { Writable } from 'node:stream';
import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerErrorHandling } from '../error-handler.ts';
import { frontDoor } from '../front-door.ts';
import { LEAN_HEADERS, leanContext, leanHeaders, leanRequestIds, type LeanRoutes } from '../lean-routes.ts';

/** A real Fastify app as build-app.ts lays it out: a lean context beside a general one with a cookie plugin. */
async function appWith(routes: LeanRoutes, options: { hsts?: string } = {}) {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const app = Fastify({ loggerInstance: pino({ level: 'info' }, sink) as FastifyBaseLogger, requestIdHeader: 'x-request-id' });
  registerErrorHandling(app);
  await app.register(leanContext([routes], options));
  await app.register(async (main) => {
    await main.register(fastifyCookie);
    main.get('/general', async (_req, reply) => reply.setCookie('seen', '1').send({ ok: true }));
  });
  await app.ready();
  apps.push(app);
  return { app, lines };
}
const apps: Array<{ close(): Promise<unknown> }> = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

describe('the lean context (tracked-link redirect)', () => {
  it('answers with its own headers only: none of the general pipeline runs there, no cookie is read or set', async () => {
    const { app } = await appWith(async (scope, { headers }) => {
      scope.get('/c/:a/:b', { config: { access: 'public' }, logLevel: 'warn' }, async (req, reply) =>
        // The general context's cookie parser never ran here: no cookies on the request.
        reply.code(302).headers(headers).header('location', `https://hotel.example/${String((req as { cookies?: unknown }).cookies === undefined)}`).send(),
      );
    });
    const res = await app.inject({ method: 'GET', url: '/c/x/y', headers: { cookie: 'ik_session=abc.def' } });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('https://hotel.example/true');
    expect(res.headers).toMatchObject(LEAN_HEADERS);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.body).toBe('');
    // The general context, beside it, still has its plugins.
    expect((await app.inject({ method: 'GET', url: '/general' })).headers['set-cookie']).toContain('seen=1');
  });

  it('an error inside it is logged with the request id and answered in the API error shape with the lean headers', async () => {
    const { app, lines } = await appWith(async (scope) => {
      scope.get('/c/:a/:b', { config: { access: 'public' }, logLevel: 'warn' }, async () => {
        throw new Error('select target from campaigns failed');
      });
    });
    const res = await app.inject({ method: 'GET', url: '/c/x/y', headers: { 'x-request-id': 'req-lean-1' } });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ error: { code: 'internal' } });
    expect(res.body).not.toContain('select target');
    expect(res.headers).toMatchObject(LEAN_HEADERS);
    expect(res.headers['set-cookie']).toBeUndefined();
    const logged = lines.find((line) => line.msg === 'unhandled error');
    expect(logged).toMatchObject({ level: 50, reqId: expect.any(String), err: { message: 'select target from campaigns failed' } });
    // Nothing below warn from the route: no access-log lines per request.
    expect(lines.filter((line) => (line.level as number) < 40)).toEqual([]);
  });

  it('gives every request an id of its own, on every line it logs, and takes the caller’s x-request-id instead', async () => {
    const { app, lines } = await appWith(async (scope) => {
      scope.get('/c/:a/:b', { config: { access: 'public' }, logLevel: 'warn' }, async (req, reply) => {
        req.log.warn({ reqId: req.id }, 'forged link');
        return reply.code(302).header('location', `https://hotel.example/${req.id}`).send();
      });
    });
    const ids: string[] = [];
    for (let i = 0; i < 50; i += 1) ids.push(String((await app.inject({ method: 'GET', url: '/c/x/y' })).headers.location).slice('https://hotel.example/'.length));
    expect(new Set(ids).size).toBe(50);
    expect(ids.every((id) => /^[A-Za-z0-9_-]{8}-[0-9a-z]+$/.test(id))).toBe(true);
    expect(lines.filter((line) => line.msg === 'forged link').map((line) => line.reqId)).toEqual(ids);
    const named = await app.inject({ method: 'GET', url: '/c/x/y', headers: { 'x-request-id': 'req-from-proxy' } });
    expect(named.headers.location).toBe('https://hotel.example/req-from-proxy');
    expect(lines.at(-1)).toMatchObject({ msg: 'forged link', reqId: 'req-from-proxy' });
    // Another process (or the same one restarted) draws another prefix.
    const [a, b] = [leanRequestIds(), leanRequestIds()];
    expect(a().slice(0, 8)).not.toBe(b().slice(0, 8));
  });

  it('refuses a route that is not public: no session could be checked there', async () => {
    await expect(
      appWith(async (scope) => {
        scope.get('/c/:a', { config: { access: 'session' } }, async () => 'x');
      }),
    ).rejects.toThrow(/must be public/);
  });

  it('redirect: one empty 302 with the lean headers, Location and a zero length, on the wire as through inject; the context’s onResponse hooks still run', async () => {
    const finished: string[] = [];
    const hsts = 'max-age=31536000; includeSubDomains';
    const { app } = await appWith(
      async (scope, { redirect }) => {
        scope.addHook('onResponse', async (req, reply) => void finished.push(`${req.method} ${reply.statusCode}`));
        scope.get('/c/:a/:b', { config: { access: 'public' }, logLevel: 'warn' }, (req, reply) => {
          const { b } = req.params as { b: string };
          if (b === 'later') return Promise.resolve().then(() => redirect(reply, 'https://hotel.example/later'));
          redirect(reply, `https://hotel.example/${b}?plan=weekday`);
          return undefined;
        });
      },
      { hsts },
    );
    for (const method of ['GET', 'HEAD'] as const) {
      const res = await app.inject({ method, url: '/c/x/y' });
      expect(res.statusCode).toBe(302);
      expect(res.headers).toMatchObject({ ...LEAN_HEADERS, 'strict-transport-security': hsts, location: 'https://hotel.example/y?plan=weekday', 'content-length': '0' });
      expect(res.body).toBe('');
    }
    expect((await app.inject({ method: 'GET', url: '/c/x/later' })).headers.location).toBe('https://hotel.example/later');
    expect(finished).toEqual(['GET 302', 'HEAD 302', 'GET 302']);

    // On a socket, two requests on one keep-alive connection: each answer whole, nothing written after it.
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(address);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1');
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('latin1')));
      socket.on('error', reject);
      socket.on('end', () => resolve(text));
      socket.write('GET /c/x/one HTTP/1.1\r\nHost: a\r\n\r\nGET /c/x/two HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    });
    const answers = raw.split('HTTP/1.1 ').slice(1).map((answer) => answer.split('\r\n'));
    expect(answers.map((lines) => lines[0])).toEqual(['302 Found', '302 Found']);
    for (const [i, lines] of answers.entries()) {
      const headers = Object.fromEntries(lines.slice(1).filter(Boolean).map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 2)]));
      expect(headers).toMatchObject({ ...LEAN_HEADERS, 'strict-transport-security': hsts, location: `https://hotel.example/${['one', 'two'][i]}?plan=weekday`, 'content-length': '0', date: expect.any(String) });
      // The answer ends with its headers: no body, nothing else.
      expect(lines.at(-1)).toBe('');
      expect(lines.at(-2)).toBe('');
    }
    await vi.waitFor(() => expect(finished).toHaveLength(5));
  });

  it('a lean route’s direct handler is put in front of Fastify, answers with the same headers through writeRedirect, and is shut before the app closes', async () => {
    const door = frontDoor();
    const shut = vi.spyOn(door, 'shut');
    const app = Fastify({ serverFactory: door.serverFactory, logger: false });
    registerErrorHandling(app);
    await app.register(
      leanContext(
        [
          async (scope, { redirect, writeRedirect, direct }) => {
            direct((req, res) => {
              if (req.url !== '/c/x/direct') return false;
              writeRedirect(res, 'https://hotel.example/direct');
              return true;
            });
            scope.get('/c/:a/:b', { config: { access: 'public' } }, (_req, reply) => redirect(reply, 'https://hotel.example/route'));
          },
        ],
        { frontDoor: door },
      ),
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as net.AddressInfo).port}`;
    const direct = await fetch(`${base}/c/x/direct`, { redirect: 'manual' });
    const route = await fetch(`${base}/c/x/route`, { redirect: 'manual' });
    expect(direct.headers.get('location')).toBe('https://hotel.example/direct');
    expect(route.headers.get('location')).toBe('https://hotel.example/route');
    // The same answer but for the Location (and Node's Date): the lean headers and a zero length, nothing else.
    const headers = (res: Response) => Object.fromEntries([...res.headers].filter(([name]) => name !== 'date' && name !== 'location'));
    expect(headers(direct)).toEqual(headers(route));
    expect(headers(direct)).toMatchObject({ ...LEAN_HEADERS, 'content-length': '0' });
    expect(shut).not.toHaveBeenCalled();
    await app.close();
    expect(shut).toHaveBeenCalledOnce();
  });

  it('carries the deployment’s Strict-Transport-Security behind HTTPS', () => {
    expect(leanHeaders({})).toEqual(LEAN_HEADERS);
    expect(leanHeaders({ hsts: 'max-age=31536000; includeSubDomains' })).toEqual({ ...LEAN_HEADERS, 'strict-transport-security': 'max-age=31536000; includeSubDomains' });
  });
});
