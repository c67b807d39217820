import { createPublicKey, verify as verifySignature, type JsonWebKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signHs256 } from './jwt.ts';
import { admin, startTestSim, type TestSim } from '../testing/harness.ts';

async function verify(url: string, form: Record<string, string>) {
  const res = await fetch(`${url}/oauth2/v2.1/verify`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('LIFF ID tokens and POST /oauth2/v2.1/verify', () => {
  let t: TestSim;
  let channel: ReturnType<TestSim['sim']['createChannel']>;
  let userId: string;
  let displayName: string;

  beforeAll(async () => {
    t = await startTestSim();
    channel = t.sim.createChannel({ liffApps: [{ endpointUrl: 'https://crm.example/liff/member' }] });
    const f = t.sim.addFriends(channel.channelId, { count: 1 })[0]!;
    userId = f.userId;
    displayName = f.displayName;
  });
  afterAll(() => t.close());

  const issue = async (extra: Record<string, unknown> = {}) =>
    (await admin<{ idToken: string; accessToken: string; loginChannelId: string }>(t.url, 'POST', '/_sim/liff/token', { channelId: channel.channelId, userId, ...extra })).body;

  it('verifies a fresh token and returns LINE\'s payload', async () => {
    const { idToken, loginChannelId } = await issue({ nonce: 'n-123' });
    expect(loginChannelId).toBe(channel.loginChannelId);
    const res = await verify(t.url, { id_token: idToken, client_id: channel.loginChannelId, nonce: 'n-123' });
    expect(res.status).toBe(200);
    const iat = Math.floor(t.clock.now() / 1000);
    expect(res.body).toEqual({
      iss: 'https://access.line.me',
      sub: userId,
      aud: channel.loginChannelId,
      exp: iat + 3600,
      iat,
      amr: ['linesso'],
      name: displayName,
      picture: expect.stringContaining(userId),
      nonce: 'n-123',
    });
  });

  it('signs LIFF tokens ES256 with the key named in the header, published as a JWKS at /oauth2/v2.1/certs', async () => {
    const { idToken } = await issue();
    const [h, p, s] = idToken.split('.') as [string, string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg: string; kid: string };
    expect(header.alg).toBe('ES256');
    const certs = (await (await fetch(`${t.url}/oauth2/v2.1/certs`)).json()) as { keys: Array<JsonWebKey & { kid: string }> };
    expect(certs.keys).toEqual([expect.objectContaining({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: header.kid })]);
    // A backend can check it without asking LINE: the signature (r‖s) over header.payload with the published key.
    const key = createPublicKey({ key: certs.keys[0]!, format: 'jwk' });
    expect(verifySignature('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'))).toBe(true);
    const other = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: 'U'.padEnd(33, '1') })).toString('base64url');
    expect(verifySignature('sha256', Buffer.from(`${h}.${other}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'))).toBe(false);
  });

  it('still verifies a LINE Login token signed with the channel secret (HS256), and refuses one signed with another secret', async () => {
    const iat = Math.floor(t.clock.now() / 1000);
    const payload = { iss: 'https://access.line.me', sub: userId, aud: channel.loginChannelId, exp: iat + 600, iat };
    const good = signHs256(payload, channel.loginChannelSecret);
    expect((await verify(t.url, { id_token: good, client_id: channel.loginChannelId })).body).toMatchObject({ sub: userId });
    const bad = signHs256(payload, 'not-the-channel-secret-0000000000');
    expect((await verify(t.url, { id_token: bad, client_id: channel.loginChannelId })).body).toEqual({ error: 'invalid_request', error_description: 'Invalid IdToken.' });
  });

  it('rejects an expired token', async () => {
    const { idToken } = await issue();
    t.clock.advance(3600 * 1000);
    const res = await verify(t.url, { id_token: idToken, client_id: channel.loginChannelId });
    expect(res).toEqual({ status: 400, body: { error: 'invalid_request', error_description: 'IdToken expired.' } });
  });

  it('rejects a token checked against another client_id', async () => {
    const { idToken } = await issue();
    const res = await verify(t.url, { id_token: idToken, client_id: '1234567890' });
    expect(res).toEqual({ status: 400, body: { error: 'invalid_request', error_description: 'Invalid IdToken Audience.' } });
  });

  it('rejects tampered tokens, wrong nonces and wrong subjects', async () => {
    const { idToken } = await issue({ nonce: 'a' });
    const [h, p, s] = idToken.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: 'U'.padEnd(33, '0') })).toString('base64url');
    expect((await verify(t.url, { id_token: `${h}.${forged}.${s}`, client_id: channel.loginChannelId })).body).toEqual({ error: 'invalid_request', error_description: 'Invalid IdToken.' });
    expect((await verify(t.url, { id_token: 'not-a-jwt', client_id: channel.loginChannelId })).body['error_description']).toBe('Invalid IdToken.');
    expect((await verify(t.url, { id_token: idToken, client_id: channel.loginChannelId, nonce: 'b' })).body['error_description']).toBe('Invalid IdToken Nonce.');
    expect((await verify(t.url, { id_token: idToken, client_id: channel.loginChannelId, user_id: `U${'f'.repeat(32)}` })).body['error_description']).toBe('Invalid IdToken Subject Identifier.');
  });

  it('verifies LIFF access tokens and serves the Login profile', async () => {
    const { accessToken } = await issue();
    const res = await fetch(`${t.url}/oauth2/v2.1/verify?access_token=${encodeURIComponent(accessToken)}`);
    expect(await res.json()).toEqual({ scope: 'openid profile chat_message.write', client_id: channel.loginChannelId, expires_in: 43_200 });
    const profile = await fetch(`${t.url}/v2/profile`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(await profile.json()).toMatchObject({ userId, displayName });
    const friendship = await fetch(`${t.url}/friendship/v1/status`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(await friendship.json()).toEqual({ friendFlag: true });
    t.clock.advance(12 * 3600 * 1000);
    const expired = await fetch(`${t.url}/oauth2/v2.1/verify?access_token=${encodeURIComponent(accessToken)}`);
    expect(expired.status).toBe(400);
    expect(await expired.json()).toEqual({ error: 'invalid_request', error_description: 'The access token expired' });
  });

  it('opens LIFF URLs at the app\'s endpoint with the path, query and a token for the fake SDK', async () => {
    const liffId = channel.liffIds[0]!;
    const { body } = await admin<{ url: string }>(t.url, 'POST', '/_sim/liff/open', { channelId: channel.channelId, userId, url: `https://liff.line.me/${liffId}/coupons?c=42` });
    const opened = new URL(body.url);
    expect(`${opened.origin}${opened.pathname}`).toBe('https://crm.example/liff/member/coupons');
    expect(opened.searchParams.get('c')).toBe('42');
    const context = JSON.parse(Buffer.from(opened.hash.replace('#line-sim-liff=', ''), 'base64url').toString()) as { idToken: string; liffId: string };
    expect(context.liffId).toBe(liffId);
    expect((await verify(t.url, { id_token: context.idToken, client_id: channel.loginChannelId })).status).toBe(200);
  });
});
