import { and, eq, gt, inArray, isNull, ne, sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../core/db/database.ts';
import type { TenantId } from '../../core/ids.ts';
import { authTokens, loginFailures, recoveryCodes, sessions, type AuthTokenPurpose } from './auth.tables.ts';

export type SessionRow = typeof sessions.$inferSelect;
export type AuthTokenRow = typeof authTokens.$inferSelect;

export async function insertSession(tx: Tx, row: typeof sessions.$inferInsert): Promise<void> {
  await tx.insert(sessions).values(row);
}

export async function findSession(tx: Tx, tenantId: TenantId, id: string): Promise<SessionRow | undefined> {
  const [row] = await tx.select().from(sessions).where(and(eq(sessions.tenantId, tenantId), eq(sessions.id, id)));
  return row;
}

export async function touchSession(tx: Tx, tenantId: TenantId, id: string, now: Date): Promise<void> {
  await tx.update(sessions).set({ lastSeenAt: now }).where(and(eq(sessions.tenantId, tenantId), eq(sessions.id, id)));
}

export async function incrementSecondFactorAttempts(tx: Tx, tenantId: TenantId, id: string): Promise<number> {
  const [row] = await tx
    .update(sessions)
    .set({ secondFactorAttempts: sql`${sessions.secondFactorAttempts} + 1` })
    .where(and(eq(sessions.tenantId, tenantId), eq(sessions.id, id)))
    .returning({ attempts: sessions.secondFactorAttempts });
  return row?.attempts ?? Number.MAX_SAFE_INTEGER;
}

/** Ends a session; true when this call ended it (false: it was already gone, e.g. ended by a concurrent request). */
export async function deleteSession(tx: Tx, tenantId: TenantId, id: string): Promise<boolean> {
  const rows = await tx.delete(sessions).where(and(eq(sessions.tenantId, tenantId), eq(sessions.id, id))).returning({ id: sessions.id });
  return rows.length === 1;
}

export async function deleteAccountSessions(tx: Tx, tenantId: TenantId, accountId: string, exceptId?: string): Promise<number> {
  const rows = await tx
    .delete(sessions)
    .where(and(eq(sessions.tenantId, tenantId), eq(sessions.accountId, accountId), exceptId ? ne(sessions.id, exceptId) : undefined))
    .returning({ id: sessions.id });
  return rows.length;
}

export function findAccountSessions(tx: Tx, tenantId: TenantId, accountId: string, now: Date) {
  return tx
    .select()
    .from(sessions)
    .where(and(eq(sessions.tenantId, tenantId), eq(sessions.accountId, accountId), eq(sessions.stage, 'active'), gt(sessions.expiresAt, now)))
    .orderBy(sql`${sessions.lastSeenAt} desc`);
}

export async function insertAuthToken(tx: Tx, row: typeof authTokens.$inferInsert): Promise<void> {
  await tx.insert(authTokens).values(row);
}

/** Tokens of these purposes that are unused and unexpired, matching the hash. */
export async function findUsableToken(tx: Tx, tenantId: TenantId, tokenHash: string, purposes: AuthTokenPurpose[], now: Date): Promise<AuthTokenRow | undefined> {
  const [row] = await tx
    .select()
    .from(authTokens)
    .where(and(eq(authTokens.tenantId, tenantId), eq(authTokens.tokenHash, tokenHash), inArray(authTokens.purpose, purposes), isNull(authTokens.consumedAt), gt(authTokens.expiresAt, now)));
  return row;
}

export async function findLatestLoginCode(tx: Tx, tenantId: TenantId, sessionId: string, now: Date): Promise<AuthTokenRow | undefined> {
  const [row] = await tx
    .select()
    .from(authTokens)
    .where(and(eq(authTokens.tenantId, tenantId), eq(authTokens.sessionId, sessionId), eq(authTokens.purpose, 'login_code'), isNull(authTokens.consumedAt), gt(authTokens.expiresAt, now)))
    .orderBy(sql`${authTokens.createdAt} desc`)
    .limit(1);
  return row;
}

/**
 * Uses a one-time token: true for the one call that consumed it. A compare-and-set, so two requests presenting the
 * same token at once cannot both pass (the second waits for the first's row lock and then finds it consumed).
 */
export async function consumeToken(tx: Tx, tenantId: TenantId, id: string, now: Date): Promise<boolean> {
  const rows = await tx
    .update(authTokens)
    .set({ consumedAt: now })
    .where(and(eq(authTokens.tenantId, tenantId), eq(authTokens.id, id), isNull(authTokens.consumedAt)))
    .returning({ id: authTokens.id });
  return rows.length === 1;
}

/** Retires the account's other open links of these purposes when a new one is issued or one is used. */
export async function consumeOpenTokens(tx: Tx, tenantId: TenantId, accountId: string, purposes: AuthTokenPurpose[], now: Date): Promise<void> {
  await tx
    .update(authTokens)
    .set({ consumedAt: now })
    .where(and(eq(authTokens.tenantId, tenantId), eq(authTokens.accountId, accountId), inArray(authTokens.purpose, purposes), isNull(authTokens.consumedAt)));
}

export async function replaceRecoveryCodes(tx: Tx, tenantId: TenantId, accountId: string, codeHashes: string[]): Promise<void> {
  await tx.delete(recoveryCodes).where(and(eq(recoveryCodes.tenantId, tenantId), eq(recoveryCodes.accountId, accountId)));
  if (codeHashes.length > 0) await tx.insert(recoveryCodes).values(codeHashes.map((codeHash) => ({ tenantId, accountId, codeHash })));
}

/** Marks a recovery code used; true if it existed unused. */
export async function useRecoveryCode(tx: Tx, tenantId: TenantId, accountId: string, codeHash: string, now: Date): Promise<boolean> {
  const rows = await tx
    .update(recoveryCodes)
    .set({ usedAt: now })
    .where(and(eq(recoveryCodes.tenantId, tenantId), eq(recoveryCodes.accountId, accountId), eq(recoveryCodes.codeHash, codeHash), isNull(recoveryCodes.usedAt)))
    .returning({ codeHash: recoveryCodes.codeHash });
  return rows.length === 1;
}

export async function countUnusedRecoveryCodes(tx: Tx, tenantId: TenantId, accountId: string): Promise<number> {
  const [row] = await tx
    .select({ value: sql<number>`count(*)::int` })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.tenantId, tenantId), eq(recoveryCodes.accountId, accountId), isNull(recoveryCodes.usedAt)));
  return row?.value ?? 0;
}

/** Maintenance: sessions past their absolute expiry. */
export async function deleteExpiredSessions(tx: Tx, tenantId: TenantId, now: Date): Promise<number> {
  const rows = await tx.delete(sessions).where(and(eq(sessions.tenantId, tenantId), sql`${sessions.expiresAt} <= ${now.toISOString()}`)).returning({ id: sessions.id });
  return rows.length;
}

// Failed passwords per account and source address.

/** Until when this address may not try this account's password, if it is locked out. */
export async function findSourceLock(tx: Tx, tenantId: TenantId, accountId: string, source: string, now: Date): Promise<Date | null> {
  const [row] = await tx
    .select({ lockedUntil: loginFailures.lockedUntil })
    .from(loginFailures)
    .where(and(eq(loginFailures.tenantId, tenantId), eq(loginFailures.accountId, accountId), eq(loginFailures.source, source), gt(loginFailures.lockedUntil, now)));
  return row?.lockedUntil ?? null;
}

/**
 * Counts one failure in one statement (requests at once each count), and locks the address out at `maxFailures`. A
 * run of failures starts over once its lock has passed or after a day without failures.
 */
export async function countSourceFailure(tx: Tx, input: { tenantId: TenantId; accountId: string; source: string; now: Date; maxFailures: number; lockoutMinutes: number }) {
  const now = input.now.toISOString();
  const lockEnds = new Date(input.now.getTime() + input.lockoutMinutes * 60_000).toISOString();
  const dayAgo = new Date(input.now.getTime() - 86_400_000).toISOString();
  const failures = sql`case when login_failures.locked_until <= ${now} or login_failures.last_failed_at <= ${dayAgo} then 1 else login_failures.failures + 1 end`;
  const [row] = await queryRows<{ failures: number; locked_until: Date | string | null }>(
    tx,
    sql`insert into login_failures (tenant_id, account_id, source, failures, locked_until, last_failed_at)
        values (${input.tenantId}, ${input.accountId}, ${input.source}, 1, ${1 >= input.maxFailures ? lockEnds : null}, ${now})
        on conflict (tenant_id, account_id, source) do update set
          failures = ${failures},
          locked_until = case when ${failures} >= ${input.maxFailures} then ${lockEnds}::timestamptz end,
          last_failed_at = ${now}
        returning failures, locked_until`,
  );
  if (!row) throw new Error('login failure upsert returned no row');
  return { failures: row.failures, lockedUntil: row.locked_until === null ? null : new Date(row.locked_until) };
}

/** A correct password from an address ends its run of failures; a new password ends every address's. */
export async function clearSourceFailures(tx: Tx, tenantId: TenantId, accountId: string, source?: string): Promise<void> {
  await tx
    .delete(loginFailures)
    .where(and(eq(loginFailures.tenantId, tenantId), eq(loginFailures.accountId, accountId), source === undefined ? undefined : eq(loginFailures.source, source)));
}

/** Maintenance: runs of failures that ended over a day ago. */
export async function deleteStaleLoginFailures(tx: Tx, tenantId: TenantId, now: Date): Promise<void> {
  const dayAgo = new Date(now.getTime() - 86_400_000).toISOString();
  await tx.delete(loginFailures).where(and(eq(loginFailures.tenantId, tenantId), sql`${loginFailures.lastFailedAt} <= ${dayAgo}`, sql`coalesce(${loginFailures.lockedUntil} <= ${now.toISOString()}, true)`));
}
