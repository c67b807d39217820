import type { messagingApi } from '@line/bot-sdk';
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.ts';
import type { TenantContext } from '../../core/context.ts';
import type { Database, Tx } from '../../core/db/database.ts';
import type { TenantId } from '../../core/ids.ts';
import { memberSelection, recordInteraction, recordInteractions, type InteractionInput, type MemberLineService } from '../members/index.ts';
import type { TagsService } from '../tags/index.ts';
import type { ChannelCredentials, ChannelsService } from './channels.service.ts';
import * as inbox from './inbox.repository.ts';
import type { InboxRow } from './inbox.repository.ts';
import type { LineApi } from './line-api.ts';
import { resolvePostback, type PostbackResolver } from './postback.ts';

const BATCH = 100;
const MAX_ATTEMPTS = 3;
/** Advisory-lock namespace ('LINE') for the per-tenant drain lock. */
const DRAIN_LOCK = 0x4c494e45;

/** How many LINE calls (and profile updates) after a batch run at once. */
const EFFECT_CONCURRENCY = 8;

/** Work that needs LINE's API: done after the transaction commits, never while rows are locked. */
type Effect =
  | { kind: 'fetch_profile'; accessToken: string; lineUserId: string; memberId: string }
  | { kind: 'reply'; accessToken: string; replyToken: string; messages: messagingApi.Message[] };

/** What an event did; `member` is the friend's member record as it now is, for the batch's later events. */
type Handled = { status: 'processed' | 'ignored'; effects: Effect[]; member?: MemberRow };

type Member = Awaited<ReturnType<MemberLineService['findByLineUserId']>>;
type MemberRow = NonNullable<Member>;
type EventPayload = { replyToken?: string; follow?: { isUnblocked?: boolean }; postback?: { data?: string; params?: Record<string, string> }; message?: { type?: string; text?: string; id?: string }; mode?: string };

export type EventProcessorDeps = {
  db: Database;
  clock: Clock;
  logger: Logger;
  lineApi: LineApi;
  channels: ChannelsService;
  memberLine: MemberLineService;
  tags: TagsService;
  postbackResolvers: () => PostbackResolver[];
};

/**
 * Turns stored webhook events into CRM facts: follow → member (+ profile, welcome message), unfollow → blocked,
 * postback → click interaction and its tags (點擊後觸發標籤), message → timeline. Each event commits on its own
 * savepoint, so one bad event cannot hold up the others; it is retried twice and then parked as failed.
 */
export function createEventProcessor(deps: EventProcessorDeps) {
  const { db, clock, logger } = deps;

  function contextOf(tx: Tx, tenantId: TenantId): TenantContext {
    return { tenantId, db: tx, actor: { kind: 'system', name: 'line' }, ip: '', requestId: 'line.process-inbox', afterCommit: () => undefined };
  }

  /** A message from a known friend is only a timeline entry: those are written together, a batch's worth at a time. */
  function messageEntry(row: InboxRow, member: MemberRow): ({ memberId: string } & InteractionInput) | undefined {
    const event = row.payload as EventPayload;
    if (row.eventType !== 'message' || !row.lineUserId || event.mode === 'standby') return undefined;
    return {
      memberId: member.id,
      type: 'message_received',
      occurredAt: row.occurredAt,
      actor: { type: 'guest', ref: row.lineUserId, label: member.lineDisplayName ?? '' },
      details: { messageType: event.message?.type ?? 'unknown', ...(event.message?.type === 'text' ? { text: (event.message.text ?? '').slice(0, 2000) } : {}) },
    };
  }

  async function handle(ctx: TenantContext, channel: ChannelCredentials, row: InboxRow, known: Member): Promise<Handled> {
    const event = row.payload as EventPayload;
    const userId = row.lineUserId;
    if (!userId || event.mode === 'standby') return { status: 'ignored', effects: [] };
    const at = row.occurredAt;
    const friend = async () => known ?? (await deps.memberLine.recordFollow(ctx, { lineUserId: userId, propertyId: channel.propertyId, at, isUnblocked: false })).member;
    switch (row.eventType) {
      case 'follow': {
        const { member } = await deps.memberLine.recordFollow(ctx, { lineUserId: userId, propertyId: channel.propertyId, at, isUnblocked: event.follow?.isUnblocked ?? false });
        const effects: Effect[] = [{ kind: 'fetch_profile', accessToken: channel.accessToken, lineUserId: userId, memberId: member.id }];
        if (event.replyToken) effects.push({ kind: 'reply', accessToken: channel.accessToken, replyToken: event.replyToken, messages: welcomeMessages(channel) });
        return { status: 'processed', effects, member };
      }
      case 'unfollow':
        return { status: 'processed', effects: [], member: await deps.memberLine.recordBlock(ctx, { lineUserId: userId, propertyId: channel.propertyId, at }) };
      case 'postback': {
        const member = await friend();
        const data = event.postback?.data ?? '';
        const action = await resolvePostback(ctx, data, deps.postbackResolvers());
        await recordInteraction(ctx, [member.id], {
          type: 'clicked',
          occurredAt: at,
          campaignId: action?.campaignId ?? null,
          actionId: action?.actionId ?? null,
          actor: { type: 'guest', ref: userId, label: member.lineDisplayName ?? '' },
          details: { data: data.slice(0, 300), ...(event.postback?.params ? { params: event.postback.params } : {}), label: action?.label ?? null },
        });
        for (const tagId of action?.tagIds ?? []) {
          await deps.tags.addTagToSelection(ctx, tagId, memberSelection(ctx, [member.id]), {
            source: action?.campaignId ? 'campaign' : 'line',
            sourceRef: action?.campaignId ? `${action.campaignId}:${action.actionId ?? ''}` : `postback:${data.slice(0, 100)}`,
            sourceLabel: action?.label ?? data.slice(0, 100),
          });
        }
        return { status: 'processed', effects: [], member };
      }
      case 'message': {
        const member = await friend();
        await recordInteractions(ctx, [messageEntry(row, member)!]);
        return { status: 'processed', effects: [], member };
      }
      default:
        return { status: 'ignored', effects: [] };
    }
  }

  /**
   * One claimed batch: DB effects commit with the inbox status; LINE calls are returned for after the commit.
   * The batch's LINE users are locked (see MemberLineService.lockLineUsers) and their members looked up at once. Messages from known friends (most traffic) are queued and written
   * together; any other event first writes the queue, then runs on its own savepoint, in arrival order. A queue that
   * fails is taken again one event at a time, so only a bad event fails.
   * A tenant's batches take turns (transaction-scoped advisory lock): two batches at once would lock the same members
   * and the member-number counter in different orders and deadlock. A waiting drain claims what the other left.
   */
  async function processBatch(tenantId: TenantId): Promise<{ claimed: number; failed: number; effects: Effect[] }> {
    return db.withTenant(tenantId, async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${DRAIN_LOCK}, hashtext(${tenantId}))`);
      const ctx = contextOf(tx, tenantId);
      const rows = await inbox.claimPending(tx, tenantId, BATCH);
      const effects: Effect[] = [];
      const done: Record<'processed' | 'ignored', string[]> = { processed: [], ignored: [] };
      const channels = new Map<string, ChannelCredentials | undefined>();
      const users = [...new Set(rows.flatMap((row) => (row.lineUserId ? [row.lineUserId] : [])))];
      // Before any write: a guest binding through LIFF right now finishes first, or waits for this batch.
      await deps.memberLine.lockLineUsers(ctx, users);
      const friends = await deps.memberLine.findByLineUserIds(ctx, users);
      let queued: Array<{ row: InboxRow; channel: ChannelCredentials; entry: { memberId: string } & InteractionInput }> = [];
      let failed = 0;

      async function one(row: InboxRow, channel: ChannelCredentials): Promise<void> {
        try {
          const handled = await tx.transaction((savepoint) => handle(contextOf(savepoint as Tx, tenantId), channel, row, row.lineUserId ? friends.get(row.lineUserId) : undefined));
          done[handled.status].push(row.id);
          effects.push(...handled.effects);
          if (handled.member && row.lineUserId) friends.set(row.lineUserId, handled.member);
        } catch (error) {
          logger.error({ err: error, tenantId, event: row.webhookEventId }, 'LINE event failed');
          failed += 1;
          await inbox.recordFailure(tx, tenantId, row.id, error instanceof Error ? error.message : String(error), MAX_ATTEMPTS);
        }
      }

      async function flush(): Promise<void> {
        const group = queued;
        queued = [];
        if (group.length === 0) return;
        try {
          await tx.transaction((savepoint) => recordInteractions(contextOf(savepoint as Tx, tenantId), group.map((q) => q.entry)));
          done.processed.push(...group.map((q) => q.row.id));
        } catch (error) {
          logger.warn({ err: error, tenantId, events: group.length }, 'LINE message batch failed; taking its events one by one');
          for (const q of group) await one(q.row, q.channel);
        }
      }

      for (const row of rows) {
        if (!channels.has(row.channelId)) channels.set(row.channelId, await deps.channels.credentials(ctx, row.channelId));
        const channel = channels.get(row.channelId);
        if (!channel) {
          done.ignored.push(row.id);
          continue;
        }
        const friend = row.lineUserId ? friends.get(row.lineUserId) : undefined;
        const entry = friend && messageEntry(row, friend);
        if (entry) {
          queued.push({ row, channel, entry });
          continue;
        }
        await flush();
        await one(row, channel);
      }
      await flush();
      await inbox.markEvents(tx, tenantId, done.processed, 'processed', clock.now());
      await inbox.markEvents(tx, tenantId, done.ignored, 'ignored', clock.now());
      return { claimed: rows.length, failed, effects };
    });
  }

  async function runEffect(tenantId: TenantId, effect: Effect): Promise<void> {
    try {
      const client = deps.lineApi.messaging(effect.accessToken);
      if (effect.kind === 'fetch_profile') {
        const profile = await client.getProfile(effect.lineUserId);
        await db.withTenant(tenantId, (tx) => deps.memberLine.updateLineProfile(contextOf(tx, tenantId), effect.memberId, { displayName: profile.displayName, pictureUrl: profile.pictureUrl ?? null }));
      } else {
        await client.replyMessage({ replyToken: effect.replyToken, messages: effect.messages });
      }
    } catch (error) {
      // A profile or a welcome message is a nicety: the member and the follow are already recorded.
      logger.warn({ err: error, tenantId, effect: effect.kind }, 'LINE call after event failed');
    }
  }

  /** The batch's LINE calls, a few at a time (they are independent; the credentials come from the batch). */
  async function runEffects(tenantId: TenantId, effects: Effect[]): Promise<void> {
    let next = 0;
    const lane = async () => {
      while (next < effects.length) await runEffect(tenantId, effects[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(EFFECT_CONCURRENCY, effects.length) }, lane));
  }

  /**
   * Claims batches until the tenant has nothing pending. A batch with failures is followed by another, so a failed
   * event is retried (and parked after MAX_ATTEMPTS) now rather than waiting, pending, for the next webhook.
   */
  async function drainOnce(tenantId: TenantId): Promise<number> {
    let total = 0;
    for (;;) {
      const { claimed, failed, effects } = await processBatch(tenantId);
      await runEffects(tenantId, effects);
      total += claimed;
      if (claimed < BATCH && failed === 0) return total;
    }
  }

  /** Tenants this process is draining, and whether another wake-up came for them meanwhile. */
  const draining = new Map<TenantId, { again: boolean }>();

  /**
   * Drains the tenant's pending events (the job handler). Returns how many were claimed. Every stored webhook brings a
   * wake-up; one that finds a drain of its tenant running in this process leaves it to that drain, which goes round once
   * more (its last claim may have come before the rows that woke us were committed). Drains in other processes take
   * turns through the batch lock.
   */
  async function drain(tenantId: TenantId): Promise<number> {
    const running = draining.get(tenantId);
    if (running) {
      running.again = true;
      return 0;
    }
    const state = { again: false };
    draining.set(tenantId, state);
    try {
      let total = 0;
      do {
        state.again = false;
        total += await drainOnce(tenantId);
      } while (state.again);
      return total;
    } finally {
      draining.delete(tenantId);
    }
  }

  return { drain, processBatch };
}

export type EventProcessor = ReturnType<typeof createEventProcessor>;

/** The welcome: the channel's own text, and a button to bind the membership when a LIFF app is set up. */
export function welcomeMessages(channel: Pick<ChannelCredentials, 'welcomeMessage' | 'liffId' | 'botDisplayName' | 'name'>): messagingApi.Message[] {
  const text = channel.welcomeMessage || `歡迎加入${channel.botDisplayName ?? channel.name}！完成會員綁定，即可享有會員專屬優惠與服務。`;
  if (!channel.liffId) return [{ type: 'text', text }];
  return [
    {
      type: 'template',
      altText: text.slice(0, 400),
      template: { type: 'buttons', text: text.slice(0, 160), actions: [{ type: 'uri', label: '綁定會員', uri: `https://liff.line.me/${channel.liffId}` }] },
    },
  ];
}
