import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ZAuthOptions, ZChangePasswordRequest, ZLinkOwner, ZLinkRequest, ZLoginRequest, ZLoginResponse, ZMeResponse, ZOk, ZPasswordConfirmation, ZPasswordResetRequest, ZPasswordSet, ZPendingResponse, ZRecoveryCodesResponse, ZSecondFactorRequest, ZSessionList, ZSessionProbe, ZSetPasswordRequest, ZSignedOutEverywhere, ZTotpConfirmRequest, ZTotpSetupResponse, ZUpdateMeRequest } from '@innkeeper/contracts/api';
import type { Config } from '../../config/config.ts';
import type { RequestContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { clearSessionCookie, writeSessionCookie } from '../../core/http/session-cookie.ts';
import { findCredentials, storeLocale } from '../accounts/index.ts';
import { getCurrentTenant } from '../tenants/index.ts';
import type { AuthService, ClientInfo } from './auth.service.ts';
import type { TwoFactorService } from './two-factor.service.ts';

function clientOf(req: FastifyRequest): ClientInfo {
  return { ip: req.ip, userAgent: String(req.headers['user-agent'] ?? ''), requestId: String(req.id) };
}

export function authRoutes(deps: { auth: AuthService; twoFactor: TwoFactorService; config: Config; demoMailbox: boolean }): FastifyPluginAsyncZod {
  const { auth, twoFactor, config } = deps;
  const setCookie = (reply: FastifyReply, tenantId: string, secret: string) =>
    writeSessionCookie(reply, tenantId, secret, { secure: config.cookieSecure, maxAgeSeconds: config.session.absoluteHours * 3600 });

  /** The signed-in account, its tenant and permissions (GET /api/auth/me, and the session probe's answer when signed in). */
  async function describeMe(ctx: RequestContext) {
    const [account, tenant, recoveryCodesLeft, access] = [
      await findCredentials(ctx, ctx.accountId),
      await getCurrentTenant(ctx),
      await twoFactor.countRecoveryCodes(ctx),
      await auth.accessOf(ctx),
    ];
    if (!account || !access) return undefined;
    return {
      account: { id: account.id, email: account.email, displayName: account.displayName, locale: account.locale, totpEnabled: account.totpEnabledAt !== null, recoveryCodesLeft, role: access.role },
      tenant: { id: tenant.id, name: tenant.name, kind: tenant.kind, timezone: tenant.timezone },
      permissions: [...ctx.permissions],
      propertyIds: ctx.propertyScope.kind === 'all' ? ('all' as const) : [...ctx.propertyScope.ids],
      csrfToken: ctx.csrfToken,
      sessionIdleMinutes: config.session.idleMinutes,
    };
  }

  return async (app) => {
    app.get('/api/auth/options', {
      schema: { tags: ['auth'], summary: 'What the sign-in page should offer', response: { 200: ZAuthOptions } },
      config: { access: 'public' },
    }, async () => ({ demoMailbox: deps.demoMailbox }));

    // One round trip for the app's first question: signed in or not, and if so, as whom (the same answer as /me).
    app.get('/api/auth/session', {
      schema: { tags: ['auth'], summary: 'Whether this browser is signed in (never 401), with the account when it is', response: { 200: ZSessionProbe } },
      config: { access: 'public' },
    }, async (req) => {
      const probe = await req.withActiveSession(describeMe);
      if (probe.stage !== 'active') return probe;
      return probe.value ? { stage: 'active' as const, me: probe.value } : { stage: 'none' as const };
    });

    app.post('/api/auth/login', {
      schema: { tags: ['auth'], summary: 'Sign in, step one: email and password', body: ZLoginRequest, response: { 200: ZLoginResponse } },
      config: { access: 'public' },
    }, async (req, reply) => {
      const result = await auth.login(req.body, clientOf(req));
      if (!result.ok) {
        if (result.retryAfterSeconds) reply.header('retry-after', String(result.retryAfterSeconds));
        throw new AppError(result.error, result.retryAfterSeconds ? { retryAfterSeconds: result.retryAfterSeconds } : undefined);
      }
      setCookie(reply, result.tenantId, result.sessionSecret);
      return { next: 'second_factor' as const, challenge: result.challenge, csrfToken: result.csrfToken };
    });

    app.get('/api/auth/pending', {
      schema: { tags: ['auth'], summary: 'The second-factor challenge of a half-finished sign-in', response: { 200: ZPendingResponse } },
      config: { access: 'second_factor' },
    }, async (req) => ({ challenge: await auth.challengeOf(req.ctx), csrfToken: req.ctx.csrfToken }));

    app.post('/api/auth/second-factor', {
      schema: { tags: ['auth'], summary: 'Sign in, step two: authenticator, emailed or recovery code', body: ZSecondFactorRequest, response: { 200: ZOk } },
      config: { access: 'second_factor' },
    }, async (req, reply) => {
      const session = await auth.completeSecondFactor(req.ctx, req.body, clientOf(req));
      setCookie(reply, session.tenantId, session.sessionSecret);
      return { ok: true as const };
    });

    app.post('/api/auth/second-factor/resend', {
      schema: { tags: ['auth'], summary: 'Email a new sign-in code', response: { 200: ZPendingResponse } },
      config: { access: 'second_factor' },
    }, async (req) => ({ challenge: await auth.resendLoginCode(req.ctx), csrfToken: req.ctx.csrfToken }));

    app.get('/api/auth/me', {
      schema: { tags: ['auth'], summary: 'The signed-in account, its tenant and permissions', response: { 200: ZMeResponse } },
      config: { access: 'session' },
    }, async (req) => {
      const me = await describeMe(req.ctx);
      if (!me) throw new AppError('auth.unauthenticated');
      return me;
    });

    app.patch('/api/auth/me', {
      schema: { tags: ['auth'], summary: 'Change my preferred language', body: ZUpdateMeRequest, response: { 200: ZOk } },
      config: { access: 'session' },
    }, async (req) => {
      await storeLocale(req.ctx, req.ctx.accountId, req.body.locale);
      return { ok: true as const };
    });

    app.post('/api/auth/logout', {
      schema: { tags: ['auth'], summary: 'Sign out of this browser', response: { 200: ZOk } },
      config: { access: 'session' },
    }, async (req, reply) => {
      await auth.logout(req.ctx);
      clearSessionCookie(reply);
      return { ok: true as const };
    });

    app.post('/api/auth/logout-everywhere', {
      schema: { tags: ['auth'], summary: 'Sign out of every browser', response: { 200: ZSignedOutEverywhere } },
      config: { access: 'session' },
    }, async (req, reply) => {
      const sessionsEnded = await auth.logoutEverywhere(req.ctx);
      clearSessionCookie(reply);
      return { ok: true as const, sessionsEnded };
    });

    app.get('/api/auth/sessions', {
      schema: { tags: ['auth'], summary: 'My signed-in browsers', response: { 200: ZSessionList } },
      config: { access: 'session' },
    }, async (req) => ({
      data: (await auth.listSessions(req.ctx)).map((s) => ({ current: s.id === req.ctx.sessionId, ip: s.ip, userAgent: s.userAgent, createdAt: s.createdAt, lastSeenAt: s.lastSeenAt })),
    }));

    app.post('/api/auth/password', {
      schema: { tags: ['auth'], summary: 'Change my password (signs out my other browsers)', body: ZChangePasswordRequest, response: { 200: ZOk } },
      config: { access: 'session' },
    }, async (req) => {
      await auth.changePassword(req.ctx, req.body);
      return { ok: true as const };
    });

    app.post('/api/auth/password-reset', {
      schema: { tags: ['auth'], summary: 'Email a password-reset link (answers the same whether or not the email exists)', body: ZPasswordResetRequest, response: { 202: ZOk } },
      config: { access: 'public' },
    }, async (req, reply) => {
      await auth.requestPasswordReset(req.body.email, clientOf(req));
      reply.code(202);
      return { ok: true as const };
    });

    // POST, so the token stays out of URLs and access logs.
    app.post('/api/auth/set-password/link', {
      schema: {
        tags: ['auth'],
        summary: 'Whose invitation or reset link this is (nothing is consumed)',
        body: ZLinkRequest,
        response: { 200: ZLinkOwner },
      },
      config: { access: 'public' },
    }, async (req) => auth.describeLink(req.body.token));

    app.post('/api/auth/set-password', {
      schema: { tags: ['auth'], summary: 'Choose a password from an invitation or reset link', body: ZSetPasswordRequest, response: { 200: ZPasswordSet } },
      config: { access: 'public' },
    }, async (req) => auth.setPasswordWithLink(req.body.token, req.body.password, clientOf(req)));

    app.post('/api/auth/totp/setup', {
      schema: { tags: ['auth'], summary: 'Start authenticator-app enrolment (returns the QR code)', response: { 200: ZTotpSetupResponse } },
      config: { access: 'session' },
    }, async (req) => twoFactor.startTotpEnrolment(req.ctx));

    app.post('/api/auth/totp/confirm', {
      schema: { tags: ['auth'], summary: 'Finish enrolment with a first code; returns recovery codes once', body: ZTotpConfirmRequest, response: { 200: ZRecoveryCodesResponse } },
      config: { access: 'session' },
    }, async (req) => twoFactor.confirmTotpEnrolment(req.ctx, req.body.code));

    app.post('/api/auth/totp/disable', {
      schema: { tags: ['auth'], summary: 'Turn the authenticator app off (email codes are used instead)', body: ZPasswordConfirmation, response: { 200: ZOk } },
      config: { access: 'session' },
    }, async (req) => {
      await twoFactor.disableTotp(req.ctx, req.body.password);
      return { ok: true as const };
    });

    app.post('/api/auth/recovery-codes', {
      schema: { tags: ['auth'], summary: 'Replace my recovery codes', body: ZPasswordConfirmation, response: { 200: ZRecoveryCodesResponse } },
      config: { access: 'session' },
    }, async (req) => twoFactor.regenerateRecoveryCodes(req.ctx, req.body.password));

    app.post('/api/accounts/:accountId/invitation', {
      schema: { tags: ['accounts'], summary: 'Email the account a new invitation link', params: z.object({ accountId: z.uuid() }), response: { 200: ZOk } },
      config: { access: 'accounts.manage' },
    }, async (req) => {
      await auth.resendInvitation(req.ctx, req.params.accountId);
      return { ok: true as const };
    });
  };
}
