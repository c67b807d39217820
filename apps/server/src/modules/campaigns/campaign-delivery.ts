import type { SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import { systemContext, type TenantContext } from '../../core/context.ts';
import type { Database } from '../../core/db/database.ts';
import { AppError } from '../../core/errors.ts';
import { asTenantId, type TenantId } from '../../core/ids.ts';
import type { JobDefinition, JobQueue, JobRef } from '../../core/jobs/queue.ts';
import type { ChannelsService, LineSender, SendingChannel } from '../line/index.ts';
import { MULTICAST_MAX_RECIPIENTS } from '../line/index.ts';
import type { SegmentsService } from '../segments/index.ts';
import { getCurrentTenant, perTenantCron } from '../tenants/index.ts';
import { segmentsAudienceOf } from './campaign-audience.ts';
import { BATCH_RETRIES, createBatchSending, type CampaignBatchJob } from './campaign-batch-sending.ts';
import { lockWeeklyCapForCampaign } from './campaign-sending.repository.ts';
import * as delivery from './campaign-delivery.repository.ts';
import { messagesArePersonalised } from './campaign-messages.ts';
import type { createCampaignSettings } from './campaign-settings.service.ts';
import * as repo from './campaigns.repository.ts';
import type { CampaignRow } from './campaigns.repository.ts';
import type { ImageUrls } from './line-messages.ts';
import { instantToLocal } from './local-time.ts';
import { secondsLeftAt, sendRate } from './send-rate.ts';

const ZBatch = z.strictObject({ tenantId: z.uuid(), campaignId: z.uuid(), batchNo: z.number().int().min(1) });
export type { CampaignBatchJob };
export { aggregationUnitOf, BATCH_GIVE_UP_AFTER_MS, BatchNotSettled } from './campaign-batch-sending.ts';
export const SEND_BATCH_JOB: JobRef<CampaignBatchJob> = { name: 'campaigns.send-batch', schema: ZBatch };
/** Writes the rest of a started campaign's audience, chunk by chunk (writeAudience). */
export const WRITE_AUDIENCE_JOB: JobRef<{ tenantId: string; campaignId: string }> = { name: 'campaigns.write-audience', schema: z.strictObject({ tenantId: z.uuid(), campaignId: z.uuid() }) };

/**
 * The queue's backoff between runs of a batch doubles from 1 s, capped here (seconds): uncapped, its last retries
 * came hours apart, long after the give-up bound above. 20 runs then span about an hour.
 */
const BATCH_RETRY_DELAY_MAX_S = 300;
/** A running batch job that takes longer than this (seconds) is taken for dead and retried by the queue. */
const BATCH_EXPIRE_S = 120;
/**
 * A running batch job's worker tells the queue it is alive this often (pg-boss heartbeats, seconds): a killed worker's
 * batch is taken up again once its heartbeat is this late (and the queue's supervisor looked), not after the expiry.
 */
const BATCH_HEARTBEAT_S = 10;
/**
 * A queued batch of a sending campaign with no sign of life for this long (its job queued, or a run of it noted) is
 * checked by the sweep: longer than the capped backoff plus a run that expires, so a batch whose job is merely
 * waiting its turn is not touched (and the sweep asks the queue besides).
 */
export const LOST_BATCH_AFTER_MS = 10 * 60_000;
/**
 * Fetches of batch jobs one worker process runs at once, and batch jobs a fetch takes (run together: read in one
 * transaction, sent at once, settled together). LINE takes 195 multicasts/s from the pacer (LINE_PACE_PERCENT’s default); a batch is in flight for
 * its round trip (80 ms, 250 ms on a bad day) plus its reads and writes, so one worker needs some 50 to 100 at once
 * to keep the pace, and several fetches under way so that one waiting on its slowest batch holds up no other
 * (bench/push). One job a fetch, 64 fetches, cost some 16 round trips to the database a batch.
 */
const BATCH_FETCHES = 8;
const BATCH_JOBS_PER_FETCH = 25;
/**
 * Audience rows a chunk reads: the first, written with the claim, is small so that its batches go out within moments
 * of "send"; each chunk after is four times the last, up to `most` (a chunk holds the campaign row, so a cancel waits
 * for at most one). A million guests: 2,500, 10,000, 40,000, then 50,000s (bench/push).
 * Tests make them small to send a campaign in several chunks.
 */
export const AUDIENCE_CHUNKS = { first: 2_500, most: 50_000 };
/**
 * The holdout_key of a campaign whose holdout was drawn and holds nobody out. Below every guest's key (md5 hex, compared
 * in "C"), so it would hold nobody out even if compared; null stays "not drawn" (a campaign of the release before 0047).
 */
const NOBODY_HELD_OUT = '';
/** A batch whose job was lost this many times is failed with the reason instead of being queued once more. */
const MAX_REQUEUES = 3;
/** Batches the sweep looks at per tenant and run (the rest at the next run). */
const SWEEP_LIMIT = 2000;

/**
 * One tenant's run of the start job (perTenantCron's `<name>.tenant` queue, policy 'short'): the minute's cron queues
 * it, and so does an approval to send now, so the send starts at once instead of at the next minute.
 */
export const START_DUE_JOB: JobRef<{ tenantId: string }> = { name: 'campaigns.start-due.tenant', schema: z.strictObject({ tenantId: z.uuid() }) };

/** A batch's job key: the sweep asks the queue whether a job still holds it. */
const batchKey = (campaignId: string, batchNo: number) => `${campaignId}:${batchNo}`;

type Deps = {
  db: Database;
  clock: Clock;
  queue: () => JobQueue;
  publicUrl: string;
  segments: SegmentsService;
  settings: ReturnType<typeof createCampaignSettings>;
  channels: ChannelsService;
  sender: LineSender;
  /** Other senders' marketing pushes since an instant (one member_id row per push), counted toward the weekly cap. */
  otherPushes?: () => Array<(tenantId: TenantId, since: Date) => SQL>;
  /** The campaign's URL buttons as tracked links (campaign-clicks.ts). */
  trackedLinks: (ctx: TenantContext, campaign: { id: string; propertyId: string | null }) => Promise<(actionId: string) => string>;
};

/**
 * The delivery engine. A campaign due to go out is claimed (scheduled → sending), its audience written out as
 * recipients (who is skipped and why), cut into batches whose retry keys are stored at once, and one job per batch is
 * queued in the same transaction (an outbox). Each batch job sends through the LINE port with its stored key: any
 * retry (a timeout, a 5xx, a crashed worker, a second worker on the same batch) is the same send, and LINE accepts it
 * once. The last batch to settle marks the campaign sent.
 */
export function createCampaignDelivery(deps: Deps) {
  const sending = createBatchSending({ db: deps.db, clock: deps.clock, segments: deps.segments, sender: deps.sender, channelFor, imageUrlsOf, trackedLinks: deps.trackedLinks });
  const { sendBatch } = sending;
  /** Starts every due campaign of the tenant. Returns the campaigns started. */
  async function startDueCampaigns(ctx: TenantContext): Promise<string[]> {
    const now = deps.clock.now();
    const started: string[] = [];
    // In the hotel's quiet hours nothing starts: due campaigns wait (still scheduled) for the first minute after.
    const { quietHours } = await deps.settings.getSettings(ctx);
    if (quietHours && inQuietHours(instantToLocal(now, (await getCurrentTenant(ctx)).timezone).slice(11, 16), quietHours)) return started;
    for (const claimed of await delivery.claimDueCampaigns(ctx.db, ctx.tenantId, now)) {
      const audience = await audienceOf(ctx, claimed, now);
      // Its audience is gone (the saved segment deleted since it was approved): this campaign fails with the reason;
      // the tenant's other due campaigns still start (one bad campaign must not hold up every minute's run).
      if (!audience) continue;
      // The holdout is drawn once, over the whole audience as it stands now, and kept with the campaign: every chunk
      // (and a re-run of one after a crash) holds out the same guests, the estimate's count of them in all.
      const campaign = await withHoldoutDrawn(ctx, claimed, audience);
      // The first chunk is written with the claim, small, so its batches go out as soon as this commits; the rest of
      // the audience is written chunk by chunk by its own job while those batches are sent.
      const chunk = await writeAudienceChunk(ctx, campaign, audience, { after: null, lastBatchNo: 0 }, AUDIENCE_CHUNKS.first, now);
      await delivery.advanceAudience(ctx.db, ctx.tenantId, campaign.id, { cursor: chunk.upto, pending: !chunk.done });
      // Nobody to send to (all skipped): the campaign is done at once.
      if (chunk.done) await delivery.finishIfSettled(ctx.db, ctx.tenantId, campaign.id, now);
      else await enqueueAudienceWriting(ctx, campaign.id);
      started.push(campaign.id);
    }
    return started;
  }

  /**
   * One chunk of a campaign's audience, in the caller's transaction: the audience's members among the next `size`
   * member ids after the cursor, written as recipients, with their batches and stored retry keys, and the batches'
   * jobs (an outbox: they exist exactly when the chunk commits). `upto`: where the range ended (the next cursor);
   * `done` once the range ran to the last member.
   */
  async function writeAudienceChunk(ctx: TenantContext, campaign: CampaignRow, audience: SQL, cursor: { after: string | null; lastBatchNo: number }, size: number, now: Date) {
    const { weeklyCap } = await deps.settings.getSettings(ctx);
    // The cap is decided chunk by chunk: single sends (automation) wait until this chunk commits.
    if (weeklyCap !== null) await lockWeeklyCapForCampaign(ctx.db, ctx.tenantId);
    // A personalised message differs per guest: pushed one by one (a batch of one), each with its own key.
    const batchSize = messagesArePersonalised(campaign.messages) ? 1 : MULTICAST_MAX_RECIPIENTS;
    const upto = await delivery.findAudienceRangeEnd(ctx.db, ctx.tenantId, cursor.after, size);
    const chunk = await delivery.materialiseRecipients(ctx.db, ctx.tenantId, campaign.id, audience, {
      holdoutKey: campaign.holdoutKey === NOBODY_HELD_OUT ? null : campaign.holdoutKey,
      weeklyCap,
      now,
      otherPushes: otherPushesOf(ctx, now),
      batch: { size: batchSize, mode: batchSize === 1 ? 'push' : 'multicast' },
      chunk: { after: cursor.after, upto, firstBatchNo: cursor.lastBatchNo + 1 },
    });
    await enqueueBatches(ctx, campaign.id, chunk.batchNos);
    return { ...chunk, upto, done: upto === null };
  }

  async function enqueueAudienceWriting(ctx: TenantContext, campaignId: string): Promise<void> {
    await deps.queue().enqueue(ctx.db, WRITE_AUDIENCE_JOB, { tenantId: ctx.tenantId, campaignId }, { singletonKey: campaignId, heartbeatSeconds: BATCH_HEARTBEAT_S });
  }

  /**
   * The rest of a campaign's audience, one committed chunk at a time (a range of the tenant's members each), each with
   * its batches and their jobs, so the batches written so far are sent meanwhile. Each chunk locks the campaign row
   * and reads where the writing stands (audience_cursor, moved by the chunk's own commit), so a run after a crash, or
   * a second run of this job, goes on from the last commit and never writes a guest twice. A cancelled (or failed)
   * campaign gets no more of its audience; a paused one does (its batches wait for the resume, which queues them
   * again). A campaign whose audience is gone meanwhile (its segment deleted) sends what was written and says so.
   */
  async function writeAudience(job: { tenantId: string; campaignId: string }): Promise<void> {
    const tenantId = asTenantId(job.tenantId);
    for (let size = AUDIENCE_CHUNKS.first * 4; ; size = Math.min(AUDIENCE_CHUNKS.most, size * 4)) {
      const now = deps.clock.now();
      const state = await deps.db.withTenant(tenantId, async (tx) => {
        const ctx = systemContext(tx, tenantId, 'campaigns', { requestId: 'campaigns.write-audience' });
        const locked = await delivery.lockAudienceWriting(tx, tenantId, job.campaignId);
        if (!locked?.audiencePending) return 'over';
        const campaign = locked.status === 'sending' || locked.status === 'paused' ? await repo.findCampaign(tx, tenantId, job.campaignId, 'all') : undefined;
        if (!campaign) {
          // Cancelled or failed: no more of it is written.
          await delivery.setAudiencePending(tx, tenantId, job.campaignId, false);
          return 'written';
        }
        const audience = await audienceOf(ctx, campaign, now, { cutShort: true });
        if (!audience) return 'written';
        const chunk = await writeAudienceChunk(ctx, await withHoldoutDrawn(ctx, campaign, audience), audience, { after: locked.cursor, lastBatchNo: await delivery.findLastBatchNo(tx, tenantId, job.campaignId) }, size, now);
        await delivery.advanceAudience(tx, tenantId, job.campaignId, { cursor: chunk.upto, pending: !chunk.done });
        return chunk.done ? 'written' : 'more';
      });
      if (state === 'more') continue;
      // After the last chunk's commit: its batches (or all of them) may be settled already.
      if (state === 'written') await deps.db.withTenant(tenantId, (tx) => delivery.finishIfSettled(tx, tenantId, job.campaignId, deps.clock.now()));
      return;
    }
  }

  /**
   * The campaign with its holdout drawn (once, over its audience as it stands) and kept, if it has a holdout and no key
   * yet: when it starts, and when the rest of its audience is written for a campaign started by the release before
   * 0047, which held guests out chunk by chunk and kept no key (without one, the rest would be written with nobody
   * held out). A draw that holds nobody out (an audience too small for its share to be one guest) is kept too, as
   * NOBODY_HELD_OUT: a missing key would be drawn again at the next chunk, over an audience grown since, and hold out
   * guests the estimate and the start did not (and read the whole audience once more per chunk).
   */
  async function withHoldoutDrawn(ctx: TenantContext, campaign: CampaignRow, audience: SQL): Promise<CampaignRow> {
    if (campaign.holdoutPercent <= 0 || campaign.holdoutKey !== null) return campaign;
    const holdoutKey = (await delivery.drawHoldout(ctx.db, campaign.id, audience, campaign.holdoutPercent)) ?? NOBODY_HELD_OUT;
    await delivery.setHoldoutKey(ctx.db, ctx.tenantId, campaign.id, holdoutKey);
    return { ...campaign, holdoutKey };
  }

  /**
   * A campaign approved to go out now starts without waiting for the next minute's cron: the tenant's start job is
   * queued in the approval's transaction (an outbox: it exists exactly when the approval committed, so it can never
   * run before the campaign reads 'scheduled'). It runs startDueCampaigns, whose claim is the compare-and-set
   * UPDATE scheduled → sending: whether this job or the cron's claims the campaign, exactly one starts it. The per-tenant
   * queue keeps one waiting run (policy 'short'): if one already waits, it is that run that starts the campaign.
   */
  async function startSoon(ctx: TenantContext): Promise<void> {
    await deps.queue().enqueue(ctx.db, START_DUE_JOB, { tenantId: ctx.tenantId }, { singletonKey: ctx.tenantId });
  }

  /** Other senders' marketing pushes of the seven days before `now`, counted toward the weekly cap with campaigns'. */
  function otherPushesOf(ctx: TenantContext, now: Date): SQL[] {
    const weekAgo = new Date(now.getTime() - 7 * 24 * 3600_000);
    return (deps.otherPushes?.() ?? []).map((pushesSince) => pushesSince(ctx.tenantId, weekAgo));
  }

  /**
   * Of an audience's reachable guests, how many the weekly cap would skip if it went out now (the estimate says so);
   * 0 without a cap. The same count as a send makes, before the holdout is drawn.
   */
  async function countCapped(ctx: TenantContext, audience: Parameters<SegmentsService['deliveryAudience']>[1], scope: Parameters<SegmentsService['deliveryAudience']>[2]): Promise<number> {
    const { weeklyCap } = await deps.settings.getSettings(ctx);
    if (weeklyCap === null) return 0;
    const now = deps.clock.now();
    return delivery.countCapped(ctx.db, ctx.tenantId, await deps.segments.deliveryAudience(ctx, audience, scope), weeklyCap, now, otherPushesOf(ctx, now));
  }

  /**
   * The campaign's audience as SQL, or undefined once it cannot be built. When the campaign starts, it fails with the
   * reason. Gone while its later chunks were being written (`cutShort`): no more of it is written, what was written is
   * sent, and the campaign keeps the reason (audience_unavailable with the code) through to its end, so the hotel sees
   * why fewer guests got it than the estimate said.
   */
  async function audienceOf(ctx: TenantContext, campaign: CampaignRow, now: Date, options: { cutShort: boolean } = { cutShort: false }) {
    try {
      return await deps.segments.deliveryAudience(ctx, segmentsAudienceOf(campaign.audience), campaign.propertyId === null ? 'all' : [campaign.propertyId]);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (options.cutShort) {
        await delivery.cutAudienceShort(ctx.db, ctx.tenantId, campaign.id, error.code);
        return undefined;
      }
      await repo.transition(ctx.db, ctx.tenantId, campaign.id, { from: ['sending'], to: 'failed', set: { statusReason: 'audience_unavailable', statusParams: { code: error.code } } }, now);
      return undefined;
    }
  }

  async function enqueueBatches(ctx: TenantContext, campaignId: string, batchNos: readonly number[]): Promise<void> {
    await delivery.touchBatches(ctx.db, ctx.tenantId, campaignId, batchNos, deps.clock.now());
    await deps.queue().enqueueMany(
      ctx.db,
      SEND_BATCH_JOB,
      batchNos.map((batchNo) => ({ data: { tenantId: ctx.tenantId, campaignId, batchNo }, singletonKey: batchKey(campaignId, batchNo), retryDelayMax: BATCH_RETRY_DELAY_MAX_S, heartbeatSeconds: BATCH_HEARTBEAT_S })),
    );
  }

  /**
   * A campaign never hangs on a lost job: a queued batch of a sending campaign that showed no life for
   * LOST_BATCH_AFTER_MS and has no job left in the queue (it expired on its last run, its handler kept failing, the
   * queue's rows were lost) is queued again. Its retry key is the stored one, so if LINE already accepted the batch
   * the new run meets 409 and records it sent: nobody gets it twice. A batch lost MAX_REQUEUES times is failed with
   * the reason; a sending campaign left with nothing queued is finished. Returns what it did.
   */
  async function sweepLostBatches(ctx: TenantContext): Promise<{ requeued: number; failed: number; finished: number }> {
    const now = deps.clock.now();
    const before = new Date(now.getTime() - LOST_BATCH_AFTER_MS);
    const quiet = await delivery.findQuietBatches(ctx.db, ctx.tenantId, before, SWEEP_LIMIT);
    const live = await deps.queue().liveKeys(ctx.db, SEND_BATCH_JOB, quiet.map((b) => batchKey(b.campaignId, b.batchNo)));
    const requeue = new Map<string, number[]>();
    let failed = 0;
    for (const batch of quiet.filter((b) => !live.has(batchKey(b.campaignId, b.batchNo)))) {
      if (batch.requeues >= MAX_REQUEUES) {
        // Innkeeper's own failure, not LINE's words: the recipients' cause says it (job_lost), the batch keeps the detail.
        const message = `its job was lost ${batch.requeues + 1} times; whether LINE accepted it is unknown`;
        if (await delivery.settleBatch(ctx.db, ctx.tenantId, batch.campaignId, batch.batchNo, 'failed', { message, lineRequestId: null, cause: 'job_lost' }, now)) failed += 1;
        await delivery.finishIfSettled(ctx.db, ctx.tenantId, batch.campaignId, now);
        continue;
      }
      if (!(await delivery.claimLostBatch(ctx.db, ctx.tenantId, batch.campaignId, batch.batchNo, before, now))) continue;
      requeue.set(batch.campaignId, [...(requeue.get(batch.campaignId) ?? []), batch.batchNo]);
    }
    for (const [campaignId, batchNos] of requeue) await enqueueBatches(ctx, campaignId, batchNos);
    // A campaign whose audience is still being written but whose writing job is gone (its retries used up) is taken
    // up again: the job goes on from what was committed.
    const writing = await delivery.findCampaignsWritingAudience(ctx.db, ctx.tenantId);
    const writers = await deps.queue().liveKeys(ctx.db, WRITE_AUDIENCE_JOB, writing);
    for (const campaignId of writing.filter((id) => !writers.has(id))) await enqueueAudienceWriting(ctx, campaignId);
    let finished = 0;
    for (const campaignId of await delivery.findSendingWithNothingQueued(ctx.db, ctx.tenantId, before)) {
      if (await delivery.finishIfSettled(ctx.db, ctx.tenantId, campaignId, now)) finished += 1;
    }
    return { requeued: [...requeue.values()].reduce((n, b) => n + b.length, 0), failed, finished };
  }

  /** A resumed campaign's unsent batches are queued again (their stored keys unchanged). */
  async function requeueBatches(ctx: TenantContext, campaignId: string): Promise<number> {
    const batchNos = (await delivery.findQueuedBatchNos(ctx.db, ctx.tenantId, campaignId)).map((b) => b.batchNo);
    await enqueueBatches(ctx, campaignId, batchNos);
    // A campaign paused after its last batch was settled has nothing left: it is done.
    if (batchNos.length === 0) await delivery.finishIfSettled(ctx.db, ctx.tenantId, campaignId, deps.clock.now());
    return batchNos.length;
  }

  /** A cancelled campaign sends nothing more: its unsent batches and recipients are recorded as cancelled. */
  async function cancelUnsent(ctx: TenantContext, campaignId: string): Promise<void> {
    await delivery.cancelQueued(ctx.db, ctx.tenantId, campaignId, deps.clock.now());
  }

  /**
   * The list's outcome per campaign: accepted, failed and the success rate over the recipients attempted (the same
   * rule as the progress card: skipped and cancelled ones are not attempts). Null for campaigns that sent nothing.
   */
  async function outcomes(ctx: TenantContext, campaignIds: readonly string[]): Promise<Map<string, { accepted: number; failed: number; cancelled: number; successRate: number | null }>> {
    const counts = await delivery.countAttempted(ctx.db, ctx.tenantId, campaignIds);
    return new Map([...counts].map(([id, c]) => [id, { ...c, successRate: successRateOf(c.accepted, c.failed) }]));
  }

  async function progress(ctx: TenantContext, campaign: Pick<CampaignRow, 'id' | 'status' | 'statusReason' | 'updatedAt' | 'pausedSpans'>) {
    // A sending campaign's row was last written when it started or was resumed (as the batch sender reads it too):
    // the rate and the time left are measured from then, not over the paused time before it.
    const sendingSince = campaign.status === 'sending' ? campaign.updatedAt : null;
    const rows = await delivery.countProgress(ctx.db, ctx.tenantId, campaign.id, sendingSince);
    const sum = (status: string) => rows.filter((r) => r.status === status).reduce((n, r) => n + r.n, 0);
    const accepted = sum('accepted');
    const queued = sum('queued');
    const times = rows.filter((r) => r.status === 'accepted' && r.first_accepted && r.last_accepted);
    const rate = sendRate({
      now: deps.clock.now().getTime(),
      sendingSince: sendingSince?.getTime() ?? null,
      acceptedSince: rows.filter((r) => r.status === 'accepted').reduce((n, r) => n + r.n_since, 0),
      accepted,
      firstAcceptedAt: times.length > 0 ? Math.min(...times.map((r) => new Date(r.first_accepted!).getTime())) : null,
      lastAcceptedAt: times.length > 0 ? Math.max(...times.map((r) => new Date(r.last_accepted!).getTime())) : null,
      pausedSpans: campaign.pausedSpans.map((span) => ({ from: Date.parse(span.from), to: span.to === null ? null : Date.parse(span.to) })),
    });
    const failed = sum('failed');
    // Not sent because the campaign was cancelled first: skipped (never attempted), shown apart from the other skips.
    const cancelled = rows.filter((r) => r.status === 'skipped' && r.reason === 'cancelled').reduce((n, r) => n + r.n, 0);
    return {
      status: campaign.status,
      statusReason: campaign.statusReason,
      total: rows.reduce((n, r) => n + r.n, 0),
      queued,
      accepted,
      failed,
      skipped: sum('skipped') - cancelled,
      cancelled,
      byReason: rows.map((r) => ({ status: r.status as 'queued' | 'accepted' | 'failed' | 'skipped', reason: r.reason, count: r.n })),
      recipientsPerSecond: rate === null ? null : Math.round(rate * 10) / 10,
      // Only while it sends: a finished, paused or cancelled campaign has no time left to estimate (not "0 s").
      secondsLeft: campaign.status !== 'sending' ? null : secondsLeftAt(queued, rate),
      // The share of the recipients LINE was asked to take that it accepted (the goal is ≥ 99%): failures are never
      // hidden in the total, and recipients never attempted (skipped, the campaign cancelled first) are not failures.
      successRate: successRateOf(accepted, failed),
    };
  }

  async function channelFor(ctx: TenantContext, campaign: Pick<CampaignRow, 'propertyId'>): Promise<SendingChannel | undefined> {
    const all = await deps.channels.listChannels(ctx);
    const chosen = all.find((c) => c.propertyId === campaign.propertyId) ?? (all.length === 1 ? all[0] : undefined);
    if (!chosen) return undefined;
    const credentials = await deps.channels.credentials(ctx, chosen.id);
    return credentials?.accessToken ? { tenantId: ctx.tenantId, id: credentials.id, accessToken: credentials.accessToken } : undefined;
  }

  function imageUrlsOf(tenantId: TenantId, images: ReadonlyArray<{ id: string; token: string }>): ImageUrls {
    const byId = new Map(images.map((image) => [image.id, image]));
    return (imageId) => {
      const base = `${deps.publicUrl}/media/campaign-images/${tenantId}/${byId.get(imageId)?.token ?? 'missing'}`;
      return { original: `${base}/original`, preview: `${base}/preview` };
    };
  }

  function jobs(): Array<JobDefinition<object>> {
    const batchJob: JobDefinition<CampaignBatchJob> = {
      ...SEND_BATCH_JOB,
      retryLimit: BATCH_RETRIES,
      expireInSeconds: BATCH_EXPIRE_S,
      pollSeconds: 2,
      // Batches in flight per worker process: one at a time waited out LINE's round trip for each (a personalised
      // campaign went out at 8 guests/s per worker at 80 ms). LINE's rate limits are kept by the shared pacer.
      localConcurrency: BATCH_FETCHES,
      // A fetch's batches run together (their requests go out at once): they no longer wait for each other's round
      // trips as they did run one after the other.
      batchSize: BATCH_JOBS_PER_FETCH,
      handler: (data, job) => sendBatch(data, job.retryCount + 1),
      handleMany: (jobs) => sending.sendBatches(jobs),
    };
    const audienceJob: JobDefinition<{ tenantId: string; campaignId: string }> = {
      ...WRITE_AUDIENCE_JOB,
      retryLimit: BATCH_RETRIES,
      expireInSeconds: BATCH_EXPIRE_S,
      pollSeconds: 2,
      localConcurrency: 2,
      batchSize: 1,
      handler: (data) => writeAudience(data),
    };
    const due = perTenantCron(
      { db: deps.db, queue: deps.queue },
      { name: 'campaigns.start-due', cron: '* * * * *', run: (tx, tenantId) => startDueCampaigns(systemContext(tx, tenantId, 'campaigns', { requestId: 'campaigns.start-due' })) },
    );
    const sweep = perTenantCron(
      { db: deps.db, queue: deps.queue },
      { name: 'campaigns.sweep-lost-batches', cron: '*/5 * * * *', run: (tx, tenantId) => sweepLostBatches(systemContext(tx, tenantId, 'campaigns', { requestId: 'campaigns.sweep-lost-batches' })) },
    );
    return [...due, ...sweep, batchJob as JobDefinition<object>, audienceJob as JobDefinition<object>];
  }

  return { startDueCampaigns, startSoon, writeAudience, countCapped, outcomes, sweepLostBatches, enqueueBatches, requeueBatches, cancelUnsent, progress, sendBatch, jobs, channelFor, imageUrlsOf };
}

export type CampaignDelivery = ReturnType<typeof createCampaignDelivery>;

/** Accepted ÷ attempted (accepted + failed) in percent, rounded down to one decimal; null before anyone was attempted. */
function successRateOf(accepted: number, failed: number): number | null {
  return accepted + failed === 0 ? null : Math.floor((accepted * 1000) / (accepted + failed)) / 10;
}

/** Whether a local HH:mm falls in [start, end), a window that may wrap past midnight (22:00–08:00). */
export function inQuietHours(hhmm: string, window: { start: string; end: string }): boolean {
  return window.start < window.end ? hhmm >= window.start && hhmm < window.end : hhmm >= window.start || hhmm < window.end;
}
