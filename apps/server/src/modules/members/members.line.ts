import type { TenantContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { countFriendEventsByDay, findFriendEvents } from './interactions.repository.ts';
import { recordInteraction } from './interactions.service.ts';
import { visibleMembers } from './member-scope.ts';
import * as repo from './members.repository.ts';
import type { MemberRow } from './members.repository.ts';
import { formatMemberNo, type MembersService } from './members.service.ts';

export type LineProfile = { displayName?: string | null | undefined; pictureUrl?: string | null | undefined };

/**
 * Member numbers reserved ahead (reserveMemberNumbers) by a caller that creates friends in a long transaction: taking
 * one from the member-number counter would hold the tenant's counter until that transaction ends, and every other
 * writer of members would wait for it. `take` returns undefined when none is left; the counter is used then.
 */
export type MemberNumbers = { take(): number | undefined };

/**
 * A guest's LINE moment, told to the modules that act on it (automation) inside the transaction that records it:
 * `followed` for a new friend or an unblock, `bound` when a LINE account is linked to its member (binding).
 */
export type LineMomentHook = (ctx: TenantContext, moment: { kind: 'followed' | 'bound'; memberId: string; lineUserId: string; at: Date; isUnblocked: boolean }) => Promise<void>;

/**
 * The LINE side of a member: friends become members when they follow, blocks are recorded, and a guest who binds
 * through LIFF has the LINE account moved onto the member record that matched.
 */
export function createMemberLineService(deps: { members: MembersService; momentHooks?: () => LineMomentHook[] }) {
  async function tell(ctx: TenantContext, moment: Parameters<LineMomentHook>[1]): Promise<void> {
    for (const hook of deps.momentHooks?.() ?? []) await hook(ctx, moment);
  }

  function findByLineUserId(ctx: TenantContext, lineUserId: string): Promise<MemberRow | undefined> {
    return repo.findMemberByLineUserId(ctx.db, ctx.tenantId, lineUserId);
  }

  /** The live members behind these LINE users, by LINE user id (users without one are absent). */
  async function findByLineUserIds(ctx: TenantContext, lineUserIds: readonly string[]): Promise<Map<string, MemberRow>> {
    const rows = await repo.findMembersByLineUserIds(ctx.db, ctx.tenantId, lineUserIds);
    return new Map(rows.map((row) => [row.lineUserId!, row]));
  }

  async function createFriend(ctx: TenantContext, input: { lineUserId: string; propertyId: string | null; at: Date; status: 'following' | 'blocked' }, numbers?: MemberNumbers): Promise<MemberRow> {
    const number = numbers?.take() ?? (await repo.reserveCounter(ctx.db, ctx.tenantId, 'member_no', 1));
    const [row] = await repo.insertMembers(ctx.db, [
      {
        tenantId: ctx.tenantId,
        id: newId(),
        memberNo: formatMemberNo(number),
        propertyId: input.propertyId,
        lineUserId: input.lineUserId,
        lineStatus: input.status,
        lineFollowedAt: input.status === 'following' ? input.at : null,
        lineStatusChangedAt: input.at,
        joinedAt: input.at,
        optInSource: '',
      },
    ]);
    await recordInteraction(ctx, [row!.id], { type: 'created', occurredAt: input.at, details: { source: 'line' } });
    return row!;
  }

  /**
   * Writers of a LINE user's member record take turns until their transactions end: the worker recording a follow and
   * the guest binding through LIFF at the same moment would otherwise each miss the record the other is writing (a
   * second friend record, or a link that collides with it). Statements after the lock see what the other committed.
   * A transaction that writes members before linking (binding, staff resolving a review) takes it first, before those
   * writes: taken later it would wait for a follow that waits for the member-number counter that transaction holds.
   */
  async function lockLineUser(ctx: TenantContext, lineUserId: string): Promise<void> {
    await lockLineUsers(ctx, [lineUserId]);
  }

  /** Several at once, in one order for everyone (the LINE worker takes its whole batch's users before any write). */
  async function lockLineUsers(ctx: TenantContext, lineUserIds: readonly string[]): Promise<void> {
    await repo.lockLineUsers(ctx.db, ctx.tenantId, lineUserIds);
  }

  /**
   * Reserves `count` consecutive member numbers and returns the first, for a caller that commits this transaction at
   * once and passes them (MemberNumbers) to recordFollow / recordBlock later. A number reserved and never used is a
   * gap in the numbering, nothing more.
   */
  async function reserveMemberNumbers(ctx: TenantContext, count: number): Promise<number> {
    return repo.reserveCounter(ctx.db, ctx.tenantId, 'member_no', count);
  }

  /** A follow (new friend, or unblock). Returns the member and whether it was created now. */
  async function recordFollow(ctx: TenantContext, input: { lineUserId: string; propertyId: string | null; at: Date; isUnblocked: boolean }, numbers?: MemberNumbers): Promise<{ member: MemberRow; created: boolean }> {
    await lockLineUser(ctx, input.lineUserId);
    let member = await findByLineUserId(ctx, input.lineUserId);
    let created = false;
    if (!member) {
      member = await createFriend(ctx, { ...input, status: 'following' }, numbers);
      created = true;
    } else if (member.lineStatus === 'following') {
      // Already a friend (LINE's follow came after a message that made the guest one): nothing happened.
      return { member, created: false };
    } else {
      member = (await repo.updateMember(ctx.db, ctx.tenantId, member.id, {
        lineStatus: 'following',
        lineStatusChangedAt: input.at,
        lineFollowedAt: member.lineFollowedAt ?? input.at,
      }))!;
    }
    await recordInteraction(ctx, [member.id], { type: 'followed', occurredAt: input.at, actor: { type: 'guest', ref: input.lineUserId }, details: { isUnblocked: input.isUnblocked } });
    await tell(ctx, { kind: 'followed', memberId: member.id, lineUserId: input.lineUserId, at: input.at, isUnblocked: input.isUnblocked });
    return { member, created };
  }

  /** LINE's `unfollow` means the guest blocked the account. */
  async function recordBlock(ctx: TenantContext, input: { lineUserId: string; propertyId: string | null; at: Date }, numbers?: MemberNumbers): Promise<MemberRow> {
    await lockLineUser(ctx, input.lineUserId);
    const existing = await findByLineUserId(ctx, input.lineUserId);
    const member = existing
      ? (await repo.updateMember(ctx.db, ctx.tenantId, existing.id, { lineStatus: 'blocked', lineStatusChangedAt: input.at }))!
      : await createFriend(ctx, { ...input, status: 'blocked' }, numbers);
    await recordInteraction(ctx, [member.id], { type: 'blocked', occurredAt: input.at, actor: { type: 'guest', ref: input.lineUserId } });
    return member;
  }

  async function updateLineProfile(ctx: TenantContext, memberId: string, profile: LineProfile): Promise<void> {
    await repo.updateMember(ctx.db, ctx.tenantId, memberId, {
      ...(profile.displayName !== undefined ? { lineDisplayName: profile.displayName } : {}),
      ...(profile.pictureUrl !== undefined ? { linePictureUrl: profile.pictureUrl } : {}),
    });
  }

  /**
   * Puts the LINE account on `memberId`. If the account sits on another member (the record created when the guest
   * followed), that record is merged into this one, so history and tags follow the guest.
   */
  async function linkLineAccount(ctx: TenantContext, memberId: string, input: { lineUserId: string; profile: LineProfile; at: Date }): Promise<MemberRow> {
    const target = await deps.members.requireMember(ctx, memberId);
    if (target.lineUserId && target.lineUserId !== input.lineUserId) throw new AppError('member.line_already_linked');
    await lockLineUser(ctx, input.lineUserId);
    const holder = await findByLineUserId(ctx, input.lineUserId);
    if (holder && holder.id !== memberId) await deps.members.mergeMembers(ctx, memberId, holder.id, { line: 'merged' });
    const linked = (await repo.updateMember(ctx.db, ctx.tenantId, memberId, {
      lineUserId: input.lineUserId,
      ...(input.profile.displayName !== undefined ? { lineDisplayName: input.profile.displayName } : {}),
      ...(input.profile.pictureUrl !== undefined ? { linePictureUrl: input.profile.pictureUrl } : {}),
      ...(holder ? {} : { lineStatus: 'following' as const, lineStatusChangedAt: input.at, lineFollowedAt: target.lineFollowedAt ?? input.at }),
    }))!;
    await recordInteraction(ctx, [memberId], { type: 'bound', occurredAt: input.at, actor: { type: 'guest', ref: input.lineUserId }, details: { mergedFriendRecord: holder && holder.id !== memberId ? holder.memberNo : null } });
    await tell(ctx, { kind: 'bound', memberId, lineUserId: input.lineUserId, at: input.at, isUnblocked: false });
    return linked;
  }

  /** 封鎖紀錄: follows, unblocks and blocks of the live members the caller sees (each one opens), newest first. */
  async function listFriendEvents(ctx: TenantContext, filter: { from: Date; to: Date; type?: 'followed' | 'blocked' | undefined; page: number; pageSize: number }) {
    const types = filter.type ? [filter.type] : ['followed', 'blocked'];
    const rows = await findFriendEvents(ctx.db, ctx.tenantId, visibleMembers(ctx), { from: filter.from, to: filter.to, types, offset: (filter.page - 1) * filter.pageSize, limit: filter.pageSize + 1 });
    return {
      data: rows.slice(0, filter.pageSize).map((r) => ({
        id: r.id,
        occurredAt: new Date(r.occurred_at),
        event: r.type === 'blocked' ? ('blocked' as const) : r.details.isUnblocked ? ('unblocked' as const) : ('followed' as const),
        member: { id: r.member_id, memberNo: r.member_no, name: `${r.last_name}${r.first_name}`, lineDisplayName: r.line_display_name, linePictureUrl: r.line_picture_url, lineStatus: r.line_status },
      })),
      hasMore: rows.length > filter.pageSize,
    };
  }

  /** Daily counts of new friends, unblocks and blocks in the hotel's time zone, of the members the caller sees. */
  async function friendEventDailyCounts(ctx: TenantContext, filter: { from: Date; to: Date; timezone: string }) {
    return countFriendEventsByDay(ctx.db, ctx.tenantId, visibleMembers(ctx), filter);
  }

  return { lockLineUser, lockLineUsers, findByLineUserId, findByLineUserIds, reserveMemberNumbers, recordFollow, recordBlock, updateLineProfile, linkLineAccount, listFriendEvents, friendEventDailyCounts };
}

export type MemberLineService = ReturnType<typeof createMemberLineService>;
