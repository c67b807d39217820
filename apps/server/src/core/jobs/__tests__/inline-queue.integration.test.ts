import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openTestDatabase } from '../../../../test/database.ts';
import type { Database } from '../../db/database.ts';
import { migrate } from '../../db/migrate.ts';
import { asTenantId } from '../../ids.ts';
import { createJobQueue, type JobDefinition, type JobQueue } from '../queue.ts';

/** The tests' inline driver: the same jobs in the same tables as pg-boss, run by `drain()` in this process. */
let db: Database;
let queue: JobQueue;
const ran: Array<{ name: string; n: number; retryCount: number }> = [];
const tenantId = asTenantId('01900000-0000-7000-8000-0000000000ac');
const Payload = z.object({ n: z.number().int() });

const leaf: JobDefinition<{ n: number }> = { name: 'test.leaf', schema: Payload, handler: async ({ n }, job) => void ran.push({ name: 'test.leaf', n, retryCount: job.retryCount }) };
/** A job that queues two more in its own transaction, as the LINE inbox drain queues a friend's profile and welcome. */
const parent: JobDefinition<{ n: number }> = {
  name: 'test.parent',
  schema: Payload,
  handler: async ({ n }, job) => {
    ran.push({ name: 'test.parent', n, retryCount: job.retryCount });
    await db.withTenant(tenantId, (tx) => queue.enqueueMany(tx, leaf, [{ data: { n: n * 10 } }, { data: { n: n * 10 + 1 } }]));
  },
};
/** Fails until its attempt `succeedsOn` (0-based), or always when that is beyond its retries. */
const flaky: JobDefinition<{ n: number; succeedsOn: number }> = {
  name: 'test.flaky',
  schema: z.object({ n: z.number().int(), succeedsOn: z.number().int() }),
  retryLimit: 2,
  handler: async ({ n, succeedsOn }, job) => {
    ran.push({ name: 'test.flaky', n, retryCount: job.retryCount });
    if (job.retryCount < succeedsOn) throw new Error(`attempt ${job.retryCount} of ${n} failed`);
  },
};

/** Jobs run together (handleMany): each call's jobs are recorded; the job with n = 3 fails its first run only. */
const calls: Array<Array<{ n: number; retryCount: number }>> = [];
const together: JobDefinition<{ n: number }> = {
  name: 'test.together',
  schema: Payload,
  handler: async () => {
    throw new Error('the workers run these jobs together');
  },
  handleMany: async (jobs) => {
    calls.push(jobs.map((job) => ({ n: job.data.n, retryCount: job.retryCount })));
    return jobs.map((job) => (job.data.n === 3 && job.retryCount === 0 ? new Error('n = 3 failed') : undefined));
  },
};

const states = (name: string) => db.ownerTransaction((owner) => owner.query<{ n: number; state: string; retry_count: number }>(`select (data->>'n')::int as n, state::text, retry_count from pgboss.job where name = $1 order by 1`, [name]));

beforeAll(async () => {
  db = await openTestDatabase();
  await migrate(db);
  queue = createJobQueue(db, [leaf, parent, flaky, together] as Array<JobDefinition<object>>, pino({ level: 'silent' }), 'inline');
  await queue.start({ work: true });
});
afterAll(async () => {
  await queue.stop();
  await db.close();
});

describe('inline job queue (tests)', () => {
  it('runs nothing until drained; then runs what committed, not what rolled back, and records it as pg-boss does', async () => {
    await db.withTenant(tenantId, (tx) => queue.enqueue(tx, leaf, { n: 1 }));
    await expect(
      db.withTenant(tenantId, async (tx) => {
        await queue.enqueue(tx, leaf, { n: 2 });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(ran).toEqual([]);
    expect(await queue.drain()).toEqual({ completed: 1, failed: [] });
    expect(ran).toEqual([{ name: 'test.leaf', n: 1, retryCount: 0 }]);
    expect(await states('test.leaf')).toEqual([{ n: 1, state: 'completed', retry_count: 0 }]);
    expect(await queue.drain()).toEqual({ completed: 0, failed: [] });
  });

  it('a drain runs the jobs that jobs queue, until none is left', async () => {
    ran.length = 0;
    await queue.enqueueNow(parent, { n: 5 });
    expect(await queue.drain()).toEqual({ completed: 3, failed: [] });
    expect(ran.map((r) => `${r.name}:${r.n}`).sort()).toEqual(['test.leaf:50', 'test.leaf:51', 'test.parent:5']);
  });

  it('a failed attempt is retried at once with the next retryCount, up to the job’s retryLimit; then it is failed and reported', async () => {
    ran.length = 0;
    await queue.enqueueNow(flaky, { n: 1, succeedsOn: 2 });
    await queue.enqueueNow(flaky, { n: 2, succeedsOn: 9 });
    const report = await queue.drain();
    expect(report.completed).toBe(1);
    expect(report.failed).toEqual([{ name: 'test.flaky', id: expect.any(String), message: 'attempt 2 of 2 failed' }]);
    const attempts = (n: number) => ran.filter((r) => r.n === n).map((r) => r.retryCount);
    expect(attempts(1)).toEqual([0, 1, 2]);
    expect(attempts(2)).toEqual([0, 1, 2]);
    expect(await states('test.flaky')).toEqual([
      { n: 1, state: 'completed', retry_count: 2 },
      { n: 2, state: 'failed', retry_count: 2 },
    ]);
  });

  it('runs a fetch’s jobs together when the job runs many at once; a job that failed is retried alone, the others complete once', async () => {
    await db.withTenant(tenantId, (tx) => queue.enqueueMany(tx, together, [1, 2, 3, 4, 5].map((n) => ({ data: { n } }))));
    await queue.drain();
    expect(calls[0]!.map((c) => c.n).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(calls.slice(1)).toEqual([[{ n: 3, retryCount: 1 }]]);
    expect(await states('test.together')).toEqual([1, 2, 3, 4, 5].map((n) => ({ n, state: 'completed', retry_count: n === 3 ? 1 : 0 })));
  });
});
