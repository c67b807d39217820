import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from '../../../../test/harness.ts';
import { createJobQueue, type JobQueue } from '../../../core/jobs/queue.ts';
import { perTenantCron } from '../index.ts';

let env: TestEnv;
let broken: TestTenant;
let healthy: TestTenant;
let queue: JobQueue;
const ran: string[] = [];

const jobsOf = (name: string) => env.runtime.db.ownerTransaction((owner) => owner.query<{ state: string; singleton_key: string | null }>(`select state, singleton_key from pgboss.job where name = $1 order by singleton_key`, [name]));
const settled = (rows: Array<{ state: string }>) => rows.length > 0 && rows.every((j) => j.state === 'completed' || j.state === 'failed');

beforeAll(async () => {
  // pg-boss's own workers (not the tests' inline driver): this file proves scheduled work end to end.
  env = await startTestEnv({}, { queue: 'pg-boss' });
  broken = await createTestTenant(env);
  healthy = await createTestTenant(env);
  const jobs = perTenantCron(
    { db: env.runtime.db, queue: () => queue },
    {
      name: 'test.fan-out',
      cron: '0 0 1 1 *',
      retryLimit: 0,
      run: async (_tx, tenantId) => {
        if (tenantId === broken.tenantId) throw new Error('this tenant’s clean-up fails');
        ran.push(tenantId);
      },
    },
  );
  queue = createJobQueue(env.runtime.db, jobs, pino({ level: 'silent' }));
  await queue.start({ work: true });
  await env.runtime.queue.start({ work: true });
});
afterAll(async () => {
  await queue.stop();
  await env.close();
});

describe('recurring jobs run per tenant', () => {
  it('a scheduled job queues one job per active tenant; one tenant failing does not hold the others', async () => {
    await queue.enqueueNow({ name: 'test.fan-out', schema: z.strictObject({}) }, {});
    await queue.drain();
    const rows = await jobsOf('test.fan-out.tenant');
    expect(settled(rows)).toBe(true);
    const byTenant = new Map(rows.map((j) => [j.singleton_key, j.state]));
    expect(rows.filter((j) => j.singleton_key === healthy.tenantId)).toHaveLength(1);
    expect(byTenant.get(broken.tenantId)).toBe('failed');
    expect(byTenant.get(healthy.tenantId)).toBe('completed');
    expect(ran.filter((id) => id === healthy.tenantId)).toHaveLength(1);
  });

  it('the maintenance jobs of the application fan out the same way (tag expiry, member erasure, session purge)', async () => {
    for (const name of ['tags.expire-assignments', 'members.erase-expired', 'auth.purge-expired-sessions']) {
      await env.runtime.queue.enqueueNow({ name, schema: z.strictObject({}) }, {});
      await env.runtime.queue.drain();
      const rows = await jobsOf(`${name}.tenant`);
      expect(settled(rows)).toBe(true);
      expect(rows.filter((j) => j.singleton_key === healthy.tenantId || j.singleton_key === broken.tenantId).map((j) => j.state)).toEqual(['completed', 'completed']);
    }
  });
});
