import { messagingApi } from '@line/bot-sdk';
import { AppError } from '../../core/errors.ts';
import { createLiffIdTokenVerifier, type VerifiedIdToken } from './liff-id-tokens.ts';

export type { VerifiedIdToken };

/**
 * The LINE platform as Innkeeper uses it. Messaging goes through the official SDK; ID tokens are verified with LINE's
 * endpoint (the SDK has no helper for it) or, for a click report's LIFF token, against LINE's published keys. The base URL is configuration: LINE in production, the simulator otherwise.
 */
export type LineApi = {
  baseUrl(): string;
  messaging(accessToken: string): messagingApi.MessagingApiClient;
  verifyIdToken(idToken: string, loginChannelId: string): Promise<VerifiedIdToken>;
  /** A LIFF ID token checked here against LINE's published keys (liff-id-tokens.ts), without asking LINE per token. */
  verifyLiffIdToken(idToken: string, loginChannelId: string, now: Date): Promise<VerifiedIdToken>;
};

export function createLineApi(baseUrl: () => string): LineApi {
  return {
    baseUrl,
    messaging: (accessToken) => new messagingApi.MessagingApiClient({ channelAccessToken: accessToken, baseURL: baseUrl() }),
    verifyLiffIdToken: createLiffIdTokenVerifier(baseUrl),
    async verifyIdToken(idToken, loginChannelId) {
      const response = await fetch(`${baseUrl()}/oauth2/v2.1/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ id_token: idToken, client_id: loginChannelId }),
        signal: AbortSignal.timeout(5000),
      }).catch(() => {
        throw new AppError('line.unavailable');
      });
      const body = (await response.json().catch(() => ({}))) as Partial<VerifiedIdToken> & { error_description?: string };
      if (response.status === 400) throw new AppError('liff.invalid_token', { reason: body.error_description });
      if (!response.ok || typeof body.sub !== 'string') throw new AppError('line.unavailable', { status: response.status });
      if (body.aud !== loginChannelId) throw new AppError('liff.invalid_token', { reason: 'audience' });
      return body as VerifiedIdToken;
    },
  };
}
