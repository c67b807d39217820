import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient} from '../../../../test/api-client.ts';
import { signedInAs } from '../../../../test/api-client.ts';
import { createTestTenant, startTestEnv, type TestEnv } from '../../../../test/harness.ts';
import { createLogger } from '../../logging.ts';

// What the process logs, as written: the real logger, writing into a buffer instead of stdout.
let output = '';
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    output += chunk.toString();
    done();
  },
});

let env: TestEnv;
let admin: ApiClient;

beforeAll(async () => {
  env = await startTestEnv({}, { runtime: { logger: createLogger({ level: 'info', destination: sink }) } });
  const tenant = await createTestTenant(env);
  admin = await signedInAs(env, tenant.adminEmail, tenant.password);
  // A real failure inside PostgreSQL for one name: the insert fails as a broken constraint or trigger would, and
  // PostgreSQL quotes the whole failing row (mobile, e-mail, name) in its error detail.
  await env.runtime.db.ownerTransaction((owner) => owner.exec(`alter table members add constraint log_test_refuses check (last_name <> '日誌測試') not valid`));
});
afterAll(async () => {
  await env.runtime.db.ownerTransaction((owner) => owner.exec('alter table members drop constraint log_test_refuses'));
  await env.close();
});

describe('logs carry no personal data', () => {
  it('a failed insert is logged with its SQL, without the mobile, e-mail or name it was sent', async () => {
    output = '';
    const response = await admin.post('/api/members', { lastName: '日誌測試', firstName: '小明', mobile: '0912 345 678', email: 'leak.check@example.com' });
    expect(response.status).toBe(500);
    const logged = output;
    expect(logged).toContain('unhandled error');
    expect(logged).toContain('insert into');
    expect(logged).toContain('log_test_refuses');
    expect(logged).not.toMatch(/912\s?345\s?678/);
    expect(logged).not.toContain('leak.check');
    expect(logged).not.toContain('日誌測試');
    expect(logged).not.toContain('小明');
  });

  it('request logs keep the path and parameter names, never query values such as a set-password token', async () => {
    output = '';
    const token = 'tok_5f1d9c0e8b7a4e2f9d3c1b0a';
    await env.app.inject({ method: 'GET', url: `/set-password?token=${token}&mobile=0912345678` });
    const logged = output;
    expect(logged).toContain('/set-password?token=…&mobile=…');
    expect(logged).not.toContain(token);
    expect(logged).not.toContain('0912345678');
  });
});
