import { and, eq, gt, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Tx } from '../../core/db/database.ts';
import type { TenantId } from '../../core/ids.ts';
import { authTokens, recoveryCodes, sessions, type AuthTokenPurpose } from './auth.tables.ts';

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

export async function deleteSession(tx: Tx, tenantId: TenantId, id: string): Promise<void> {
  await tx.delete(sessions).where(and(eq(sessions.tenantId, tenantId), eq(sessions.id, id)));
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

export async function consumeToken(tx: Tx, tenantId: TenantId, id: string, now: Date): Promise<void> {
  await tx.update(authTokens).set({ consumedAt: now }).where(and(eq(authTokens.tenantId, tenantId), eq(authTokens.id, id)));
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
