import { HTTPFetchError, type messagingApi } from '@line/bot-sdk';
import { v5 as uuidv5 } from 'uuid';
import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.ts';
import { systemContext, type TenantContext } from '../../core/context.ts';
import type { Database, Tx } from '../../core/db/database.ts';
import { isTransientDatabaseError } from '../../core/errors.ts';
import { asTenantId, type TenantId } from '../../core/ids.ts';
import type { JobQueue } from '../../core/jobs/queue.ts';
import { memberSelection, recordInteraction, recordInteractions, type InteractionInput, type MemberLineService, type MemberNumbers } from '../members/index.ts';
import type { TagsService } from '../tags/index.ts';
import type { ChannelCredentials, ChannelsService } from './channels.service.ts';
import * as inbox from './inbox.repository.ts';
import { DRAIN_PARTITIONS, type InboxRow } from './inbox.repository.ts';
import type { LineApi } from './line-api.ts';
import { DRAIN_INBOX_JOB, DRAIN_LANES, FETCH_PROFILE_JOB, SEND_WELCOME_JOB, type EventEffect } from './line.jobs.ts';
import { resolvePostback, type PostbackAction, type PostbackResolver, type PostbackTapHook, type PostbackTapper } from './postback.ts';
import { LinePushFailed } from './push.ts';
import type { LineSender } from './sender.ts';

/**
 * Events a batch claims. Larger batches spread a batch's fixed round trips (the arrivals, the partition, the claim,
 * the guests' locks and members, the postbacks' meaning, the statuses) over more events; a guest binding through
 * LIFF waits for at most one batch that holds them.
 */
const BATCH = 200;
const MAX_ATTEMPTS = 3;

/** Batches in a row that may meet a deadlock or serialization failure before the drain gives up to a job retry. */
const TRANSIENT_ROUNDS = 5;
/** Namespace of the welcome push's X-Line-Retry-Key (a UUID v5 of the tenant and the event's webhookEventId). */
const WELCOME_RETRY_KEYS = '6f1d8a52-3c1e-4b5e-9a57-2f0c8e1d4b63';

/**
 * Work that needs LINE's API. It is not done in the batch: a job per effect is written in the batch's transaction
 * (an outbox), so it exists exactly when the follow is recorded and survives a worker that dies after the commit.
 */
type Effect = 'fetch_profile' | 'welcome';

/** What an event did; `member` is the friend's member record as it now is, for the batch's later events. */
type Handled = { status: 'processed' | 'ignored'; effects: Effect[]; member?: MemberRow };

type Member = Awaited<ReturnType<MemberLineService['findByLineUserId']>>;
type MemberRow = NonNullable<Member>;
/** Where a tag a button gave came from (the tag's provenance on the member). */
type Provenance = Parameters<TagsService['addTagToSelection']>[3];
type EventPayload = { replyToken?: string; follow?: { isUnblocked?: boolean }; postback?: { data?: string; params?: Record<string, string> }; message?: { type?: string; text?: string; id?: string }; mode?: string };

export type EventProcessorDeps = {
  db: Database;
  clock: Clock;
  logger: Logger;
  lineApi: LineApi;
  /** The process's sending port (one per process, so its sends share pacing reservations). */
  sender: LineSender;
  channels: ChannelsService;
  memberLine: MemberLineService;
  tags: TagsService;
  postbackResolvers: () => PostbackResolver[];
  postbackTapHooks: () => PostbackTapHook[];
  queue: () => JobQueue;
};

/**
 * Turns stored webhook events into CRM facts: follow → member (+ profile, welcome message), unfollow → blocked,
 * postback → click interaction and its tags (點擊後觸發標籤), message → timeline. Each event commits on its own
 * savepoint, so one bad event cannot hold up the others; it is retried twice and then parked as failed.
 */
export function createEventProcessor(deps: EventProcessorDeps) {
  const { db, clock, logger } = deps;
  // Welcome pushes go through the sending port, paced with the channel's other sends.
  const { sender } = deps;

  function contextOf(tx: Tx, tenantId: TenantId): TenantContext {
    return systemContext(tx, tenantId, 'line', { requestId: 'line.process-inbox' });
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

  /** A tap on a postback button from a known friend: the click, with the campaign and button it resolved to. */
  function clickEntry(row: InboxRow, member: MemberRow, action: PostbackAction | undefined): { memberId: string } & InteractionInput {
    const event = row.payload as EventPayload;
    const data = postbackData(row);
    return {
      memberId: member.id,
      type: 'clicked',
      occurredAt: row.occurredAt,
      campaignId: action?.campaignId ?? null,
      actionId: action?.actionId ?? null,
      actor: { type: 'guest', ref: row.lineUserId ?? '', label: member.lineDisplayName ?? '' },
      details: { data: data.slice(0, 300), ...(event.postback?.params ? { params: event.postback.params } : {}), label: action?.label ?? null, ...(action?.source ? { source: action.source } : {}), ...(action?.ruleId ? { ruleId: action.ruleId } : {}) },
    };
  }

  /** The modules that keep their own record of taps write it here, with the taps' history entries. */
  async function tellTaps(ctx: TenantContext, taps: Array<{ memberId: string; data: string; at: Date }>): Promise<void> {
    if (taps.length === 0) return;
    for (const hook of deps.postbackTapHooks()) await hook(ctx, taps);
  }

  async function handle(ctx: TenantContext, channel: ChannelCredentials, row: InboxRow, known: Member, numbers?: MemberNumbers): Promise<Handled> {
    const event = row.payload as EventPayload;
    const userId = row.lineUserId;
    if (!userId || event.mode === 'standby') return { status: 'ignored', effects: [] };
    const at = row.occurredAt;
    const friend = async () => known ?? (await deps.memberLine.recordFollow(ctx, { lineUserId: userId, propertyId: channel.propertyId, at, isUnblocked: false }, numbers)).member;
    switch (row.eventType) {
      case 'follow': {
        const { member } = await deps.memberLine.recordFollow(ctx, { lineUserId: userId, propertyId: channel.propertyId, at, isUnblocked: event.follow?.isUnblocked ?? false }, numbers);
        // Every follow event is welcomed once, also one that changed nothing because a message that LINE sent after it
        // was processed first (the friend already followed through it).
        return { status: 'processed', effects: event.replyToken ? ['fetch_profile', 'welcome'] : ['fetch_profile'], member };
      }
      case 'unfollow':
        return { status: 'processed', effects: [], member: await deps.memberLine.recordBlock(ctx, { lineUserId: userId, propertyId: channel.propertyId, at }, numbers) };
      case 'postback': {
        const member = await friend();
        const action = await resolvePostback(ctx, postbackData(row), deps.postbackResolvers(), { memberId: member.id, lineUserId: userId });
        const click = clickEntry(row, member, action);
        await recordInteraction(ctx, [member.id], click);
        await tellTaps(ctx, [{ memberId: member.id, data: postbackData(row), at }]);
        for (const tagId of action?.tagIds ?? []) await deps.tags.addTagToSelection(ctx, tagId, memberSelection(ctx, [member.id]), provenanceOf(row, action));
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
   * What the known friends' postbacks in the batch mean, each distinct data and tapper resolved once (resolvers only
   * read: a campaign's buttons, the tenant's tags, whom an automated button was sent to), in a savepoint of its own,
   * keyed by tapKey. Undefined when a resolver failed: the postbacks then run one by one, where a failure is their own.
   */
  async function resolveAll(tx: Tx, tenantId: TenantId, rows: InboxRow[], friends: ReadonlyMap<string, MemberRow>): Promise<Map<string, PostbackAction | undefined> | undefined> {
    const taps = new Map<string, { data: string; tapper: PostbackTapper }>();
    for (const row of rows) {
      const friend = row.eventType === 'postback' && row.lineUserId ? friends.get(row.lineUserId) : undefined;
      if (friend) taps.set(tapKey(row, friend), { data: postbackData(row), tapper: { memberId: friend.id, lineUserId: row.lineUserId! } });
    }
    if (taps.size === 0) return new Map();
    try {
      return await tx.transaction(async (savepoint) => {
        const ctx = contextOf(savepoint as Tx, tenantId);
        const resolved = new Map<string, PostbackAction | undefined>();
        for (const [key, { data, tapper }] of taps) resolved.set(key, await resolvePostback(ctx, data, deps.postbackResolvers(), tapper));
        return resolved;
      });
    } catch (error) {
      logger.warn({ err: error, tenantId }, 'LINE postbacks could not be resolved together; taking them one by one');
      return undefined;
    }
  }

  /**
   * One claimed batch of one partition, in LINE's order (see inbox.takePartition and inbox.claimPending). DB effects
   * commit with the inbox status, and so do the jobs for LINE calls (profile, welcome), which run after the commit.
   *
   * The batch's LINE users are locked (see MemberLineService.lockLineUsers) and their members looked up at once.
   * Messages and postbacks from known friends (most traffic, a campaign's clicks included) are queued and written
   * together: their history entries in one statement, the tags the buttons give in one statement per tag and
   * provenance. Any other event runs on its own savepoint; the queue is written first only when it holds an event of
   * the same guest, so a guest's events take effect in LINE's order. A queue that fails is taken again one event at a
   * time, so only a bad event fails. Once a guest's event fails, the guest's later events in the batch are left
   * pending for the next batch, so they never overtake it.
   * A deadlock or serialization failure is the database's, not the event's: it leaves the event pending without
   * counting an attempt.
   *
   * Batches of different partitions run at once (in this process and in others) and hold different guests: no row of
   * one is locked by the other (LINE-user locks, members, their history and tags are the guest's). The one row every
   * new member's record takes is the tenant's member-number counter, held until its transaction ends: a batch that
   * took it would make every other batch with a new friend wait for its end, so batches take numbers reserved ahead
   * instead (`numbers`, the drain lane's; MemberLineService.reserveMemberNumbers). A batch that finds more guests
   * without a member record than it has numbers for ends at once, without writing, and is taken again after the
   * numbers are reserved in a short transaction of their own. (A number reserved and not used, because an event
   * failed or the lane ended, is a gap in the numbering.) What is left to meet is work outside the drain (staff
   * deleting a tag a batch is giving, an import holding the counter while a batch waits to read no row it needs): a
   * cycle there is a deadlock the database breaks, which is transient as above.
   */
  async function processBatch(tenantId: TenantId, from = 0, numbers: number[] = [], ahead = 0): Promise<Batched> {
    let reserve = ahead;
    for (let attempt = 1; ; attempt += 1) {
      if (reserve > 0) {
        const count = reserve;
        const first = await db.withTenant(tenantId, (tx) => deps.memberLine.reserveMemberNumbers(contextOf(tx, tenantId), count));
        for (let i = 0; i < count; i += 1) numbers.push(first + i);
      }
      const outcome = await batchOnce(tenantId, from, numbers, attempt < 3);
      if (!('short' in outcome)) return outcome;
      reserve = outcome.short;
    }
  }

  async function batchOnce(tenantId: TenantId, from: number, numbers: number[], reserveFirst: boolean): Promise<Batched | { short: number }> {
    // Webhook requests of this tenant under way finish first, so their events are claimed in their guest's order.
    await inbox.awaitArrivals(db, tenantId);
    return db.withTenant(tenantId, async (tx) => {
      const partition = await inbox.takePartition(tx, tenantId, from);
      if (partition === undefined) return { partition, claimed: 0, failed: 0, transient: 0, newcomers: 0 };
      const ctx = contextOf(tx, tenantId);
      const rows = await inbox.claimPending(tx, tenantId, partition, BATCH);
      const effects: Record<Effect, string[]> = { fetch_profile: [], welcome: [] };
      const done: Record<'processed' | 'ignored', string[]> = { processed: [], ignored: [] };
      const channels = new Map<string, ChannelCredentials | undefined>();
      const users = [...new Set(rows.flatMap((row) => (row.lineUserId ? [row.lineUserId] : [])))];
      // Before any write: a guest binding through LIFF right now finishes first, or waits for this batch.
      await deps.memberLine.lockLineUsers(ctx, users);
      const friends = await deps.memberLine.findByLineUserIds(ctx, users);
      // Guests whose first event here will create their member record: one reserved number each.
      const newcomers = new Set(rows.filter((row) => row.lineUserId && !friends.has(row.lineUserId) && createsMember(row)).map((row) => row.lineUserId));
      // Nothing written yet: the transaction ends (and its locks go) while the numbers are reserved.
      if (reserveFirst && newcomers.size > numbers.length) throw new NumbersShort(newcomers.size - numbers.length);
      const actions = await resolveAll(tx, tenantId, rows, friends);
      type Queued = { row: InboxRow; channel: ChannelCredentials; entry: { memberId: string } & InteractionInput; action?: PostbackAction | undefined };
      let queued: Queued[] = [];
      /** Guests with an event in the queue: another event of theirs that runs on its own waits for the queue. */
      const queuedUsers = new Set<string>();
      /** Guests with an event that failed in this batch: their later events wait, pending, for the next batch. */
      const held = new Set<string>();
      let failed = 0;
      let transient = 0;

      async function one(row: InboxRow, channel: ChannelCredentials): Promise<void> {
        if (row.lineUserId && held.has(row.lineUserId)) return;
        // Numbers this event took go back to the lane's if its savepoint is rolled back: no member holds them.
        const taken: number[] = [];
        const supply: MemberNumbers = {
          take: () => {
            const number = numbers.shift();
            if (number !== undefined) taken.push(number);
            return number;
          },
        };
        try {
          const handled = await tx.transaction((savepoint) => handle(contextOf(savepoint as Tx, tenantId), channel, row, row.lineUserId ? friends.get(row.lineUserId) : undefined, supply));
          done[handled.status].push(row.id);
          for (const effect of handled.effects) effects[effect].push(row.id);
          if (handled.member && row.lineUserId) friends.set(row.lineUserId, handled.member);
        } catch (error) {
          numbers.unshift(...taken);
          if (row.lineUserId) held.add(row.lineUserId);
          if (isTransientDatabaseError(error)) {
            logger.warn({ err: error, tenantId, event: row.webhookEventId }, 'LINE event met a transient database error; it stays pending');
            transient += 1;
            return;
          }
          logger.error({ err: error, tenantId, event: row.webhookEventId }, 'LINE event failed');
          failed += 1;
          await inbox.recordFailure(tx, tenantId, row.id, error instanceof Error ? error.message : String(error), MAX_ATTEMPTS);
        }
      }

      async function flush(): Promise<void> {
        const group = queued;
        queued = [];
        queuedUsers.clear();
        if (group.length === 0) return;
        try {
          await tx.transaction(async (savepoint) => {
            const sctx = contextOf(savepoint as Tx, tenantId);
            await recordInteractions(sctx, group.map((q) => q.entry));
            await tellTaps(sctx, group.filter((q) => q.row.eventType === 'postback').map((q) => ({ memberId: q.entry.memberId, data: postbackData(q.row), at: q.row.occurredAt })));
            // The tags the buttons give: the members who pressed a button with the same tag and provenance, together.
            const grants = new Map<string, { tagId: string; provenance: Provenance; memberIds: Set<string> }>();
            for (const q of group) {
              if (!q.action) continue;
              const provenance = provenanceOf(q.row, q.action);
              for (const tagId of q.action.tagIds) {
                const key = JSON.stringify([tagId, provenance.source, provenance.sourceRef, provenance.sourceLabel, provenance.sourceDetail ?? '']);
                const grant = grants.get(key) ?? grants.set(key, { tagId, provenance, memberIds: new Set() }).get(key)!;
                grant.memberIds.add(q.entry.memberId);
              }
            }
            for (const grant of grants.values()) await deps.tags.addTagToSelection(sctx, grant.tagId, memberSelection(sctx, [...grant.memberIds]), grant.provenance);
          });
          done.processed.push(...group.map((q) => q.row.id));
        } catch (error) {
          logger.warn({ err: error, tenantId, events: group.length }, 'LINE event batch failed; taking its events one by one');
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
        if (row.lineUserId && held.has(row.lineUserId)) continue;
        const friend = row.lineUserId ? friends.get(row.lineUserId) : undefined;
        const entry = friend && queueable(row, friend, actions);
        if (entry) {
          queued.push({ row, channel, ...entry });
          queuedUsers.add(row.lineUserId!);
          continue;
        }
        if (row.lineUserId && queuedUsers.has(row.lineUserId)) await flush();
        await one(row, channel);
      }
      await flush();
      await inbox.markEvents(tx, tenantId, done.processed, 'processed', clock.now());
      await inbox.markEvents(tx, tenantId, done.ignored, 'ignored', clock.now());
      const queue = deps.queue();
      await queue.enqueueMany(tx, FETCH_PROFILE_JOB, effects.fetch_profile.map((eventId) => ({ data: { tenantId, eventId } })));
      await queue.enqueueMany(tx, SEND_WELCOME_JOB, effects.welcome.map((eventId) => ({ data: { tenantId, eventId } })));
      return { partition, claimed: rows.length, failed, transient, newcomers: newcomers.size };
    }).catch((error: unknown) => {
      if (error instanceof NumbersShort) return { short: error.count };
      throw error;
    });
  }

  /**
   * An event that needs no savepoint of its own: a message or a postback from a known friend, in active mode, whose
   * postback data was resolved with the batch's. Its history entry, and the button's resolved action for the tags.
   */
  function queueable(row: InboxRow, friend: MemberRow, actions: Map<string, PostbackAction | undefined> | undefined): { entry: { memberId: string } & InteractionInput; action?: PostbackAction | undefined } | undefined {
    if (row.eventType === 'message') {
      const entry = messageEntry(row, friend);
      return entry && { entry };
    }
    if (row.eventType !== 'postback' || !row.lineUserId || (row.payload as EventPayload).mode === 'standby' || !actions) return undefined;
    // A guest who became a friend in this batch was not asked about: the tap runs on its own.
    const key = tapKey(row, friend);
    if (!actions.has(key)) return undefined;
    const action = actions.get(key);
    return { entry: clickEntry(row, friend, action), action };
  }

  /** The stored event an effect job is about, with its channel's credentials; undefined once either is gone. */
  async function effectTarget(effect: EventEffect) {
    const tenantId = asTenantId(effect.tenantId);
    return db.withTenant(tenantId, async (tx) => {
      const row = await inbox.findEvent(tx, tenantId, effect.eventId);
      if (!row?.lineUserId) return undefined;
      const channel = await deps.channels.credentials(contextOf(tx, tenantId), row.channelId);
      return channel && { tenantId, row, lineUserId: row.lineUserId, channel };
    });
  }

  /** The profile job: the friend's LINE name and picture onto the member (idempotent; retried by the queue). */
  async function fetchProfile(effect: EventEffect): Promise<void> {
    const target = await effectTarget(effect);
    if (!target) return;
    let profile: messagingApi.UserProfileResponse;
    try {
      profile = await deps.lineApi.messaging(target.channel.accessToken).getProfile(target.lineUserId);
    } catch (error) {
      // 404: the guest is no longer a friend (blocked since): there is no profile to read, and a retry will not find one.
      if (error instanceof HTTPFetchError && error.status === 404) return;
      throw error;
    }
    await db.withTenant(target.tenantId, async (tx) => {
      const ctx = contextOf(tx, target.tenantId);
      // Looked up now: the member may have been merged into another since the follow.
      const member = await deps.memberLine.findByLineUserId(ctx, target.lineUserId);
      if (member) await deps.memberLine.updateLineProfile(ctx, member.id, { displayName: profile.displayName, pictureUrl: profile.pictureUrl ?? null });
    });
  }

  /**
   * The welcome job. The first attempt replies with the follow's reply token (free). A reply token is good once and
   * for about a minute; LINE answers 400 when it is used or expired, and has then sent nothing. So a 400, or any later
   * attempt, pushes instead, with an X-Line-Retry-Key derived from the event: LINE accepts a key once (409 afterwards),
   * so however often the push is retried the guest gets one welcome. (A reply whose answer was lost and a worker that
   * dies between its reply and completing the job are the two cases that can still send twice: a reply has no key.)
   */
  async function sendWelcome(effect: EventEffect, retryCount: number): Promise<void> {
    const target = await effectTarget(effect);
    if (!target) return;
    const client = deps.lineApi.messaging(target.channel.accessToken);
    const messages = welcomeMessages(target.channel);
    const replyToken = (target.row.payload as EventPayload).replyToken;
    if (retryCount === 0 && replyToken) {
      try {
        await client.replyMessage({ replyToken, messages });
        return;
      } catch (error) {
        if (!(error instanceof HTTPFetchError && error.status === 400)) throw error;
      }
    }
    // Accepted includes 409: a push with this key was accepted before (its answer was lost, or the worker died after it).
    const outcome = await sender.push(target.channel, { to: target.lineUserId, messages, retryKey: welcomeRetryKey(target.tenantId, target.row.webhookEventId), attempt: retryCount + 1 });
    if (outcome.kind !== 'accepted') throw new LinePushFailed(outcome);
  }

  /**
   * One lane of a tenant's drain: batches of whichever partition with pending events no other drain holds, going
   * round the partitions (a partition just served is tried last), until none is left to take. A partition left to
   * another drain is that drain's to finish: it looks again after each batch. A batch with failures is followed by
   * another of the same partition, so a failed event is retried (and parked after MAX_ATTEMPTS) now rather than
   * waiting, pending, for the next webhook. Transient database errors are retried after a short pause; if they
   * persist, the drain fails and the queue retries the job.
   * The first full batch of a lane queues another wake-up of the tenant (at most one waits per tenant), so a free drain
   * slot of this or another worker process joins in on the backlog. Queued after the batch's commit, in a transaction of
   * its own: a wake-up written in the batch would hold the tenant's one queued wake-up (a unique key) until the batch
   * commits, and every webhook of the tenant would wait for it.
   */
  async function drainLane(tenantId: TenantId): Promise<number> {
    let total = 0;
    let transientRounds = 0;
    let from = Math.floor(Math.random() * DRAIN_PARTITIONS);
    let fannedOut = false;
    /** Member numbers this lane reserved and has not used yet (see processBatch). */
    const numbers: number[] = [];
    /**
     * While a backlog lasts (the last batch was full) the next batch is taken to need as many numbers as the last:
     * they are reserved before it rather than after it found them missing (which ends it unwritten and claims again).
     * What the last batch of a backlog leaves unused is the numbering's gap after a burst.
     */
    let ahead = 0;
    for (;;) {
      const { partition, claimed, failed, transient, newcomers } = await processBatch(tenantId, from, numbers, ahead);
      if (partition === undefined) return total;
      total += claimed;
      ahead = claimed === BATCH ? Math.max(0, newcomers - numbers.length) : 0;
      if (claimed === BATCH && !fannedOut) {
        fannedOut = true;
        await deps.queue().enqueueNow(DRAIN_INBOX_JOB, { tenantId }, { singletonKey: tenantId });
      }
      if (transient > 0) {
        transientRounds += 1;
        if (transientRounds >= TRANSIENT_ROUNDS) throw new Error(`LINE inbox of ${tenantId}: transient database errors in ${transientRounds} batches in a row`);
        await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** transientRounds));
        from = partition;
        continue;
      }
      transientRounds = 0;
      from = failed > 0 ? partition : (partition + 1) % DRAIN_PARTITIONS;
    }
  }

  /** Lanes of each tenant this process is draining, and whether another wake-up came for them meanwhile. */
  const draining = new Map<TenantId, { lanes: number; again: boolean }>();

  /**
   * Drains the tenant's pending events (the job handler). Returns how many were claimed. Every stored webhook brings a
   * wake-up, and a drain that meets a backlog queues one more (drainLane). A wake-up starts another lane
   * in this process while it runs fewer than DRAIN_LANES for the tenant; otherwise it is left to a running lane, which
   * goes round once more (its last look may have come before the rows that woke us were committed). Lanes of this and
   * other processes share the tenant's partitions through their locks.
   */
  async function drain(tenantId: TenantId): Promise<number> {
    let state = draining.get(tenantId);
    if (!state) draining.set(tenantId, (state = { lanes: 0, again: false }));
    if (state.lanes >= DRAIN_LANES) {
      state.again = true;
      return 0;
    }
    state.lanes += 1;
    try {
      let total = 0;
      do {
        state.again = false;
        total += await drainLane(tenantId);
      } while (state.again);
      return total;
    } finally {
      state.lanes -= 1;
      if (state.lanes === 0) draining.delete(tenantId);
    }
  }

  return { drain, processBatch, fetchProfile, sendWelcome };
}

export type EventProcessor = ReturnType<typeof createEventProcessor>;

/** The same key for every attempt at one event's welcome push, and a different one for every event. */
export function welcomeRetryKey(tenantId: string, webhookEventId: string): string {
  return uuidv5(`welcome:${tenantId}:${webhookEventId}`, WELCOME_RETRY_KEYS);
}

/** What a batch did: its partition (undefined: none was free with pending events), events, failures, new guests. */
type Batched = { partition: number | undefined; claimed: number; failed: number; transient: number; newcomers: number };

/** Thrown inside a batch's transaction to end it unwritten: the batch needs `count` more member numbers. */
class NumbersShort extends Error {
  readonly count: number;
  constructor(count: number) {
    super(`${count} more member numbers needed`);
    this.count = count;
  }
}

/** An event that makes a member record for a guest who has none (handle: follow, block, or a first message or tap). */
function createsMember(row: InboxRow): boolean {
  return (row.payload as EventPayload).mode !== 'standby' && ['follow', 'unfollow', 'postback', 'message'].includes(row.eventType);
}

/** A postback's data and who tapped it: what a resolver's answer depends on. */
function tapKey(row: InboxRow, friend: MemberRow): string {
  return JSON.stringify([postbackData(row), friend.id, row.lineUserId]);
}

/** A postback event's data ('' when LINE sent none). */
function postbackData(row: InboxRow): string {
  return (row.payload as EventPayload).postback?.data ?? '';
}

/** Tags a button gave: from its campaign (campaign and button), or from LINE (rich menus, hand-written tag= data). */
function provenanceOf(row: InboxRow, action: PostbackAction | undefined): Provenance {
  if (action?.provenance) return action.provenance;
  const data = postbackData(row);
  return {
    source: action?.campaignId ? 'campaign' : 'line',
    sourceRef: action?.campaignId ? `${action.campaignId}:${action.actionId ?? ''}` : `postback:${data.slice(0, 100)}`,
    // A campaign's button: the campaign's name, and the button apart (活動「平日商務優惠」的「我有興趣」按鈕), not the
    // button alone as if it were the campaign. A hand-written button: its label, or its data.
    ...(action?.source && action.label ? { sourceLabel: action.source, sourceDetail: action.label } : { sourceLabel: action?.label ?? data.slice(0, 100) }),
  };
}

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
