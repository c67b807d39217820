import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../../../test/harness.ts';
import { LEAN_HEADERS } from '../../core/http/lean-routes.ts';

// A built admin app in miniature: the page, a hashed script with its precompressed copies, a file outside /assets.
let env: TestEnv;
let webRoot: string;
const script = `console.log(${JSON.stringify('innkeeper '.repeat(300))});`;

beforeAll(async () => {
  webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'innkeeper-web-'));
  fs.mkdirSync(path.join(webRoot, 'assets'));
  fs.writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><head><title>Innkeeper</title><link rel="modulepreload" crossorigin href="/assets/ui-Sh4red.js"><link rel="modulepreload" crossorigin href="/assets/LoginPage-Si9n1n.js"></head><div id="root"></div>');
  // What the build lists for /members (apps/web/vite.config.ts), with one entry that is no chunk of ours.
  fs.writeFileSync(path.join(webRoot, 'first-pages.json'), JSON.stringify({ '/members': ['assets/MembersPage-Abc123.js', 'assets/data-Def456.js', 'assets/ui-Sh4red.js', 'https://elsewhere.example/x.js', 'assets/data-Ghi789.css', 'https://elsewhere.example/x.css'] }));
  fs.writeFileSync(path.join(webRoot, 'liff.html'), '<!doctype html><title>會員專區</title>');
  fs.writeFileSync(path.join(webRoot, 'early-requests.js'), 'window.__innkeeperEarly = {};');
  fs.writeFileSync(path.join(webRoot, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  fs.writeFileSync(path.join(webRoot, 'assets/main-AbC123.js'), script);
  fs.writeFileSync(path.join(webRoot, 'assets/main-AbC123.js.br'), zlib.brotliCompressSync(script));
  fs.writeFileSync(path.join(webRoot, 'assets/main-AbC123.js.gz'), zlib.gzipSync(script));
  env = await startTestEnv({}, {
    webRoot,
    // A route that fails, for the headers of a 500.
    beforeReady: (app) => app.get('/api/test-fails', { schema: { hide: true }, config: { access: 'public' } }, async () => { throw new Error('test failure'); }),
  });
});

afterAll(async () => {
  await env.close();
  fs.rmSync(webRoot, { recursive: true, force: true });
});

describe('serving the admin web app', () => {
  it('answers the root URL with the app page (the sign-in page when signed out), revalidated on every load', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toContain('<div id="root">');
  });

  it('answers client-side routes with the same page, and the LIFF route with the guest page', async () => {
    const members = await env.app.inject({ method: 'GET', url: '/members/0190a1b2-0000-7000-8000-000000000000' });
    expect(members.statusCode).toBe(200);
    expect(members.body).toContain('<div id="root">');
    const liff = await env.app.inject({ method: 'GET', url: '/liff/tenant/channel' });
    expect(liff.statusCode).toBe(200);
    expect(liff.body).toContain('會員專區');
    expect(liff.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('sends hashed assets compressed as the browser accepts them, cached for a year as immutable', async () => {
    const br = await env.app.inject({ method: 'GET', url: '/assets/main-AbC123.js', headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toContain('javascript');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers.vary).toContain('accept-encoding');
    expect(zlib.brotliDecompressSync(br.rawPayload).toString()).toBe(script);

    const gzip = await env.app.inject({ method: 'GET', url: '/assets/main-AbC123.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gzip.rawPayload).toString()).toBe(script);

    const plain = await env.app.inject({ method: 'GET', url: '/assets/main-AbC123.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);
  });

  it('answers a missing asset (a chunk of an earlier release) with 404, not the app page', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/assets/SettingsPage-Old456.js' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).not.toContain('text/html');
    expect(res.body).not.toContain('<div id="root">');
  });

  it('revalidates files whose names carry no hash', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/favicon.svg' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('names the chunks of the page at the address for a browser with a session cookie, so they load with the app', async () => {
    const cookie = `ik_session=${'0190a1b2-0000-7000-8000-000000000000'}.${'a'.repeat(43)}`;
    const signedIn = await env.app.inject({ method: 'GET', url: '/members?page=2', headers: { cookie } });
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.headers['content-type']).toContain('text/html');
    expect(signedIn.headers['cache-control']).toBe('no-cache');
    const preloaded = [...signedIn.body.matchAll(/<link rel="modulepreload" crossorigin href="([^"]+)">/g)].map((match) => match[1]);
    // Each once (the page already names ui), and nothing that is not one of the app's chunks.
    expect(preloaded.sort()).toEqual(['/assets/MembersPage-Abc123.js', '/assets/data-Def456.js', '/assets/ui-Sh4red.js']);
    // Their stylesheets (the tables' part of antd's) are preloaded as styles, not as modules.
    const styles = [...signedIn.body.matchAll(/<link rel="preload" as="style" crossorigin href="([^"]+)">/g)].map((match) => match[1]);
    expect(styles).toEqual(['/assets/data-Ghi789.css']);
    expect(signedIn.body).toContain('<div id="root">');

    // Without a session cookie, or at an address the build lists nothing for, the page is the file as built.
    const signedOut = await env.app.inject({ method: 'GET', url: '/members' });
    expect(signedOut.body).not.toContain('MembersPage-Abc123.js');
    const elsewhere = await env.app.inject({ method: 'GET', url: '/tags', headers: { cookie } });
    expect(elsewhere.body).not.toContain('MembersPage-Abc123.js');
    expect(elsewhere.body).toContain('<div id="root">');
  });

  it('starts the session check from an inline script, first in the page, for a browser with a session cookie', async () => {
    const cookie = `ik_session=${'0190a1b2-0000-7000-8000-000000000000'}.${'a'.repeat(43)}`;
    const early = '<script>window.__innkeeperEarly = {};</script>';
    const members = await env.app.inject({ method: 'GET', url: '/members', headers: { cookie } });
    expect(members.body.indexOf(early)).toBe(members.body.indexOf('<head>') + '<head>'.length);
    // Inline, admitted by its hash alone: other inline scripts stay refused.
    const hash = createHash('sha256').update('window.__innkeeperEarly = {};').digest('base64');
    expect(members.headers['content-security-policy']).toContain(`script-src 'self' 'sha256-${hash}'`);
    // A first page's own chunks replace the sign-in page's; elsewhere (no first page listed) the sign-in page's stay.
    expect(members.body).not.toContain('LoginPage-Si9n1n.js');
    const tags = await env.app.inject({ method: 'GET', url: '/tags', headers: { cookie } });
    expect(tags.body).toContain(early);
    expect(tags.body).toContain('/assets/LoginPage-Si9n1n.js');
    // Signed out: the page as built, without it.
    const signedOut = await env.app.inject({ method: 'GET', url: '/members' });
    expect(signedOut.body).not.toContain('__innkeeperEarly');
    expect(signedOut.headers['content-security-policy']).not.toContain('sha256-');
    expect(signedOut.body).toContain('/assets/LoginPage-Si9n1n.js');
  });

  it('serves a web app rebuilt while the server runs: the page and its list are read again once they change', async () => {
    const cookie = `ik_session=${'0190a1b2-0000-7000-8000-000000000000'}.${'a'.repeat(43)}`;
    const before = await env.app.inject({ method: 'GET', url: '/members', headers: { cookie } });
    expect(before.body).toContain('/assets/MembersPage-Abc123.js');
    const page = fs.readFileSync(path.join(webRoot, 'index.html'), 'utf8');
    const list = fs.readFileSync(path.join(webRoot, 'first-pages.json'), 'utf8');
    try {
      fs.writeFileSync(path.join(webRoot, 'index.html'), page.replace('<title>Innkeeper</title>', '<title>Innkeeper (rebuilt)</title>'));
      fs.writeFileSync(path.join(webRoot, 'first-pages.json'), JSON.stringify({ '/members': ['assets/MembersPage-New789.js'] }));
      const after = await env.app.inject({ method: 'GET', url: '/members', headers: { cookie } });
      expect(after.body).toContain('<title>Innkeeper (rebuilt)</title>');
      expect(after.body).toContain('/assets/MembersPage-New789.js');
      expect(after.body).not.toContain('MembersPage-Abc123.js');
    } finally {
      fs.writeFileSync(path.join(webRoot, 'index.html'), page);
      fs.writeFileSync(path.join(webRoot, 'first-pages.json'), list);
    }
  });

  it('keeps API paths in the API: an unknown one is a JSON 404, not the app page', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'route.not_found' } });
  });

  it('sends the same security headers on every kind of answer as @fastify/helmet did, and leaves a page its own CSP', async () => {
    // What @fastify/helmet sent with these options (recorded at d2b0e6b for every answer below), now worked out once.
    const CSP = "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'none';img-src 'self' data: https:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' 'unsafe-inline';connect-src 'self'";
    const helmet = {
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'origin-agent-cluster': '?1',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'x-dns-prefetch-control': 'off',
      'x-download-options': 'noopen',
      'x-frame-options': 'SAMEORIGIN',
      'x-permitted-cross-domain-policies': 'none',
      'x-xss-protection': '0',
    };
    const tenant = '0190a1b2-0000-7000-8000-000000000001';
    const cookie = `ik_session=${'0190a1b2-0000-7000-8000-000000000000'}.${'a'.repeat(43)}`;
    const hash = createHash('sha256').update('window.__innkeeperEarly = {};').digest('base64');
    const answers: Array<[string, InjectOptions, number, string]> = [
      ['the sign-in page', { method: 'GET', url: '/' }, 200, CSP],
      ['the app page with its inline script', { method: 'GET', url: '/members', headers: { cookie } }, 200, CSP.replace("script-src 'self'", `script-src 'self' 'sha256-${hash}'`)],
      ['a hashed asset', { method: 'GET', url: '/assets/main-AbC123.js', headers: { 'accept-encoding': 'br' } }, 200, CSP],
      ['a missing asset', { method: 'GET', url: '/assets/gone-Zz9.js' }, 404, CSP],
      ['the API, signed out', { method: 'GET', url: '/api/auth/me' }, 401, CSP],
      ['an unknown API path', { method: 'GET', url: '/api/nope' }, 404, CSP],
      ['malformed JSON', { method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{' }, 400, CSP],
      ['a failing route', { method: 'GET', url: '/api/test-fails' }, 500, CSP],
      ['the health check', { method: 'GET', url: '/healthz' }, 200, CSP],
      ['the invalid-link page', { method: 'GET', url: '/c/invalid' }, 404, CSP],
      ['the LINE webhook', { method: 'POST', url: `/api/line/webhook/${tenant}/${tenant}`, headers: { 'x-line-signature': 'x' }, payload: { events: [] } }, 404, CSP],
    ];
    for (const [name, request, status, csp] of answers) {
      const res = await env.app.inject(request);
      expect(res.statusCode, name).toBe(status);
      expect({ ...res.headers, 'content-security-policy': res.headers['content-security-policy'] }, name).toMatchObject({ ...helmet, 'content-security-policy': csp });
      expect(res.headers['strict-transport-security'], name).toBeUndefined();
      // Each header once: a route's own value replaces the common one instead of joining it.
      for (const header of [...Object.keys(helmet), 'content-security-policy']) expect(typeof res.headers[header], `${name}: ${header}`).toBe('string');
    }
    // The tracked-link redirect is served beside the general pipeline (docs/decisions/0013): its own few headers for an
    // empty 302, none of the page headers above.
    const tracked = await env.app.inject({ method: 'GET', url: `/c/${tenant}/not-a-link` });
    expect(tracked.statusCode).toBe(302);
    expect(tracked.headers).toMatchObject(LEAN_HEADERS);
    for (const header of Object.keys(helmet)) if (!(header in LEAN_HEADERS)) expect(tracked.headers[header], header).toBeUndefined();
    // The LIFF page keeps its own CSP (LINE's endpoints), not the common one; the other headers are the common ones.
    const liff = await env.app.inject({ method: 'GET', url: `/liff/${tenant}/${tenant}` });
    expect(liff.headers).toMatchObject(helmet);
    expect(liff.headers['content-security-policy']).toBe(
      "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self' https://api.line.me https://access.line.me https://liffsdk.line-scdn.net; frame-ancestors 'none'",
    );
  });
});
