import { z } from 'zod';
import { LOCALES } from '../locales.ts';
import { PLATFORM_PERMISSIONS, TENANT_PERMISSIONS } from '../permissions.ts';
import { ZEmail } from './accounts.ts';

const ZPassword = z.string().min(1, { error: 'field.required' }).max(200);

const ZNewPassword = z.string().min(10, { error: 'field.password_length' }).max(200);

export const ZLoginRequest = z.strictObject({ email: ZEmail, password: ZPassword });

export const ZChallenge = z.object({ method: z.enum(['totp', 'email']), emailHint: z.string() });

export const ZLoginResponse = z.object({ next: z.literal('second_factor'), challenge: ZChallenge, csrfToken: z.string() });

export const ZSecondFactorRequest = z.strictObject({
  method: z.enum(['totp', 'email', 'recovery']),
  code: z.string().trim().min(6, { error: 'field.code_format' }).max(20, { error: 'field.code_format' }),
});

export const ZPendingResponse = z.object({ challenge: ZChallenge, csrfToken: z.string() });

export const ZMeResponse = z.object({
  account: z.object({
    id: z.string(),
    email: z.string(),
    displayName: z.string(),
    locale: z.enum(LOCALES),
    totpEnabled: z.boolean(),
    recoveryCodesLeft: z.number().int(),
    role: z.object({ id: z.string(), name: z.string(), builtinKey: z.string().nullable() }),
  }),
  tenant: z.object({ id: z.string(), name: z.string(), kind: z.enum(['hotel', 'platform']), timezone: z.string() }),
  permissions: z.array(z.enum([...TENANT_PERMISSIONS, ...PLATFORM_PERMISSIONS])),
  propertyIds: z.union([z.literal('all'), z.array(z.string())]),
  csrfToken: z.string(),
  sessionIdleMinutes: z.number().int(),
});

export const ZUpdateMeRequest = z.strictObject({ locale: z.enum(LOCALES) });

export const ZChangePasswordRequest = z.strictObject({ currentPassword: ZPassword, newPassword: ZNewPassword });

export const ZPasswordResetRequest = z.strictObject({ email: ZEmail });

export const ZLinkRequest = z.strictObject({ token: z.string().min(1).max(200) });

export const ZSetPasswordRequest = z.strictObject({ token: z.string().min(1).max(200), password: ZNewPassword });

export const ZPasswordConfirmation = z.strictObject({ password: ZPassword });

export const ZTotpConfirmRequest = z.strictObject({ code: z.string().trim().regex(/^\d{6}$/, { error: 'field.code_format' }) });

export const ZTotpSetupResponse = z.object({ uri: z.string(), qrCodeDataUrl: z.string(), secret: z.string() });

export const ZRecoveryCodesResponse = z.object({ recoveryCodes: z.array(z.string()) });

export const ZSessionList = z.object({
  data: z.array(z.object({ current: z.boolean(), ip: z.string(), userAgent: z.string(), createdAt: z.date(), lastSeenAt: z.date() })),
});

export const ZOk = z.object({ ok: z.literal(true) });

/** GET /api/auth/options: what the sign-in page should offer. */
export const ZAuthOptions = z.object({ demoMailbox: z.boolean() });

/**
 * GET /api/auth/session: whether this browser is signed in (never 401), and for a signed-in browser the account as
 * GET /api/auth/me gives it, so the app learns both in one round trip.
 */
export const ZSessionProbe = z.discriminatedUnion('stage', [
  z.object({ stage: z.literal('none') }),
  z.object({ stage: z.literal('second_factor') }),
  z.object({ stage: z.literal('active'), me: ZMeResponse }),
]);

/** POST /api/auth/logout-everywhere */
export const ZSignedOutEverywhere = z.object({ ok: z.literal(true), sessionsEnded: z.number().int() });

/** POST /api/auth/set-password/link: whose invitation or reset link this is. */
export const ZLinkOwner = z.object({ email: z.string(), purpose: z.enum(['invitation', 'password_reset']), tenantName: z.string() });

/** POST /api/auth/set-password */
export const ZPasswordSet = z.object({ email: z.string() });
