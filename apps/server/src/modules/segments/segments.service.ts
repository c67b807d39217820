import { sql, type SQL } from 'drizzle-orm';
import type { Clock } from '../../core/clock.ts';
import { uuidArray } from '../../core/db/arrays.ts';
import type { Tx } from '../../core/db/database.ts';
import { escapeLike } from '../../core/db/like.ts';
import { writeUniqueName } from '../../core/db/rename.ts';
import { can, isRequestContext, type TenantContext } from '../../core/context.ts';
import { AppError, fieldErrors } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { maskEmail, maskMobile, membersOfProperties, normaliseMobile, propertyScopeOf, toHalfWidth, visibleMembers, type MembersService } from '../members/index.ts';
import type { TagsService, TagUsageProvider } from '../tags/index.ts';
import { getCurrentTenant, listAllProperties } from '../tenants/index.ts';
import { compileGroup, type CompileContext } from './compile.ts';
import { propertyRefsOf, tagIdsOf, type SegmentDefinition } from './segment-definition.ts';
import * as repo from './segments.repository.ts';
import type { MemberListRow, MemberSort, SegmentRow } from './segments.repository.ts';

/**
 * Who a query is about: a saved segment, an ad-hoc definition, or explicitly chosen members; plus free-text search;
 * `lineFriends`: only members who are or were the account's LINE friends (a campaign to 所有 LINE 好友).
 */
export type Audience = { segmentId?: string | undefined; definition?: SegmentDefinition | undefined; memberIds?: string[] | undefined; q?: string | undefined; lineFriends?: boolean | undefined };

export function createSegmentsService(deps: { clock: Clock; tags: TagsService; members: Pick<MembersService, 'identitySearchKey'> }) {
  const { clock } = deps;

  async function compileContext(ctx: TenantContext): Promise<CompileContext> {
    const tenant = await getCurrentTenant(ctx);
    const now = clock.now();
    return { tenantId: ctx.tenantId, now, timezone: tenant.timezone, today: calendarDate(now, tenant.timezone) };
  }

  async function requireSegment(ctx: TenantContext, id: string): Promise<SegmentRow> {
    const segment = await repo.findSegment(ctx.db, ctx.tenantId, id);
    if (!segment) throw new AppError('segment.not_found');
    return segment;
  }

  async function assertTagsExist(ctx: TenantContext, definition: SegmentDefinition): Promise<void> {
    for (const tagId of new Set(tagIdsOf(definition))) {
      try {
        await deps.tags.requireTag(ctx, tagId);
      } catch {
        throw new AppError('tag.not_found', { field: 'definition', tagId });
      }
    }
  }

  /** Property ids must be the tenant's and, for an account limited to some properties, among them (as tag ids are checked). */
  async function assertPropertiesKnown(ctx: TenantContext, definition: SegmentDefinition): Promise<void> {
    const refs = propertyRefsOf(definition);
    if (refs.length === 0) return;
    const known = new Set((await listAllProperties(ctx)).map((p) => p.id));
    const scope = propertyScopeOf(ctx);
    const refused = refs.filter((ref) => !known.has(ref.propertyId) || (scope !== 'all' && !scope.includes(ref.propertyId)));
    if (refused.length > 0) throw fieldErrors('body', refused.map((ref) => ({ path: `definition.${ref.path}`, message: 'field.segment_property' })));
  }

  async function assertReferencesKnown(ctx: TenantContext, definition: SegmentDefinition): Promise<void> {
    await assertTagsExist(ctx, definition);
    await assertPropertiesKnown(ctx, definition);
  }

  /** The predicate over `members m` for an audience, including the account's property scope. */
  async function whereOf(ctx: TenantContext, audience: Audience): Promise<SQL> {
    const parts: SQL[] = [];
    if (audience.segmentId) parts.push(compileGroup((await requireSegment(ctx, audience.segmentId)).definition, await compileContext(ctx)));
    if (audience.definition) {
      await assertReferencesKnown(ctx, audience.definition);
      parts.push(compileGroup(audience.definition, await compileContext(ctx)));
    }
    if (audience.memberIds) parts.push(sql`m.id = any(${uuidArray(audience.memberIds)})`);
    if (audience.q) parts.push(await searchPredicate(ctx, audience.q));
    // Blocked friends stay in (LINE counts them among an account's friends; a push skips them as blocked).
    if (audience.lineFriends) parts.push(sql`not ${repo.NOT_LINE_FRIEND}`);
    if (propertyScopeOf(ctx) !== 'all') parts.push(visibleMembers(ctx));
    return parts.length === 0 ? sql`true` : sql.join(parts.map((p) => sql`(${p})`), sql` and `);
  }

  /**
   * Free text matches names, email, member number and LINE name; something that parses as a phone number matches the
   * mobile; a whole ID or passport number matches the document exactly through its blind index.
   */
  async function searchPredicate(ctx: TenantContext, q: string): Promise<SQL> {
    const text = q.trim();
    const phoneLike = PHONE_LIKE.test(text);
    // Words are matched each on its own, in any order: 「洪 思淑」 finds 洪思淑 and "Takahashi Hinata" finds Hinata
    // Takahashi (the family name first, as the guest's LINE name may show it). A number keeps its spaces.
    const parts = [await textPredicate(ctx, phoneLike ? [text] : text.split(/\s+/u), mayReveal(ctx))];
    const phone = phoneLike ? normaliseMobile(text) : undefined;
    if (phone?.ok) parts.unshift(sql`m.mobile = ${phone.e164}`);
    // Part of a number as staff write it (「0977-888」, 「977 888」): mobiles are stored as E.164 (+886977888999), so the
    // digits are looked for in that form. Only for accounts that may see mobiles (mayReveal); the others type it whole.
    // The search text holds the mobile, so this is a text search (through the trigram index when the part is rare).
    else if (phoneLike && mayReveal(ctx)) parts.unshift(await textPredicate(ctx, [e164Fragment(text)], true));
    const identityHash = deps.members.identitySearchKey(q)?.hash;
    if (identityHash) parts.unshift(sql`m.id_number_hash = ${identityHash}`);
    return parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` or `)})`;
  }

  /**
   * The text match: every word somewhere in the search text, lower-cased by PostgreSQL as the stored search text is
   * (JavaScript folds some capitals otherwise: İ, a final Σ). The longest word with a run of three letters or digits
   * is looked up in the trigram index first (findSearchMatches: the index is out of the policy's reach otherwise), and
   * a word with few matches becomes a list of ids, which the list, count and export read by primary key: a rare name
   * among a million members is found in milliseconds, not by reading every member. A common word (more than
   * SEARCH_ID_LIMIT matches) leaves a plain LIKE: walking the list's order finds a page of it quickly, and an id list
   * that long would cost more than it saves.
   */
  async function textPredicate(ctx: TenantContext, words: readonly string[], revealing: boolean): Promise<SQL> {
    const patternOf = (word: string) => `%${escapeLike(word)}%`;
    const wordMatch = (word: string) =>
      revealing ? sql`m.search_text like lower(${patternOf(word)})` : sql`(${MASKED_SEARCH_TEXT} like lower(${patternOf(word)}) or lower(m.email) = lower(${word}))`;
    const like = sql`(${sql.join(words.map(wordMatch), sql` and `)})`;
    const lookup = words.filter((word) => TRIGRAM_RUN.test(word)).sort((a, b) => b.length - a.length)[0];
    if (lookup === undefined) return like;
    const ids = await repo.findSearchMatches(ctx.db, patternOf(lookup), SEARCH_ID_LIMIT + 1);
    if (ids.length > SEARCH_ID_LIMIT) return like;
    // The LIKEs stay beside the ids: the ids only narrow the search, the match is the same test as ever.
    return sql`(m.id = any(${uuidArray(ids)}) and ${like})`;
  }

  /**
   * Whether a search may match inside mobiles and e-mails. The list shows them masked (0912-***-678); a substring
   * search would let an account that may not see them read the hidden digits one count at a time (「0912-3」, 「0912-34」…).
   * Without personal_data.unmasked a mobile or e-mail matches only when typed whole; names, member numbers and LINE
   * names match as ever.
   */
  function mayReveal(ctx: TenantContext): boolean {
    return !isRequestContext(ctx) || can(ctx, 'personal_data.unmasked');
  }

  /**
   * Looking a guest up by ID or passport number is an access to personal data: audited, with the number masked, by the
   * list and by the count alike (a count of 0 or 1 answers "is this number a guest here" just as well).
   */
  async function auditIdentitySearch(ctx: TenantContext, audience: Audience): Promise<void> {
    const identity = audience.q ? deps.members.identitySearchKey(audience.q) : undefined;
    if (identity) await recordAudit(ctx, { action: 'member.identity_searched', targetType: 'member', details: { identityType: identity.kind, identityNumber: identity.masked } });
  }

  /** An audience as the audit log records it: a search by ID or passport number with the number masked. */
  function describeAudience(audience: Audience): Record<string, unknown> {
    const identity = audience.q ? deps.members.identitySearchKey(audience.q) : undefined;
    return {
      ...(audience.segmentId ? { segmentId: audience.segmentId } : {}),
      ...(audience.definition ? { definition: audience.definition } : {}),
      ...(audience.memberIds ? { memberIds: audience.memberIds.length } : {}),
      ...(audience.q ? { q: identity ? identity.masked : audience.q } : {}),
    };
  }

  async function listMembers(ctx: TenantContext, audience: Audience, options: { sort: MemberSort; page: number; pageSize: number }) {
    await auditIdentitySearch(ctx, audience);
    const rows = await repo.findMemberPage(ctx.db, ctx.tenantId, await whereOf(ctx, audience), options.sort, { offset: (options.page - 1) * options.pageSize, limit: options.pageSize }, clock.now());
    return { data: rows.slice(0, options.pageSize).map(toListItem), page: options.page, pageSize: options.pageSize, hasMore: rows.length > options.pageSize };
  }

  async function countAudience(ctx: TenantContext, audience: Audience): Promise<number> {
    await auditIdentitySearch(ctx, audience);
    return count(ctx, audience);
  }

  async function count(ctx: TenantContext, audience: Audience): Promise<number> {
    return repo.countMembers(ctx.db, ctx.tenantId, await whereOf(ctx, audience));
  }

  /**
   * Who of an audience a LINE marketing push can reach, within the given properties (a property's campaign reaches
   * what that property's staff see, decision 0006) as well as the caller's own scope.
   */
  async function audienceReach(ctx: TenantContext, audience: Audience, within: readonly string[] | 'all'): Promise<AudienceReach> {
    return repo.countReach(ctx.db, ctx.tenantId, sql`(${await whereOf(ctx, audience)}) and ${membersOfProperties(within)}`);
  }

  /** SQL selecting the audience's member ids, for bulk work elsewhere (tagging, export, campaign snapshots). */
  async function audienceSelection(ctx: TenantContext, audience: Audience): Promise<SQL> {
    return repo.selectMemberIds(ctx.tenantId, await whereOf(ctx, audience));
  }

  /** SQL selecting the audience (within the properties) as a push sees it: member, LINE user, why it cannot be reached. */
  async function deliveryAudience(ctx: TenantContext, audience: Audience, within: readonly string[] | 'all'): Promise<SQL> {
    return repo.selectDeliveryAudience(ctx.tenantId, sql`(${await whereOf(ctx, audience)}) and ${membersOfProperties(within)}`);
  }

  async function changeTagForAudience(ctx: TenantContext, audience: Audience, tagId: string, change: 'add' | 'remove'): Promise<{ changed: number; audience: number }> {
    const selection = await audienceSelection(ctx, audience);
    const size = await count(ctx, audience);
    const staff = ctx.actor.kind === 'account' ? { ref: ctx.actor.accountId, label: ctx.actor.email } : { ref: ctx.actor.name, label: ctx.actor.name };
    const changed =
      change === 'add'
        ? await deps.tags.addTagToSelection(ctx, tagId, selection, { source: 'staff', sourceRef: staff.ref, sourceLabel: staff.label })
        : await deps.tags.removeTagFromSelection(ctx, tagId, selection, 'staff_bulk');
    await recordAudit(ctx, {
      action: change === 'add' ? 'tag.bulk_assigned' : 'tag.bulk_unassigned',
      targetType: 'tag',
      targetId: tagId,
      details: { audience: describeAudience(audience), members: size, changed },
    });
    return { changed, audience: size };
  }

  function withNameCheck<T>(ctx: TenantContext, write: (tx: Tx) => Promise<T>): Promise<T> {
    return writeUniqueName(ctx.db, write, { segments_name_key: () => new AppError('segment.name_taken', { field: 'name' }) });
  }

  async function listSegments(ctx: TenantContext) {
    return (await repo.findSegments(ctx.db, ctx.tenantId)).map(toSegmentDto);
  }

  async function getSegment(ctx: TenantContext, id: string) {
    return toSegmentDto(await requireSegment(ctx, id));
  }

  async function createSegment(ctx: TenantContext, input: { name: string; description?: string | undefined; definition: SegmentDefinition }) {
    await assertReferencesKnown(ctx, input.definition);
    const segment = await withNameCheck(ctx, (tx) =>
      repo.insertSegment(tx, {
        tenantId: ctx.tenantId,
        id: newId(),
        name: input.name,
        description: input.description ?? '',
        definition: input.definition,
        createdBy: ctx.actor.kind === 'account' ? ctx.actor.accountId : null,
      }),
    );
    await recordAudit(ctx, { action: 'segment.created', targetType: 'segment', targetId: segment.id, details: { name: segment.name } });
    return toSegmentDto(segment);
  }

  async function updateSegment(ctx: TenantContext, id: string, input: { name?: string | undefined; description?: string | undefined; definition?: SegmentDefinition | undefined }) {
    await requireSegment(ctx, id);
    if (input.definition) await assertReferencesKnown(ctx, input.definition);
    const segment = await withNameCheck(ctx, (tx) => repo.updateSegment(tx, ctx.tenantId, id, input));
    // Deleted by a colleague while this waited (attack review: a 500).
    if (!segment) throw new AppError('segment.not_found');
    await recordAudit(ctx, { action: 'segment.updated', targetType: 'segment', targetId: id, details: { fields: Object.keys(input) } });
    return toSegmentDto(segment);
  }

  async function deleteSegment(ctx: TenantContext, id: string): Promise<void> {
    const segment = await requireSegment(ctx, id);
    await repo.deleteSegment(ctx.db, ctx.tenantId, id);
    await recordAudit(ctx, { action: 'segment.deleted', targetType: 'segment', targetId: id, details: { name: segment.name } });
  }

  /** Saved segments are a non-blocking use of a tag: deleting the tag empties the condition, staff see it beforehand. */
  const tagUsage: TagUsageProvider = async (ctx, tagId) =>
    (await repo.findSegmentsUsingTag(ctx.db, ctx.tenantId, tagId)).map((s) => ({ kind: 'segment' as const, id: s.id, name: s.name, blocking: false }));

  /** Whether a definition's tags and properties are the tenant's (and the caller's): for modules that save one (campaigns). */
  const checkDefinition = assertReferencesKnown;

  return { listMembers, countAudience, describeAudience, audienceReach, audienceSelection, deliveryAudience, changeTagForAudience, listSegments, getSegment, createSegment, updateSegment, deleteSegment, tagUsage, requireSegment, checkDefinition };
}

export type SegmentsService = ReturnType<typeof createSegmentsService>;

/** Above this many matches a search term is common: searched by LIKE alone (textPredicate). */
const SEARCH_ID_LIMIT = 2000;
/** Three letters or digits in a row: the least a trigram look-up needs (pg_trgm splits words at anything else). */
const TRIGRAM_RUN = /[\p{L}\p{N}]{3}/u;
/** The search text without mobile and e-mail (members.search_text minus those two): what a masked search reads. */
const MASKED_SEARCH_TEXT = sql`lower(m.last_name || m.first_name || ' ' || m.first_name || ' ' || m.last_name || ' ' || m.member_no || ' ' || coalesce(m.line_display_name, ''))`;
/** Part of a phone number in its stored E.164 form: a leading 0 is Taiwan's trunk prefix (+886), a leading + stays. */
function e164Fragment(typed: string): string {
  const digits = toHalfWidth(typed).replace(/\D/g, '');
  if (typed.trim().startsWith('+')) return `+${digits}`;
  return digits.startsWith('0') ? `+886${digits.slice(1)}` : digits;
}
/** Something typed as a phone number: matched as the mobile, and as text with its spaces. */
const PHONE_LIKE = /^[\d\s+()\-－０-９]{6,}$/;

/** An audience split by what stops a marketing push: no LINE friend, blocked, no marketing opt-in; the rest is reachable. */
export type AudienceReach = { total: number; noLine: number; blocked: number; noConsent: number; reachable: number };

/** Today's date where the hotel is (stays are calendar dates). */
export function calendarDate(now: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

function toListItem(row: MemberListRow) {
  return {
    id: row.id,
    memberNo: row.member_no,
    lastName: row.last_name,
    firstName: row.first_name,
    email: row.email ? maskEmail(row.email) : null,
    mobile: row.mobile ? maskMobile(row.mobile) : null,
    propertyId: row.property_id,
    marketingOptIn: row.marketing_opt_in,
    lineStatus: row.line_status,
    lineDisplayName: row.line_display_name,
    linePictureUrl: row.line_picture_url,
    joinedAt: new Date(row.joined_at),
    lastInteractionAt: row.last_interaction_at ? new Date(row.last_interaction_at) : null,
    tags: row.tags ?? [],
  };
}

function toSegmentDto(segment: SegmentRow) {
  return { id: segment.id, name: segment.name, description: segment.description, definition: segment.definition, createdAt: segment.createdAt, updatedAt: segment.updatedAt };
}

/** Audit-log labels for segments: their names. */
export function labelSegmentsForAudit(ctx: TenantContext, ids: readonly string[]): Promise<Map<string, string>> {
  return repo.findSegmentNames(ctx.db, ctx.tenantId, ids);
}
