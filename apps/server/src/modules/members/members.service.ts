import type { MergeableField } from '@innkeeper/contracts';
import type { SQL } from 'drizzle-orm';
import type { Clock } from '../../core/clock.ts';
import { assertCan, can, isRequestContext, type RequestContext, type TenantContext } from '../../core/context.ts';
import type { Keyring } from '../../core/crypto/keyring.ts';
import { AppError, isUniqueViolation, withUniqueErrors } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { assertPropertiesExist } from '../tenants/index.ts';
import { isPlaceholderTaiwanId, maskIdentityNumber, parseIdentityDocument } from './identity/index.ts';
import * as interactionRepo from './interactions.repository.ts';
import { recordInteraction } from './interactions.service.ts';
import { propertyScopeOf, visibleMemberIds } from './member-scope.ts';
import { hideOrigins, type TimelineOrigin } from './timeline-origins.ts';
import * as repo from './members.repository.ts';
import type { MemberRow, NewMember } from './members.repository.ts';
import type { Gender, IdentityType, PreferredLanguage } from './members.tables.ts';
import { identityHash, revealIdentity, sealIdentity, toMemberDto, type MemberDto } from './personal-data.ts';
import * as stayRepo from './stays.repository.ts';

/** A soft-deleted member can be restored for this long; afterwards the nightly job erases it. */
export const RESTORE_WINDOW_DAYS = 30;

export type MemberInput = {
  propertyId?: string | null | undefined;
  lastName?: string | undefined;
  firstName?: string | undefined;
  gender?: Gender | undefined;
  birthday?: string | null | undefined;
  preferredLanguage?: PreferredLanguage | undefined;
  email?: string | null | undefined;
  mobile?: string | null | undefined;
  identity?: { type: IdentityType; number: string; passportCountry?: string | null | undefined } | null | undefined;
  marketingOptIn?: boolean | undefined;
  optInSource?: string | undefined;
  notes?: string | undefined;
};

const MEMBER_NO_PREFIX = 'M';

export function formatMemberNo(n: number): string {
  return `${MEMBER_NO_PREFIX}${String(n).padStart(7, '0')}`;
}

/**
 * The columns a member input sets (the form's, a binding's, an import row's): absent fields are left as they are;
 * identity documents are sealed (encrypted + blind index + mask); a consent given is stamped with its time and source.
 */
export function memberColumns(keyring: Keyring, input: MemberInput, now: Date): Partial<NewMember> {
  const columns: Partial<NewMember> = {};
  if (input.propertyId !== undefined) columns.propertyId = input.propertyId;
  // Trimmed here too, not only by the form's schema: the demo's sample, a binding and an import reach this without it,
  // and a name kept with a full-width space (U+3000, which String#trim removes) shows indented and sorts apart.
  if (input.lastName !== undefined) columns.lastName = input.lastName.trim();
  if (input.firstName !== undefined) columns.firstName = input.firstName.trim();
  if (input.gender !== undefined) columns.gender = input.gender;
  if (input.birthday !== undefined) columns.birthday = input.birthday;
  if (input.preferredLanguage !== undefined) columns.preferredLanguage = input.preferredLanguage;
  if (input.email !== undefined) columns.email = input.email;
  if (input.mobile !== undefined) columns.mobile = input.mobile;
  if (input.notes !== undefined) columns.notes = input.notes;
  if (input.identity !== undefined) Object.assign(columns, sealIdentity(keyring, input.identity));
  if (input.marketingOptIn !== undefined) {
    columns.marketingOptIn = input.marketingOptIn;
    columns.optInChangedAt = now;
    columns.optInSource = input.optInSource ?? 'staff';
  }
  return columns;
}

/** A page of a member's timeline: newest first, continuing after (`before`, `beforeId`) when given. */
export type TimelinePage = { before?: Date | undefined; beforeId?: string | undefined; limit: number };
/** One timeline entry, an interaction or one a source shows in the same shape. */
export type TimelineEntry = {
  id: string;
  occurredAt: Date;
  type: string;
  actorType: string;
  actorRef: string;
  actorLabel: string;
  campaignId: string | null;
  actionId: string | null;
  tagId: string | null;
  details: Record<string, unknown>;
};
/** Entries another module shows on a member's timeline: at most `page.limit`, newest first, before the cursor. */
export type TimelineSource = (ctx: TenantContext, memberId: string, page: TimelinePage) => Promise<TimelineEntry[]>;
export type { TimelineOrigin } from './timeline-origins.ts';

/** Other modules move what they own from the merged-away member to the one that stays (e.g. tags). */
export type MergeHook = (ctx: TenantContext, input: { keepId: string; mergedId: string }) => Promise<void>;

/**
 * Other modules that hold copies of a guest's data outside the member record (import files, the demo mailbox) erase
 * them when the member is erased, in the erasure's transaction where they can.
 */
/**
 * Run inside an edit's transaction after a member's fields changed (names of the fields, and the values after): the
 * PMS module queues push-back of the fields it syncs. Imports write in bulk and do not call it.
 */
export type EditHook = (ctx: TenantContext, edit: { memberId: string; fields: string[]; after: MemberRow }) => Promise<void>;

export type EraseHook = (ctx: TenantContext, erased: { memberId: string; lineUserId: string | null; mobile: string | null; email: string | null; identityNumber: string | null }) => Promise<void>;

export function createMembersService(deps: { keyring: Keyring; clock: Clock; mergeHooks?: () => MergeHook[]; eraseHooks?: () => EraseHook[]; editHooks?: () => EditHook[]; timelineSources?: () => TimelineSource[]; timelineOrigins?: () => TimelineOrigin[] }) {
  const { keyring, clock } = deps;

  async function requireMember(ctx: TenantContext, id: string, options: { includeDeleted?: boolean } = {}): Promise<MemberRow> {
    const member = await repo.findMember(ctx.db, ctx.tenantId, id, options);
    if (!member || !(await visibleMemberIds(ctx, [id])).has(id)) throw new AppError('member.not_found');
    return member;
  }

  const columnsOf = (input: MemberInput, now: Date) => memberColumns(keyring, input, now);

  /**
   * Says that the document is already in use; which member holds it only to a caller who may see unmasked personal
   * data (anyone else could otherwise find out whose ID number they typed).
   */
  async function assertNoDuplicateIdentity(ctx: TenantContext, idNumberHash: string | null | undefined, exceptId?: string): Promise<void> {
    if (!idNumberHash) return;
    const holder = (await repo.findMembersByIdentity(ctx.db, ctx.tenantId, { idNumberHash })).find((m) => m.id !== exceptId);
    if (!holder) return;
    // …and only when the holder is one of the members the caller sees (a scoped account learns nothing of another
    // property's guest beyond the fact the unique index makes known anyway: that the number is taken).
    const mayReveal = isRequestContext(ctx) && can(ctx, 'personal_data.unmasked') && (await visibleMemberIds(ctx, [holder.id])).has(holder.id);
    throw new AppError('member.duplicate_identity', { field: 'identity', ...(mayReveal ? { memberId: holder.id, memberNo: holder.memberNo } : {}) });
  }

  /** The check above reads before writing; two requests at once are caught by the unique index (members_id_number_key). */
  function withIdentityCheck<T>(write: () => Promise<T>): Promise<T> {
    return withUniqueErrors(write, { members_id_number_key: () => new AppError('member.duplicate_identity', { field: 'identity' }) });
  }

  /**
   * A property-scoped account writes members and stays only at its own properties (decision 0006: seeing more does not
   * widen writes; an import refuses the same rows as field.import_out_of_scope).
   */
  function assertPropertyInScope(ctx: TenantContext, propertyId: string | null | undefined): void {
    const scope = propertyScopeOf(ctx);
    if (propertyId && scope !== 'all' && !scope.includes(propertyId)) throw new AppError('member.property_out_of_scope', { field: 'propertyId' });
  }

  async function createMember(ctx: TenantContext, input: MemberInput, options: { source?: string } = {}): Promise<MemberDto> {
    assertPropertyInScope(ctx, input.propertyId);
    if (input.propertyId) await assertPropertiesExist(ctx, [input.propertyId]);
    const now = clock.now();
    const columns = columnsOf({ ...input, optInSource: input.optInSource ?? options.source ?? 'staff' }, now);
    await assertNoDuplicateIdentity(ctx, columns.idNumberHash);
    const first = await repo.reserveCounter(ctx.db, ctx.tenantId, 'member_no', 1);
    const [member] = await withIdentityCheck(() =>
      repo.insertMembers(ctx.db, [{ ...columns, tenantId: ctx.tenantId, id: newId(), memberNo: formatMemberNo(first), joinedAt: now, createdAt: now, updatedAt: now }]),
    );
    await recordInteraction(ctx, [member!.id], { type: 'created', occurredAt: now, details: { source: options.source ?? 'staff' } });
    await recordAudit(ctx, { action: 'member.created', targetType: 'member', targetId: member!.id, details: { memberNo: member!.memberNo } });
    return toMemberDto(member!);
  }

  async function updateMember(ctx: TenantContext, id: string, input: MemberInput): Promise<MemberDto> {
    const before = await requireMember(ctx, id);
    if (input.propertyId !== before.propertyId) assertPropertyInScope(ctx, input.propertyId);
    if (input.propertyId) await assertPropertiesExist(ctx, [input.propertyId]);
    const now = clock.now();
    const columns = columnsOf(input, now);
    if (input.marketingOptIn !== undefined && input.marketingOptIn === before.marketingOptIn) {
      delete columns.marketingOptIn;
      delete columns.optInChangedAt;
      delete columns.optInSource;
    }
    await assertNoDuplicateIdentity(ctx, columns.idNumberHash, id);
    // An edit may not leave a member with nothing to know the guest by (ZNewMember says the same for a new one); a
    // LINE friend is known by the LINE account.
    const result = { ...before, ...columns };
    if (!(result.lastName || result.firstName || result.mobile || result.email || result.idNumberHash || result.lineUserId)) throw new AppError('member.needs_a_key', { field: 'lastName' });
    const changed = changedFields(before, columns);
    if (changed.length === 0) return toMemberDto(before);
    const after = await withIdentityCheck(() => repo.updateMember(ctx.db, ctx.tenantId, id, columns));
    // Personal data values never go into the history or the audit log, only the names of the fields that changed. A
    // consent change has its own entry (with its source), so the edit's names the other fields, and there is none when
    // consent was all that changed: one consent import showed twice on the timeline (編輯了 接收行銷訊息 and 同意…).
    const consent = columns.marketingOptIn !== undefined;
    const edited = withoutConsent(changed, consent);
    if (edited.length > 0) await recordInteraction(ctx, [id], { type: 'edited', occurredAt: now, details: { fields: edited } });
    if (consent) await recordInteraction(ctx, [id], { type: columns.marketingOptIn ? 'opted_in' : 'opted_out', occurredAt: now, details: { source: columns.optInSource } });
    await recordAudit(ctx, { action: 'member.updated', targetType: 'member', targetId: id, details: { fields: changed } });
    for (const hook of deps.editHooks?.() ?? []) await hook(ctx, { memberId: id, fields: changed, after: after! });
    return toMemberDto(after!);
  }

  async function getMember(ctx: TenantContext, id: string): Promise<MemberDto> {
    return toMemberDto(await requireMember(ctx, id));
  }

  /** The unmasked personal data of one member: only with the permission, and always written to the audit log. */
  async function revealPersonalData(ctx: RequestContext, id: string) {
    assertCan(ctx, 'personal_data.unmasked');
    const member = await requireMember(ctx, id);
    await recordAudit(ctx, { action: 'member.personal_data_viewed', targetType: 'member', targetId: id, details: { memberNo: member.memberNo } });
    await recordInteraction(ctx, [id], { type: 'personal_data_viewed', occurredAt: clock.now() });
    return revealIdentity(keyring, member);
  }

  async function deleteMember(ctx: TenantContext, id: string) {
    const member = await requireMember(ctx, id);
    const now = clock.now();
    await repo.updateMember(ctx.db, ctx.tenantId, id, { deletedAt: now });
    await recordInteraction(ctx, [id], { type: 'deleted', occurredAt: now });
    await recordAudit(ctx, { action: 'member.deleted', targetType: 'member', targetId: id, details: { memberNo: member.memberNo } });
    return { restorableUntil: new Date(now.getTime() + RESTORE_WINDOW_DAYS * 86_400_000) };
  }

  async function restoreMember(ctx: TenantContext, id: string): Promise<MemberDto> {
    await repo.lockMember(ctx.db, ctx.tenantId, id);
    const member = await requireMember(ctx, id, { includeDeleted: true });
    if (!member.deletedAt || member.mergedIntoId) throw new AppError('member.not_deleted');
    try {
      const restored = await repo.updateMember(ctx.db, ctx.tenantId, id, { deletedAt: null });
      await recordInteraction(ctx, [id], { type: 'restored', occurredAt: clock.now() });
      await recordAudit(ctx, { action: 'member.restored', targetType: 'member', targetId: id, details: { memberNo: member.memberNo } });
      return toMemberDto(restored!);
    } catch (error) {
      // Another live member took the LINE account meanwhile.
      if (isUniqueViolation(error, 'members_line_user_key')) throw new AppError('member.line_conflict');
      // Another live member took the identity document meanwhile.
      if (isUniqueViolation(error, 'members_id_number_key')) throw new AppError('member.duplicate_identity', { field: 'identity' });
      throw error;
    }
  }

  /** Real erasure (PDPA request, or the restore window has passed): the row, its stays, tags and history go. */
  async function eraseMember(ctx: TenantContext, id: string, reason: 'request' | 'retention'): Promise<void> {
    // Under the row's lock: a member restored meanwhile is refused (not_deleted), one erased meanwhile is not found.
    await repo.lockMember(ctx.db, ctx.tenantId, id);
    const member = await requireMember(ctx, id, { includeDeleted: true });
    if (!member.deletedAt) throw new AppError('member.not_deleted');
    const revealed = revealIdentity(keyring, member);
    for (const hook of deps.eraseHooks?.() ?? []) {
      await hook(ctx, { memberId: id, lineUserId: member.lineUserId, mobile: revealed.mobile, email: revealed.email, identityNumber: revealed.identity?.number ?? null });
    }
    await repo.deleteMemberRow(ctx.db, ctx.tenantId, id);
    await recordAudit(ctx, { action: 'member.erased', targetType: 'member', targetId: id, details: { memberNo: member.memberNo, reason } });
  }

  async function eraseExpiredMembers(ctx: TenantContext): Promise<number> {
    const cutoff = new Date(clock.now().getTime() - RESTORE_WINDOW_DAYS * 86_400_000);
    const due = await repo.findMembersDeletedBefore(ctx.db, ctx.tenantId, cutoff, 1000);
    for (const { id } of due) await eraseMember(ctx, id, 'retention');
    return due.length;
  }

  /** The restorable members (the trash), newest deletion first. */
  async function listDeletedMembers(ctx: TenantContext) {
    const rows = await repo.findDeletedMembers(ctx.db, ctx.tenantId, 200);
    const visible = await visibleMemberIds(ctx, rows.map((m) => m.id));
    return rows
      .filter((m) => visible.has(m.id))
      .map((m) => ({ ...toMemberDto(m), restorableUntil: new Date(m.deletedAt!.getTime() + RESTORE_WINDOW_DAYS * 86_400_000) }));
  }

  async function addStay(ctx: TenantContext, memberId: string, input: StayInput) {
    await requireMember(ctx, memberId);
    assertPropertyInScope(ctx, input.propertyId);
    await assertPropertiesExist(ctx, [input.propertyId]);
    if (input.checkOut < input.checkIn) throw new AppError('stay.dates_reversed', { field: 'checkOut' });
    const stay = await withUniqueErrors(() => stayRepo.insertStay(ctx.db, { ...input, tenantId: ctx.tenantId, id: newId(), memberId, source: input.source ?? 'staff' }), {
      member_stays_external_key: () => new AppError('stay.external_id_taken', { field: 'externalId' }),
    });
    await recordInteraction(ctx, [memberId], { type: 'stay_added', occurredAt: clock.now(), details: { stayId: stay.id, checkIn: stay.checkIn, checkOut: stay.checkOut, propertyId: stay.propertyId } });
    await recordAudit(ctx, { action: 'member.stay_added', targetType: 'member', targetId: memberId, details: { stayId: stay.id } });
    return stay;
  }

  async function listStays(ctx: TenantContext, memberId: string) {
    await requireMember(ctx, memberId);
    return stayRepo.findStays(ctx.db, ctx.tenantId, memberId);
  }

  /**
   * The member's history, newest first: the interactions, merged with what other modules show (timelineSources). Each
   * source gives its own `limit` newest entries before the cursor, so the merge's first `limit` are the page's; the
   * cursor (time, id) works across sources because each entry's id is a uuid unique within the member's timeline.
   */
  async function timeline(ctx: TenantContext, memberId: string, page: TimelinePage): Promise<TimelineEntry[]> {
    await requireMember(ctx, memberId);
    const own: TimelineEntry[] = await interactionRepo.findInteractions(ctx.db, ctx.tenantId, memberId, page);
    const others = await Promise.all((deps.timelineSources?.() ?? []).map((source) => source(ctx, memberId, page)));
    const merged = others.every((entries) => entries.length === 0)
      ? own
      : [own, ...others]
          .flat()
          .sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
          .slice(0, page.limit);
    return hideOrigins(ctx, merged, deps.timelineOrigins?.() ?? []);
  }

  /**
   * Merges `mergedId` into `keepId`: the chosen fields are taken from the merged record, its stays, tags, history and
   * LINE link move over, and it is kept soft-deleted with a pointer to the member that stays.
   */
  async function mergeMembers(ctx: TenantContext, keepId: string, mergedId: string, choices: Partial<Record<MergeableField, 'keep' | 'merged'>>): Promise<MemberDto> {
    if (keepId === mergedId) throw new AppError('member.merge_same');
    // The LINE link may move: take the LINE users' turn (as the LINE worker and binding do) before any write, and read
    // both records again after it, as they are now.
    const lineUsers = (await Promise.all([requireMember(ctx, keepId), requireMember(ctx, mergedId)])).flatMap((m) => (m.lineUserId ? [m.lineUserId] : []));
    await repo.lockLineUsers(ctx.db, ctx.tenantId, lineUsers);
    // Then both rows: a record merged into two members at once (or a survivor deleted meanwhile) was merged twice or
    // answered 500; now the second request reads what the first left (member.not_found for the merged record).
    await repo.lockMembers(ctx.db, ctx.tenantId, [keepId, mergedId]);
    const keep = await requireMember(ctx, keepId);
    const merged = await requireMember(ctx, mergedId);
    const now = clock.now();
    const take = (field: MergeableField) => choices[field] === 'merged';
    const patch: Partial<NewMember> = {};
    const simple = ['propertyId', 'lastName', 'firstName', 'gender', 'birthday', 'preferredLanguage', 'email', 'mobile', 'notes'] as const;
    for (const field of simple) if (take(field)) Object.assign(patch, { [field]: merged[field] });
    if (take('identity')) Object.assign(patch, { idType: merged.idType, idNumberEncrypted: merged.idNumberEncrypted, idNumberHash: merged.idNumberHash, idNumberMasked: merged.idNumberMasked, passportCountry: merged.passportCountry, idNumberConflict: merged.idNumberConflict });
    if (take('marketingOptIn')) Object.assign(patch, { marketingOptIn: merged.marketingOptIn, optInChangedAt: merged.optInChangedAt, optInSource: merged.optInSource });
    const lineFromMerged = take('line') || (!keep.lineUserId && merged.lineUserId !== null);
    if (lineFromMerged) {
      Object.assign(patch, { lineUserId: merged.lineUserId, lineDisplayName: merged.lineDisplayName, linePictureUrl: merged.linePictureUrl, lineStatus: merged.lineStatus, lineFollowedAt: merged.lineFollowedAt, lineStatusChangedAt: merged.lineStatusChangedAt });
    }
    // The merged record gives up what must stay unique among live members before the survivor takes it.
    await repo.updateMember(ctx.db, ctx.tenantId, mergedId, { deletedAt: now, mergedIntoId: keepId, lineUserId: null });
    await repo.updateMember(ctx.db, ctx.tenantId, keepId, {
      ...patch,
      joinedAt: keep.joinedAt < merged.joinedAt ? keep.joinedAt : merged.joinedAt,
      lastInteractionAt: latest(keep.lastInteractionAt, merged.lastInteractionAt),
    });
    const stays = await stayRepo.moveStays(ctx.db, ctx.tenantId, mergedId, keepId);
    const history = await interactionRepo.moveInteractions(ctx.db, ctx.tenantId, mergedId, keepId);
    for (const hook of deps.mergeHooks?.() ?? []) await hook(ctx, { keepId, mergedId });
    const taken = Object.entries(choices).filter(([, v]) => v === 'merged').map(([k]) => k);
    await recordInteraction(ctx, [keepId], { type: 'merged', occurredAt: now, details: { mergedMemberNo: merged.memberNo, fieldsTaken: taken, staysMoved: stays, historyMoved: history } });
    await recordAudit(ctx, { action: 'member.merged', targetType: 'member', targetId: keepId, details: { mergedId, mergedMemberNo: merged.memberNo, keptMemberNo: keep.memberNo, fieldsTaken: taken } });
    return toMemberDto((await repo.findMember(ctx.db, ctx.tenantId, keepId))!);
  }

  /**
   * Live members matching any of the keys (an already-normalised ID/passport number, E.164 mobile, email): the
   * candidates when a guest binds or a PMS profile is matched. The caller decides what counts as unambiguous.
   */
  async function findByIdentityKeys(ctx: TenantContext, keys: { identityNumber?: string | null; mobile?: string | null; email?: string | null }) {
    const rows = await repo.findMembersByIdentity(ctx.db, ctx.tenantId, {
      idNumberHash: keys.identityNumber ? identityHash(keyring, keys.identityNumber) : null,
      mobile: keys.mobile ?? null,
      email: keys.email ?? null,
    });
    const visible = await visibleMemberIds(ctx, rows.map((m) => m.id));
    return rows.filter((m) => visible.has(m.id)).map((m) => ({
      member: m,
      matchedBy: {
        identity: keys.identityNumber ? m.idNumberHash === identityHash(keyring, keys.identityNumber) : false,
        mobile: keys.mobile ? m.mobile === keys.mobile : false,
        email: keys.email ? m.email === keys.email : false,
      },
    }));
  }

  /** The live members among these ids that this account may see, in one query; the others are absent. */
  async function getMembersByIds(ctx: TenantContext, ids: string[]): Promise<Map<string, MemberDto>> {
    const found = await repo.findMembersByIds(ctx.db, ctx.tenantId, [...new Set(ids)]);
    const visible = await visibleMemberIds(ctx, found.map((m) => m.id));
    return new Map(found.filter((m) => visible.has(m.id)).map((m) => [m.id, toMemberDto(m)]));
  }

  /**
   * A search text that is a whole national ID, resident certificate or passport number, normalised as on entry: its
   * blind-index key, so the member search finds the document by exact match, and its masked form for the audit log.
   * Member numbers and phone numbers (leading 0 or +) are not read as documents (a passport shape is any 6–12 letters
   * and digits); placeholder IDs are no key.
   */
  function identitySearchKey(q: string): { hash: string; kind: IdentityType; masked: string } | undefined {
    const text = q.trim();
    if (/^m\d{7}$/i.test(text) || /^[+0０＋]/.test(text)) return undefined;
    const document = parseIdentityDocument(text);
    if (!document.ok || (document.kind !== 'passport' && isPlaceholderTaiwanId(document.value))) return undefined;
    return { hash: identityHash(keyring, document.value), kind: document.kind, masked: maskIdentityNumber(document.value) };
  }

  /** Fails unless every id is a live, visible member of this tenant. */
  async function requireLiveMembers(ctx: TenantContext, ids: string[]): Promise<void> {
    const found = await repo.findMembersByIds(ctx.db, ctx.tenantId, ids);
    const visible = await visibleMemberIds(ctx, found.map((m) => m.id));
    const missing = ids.filter((id) => !visible.has(id));
    if (missing.length > 0) throw new AppError('member.not_found', { ids: missing });
  }

  return {
    createMember,
    updateMember,
    getMember,
    getMembersByIds,
    revealPersonalData,
    deleteMember,
    restoreMember,
    eraseMember,
    eraseExpiredMembers,
    listDeletedMembers,
    addStay,
    listStays,
    timeline,
    mergeMembers,
    findByIdentityKeys,
    requireMember,
    requireLiveMembers,
    identitySearchKey,
  };
}

export type MembersService = ReturnType<typeof createMembersService>;

export type StayInput = {
  propertyId: string;
  checkIn: string;
  checkOut: string;
  roomType?: string | undefined;
  rateCode?: string | undefined;
  channel?: string | undefined;
  amount?: number | null | undefined;
  currency?: string | undefined;
  status?: 'booked' | 'in_house' | 'stayed' | 'cancelled' | 'no_show' | undefined;
  externalId?: string | null | undefined;
  source?: 'import' | 'api' | 'pms' | 'staff' | undefined;
};

/** A guest's name as the screens write it: 王小明 for Chinese names, "Emma Chen" for western ones. */
function memberFullName(member: { lastName: string; firstName: string }): string {
  const last = member.lastName.trim();
  const first = member.firstName.trim();
  if (/[\u3400-\u9fff\uf900-\ufaff]/.test(last + first)) return `${last}${first}`;
  return [first, last].filter(Boolean).join(' ');
}

/**
 * Audit-log labels for members: 「M0000001 王小明」. The name only for a viewer who may read this member (members.read
 * and the member within the viewer's property scope); otherwise the member number alone, which is no personal data.
 */
export async function labelMembersForAudit(ctx: RequestContext, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await repo.findMemberLabels(ctx.db, ctx.tenantId, ids);
  const readable = can(ctx, 'members.read') ? await visibleMemberIds(ctx, rows.map((m) => m.id)) : new Set<string>();
  return new Map(
    rows.map((m) => {
      const name = readable.has(m.id) ? memberFullName(m) : '';
      return [m.id, name ? `${m.memberNo} ${name}` : m.memberNo];
    }),
  );
}

/** SQL selecting the given live members (column `id`), for bulk statements in other modules. */
export function memberSelection(ctx: TenantContext, ids: readonly string[]): SQL {
  return repo.liveMemberSelection(ctx.tenantId, ids);
}

function latest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

/**
 * The changed fields a member's edit or import entry names: consent left out when it changed, because the consent
 * change is an entry of its own (opted_in / opted_out, with its source) and would otherwise show twice.
 */
export function withoutConsent(fields: readonly string[], consentChanged: boolean): string[] {
  return consentChanged ? fields.filter((field) => field !== 'marketingOptIn') : [...fields];
}

function changedFields(before: MemberRow, columns: Partial<NewMember>): string[] {
  const names: string[] = [];
  for (const [key, value] of Object.entries(columns)) {
    if (key === 'optInChangedAt' || key === 'optInSource' || key === 'idNumberEncrypted' || key === 'idNumberMasked' || key === 'idNumberConflict') continue;
    const previous = before[key as keyof MemberRow];
    if (key === 'idNumberHash' ? previous !== value : String(previous ?? '') !== String(value ?? '')) names.push(key === 'idNumberHash' ? 'identity' : key);
  }
  return names;
}
