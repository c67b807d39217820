import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from './db/database.ts';

export type RateLimitResult = { allowed: boolean; hits: number; retryAfterSeconds: number };

/**
 * Fixed-window counter kept in PostgreSQL so every process shares it. Must run in the platform scope.
 * One statement: a new window starts when the old one has ended.
 */
export async function hitRateLimit(tx: Tx, key: string, limit: number, windowSeconds: number, now: Date): Promise<RateLimitResult> {
  const windowEnds = new Date(now.getTime() + windowSeconds * 1000);
  const [row] = await queryRows<{ hits: number; window_ends_at: Date | string }>(
    tx,
    sql`insert into rate_limits (key, hits, window_ends_at) values (${key}, 1, ${windowEnds.toISOString()})
        on conflict (key) do update set
          hits = case when rate_limits.window_ends_at <= ${now.toISOString()} then 1 else rate_limits.hits + 1 end,
          window_ends_at = case when rate_limits.window_ends_at <= ${now.toISOString()} then excluded.window_ends_at else rate_limits.window_ends_at end
        returning hits, window_ends_at`,
  );
  if (!row) throw new Error('rate limit upsert returned no row');
  const endsAt = new Date(row.window_ends_at).getTime();
  return {
    allowed: row.hits <= limit,
    hits: row.hits,
    retryAfterSeconds: Math.max(1, Math.ceil((endsAt - now.getTime()) / 1000)),
  };
}

/** When the window of a key ends, if it has not ended yet (platform scope). */
export async function activeWindowEnd(tx: Tx, key: string, now: Date): Promise<Date | null> {
  const [row] = await queryRows<{ window_ends_at: Date | string }>(tx, sql`select window_ends_at from rate_limits where key = ${key} and window_ends_at > ${now.toISOString()}`);
  return row ? new Date(row.window_ends_at) : null;
}

/** Forgets the counters whose window has ended (platform scope): the hourly clean-up. */
export async function deleteEndedRateLimits(tx: Tx, now: Date): Promise<void> {
  await tx.execute(sql`delete from rate_limits where window_ends_at < ${now.toISOString()}`);
}

/** Forgets a key's counter (platform scope). */
export async function clearRateLimit(tx: Tx, key: string): Promise<void> {
  await tx.execute(sql`delete from rate_limits where key = ${key}`);
}
