import { sql } from 'drizzle-orm';
import { fromDrizzle, fromPglite, PgBoss, type DrizzleTransactionLike, type JobInsert, type JobResult, type QueuePolicy, type SendOptions } from 'pg-boss';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { safeErrorMessage } from '../logging.ts';
import { APP_ROLE, QUEUE_ROLE, queryRows, type Database, type Tx } from '../db/database.ts';

/**
 * A background job: a name, a payload schema (payloads carry ids, never whole records) and a handler that reloads
 * what it needs. Progress lives in business tables; the queue only wakes workers.
 */
export type JobDefinition<T extends object> = {
  name: string;
  schema: z.ZodType<T>;
  /** `retryCount` is 0 on the first attempt; a job whose worker died mid-run comes back with a higher one. */
  handler: (data: T, job: { id: string; retryCount: number }) => Promise<void>;
  /**
   * Runs a fetch's jobs together instead of one after the other (`handler` is then unused by the workers): for jobs
   * whose reads, sends and writes are cheaper done for many at once (a campaign's batches: one transaction reads them
   * all, their LINE requests go out together). Resolves with one entry per job, in order: undefined when it succeeded,
   * the error when it failed (that job alone is retried).
   */
  handleMany?: (jobs: ReadonlyArray<{ data: T; id: string; retryCount: number }>) => Promise<Array<unknown>>;
  /** Cron expression (UTC) for recurring jobs. */
  cron?: string;
  retryLimit?: number;
  localConcurrency?: number;
  /**
   * Jobs one worker fetches at once (default 10), run one after the other: a batch keeps a busy queue moving without a
   * poll per job, but the jobs of one fetch wait for each other. Jobs that spend their time waiting on another system
   * (a LINE request) take 1, so `localConcurrency` of them are in flight.
   */
  batchSize?: number;
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

/**
 * Who runs the jobs. 'pg-boss': pg-boss's workers, woken by LISTEN/NOTIFY and polling, with retry backoff (every
 * process, and the end-to-end tests that prove it). 'inline' (tests): the jobs are written exactly as with pg-boss, in
 * the caller's transaction and in pg-boss's tables, but nothing runs them until the test calls `drain()`, which runs
 * them in the test's process; a failed attempt is due again at once (no backoff delay) and is retried up to the same
 * `retryLimit`, with the same growing `retryCount`. Nothing runs behind the test's back, so what it asserts after a
 * drain is settled.
 */
export type QueueDriver = 'pg-boss' | 'inline';

/** What a drain did: attempts that completed, and the jobs that failed for good (their retries used up). */
export type DrainReport = { completed: number; failed: Array<{ name: string; id: string; message: string }> };

export type JobQueue = {
  /** Enqueues inside the caller's transaction, so the job exists exactly when the change that asked for it commits. */
  enqueue<T extends object>(tx: Tx, job: JobRef<T>, data: T, options?: SendOptions): Promise<string | null>;
  /** Like `enqueue`, many jobs of one kind in one statement (an outbox written with a batch). */
  enqueueMany<T extends object>(tx: Tx, job: JobRef<T>, items: ReadonlyArray<{ data: T } & Omit<JobInsert<T>, 'data'>>): Promise<void>;
  /**
   * Of these singleton keys, the ones a job of this kind still holds: waiting, retrying (its backoff included) or
   * running, in any process. Read in the caller's transaction (as the queue role), so work that lost its job can tell.
   */
  liveKeys<T extends object>(tx: Tx, job: JobRef<T>, keys: readonly string[]): Promise<Set<string>>;
  /** Enqueues outside any transaction. */
  enqueueNow<T extends object>(job: JobRef<T>, data: T, options?: SendOptions): Promise<string | null>;
  /**
   * A wake-up sent after the caller's commit, without the caller waiting for it: for endpoints whose answer must not
   * wait for the queue (the LINE webhook). Coalesced per job and singleton key: while one is being written, further
   * calls ask for one more after it (written once it is, so a change committed meanwhile is not missed), never one
   * each. A send that fails is logged, not retried: the caller needs a sweep that finds work nobody woke for (a process
   * can also die between its commit and this). drain() and stop() wait for the sends under way.
   */
  enqueueSoon<T extends object>(job: JobRef<T>, data: T, options: SendOptions & { singletonKey: string }): void;
  /** Resolves once every enqueueSoon send asked for so far is written (or failed): for tests that read the jobs. */
  soonSent(): Promise<void>;
  /** Creates the queues; with `work`, pg-boss's workers start taking jobs (the inline driver takes none until drained). */
  start(options: { work: boolean }): Promise<void>;
  /**
   * Returns once none of this queue's jobs is waiting, retrying or running, jobs queued by jobs included. Inline: runs
   * them here, round after round, until a round finds none due. pg-boss: waits for the workers (of any process) to
   * settle them, looking again whenever a job settles here and at least every quarter second for other processes.
   */
  drain(): Promise<DrainReport>;
  stop(): Promise<void>;
  boss: PgBoss;
};

export function createJobQueue(db: Database, jobs: ReadonlyArray<JobDefinition<object>>, logger: Logger, driver: QueueDriver = 'pg-boss'): JobQueue {
  const inline = driver === 'inline';
  // Inline, pg-boss only stores the jobs: no maintenance timers and no cron (a test queues a scheduled job itself).
  // Otherwise its supervisor looks every 15 s (pg-boss: 60) for jobs that ran past their expiry or whose worker
  // stopped sending heartbeats (a killed process), so their retry does not wait a minute more than it must.
  const background = inline ? { supervise: false, schedule: false } : { superviseIntervalSeconds: 15, monitorIntervalSeconds: 15 };
  const boss =
    db.jobStore.kind === 'pglite'
      ? new PgBoss({ db: fromPglite(db.jobStore.pglite), backend: 'pglite', schema: 'pgboss', useListenNotify: !inline, ...background })
      : new PgBoss({ connectionString: db.jobStore.connectionString, schema: 'pgboss', max: 4, useListenNotify: !inline, ...background });
  boss.on('error', (error) => logger.error({ err: error }, 'job queue error'));
  const byName = new Map(jobs.map((job) => [job.name, job]));
  let started = false;
  /** enqueueSoon's sends under way, by job and key: the loop writing them, and whether another was asked for meanwhile. */
  const soon = new Map<string, { again: boolean; done: Promise<void> }>();
  /** Wakes a pg-boss drain waiting in this process each time one of its workers settles a job. */
  const settledHere = new Set<() => void>();

  /** One attempt of a fetch's jobs run together (handleMany): each job's outcome as pg-boss records it. */
  async function attemptMany(job: JobDefinition<object>, items: ReadonlyArray<{ id: string; data: unknown; retryCount?: number }>): Promise<JobResult[]> {
    const failed = (id: string, error: unknown): JobResult => {
      logger.error({ err: error, job: job.name, id }, 'job failed');
      return { id, status: 'failed', output: { message: safeErrorMessage(error) } };
    };
    // A payload that does not parse fails its own job, not the fetch's others.
    const parsed = items.map((item) => ({ item, parsed: job.schema.safeParse(item.data) }));
    const valid = parsed.filter((p) => p.parsed.success);
    let errors: unknown[];
    try {
      errors = valid.length === 0 ? [] : await job.handleMany!(valid.map((p) => ({ data: p.parsed.data as object, id: p.item.id, retryCount: p.item.retryCount ?? 0 })));
    } catch (error) {
      errors = valid.map(() => error ?? new Error('job failed'));
    }
    const byId = new Map(valid.map((p, i) => [p.item.id, errors[i]]));
    return parsed.map(({ item, parsed: result }) => {
      if (!result.success) return failed(item.id, result.error);
      const error = byId.get(item.id);
      return error === undefined ? { id: item.id, status: 'completed' } : failed(item.id, error);
    });
  }

  /** One attempt of one job: the handler's outcome, as pg-boss records it (the failure without the values a query quoted). */
  async function attempt(job: JobDefinition<object>, item: { id: string; data: unknown; retryCount?: number }): Promise<JobResult> {
    try {
      await job.handler(job.schema.parse(item.data), { id: item.id, retryCount: item.retryCount ?? 0 });
      return { id: item.id, status: 'completed' };
    } catch (error) {
      logger.error({ err: error, job: job.name, id: item.id }, 'job failed');
      return { id: item.id, status: 'failed', output: { message: safeErrorMessage(error) } };
    }
  }

  async function start({ work }: { work: boolean }): Promise<void> {
    await boss.start();
    started = true;
    for (const job of jobs) {
      await boss.createQueue(job.name, {
        retryLimit: job.retryLimit ?? 3,
        // Inline, a retry is due at once: the same attempts in the same order, without waiting out the backoff.
        ...(inline ? { retryBackoff: false, retryDelay: 0 } : { retryBackoff: true }),
        notify: !inline,
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
    if (!work || inline) return;
    for (const job of jobs) {
      // Batches keep a busy queue moving without waiting for the next poll; each job is settled on its own, so one
      // failure retries that job only.
      const options = {
        localConcurrency: job.localConcurrency ?? 1,
        batchSize: job.batchSize ?? 10,
        burstWhenBatchFull: true,
        perJobResults: true,
        ...(job.pollSeconds ? { notifyPollingIntervalSeconds: job.pollSeconds } : {}),
      } as const;
      const handle = async (batch: ReadonlyArray<{ id: string; data: object; retryCount?: number }>): Promise<JobResult[]> => {
        const results: JobResult[] = [];
        if (job.handleMany) results.push(...(await attemptMany(job, batch)));
        else for (const item of batch) results.push(await attempt(job, item));
        // pg-boss settles the batch once this returns: tell a waiting drain to look again just after.
        setImmediate(() => settledHere.forEach((wake) => wake()));
        return results;
      };
      if (options.batchSize > 1 && !job.handleMany) {
        await boss.work<object>(job.name, options, handle);
      } else {
        // At one job a fetch pg-boss never bursts (burstWhenBatchFull needs batchSize > 1): after each job a worker
        // waits out its poll interval before fetching the next, so a backlog drained at localConcurrency jobs per
        // interval (64 workers, 2 s: 32 campaign batches/s, whatever LINE's pace allowed). Each worker is therefore
        // registered on its own, so its handler knows its id and wakes it: a worker that got a job fetches again at
        // once, and falls back to polling only after a fetch comes back empty. Claims are pg-boss's as before. Jobs run
        // together (handleMany) are registered so too: a fetch that came back short must not wait out the interval.
        for (let i = 0; i < options.localConcurrency; i += 1) {
          let workerId = '';
          workerId = await boss.work<object>(job.name, { ...options, localConcurrency: 1 }, async (batch) => {
            const results = await handle(batch);
            if (workerId) boss.notifyWorker(workerId);
            return results;
          });
        }
      }
      if (job.cron) await boss.schedule(job.name, job.cron, {}, { tz: 'UTC' });
    }
  }

  function enqueueSoon<T extends object>(job: JobRef<T>, data: T, options: SendOptions & { singletonKey: string }): void {
    const key = `${job.name}\u0000${options.singletonKey}`;
    const under = soon.get(key);
    if (under) {
      under.again = true;
      return;
    }
    const entry = { again: true, done: Promise.resolve() };
    soon.set(key, entry);
    entry.done = (async () => {
      while (entry.again) {
        entry.again = false;
        try {
          await boss.send(job.name, job.schema.parse(data), options);
        } catch (error) {
          logger.warn({ err: error, job: job.name }, 'wake-up not queued (the sweep will find the work)');
        }
      }
      soon.delete(key);
    })();
  }

  /** Resolves once no enqueueSoon send is under way. */
  async function soonSent(): Promise<void> {
    while (soon.size > 0) await Promise.all([...soon.values()].map((entry) => entry.done));
  }

  /** This queue's jobs in the given states, by name (due now only, when asked). */
  async function waitingNames(states: readonly string[], dueOnly: boolean): Promise<string[]> {
    const rows = await db.ownerTransaction((owner) =>
      owner.query<{ name: string }>(
        `select distinct name from pgboss.job where name = any($1) and state::text = any($2) ${dueOnly ? 'and start_after <= now()' : ''}`,
        [[...byName.keys()], states],
      ),
    );
    return rows.map((row) => row.name);
  }

  /** Inline: runs every due job here, round after round, until a round finds none (a job's own jobs come next round). */
  async function drainInline(): Promise<DrainReport> {
    const report: DrainReport = { completed: 0, failed: [] };
    for (let names = await waitingNames(['created', 'retry'], true); names.length > 0; names = await waitingNames(['created', 'retry'], true)) {
      for (const name of names) {
        const job = byName.get(name)!;
        for (let batch = await boss.fetch<object>(name, { batchSize: 10, includeMetadata: true }); batch.length > 0; batch = await boss.fetch<object>(name, { batchSize: 10, includeMetadata: true })) {
          const results = job.handleMany ? await attemptMany(job, batch) : undefined;
          for (const [index, item] of batch.entries()) {
            const result = results?.[index] ?? (await attempt(job, item));
            if (result.status === 'completed') {
              await boss.complete(name, item.id);
              report.completed += 1;
            } else {
              await boss.fail(name, item.id, result.output);
              if (item.retryCount >= item.retryLimit) report.failed.push({ name, id: item.id, message: (result.output as { message: string }).message });
            }
          }
        }
      }
    }
    return report;
  }

  /** pg-boss: waits until no job of this queue is waiting, retrying (its backoff included) or running, in any process. */
  async function drainWorkers(): Promise<DrainReport> {
    while ((await waitingNames(['created', 'retry', 'active'], false)).length > 0) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          settledHere.delete(wake);
          resolve();
        };
        // Another process's worker settles jobs without telling this one: look again at least this often.
        const timer = setTimeout(wake, 250);
        settledHere.add(wake);
      });
    }
    return { completed: 0, failed: [] };
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
    async liveKeys(tx, job, keys) {
      if (keys.length === 0) return new Set();
      const rows = await asQueue(tx, () =>
        queryRows<{ key: string }>(
          tx,
          sql`select distinct singleton_key as key from pgboss.job
               where name = ${job.name} and state in ('created', 'retry', 'active')
                 and singleton_key in (${sql.join(keys.map((key) => sql`${key}`), sql`, `)})`,
        ),
      );
      return new Set(rows.map((row) => row.key));
    },
    enqueueNow: async (job, data, options) => boss.send(job.name, job.schema.parse(data), options ?? {}),
    enqueueSoon,
    soonSent,
    async drain() {
      if (!started) throw new Error('drain() needs a started queue');
      await soonSent();
      return inline ? drainInline() : drainWorkers();
    },
    async stop() {
      await soonSent();
      if (started) await boss.stop({ graceful: true, timeout: 10_000 });
      started = false;
    },
  };
}
