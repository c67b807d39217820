import { sql } from 'drizzle-orm';
import { fromDrizzle, fromPglite, PgBoss, type DrizzleTransactionLike, type JobInsert, type JobResult, type QueuePolicy, type SendOptions } from 'pg-boss';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { safeErrorMessage } from '../logging.ts';
import { APP_ROLE, QUEUE_ROLE, type Database, type Tx } from '../db/database.ts';

/**
 * A background job: a name, a payload schema (payloads carry ids, never whole records) and a handler that reloads
 * what it needs. Progress lives in business tables; the queue only wakes workers.
 */
export type JobDefinition<T extends object> = {
  name: string;
  schema: z.ZodType<T>;
  /** `retryCount` is 0 on the first attempt; a job whose worker died mid-run comes back with a higher one. */
  handler: (data: T, job: { id: string; retryCount: number }) => Promise<void>;
  /** Cron expression (UTC) for recurring jobs. */
  cron?: string;
  retryLimit?: number;
  localConcurrency?: number;
  /**
   * pg-boss queue policy, fixed when the queue is created (default 'standard'). `singletonKey` only dedupes under a
   * policy: 'short' keeps at most one queued job per key (wake-ups), 'singleton' at most one running per key.
   */
  policy?: QueuePolicy;
  /** How long a running attempt may take before the queue retries it (a dead worker's job comes back after this). */
  expireInSeconds?: number;
  /**
   * How often an idle worker looks for jobs that no notification announced: retries whose delay has passed, jobs
   * expired from a dead worker (pg-boss's default is 30 s while notifications work).
   */
  pollSeconds?: number;
};

/** What enqueueing needs of a job: its name and payload schema (a module can enqueue a job another file handles). */
export type JobRef<T extends object> = Pick<JobDefinition<T>, 'name' | 'schema'>;

export type JobQueue = {
  /** Enqueues inside the caller's transaction, so the job exists exactly when the change that asked for it commits. */
  enqueue<T extends object>(tx: Tx, job: JobRef<T>, data: T, options?: SendOptions): Promise<string | null>;
  /** Like `enqueue`, many jobs of one kind in one statement (an outbox written with a batch). */
  enqueueMany<T extends object>(tx: Tx, job: JobRef<T>, items: ReadonlyArray<{ data: T } & Omit<JobInsert<T>, 'data'>>): Promise<void>;
  /** Enqueues outside any transaction. */
  enqueueNow<T extends object>(job: JobRef<T>, data: T, options?: SendOptions): Promise<string | null>;
  start(options: { work: boolean }): Promise<void>;
  stop(): Promise<void>;
  boss: PgBoss;
};

export function createJobQueue(db: Database, jobs: ReadonlyArray<JobDefinition<object>>, logger: Logger): JobQueue {
  const boss =
    db.jobStore.kind === 'pglite'
      ? new PgBoss({ db: fromPglite(db.jobStore.pglite), backend: 'pglite', schema: 'pgboss', useListenNotify: true })
      : new PgBoss({ connectionString: db.jobStore.connectionString, schema: 'pgboss', max: 4, useListenNotify: true });
  boss.on('error', (error) => logger.error({ err: error }, 'job queue error'));
  let started = false;

  async function start({ work }: { work: boolean }): Promise<void> {
    await boss.start();
    started = true;
    for (const job of jobs) {
      await boss.createQueue(job.name, {
        retryLimit: job.retryLimit ?? 3,
        retryBackoff: true,
        notify: true,
        ...(job.policy ? { policy: job.policy } : {}),
        ...(job.expireInSeconds ? { expireInSeconds: job.expireInSeconds } : {}),
      });
      const existing = await boss.getQueue(job.name);
      // A policy is fixed at creation: a queue created before its definition named one keeps the old behaviour.
      if (existing && (existing.policy ?? 'standard') !== (job.policy ?? 'standard')) {
        logger.warn({ job: job.name, policy: existing.policy, wanted: job.policy }, 'job queue has another policy than its definition');
      }
    }
    // pg-boss has just created (or migrated) its tables as the owner: let the queue role write them, now and later.
    await db.ownerTransaction((owner) =>
      // Serialised: processes starting together would otherwise fail with "tuple concurrently updated".
      owner.exec(`select pg_advisory_xact_lock(727274099);
                  grant usage on schema pgboss to ${QUEUE_ROLE};
                  grant select, insert, update on all tables in schema pgboss to ${QUEUE_ROLE};
                  grant usage on all sequences in schema pgboss to ${QUEUE_ROLE};
                  alter default privileges in schema pgboss grant select, insert, update on tables to ${QUEUE_ROLE};`),
    );
    if (!work) return;
    for (const job of jobs) {
      // Batches keep a busy queue moving without waiting for the next poll; each job is settled on its own, so one
      // failure retries that job only.
      const options = {
        localConcurrency: job.localConcurrency ?? 1,
        batchSize: 10,
        burstWhenBatchFull: true,
        perJobResults: true,
        ...(job.pollSeconds ? { notifyPollingIntervalSeconds: job.pollSeconds } : {}),
      } as const;
      await boss.work<object>(job.name, options, async (batch) => {
        const results: JobResult[] = [];
        for (const item of batch) {
          try {
            await job.handler(job.schema.parse(item.data), { id: item.id, retryCount: item.retryCount ?? 0 });
            results.push({ id: item.id, status: 'completed' });
          } catch (error) {
            logger.error({ err: error, job: job.name, id: item.id }, 'job failed');
            // The output is kept in the queue's table: the message without the values a failed query quotes.
            results.push({ id: item.id, status: 'failed', output: { message: safeErrorMessage(error) } });
          }
        }
        return results;
      });
      if (job.cron) await boss.schedule(job.name, job.cron, {}, { tz: 'UTC' });
    }
  }

  // pg-boss's tables belong to the owner, not the restricted app role: step into the queue role (which may write
  // them and nothing else) for this statement only. Requests do not log in as the owner (DATABASE_APP_URL).
  async function asQueue<R>(tx: Tx, write: () => Promise<R>): Promise<R> {
    await tx.execute(sql`select set_config('role', ${QUEUE_ROLE}, true)`);
    try {
      return await write();
    } finally {
      await tx.execute(sql`select set_config('role', ${APP_ROLE}, true)`);
    }
  }

  return {
    boss,
    start,
    async enqueue(tx, job, data, options) {
      return asQueue(tx, () => boss.send(job.name, job.schema.parse(data), { ...options, db: fromDrizzle(tx as unknown as DrizzleTransactionLike, sql) }));
    },
    async enqueueMany(tx, job, items) {
      if (items.length === 0) return;
      const jobs = items.map((item) => ({ ...item, data: job.schema.parse(item.data) }));
      await asQueue(tx, () => boss.insert(job.name, jobs, { db: fromDrizzle(tx as unknown as DrizzleTransactionLike, sql) }));
    },
    enqueueNow: async (job, data, options) => boss.send(job.name, job.schema.parse(data), options ?? {}),
    async stop() {
      if (started) await boss.stop({ graceful: true, timeout: 10_000 });
      started = false;
    },
  };
}
