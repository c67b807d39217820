import type { IdentityType } from '@innkeeper/contracts';
import type { RequestBody, ResponseBody, ZBindRequest, ZBindResponse, ZCampaignClickAnswer, ZCodeSent, ZGuestView, ZMemberCard, ZPortalConfig } from '@innkeeper/contracts/api';
import { ApiError, parseErrorBody } from '../../lib/api-error.ts';
import { liffI18n } from './i18n.ts';

// The routes' bodies and answers, derived from the server's schemas (packages/contracts/src/api); types only.
/** GET /api/liff/:tenantId/:channelId/config (no sign-in); `bindingAvailable` is false without an SMS provider. */
export type PortalConfig = ResponseBody<typeof ZPortalConfig>;
export type MemberCard = ResponseBody<typeof ZMemberCard>;
/** GET …/me */
export type GuestView = ResponseBody<typeof ZGuestView>;
export type { IdentityType };
/** POST …/bind; `marketingOptIn` only when the guest changed the offers box (absent keeps the consent on file). */
export type BindInput = RequestBody<typeof ZBindRequest>;
export type BindResult = ResponseBody<typeof ZBindResponse>;

/**
 * The guest API behind the LIFF page. Every call but `config` carries the LIFF ID token (`Authorization: Bearer`),
 * which the server verifies with LINE; there is no cookie and no CSRF token here. Errors are the same ApiError as the
 * admin app's, with the server's message in the guest's language.
 */
export function guestApi(tenantId: string, channelId: string, idToken: string | undefined) {
  const base = `/api/liff/${encodeURIComponent(tenantId)}/${encodeURIComponent(channelId)}`;

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', 'accept-language': liffI18n.language };
    if (idToken) headers.authorization = `Bearer ${idToken}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, { method, headers, credentials: 'omit', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch {
      throw new ApiError(0, 'client.network', liffI18n.t('liff.errors.network'));
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (response.ok) return parsed as T;
    throw parseErrorBody(response.status, parsed) ?? new ApiError(response.status, 'client.unexpected_response', liffI18n.t('liff.errors.unexpected'));
  }

  return {
    config: () => request<PortalConfig>('GET', '/config'),
    me: () => request<GuestView>('GET', '/me'),
    requestCode: (mobile: string) => request<ResponseBody<typeof ZCodeSent>>('POST', '/code', { mobile }),
    bind: (input: BindInput) => request<BindResult>('POST', '/bind', input),
    setOptIn: (marketingOptIn: boolean) => request<MemberCard>('PATCH', '/me', { marketingOptIn }),
    /** A campaign URL button was tapped: counted (and tagged, with the ID token); answers where to go. */
    click: (link: string) => request<ResponseBody<typeof ZCampaignClickAnswer>>('POST', '/clicks', { link }),
  };
}

export type GuestApi = ReturnType<typeof guestApi>;
