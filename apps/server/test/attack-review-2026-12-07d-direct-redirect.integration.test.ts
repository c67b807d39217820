import http from 'node:http';
import net from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signedInAs, startSignedIn, type ApiClient } from './api-client.ts';
import { createTestTenant, type TestEnv, type TestTenant } from './harness.ts';
import { buildApp } from '../src/app/build-app.ts';
import { queryRows } from '../src/core/db/database.ts';
import { signLink } from '../src/modules/campaigns/campaign-links.ts';

/**
 * Attack review 2026-12-07d (atk5): the tracked redirect answered by the HTTP server before Fastify (decision 0016,
 * core/http/front-door.ts, directRedirect in campaign-clicks.routes.ts). Over real sockets (inject never reaches the
 * door): the door's answer against the route's, byte for byte; odd paths, queries and methods against the route;
 * pipelined, body-carrying, HTTP/1.0 and malformed requests; another hotel's ids; a closing app. Every test asserts
 * what holds. The route is reached over HTTP with the link's first character percent-encoded (the door leaves any
 * `%`, and the router decodes it to the same link), so both answer the same request.
 */
let env: TestEnv;
let tenant: TestTenant;
let other: TestTenant;
let admin: ApiClient;
let otherAdmin: ApiClient;
let port: number;
const TARGET = 'https://hotel.example/book?plan=door';
const BROWSER = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Safari Line/14.9.0';
const PREVIEW = 'facebookexternalhit/1.1;line-poker/1.0';

type Button = { id: string; tenantId: string; link: string; path: string; encoded: string };

async function campaignOf(client: ApiClient, hotel: TestTenant, name: string): Promise<Button> {
  const created = await client.post('/api/campaigns', {
    name,
    propertyId: null,
    audience: { kind: 'all' },
    messages: [{ type: 'buttons', altText: name, title: name, text: '直通', actions: [{ type: 'uri', label: '訂房', uri: TARGET, tagIds: [] }] }],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const actionId = (created.body.messages[0].actions[0] as { id: string }).id;
  const link = signLink(env.runtime.keyring, hotel.tenantId, { campaignId: created.body.id, actionId });
  const path = `/c/${hotel.tenantId}/${link}`;
  return { id: created.body.id, tenantId: hotel.tenantId, link, path, encoded: `/c/${hotel.tenantId}/%${link.charCodeAt(0).toString(16)}${link.slice(1)}` };
}

/** Every click the button's sums hold, once everything answered so far is written. */
async function counted(button: Button): Promise<number> {
  await env.runtime.campaignClicks.settled();
  const [row] = await env.runtime.db.withTenant(button.tenantId as never, (tx) =>
    queryRows<{ clicks: number }>(tx, sql`select coalesce(sum(clicks), 0)::int as clicks from campaign_click_counts where campaign_id = ${button.id}`),
  );
  return row!.clicks;
}

/**
 * Bytes written to one socket; everything the server sends back until it closes the socket (or `quietMs` pass with
 * nothing more, or `until` says enough). A socket the server leaves hanging shows as an answer missing.
 */
function exchange(to: number, chunks: Array<string | Buffer>, options: { quietMs?: number; until?: (text: string) => boolean; gapMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(to, '127.0.0.1');
    let text = '';
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(text);
    };
    const quiet = () => {
      clearTimeout(timer);
      timer = setTimeout(done, options.quietMs ?? 1500);
    };
    socket.on('data', (data) => {
      text += data.toString('latin1');
      if (options.until?.(text)) done();
      else quiet();
    });
    socket.on('close', done);
    socket.on('error', reject);
    socket.on('connect', async () => {
      quiet();
      for (const chunk of chunks) {
        socket.write(chunk);
        if (options.gapMs) await new Promise((r) => setTimeout(r, options.gapMs));
      }
    });
  });
}

/** The answers in a socket's bytes, each without its Date line (the one header that may differ by the clock). */
function answers(text: string): string[] {
  return text
    .split(/(?=HTTP\/1\.[01] \d{3} )/)
    .filter((part) => part.length > 0)
    .map((part) => part.replace(/\r\nDate: [^\r]*/i, ''));
}
const get = (path: string, headers: Record<string, string> = {}, method = 'GET', version = '1.1') =>
  `${method} ${path} HTTP/${version}\r\nHost: innkeeper.test\r\n${Object.entries({ 'User-Agent': BROWSER, ...headers })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  other = await createTestTenant(env, { slug: `atk5-other-${Date.now()}` });
  otherAdmin = await signedInAs(env, other.adminEmail, other.password);
  const url = await env.app.listen({ port: 0, host: '127.0.0.1' });
  port = Number(new URL(url).port);
}, 120_000);
afterAll(async () => {
  await env?.close();
});

describe('the door’s answer is the route’s', () => {
  it('holds: byte for byte but Date — GET, HEAD, HTTP/1.0, Connection: close, a previewer, a query — and counted the same (one each, none for HEAD or a previewer)', async () => {
    const button = await campaignOf(admin, tenant, '直通位元組');
    // The first click reads the button's target (the route answers it); from then on the door answers.
    expect(answers(await exchange(port, [get(button.path, { Connection: 'close' })]))[0]).toMatch(/^HTTP\/1\.1 302 /);
    const byRoute = vi.spyOn(env.runtime.campaignClicks, 'click');
    try {
      const forms: Array<{ name: string; request: (path: string) => string; counts: number }> = [
        { name: 'GET keep-alive', request: (p) => get(p), counts: 1 },
        { name: 'GET close', request: (p) => get(p, { Connection: 'close' }), counts: 1 },
        { name: 'HEAD', request: (p) => get(p, {}, 'HEAD'), counts: 0 },
        { name: 'HTTP/1.0', request: (p) => get(p, {}, 'GET', '1.0'), counts: 1 },
        { name: 'HTTP/1.0 keep-alive', request: (p) => get(p, { Connection: 'keep-alive' }, 'GET', '1.0'), counts: 1 },
        { name: 'a previewer', request: (p) => get(p, { 'User-Agent': PREVIEW }), counts: 0 },
        { name: 'no user agent', request: (p) => `GET ${p} HTTP/1.1\r\nHost: x\r\n\r\n`, counts: 0 },
        { name: 'a query', request: (p) => get(`${p}?utm_source=line&a=%zz&__proto__=1`), counts: 1 },
        { name: 'a cookie and a session-looking header', request: (p) => get(p, { Cookie: 'ik_session=forged', 'X-CSRF-Token': 'x', 'X-Request-Id': 'mine' }), counts: 1 },
      ];
      for (const form of forms) {
        const routeCalls = byRoute.mock.calls.length;
        const before = await counted(button);
        const door = answers(await exchange(port, [form.request(button.path)], { quietMs: 300 }));
        expect(byRoute.mock.calls.length, `${form.name}: answered by the door`).toBe(routeCalls);
        const afterDoor = await counted(button);
        const route = answers(await exchange(port, [form.request(button.encoded)], { quietMs: 300 }));
        expect(byRoute.mock.calls.length, `${form.name}: answered by the route`).toBe(routeCalls + 1);
        const afterRoute = await counted(button);
        expect(door, form.name).toEqual(route);
        expect(door).toHaveLength(1);
        expect(door[0], form.name).toContain(`\r\nlocation: ${TARGET}\r\n`);
        expect([afterDoor - before, afterRoute - afterDoor], form.name).toEqual([form.counts, form.counts]);
      }
    } finally {
      byRoute.mockRestore();
    }
  });

  it('holds: behind HTTPS (COOKIE_SECURE) the door sends the same Strict-Transport-Security as the route', async () => {
    const secure = await buildApp({ ...env.runtime, config: { ...env.runtime.config, cookieSecure: true } });
    try {
      const securePort = Number(new URL(await secure.listen({ port: 0, host: '127.0.0.1' })).port);
      const button = await campaignOf(admin, tenant, '直通 HSTS');
      await exchange(securePort, [get(button.path, { Connection: 'close' })]);
      const door = answers(await exchange(securePort, [get(button.path, { Connection: 'close' })]));
      const route = answers(await exchange(securePort, [get(button.encoded, { Connection: 'close' })]));
      expect(door).toEqual(route);
      expect(door[0]).toMatch(/\r\nstrict-transport-security: max-age=\d+/);
      // The invalid-link answer too.
      const forged = `/c/${tenant.tenantId}/${button.link.slice(0, -2)}AA`;
      expect(answers(await exchange(securePort, [get(forged, { Connection: 'close' })]))).toEqual(
        answers(await exchange(securePort, [get(`${forged.slice(0, 3)}%${forged.charCodeAt(3).toString(16)}${forged.slice(4)}`, { Connection: 'close' })])),
      );
    } finally {
      await secure.close();
    }
  });
});

describe('odd paths, queries and methods: over HTTP exactly as the Fastify route (inject) answers them', () => {
  it('holds: status, headers, body and count the same for each, whichever of door or route took it', async () => {
    const button = await campaignOf(admin, tenant, '直通路徑');
    const theirs = await campaignOf(otherAdmin, other, '直通他館');
    // A link signed for the other hotel naming this hotel's campaign (only the key could make one): no target there.
    const crossSigned = signLink(env.runtime.keyring, other.tenantId, { campaignId: button.id, actionId: button.link.slice(32).split('.')[0]! });
    await env.app.inject({ method: 'GET', url: button.path, headers: { 'user-agent': BROWSER } });
    await env.app.inject({ method: 'GET', url: theirs.path, headers: { 'user-agent': BROWSER } });
    const { link } = button;
    const T = tenant.tenantId;
    const paths = [
      button.path,
      `${button.path}?`,
      `${button.path}?x=1&x=2`,
      `${button.path}?%`,
      `${button.path}?a=%E0%A4%A&b[c]=1&constructor[prototype][x]=1`,
      `/c/${other.tenantId}/${link}`,
      `/c/${T}/${theirs.link}`,
      `/c/${other.tenantId}/${crossSigned}`,
      `/c/${T}/${link.slice(0, -1)}`,
      `/c/${T}/${link}A`,
      `/c/${T}/${link.slice(0, -1)}${link.endsWith('A') ? 'B' : 'A'}`,
      `/c/${T}/${link.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'))}`,
      `/c/${T}/${link.split('.')[0]}`,
      `/c/${T}/.${link.split('.')[1]}`,
      `/c/${T.toUpperCase()}/${link}`,
      `/c/${T.replaceAll('-', '')}/${link}`,
      `/c/invalid/${link}`,
      '/c/invalid',
      '/c/invalid/',
      `/C/${T}/${link}`,
      `/c/${T}/${link.toUpperCase()}`,
      `//c/${T}/${link}`,
      `/c//${T}/${link}`,
      `/c/${T}//${link}`,
      `/c/${T}/${link}/`,
      `/c/${T}/${link}/x`,
      `/c/${T}/./${link}`,
      `/c/x/../${T}/${link}`,
      `/c/${T}/..`,
      `/c/../${link}`,
      `/c/${T}/${link};x=1`,
      `/c/${T};x/${link}`,
      `/c/${T}/${link}%00`,
      `/c/${T}/${link}%2F`,
      `/c/${T}%2F${link}`,
      `/c/${T}/${link}%3Fx`,
      `/c/${T}/%E7%9B%B4`,
      `/c/${T}/${'a'.repeat(100)}`,
      `/c/${T}/${'a'.repeat(101)}`,
      `/c/${'a'.repeat(101)}/${link}`,
      `/c/${T}/${'~'.repeat(100)}`,
      `/c/${'-'.repeat(36)}/${link}`,
      `/c/${T}/${link}~`,
      `/c/${T}/${link}.`,
      `/c/${T}`,
      `/c/${T}/`,
      '/c/',
      '/c',
    ];
    const methods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;
    const shape = (status: number, headers: Record<string, unknown>, body: string) => ({
      status,
      headers: Object.fromEntries(
        Object.entries(headers)
          .sort(([a], [b]) => a.localeCompare(b))
          .filter(([name]) => !['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(name))
          .map(([name, value]) => [name, name === 'x-request-id' ? 'id' : name === 'content-length' && status !== 302 ? 'n' : String(value)]),
      ),
      body,
    });
    const differences: string[] = [];
    for (const path of paths) {
      for (const method of methods) {
        const before = await counted(button);
        const overHttp = await fetch(`http://127.0.0.1:${port}${path}`, { method, redirect: 'manual', headers: { 'user-agent': BROWSER } });
        const http = shape(overHttp.status, Object.fromEntries(overHttp.headers), await overHttp.text());
        const middle = await counted(button);
        const injected = await env.app.inject({ method, url: path, headers: { 'user-agent': BROWSER } });
        const route = shape(injected.statusCode, injected.headers, injected.body);
        const after = await counted(button);
        if (JSON.stringify(http) !== JSON.stringify(route) || middle - before !== after - middle) {
          differences.push(`${method} ${path}: over HTTP ${JSON.stringify(http)} +${middle - before}; route ${JSON.stringify(route)} +${after - middle}`);
        }
      }
    }
    expect(differences).toEqual([]);
    // The other hotel's own link was never counted under this hotel's address, nor theirs by ours.
    expect(await counted(theirs)).toBe(1);
  });
});

describe('odd requests on a socket', () => {
  it('holds: pipelined on one keep-alive socket — a first click the route waits on, the door’s, a GET with a body, a chunked GET, Expect: 100-continue, HEAD, a forged link, HTTP/1.0 last — answered in order, each counted once', async () => {
    const fresh = await campaignOf(admin, tenant, '直通管線');
    const forged = `/c/${tenant.tenantId}/${fresh.link.slice(0, -2)}zz`;
    const requests = [
      get(fresh.path),
      get(fresh.path),
      `GET ${fresh.path} HTTP/1.1\r\nHost: x\r\nUser-Agent: ${BROWSER}\r\nContent-Length: 27\r\n\r\nGET /c/x/y HTTP/1.1\r\nX: y\r\n`,
      `GET ${fresh.path} HTTP/1.1\r\nHost: x\r\nUser-Agent: ${BROWSER}\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n`,
      get(fresh.path, { Expect: '100-continue', 'Content-Length': '0' }),
      get(fresh.path, {}, 'HEAD'),
      get(forged),
      get(fresh.encoded, {}, 'GET', '1.0'),
    ];
    const got = answers(await exchange(port, [requests.join('')], { quietMs: 3000 }));
    const statuses = got.map((a) => a.split('\r\n', 1)[0]);
    // One 100 Continue ahead of its request's answer, then one answer per request, in order; HTTP/1.0 closes.
    expect(statuses).toEqual([
      'HTTP/1.1 302 Found',
      'HTTP/1.1 302 Found',
      'HTTP/1.1 302 Found',
      'HTTP/1.1 302 Found',
      'HTTP/1.1 100 Continue',
      'HTTP/1.1 302 Found',
      'HTTP/1.1 302 Found',
      'HTTP/1.1 302 Found',
      'HTTP/1.1 302 Found',
    ]);
    const locations = got.filter((a) => !a.startsWith('HTTP/1.1 100')).map((a) => /\r\nlocation: ([^\r]*)/.exec(a)?.[1]);
    expect(locations).toEqual([TARGET, TARGET, TARGET, TARGET, TARGET, TARGET, `${env.config.publicUrl}/c/invalid`, TARGET]);
    expect(got.at(-1)).toContain('\r\nConnection: close\r\n');
    // GET ×6 counted (the body-carrying ones too, as the route counts them); HEAD and the forged one not.
    expect(await counted(fresh)).toBe(6);
  });

  it('holds: dot segments and a fragment sent raw (fetch would resolve or drop them) are answered by the door as the router answers their percent-encoded twins', async () => {
    const button = await campaignOf(admin, tenant, '直通點段');
    await exchange(port, [get(button.path, { Connection: 'close' })]);
    const T = tenant.tenantId;
    const L = button.link;
    const pairs: Array<[string, string]> = [
      [`/c/../${L}`, `/c/%2E./${L}`],
      [`/c/./${L}`, `/c/%2E/${L}`],
      [`/c/${T}/..`, `/c/${T}/%2E.`],
      [`/c/${T}/.`, `/c/${T}/%2E`],
      [`/c/invalid/${L}`, `/c/%69nvalid/${L}`],
      [`/c/${T}/${L}?#x`, `/c/${T}/%${L.charCodeAt(0).toString(16)}${L.slice(1)}?#x`],
    ];
    for (const [raw, twin] of pairs) {
      const before = await counted(button);
      const door = answers(await exchange(port, [get(raw, { Connection: 'close' })]));
      const middle = await counted(button);
      const route = answers(await exchange(port, [get(twin, { Connection: 'close' })]));
      expect(door, raw).toEqual(route);
      expect(door[0], raw).toMatch(/^HTTP\/1\.1 302 /);
      expect((await counted(button)) - middle, raw).toBe(middle - before);
    }
  });

  it('holds: a body the door does not read is drained, and the socket’s next request is read after it, not out of it', async () => {
    const button = await campaignOf(admin, tenant, '直通本文');
    await exchange(port, [get(button.path, { Connection: 'close' })]);
    // The body holds a request line; were it read as a request, a third answer would come back.
    const smuggled = `GET /c/${tenant.tenantId}/forged.link HTTP/1.1\r\nHost: x\r\nUser-Agent: ${BROWSER}\r\n\r\n`;
    const text = await exchange(port, [
      `GET ${button.path} HTTP/1.1\r\nHost: x\r\nUser-Agent: ${BROWSER}\r\nContent-Length: ${smuggled.length}\r\n\r\n`,
      smuggled,
      get(button.path, { Connection: 'close' }),
    ], { gapMs: 50 });
    expect(answers(text).map((a) => /\r\nlocation: ([^\r]*)/.exec(a)?.[1])).toEqual([TARGET, TARGET]);
    expect(await counted(button)).toBe(3);
  });

  it('holds: malformed and hostile requests (absolute-form, a fragment, raw UTF-8, a NUL, CR in the path, huge headers, both Content-Length and chunked, a clipped request) neither crash the process nor hang the socket; the door still answers after', async () => {
    const button = await campaignOf(admin, tenant, '直通惡意');
    await exchange(port, [get(button.path, { Connection: 'close' })]);
    const T = tenant.tenantId;
    const hostile: Array<{ name: string; bytes: Array<string | Buffer>; status: RegExp; counts: number }> = [
      { name: 'absolute-form', bytes: [get(`http://innkeeper.test${button.path}`, { Connection: 'close' })], status: /^HTTP\/1\.1 302 /, counts: 1 },
      { name: 'a fragment', bytes: [get(`${button.path}#frag`, { Connection: 'close' })], status: /^HTTP\/1\.1 302 /, counts: 1 },
      { name: 'raw UTF-8 in the link', bytes: [Buffer.concat([Buffer.from(`GET /c/${T}/${button.link}`), Buffer.from('直', 'utf8'), Buffer.from(` HTTP/1.1\r\nHost: x\r\nUser-Agent: ${BROWSER}\r\nConnection: close\r\n\r\n`)])], status: /^HTTP\/1\.1 400 /, counts: 0 },
      { name: 'a NUL', bytes: [`GET /c/${T}/${button.link}\0 HTTP/1.1\r\nHost: x\r\n\r\n`], status: /^HTTP\/1\.1 400 /, counts: 0 },
      { name: 'a bare CR', bytes: [`GET /c/${T}/${button.link}\rX HTTP/1.1\r\nHost: x\r\n\r\n`], status: /^HTTP\/1\.1 400 /, counts: 0 },
      { name: 'huge headers', bytes: [get(button.path, { 'X-Big': 'a'.repeat(20_000) })], status: /^HTTP\/1\.1 431 /, counts: 0 },
      { name: 'Content-Length and chunked', bytes: [`GET ${button.path} HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`], status: /^HTTP\/1\.1 400 /, counts: 0 },
      { name: 'no Host (HTTP/1.1)', bytes: [`GET ${button.path} HTTP/1.1\r\nUser-Agent: ${BROWSER}\r\n\r\n`], status: /^HTTP\/1\.1 400 /, counts: 0 },
      { name: 'a lowercase method', bytes: [`get ${button.path} HTTP/1.1\r\nHost: x\r\n\r\n`], status: /^HTTP\/1\.1 400 /, counts: 0 },
      { name: 'an unknown Expect', bytes: [get(button.path, { Expect: 'the-unexpected' })], status: /^HTTP\/1\.1 417 /, counts: 0 },
      { name: 'an upgrade request', bytes: [get(button.path, { Connection: 'Upgrade, close', Upgrade: 'websocket' })], status: /^HTTP\/1\.1 302 /, counts: 1 },
    ];
    for (const probe of hostile) {
      const before = await counted(button);
      const got = answers(await exchange(port, probe.bytes, { quietMs: 1000 }));
      expect(got.length, probe.name).toBeGreaterThanOrEqual(1);
      expect(got[0], probe.name).toMatch(probe.status);
      expect((await counted(button)) - before, probe.name).toBe(probe.counts);
    }
    // A request cut off mid-line, and 200 clients gone the moment they asked: nothing thrown, nothing left hanging.
    for (let i = 0; i < 200; i += 1) {
      const socket = net.connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.on('connect', () => {
        socket.write(i % 2 ? get(button.path) : `GET ${button.path} HT`);
        socket.destroy();
      });
    }
    await new Promise((r) => setTimeout(r, 300));
    const after = answers(await exchange(port, [get(button.path, { Connection: 'close' })]));
    expect(after[0]).toMatch(/^HTTP\/1\.1 302 /);
    expect(after[0]).toContain(`\r\nlocation: ${TARGET}\r\n`);
  });
});

/** One request on its own socket: status and Location, or the error that ended it. */
function ask(path: string, method: string, userAgent: string): Promise<{ status: number; location: string | undefined } | { error: string }> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, agent: false, headers: { 'user-agent': userAgent } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, location: res.headers.location }));
    });
    req.on('error', (error) => resolve({ error: error.message }));
    req.end();
  });
}

describe('under parallel load', () => {
  it('holds: 2,000 requests at once on fresh buttons of two hotels (door and route both answering while the targets are read): every answered browser GET counted exactly once, HEAD, previewers and forged links never', async () => {
    const ours = await campaignOf(admin, tenant, '直通並行');
    const theirs = await campaignOf(otherAdmin, other, '直通並行他館');
    const byRoute = vi.spyOn(env.runtime.campaignClicks, 'click');
    const byDoor = vi.spyOn(env.runtime.campaignClicks, 'clickAtOnce');
    try {
      for (let round = 0; round < 2; round += 1) {
        const plan = Array.from({ length: 2000 }, (_, i) => {
          const button = i % 2 ? ours : theirs;
          const kind = i % 20 === 3 ? 'head' : i % 20 === 7 ? 'preview' : i % 20 === 11 ? 'forged' : i % 20 === 13 ? 'foreign' : 'browser';
          const path = kind === 'forged' ? `/c/${button.tenantId}/${button.link.slice(0, -3)}xyz` : kind === 'foreign' ? `/c/${button === ours ? other.tenantId : tenant.tenantId}/${button.link}` : button.path;
          return { button, kind, path, method: kind === 'head' ? 'HEAD' : 'GET', ua: kind === 'preview' ? PREVIEW : BROWSER };
        });
        const before = { ours: await counted(ours), theirs: await counted(theirs) };
        const got = await Promise.all(plan.map((p) => ask(p.path, p.method, p.ua)));
        const failed = got.filter((g) => 'error' in g || g.status !== 302);
        expect(failed, JSON.stringify(failed.slice(0, 3))).toEqual([]);
        const expected = { ours: 0, theirs: 0 };
        for (const [i, p] of plan.entries()) {
          const answer = got[i] as { status: number; location: string | undefined };
          const target = p.kind === 'forged' || p.kind === 'foreign' ? `${env.config.publicUrl}/c/invalid` : TARGET;
          expect(answer.location, `${p.kind} ${i}`).toBe(target);
          if (p.kind === 'browser') expected[p.button === ours ? 'ours' : 'theirs'] += 1;
        }
        expect({ ours: (await counted(ours)) - before.ours, theirs: (await counted(theirs)) - before.theirs }).toEqual(expected);
        // Round 0: fresh buttons, so some clicks fell through to the route while the door took others once read.
        if (round === 0) expect(byRoute.mock.calls.length).toBeGreaterThan(0);
      }
      expect(byDoor.mock.calls.length).toBeGreaterThan(byRoute.mock.calls.length);
    } finally {
      byRoute.mockRestore();
      byDoor.mockRestore();
    }
  }, 120_000);
});

describe('the server the door is', () => {
  it('holds: no route but the redirect matches the door’s shape `/c/<part>/<part>` (a route added there, e.g. `/c/:tenantId/qr`, would be answered by the door as a link: this test is where it shows)', () => {
    const underC = env.app
      .printRoutes({ commonPrefix: false })
      .split('\n')
      .filter((line) => /\s\/c\b/.test(line))
      .map((line) => line.replace(/^[\s│├└─]+/, ''));
    expect(underC).toEqual(['/c/invalid (GET, HEAD)', '/c/:tenantId/:link (GET, HEAD)']);
  });

  it('holds: made as Fastify makes its own (timeouts, keep-alive, per-socket limit, header limits, clientError handler)', async () => {
    const plain: FastifyInstance = Fastify();
    await plain.ready();
    const ours = env.app.server as unknown as Record<string, unknown> & { listenerCount(event: string): number };
    const theirs = plain.server as unknown as Record<string, unknown> & { listenerCount(event: string): number };
    for (const key of ['keepAliveTimeout', 'requestTimeout', 'headersTimeout', 'timeout', 'maxRequestsPerSocket', 'maxHeadersCount', 'maxHeaderSize', 'requireHostHeader', 'keepAliveTimeoutBuffer']) {
      expect(ours[key], key).toEqual(theirs[key]);
    }
    for (const event of ['clientError', 'request']) expect(ours.listenerCount(event), event).toBe(theirs.listenerCount(event));
    await plain.close();
  });
});

describe('while the app closes', () => {
  it('holds: a first click the route is still reading, and door clicks on a keep-alive socket, are answered and written by the close; a request pipelined in the turn the close begins is Fastify’s 503 and not counted (the door was shut first)', async () => {
    const closing = await buildApp(env.runtime);
    const closingPort = Number(new URL(await closing.listen({ port: 0, host: '127.0.0.1' })).port);
    const known = await campaignOf(admin, tenant, '直通關閉已知');
    const fresh = await campaignOf(admin, tenant, '直通關閉首次');
    await exchange(closingPort, [get(known.path, { Connection: 'close' })]);
    expect(await counted(known)).toBe(1);
    // A keep-alive socket the door has answered on, held open through the close.
    const held = net.connect(closingPort, '127.0.0.1');
    let heldText = '';
    held.on('data', (d) => (heldText += d.toString('latin1')));
    await new Promise((r) => held.on('connect', r));
    held.write(get(known.path) + get(known.path));
    await vi.waitFor(() => expect(answers(heldText)).toHaveLength(2));
    // The first click on `fresh`: its target read held back until the close has begun.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const withTenant = env.runtime.db.withTenant.bind(env.runtime.db);
    const spy = vi.spyOn(env.runtime.db, 'withTenant').mockImplementation(async (tenantId, fn) => {
      await gate;
      return withTenant(tenantId, fn);
    });
    let firstText = '';
    let firstClosed = false;
    const first = net.connect(closingPort, '127.0.0.1');
    first.on('data', (d) => (firstText += d.toString('latin1')));
    first.on('close', () => (firstClosed = true));
    first.on('connect', () => first.write(get(fresh.path)));
    await new Promise((r) => setTimeout(r, 100));
    expect(firstText).toBe('');
    const closed = closing.close();
    // In the same turn as the close begins: a request pipelined behind the one still being read.
    first.write(get(known.path));
    await new Promise((r) => setTimeout(r, 100));
    release();
    spy.mockRestore();
    await vi.waitFor(() => expect(firstClosed).toBe(true));
    await closed;
    // The click the route was reading: answered; the request pipelined as the close began: Fastify's 503, the
    // socket closed after it (the door was shut before it was read). The idle keep-alive socket: closed by the close.
    expect(answers(firstText).map((a) => a.split('\r\n', 1)[0])).toEqual(['HTTP/1.1 302 Found', 'HTTP/1.1 503 Service Unavailable']);
    expect(answers(firstText)[0]).toContain(`\r\nlocation: ${TARGET}\r\n`);
    expect(answers(firstText)[1]).toContain('\r\nConnection: close\r\n');
    expect(answers(heldText)).toHaveLength(2);
    first.destroy();
    held.destroy();
    const stored = async (button: Button) => {
      const [row] = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ clicks: number }>(tx, sql`select coalesce(sum(clicks), 0)::int as clicks from campaign_click_counts where campaign_id = ${button.id}`));
      return row!.clicks;
    };
    // Read without settling first: the close wrote them. The known link: one before, two on the held socket.
    expect({ known: await stored(known), fresh: await stored(fresh) }).toEqual({ known: 3, fresh: 1 });
  });
});
