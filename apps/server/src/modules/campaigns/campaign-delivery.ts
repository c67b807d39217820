import { personalise } from '@innkeeper/contracts';
import type { CampaignFailureCause } from '@innkeeper/contracts/api';
import type { SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import { systemContext, type TenantContext } from '../../core/context.ts';
import type { Database } from '../../core/db/database.ts';
import { AppError } from '../../core/errors.ts';
import { asTenantId, type TenantId } from '../../core/ids.ts';
import type { JobDefinition, JobQueue, JobRef } from '../../core/jobs/queue.ts';
import type { ChannelsService, LineSender, SendingChannel, SendOutcome } from '../line/index.ts';
import { MULTICAST_MAX_RECIPIENTS, sendUntilSettled } from '../line/index.ts';
import type { SegmentsService } from '../segments/index.ts';
import { getCurrentTenant, perTenantCron } from '../tenants/index.ts';
import { segmentsAudienceOf } from './campaign-audience.ts';
import { lockWeeklyCapForCampaign } from './campaign-sending.repository.ts';
import * as delivery from './campaign-delivery.repository.ts';
import { imagesOf, messagesArePersonalised } from './campaign-messages.ts';
import type { createCampaignSettings } from './campaign-settings.service.ts';
import * as repo from './campaigns.repository.ts';
import type { CampaignRow } from './campaigns.repository.ts';
import { toLineMessages, type ImageUrls } from './line-messages.ts';
import { instantToLocal } from './local-time.ts';

const ZBatch = z.strictObject({ tenantId: z.uuid(), campaignId: z.uuid(), batchNo: z.number().int().min(1) });
export type CampaignBatchJob = z.infer<typeof ZBatch>;
export const SEND_BATCH_JOB: JobRef<CampaignBatchJob> = { name: 'campaigns.send-batch', schema: ZBatch };

/** Attempts of one batch within one job run (sleeping LINE's hint in between) before the queue retries the job. */
const ATTEMPTS_PER_RUN = 3;
/** Runs of a batch job after its first (the queue's retryLimit): the last one that is still not settled gives up. */
const BATCH_RETRIES = 20;
/**
 * How long a batch may keep retrying once its campaign is sending (since it started or was resumed): a run after this
 * that is still refused fails the batch, so a fault that never clears cannot keep a campaign 'sending' for days (the
 * queue's backoff doubles up to hours between the last retries).
 */
export const BATCH_GIVE_UP_AFTER_MS = 2 * 3600_000;
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
 * Batch jobs one worker process runs at once (each holds a database connection only between its LINE requests). LINE
 * takes 190 multicasts/s from the pacer; a batch is in flight for its round trip (80 ms, 250 ms on a bad day) plus its
 * reads and writes, so one worker needs some 20 to 60 at once to keep the pace (bench/push).
 */
const BATCH_CONCURRENCY = 64;
/** A batch whose job was lost this many times is failed with the reason instead of being queued once more. */
const MAX_REQUEUES = 3;
/** Batches the sweep looks at per tenant and run (the rest at the next run). */
const SWEEP_LIMIT = 2000;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One tenant's run of the start job (perTenantCron's `<name>.tenant` queue, policy 'short'): the minute's cron queues
 * it, and so does an approval to send now, so the send starts at once instead of at the next minute.
 */
export const START_DUE_JOB: JobRef<{ tenantId: string }> = { name: 'campaigns.start-due.tenant', schema: z.strictObject({ tenantId: z.uuid() }) };

/** A batch's job key: the sweep asks the queue whether a job still holds it. */
const batchKey = (campaignId: string, batchNo: number) => `${campaignId}:${batchNo}`;

/** The campaign's name for LINE's per-unit statistics (`^[a-zA-Z0-9_]{1,30}$`): its id without dashes, shortened. */
export function aggregationUnitOf(campaignId: string): string {
  return `c${campaignId.replaceAll('-', '')}`.slice(0, 30);
}

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
  /** Starts every due campaign of the tenant. Returns the campaigns started. */
  async function startDueCampaigns(ctx: TenantContext): Promise<string[]> {
    const now = deps.clock.now();
    const started: string[] = [];
    // In the hotel's quiet hours nothing starts: due campaigns wait (still scheduled) for the first minute after.
    const { quietHours } = await deps.settings.getSettings(ctx);
    if (quietHours && inQuietHours(instantToLocal(now, (await getCurrentTenant(ctx)).timezone).slice(11, 16), quietHours)) return started;
    for (const campaign of await delivery.claimDueCampaigns(ctx.db, ctx.tenantId, now)) {
      const audience = await audienceOf(ctx, campaign, now);
      // Its audience is gone (the saved segment deleted since it was approved): this campaign fails with the reason;
      // the tenant's other due campaigns still start (one bad campaign must not hold up every minute's run).
      if (!audience) continue;
      const { weeklyCap } = await deps.settings.getSettings(ctx);
      // The cap is decided for the whole audience at once: single sends (automation) wait until this commits.
      if (weeklyCap !== null) await lockWeeklyCapForCampaign(ctx.db, ctx.tenantId);
      // A personalised message differs per guest: pushed one by one (a batch of one), each with its own key.
      const size = messagesArePersonalised(campaign.messages) ? 1 : MULTICAST_MAX_RECIPIENTS;
      const batches = await delivery.materialiseRecipients(ctx.db, ctx.tenantId, campaign.id, audience, {
        holdoutPercent: campaign.holdoutPercent,
        weeklyCap,
        now,
        otherPushes: otherPushesOf(ctx, now),
        batch: { size, mode: size === 1 ? 'push' : 'multicast' },
      });
      await enqueueBatches(ctx, campaign.id, batches);
      // Nobody to send to (all skipped): the campaign is done at once.
      await delivery.finishIfSettled(ctx.db, ctx.tenantId, campaign.id, now);
      started.push(campaign.id);
    }
    return started;
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

  /** The campaign's audience as SQL, or undefined once it cannot be built (the campaign is failed with the reason). */
  async function audienceOf(ctx: TenantContext, campaign: CampaignRow, now: Date) {
    try {
      return await deps.segments.deliveryAudience(ctx, segmentsAudienceOf(campaign.audience), campaign.propertyId === null ? 'all' : [campaign.propertyId]);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
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
  async function outcomes(ctx: TenantContext, campaignIds: readonly string[]): Promise<Map<string, { accepted: number; failed: number; successRate: number | null }>> {
    const counts = await delivery.countAttempted(ctx.db, ctx.tenantId, campaignIds);
    return new Map([...counts].map(([id, c]) => [id, { ...c, successRate: successRateOf(c.accepted, c.failed) }]));
  }

  async function progress(ctx: TenantContext, campaign: Pick<CampaignRow, 'id' | 'status' | 'statusReason'>) {
    const rows = await delivery.countProgress(ctx.db, ctx.tenantId, campaign.id);
    const sum = (status: string) => rows.filter((r) => r.status === status).reduce((n, r) => n + r.n, 0);
    const accepted = sum('accepted');
    const queued = sum('queued');
    const times = rows.filter((r) => r.status === 'accepted' && r.first_accepted && r.last_accepted);
    const first = Math.min(...times.map((r) => new Date(r.first_accepted!).getTime()));
    const last = Math.max(...times.map((r) => new Date(r.last_accepted!).getTime()));
    const seconds = times.length > 0 ? (last - first) / 1000 : 0;
    const rate = seconds > 0 ? accepted / seconds : null;
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
      secondsLeft: campaign.status !== 'sending' ? null : queued === 0 ? 0 : rate === null ? null : Math.ceil(queued / rate),
      // The share of the recipients LINE was asked to take that it accepted (the goal is ≥ 99%): failures are never
      // hidden in the total, and recipients never attempted (skipped, the campaign cancelled first) are not failures.
      successRate: successRateOf(accepted, failed),
    };
  }

  /**
   * What every batch of a sending campaign needs besides its recipients (the channel and its token, the image URLs, the
   * tracked links): read by the first batch this process sends of the campaign as it was last started or resumed
   * (`updatedAt`), then kept, so each of a thousand batches does not read and decrypt them again. A campaign paused
   * because LINE refused the token is read afresh when resumed.
   */
  const sharedByCampaign = new Map<string, Awaited<ReturnType<typeof readShared>>>();
  async function readShared(ctx: TenantContext, campaign: CampaignRow) {
    const channel = await channelFor(ctx, campaign);
    const images = await repo.findImages(ctx.db, ctx.tenantId, [...new Set(imagesOf(campaign.messages).map((r) => r.imageId))]);
    return { channel, imageUrls: imageUrlsOf(ctx.tenantId, images), trackUri: await deps.trackedLinks(ctx, campaign) };
  }
  async function sharedBy(ctx: TenantContext, campaign: CampaignRow) {
    const key = `${ctx.tenantId}/${campaign.id}/${campaign.updatedAt.getTime()}`;
    const known = sharedByCampaign.get(key);
    if (known) return known;
    const shared = await readShared(ctx, campaign);
    // No channel yet: asked again by the next batch. A handful of campaigns send at once: the oldest entries go first.
    if (!shared.channel) return shared;
    if (sharedByCampaign.size >= 32) sharedByCampaign.delete(sharedByCampaign.keys().next().value!);
    sharedByCampaign.set(key, shared);
    return shared;
  }

  /** What one batch job does; `attempt` counts the job's runs (a dead worker's job comes back with a higher one). */
  async function sendBatch(job: CampaignBatchJob, attempt: number): Promise<void> {
    const tenantId = asTenantId(job.tenantId);
    const ctxOf = (tx: Parameters<Parameters<Database['withTenant']>[1]>[0]) => systemContext(tx, tenantId, 'campaigns', { requestId: SEND_BATCH_JOB.name });
    const prepared = await deps.db.withTenant(tenantId, async (tx) => {
      const ctx = ctxOf(tx);
      const batch = await delivery.findBatch(tx, tenantId, job.campaignId, job.batchNo);
      const campaign = await repo.findCampaign(tx, tenantId, job.campaignId, 'all');
      // Settled already (by another worker, or before a crash), or the campaign is paused or cancelled: nothing to do.
      if (!batch || batch.status !== 'queued' || campaign?.status !== 'sending') return undefined;
      const recipients = await delivery.findBatchRecipients(tx, tenantId, job.campaignId, job.batchNo);
      // A push's text is the guest's own: their values are read now (a guest erased since is not written to).
      const values = batch.mode === 'push' && recipients[0] ? await delivery.findPlaceholders(tx, await deps.segments.deliveryAudience(ctx, { memberIds: [recipients[0].memberId] }, 'all')) : undefined;
      return { batch, campaign, recipients, values, ...(await sharedBy(ctx, campaign)) };
    });
    if (!prepared) return;
    // Attempts exhausted: the queue's last run, or retrying for longer than the bound since the campaign went out.
    const lastRun = attempt > BATCH_RETRIES || deps.clock.now().getTime() - prepared.campaign.updatedAt.getTime() >= BATCH_GIVE_UP_AFTER_MS;
    const { batch, campaign, recipients, channel, values } = prepared;
    if (batch.mode === 'push' && recipients.length > 0 && !values) return settle(tenantId, job, { kind: 'rejected', status: 0, message: 'the guest is no longer a member', details: [], requestId: null }, false, 'member_gone');
    if (!channel) return settle(tenantId, job, { kind: 'rejected', status: 0, message: 'no LINE channel is connected for this campaign', details: [], requestId: null }, false, 'no_channel');
    if (recipients.length === 0) return settle(tenantId, job, { kind: 'accepted', requestId: null, alreadyAccepted: false, acceptedRequestId: null, sentMessages: null });
    const units = [aggregationUnitOf(campaign.id)];
    const to = channel;
    const { imageUrls, trackUri } = prepared;
    let last: SendOutcome | undefined;
    // A pacer's or LINE's rate limit is kept in real time, so it is waited out in real time; LINE's other backoffs on
    // the engine's clock (which a test moves on at once).
    const sleep = (ms: number) => (last?.kind === 'retryable' && (last.reason === 'paced' || last.reason === 'rate_limited') ? realSleep(ms) : (deps.clock.sleep?.(ms) ?? realSleep(ms)));
    const outcome = await sendUntilSettled(async (n) => (last = await sendOnce(n)), ATTEMPTS_PER_RUN, sleep);
    await settle(tenantId, job, outcome, lastRun);

    function sendOnce(n: number): Promise<SendOutcome> {
      const channel = to;
      const attemptNo = (attempt - 1) * ATTEMPTS_PER_RUN + n;
      if (batch.mode === 'push') {
        const [one] = recipients;
        const messages = toLineMessages(campaign.messages, { campaignId: campaign.id, imageUrls, trackUri, personalise: (text) => personalise(text, values ?? {}) });
        return deps.sender.push(channel, { to: one!.lineUserId!, messages, retryKey: one!.retryKey ?? batch.retryKey, customAggregationUnits: units, attempt: attemptNo });
      }
      const messages = toLineMessages(campaign.messages, { campaignId: campaign.id, imageUrls, trackUri });
      return deps.sender.multicast(channel, { to: recipients.map((r) => r.lineUserId!), messages, retryKey: batch.retryKey, customAggregationUnits: units, attempt: attemptNo });
    }
  }

  /** `cause`: why the recipients failed when it is Innkeeper's own reason rather than LINE's refusal. */
  async function settle(tenantId: TenantId, job: CampaignBatchJob, outcome: SendOutcome, lastRun = false, cause: CampaignFailureCause = 'line_refused'): Promise<void> {
    const now = deps.clock.now();
    if (outcome.kind === 'retryable' && lastRun) {
      // No more tries: the batch fails with LINE's last answer, its recipients with it; the campaign may now be over.
      // The cause (gave_up) says that retries ran out; the batch keeps LINE's last answer.
      const reason = `${outcome.status ? `${outcome.status} ` : ''}${outcome.message}`.slice(0, 1000);
      await deps.db.withTenant(tenantId, (tx) => delivery.settleBatch(tx, tenantId, job.campaignId, job.batchNo, 'failed', { message: reason, lineRequestId: outcome.requestId, cause: 'gave_up' }, now));
      await finishAfterSettling(tenantId, job.campaignId, now);
      return;
    }
    if (outcome.kind === 'retryable') {
      await deps.db.withTenant(tenantId, (tx) => delivery.noteAttempt(tx, tenantId, job.campaignId, job.batchNo, `${outcome.reason}: ${outcome.message}`, now));
      // The queue tries the job again later, with the same stored key.
      throw new BatchNotSettled(outcome);
    }
    const paused = await deps.db.withTenant(tenantId, async (tx) => {
      if (outcome.kind === 'quota_exhausted' || outcome.kind === 'unauthorized') {
        // The batch stays queued: resuming the campaign (after the quota resets or the token is fixed) sends it.
        await repo.transition(tx, tenantId, job.campaignId, { from: ['sending'], to: 'paused', set: { statusReason: outcome.kind, statusParams: { lineMessage: outcome.message.slice(0, 500) } } }, now);
        await delivery.noteAttempt(tx, tenantId, job.campaignId, job.batchNo, `${outcome.kind}: ${outcome.message}`, now);
        return true;
      }
      if (outcome.kind === 'accepted') {
        await delivery.settleBatch(tx, tenantId, job.campaignId, job.batchNo, 'accepted', { message: outcome.alreadyAccepted ? 'already accepted (409)' : '', lineRequestId: outcome.requestId ?? outcome.acceptedRequestId }, now);
        return false;
      }
      const details = outcome.details.map((d) => (d.property ? `${d.property}: ${d.message}` : d.message)).join('; ');
      await delivery.settleBatch(tx, tenantId, job.campaignId, job.batchNo, 'failed', { message: `${outcome.status ? `${outcome.status} ` : ''}${outcome.message}${details ? ` (${details})` : ''}`.slice(0, 1000), lineRequestId: outcome.requestId, cause }, now);
      return false;
    });
    // Settled here or by another worker before: the campaign may be over now.
    if (!paused) await finishAfterSettling(tenantId, job.campaignId, now);
  }

  /**
   * After a batch's settling has committed, in a transaction of its own: of two workers settling the last two batches
   * at once, each in one transaction would see the other's batch still queued and neither would finish the campaign.
   * Checked after the commit, the later of the two checks sees both settled.
   */
  async function finishAfterSettling(tenantId: TenantId, campaignId: string, now: Date): Promise<void> {
    await deps.db.withTenant(tenantId, (tx) => delivery.finishIfSettled(tx, tenantId, campaignId, now));
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
      localConcurrency: BATCH_CONCURRENCY,
      // One job a fetch: fetched ten at a time, a worker's ten batches waited for each other's LINE round trips.
      batchSize: 1,
      handler: (data, job) => sendBatch(data, job.retryCount + 1),
    };
    const due = perTenantCron(
      { db: deps.db, queue: deps.queue },
      { name: 'campaigns.start-due', cron: '* * * * *', run: (tx, tenantId) => startDueCampaigns(systemContext(tx, tenantId, 'campaigns', { requestId: 'campaigns.start-due' })) },
    );
    const sweep = perTenantCron(
      { db: deps.db, queue: deps.queue },
      { name: 'campaigns.sweep-lost-batches', cron: '*/5 * * * *', run: (tx, tenantId) => sweepLostBatches(systemContext(tx, tenantId, 'campaigns', { requestId: 'campaigns.sweep-lost-batches' })) },
    );
    return [...due, ...sweep, batchJob as JobDefinition<object>];
  }

  return { startDueCampaigns, startSoon, countCapped, outcomes, sweepLostBatches, enqueueBatches, requeueBatches, cancelUnsent, progress, sendBatch, jobs, channelFor, imageUrlsOf };
}

export type CampaignDelivery = ReturnType<typeof createCampaignDelivery>;

/** A batch LINE asked to send later (429, 5xx, timeout): the job fails this run and the queue retries it. */
export class BatchNotSettled extends Error {
  readonly outcome: Extract<SendOutcome, { kind: 'retryable' }>;
  constructor(outcome: Extract<SendOutcome, { kind: 'retryable' }>) {
    super(`campaign batch not settled: ${outcome.reason} ${outcome.status ?? ''} ${outcome.message}`);
    this.outcome = outcome;
  }
}

/** Accepted ÷ attempted (accepted + failed) in percent, rounded down to one decimal; null before anyone was attempted. */
function successRateOf(accepted: number, failed: number): number | null {
  return accepted + failed === 0 ? null : Math.floor((accepted * 1000) / (accepted + failed)) / 10;
}

/** Whether a local HH:mm falls in [start, end), a window that may wrap past midnight (22:00–08:00). */
export function inQuietHours(hhmm: string, window: { start: string; end: string }): boolean {
  return window.start < window.end ? hhmm >= window.start && hhmm < window.end : hhmm >= window.start || hhmm < window.end;
}
