import { and, asc, desc, eq, gt, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { uuidArray } from '../../core/db/arrays.ts';
import { queryRows, type Tx } from '../../core/db/database.ts';
import type { TenantId } from '../../core/ids.ts';
import { bindingCodes, bindingReviews, memberPortalButtons, memberPortalSettings, type ReviewStatus } from './member-portal.tables.ts';
import type { PortalSettings } from './portal-settings.ts';

export type BindingCodeRow = typeof bindingCodes.$inferSelect;
export type BindingReviewRow = typeof bindingReviews.$inferSelect;
export type ButtonRow = typeof memberPortalButtons.$inferSelect;

// Settings and buttons

export async function findSettings(tx: Tx, tenantId: TenantId): Promise<PortalSettings | undefined> {
  const [row] = await tx.select().from(memberPortalSettings).where(eq(memberPortalSettings.tenantId, tenantId));
  return row?.settings;
}

export async function saveSettings(tx: Tx, tenantId: TenantId, settings: PortalSettings): Promise<void> {
  await tx
    .insert(memberPortalSettings)
    .values({ tenantId, settings })
    .onConflictDoUpdate({ target: memberPortalSettings.tenantId, set: { settings, updatedAt: new Date() } });
}

export function findButtons(tx: Tx, tenantId: TenantId, options: { enabledOnly?: boolean } = {}): Promise<ButtonRow[]> {
  return tx
    .select()
    .from(memberPortalButtons)
    .where(and(eq(memberPortalButtons.tenantId, tenantId), options.enabledOnly ? eq(memberPortalButtons.enabled, true) : undefined))
    .orderBy(asc(memberPortalButtons.sortOrder), asc(memberPortalButtons.createdAt));
}

export async function insertButton(tx: Tx, row: typeof memberPortalButtons.$inferInsert): Promise<ButtonRow> {
  const [created] = await tx.insert(memberPortalButtons).values(row).returning();
  if (!created) throw new Error('insert returned no button');
  return created;
}

export async function findButton(tx: Tx, tenantId: TenantId, id: string): Promise<ButtonRow | undefined> {
  const [row] = await tx.select().from(memberPortalButtons).where(and(eq(memberPortalButtons.tenantId, tenantId), eq(memberPortalButtons.id, id)));
  return row;
}

export async function updateButton(tx: Tx, tenantId: TenantId, id: string, patch: Partial<typeof memberPortalButtons.$inferInsert>): Promise<ButtonRow | undefined> {
  const [row] = await tx.update(memberPortalButtons).set(patch).where(and(eq(memberPortalButtons.tenantId, tenantId), eq(memberPortalButtons.id, id))).returning();
  return row;
}

/** Whether there was such a button to delete. */
export async function deleteButton(tx: Tx, tenantId: TenantId, id: string): Promise<boolean> {
  const deleted = await tx.delete(memberPortalButtons).where(and(eq(memberPortalButtons.tenantId, tenantId), eq(memberPortalButtons.id, id))).returning({ id: memberPortalButtons.id });
  return deleted.length > 0;
}

// SMS codes

export async function insertBindingCode(tx: Tx, row: typeof bindingCodes.$inferInsert): Promise<void> {
  await tx.insert(bindingCodes).values(row);
}

/**
 * The latest code sent to this guest for this number that is neither used nor expired, locked until the transaction
 * ends: guesses at one code take turns, so each sees the tries counted before it (without the lock, parallel guesses
 * all read the same count and a guest got as many tries as requests sent at once) and a code is used once.
 */
export async function findLatestUsableCode(tx: Tx, tenantId: TenantId, lineUserId: string, mobile: string, now: Date): Promise<BindingCodeRow | undefined> {
  const [row] = await tx
    .select()
    .from(bindingCodes)
    .where(and(eq(bindingCodes.tenantId, tenantId), eq(bindingCodes.lineUserId, lineUserId), eq(bindingCodes.mobile, mobile), isNull(bindingCodes.consumedAt), gt(bindingCodes.expiresAt, now)))
    .orderBy(desc(bindingCodes.createdAt))
    .limit(1)
    .for('update');
  return row;
}

export async function countWrongAttempt(tx: Tx, tenantId: TenantId, id: string): Promise<void> {
  await tx.update(bindingCodes).set({ attempts: sql`${bindingCodes.attempts} + 1` }).where(and(eq(bindingCodes.tenantId, tenantId), eq(bindingCodes.id, id)));
}

export async function markCodeConsumed(tx: Tx, tenantId: TenantId, id: string, at: Date): Promise<void> {
  await tx.update(bindingCodes).set({ consumedAt: at }).where(and(eq(bindingCodes.tenantId, tenantId), eq(bindingCodes.id, id)));
}

// Binding reviews

export async function insertReview(tx: Tx, row: typeof bindingReviews.$inferInsert): Promise<void> {
  await tx.insert(bindingReviews).values(row);
}

export async function hasOpenReview(tx: Tx, tenantId: TenantId, lineUserId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: bindingReviews.id })
    .from(bindingReviews)
    .where(and(eq(bindingReviews.tenantId, tenantId), eq(bindingReviews.lineUserId, lineUserId), eq(bindingReviews.status, 'open')))
    .limit(1);
  return row !== undefined;
}

/**
 * The reviews a property-scoped account sees: the LINE friend's own record or one of the candidates is a live member
 * matching `visible` (the caller's member-scope predicate over `m`).
 */
export function reviewsSeenThrough(visible: SQL): SQL {
  return sql`exists (select 1 from members m where m.tenant_id = ${bindingReviews.tenantId} and m.deleted_at is null
               and (m.line_user_id = ${bindingReviews.lineUserId} or m.id = any(${bindingReviews.candidateMemberIds})) and ${visible})`;
}

/**
 * How many of each review's candidates are live members outside `visible` (the caller's member-scope predicate over
 * `m`): a scoped account may not resolve a review whose candidates it cannot see all of. Counted with them: the LINE
 * friend's own record (a link moves its LINE account, a create fills it in) and the member a candidate was merged into
 * since (the same guest, still weighed by the review).
 */
export async function countHiddenCandidates(tx: Tx, tenantId: TenantId, reviewIds: readonly string[], visible: SQL): Promise<Map<string, number>> {
  if (reviewIds.length === 0) return new Map();
  const rows = await queryRows<{ id: string; hidden: number }>(
    tx,
    sql`select r.id, count(distinct h.id)::int as hidden from binding_reviews r
          cross join lateral (
            select m.id from members m where m.tenant_id = r.tenant_id and m.id = any(r.candidate_member_ids) and m.deleted_at is null and not (${visible})
            union all
            select m.id from members m where m.tenant_id = r.tenant_id and m.line_user_id = r.line_user_id and m.deleted_at is null and not (${visible})
            union all
            select m.id from members c join members m on m.tenant_id = c.tenant_id and m.id = c.merged_into_id
             where c.tenant_id = r.tenant_id and c.id = any(r.candidate_member_ids) and m.deleted_at is null and not (${visible})
          ) h
         where r.tenant_id = ${tenantId} and r.id = any(${uuidArray(reviewIds)})
         group by r.id`,
  );
  return new Map(rows.map((row) => [row.id, row.hidden]));
}

/** `seen`: reviewsSeenThrough(…) for a scoped account, undefined for one that sees every review. */
export async function findReview(tx: Tx, tenantId: TenantId, id: string, seen: SQL | undefined): Promise<BindingReviewRow | undefined> {
  const [row] = await tx.select().from(bindingReviews).where(and(eq(bindingReviews.tenantId, tenantId), eq(bindingReviews.id, id), seen));
  return row;
}

export function findReviews(tx: Tx, tenantId: TenantId, status: ReviewStatus, seen: SQL | undefined, limit: number): Promise<BindingReviewRow[]> {
  return tx
    .select()
    .from(bindingReviews)
    .where(and(eq(bindingReviews.tenantId, tenantId), eq(bindingReviews.status, status), seen))
    .orderBy(desc(bindingReviews.createdAt))
    .limit(limit);
}

/** Closes the review if it is still open (compare-and-set on its status); false when it was not open any more. */
export async function closeReview(tx: Tx, tenantId: TenantId, id: string, outcome: { status: Exclude<ReviewStatus, 'open'>; resolvedMemberId: string | null; resolvedBy: string; resolvedAt: Date }): Promise<boolean> {
  const closed = await tx
    .update(bindingReviews)
    .set(outcome)
    .where(and(eq(bindingReviews.tenantId, tenantId), eq(bindingReviews.id, id), eq(bindingReviews.status, 'open')))
    .returning({ id: bindingReviews.id });
  return closed.length > 0;
}

/** What the audit log names a review by: the guest's LINE name and the member it went to (or its first candidate). */
export function findReviewLabels(tx: Tx, tenantId: TenantId, ids: readonly string[], seen: SQL | undefined) {
  return tx
    .select({ id: bindingReviews.id, lineDisplayName: bindingReviews.lineDisplayName, resolvedMemberId: bindingReviews.resolvedMemberId, candidateMemberIds: bindingReviews.candidateMemberIds })
    .from(bindingReviews)
    .where(and(eq(bindingReviews.tenantId, tenantId), inArray(bindingReviews.id, [...ids]), seen));
}

