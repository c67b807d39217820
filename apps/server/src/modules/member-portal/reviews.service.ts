import type { Clock } from '../../core/clock.ts';
import { can, type RequestContext } from '../../core/context.ts';
import type { Keyring } from '../../core/crypto/keyring.ts';
import { AppError } from '../../core/errors.ts';
import type { JobQueue } from '../../core/jobs/queue.ts';
import { recordAudit } from '../audit/index.ts';
import { labelMembersForAudit, propertyScopeOf, visibleMembers, type MemberInput, type MemberLineService, type MembersService } from '../members/index.ts';
import { confirmBinding, declineBinding } from './binding-confirmation.ts';
import { onlyBlankFields } from './fill-blanks.ts';
import * as repo from './member-portal.repository.ts';
import type { ReviewStatus } from './member-portal.tables.ts';

type Submitted = {
  lastName: string | null;
  firstName: string | null;
  mobile: string;
  email: string | null;
  birthday: string | null;
  identity: { type: 'national_id' | 'resident_certificate' | 'passport'; number: string; passportCountry?: string | null } | null;
  /** null (or absent, in reviews opened before it could be) when the guest left the offers box as it was. */
  marketingOptIn?: boolean | null;
};

/** The staff side of bindings the system would not decide alone: link to one of the candidates, create, or dismiss. */
/**
 * A property-scoped account sees the reviews of guests it can see (decision 0006): the LINE friend's own record or one
 * of the candidates is a member it sees. The list, every action on one review and the audit log's names use it.
 */
function seenBy(ctx: RequestContext) {
  return propertyScopeOf(ctx) === 'all' ? undefined : repo.reviewsSeenThrough(visibleMembers(ctx));
}

export function createReviewsService(deps: { keyring: Keyring; clock: Clock; members: MembersService; memberLine: MemberLineService; queue: () => JobQueue }) {
  async function requireOpen(ctx: RequestContext, id: string) {
    const review = await repo.findReview(ctx.db, ctx.tenantId, id, seenBy(ctx));
    if (!review) throw new AppError('binding_review.not_found');
    if (review.status !== 'open') throw new AppError('binding_review.closed');
    return review;
  }

  /** Live candidates per review that this account does not see (none for a group-level account). */
  async function hiddenCandidates(ctx: RequestContext, ids: readonly string[]): Promise<Map<string, number>> {
    return propertyScopeOf(ctx) === 'all' ? new Map() : repo.countHiddenCandidates(ctx.db, ctx.tenantId, ids, visibleMembers(ctx));
  }

  /**
   * A review staff may resolve: open, and every live candidate one this account sees. Linking, creating or dismissing
   * decides between the candidates; an account that cannot see some of them (a 台北館 desk, a group friend whose
   * candidates are 台中館 guests) would decide blind, so it is left to staff who see them all.
   */
  async function requireResolvable(ctx: RequestContext, id: string) {
    const review = await requireOpen(ctx, id);
    if (((await hiddenCandidates(ctx, [id])).get(id) ?? 0) > 0) throw new AppError('binding_review.candidates_out_of_scope');
    return review;
  }

  /** The reviews this account sees; candidates it cannot see are left out of the choices. */
  async function listReviews(ctx: RequestContext, status: ReviewStatus) {
    const rows = await repo.findReviews(ctx.db, ctx.tenantId, status, seenBy(ctx), 200);
    // Every candidate of the page in one query, only those this account sees; one deleted or merged since is no longer a choice.
    const members = await deps.members.getMembersByIds(ctx, rows.flatMap((row) => row.candidateMemberIds));
    const hidden = await hiddenCandidates(ctx, rows.map((row) => row.id));
    return rows.map((row) => ({
      id: row.id,
      lineUserId: row.lineUserId,
      lineDisplayName: row.lineDisplayName,
      submitted: row.submittedMasked,
      reason: row.reason,
      status: row.status,
      candidates: row.candidateMemberIds.flatMap((id) => members.get(id) ?? []),
      hiddenCandidates: hidden.get(row.id) ?? 0,
      createdAt: row.createdAt,
      resolvedAt: row.resolvedAt,
      resolvedMemberId: row.resolvedMemberId,
    }));
  }

  function fieldsOf(submitted: Submitted): MemberInput {
    return {
      ...(submitted.lastName ? { lastName: submitted.lastName } : {}),
      ...(submitted.firstName ? { firstName: submitted.firstName } : {}),
      ...(submitted.email ? { email: submitted.email } : {}),
      ...(submitted.birthday ? { birthday: submitted.birthday } : {}),
      ...(submitted.identity ? { identity: submitted.identity } : {}),
      mobile: submitted.mobile,
      // Consent only when the guest gave or withdrew it in the form; otherwise what is on file stays.
      ...(typeof submitted.marketingOptIn === 'boolean' ? { marketingOptIn: submitted.marketingOptIn, optInSource: 'liff' } : {}),
    };
  }

  /**
   * Closes the review if it is still open (compare-and-set on its status): of two staff resolving it at once, one
   * closes it and the other is told it is already handled, and that one's transaction, with its changes, rolls back.
   */
  async function close(ctx: RequestContext, id: string, status: Exclude<ReviewStatus, 'open'>, memberId: string | null) {
    const closed = await repo.closeReview(ctx.db, ctx.tenantId, id, { status, resolvedMemberId: memberId, resolvedBy: ctx.accountId, resolvedAt: deps.clock.now() });
    if (!closed) throw new AppError('binding_review.closed');
    await recordAudit(ctx, { action: `member.binding_review_${status}`, targetType: 'binding_review', targetId: id, details: { memberId } });
  }

  /** The guest hears in LINE that staff confirmed the membership (once, however often the push is retried). */
  async function confirm(ctx: RequestContext, review: { id: string; channelId: string; lineUserId: string }, member: { memberNo: string; preferredLanguage: string }) {
    await confirmBinding(deps, ctx, { channelId: review.channelId, lineUserId: review.lineUserId, memberNo: member.memberNo, language: member.preferredLanguage, retryKey: review.id });
  }

  /**
   * Links the guest's LINE account to the candidate staff chose; fills only fields that member lacks. Only a candidate:
   * the review weighed the guest's typed data against those members, not against anyone staff might name.
   */
  async function linkToMember(ctx: RequestContext, id: string, memberId: string) {
    await deps.memberLine.lockLineUser(ctx, (await requireOpen(ctx, id)).lineUserId);
    // Read again after the lock (and only then weigh the candidates): a colleague resolving the same review at the same moment has finished by now.
    const review = await requireResolvable(ctx, id);
    if (!review.candidateMemberIds.includes(memberId)) throw new AppError('binding_review.not_a_candidate', { field: 'memberId' });
    const member = await deps.members.requireMember(ctx, memberId);
    const submitted = JSON.parse(deps.keyring.decrypt(review.submittedEncrypted)) as Submitted;
    const fields = fieldsOf(submitted);
    await deps.members.updateMember(ctx, memberId, onlyBlankFields(member, fields));
    await deps.memberLine.linkLineAccount(ctx, memberId, { lineUserId: review.lineUserId, profile: { displayName: review.lineDisplayName || null }, at: deps.clock.now() });
    await close(ctx, id, 'linked', memberId);
    const linked = await deps.members.getMember(ctx, memberId);
    await confirm(ctx, review, linked);
    return linked;
  }

  async function createMember(ctx: RequestContext, id: string) {
    await deps.memberLine.lockLineUser(ctx, (await requireOpen(ctx, id)).lineUserId);
    const review = await requireResolvable(ctx, id);
    const submitted = JSON.parse(deps.keyring.decrypt(review.submittedEncrypted)) as Submitted;
    const friend = await deps.memberLine.findByLineUserId(ctx, review.lineUserId);
    // If the identity document belongs to another member this refuses (member.duplicate_identity): link instead.
    // As when a binding needs no review, the friend record made at follow becomes the member and keeps its number.
    const created =
      friend && friend.idNumberHash === null && friend.mobile === null
        ? await deps.members.updateMember(ctx, friend.id, fieldsOf(submitted))
        : await deps.members.createMember(ctx, { ...fieldsOf(submitted), propertyId: friend?.propertyId ?? null }, { source: 'liff' });
    await deps.memberLine.linkLineAccount(ctx, created.id, { lineUserId: review.lineUserId, profile: { displayName: review.lineDisplayName || null }, at: deps.clock.now() });
    await close(ctx, id, 'created', created.id);
    const member = await deps.members.getMember(ctx, created.id);
    await confirm(ctx, review, member);
    return member;
  }

  /** Closes the review without a member; the guest hears in LINE that the binding was not completed. */
  async function dismiss(ctx: RequestContext, id: string): Promise<void> {
    const review = await requireResolvable(ctx, id);
    await close(ctx, id, 'dismissed', null);
    const friend = await deps.memberLine.findByLineUserId(ctx, review.lineUserId);
    await declineBinding(deps, ctx, { channelId: review.channelId, lineUserId: review.lineUserId, language: friend?.preferredLanguage ?? 'zh-TW', retryKey: review.id });
  }

  return { listReviews, linkToMember, createMember, dismiss };
}

export type ReviewsService = ReturnType<typeof createReviewsService>;

/**
 * How the audit log names a binding review (「綁定審核 LINE 鄭淑芬 → M0000020 彭佳英」 rather than an id): the guest's LINE
 * name and the member it was linked to or created as (else its first candidate), that member named as the members
 * module names it for this viewer. Only reviews the viewer could open are named; the LINE name only for a viewer who
 * may read members.
 */
export async function labelReviewsForAudit(ctx: RequestContext, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await repo.findReviewLabels(ctx.db, ctx.tenantId, ids, seenBy(ctx));
  const memberOf = (row: (typeof rows)[number]) => row.resolvedMemberId ?? row.candidateMemberIds[0] ?? null;
  const members = await labelMembersForAudit(ctx, rows.flatMap((row) => memberOf(row) ?? []));
  const readsMembers = can(ctx, 'members.read');
  return new Map(
    rows.map((row) => {
      const guest = readsMembers && row.lineDisplayName ? `LINE ${row.lineDisplayName}` : 'LINE';
      const member = memberOf(row);
      const label = member ? members.get(member) : undefined;
      return [row.id, label ? `${guest} → ${label}` : guest];
    }),
  );
}

