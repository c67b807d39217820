import { ApiError, parseErrorBody } from '../../lib/api-error.ts';
import type { PortalButton, PortalSettings } from '../member-portal/index.ts';
import { liffI18n } from './i18n.ts';

/** GET /api/liff/:tenantId/:channelId/config (no sign-in). */
export type PortalConfig = {
  tenant: { name: string; timezone: string };
  channel: { name: string; liffId: string | null; basicId: string | null };
  settings: PortalSettings;
  buttons: PortalButton[];
  /** False without an SMS provider: the mobile cannot be confirmed, so guests cannot bind. */
  bindingAvailable: boolean;
};

export type MemberCard = { memberNo: string; lastName: string; firstName: string; mobile: string | null; email: string | null; marketingOptIn: boolean; joinedAt: string };

/** GET …/me */
export type GuestView = { guest: { displayName: string | null; pictureUrl: string | null }; member: MemberCard | null; pendingReview: boolean };

export type IdentityType = 'national_id' | 'resident_certificate' | 'passport';

export type BindInput = {
  lastName?: string;
  firstName?: string;
  mobile: string;
  identity?: { type: IdentityType; number: string; passportCountry?: string };
  email?: string;
  birthday?: string;
  /** Only when the guest changed the offers box: absent keeps the consent on file. */
  marketingOptIn?: boolean;
  code: string;
};

export type BindResult = { status: 'linked' | 'created' | 'pending_review'; member: MemberCard | null };

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
    requestCode: (mobile: string) => request<{ expiresInSeconds: number }>('POST', '/code', { mobile }),
    bind: (input: BindInput) => request<BindResult>('POST', '/bind', input),
    setOptIn: (marketingOptIn: boolean) => request<MemberCard>('PATCH', '/me', { marketingOptIn }),
  };
}

export type GuestApi = ReturnType<typeof guestApi>;
