import type { FastifyInstance, InjectOptions } from 'fastify';
import { currentTotp } from '../src/modules/auth/totp.ts';
import { listCapturedMail } from '../src/modules/mailbox/mailbox.service.ts';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from './harness.ts';

export type ApiResponse<T = any> = { status: number; body: T; headers: Record<string, unknown> };

/** A browser-like client for app.inject: keeps the session cookie and sends the CSRF token on changes. */
export class ApiClient {
  cookie: string | undefined;
  csrfToken: string | undefined;
  readonly env: TestEnv;
  locale: string;

  constructor(env: TestEnv, options: { locale?: string } = {}) {
    this.env = env;
    this.locale = options.locale ?? 'zh-TW';
  }

  get app(): FastifyInstance {
    return this.env.app;
  }

  async request<T = any>(method: InjectOptions['method'], url: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { 'accept-language': this.locale, ...extraHeaders };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrfToken && method !== 'GET') headers['x-csrf-token'] = this.csrfToken;
    const response = await this.app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }) });
    const setCookie = response.cookies.find((c) => c.name === 'ik_session');
    if (setCookie) this.cookie = setCookie.value ? `ik_session=${setCookie.value}` : undefined;
    const text = response.body;
    let parsed: unknown = text;
    if (String(response.headers['content-type'] ?? '').includes('application/json') && text) parsed = JSON.parse(text);
    return { status: response.statusCode, body: parsed as T, headers: response.headers };
  }

  get<T = any>(url: string) {
    return this.request<T>('GET', url);
  }
  post<T = any>(url: string, body?: unknown) {
    return this.request<T>('POST', url, body ?? {});
  }
  patch<T = any>(url: string, body: unknown) {
    return this.request<T>('PATCH', url, body);
  }
  delete<T = any>(url: string) {
    return this.request<T>('DELETE', url);
  }

  /** Step one only. */
  async submitPassword(email: string, password: string): Promise<ApiResponse> {
    const response = await this.post('/api/auth/login', { email, password });
    if (response.status === 200) this.csrfToken = response.body.csrfToken;
    return response;
  }

  /** Full sign-in: password, then the emailed code (or a TOTP code when a secret is given). */
  async signIn(email: string, password: string, options: { totpSecret?: string } = {}): Promise<void> {
    const first = await this.submitPassword(email, password);
    if (first.status !== 200) throw new Error(`password step failed: ${first.status} ${JSON.stringify(first.body)}`);
    const code = options.totpSecret ? currentTotp(options.totpSecret, this.env.clock.now()) : await latestLoginCode(this.env, email);
    const second = await this.post('/api/auth/second-factor', { method: options.totpSecret ? 'totp' : 'email', code });
    if (second.status !== 200) throw new Error(`second factor failed: ${second.status} ${JSON.stringify(second.body)}`);
    const me = await this.get('/api/auth/me');
    this.csrfToken = me.body.csrfToken;
  }
}

export async function latestMailTo(env: TestEnv, email: string) {
  const mail = (await listCapturedMail(env.runtime.db, 100)).find((m) => m.toAddress === email);
  if (!mail) throw new Error(`no mail to ${email}`);
  return mail;
}

export async function latestLoginCode(env: TestEnv, email: string): Promise<string> {
  const mail = await latestMailTo(env, email);
  const code = /(\d{6})/.exec(mail.subject)?.[1];
  if (!code) throw new Error(`no code in "${mail.subject}"`);
  return code;
}

export async function latestLinkToken(env: TestEnv, email: string): Promise<string> {
  const mail = await latestMailTo(env, email);
  const token = /token=([^\s]+)/.exec(mail.textBody)?.[1];
  if (!token) throw new Error('no link in mail');
  return token;
}

export async function signedInAs(env: TestEnv, email: string, password: string): Promise<ApiClient> {
  const client = new ApiClient(env);
  await client.signIn(email, password);
  return client;
}

/** A second hotel on the same test environment, its admin signed in: for checks that one hotel never reaches another's. */
export async function anotherHotel(env: TestEnv, slugPrefix: string): Promise<{ other: TestTenant; otherAdmin: ApiClient }> {
  const other = await createTestTenant(env, { slug: `${slugPrefix}-${Date.now()}` });
  return { other, otherAdmin: await signedInAs(env, other.adminEmail, other.password) };
}

/** The usual start of a test file: the app on a fresh database, one hotel tenant, and its administrator signed in. */
export async function startSignedIn(...args: Parameters<typeof startTestEnv>): Promise<{ env: TestEnv; tenant: TestTenant; admin: ApiClient }> {
  const env = await startTestEnv(...args);
  const tenant = await createTestTenant(env);
  return { env, tenant, admin: await signedInAs(env, tenant.adminEmail, tenant.password) };
}
