import { messagingApi } from '@line/bot-sdk';
import { AppError } from '../../core/errors.ts';

/** What LINE says about a LIFF ID token it verified. */
export type VerifiedIdToken = { sub: string; aud: string; exp: number; name?: string; picture?: string; email?: string };

/**
 * The LINE platform as Innkeeper uses it. Messaging goes through the official SDK; ID tokens are verified with LINE's
 * endpoint (the SDK has no helper for it). The base URL is configuration: LINE in production, the simulator otherwise.
 */
export type LineApi = {
  baseUrl(): string;
  messaging(accessToken: string): messagingApi.MessagingApiClient;
  verifyIdToken(idToken: string, loginChannelId: string): Promise<VerifiedIdToken>;
};

export function createLineApi(baseUrl: () => string): LineApi {
  return {
    baseUrl,
    messaging: (accessToken) => new messagingApi.MessagingApiClient({ channelAccessToken: accessToken, baseURL: baseUrl() }),
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
