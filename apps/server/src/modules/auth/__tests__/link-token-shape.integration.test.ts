import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../../test/api-client.ts';
import { startTestEnv, type TestEnv } from '../../../../test/harness.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

describe('set-password links of the wrong shape', () => {
  // 36 characters of hex digits and dashes that are not a UUID: PostgreSQL refused the tenant id with a 500.
  const tenantParts = ['0'.repeat(36), '-'.repeat(36), 'abcdef01-2345-6789-abcd-ef0123456789'.replaceAll('-', 'a')];
  const secret = 'a'.repeat(43);

  it('answer 400 auth.invalid_link, never 500, whatever stands where the tenant id belongs', async () => {
    for (const tenantPart of tenantParts) {
      const token = `${tenantPart}.${secret}`;
      for (const [url, body] of [['/api/auth/set-password/link', { token }], ['/api/auth/set-password', { token, password: 'a long enough passphrase' }]] as const) {
        const response = await new ApiClient(env).post(url, body);
        expect([url, tenantPart, response.status, response.body.error?.code]).toEqual([url, tenantPart, 400, 'auth.invalid_link']);
      }
    }
  });
});
