import { and, desc, eq } from 'drizzle-orm';
import type { Clock } from '../../core/clock.ts';
import type { RequestContext } from '../../core/context.ts';
import type { Keyring } from '../../core/crypto/keyring.ts';
import { AppError } from '../../core/errors.ts';
import { recordAudit } from '../audit/index.ts';
import type { MemberInput, MemberLineService, MembersService } from '../members/index.ts';
import { onlyBlankFields } from './fill-blanks.ts';
import { bindingReviews, type ReviewStatus } from './member-portal.tables.ts';

type Submitted = {
  lastName: string | null;
  firstName: string | null;
  mobile: string;
  email: string | null;
  birthday: string | null;
  identity: { type: 'national_id' | 'resident_certificate' | 'passport'; number: string; passportCountry?: string | null } | null;
  marketingOptIn: boolean;
};

/** The staff side of bindings the system would not decide alone: link to one of the candidates, create, or dismiss. */
export function createReviewsService(deps: { keyring: Keyring; clock: Clock; members: MembersService; memberLine: MemberLineService }) {
  async function requireOpen(ctx: RequestContext, id: string) {
    const [review] = await ctx.db.select().from(bindingReviews).where(and(eq(bindingReviews.tenantId, ctx.tenantId), eq(bindingReviews.id, id)));
    if (!review) throw new AppError('binding_review.not_found');
    if (review.status !== 'open') throw new AppError('binding_review.closed');
    return review;
  }

  async function listReviews(ctx: RequestContext, status: ReviewStatus) {
    const rows = await ctx.db.select().from(bindingReviews).where(and(eq(bindingReviews.tenantId, ctx.tenantId), eq(bindingReviews.status, status))).orderBy(desc(bindingReviews.createdAt)).limit(200);
    const data = [];
    for (const row of rows) {
      const candidates = [];
      for (const id of row.candidateMemberIds) {
        try {
          candidates.push(await deps.members.getMember(ctx, id));
        } catch {
          // The candidate was deleted or merged since: it is no longer a choice.
        }
      }
      data.push({ id: row.id, lineUserId: row.lineUserId, lineDisplayName: row.lineDisplayName, submitted: row.submittedMasked, reason: row.reason, status: row.status, candidates, createdAt: row.createdAt, resolvedAt: row.resolvedAt, resolvedMemberId: row.resolvedMemberId });
    }
    return data;
  }

  function fieldsOf(submitted: Submitted): MemberInput {
    return {
      ...(submitted.lastName ? { lastName: submitted.lastName } : {}),
      ...(submitted.firstName ? { firstName: submitted.firstName } : {}),
      ...(submitted.email ? { email: submitted.email } : {}),
      ...(submitted.birthday ? { birthday: submitted.birthday } : {}),
      ...(submitted.identity ? { identity: submitted.identity } : {}),
      mobile: submitted.mobile,
      marketingOptIn: submitted.marketingOptIn,
      optInSource: 'liff',
    };
  }

  async function close(ctx: RequestContext, id: string, status: Exclude<ReviewStatus, 'open'>, memberId: string | null) {
    await ctx.db.update(bindingReviews).set({ status, resolvedMemberId: memberId, resolvedBy: ctx.accountId, resolvedAt: deps.clock.now() }).where(and(eq(bindingReviews.tenantId, ctx.tenantId), eq(bindingReviews.id, id)));
    await recordAudit(ctx, { action: `member.binding_review_${status}`, targetType: 'binding_review', targetId: id, details: { memberId } });
  }

  /** Links the guest's LINE account to the member staff chose; fills only fields that member lacks. */
  async function linkToMember(ctx: RequestContext, id: string, memberId: string) {
    await deps.memberLine.lockLineUser(ctx, (await requireOpen(ctx, id)).lineUserId);
    // Read again after the lock: a colleague resolving the same review at the same moment has finished by now.
    const review = await requireOpen(ctx, id);
    const member = await deps.members.requireMember(ctx, memberId);
    const submitted = JSON.parse(deps.keyring.decrypt(review.submittedEncrypted)) as Submitted;
    const fields = fieldsOf(submitted);
    await deps.members.updateMember(ctx, memberId, onlyBlankFields(member, fields));
    await deps.memberLine.linkLineAccount(ctx, memberId, { lineUserId: review.lineUserId, profile: { displayName: review.lineDisplayName || null }, at: deps.clock.now() });
    await close(ctx, id, 'linked', memberId);
    return deps.members.getMember(ctx, memberId);
  }

  async function createMember(ctx: RequestContext, id: string) {
    await deps.memberLine.lockLineUser(ctx, (await requireOpen(ctx, id)).lineUserId);
    const review = await requireOpen(ctx, id);
    const submitted = JSON.parse(deps.keyring.decrypt(review.submittedEncrypted)) as Submitted;
    const friend = await deps.memberLine.findByLineUserId(ctx, review.lineUserId);
    // If the identity document belongs to another member this refuses (member.duplicate_identity): link instead.
    const created = await deps.members.createMember(ctx, { ...fieldsOf(submitted), propertyId: friend?.propertyId ?? null }, { source: 'liff' });
    await deps.memberLine.linkLineAccount(ctx, created.id, { lineUserId: review.lineUserId, profile: { displayName: review.lineDisplayName || null }, at: deps.clock.now() });
    await close(ctx, id, 'created', created.id);
    return deps.members.getMember(ctx, created.id);
  }

  async function dismiss(ctx: RequestContext, id: string): Promise<void> {
    await requireOpen(ctx, id);
    await close(ctx, id, 'dismissed', null);
  }

  return { listReviews, linkToMember, createMember, dismiss };
}

export type ReviewsService = ReturnType<typeof createReviewsService>;
