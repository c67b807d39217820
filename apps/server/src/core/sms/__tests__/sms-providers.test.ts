import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/config.ts';
import { createProviderSms } from '../sms-providers.ts';

type Received = { path: string; authorization: string | undefined; form: Record<string, string> };

/** A local HTTP server that answers like the provider: checks credentials and fields, replies in its format. */
async function fakeProvider(handle: (req: Received, res: http.ServerResponse) => void): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const r: Received = { path: req.url ?? '', authorization: req.headers.authorization, form: req.headers['content-type']?.startsWith('application/x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(body)) : {} };
      received.push(r);
      if (req.method !== 'POST') {
        res.writeHead(405).end();
        return;
      }
      handle(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('Every8d (HTTP API 2.1)', () => {
  let provider: Awaited<ReturnType<typeof fakeProvider>>;
  beforeAll(async () => {
    provider = await fakeProvider((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      if (req.path !== '/API21/HTTP/sendSMS.ashx') return res.end('-100,Not found');
      if (req.form.UID !== 'hotel01' || req.form.PWD !== 'secret-pw') return res.end('-99,帳號或密碼錯誤');
      if (!/^(\+886|0)9\d{8}$/.test(req.form.DEST ?? '')) return res.end('-4,手機號碼格式錯誤');
      if (!req.form.MSG) return res.end('-3,簡訊內容空白');
      // CREDIT,SENDED,COST,UNSEND,BATCH_ID
      res.end('79.00,1,1.00,0,1a2b3c4d-0000-4000-8000-1234567890ab');
    });
  });
  afterAll(() => provider.close());

  const sender = (password = 'secret-pw') =>
    createProviderSms(loadConfig({ SMS_PROVIDER: 'every8d', SMS_USERNAME: 'hotel01', SMS_PASSWORD: password, SMS_API_BASE_URL: provider.url }).sms!);

  it('posts the account, number and text as a form, and accepts the batch answer', async () => {
    await sender().send({ to: '+886912345678', body: '【山嵐】您的會員綁定驗證碼為 123456' });
    const last = provider.received.at(-1)!;
    expect(last.path).toBe('/API21/HTTP/sendSMS.ashx');
    expect(last.form).toMatchObject({ UID: 'hotel01', PWD: 'secret-pw', DEST: '+886912345678', MSG: '【山嵐】您的會員綁定驗證碼為 123456' });
  });

  it('a negative answer (wrong password, bad number) is an error, without the number in it', async () => {
    await expect(sender('wrong').send({ to: '+886912345678', body: 'x' })).rejects.toThrow(/Every8d refused the SMS.*-99/);
    const bad = sender().send({ to: '+1555000111', body: 'x' });
    await expect(bad).rejects.toThrow(/-4/);
    await expect(bad).rejects.not.toThrow(/1555000111/);
  });
});

describe('Twilio (Programmable Messaging)', () => {
  const SID = 'AC0123456789abcdef0123456789abcdef';
  let provider: Awaited<ReturnType<typeof fakeProvider>>;
  beforeAll(async () => {
    provider = await fakeProvider((req, res) => {
      const json = (status: number, body: object) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      const error = (status: number, code: number, message: string) => json(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
      if (req.path !== `/2010-04-01/Accounts/${SID}/Messages.json`) return error(404, 20404, 'The requested resource was not found');
      if (req.authorization !== `Basic ${Buffer.from(`${SID}:auth-token`).toString('base64')}`) return error(401, 20003, 'Authenticate');
      if (!req.form.To) return error(400, 21604, "A 'To' phone number is required.");
      if (!/^\+\d{8,15}$/.test(req.form.To)) return error(400, 21211, `Invalid 'To' Phone Number: ${req.form.To}`);
      if (!req.form.From && !req.form.MessagingServiceSid) return error(400, 21603, "The 'From' phone number is required.");
      if (!req.form.Body) return error(400, 21602, 'Message body is required.');
      json(201, { sid: 'SM0123456789abcdef0123456789abcdef', account_sid: SID, to: req.form.To, from: req.form.From ?? null, messaging_service_sid: req.form.MessagingServiceSid ?? null, body: req.form.Body, status: 'queued', num_segments: '1', direction: 'outbound-api', api_version: '2010-04-01', error_code: null, error_message: null, uri: `/2010-04-01/Accounts/${SID}/Messages/SM0123456789abcdef0123456789abcdef.json` });
    });
  });
  afterAll(() => provider.close());

  const sender = (env: Record<string, string> = {}) =>
    createProviderSms(loadConfig({ SMS_PROVIDER: 'twilio', SMS_USERNAME: SID, SMS_PASSWORD: 'auth-token', SMS_FROM: '+15005550006', SMS_API_BASE_URL: provider.url, ...env }).sms!);

  it('posts To, From and Body with basic auth and accepts 201', async () => {
    await sender().send({ to: '+886912345678', body: 'code 123456' });
    expect(provider.received.at(-1)!.form).toEqual({ To: '+886912345678', From: '+15005550006', Body: 'code 123456' });
  });

  it('sends through a messaging service when SMS_FROM is one (MG…)', async () => {
    await sender({ SMS_FROM: 'MG0123456789abcdef0123456789abcdef' }).send({ to: '+886912345678', body: 'code 123456' });
    expect(provider.received.at(-1)!.form).toEqual({ To: '+886912345678', MessagingServiceSid: 'MG0123456789abcdef0123456789abcdef', Body: 'code 123456' });
  });

  it("Twilio's errors (bad credentials, bad number) are errors with its code, without the number", async () => {
    await expect(sender({ SMS_PASSWORD: 'wrong' }).send({ to: '+886912345678', body: 'x' })).rejects.toThrow(/HTTP 401.*20003/);
    const bad = sender().send({ to: '0912345678', body: 'x' });
    await expect(bad).rejects.toThrow(/HTTP 400.*21211/);
    await expect(bad).rejects.not.toThrow(/912345678/);
  });

  it('a provider without its credentials is a configuration error at start', () => {
    expect(() => loadConfig({ SMS_PROVIDER: 'twilio', SMS_USERNAME: SID, SMS_PASSWORD: 'x' })).toThrow(/SMS_FROM/);
    expect(() => loadConfig({ SMS_PROVIDER: 'every8d', SMS_USERNAME: 'hotel01' })).toThrow(/SMS_USERNAME and SMS_PASSWORD/);
  });
});
