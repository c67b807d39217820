import { HTTPFetchError, type messagingApi } from '@line/bot-sdk';
import { z } from 'zod';
import { systemContext } from '../../core/context.ts';
import type { Database } from '../../core/db/database.ts';
import { asTenantId } from '../../core/ids.ts';
import type { JobDefinition, JobRef } from '../../core/jobs/queue.ts';
import type { ChannelsService } from './channels.service.ts';
import type { LineApi } from './line-api.ts';

const ATTEMPTS = 3;

/**
 * Pushes messages to one LINE user at most once. Every attempt carries the same X-Line-Retry-Key (a UUID the caller
 * derives from what the message is about, so any retry of that send reuses it): LINE accepts a key once and answers a
 * repeat with 409, which means "already sent". Network failures, 429 and 5xx are retried; other refusals are not.
 */
export async function pushOnce(lineApi: LineApi, input: { accessToken: string; to: string; messages: messagingApi.Message[]; retryKey: string }): Promise<'sent' | 'already_sent'> {
  const client = lineApi.messaging(input.accessToken);
  for (let attempt = 1; ; attempt++) {
    try {
      await client.pushMessage({ to: input.to, messages: input.messages }, input.retryKey);
      return 'sent';
    } catch (error) {
      if (error instanceof HTTPFetchError && error.status === 409) return 'already_sent';
      const transient = !(error instanceof HTTPFetchError) || error.status === 429 || error.status >= 500;
      if (!transient || attempt >= ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
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

export function pushTextJob(deps: { db: Database; channels: ChannelsService; lineApi: LineApi }): JobDefinition<PushText> {
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
      await pushOnce(deps.lineApi, { accessToken: channel.accessToken, to: push.to, messages: [{ type: 'text', text: push.text }], retryKey: push.retryKey });
    },
  };
}
