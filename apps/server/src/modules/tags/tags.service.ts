import { cleanName } from '@innkeeper/contracts';
import { sql, type SQL } from 'drizzle-orm';
import type { Clock } from '../../core/clock.ts';
import { can, isRequestContext, type TenantContext } from '../../core/context.ts';
import type { Tx } from '../../core/db/database.ts';
import { retryingDeadlock } from '../../core/db/rename.ts';
import { AppError, isUniqueViolation } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { memberSelection, propertyScopeOf, recordInteraction, visibleMembers, type MembersService } from '../members/index.ts';
import * as repo from './tags.repository.ts';
import type { Provenance, TagRow } from './tags.repository.ts';
import type { TagKind } from './tags.tables.ts';

export type TagInput = {
  name: string;
  kind: TagKind;
  category?: string | undefined;
  color?: string | undefined;
  description?: string | undefined;
  validityDays?: number | null | undefined;
};

/** Something that uses a tag. Blocking uses (a scheduled campaign, an active rule) stop the tag from being deleted. */
/**
 * Whether a guest's tap on a button may give this tag: activity tags (活動標籤, kind 'campaign') only. A basic member
 * tag (基礎會員標籤: VIP, 常客, what the PMS or an import says a guest is) describes who the guest is, kept by staff
 * and systems; a tap on an offer — by anyone the message or a forwarded link reaches — must not make a guest VIP.
 * Automation's add_tag step (staff's own rule, not a guest's tap) may give either kind.
 */
export function mayGiveOnClick(tag: { kind: TagKind }): boolean {
  return tag.kind === 'campaign';
}

export type TagUsage = { kind: 'segment' | 'campaign' | 'rule'; id: string; name: string; blocking: boolean };
export type TagUsageProvider = (ctx: TenantContext, tagId: string) => Promise<TagUsage[]>;
/** Where one of a member's tags came from, as the member page reads it. */
export type ProvenanceView = { source: Provenance['source']; sourceRef: string; sourceLabel: string; sourceDetail: string; otherProperty: boolean };
/**
 * A source owned per property (a campaign's or an automation rule's buttons and steps): which of its things a tag's
 * provenance names (`refOf`), and which of those the caller may not see (`hidden`: another property's, decision 0006).
 * Those are shown without their names, marked `otherProperty`.
 */
export type ProvenanceOrigin = { refOf: (provenance: Pick<ProvenanceView, 'source' | 'sourceRef'>) => string | undefined; hidden: (ctx: TenantContext, ids: readonly string[]) => Promise<Set<string>> };
/** Told, inside the same transaction, which members newly carry a tag (automation's "tag added" trigger). */
export type TagAddedHook = (ctx: TenantContext, added: { tagId: string; memberIds: readonly string[]; at: Date; source: Provenance['source'] }) => Promise<void>;

/** Whether the caller may read the tag list (GET /api/tags needs members.read); system work may. */
function mayListTags(ctx: TenantContext): boolean {
  return !isRequestContext(ctx) || can(ctx, 'members.read');
}

export function createTagsService(deps: { clock: Clock; members: MembersService; usageProviders: () => TagUsageProvider[]; addedHooks?: () => TagAddedHook[]; provenanceOrigins?: () => ProvenanceOrigin[] }) {
  const { clock } = deps;

  async function requireTag(ctx: TenantContext, id: string): Promise<TagRow> {
    const tag = await repo.findTag(ctx.db, ctx.tenantId, id);
    if (!tag) throw new AppError('tag.not_found');
    return tag;
  }

  /**
   * Runs a write that sets a tag's name; a name another tag has in any spelling (unique on the name folded by case and
   * width, lower(normalize(name, NFKC)), migrations 0063 and 0064: 「vip」 and 「Ｖｉｐ」 are 「VIP」)
   * is refused at the name field, naming that tag: staff typing 「vip」 may not connect it with 「VIP」 in the list. The
   * write runs on a savepoint so the holder can still be read (a failed statement ends a PostgreSQL transaction).
   * Only an account that may read the tag list (members.read, as GET /api/tags) is told the holder's spelling and id:
   * one with tags.edit alone would otherwise learn tags' names and ids by guessing. It is told the name it typed.
   * When the holder is gone by the time it is read (renamed or deleted at once by a colleague: CI on PostgreSQL, the
   * attack review's race), the name is free now and the write is tried once more. Two tags swapping names at once
   * (A → b while B → a) can each wait on the other's old name in the unique index: PostgreSQL ends one of them as a
   * deadlock, and that one is tried again (core/db/rename.ts), after the other has finished (CI on PostgreSQL: a 500 otherwise).
   */
  async function withNameCheck<T>(ctx: TenantContext, name: string | undefined, write: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await retryingDeadlock(ctx.db, write);
      } catch (error) {
        if (name === undefined || !isUniqueViolation(error, 'tags_name_key')) throw error;
        const holder = await repo.findTagByName(ctx.db, ctx.tenantId, name);
        if (!holder && attempt === 1) continue;
        const shown = holder && mayListTags(ctx) ? holder : undefined;
        throw new AppError('tag.name_taken', { field: 'name', name: shown?.name ?? name, ...(shown ? { tagId: shown.id } : {}) });
      }
    }
  }

  /** The hotel's tag of this name as the unique index sees names (cleaned, in any case and width), if it has one. */
  async function findTagByName(ctx: TenantContext, name: string) {
    const tag = await repo.findTagByName(ctx.db, ctx.tenantId, cleanName(name));
    return tag ? toTagDto(tag) : undefined;
  }

  /**
   * The ids of the hotel's tags of these names, keyed by the cleaned name (cleanName), as the unique index sees names
   * (the database's folding): an import's 「ｖｉｐ」 is the hotel's 「VIP」; its 「οδος」 is not the hotel's 「ΟΔΟΣ」,
   * since the database keeps both.
   */
  function tagIdsByNames(ctx: TenantContext, cleanedNames: readonly string[]): Promise<Map<string, string>> {
    return repo.findTagIdsByNames(ctx.db, ctx.tenantId, [...new Set(cleanedNames)]);
  }

  async function listTags(ctx: TenantContext, filter: { kind?: TagKind | undefined; search?: string | undefined }) {
    const rows = await repo.findTagsWithCounts(ctx.db, ctx.tenantId, filter, clock.now(), visibleMembers(ctx));
    return rows.map(({ tag, memberCount }) => ({ ...toTagDto(tag), memberCount }));
  }

  async function createTag(ctx: TenantContext, input: TagInput) {
    const tag = await withNameCheck(ctx, input.name, (tx) =>
      repo.insertTag(tx, {
        tenantId: ctx.tenantId,
        id: newId(),
        name: input.name,
        kind: input.kind,
        category: input.category ?? '',
        color: input.color ?? 'blue',
        description: input.description ?? '',
        validityDays: input.validityDays ?? null,
      }),
    );
    await recordAudit(ctx, { action: 'tag.created', targetType: 'tag', targetId: tag.id, details: { name: tag.name, kind: tag.kind } });
    return toTagDto(tag);
  }

  async function updateTag(ctx: TenantContext, id: string, input: Partial<TagInput>) {
    const before = await requireTag(ctx, id);
    const after = await withNameCheck(ctx, input.name, (tx) => repo.updateTag(tx, ctx.tenantId, id, input));
    if (!after) throw new AppError('tag.not_found');
    await recordAudit(ctx, { action: 'tag.updated', targetType: 'tag', targetId: id, details: { before: toTagDto(before), changes: input } });
    return toTagDto(after);
  }

  /** What deleting the tag would affect: members carrying it and everything that refers to it. */
  async function tagImpact(ctx: TenantContext, id: string) {
    const tag = await requireTag(ctx, id);
    const usages = (await Promise.all(deps.usageProviders().map((provide) => provide(ctx, id)))).flat();
    return { tag: toTagDto(tag), memberCount: await repo.countTagMembers(ctx.db, ctx.tenantId, id, clock.now(), visibleMembers(ctx)), usages };
  }

  /**
   * Holds the tags a campaign being approved or a rule being switched on gives or needs, until its transaction ends: a
   * deletion of one of them waits and then finds the use (tag.in_use), or went first and the caller finds the tag gone
   * (read it after this). Returns the ids that exist.
   */
  function holdTags(ctx: TenantContext, ids: readonly string[]): Promise<Set<string>> {
    return repo.lockTags(ctx.db, ctx.tenantId, [...new Set(ids)], 'share');
  }

  async function deleteTag(ctx: TenantContext, id: string): Promise<void> {
    // First, before its uses are read: an approval or a switch-on holding the tag finishes first (holdTags).
    await repo.lockTags(ctx.db, ctx.tenantId, [id], 'update');
    const impact = await tagImpact(ctx, id);
    const blocking = impact.usages.filter((u) => u.blocking);
    if (blocking.length > 0) throw new AppError('tag.in_use', { usages: blocking });
    // Tags are the group's; deleting one takes it off every holder. An account limited to some properties may do that
    // only when it sees every holder (decision 0006): it must not change guests it cannot see, nor log a count of them.
    if (propertyScopeOf(ctx) !== 'all' && (await repo.countTagMembers(ctx.db, ctx.tenantId, id, clock.now(), sql`not ${visibleMembers(ctx)}`)) > 0) {
      throw new AppError('tag.held_outside_scope');
    }
    const removed = await repo.unassignTag(ctx.db, { tenantId: ctx.tenantId, tagId: id, members: repo.tagHolders(ctx.tenantId, id) });
    await recordInteraction(ctx, removed, { type: 'tag_removed', tagId: id, occurredAt: clock.now(), details: { reason: 'tag_deleted', tagName: impact.tag.name } });
    await repo.deleteTag(ctx.db, ctx.tenantId, id);
    await recordAudit(ctx, { action: 'tag.deleted', targetType: 'tag', targetId: id, details: { name: impact.tag.name, membersAffected: removed.length, usages: impact.usages } });
  }

  /**
   * Adds a tag to the members a subquery selects (ids of live members of this tenant), recording provenance on the
   * assignment and a history entry for each member that newly carries it. Returns how many newly carry it.
   */
  async function addTagToSelection(ctx: TenantContext, tagId: string, members: SQL, provenance: Provenance): Promise<number> {
    const tag = await requireTag(ctx, tagId);
    const now = clock.now();
    const expiresAt = tag.validityDays ? new Date(now.getTime() + tag.validityDays * 86_400_000) : null;
    const added = await repo.assignTag(ctx.db, { tenantId: ctx.tenantId, tagId, members, provenance, now, expiresAt });
    await recordInteraction(ctx, added, {
      type: 'tag_added',
      tagId,
      occurredAt: now,
      details: {
        tagName: tag.name,
        source: provenance.source,
        sourceLabel: provenance.sourceLabel,
        ...(provenance.sourceDetail ? { sourceDetail: provenance.sourceDetail } : {}),
        // Which campaign or rule (and button): the timeline names it only to accounts that may see it.
        ...(provenance.source === 'campaign' || provenance.source === 'rule' ? { sourceRef: provenance.sourceRef } : {}),
      },
      ...(provenance.source === 'campaign' ? { actor: { type: 'guest' as const, ref: provenance.sourceRef, label: provenance.sourceLabel } } : {}),
      // An import's entries name its file (匯入檔「會員.csv」), as the member entries of the same import do, not the job.
      ...(provenance.source === 'import' ? { actor: { type: 'import' as const, ref: provenance.sourceRef, label: provenance.sourceLabel } } : {}),
    });
    if (added.length > 0) for (const hook of deps.addedHooks?.() ?? []) await hook(ctx, { tagId, memberIds: added, at: now, source: provenance.source });
    return added.length;
  }

  async function removeTagFromSelection(ctx: TenantContext, tagId: string, members: SQL, reason: string): Promise<number> {
    const tag = await requireTag(ctx, tagId);
    const removed = await repo.unassignTag(ctx.db, { tenantId: ctx.tenantId, tagId, members });
    await recordInteraction(ctx, removed, { type: 'tag_removed', tagId, occurredAt: clock.now(), details: { tagName: tag.name, reason } });
    return removed.length;
  }

  /** Staff adding or removing a tag on chosen members (member detail page, list selection). */
  async function changeTagForMembers(ctx: TenantContext, tagId: string, memberIds: string[], change: 'add' | 'remove') {
    await deps.members.requireLiveMembers(ctx, memberIds);
    const selection = memberSelection(ctx, memberIds);
    const staff = ctx.actor.kind === 'account' ? { ref: ctx.actor.accountId, label: ctx.actor.email } : { ref: ctx.actor.name, label: ctx.actor.name };
    const count =
      change === 'add'
        ? await addTagToSelection(ctx, tagId, selection, { source: 'staff', sourceRef: staff.ref, sourceLabel: staff.label })
        : await removeTagFromSelection(ctx, tagId, selection, 'staff');
    await recordAudit(ctx, { action: change === 'add' ? 'tag.assigned' : 'tag.unassigned', targetType: 'tag', targetId: tagId, details: { members: memberIds.length, changed: count } });
    return count;
  }

  async function memberTags(ctx: TenantContext, memberId: string) {
    await deps.members.requireLiveMembers(ctx, [memberId]);
    const rows = await repo.findMemberTags(ctx.db, ctx.tenantId, memberId, clock.now());
    let tags = rows.map((r) => ({ ...toTagDto(r.tag), addedAt: r.addedAt, source: r.source, sourceRef: r.sourceRef, sourceLabel: r.sourceLabel, sourceDetail: r.sourceDetail, otherProperty: false, expiresAt: r.expiresAt }));
    if (propertyScopeOf(ctx) === 'all') return tags;
    for (const origin of deps.provenanceOrigins?.() ?? []) {
      const ids = [...new Set(tags.map(origin.refOf).filter((id): id is string => id !== undefined))];
      const hidden = ids.length > 0 ? await origin.hidden(ctx, ids) : new Set<string>();
      if (hidden.size > 0) tags = tags.map((tag) => (hidden.has(origin.refOf(tag) ?? '') ? { ...tag, sourceRef: '', sourceLabel: '', sourceDetail: '', otherProperty: true } : tag));
    }
    return tags;
  }

  /** Clean-up: expired assignments leave, with a history entry, in batches. */
  async function removeExpiredAssignments(ctx: TenantContext, batch = 5000): Promise<number> {
    const expired = await repo.findExpiredAssignments(ctx.db, ctx.tenantId, clock.now(), batch);
    const byTag = new Map<string, string[]>();
    for (const row of expired) byTag.set(row.tag_id, [...(byTag.get(row.tag_id) ?? []), row.member_id]);
    let total = 0;
    for (const [tagId, memberIds] of byTag) total += await removeTagFromSelection(ctx, tagId, memberSelection(ctx, memberIds), 'expired');
    return total;
  }

  return { listTags, findTagByName, tagIdsByNames, createTag, updateTag, tagImpact, deleteTag, holdTags, addTagToSelection, removeTagFromSelection, changeTagForMembers, memberTags, removeExpiredAssignments, requireTag };
}

export type TagsService = ReturnType<typeof createTagsService>;

export function toTagDto(tag: TagRow) {
  return {
    id: tag.id,
    name: tag.name,
    kind: tag.kind,
    category: tag.category,
    color: tag.color,
    description: tag.description,
    validityDays: tag.validityDays,
    createdAt: tag.createdAt,
    updatedAt: tag.updatedAt,
  };
}

/** Audit-log labels for tags: their names. */
export function labelTagsForAudit(ctx: TenantContext, ids: readonly string[]): Promise<Map<string, string>> {
  return repo.findTagNames(ctx.db, ctx.tenantId, ids);
}
