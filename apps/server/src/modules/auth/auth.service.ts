import type { ErrorCode, Locale } from '@innkeeper/contracts';
import type { Config } from '../../config/config.ts';
import { runAfterCommit } from '../../core/after-commit.ts';
import type { Clock } from '../../core/clock.ts';
import { systemContext, type RequestContext, type TenantContext } from '../../core/context.ts';
import type { Keyring } from '../../core/crypto/keyring.ts';
import type { Database, Tx } from '../../core/db/database.ts';
import { AppError } from '../../core/errors.ts';
import { maskEmail } from '../../core/masking.ts';
import type { AuthenticatedSession, Authenticator } from '../../core/http/access.ts';
import { asTenantId, newId, type TenantId } from '../../core/ids.ts';
import type { Mailer } from '../../core/mail/mailer.ts';
import { activeWindowEnd, clearRateLimit, hitRateLimit } from '../../core/rate-limit.ts';
import {
  assertMayManageAccount,
  claimTotpStep,
  findCredentials,
  findLoginEntryInPlatformScope,
  loadAccountAccess,
  registerFailedLogin,
  registerSuccessfulLogin,
  storePasswordHash,
  type InviteAccount,
  type LoginCredentials,
} from '../accounts/index.ts';
import { recordAudit } from '../audit/index.ts';
import { findPlatformTenantInPlatformScope, getCurrentTenant } from '../tenants/index.ts';
import * as repo from './auth.repository.ts';
import { accountThrottledMail, invitationMail, loginCodeMail, passwordResetMail } from './auth.mails.ts';
import { confirmPassword } from './password-confirmation.ts';
import { sourceOf } from '../../core/http/source-address.ts';
import { constantTimeEqual, hashPassword, isAcceptablePassword, normaliseRecoveryCode, randomDigits, randomSecret, sha256, verifyDecoyPassword, verifyPassword } from './secrets.ts';
import { totpStepOf } from './totp.ts';

export type AuthDeps = { db: Database; config: Config; clock: Clock; mailer: Mailer; keyring: Keyring };

export type ClientInfo = { ip: string; userAgent: string; requestId: string };

/** What the browser must do after a correct password. */
export type SecondFactorChallenge = { method: 'totp' | 'email'; emailHint: string };

export type LoginResult =
  | { ok: true; tenantId: TenantId; sessionSecret: string; csrfToken: string; challenge: SecondFactorChallenge }
  | { ok: false; error: ErrorCode; retryAfterSeconds?: number };

const SECOND_FACTOR_MINUTES = 10;
const MAX_SECOND_FACTOR_ATTEMPTS = 5;
const LOGIN_CODE_MINUTES = 10;
const RESET_LINK_MINUTES = 30;
const INVITATION_DAYS = 7;
const RATE_WINDOW_SECONDS = 600;
const RESEND_COOLDOWN_SECONDS = 60;
/** `<tenant id>.<secret>`: the tenant part must be a real UUID, or PostgreSQL refuses it as a uuid (a 500, not a 400). */
const LINK_TOKEN = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

export function createAuthService(deps: AuthDeps) {
  const { db, config, clock, mailer } = deps;

  /** Sign-in steps run before there is a session: system work, at the client's address, collecting after-commit mail. */
  function signInContext(tx: Tx, tenantId: TenantId, client: ClientInfo, afterCommit: Array<() => Promise<void>>): TenantContext {
    return systemContext(tx, tenantId, 'auth', { ip: client.ip, requestId: client.requestId, afterCommit: (task) => afterCommit.push(task) });
  }

  async function sendMail(to: string, mail: { subject: string; text: string }): Promise<void> {
    try {
      await mailer.send({ to, ...mail });
    } catch {
      throw new AppError('auth.mail_failed');
    }
  }

  /** Issues a 6-digit code bound to the pending session and mails it once the transaction commits. */
  async function issueLoginCode(ctx: TenantContext, account: { id: string; email: string; locale: Locale }, sessionId: string): Promise<void> {
    const now = clock.now();
    const code = randomDigits(6);
    const id = newId();
    await repo.insertAuthToken(ctx.db, {
      tenantId: ctx.tenantId,
      id,
      accountId: account.id,
      purpose: 'login_code',
      tokenHash: sha256(`${id}:${code}`),
      sessionId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + LOGIN_CODE_MINUTES * 60_000),
    });
    ctx.afterCommit(() => sendMail(account.email, loginCodeMail(account.locale, code, LOGIN_CODE_MINUTES)));
  }

  async function issueLink(ctx: TenantContext, accountId: string, purpose: 'password_reset' | 'invitation', minutes: number): Promise<string> {
    const now = clock.now();
    await repo.consumeOpenTokens(ctx.db, ctx.tenantId, accountId, ['password_reset', 'invitation'], now);
    const secret = randomSecret();
    await repo.insertAuthToken(ctx.db, {
      tenantId: ctx.tenantId,
      id: newId(),
      accountId,
      purpose,
      tokenHash: sha256(secret),
      expiresAt: new Date(now.getTime() + minutes * 60_000),
    });
    return `${config.publicUrl}/set-password?token=${ctx.tenantId}.${secret}`;
  }

  async function createSession(ctx: TenantContext, accountId: string, stage: 'second_factor' | 'active', client: ClientInfo): Promise<{ secret: string; id: string; csrfToken: string }> {
    const now = clock.now();
    const secret = randomSecret();
    const id = sha256(secret);
    const csrfToken = randomSecret();
    const lifetimeMinutes = stage === 'active' ? config.session.absoluteHours * 60 : SECOND_FACTOR_MINUTES;
    await repo.insertSession(ctx.db, {
      tenantId: ctx.tenantId,
      id,
      accountId,
      stage,
      csrfToken,
      ip: client.ip,
      userAgent: client.userAgent.slice(0, 300),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + lifetimeMinutes * 60_000),
    });
    return { secret, id, csrfToken };
  }

  /**
   * Step one: email and password. Throttled per IP, locks the account after repeated failures, and answers an
   * unknown email exactly like a wrong password (same message, same hashing time).
   */
  async function login(input: { email: string; password: string }, client: ClientInfo): Promise<LoginResult> {
    const email = input.email.trim().toLowerCase();
    const now = clock.now();
    const source = sourceOf(client.ip);
    const lookup = await db.withPlatform(async (tx) => {
      const limit = await hitRateLimit(tx, `login:ip:${source}`, config.login.attemptsPerIpPer10Minutes, RATE_WINDOW_SECONDS, now);
      return { limit, entry: await findLoginEntryInPlatformScope(tx, email), platform: await findPlatformTenantInPlatformScope(tx) };
    });
    if (!lookup.limit.allowed) return { ok: false, error: 'request.rate_limited', retryAfterSeconds: lookup.limit.retryAfterSeconds };

    if (!lookup.entry) {
      await verifyDecoyPassword(input.password);
      const answer = await db.withPlatform((tx) => unknownEmailFailure(tx, email, source, now));
      if (lookup.platform) {
        const platformId = asTenantId(lookup.platform.id);
        await db.withTenant(platformId, (tx) =>
          recordAudit(signInContext(tx, platformId, client, []), { action: 'auth.login_failed', details: { email, reason: 'unknown_email' } }),
        );
      }
      return answer;
    }

    const tenantId = asTenantId(lookup.entry.tenantId);
    const afterCommit: Array<() => Promise<void>> = [];
    const result = await db.withTenant(tenantId, async (tx): Promise<LoginResult> => {
      const base = signInContext(tx, tenantId, client, afterCommit);
      const account = await findCredentials(base, lookup.entry!.accountId);
      if (!account) return { ok: false, error: 'auth.invalid_credentials' };
      const ctx = asAccount(base, account);

      // Decision 0007: a lock keeps out the address that guessed; only the slower account-wide throttle keeps out all.
      const lockedUntil = account.lockedUntil && account.lockedUntil > now ? account.lockedUntil : await repo.findSourceLock(tx, tenantId, account.id, source, now);
      if (lockedUntil) {
        await verifyDecoyPassword(input.password);
        const reason = lockedUntil === account.lockedUntil ? 'account_throttled' : 'locked';
        await recordAudit(ctx, { action: 'auth.login_blocked', targetType: 'account', targetId: account.id, details: { reason, lockedUntil, source } });
        return { ok: false, error: 'auth.account_locked', retryAfterSeconds: Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000) };
      }
      const passwordOk = account.passwordHash ? await verifyPassword(account.passwordHash, input.password) : (await verifyDecoyPassword(input.password), false);
      if (!passwordOk) return failedPassword(ctx, account, source, now);
      await repo.clearSourceFailures(tx, tenantId, account.id, source);
      const access = await loadAccountAccess(tx, tenantId, account.id);
      if (!access || access.blockedBy) {
        await recordAudit(ctx, { action: 'auth.login_blocked', targetType: 'account', targetId: account.id, details: { reason: access?.blockedBy ?? 'missing' } });
        return { ok: false, error: access?.blockedBy ?? 'auth.invalid_credentials' };
      }
      const session = await createSession(ctx, account.id, 'second_factor', client);
      const method = account.totpEnabledAt ? 'totp' : 'email';
      if (method === 'email') await issueLoginCode(ctx, account, session.id);
      return { ok: true, tenantId, sessionSecret: session.secret, csrfToken: session.csrfToken, challenge: { method, emailHint: maskEmail(account.email) } };
    });
    await runAfterCommit(afterCommit);
    return result;
  }

  /**
   * An email with no account is answered as an account would be: the address that sent `maxFailures` wrong passwords
   * for it is "locked out" for the same time, with the same wait. Otherwise a known address locks at the fifth try
   * and an unknown one never does, and five tries tell anyone which addresses are staff accounts. The counters live
   * in rate_limits under a hash (no email kept for a stranger's typing).
   */
  async function unknownEmailFailure(tx: Tx, email: string, source: string, now: Date): Promise<LoginResult> {
    const id = sha256(`${source}\u0000${email}`);
    const lockKey = `login:unknown-lock:${id}`;
    const lockedUntil = await activeWindowEnd(tx, lockKey, now);
    if (lockedUntil) return { ok: false, error: 'auth.account_locked', retryAfterSeconds: Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000) };
    const countKey = `login:unknown:${id}`;
    const counted = await hitRateLimit(tx, countKey, config.login.maxFailures, 86_400, now);
    if (counted.hits < config.login.maxFailures) return { ok: false, error: 'auth.invalid_credentials' };
    await clearRateLimit(tx, countKey);
    await hitRateLimit(tx, lockKey, 1, config.login.lockoutMinutes * 60, now);
    return { ok: false, error: 'auth.account_locked', retryAfterSeconds: config.login.lockoutMinutes * 60 };
  }

  /** Counts a wrong password for the address and for the account; locks the address, or throttles the account. */
  async function failedPassword(ctx: TenantContext, account: LoginCredentials, source: string, now: Date): Promise<LoginResult> {
    const bySource = await repo.countSourceFailure(ctx.db, { tenantId: ctx.tenantId, accountId: account.id, source, now, maxFailures: config.login.maxFailures, lockoutMinutes: config.login.lockoutMinutes });
    const byAccount = await registerFailedLogin(ctx, account.id, { maxFailures: config.login.accountFailuresPerHour, now });
    await recordAudit(ctx, { action: 'auth.login_failed', targetType: 'account', targetId: account.id, details: { reason: 'wrong_password', source } });
    if (byAccount.tripped && byAccount.lockedUntil) {
      await recordAudit(ctx, { action: 'auth.account_throttled', targetType: 'account', targetId: account.id, details: { lockedUntil: byAccount.lockedUntil, failures: config.login.accountFailuresPerHour } });
      const mail = accountThrottledMail(account.locale, { failures: config.login.accountFailuresPerHour, resetUrl: `${config.publicUrl}/forgot-password` });
      // The alert must not change the answer (nor tell the guesser that a mail went out): a failed send is dropped.
      ctx.afterCommit(() => mailer.send({ to: account.email, ...mail }).catch(() => undefined));
    }
    const lockedUntil = [byAccount.lockedUntil, bySource.lockedUntil].filter((d): d is Date => d !== null && d > now).sort((a, b) => b.getTime() - a.getTime())[0];
    if (!lockedUntil) return { ok: false, error: 'auth.invalid_credentials' };
    if (bySource.failures === config.login.maxFailures) {
      await recordAudit(ctx, { action: 'auth.account_locked', targetType: 'account', targetId: account.id, details: { lockedUntil: bySource.lockedUntil, source } });
    }
    return { ok: false, error: 'auth.account_locked', retryAfterSeconds: Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000) };
  }

  async function isCorrectSecondFactor(ctx: RequestContext, account: LoginCredentials, input: { method: 'totp' | 'email' | 'recovery'; code: string }, now: Date): Promise<boolean> {
    if (input.method === 'totp') {
      if (account.totpEnabledAt === null || account.totpSecretEncrypted === null) return false;
      const step = totpStepOf(deps.keyring.decrypt(account.totpSecretEncrypted), input.code, now);
      // A code is good once: taking its step is a compare-and-set, so a replay (or the same code twice at once) fails.
      return step !== null && claimTotpStep(ctx, account.id, step);
    }
    if (input.method === 'email') {
      const token = await repo.findLatestLoginCode(ctx.db, ctx.tenantId, ctx.sessionId, now);
      if (!token || !constantTimeEqual(token.tokenHash, sha256(`${token.id}:${input.code}`))) return false;
      return repo.consumeToken(ctx.db, ctx.tenantId, token.id, now);
    }
    return account.totpEnabledAt !== null && (await repo.useRecoveryCode(ctx.db, ctx.tenantId, account.id, sha256(normaliseRecoveryCode(input.code)), now));
  }

  /** Step two: a TOTP code, an emailed code or a recovery code. Success replaces the pending session with a fresh one. */
  async function completeSecondFactor(ctx: RequestContext, input: { method: 'totp' | 'email' | 'recovery'; code: string }, client: ClientInfo) {
    const now = clock.now();
    const account = await findCredentials(ctx, ctx.accountId);
    if (!account) throw new AppError('auth.unauthenticated');
    const ok = await isCorrectSecondFactor(ctx, account, input, now);
    if (!ok) {
      const attempts = await repo.incrementSecondFactorAttempts(ctx.db, ctx.tenantId, ctx.sessionId);
      await recordAudit(ctx, { action: 'auth.second_factor_failed', targetType: 'account', targetId: account.id, details: { method: input.method, attempts } });
      if (attempts >= MAX_SECOND_FACTOR_ATTEMPTS) {
        await repo.deleteSession(ctx.db, ctx.tenantId, ctx.sessionId);
        throw new AppError('auth.too_many_code_attempts', undefined, { keepChanges: true });
      }
      throw new AppError('auth.invalid_code', { attemptsLeft: MAX_SECOND_FACTOR_ATTEMPTS - attempts }, { keepChanges: true });
    }
    // The pending session is single-use: of several requests completing it at once (the same code sent twice, or a
    // TOTP code), only the one that ends it opens a signed-in session.
    if (!(await repo.deleteSession(ctx.db, ctx.tenantId, ctx.sessionId))) throw new AppError('auth.unauthenticated');
    const session = await createSession(ctx, account.id, 'active', client);
    await registerSuccessfulLogin(ctx, account.id, now);
    await recordAudit(ctx, { action: 'auth.login', targetType: 'account', targetId: account.id, details: { method: input.method } });
    return { sessionSecret: session.secret, tenantId: ctx.tenantId };
  }

  async function resendLoginCode(ctx: RequestContext): Promise<SecondFactorChallenge> {
    const account = await findCredentials(ctx, ctx.accountId);
    if (!account) throw new AppError('auth.unauthenticated');
    const previous = await repo.findLatestLoginCode(ctx.db, ctx.tenantId, ctx.sessionId, clock.now());
    const waited = previous ? (clock.now().getTime() - previous.createdAt.getTime()) / 1000 : Infinity;
    if (waited < RESEND_COOLDOWN_SECONDS) throw new AppError('request.rate_limited', { retryAfterSeconds: Math.ceil(RESEND_COOLDOWN_SECONDS - waited) });
    await issueLoginCode(ctx, account, ctx.sessionId);
    return { method: 'email', emailHint: maskEmail(account.email) };
  }

  const authenticate: Authenticator = async (tx, { tenantId, secret }) => {
    const now = clock.now();
    const id = sha256(secret);
    const session = await repo.findSession(tx, tenantId, id);
    if (!session) return { error: 'auth.unauthenticated' };
    const idleLimit = session.lastSeenAt.getTime() + config.session.idleMinutes * 60_000;
    if (session.expiresAt <= now || (session.stage === 'active' && idleLimit <= now.getTime())) {
      await repo.deleteSession(tx, tenantId, id);
      return { error: 'auth.session_expired' };
    }
    const access = await loadAccountAccess(tx, tenantId, session.accountId);
    if (!access || access.blockedBy) {
      await repo.deleteSession(tx, tenantId, id);
      return { error: access?.blockedBy ?? 'auth.unauthenticated' };
    }
    // Write the activity stamp at most once a minute: the idle timeout needs no finer grain.
    if (now.getTime() - session.lastSeenAt.getTime() > 60_000) await repo.touchSession(tx, tenantId, id, now);
    const result: AuthenticatedSession = {
      sessionId: id,
      accountId: session.accountId,
      email: access.email,
      stage: session.stage,
      csrfToken: session.csrfToken,
      permissions: access.permissions,
      propertyIds: access.propertyIds,
      locale: access.locale,
      timezone: access.timezone,
    };
    return result;
  };

  async function logout(ctx: RequestContext): Promise<void> {
    await repo.deleteSession(ctx.db, ctx.tenantId, ctx.sessionId);
    await recordAudit(ctx, { action: 'auth.logout', targetType: 'account', targetId: ctx.accountId });
  }

  async function logoutEverywhere(ctx: RequestContext): Promise<number> {
    const count = await repo.deleteAccountSessions(ctx.db, ctx.tenantId, ctx.accountId);
    await recordAudit(ctx, { action: 'auth.logout_everywhere', targetType: 'account', targetId: ctx.accountId, details: { sessions: count } });
    return count;
  }

  /** Always answers the same way, so the form cannot be used to find out which emails have accounts. */
  async function requestPasswordReset(emailInput: string, client: ClientInfo): Promise<void> {
    const email = emailInput.trim().toLowerCase();
    const now = clock.now();
    const lookup = await db.withPlatform(async (tx) => ({
      limit: await hitRateLimit(tx, `reset:${email}`, 5, 3600, now),
      entry: await findLoginEntryInPlatformScope(tx, email),
    }));
    if (!lookup.limit.allowed || !lookup.entry) return;
    const tenantId = asTenantId(lookup.entry.tenantId);
    const afterCommit: Array<() => Promise<void>> = [];
    await db.withTenant(tenantId, async (tx) => {
      const base = signInContext(tx, tenantId, client, afterCommit);
      const account = await findCredentials(base, lookup.entry!.accountId);
      if (!account || account.status !== 'active') return;
      const ctx = asAccount(base, account);
      const link = await issueLink(ctx, account.id, 'password_reset', RESET_LINK_MINUTES);
      await recordAudit(ctx, { action: 'auth.password_reset_requested', targetType: 'account', targetId: account.id });
      ctx.afterCommit(() => sendMail(account.email, passwordResetMail(account.locale, link, RESET_LINK_MINUTES)));
    });
    await runAfterCommit(afterCommit);
  }

  /** Sets a password from a reset or invitation link; signs the account out everywhere. */
  /**
   * Whose link this is, for the set-password page to say so before anything is chosen: the account's email and its
   * hotel group. Only a usable link answers, and nothing is consumed. The email is given in full: whoever holds the
   * link can already set that account's password, and staff with several addresses must recognise which one it is.
   */
  async function describeLink(token: string): Promise<{ email: string; purpose: 'invitation' | 'password_reset'; tenantName: string }> {
    const parsed = LINK_TOKEN.exec(token);
    if (!parsed) throw new AppError('auth.invalid_link');
    const tenantId = asTenantId(parsed[1]!);
    return db.withTenant(tenantId, async (tx) => {
      const link = await repo.findUsableToken(tx, tenantId, sha256(parsed[2]!), ['password_reset', 'invitation'], clock.now());
      if (!link) throw new AppError('auth.invalid_link');
      const base = signInContext(tx, tenantId, { ip: '', userAgent: '', requestId: '' }, []);
      const account = await findCredentials(base, link.accountId);
      if (!account || account.status !== 'active') throw new AppError('auth.invalid_link');
      const tenant = await getCurrentTenant(base);
      return { email: account.email, purpose: link.purpose === 'invitation' ? ('invitation' as const) : ('password_reset' as const), tenantName: tenant.name };
    });
  }

  async function setPasswordWithLink(token: string, password: string, client: ClientInfo): Promise<{ email: string }> {
    const parsed = LINK_TOKEN.exec(token);
    if (!parsed) throw new AppError('auth.invalid_link');
    const tenantId = asTenantId(parsed[1]!);
    const now = clock.now();
    return db.withTenant(tenantId, async (tx) => {
      const link = await repo.findUsableToken(tx, tenantId, sha256(parsed[2]!), ['password_reset', 'invitation'], now);
      if (!link) throw new AppError('auth.invalid_link');
      const base = signInContext(tx, tenantId, client, []);
      const account = await findCredentials(base, link.accountId);
      if (!account || account.status !== 'active') throw new AppError('auth.invalid_link');
      // The link is used once: of several requests presenting it at once, only the one that consumes it goes on (a weak
      // password is refused below and rolls the consumption back, so the link stays usable for a better one).
      if (!(await repo.consumeToken(tx, tenantId, link.id, now))) throw new AppError('auth.invalid_link');
      if (!isAcceptablePassword(password, account.email)) throw new AppError('auth.password_too_weak', { field: 'password' });
      const ctx = asAccount(base, account);
      await storePasswordHash(ctx, account.id, await hashPassword(password), now);
      await repo.clearSourceFailures(tx, tenantId, account.id);
      await repo.consumeOpenTokens(tx, tenantId, account.id, ['password_reset', 'invitation'], now);
      const ended = await repo.deleteAccountSessions(tx, tenantId, account.id);
      await recordAudit(ctx, { action: link.purpose === 'invitation' ? 'auth.invitation_accepted' : 'auth.password_reset', targetType: 'account', targetId: account.id, details: { sessionsEnded: ended } });
      return { email: account.email };
    });
  }

  async function changePassword(ctx: RequestContext, input: { currentPassword: string; newPassword: string }): Promise<void> {
    const account = await findCredentials(ctx, ctx.accountId);
    if (!account) throw new AppError('auth.unauthenticated');
    await confirmPassword(ctx, account, input.currentPassword, { login: config.login, now: clock.now(), field: 'currentPassword' });
    if (!isAcceptablePassword(input.newPassword, account.email)) throw new AppError('auth.password_too_weak', { field: 'newPassword' });
    await storePasswordHash(ctx, account.id, await hashPassword(input.newPassword), clock.now());
    const ended = await repo.deleteAccountSessions(ctx.db, ctx.tenantId, ctx.accountId, ctx.sessionId);
    await recordAudit(ctx, { action: 'auth.password_changed', targetType: 'account', targetId: account.id, details: { otherSessionsEnded: ended } });
  }

  /** Emails a new account its invitation link (the accounts module calls this when an administrator adds someone). */
  const inviteAccount: InviteAccount = async (ctx, account) => {
    const link = await issueLink(ctx, account.id, 'invitation', INVITATION_DAYS * 24 * 60);
    const tenant = await getCurrentTenant(ctx);
    ctx.afterCommit(() => sendMail(account.email, invitationMail(account.locale, { tenantName: tenant.name, displayName: account.displayName, link, days: INVITATION_DAYS })));
  };

  async function resendInvitation(ctx: RequestContext, accountId: string): Promise<void> {
    // A new link lets whoever reads the mail choose the password: the same rules as changing the account.
    await assertMayManageAccount(ctx, accountId);
    const account = await findCredentials(ctx, accountId);
    if (!account) throw new AppError('account.not_found');
    await inviteAccount(ctx, account);
    await recordAudit(ctx, { action: 'account.invitation_sent', targetType: 'account', targetId: account.id });
  }

  async function challengeOf(ctx: RequestContext): Promise<SecondFactorChallenge> {
    const account = await findCredentials(ctx, ctx.accountId);
    if (!account) throw new AppError('auth.unauthenticated');
    return { method: account.totpEnabledAt ? 'totp' : 'email', emailHint: maskEmail(account.email) };
  }

  function accessOf(ctx: RequestContext) {
    return loadAccountAccess(ctx.db, ctx.tenantId, ctx.accountId);
  }

  function listSessions(ctx: RequestContext) {
    return repo.findAccountSessions(ctx.db, ctx.tenantId, ctx.accountId, clock.now());
  }

  return {
    login,
    completeSecondFactor,
    resendLoginCode,
    authenticate,
    logout,
    logoutEverywhere,
    requestPasswordReset,
    describeLink,
    setPasswordWithLink,
    changePassword,
    inviteAccount,
    resendInvitation,
    challengeOf,
    accessOf,
    listSessions,
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

function asAccount(ctx: TenantContext, account: LoginCredentials): TenantContext {
  return { ...ctx, actor: { kind: 'account', accountId: account.id, email: account.email } };
}
