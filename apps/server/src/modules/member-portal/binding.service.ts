import crypto from 'node:crypto';
import { runAfterCommit } from '../../core/after-commit.ts';
import type { JobQueue } from '../../core/jobs/queue.ts';
import type { Clock } from '../../core/clock.ts';
import { systemContext, type TenantContext } from '../../core/context.ts';
import type { Keyring } from '../../core/crypto/keyring.ts';
import type { Database, Tx } from '../../core/db/database.ts';
import { AppError } from '../../core/errors.ts';
import { newId, type TenantId } from '../../core/ids.ts';
import { hitRateLimit } from '../../core/rate-limit.ts';
import type { SmsSender } from '../../core/sms/sms.ts';
import { recordAudit } from '../audit/index.ts';
import type { ChannelsService, LineApi } from '../line/index.ts';
import { maskEmail, maskMobile, type MemberLineService, type MembersService } from '../members/index.ts';
import { getCurrentTenant } from '../tenants/index.ts';
import { confirmBinding } from './binding-confirmation.ts';
import { onlyBlankFields } from './fill-blanks.ts';
import * as repo from './member-portal.repository.ts';
import type { PortalSettings } from './portal-settings.ts';
import { hasName, isSameName } from './same-name.ts';
import type { SettingsService } from './settings.service.ts';

const CODE_MINUTES = 5;
const MAX_CODE_ATTEMPTS = 5;

/** A guest proven by a LIFF ID token that LINE verified for this channel's LINE Login channel. */
export type Guest = { tenantId: TenantId; channelId: string; lineUserId: string; displayName: string | null; pictureUrl: string | null; propertyId: string | null };

export type BindingInput = {
  lastName?: string | undefined;
  firstName?: string | undefined;
  mobile: string;
  identity?: { type: 'national_id' | 'resident_certificate' | 'passport'; number: string; passportCountry?: string | null | undefined } | undefined;
  email?: string | undefined;
  birthday?: string | undefined;
  /** The offers box: true or false only when the guest changed it; undefined leaves the consent on file as it is. */
  marketingOptIn?: boolean | undefined;
  code: string;
};

export type BindingResult = { status: 'linked' | 'created' | 'pending_review'; memberId: string | null };

export type ReviewReason = 'ambiguous' | 'conflict' | 'name_mismatch';

type Deps = {
  db: Database;
  clock: Clock;
  keyring: Keyring;
  lineApi: LineApi;
  channels: ChannelsService;
  members: MembersService;
  memberLine: MemberLineService;
  sms: SmsSender;
  settings: SettingsService;
  queue: () => JobQueue;
};

/**
 * Guests binding their LINE account to their member record (加入會員 → 與 PMS 比對): the LIFF ID token is verified
 * with LINE, the mobile is confirmed by a one-time SMS code, and the guest is matched by ID/passport or mobile — only
 * when exactly one member matches. Anything ambiguous goes to a staff review queue; nothing is guessed.
 */
export function createBindingService(deps: Deps) {
  const { db, clock } = deps;
  const available = deps.sms.mode !== 'none';

  function guestContext(tx: Tx, tenantId: TenantId): TenantContext {
    return systemContext(tx, tenantId, 'liff');
  }

  /** Verifies the ID token against this channel's LINE Login channel: a token for another channel is refused. */
  async function authenticateGuest(tenantId: TenantId, channelId: string, idToken: string | undefined): Promise<Guest> {
    if (!idToken) throw new AppError('liff.invalid_token');
    const channel = await db.withTenant(tenantId, (tx) => deps.channels.credentials(guestContext(tx, tenantId), channelId));
    if (!channel?.loginChannelId) throw new AppError('line.channel_not_found');
    const verified = await deps.lineApi.verifyIdToken(idToken, channel.loginChannelId);
    return { tenantId, channelId, lineUserId: verified.sub, displayName: verified.name ?? null, pictureUrl: verified.picture ?? null, propertyId: channel.propertyId };
  }

  /** One transaction for the guest's request; a failure marked keepChanges (a counted wrong code) still commits. */
  async function inGuest<T>(guest: Guest, fn: (ctx: TenantContext) => Promise<T>): Promise<T> {
    const afterCommit: Array<() => Promise<void>> = [];
    const outcome = await db.withTenant(guest.tenantId, async (tx) => {
      try {
        return { value: await fn(systemContext(tx, guest.tenantId, 'liff', { afterCommit: (task) => afterCommit.push(task) })) };
      } catch (error) {
        if (error instanceof AppError && error.keepChanges) return { failure: error };
        throw error;
      }
    });
    if ('failure' in outcome) throw outcome.failure;
    await runAfterCommit(afterCommit);
    return outcome.value;
  }

  /** Sends a one-time code to the mobile the guest typed. Throttled per guest and per number. */
  async function requestCode(guest: Guest, mobile: string): Promise<{ expiresInSeconds: number }> {
    // Without an SMS provider (outside the demo) a mobile cannot be confirmed, so nobody can bind.
    if (!available) throw new AppError('liff.binding_unavailable');
    const now = clock.now();
    const limits = await db.withPlatform(async (tx) => [
      await hitRateLimit(tx, `liff-otp:user:${guest.lineUserId}`, 5, 3600, now),
      await hitRateLimit(tx, `liff-otp:mobile:${mobile}`, 5, 3600, now),
      await hitRateLimit(tx, `liff-otp:burst:${guest.lineUserId}`, 1, 30, now),
    ]);
    const refused = limits.find((l) => !l.allowed);
    if (refused) throw new AppError('liff.too_many_codes', { retryAfterSeconds: refused.retryAfterSeconds });
    const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
    const tenantName = await inGuest(guest, async (ctx) => {
      const id = newId();
      await repo.insertBindingCode(ctx.db, { tenantId: guest.tenantId, id, lineUserId: guest.lineUserId, mobile, codeHash: hashCode(id, code), expiresAt: new Date(now.getTime() + CODE_MINUTES * 60_000) });
      return (await getCurrentTenant(ctx)).name;
    });
    await deps.sms.send({ to: mobile, body: `【${tenantName}】您的會員綁定驗證碼為 ${code}，${CODE_MINUTES} 分鐘內有效。請勿提供給他人。` }).catch(() => {
      throw new AppError('liff.sms_failed');
    });
    return { expiresInSeconds: CODE_MINUTES * 60 };
  }

  /** The latest unexpired code for this guest and number; a wrong code counts, five wrong codes end it. Returns its id. */
  async function consumeCode(ctx: TenantContext, guest: Guest, mobile: string, code: string): Promise<string> {
    const now = clock.now();
    const latest = await repo.findLatestUsableCode(ctx.db, ctx.tenantId, guest.lineUserId, mobile, now);
    if (!latest || latest.attempts >= MAX_CODE_ATTEMPTS) throw new AppError('liff.code_expired', { field: 'code' });
    if (!crypto.timingSafeEqual(Buffer.from(latest.codeHash), Buffer.from(hashCode(latest.id, code)))) {
      await repo.countWrongAttempt(ctx.db, ctx.tenantId, latest.id);
      const left = MAX_CODE_ATTEMPTS - latest.attempts - 1;
      throw new AppError(left > 0 ? 'liff.wrong_code' : 'liff.code_expired', { field: 'code', attemptsLeft: left }, { keepChanges: true });
    }
    await repo.markCodeConsumed(ctx.db, ctx.tenantId, latest.id, now);
    return latest.id;
  }

  function assertRequiredFields(settings: PortalSettings, input: BindingInput): void {
    const missing: string[] = [];
    const r = settings.registration;
    if (r.name.required && !(input.lastName || input.firstName)) missing.push('lastName');
    if (r.identity.required && !input.identity) missing.push('identity');
    if (r.email.required && !input.email) missing.push('email');
    if (r.birthday.required && !input.birthday) missing.push('birthday');
    if (missing.length > 0) throw new AppError('liff.missing_fields', { fields: missing });
  }

  async function bind(guest: Guest, input: BindingInput): Promise<BindingResult> {
    return inGuest(guest, async (ctx) => {
      const settings = await deps.settings.getSettings(ctx);
      assertRequiredFields(settings, input);
      const codeId = await consumeCode(ctx, guest, input.mobile, input.code);
      const now = clock.now();
      await deps.memberLine.lockLineUser(ctx, guest.lineUserId);
      const alreadyLinked = await deps.memberLine.findByLineUserId(ctx, guest.lineUserId);
      const candidates = await deps.members.findByIdentityKeys(ctx, { identityNumber: input.identity?.number ?? null, mobile: input.mobile });
      const byIdentity = candidates.filter((c) => c.matchedBy.identity);
      const byMobile = candidates.filter((c) => c.matchedBy.mobile);
      let target: string | null = null;
      let review: ReviewReason | null = null;
      const idMatches = byIdentity;
      const mobileMatches = byMobile;
      // Several members on one mobile (a household sharing a number) or on one ID: staff choose.
      if (idMatches.length > 1) review = 'ambiguous';
      else if (idMatches.length === 1) {
        target = idMatches[0]!.member.id;
        if (mobileMatches.length > 0 && !mobileMatches.some((c) => c.member.id === target)) review = 'conflict';
      } else if (mobileMatches.length > 1) review = 'ambiguous';
      else if (mobileMatches.length === 1) target = mobileMatches[0]!.member.id;

      const chosen = target ? candidates.find((c) => c.member.id === target)!.member : null;
      if (!review && chosen?.lineUserId && chosen.lineUserId !== guest.lineUserId) review = 'conflict';
      // Found by ID document with another mobile on file: the code proved only the phone typed, and an ID number is
      // known to relatives and colleagues. Binding there would hand that member's card and messages to whoever typed it.
      if (!review && chosen && chosen.lineUserId !== guest.lineUserId && chosen.mobile !== null && chosen.mobile !== input.mobile) review = 'conflict';
      // A guest already bound to a member of their own (it holds a mobile or an ID) who binds again: merging that record
      // into another, or into a new one, would fold one real guest's record into another's unasked. Staff decide.
      const ownRecord = alreadyLinked && (alreadyLinked.mobile !== null || alreadyLinked.idNumberHash !== null) ? alreadyLinked : null;
      if (!review && ownRecord && ownRecord.id !== chosen?.id) review = 'conflict';
      if (!review && chosen && chosen.lineUserId !== guest.lineUserId && !nameConfirms(input, chosen, idMatches.length === 1)) review = 'name_mismatch';
      if (review) {
        const ids = [...new Set([...idMatches, ...mobileMatches].map((c) => c.member.id).concat(ownRecord ? [ownRecord.id] : []))];
        await openReview(ctx, guest, input, ids, review);
        return { status: 'pending_review' as const, memberId: null };
      }

      const profile = { displayName: guest.displayName, pictureUrl: guest.pictureUrl };
      const fields = {
        ...(input.lastName ? { lastName: input.lastName } : {}),
        ...(input.firstName ? { firstName: input.firstName } : {}),
        ...(input.email ? { email: input.email } : {}),
        ...(input.birthday ? { birthday: input.birthday } : {}),
        ...(input.identity ? { identity: { type: input.identity.type, number: input.identity.number, passportCountry: input.identity.passportCountry ?? null } } : {}),
        mobile: input.mobile,
        // Consent is evidence (PDPA): written only when the guest changed the box, never as a side effect of binding.
        ...(input.marketingOptIn === undefined ? {} : { marketingOptIn: input.marketingOptIn, optInSource: 'liff' }),
      };
      let memberId: string;
      let status: 'linked' | 'created';
      // One guest, one member number. The follow gave the guest a friend record with a number of its own (staff tag and
      // message friends before they join). A new guest keeps that record and its number; a guest found as a member
      // keeps the member's number, and the friend record merges into it: its number is retired, never reused, and the
      // member's history names it (綁定「並合併了好友紀錄 M…」). Numbers therefore have gaps; they never promised none.
      if (chosen) {
        // Known guest: fill what the record lacks, never overwrite what staff or the PMS recorded.
        await deps.members.updateMember(ctx, chosen.id, onlyBlankFields(chosen, fields));
        memberId = chosen.id;
        status = 'linked';
      } else if (alreadyLinked && alreadyLinked.idNumberHash === null && alreadyLinked.mobile === null) {
        // The friend record created at follow becomes the member.
        await deps.members.updateMember(ctx, alreadyLinked.id, fields);
        memberId = alreadyLinked.id;
        status = 'created';
      } else {
        memberId = (await deps.members.createMember(ctx, { ...fields, propertyId: guest.propertyId }, { source: 'liff' })).id;
        status = 'created';
      }
      await deps.memberLine.linkLineAccount(ctx, memberId, { lineUserId: guest.lineUserId, profile, at: now });
      await recordAudit(ctx, { action: 'member.bound', targetType: 'member', targetId: memberId, details: { status, matchedBy: chosen ? (idMatches.length === 1 ? 'identity' : 'mobile') : 'new' } });
      const bound = await deps.members.getMember(ctx, memberId);
      // The code this binding consumed names it: a retried push of its confirmation is the same push.
      await confirmBinding(deps, ctx, { channelId: guest.channelId, lineUserId: guest.lineUserId, memberNo: bound.memberNo, language: bound.preferredLanguage, retryKey: codeId });
      return { status, memberId };
    });
  }

  /**
   * Whether the name typed confirms that the member found is this guest. Found by mobile alone, the SMS code proves only
   * that the guest holds the phone, which a spouse or parent may too: the typed name must be the member's, and a guest
   * who typed no name (or a hotel that does not ask for one) goes to review. A member with no name on file is known by
   * the mobile alone, which the code proved. Found by ID document, only a name that differs sends it to review.
   */
  function nameConfirms(input: BindingInput, member: { lastName: string; firstName: string }, byIdentity: boolean): boolean {
    if (!hasName(member)) return true;
    if (!hasName(input)) return byIdentity;
    return isSameName(input, member);
  }

  async function openReview(ctx: TenantContext, guest: Guest, input: BindingInput, candidateIds: string[], reason: ReviewReason): Promise<void> {
    // Everything the guest typed is kept (sealed) with the review, for staff to act on; the masked copy is what they see.
    const submitted = { lastName: input.lastName ?? null, firstName: input.firstName ?? null, mobile: input.mobile, email: input.email ?? null, birthday: input.birthday ?? null, identity: input.identity ?? null, marketingOptIn: input.marketingOptIn ?? null };
    await repo.insertReview(ctx.db, {
      tenantId: ctx.tenantId,
      id: newId(),
      channelId: guest.channelId,
      lineUserId: guest.lineUserId,
      lineDisplayName: guest.displayName ?? '',
      submittedMasked: {
        name: `${input.lastName ?? ''}${input.firstName ?? ''}`,
        mobile: maskMobile(input.mobile),
        email: input.email ? maskEmail(input.email) : null,
        identity: input.identity ? `${input.identity.type}:${input.identity.number.slice(0, 3)}*****${input.identity.number.slice(-2)}` : null,
        birthday: input.birthday ?? null,
        marketingOptIn: input.marketingOptIn ?? null,
      },
      submittedEncrypted: deps.keyring.encrypt(JSON.stringify(submitted)),
      candidateMemberIds: candidateIds,
      reason,
    });
    await recordAudit(ctx, { action: 'member.binding_review_opened', targetType: 'line_user', targetId: guest.lineUserId, details: { reason, candidates: candidateIds.length } });
  }

  return { available, authenticateGuest, inGuest, requestCode, bind };
}

export type BindingService = ReturnType<typeof createBindingService>;

function hashCode(id: string, code: string): string {
  return crypto.createHash('sha256').update(`${id}:${code}`).digest('hex');
}
