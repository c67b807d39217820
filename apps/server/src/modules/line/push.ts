import { HTTPFetchError, type messagingApi } from '@line/bot-sdk';
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
