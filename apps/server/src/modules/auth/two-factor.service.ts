import type { Config } from '../../config/config.ts';
import type { RequestContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { claimTotpStep, findCredentials, storeTotpSecret, type LoginCredentials } from '../accounts/index.ts';
import { recordAudit } from '../audit/index.ts';
import * as repo from './auth.repository.ts';
import type { AuthDeps } from './auth.service.ts';
import { confirmPassword } from './password-confirmation.ts';
import { randomRecoveryCode, sha256 } from './secrets.ts';
import { newTotpSecret, totpEnrolment, totpStepOf } from './totp.ts';

const RECOVERY_CODE_COUNT = 10;

/** Authenticator-app enrolment: start (secret + QR), confirm with a first code (then recovery codes), disable. */
export function createTwoFactorService(deps: Pick<AuthDeps, 'clock' | 'keyring'> & { login: Config['login'] }) {
  const { clock, keyring } = deps;

  async function requireAccount(ctx: RequestContext): Promise<LoginCredentials> {
    const account = await findCredentials(ctx, ctx.accountId);
    if (!account) throw new AppError('auth.unauthenticated');
    return account;
  }

  function requirePassword(ctx: RequestContext, account: LoginCredentials, password: string): Promise<void> {
    return confirmPassword(ctx, account, password, { login: deps.login, now: clock.now(), field: 'password' });
  }

  async function issueRecoveryCodes(ctx: RequestContext): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, randomRecoveryCode);
    await repo.replaceRecoveryCodes(ctx.db, ctx.tenantId, ctx.accountId, codes.map(sha256));
    return codes;
  }

  /** Stores a new secret (not yet active) and returns what the authenticator app scans. */
  async function startTotpEnrolment(ctx: RequestContext) {
    const account = await requireAccount(ctx);
    if (account.totpEnabledAt) throw new AppError('auth.totp_already_enabled');
    const secret = newTotpSecret();
    await storeTotpSecret(ctx, account.id, keyring.encrypt(secret), null);
    return totpEnrolment(secret, account.email);
  }

  /** The first correct code proves the app is set up; from then on sign-in asks for it. */
  async function confirmTotpEnrolment(ctx: RequestContext, code: string): Promise<{ recoveryCodes: string[] }> {
    const account = await requireAccount(ctx);
    if (account.totpEnabledAt) throw new AppError('auth.totp_already_enabled');
    if (!account.totpSecretEncrypted) throw new AppError('auth.totp_not_enrolling');
    const now = clock.now();
    const step = totpStepOf(keyring.decrypt(account.totpSecretEncrypted), code, now);
    // The enrolment's code is taken too, so it cannot be replayed to sign in.
    if (step === null || !(await claimTotpStep(ctx, account.id, step))) throw new AppError('auth.invalid_code', { field: 'code' });
    await storeTotpSecret(ctx, account.id, account.totpSecretEncrypted, now);
    const recoveryCodes = await issueRecoveryCodes(ctx);
    await recordAudit(ctx, { action: 'auth.totp_enabled', targetType: 'account', targetId: account.id });
    return { recoveryCodes };
  }

  async function disableTotp(ctx: RequestContext, password: string): Promise<void> {
    const account = await requireAccount(ctx);
    if (!account.totpEnabledAt) throw new AppError('auth.totp_not_enabled');
    await requirePassword(ctx, account, password);
    await storeTotpSecret(ctx, account.id, null, null);
    await repo.replaceRecoveryCodes(ctx.db, ctx.tenantId, account.id, []);
    await recordAudit(ctx, { action: 'auth.totp_disabled', targetType: 'account', targetId: account.id });
  }

  async function regenerateRecoveryCodes(ctx: RequestContext, password: string): Promise<{ recoveryCodes: string[] }> {
    const account = await requireAccount(ctx);
    if (!account.totpEnabledAt) throw new AppError('auth.totp_not_enabled');
    await requirePassword(ctx, account, password);
    const recoveryCodes = await issueRecoveryCodes(ctx);
    await recordAudit(ctx, { action: 'auth.recovery_codes_regenerated', targetType: 'account', targetId: account.id });
    return { recoveryCodes };
  }

  function countRecoveryCodes(ctx: RequestContext): Promise<number> {
    return repo.countUnusedRecoveryCodes(ctx.db, ctx.tenantId, ctx.accountId);
  }

  return { startTotpEnrolment, confirmTotpEnrolment, disableTotp, regenerateRecoveryCodes, countRecoveryCodes };
}

export type TwoFactorService = ReturnType<typeof createTwoFactorService>;
