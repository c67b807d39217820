import { personalise } from '@innkeeper/contracts';
import type { CampaignFailureCause } from '@innkeeper/contracts/api';
import type { Clock } from '../../core/clock.ts';
import { systemContext, type TenantContext } from '../../core/context.ts';
import type { Database, Tx } from '../../core/db/database.ts';
import { asTenantId, type TenantId } from '../../core/ids.ts';
import type { LineSender, SendingChannel, SendOutcome } from '../line/index.ts';
import { sendUntilSettled } from '../line/index.ts';
import type { SegmentsService } from '../segments/index.ts';
import { findBatches, findRecipientsOfBatches, settleAcceptedBatches, type AcceptedBatch, type BatchRecipients } from './campaign-batches.repository.ts';
import * as delivery from './campaign-delivery.repository.ts';
import type { BatchRow } from './campaign-delivery.repository.ts';
import { imagesOf } from './campaign-messages.ts';
import * as repo from './campaigns.repository.ts';
import type { CampaignRow } from './campaigns.repository.ts';
import { toLineMessages, type ImageUrls } from './line-messages.ts';

/** One batch job's payload: the batch to send. */
export type CampaignBatchJob = { tenantId: string; campaignId: string; batchNo: number };

/** Attempts of one batch within one job run (sleeping LINE's hint in between) before the queue retries the job. */
const ATTEMPTS_PER_RUN = 3;
/** Runs of a batch job after its first (the queue's retryLimit): the last one that is still not settled gives up. */
export const BATCH_RETRIES = 20;
/**
 * How long a batch may keep retrying once its campaign is sending (since it started or was resumed): a run after this
 * that is still refused fails the batch, so a fault that never clears cannot keep a campaign 'sending' for days (the
 * queue's backoff doubles up to hours between the last retries).
 */
export const BATCH_GIVE_UP_AFTER_MS = 2 * 3600_000;
/** Batches LINE accepted that one statement settles at most (the rest in the next). */
const SETTLE_BLOCK = 500;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The campaign's name for LINE's per-unit statistics (`^[a-zA-Z0-9_]{1,30}$`): its id without dashes, shortened. */
export function aggregationUnitOf(campaignId: string): string {
  return `c${campaignId.replaceAll('-', '')}`.slice(0, 30);
}

type Deps = {
  db: Database;
  clock: Clock;
  segments: SegmentsService;
  sender: LineSender;
  channelFor: (ctx: TenantContext, campaign: Pick<CampaignRow, 'propertyId'>) => Promise<SendingChannel | undefined>;
  imageUrlsOf: (tenantId: TenantId, images: ReadonlyArray<{ id: string; token: string }>) => ImageUrls;
  /** The campaign's URL buttons as tracked links (campaign-clicks.ts). */
  trackedLinks: (ctx: TenantContext, campaign: { id: string; propertyId: string | null }) => Promise<(actionId: string) => string>;
};

type Prepared = {
  batch: BatchRow;
  campaign: CampaignRow;
  recipients: BatchRecipients;
  values: Record<string, string> | undefined;
  channel: SendingChannel | undefined;
  imageUrls: ImageUrls;
  trackUri: (actionId: string) => string;
};

/**
 * Sending a campaign's batches, many at a time. A worker runs the batch jobs of one fetch together: one transaction
 * reads all their batches and recipients, their LINE requests go out at once (each paced, each with its stored retry
 * key), and the batches LINE accepted are settled by a settler this process shares, which writes whatever has arrived
 * in one statement while the previous one runs. A batch is thus read, sent and settled in about one and a half round
 * trips to the database instead of some sixteen, and a retry of any of them is still the same send under the same key.
 */
export function createBatchSending(deps: Deps) {
  /**
   * What every batch of a sending campaign needs besides its recipients (the channel and its token, the image URLs, the
   * tracked links): read by the first batch this process sends of the campaign as it was last started or resumed
   * (`updatedAt`), then kept, so each of a thousand batches does not read and decrypt them again. A campaign paused
   * because LINE refused the token is read afresh when resumed.
   */
  const sharedByCampaign = new Map<string, Awaited<ReturnType<typeof readShared>>>();
  async function readShared(ctx: TenantContext, campaign: CampaignRow) {
    const channel = await deps.channelFor(ctx, campaign);
    const images = await repo.findImages(ctx.db, ctx.tenantId, [...new Set(imagesOf(campaign.messages).map((r) => r.imageId))]);
    return { channel, imageUrls: deps.imageUrlsOf(ctx.tenantId, images), trackUri: await deps.trackedLinks(ctx, campaign) };
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

  const ctxOf = (tx: Tx, tenantId: TenantId) => systemContext(tx, tenantId, 'campaigns', { requestId: 'campaigns.send-batch' });
  const keyOf = (b: { campaignId: string; batchNo: number }) => `${b.campaignId}:${b.batchNo}`;

  /**
   * One tenant's batches in one transaction: those still queued of campaigns still sending, with their recipients and
   * what their campaign shares. Settled ones (by another worker, or before a crash) and those of paused or cancelled
   * campaigns are left out: nothing to do for them.
   */
  async function prepare(tenantId: TenantId, jobs: readonly CampaignBatchJob[]): Promise<Map<string, Prepared>> {
    return deps.db.withTenant(tenantId, async (tx) => {
      const ctx = ctxOf(tx, tenantId);
      const keys = jobs.map((j) => ({ campaignId: j.campaignId, batchNo: j.batchNo }));
      const campaigns = new Map<string, CampaignRow>();
      for (const campaignId of new Set(keys.map((k) => k.campaignId))) {
        const campaign = await repo.findCampaign(tx, tenantId, campaignId, 'all');
        if (campaign?.status === 'sending') campaigns.set(campaignId, campaign);
      }
      const batches = (await findBatches(tx, tenantId, keys.filter((k) => campaigns.has(k.campaignId)))).filter((b) => b.status === 'queued');
      const recipients = await findRecipientsOfBatches(tx, tenantId, batches);
      const prepared = new Map<string, Prepared>();
      for (const batch of batches) {
        const campaign = campaigns.get(batch.campaignId)!;
        const own = recipients.get(keyOf(batch)) ?? { lineUserIds: { joined: '', count: 0 }, firstMemberId: null, firstRetryKey: null };
        // A push's text is the guest's own: their values are read now (a guest erased since is not written to).
        const values = batch.mode === 'push' && own.firstMemberId ? await delivery.findPlaceholders(tx, await deps.segments.deliveryAudience(ctx, { memberIds: [own.firstMemberId] }, 'all')) : undefined;
        prepared.set(keyOf(batch), { batch, campaign, recipients: own, values, ...(await sharedBy(ctx, campaign)) });
      }
      return prepared;
    });
  }

  /** LINE's answer to one batch, after up to ATTEMPTS_PER_RUN attempts in this run (accepted at once: nobody to send to). */
  async function deliver(prepared: Prepared, attempt: number): Promise<SendOutcome> {
    const { batch, campaign, recipients, channel, values, imageUrls, trackUri } = prepared;
    if (batch.mode === 'push' && recipients.lineUserIds.count > 0 && !values) return { kind: 'rejected', status: 0, message: 'the guest is no longer a member', details: [], requestId: null };
    if (!channel) return { kind: 'rejected', status: 0, message: 'no LINE channel is connected for this campaign', details: [], requestId: null };
    if (recipients.lineUserIds.count === 0) return { kind: 'accepted', requestId: null, alreadyAccepted: false, acceptedRequestId: null, sentMessages: null };
    const units = [aggregationUnitOf(campaign.id)];
    let last: SendOutcome | undefined;
    // A pacer's or LINE's rate limit is kept in real time, so it is waited out in real time; LINE's other backoffs on
    // the engine's clock (which a test moves on at once).
    const sleep = (ms: number) => (last?.kind === 'retryable' && (last.reason === 'paced' || last.reason === 'rate_limited') ? realSleep(ms) : (deps.clock.sleep?.(ms) ?? realSleep(ms)));
    return sendUntilSettled(async (n) => (last = await sendOnce(n)), ATTEMPTS_PER_RUN, sleep);

    function sendOnce(n: number): Promise<SendOutcome> {
      const attemptNo = (attempt - 1) * ATTEMPTS_PER_RUN + n;
      if (batch.mode === 'push') {
        const messages = toLineMessages(campaign.messages, { campaignId: campaign.id, imageUrls, trackUri, personalise: (text) => personalise(text, values ?? {}) });
        return deps.sender.push(channel!, { to: recipients.lineUserIds.joined.split(',')[0]!, messages, retryKey: recipients.firstRetryKey ?? batch.retryKey, customAggregationUnits: units, attempt: attemptNo });
      }
      const messages = toLineMessages(campaign.messages, { campaignId: campaign.id, imageUrls, trackUri });
      return deps.sender.multicast(channel!, { to: recipients.lineUserIds, messages, retryKey: batch.retryKey, customAggregationUnits: units, attempt: attemptNo });
    }
  }

  /**
   * Batch jobs run together (the queue's handleMany): one entry per job, undefined when it is done (sent, settled, or
   * nothing left to do), the error when the queue should run it again (LINE said "later": BatchNotSettled).
   */
  async function sendBatches(jobs: ReadonlyArray<{ data: CampaignBatchJob; retryCount: number }>): Promise<unknown[]> {
    const errors: unknown[] = jobs.map(() => undefined);
    const byTenant = new Map<string, number[]>();
    jobs.forEach((job, i) => byTenant.set(job.data.tenantId, [...(byTenant.get(job.data.tenantId) ?? []), i]));
    await Promise.all(
      [...byTenant].map(async ([tenant, indexes]) => {
        const tenantId = asTenantId(tenant);
        // One tenant's read failing fails that tenant's jobs only: a rejection here would fail the whole fetch while
        // other tenants' sends were still in flight, and the queue would run those jobs again alongside them.
        const prepared = await prepare(tenantId, indexes.map((i) => jobs[i]!.data)).catch((error: unknown) => {
          for (const i of indexes) errors[i] = error ?? new Error('campaign batches not read');
          return undefined;
        });
        if (!prepared) return;
        await Promise.all(
          indexes.map(async (i) => {
            const job = jobs[i]!;
            const batch = prepared.get(keyOf(job.data));
            if (!batch) return;
            try {
              await sendAndSettle(tenantId, job.data, batch, job.retryCount + 1);
            } catch (error) {
              errors[i] = error;
            }
          }),
        );
      }),
    );
    return errors;
  }

  async function sendAndSettle(tenantId: TenantId, job: CampaignBatchJob, prepared: Prepared, attempt: number): Promise<void> {
    // Attempts exhausted: the queue's last run, or retrying for longer than the bound since the campaign went out.
    const lastRun = attempt > BATCH_RETRIES || deps.clock.now().getTime() - prepared.campaign.updatedAt.getTime() >= BATCH_GIVE_UP_AFTER_MS;
    const { batch, recipients, channel, values } = prepared;
    const cause: CampaignFailureCause = batch.mode === 'push' && recipients.lineUserIds.count > 0 && !values ? 'member_gone' : !channel ? 'no_channel' : 'line_refused';
    const outcome = await deliver(prepared, attempt);
    if (outcome.kind === 'accepted') return settler.accepted(tenantId, { campaignId: job.campaignId, batchNo: job.batchNo, message: outcome.alreadyAccepted ? 'already accepted (409)' : '', lineRequestId: outcome.requestId ?? outcome.acceptedRequestId });
    return settle(tenantId, job, outcome, lastRun, cause);
  }

  /** What one batch job does; `attempt` counts the job's runs (a dead worker's job comes back with a higher one). */
  async function sendBatch(job: CampaignBatchJob, attempt: number): Promise<void> {
    const [error] = await sendBatches([{ data: job, retryCount: attempt - 1 }]);
    if (error !== undefined) throw error;
  }

  /** The outcomes other than accepted, one batch at a time (rare: refusals, "later", a paused campaign). */
  async function settle(tenantId: TenantId, job: CampaignBatchJob, outcome: Exclude<SendOutcome, { kind: 'accepted' }>, lastRun: boolean, cause: CampaignFailureCause): Promise<void> {
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

  const settler = createAcceptedSettler(async (tenantId, batches) => {
    const now = deps.clock.now();
    await deps.db.withTenant(tenantId, (tx) => settleAcceptedBatches(tx, tenantId, batches, now));
    // Settled here or by another worker before: each campaign may be over now (checked once per campaign, after the
    // commit, for the reason finishAfterSettling gives).
    for (const campaignId of new Set(batches.map((b) => b.campaignId))) await finishAfterSettling(tenantId, campaignId, now);
  });

  return { sendBatch, sendBatches };
}

/**
 * Batches LINE accepted, settled together: the first to arrive is written at once, those arriving while a write runs
 * wait for it and are written by the next (up to SETTLE_BLOCK a statement), so a worker with a hundred batches in
 * flight writes a few statements per round trip, not a hundred. Each caller resolves once its batch is committed, so a
 * job completes only after its batch is recorded: a crash before that leaves the batch queued and its job to retry
 * with the stored key (LINE answers 409, and the retry records it sent).
 */
function createAcceptedSettler(write: (tenantId: TenantId, batches: AcceptedBatch[]) => Promise<void>) {
  type Waiter = { batch: AcceptedBatch; resolve: () => void; reject: (error: unknown) => void };
  const queues = new Map<TenantId, { waiting: Waiter[]; writing: boolean }>();

  async function flush(tenantId: TenantId): Promise<void> {
    const queue = queues.get(tenantId)!;
    queue.writing = true;
    try {
      while (queue.waiting.length > 0) {
        const block = queue.waiting.splice(0, SETTLE_BLOCK);
        try {
          await write(tenantId, block.map((w) => w.batch));
          for (const waiter of block) waiter.resolve();
        } catch (error) {
          for (const waiter of block) waiter.reject(error);
        }
      }
    } finally {
      queues.delete(tenantId);
    }
  }

  return {
    accepted(tenantId: TenantId, batch: AcceptedBatch): Promise<void> {
      let queue = queues.get(tenantId);
      if (!queue) queues.set(tenantId, (queue = { waiting: [], writing: false }));
      const written = new Promise<void>((resolve, reject) => queue.waiting.push({ batch, resolve, reject }));
      if (!queue.writing) void flush(tenantId);
      return written;
    },
  };
}

/** A batch LINE asked to send later (429, 5xx, timeout): the job fails this run and the queue retries it. */
export class BatchNotSettled extends Error {
  readonly outcome: Extract<SendOutcome, { kind: 'retryable' }>;
  constructor(outcome: Extract<SendOutcome, { kind: 'retryable' }>) {
    super(`campaign batch not settled: ${outcome.reason} ${outcome.status ?? ''} ${outcome.message}`);
    this.outcome = outcome;
  }
}
