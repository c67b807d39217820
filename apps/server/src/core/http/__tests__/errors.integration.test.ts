import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, signedInAs } from '../../../../test/api-client.ts';
import { createTestTenant, startTestEnv, type TestEnv } from '../../../../test/harness.ts';

let env: TestEnv;
let admin: ApiClient;
let tenant: Awaited<ReturnType<typeof createTestTenant>>;
let memberId: string;

beforeAll(async () => {
  env = await startTestEnv({}, {
    beforeReady: (app) => {
      app.get('/api/test/explode', { config: { access: 'public' } }, async () => {
        throw new Error('select secret_column from accounts where password = \'x\'');
      });
    },
  });
  tenant = await createTestTenant(env);
  admin = await signedInAs(env, tenant.adminEmail, tenant.password);
  memberId = (await admin.post('/api/members', { lastName: '王', firstName: '小明', mobile: '0912345678' })).body.id;
});
afterAll(() => env.close());

function expectErrorShape(body: unknown, code: string) {
  expect(body).toMatchObject({ error: { code, message: expect.any(String) } });
}

describe('one error shape for every failure', () => {
  it('answers health once migrated', async () => {
    const response = await env.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('malformed JSON is 400 and changes nothing', async () => {
    const before = (await admin.get('/api/accounts')).body.total;
    const response = await env.app.inject({
      method: 'POST',
      url: '/api/accounts',
      headers: { cookie: admin.cookie!, 'x-csrf-token': admin.csrfToken!, 'content-type': 'application/json' },
      payload: '{"email": "a@b.c", ',
    });
    expect(response.statusCode).toBe(400);
    expectErrorShape(response.json(), 'request.malformed_json');
    expect((await admin.get('/api/accounts')).body.total).toBe(before);
  });

  it('an oversized body is 413, a wrong content type 415', async () => {
    const big = await env.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(1_100_000) }),
    });
    expect(big.statusCode).toBe(413);
    expectErrorShape(big.json(), 'request.too_large');
    const text = await env.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expect(text.statusCode).toBe(415);
    expectErrorShape(text.json(), 'request.unsupported_media_type');
  });

  it('wrong types and unknown fields are 400 with a readable issue per field, in the caller’s language', async () => {
    const zh = await admin.post('/api/properties', { code: 42, name: '', extra: true });
    expect(zh.status).toBe(400);
    expect(zh.body.error.message).toBe('輸入資料有誤，請檢查標示的欄位。');
    const byPath = Object.fromEntries(zh.body.error.details.issues.map((i: { path: string; message: string }) => [i.path, i.message]));
    expect(Object.keys(byPath).sort()).toEqual(['', 'code', 'name']);
    expect(byPath.name).toBe('此欄位為必填。');
    expect(byPath.code).toMatch(/無效|輸入/);

    admin.locale = 'en';
    const en = await admin.post('/api/properties', { code: 42, name: '' });
    expect(en.body.error.message).toBe('Some fields are invalid; please check them.');
    expect(en.body.error.details.issues.find((i: { path: string }) => i.path === 'name').message).toBe('This field is required.');
    admin.locale = 'zh-TW';
  });

  it('unknown API routes are 404 in the same shape', async () => {
    const response = await env.app.inject({ method: 'GET', url: '/api/no-such-thing' });
    expect(response.statusCode).toBe(404);
    expectErrorShape(response.json(), 'route.not_found');
  });

  it('never shows a stack trace or SQL text to a client', async () => {
    const response = await env.app.inject({ method: 'GET', url: '/api/test/explode' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ error: { code: 'internal', message: '系統發生錯誤，請稍後再試。' } });
    expect(response.body).not.toMatch(/select|secret_column|at .*\.ts/);
    expect(response.headers['x-request-id']).toEqual(expect.any(String));
  });

  it('a request without a session is 401; an expired one clears the cookie', async () => {
    const anonymous = await env.app.inject({ method: 'GET', url: '/api/accounts' });
    expect(anonymous.statusCode).toBe(401);
    expectErrorShape(anonymous.json(), 'auth.unauthenticated');
    const stale = new ApiClient(env);
    stale.cookie = admin.cookie;
    env.clock.advanceMinutes(31);
    const expired = await stale.get('/api/accounts');
    expect(expired.status).toBe(401);
    expect(String(expired.headers['set-cookie'])).toMatch(/ik_session=;/);
  });

  it('publishes the OpenAPI document and browsable docs', async () => {
    const doc = await env.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(doc.statusCode).toBe(200);
    const openapi = doc.json();
    expect(openapi.openapi).toMatch(/^3\./);
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/api/accounts', '/api/auth/login', '/api/audit-log']));
    const docs = await env.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toMatch(/swagger/i);
  });
});

/** A group nested `depth` deep, as an attacker would send it. */
function nested(depth: number): unknown {
  let group: unknown = { type: 'group', op: 'and', conditions: [{ type: 'consent', optedIn: true }] };
  for (let i = 1; i < depth; i++) group = { type: 'group', op: 'and', conditions: [group] };
  return group;
}

describe('odd input is a 400 with a field message, never a 500 from the database or the stack', () => {
  // The tests above let the first session expire: sign in again.
  let staff: ApiClient;
  beforeAll(async () => {
    staff = await signedInAs(env, tenant.adminEmail, tenant.password);
  });
  type Case = { name: string; method: 'GET' | 'POST' | 'PATCH'; url: () => string; body?: () => unknown; field: string; message: RegExp };
  const NUL = /NUL/;
  const YEARS = /1900.*2200/;
  const cases: Case[] = [
    { name: 'NUL in a body text (public login)', method: 'POST', url: () => '/api/auth/login', body: () => ({ email: 'a\u0000@b.c', password: 'x' }), field: 'email', message: NUL },
    { name: 'NUL in a body text (new property)', method: 'POST', url: () => '/api/properties', body: () => ({ code: 'NUL1', name: '台北\u0000館' }), field: 'name', message: NUL },
    { name: 'NUL in a member name', method: 'POST', url: () => '/api/members', body: () => ({ lastName: '王\u0000' }), field: 'lastName', message: NUL },
    { name: 'NUL in a member edit', method: 'PATCH', url: () => `/api/members/${memberId}`, body: () => ({ notes: 'x\u0000y' }), field: 'notes', message: NUL },
    { name: 'NUL in a tag name', method: 'POST', url: () => '/api/tags', body: () => ({ name: 'vip\u0000' }), field: 'name', message: NUL },
    { name: 'NUL in a nested body text (segment search)', method: 'POST', url: () => '/api/members/search', body: () => ({ q: 'a\u0000' }), field: 'q', message: NUL },
    { name: 'NUL in a JSON key', method: 'POST', url: () => '/api/members/search', body: () => ({ ['q\u0000']: 'a' }), field: 'q\\0', message: NUL },
    { name: 'NUL in a query parameter (accounts search)', method: 'GET', url: () => '/api/accounts?search=a%00b', field: 'search', message: NUL },
    { name: 'NUL in a query parameter (audit action)', method: 'GET', url: () => '/api/audit-log?action=%00', field: 'action', message: NUL },
    { name: 'NUL in a path parameter', method: 'GET', url: () => '/api/members/%00', field: 'memberId', message: NUL },
    { name: 'year 0000 birthday', method: 'POST', url: () => '/api/members', body: () => ({ lastName: '王', birthday: '0000-01-01' }), field: 'birthday', message: YEARS },
    { name: 'year 0000 stay', method: 'POST', url: () => `/api/members/${memberId}/stays`, body: () => ({ propertyId: tenant.propertyIds[0], checkIn: '0000-01-01', checkOut: '0000-01-02' }), field: 'checkIn', message: YEARS },
    { name: 'timeline before= year 275760', method: 'GET', url: () => `/api/members/${memberId}/timeline?before=275760-09-13`, field: 'before', message: YEARS },
    { name: 'audit from= year 0000', method: 'GET', url: () => '/api/audit-log?from=0000-01-01', field: 'from', message: YEARS },
    { name: 'follow log from= year 275760', method: 'GET', url: () => '/api/line/follow-log?from=275760-09-13&to=275760-09-13', field: 'from', message: YEARS },
    { name: 'segment date year 0000', method: 'POST', url: () => '/api/members/count', body: () => ({ definition: { type: 'group', op: 'and', conditions: [{ type: 'joined', from: '0000-01-01' }] } }), field: 'definition.conditions.0.from', message: YEARS },
    { name: 'segment nested 2,000 deep (saved)', method: 'POST', url: () => '/api/segments', body: () => ({ name: 'deep', definition: nested(2000) }), field: 'definition', message: /4/ },
    { name: 'segment nested 2,000 deep (search)', method: 'POST', url: () => '/api/members/search', body: () => ({ definition: nested(2000) }), field: 'definition', message: /4/ },
  ];

  it.each(cases)('$name', async ({ method, url, body, field, message }) => {
    const response = await staff.request(method, url(), body?.());
    expect(response.status, JSON.stringify(response.body)).toBe(400);
    expectErrorShape(response.body, 'request.validation');
    const issue = response.body.error.details.issues.find((i: { path: string }) => i.path === field);
    expect(issue, JSON.stringify(response.body.error.details)).toBeDefined();
    expect(issue.message).toMatch(message);
  });

  it('a definition four deep is still accepted', async () => {
    const response = await staff.post('/api/members/count', { definition: nested(4) });
    expect(response.status).toBe(200);
  });

  it('a malformed percent-encoding and an over-long path parameter answer in our shape', async () => {
    const bad = await env.app.inject({ method: 'GET', url: '/api/members/%zz', headers: { cookie: staff.cookie! } });
    expect(bad.statusCode).toBe(400);
    expectErrorShape(bad.json(), 'request.bad_request');
    const long = await env.app.inject({ method: 'GET', url: `/api/members/${'a'.repeat(500)}`, headers: { cookie: staff.cookie! } });
    expect(long.statusCode).toBe(414);
    expectErrorShape(long.json(), 'request.uri_too_long');
  });

  it('a 20 KB URL is 431 in our shape (refused by the HTTP parser, before Fastify)', async () => {
    await env.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = env.app.server.address() as AddressInfo;
    const response = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: `/api/accounts?search=${'a'.repeat(20_000)}` }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body }));
      });
      req.on('error', reject);
    });
    expect(response.status).toBe(431);
    expect(response.type).toMatch(/application\/json/);
    expect(JSON.parse(response.body)).toEqual({ error: { code: 'request.headers_too_large', message: '網址或標頭過長。' } });
  });
});
