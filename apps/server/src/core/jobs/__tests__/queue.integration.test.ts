import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openTestDatabase } from '../../../../test/database.ts';
import type { Database } from '../../db/database.ts';
import { migrate } from '../../db/migrate.ts';
import { asTenantId } from '../../ids.ts';
import { createJobQueue, type JobDefinition, type JobQueue } from '../queue.ts';

let db: Database;
const queues: JobQueue[] = [];
const handledBy: Array<{ worker: number; n: number }> = [];
let settle: (() => void) | undefined;
let expected = 0;

function countingJob(worker: number): JobDefinition<{ n: number }> {
  return {
    name: 'test.count',
    schema: z.object({ n: z.number().int() }),
    localConcurrency: 2,
    handler: async ({ n }) => {
      await db.ownerTransaction((owner) => owner.query('insert into job_test_runs (n) values ($1)', [n]));
      // Counted once its row is committed, so the test reads the table only after every handler's write.
      handledBy.push({ worker, n });
      if (handledBy.length >= expected) settle?.();
    },
  };
}

beforeAll(async () => {
  db = await openTestDatabase();
  await migrate(db);
  await db.ownerTransaction((owner) => owner.exec('create table job_test_runs (n integer not null)'));
  for (const worker of [1, 2]) queues.push(createJobQueue(db, [countingJob(worker) as JobDefinition<object>], pino({ level: 'silent' })));
  for (const queue of queues) await queue.start({ work: true });
});
afterAll(async () => {
  for (const queue of queues) await queue.stop();
  await db.close();
});

describe('job queue on the application database', () => {
  it('two workers share 60 jobs and each job runs exactly once', async () => {
    expected = 60;
    const done = new Promise<void>((resolve) => (settle = resolve));
    for (let n = 0; n < 60; n++) await queues[n % 2]!.enqueueNow(countingJob(0), { n });
    await done;
    const rows = await db.ownerTransaction((owner) => owner.query<{ n: number; times: number }>('select n, count(*)::int as times from job_test_runs group by n order by n'));
    expect(rows).toHaveLength(60);
    expect(rows.every((r) => r.times === 1)).toBe(true);
    expect(new Set(handledBy.map((h) => h.n)).size).toBe(60);
  });

  it('enqueues inside a tenant transaction: a rolled-back change leaves no job, a committed one does', async () => {
    const tenantId = asTenantId('01900000-0000-7000-8000-0000000000aa');
    const job = countingJob(0);
    await expect(
      db.withTenant(tenantId, async (tx) => {
        await queues[0]!.enqueue(tx, job, { n: 1000 });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expected = handledBy.length + 1;
    const done = new Promise<void>((resolve) => (settle = resolve));
    await db.withTenant(tenantId, (tx) => queues[0]!.enqueue(tx, job, { n: 1001 }));
    await done;
    const rows = await db.ownerTransaction((owner) => owner.query<{ n: number }>('select n from job_test_runs where n >= 1000'));
    expect(rows).toEqual([{ n: 1001 }]);
  });

  it('enqueueMany writes its jobs in the caller’s transaction: all of them when it commits, none when it rolls back', async () => {
    const tenantId = asTenantId('01900000-0000-7000-8000-0000000000ab');
    const job = countingJob(0);
    await expect(
      db.withTenant(tenantId, async (tx) => {
        await queues[0]!.enqueueMany(tx, job, [{ data: { n: 2000 } }, { data: { n: 2001 } }]);
        throw new Error('the batch failed');
      }),
    ).rejects.toThrow('the batch failed');
    expected = handledBy.length + 3;
    const done = new Promise<void>((resolve) => (settle = resolve));
    await db.withTenant(tenantId, (tx) => queues[0]!.enqueueMany(tx, job, [{ data: { n: 2002 } }, { data: { n: 2003 } }, { data: { n: 2004 } }]));
    await done;
    const rows = await db.ownerTransaction((owner) => owner.query<{ n: number }>('select n from job_test_runs where n >= 2000 order by n'));
    expect(rows).toEqual([{ n: 2002 }, { n: 2003 }, { n: 2004 }]);
  });

  it('a queue with the short policy keeps one queued job per singletonKey (a standard queue would keep every one)', async () => {
    const wake: JobDefinition<{ n: number }> = { name: 'test.wake', schema: z.object({ n: z.number().int() }), policy: 'short', handler: async () => undefined };
    const producer = createJobQueue(db, [wake as JobDefinition<object>], pino({ level: 'silent' }));
    await producer.start({ work: false });
    try {
      for (const n of [1, 2, 3]) await producer.enqueueNow(wake, { n }, { singletonKey: 'tenant-a' });
      await producer.enqueueNow(wake, { n: 4 }, { singletonKey: 'tenant-b' });
      const queued = await db.ownerTransaction((owner) => owner.query<{ key: string; n: number }>(`select singleton_key as key, count(*)::int as n from pgboss.job where name = 'test.wake' and state = 'created' group by singleton_key order by 1`));
      expect(queued).toEqual([
        { key: 'tenant-a', n: 1 },
        { key: 'tenant-b', n: 1 },
      ]);
    } finally {
      await producer.stop();
    }
  });

  it('refuses a payload that does not match the job schema', async () => {
    await expect(queues[0]!.enqueueNow(countingJob(0), { n: 'x' } as unknown as { n: number })).rejects.toThrow();
  });
});
