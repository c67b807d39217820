import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/config.ts';
import { ApiClient } from '../../../../test/api-client.ts';
import { startTestEnv, type TestEnv } from '../../../../test/harness.ts';

// The per-address sign-in limit (LOGIN_ATTEMPTS_PER_IP, here 3) must not be walked around by naming a new address in
// X-Forwarded-For: only the proxies listed in TRUSTED_PROXIES may say who the client is.

let direct: TestEnv;
let proxied: TestEnv;
beforeAll(async () => {
  direct = await startTestEnv({ LOGIN_ATTEMPTS_PER_IP: '3' });
  proxied = await startTestEnv({ LOGIN_ATTEMPTS_PER_IP: '3', TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1' });
}, 240_000); // two applications, each on its own database
afterAll(async () => {
  await direct?.close();
  await proxied?.close();
});

async function attempts(env: TestEnv, forwardedFor: (i: number) => string): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) {
    const response = await new ApiClient(env).request('POST', '/api/auth/login', { email: `nobody${i}@nowhere.example`, password: 'not a password' }, { 'x-forwarded-for': forwardedFor(i) });
    statuses.push(response.status);
  }
  return statuses;
}

describe('TRUSTED_PROXIES', () => {
  it('without it, X-Forwarded-For is ignored: a rotating header still hits the limit of the real address', async () => {
    expect(await attempts(direct, (i) => `198.51.100.${i + 1}`)).toEqual([401, 401, 401, 429]);
  });

  it('with the proxy listed, the header names the client: each address has its own limit', async () => {
    expect(await attempts(proxied, (i) => `198.51.100.${i + 1}`)).toEqual([401, 401, 401, 401]);
    expect(await attempts(proxied, () => '203.0.113.5')).toEqual([401, 401, 401, 429]);
  });

  it('refuses a list entry that is not an address or range', () => {
    expect(loadConfig({ TRUSTED_PROXIES: '10.0.0.1, 10.0.0.0/8, ::1, fd00::/8' }).trustedProxies).toEqual(['10.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8']);
    expect(() => loadConfig({ TRUSTED_PROXIES: 'loadbalancer.internal' })).toThrow(/TRUSTED_PROXIES/);
    expect(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(/TRUSTED_PROXIES/);
  });
});
