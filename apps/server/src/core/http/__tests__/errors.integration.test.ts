import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, signedInAs } from '../../../../test/api-client.ts';
import { createTestTenant, startTestEnv, type TestEnv } from '../../../../test/harness.ts';

let env: TestEnv;
let admin: ApiClient;

beforeAll(async () => {
  env = await startTestEnv({}, {
    beforeReady: (app) => {
      app.get('/api/test/explode', { config: { access: 'public' } }, async () => {
        throw new Error('select secret_column from accounts where password = \'x\'');
      });
    },
  });
  const tenant = await createTestTenant(env);
  admin = await signedInAs(env, tenant.adminEmail, tenant.password);
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
