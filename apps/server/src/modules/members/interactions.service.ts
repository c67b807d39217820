import type { Actor, TenantContext } from '../../core/context.ts';
import { newId } from '../../core/ids.ts';
import * as repo from './interactions.repository.ts';
import { touchLastInteraction, touchLastInteractions } from './members.repository.ts';
import type { InteractionActor, InteractionType } from './members.tables.ts';

export type InteractionInput = {
  type: InteractionType;
  /** When it happened: the guest's event time, or the caller's injected clock (never the wall clock here). */
  occurredAt: Date;
  campaignId?: string | null;
  actionId?: string | null;
  tagId?: string | null;
  details?: Record<string, unknown>;
  /** Who did it, when not the context's actor (e.g. the guest clicking in LINE). */
  actor?: { type: InteractionActor; ref?: string; label?: string };
};

/** Interactions that come from the guest; they move the member's "last interaction" time. */
const GUEST_TYPES: ReadonlySet<InteractionType> = new Set(['followed', 'unfollowed', 'blocked', 'message_received', 'clicked', 'opened', 'bound']);

const SYSTEM_ACTORS: Record<string, InteractionActor> = { line: 'line', pms: 'pms', import: 'import', campaign: 'campaign', rule: 'rule' };

function actorOf(actor: Actor): { type: InteractionActor; ref: string; label: string } {
  if (actor.kind === 'account') return { type: 'staff', ref: actor.accountId, label: actor.email };
  return { type: SYSTEM_ACTORS[actor.name] ?? 'system', ref: actor.name, label: actor.name };
}

/** What an entry says, whichever member it is for. */
function entryOf(ctx: TenantContext, input: InteractionInput, at: Date): repo.InteractionEntry {
  const actor = input.actor ? { ref: '', label: '', ...input.actor } : actorOf(ctx.actor);
  return {
    occurredAt: at,
    type: input.type,
    actorType: actor.type,
    actorRef: actor.ref,
    actorLabel: actor.label,
    campaignId: input.campaignId ?? null,
    actionId: input.actionId ?? null,
    tagId: input.tagId ?? null,
    details: input.details ?? {},
  };
}

function toRow(ctx: TenantContext, memberId: string, input: InteractionInput, at: Date): repo.NewInteraction {
  return { tenantId: ctx.tenantId, id: newId(), memberId, ...entryOf(ctx, input, at) };
}

/**
 * Appends many members' own entries (each with its type, time and details) in one statement, and moves each member's
 * "last interaction" to the latest of its guest entries in one more: how the LINE worker writes a batch of events.
 */
export async function recordInteractions(ctx: TenantContext, entries: ReadonlyArray<{ memberId: string } & InteractionInput>): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map((entry) => toRow(ctx, entry.memberId, entry, entry.occurredAt));
  await repo.insertInteractions(ctx.db, rows);
  const latest = new Map<string, Date>();
  for (const row of rows) {
    if (!GUEST_TYPES.has(row.type)) continue;
    const seen = latest.get(row.memberId);
    if (!seen || row.occurredAt! > seen) latest.set(row.memberId, row.occurredAt!);
  }
  await touchLastInteractions(ctx.db, ctx.tenantId, latest);
}

/** Appends one entry per member to the history, in one statement however many members there are. */
export async function recordInteraction(ctx: TenantContext, memberIds: readonly string[], input: InteractionInput): Promise<void> {
  if (memberIds.length === 0) return;
  const at = input.occurredAt;
  if (memberIds.length === 1) await repo.insertInteractions(ctx.db, [toRow(ctx, memberIds[0]!, input, at)]);
  else await repo.insertInteractionForMembers(ctx.db, ctx.tenantId, memberIds.map(() => newId()), memberIds, entryOf(ctx, input, at));
  if (GUEST_TYPES.has(input.type)) await touchLastInteraction(ctx.db, ctx.tenantId, [...memberIds], at);
}

/**
 * A campaign's buttons' taps as the history has them (the LINE worker's entries for postback taps): per button, every
 * tap and the distinct guests. Counts only, never who.
 */
export function countCampaignButtonTaps(ctx: TenantContext, campaignId: string, actionIds: readonly string[]): Promise<Array<{ actionId: string; taps: number; guests: number }>> {
  return repo.countButtonTaps(ctx.db, ctx.tenantId, campaignId, actionIds).then((rows) => rows.map((r) => ({ actionId: r.action_id, taps: r.taps, guests: r.guests })));
}
