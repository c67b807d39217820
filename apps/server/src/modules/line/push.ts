import type { messagingApi } from '@line/bot-sdk';
import { z } from 'zod';
import { systemContext } from '../../core/context.ts';
import type { Database } from '../../core/db/database.ts';
import { asTenantId } from '../../core/ids.ts';
import type { JobDefinition, JobRef } from '../../core/jobs/queue.ts';
import type { ChannelsService } from './channels.service.ts';
import type { LineApi } from './line-api.ts';
import { createSendPacing } from './send-pacing.ts';
import { createLineSender, type LineSender, type SendingChannel, type SendOutcome, sendUntilSettled } from './sender.ts';

const ATTEMPTS = 3;

/**
 * Pushes messages to one LINE user at most once, through the sending port. Every attempt carries the same
 * X-Line-Retry-Key (a UUID the caller derives from what the message is about, so any retry of that send reuses it):
 * LINE accepts a key once and answers a repeat with 409, which means "already sent". 429, 5xx, timeouts and network
 * failures are retried here a few times, then left to the caller (the queue); other refusals are not retried.
 */
export async function pushSettled(sender: LineSender, channel: SendingChannel, input: { to: string; messages: messagingApi.Message[]; retryKey: string }): Promise<'sent' | 'already_sent'> {
  const outcome = await sendUntilSettled((attempt) => sender.push(channel, { ...input, attempt }), ATTEMPTS);
  if (outcome.kind === 'accepted') return outcome.alreadyAccepted ? 'already_sent' : 'sent';
  throw new LinePushFailed(outcome);
}

/** The same without pacing, for a caller holding only a token (no channel row to pace by). */
export function pushOnce(lineApi: LineApi, input: { accessToken: string; to: string; messages: messagingApi.Message[]; retryKey: string }): Promise<'sent' | 'already_sent'> {
  const { accessToken, ...push } = input;
  return pushSettled(createLineSender({ lineApi }), { tenantId: '', id: '', accessToken }, push);
}

/** A push LINE did not accept: the outcome says why (and whether a later try may succeed). */
export class LinePushFailed extends Error {
  readonly outcome: Exclude<SendOutcome, { kind: 'accepted' }>;
  constructor(outcome: Exclude<SendOutcome, { kind: 'accepted' }>) {
    super(`LINE push ${outcome.kind}: ${'status' in outcome && outcome.status ? `${outcome.status} ` : ''}${outcome.message}`);
    this.outcome = outcome;
  }
}

const ZPushText = z.strictObject({ tenantId: z.uuid(), channelId: z.uuid(), to: z.string().min(1).max(64), text: z.string().min(1).max(5000), retryKey: z.uuid() });
export type PushText = z.infer<typeof ZPushText>;

/**
 * A text pushed to one guest, as a job: written with `enqueue(tx, …)` in the transaction whose change it announces (an
 * outbox), so it exists exactly when that change commits and survives a process that dies right after. The queue
 * retries it; the retry key makes every attempt the same send, so the guest gets it once.
 */
export const PUSH_TEXT_JOB: JobRef<PushText> = { name: 'line.push-text', schema: ZPushText };

export function pushTextJob(deps: { db: Database; channels: ChannelsService; lineApi: LineApi; sender?: LineSender }): JobDefinition<PushText> {
  // Paced with every other send of the channel, in every worker process.
  const sender = deps.sender ?? createLineSender({ lineApi: deps.lineApi, pacing: createSendPacing({ db: deps.db }) });
  return {
    ...PUSH_TEXT_JOB,
    retryLimit: 5,
    expireInSeconds: 60,
    pollSeconds: 5,
    handler: async (push) => {
      const tenantId = asTenantId(push.tenantId);
      const channel = await deps.db.withTenant(tenantId, (tx) =>
        deps.channels.credentials(systemContext(tx, tenantId, 'line', { requestId: PUSH_TEXT_JOB.name }), push.channelId),
      );
      // A channel disconnected since has nobody to send with: nothing to do.
      if (!channel?.accessToken) return;
      await pushSettled(sender, channel, { to: push.to, messages: [{ type: 'text', text: push.text }], retryKey: push.retryKey });
    },
  };
}
