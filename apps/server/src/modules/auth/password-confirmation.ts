import type { Config } from '../../config/config.ts';
import type { RequestContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import type { LoginCredentials } from '../accounts/index.ts';
import * as repo from './auth.repository.ts';
import { verifyDecoyPassword, verifyPassword } from './secrets.ts';
import { sourceOf } from '../../core/http/source-address.ts';

/**
 * Checks the current password asked for inside a session (changing it, recovery codes, turning the authenticator
 * off) against the sign-in form's budget (decision 0007): a wrong one counts for the account and the address, and a
 * locked-out address is refused before any password is tried. Otherwise whoever finds a browser left signed in could
 * guess the password without limit and keep the account after the session ends.
 */
export async function confirmPassword(ctx: RequestContext, account: LoginCredentials, password: string, policy: { login: Config['login']; now: Date; field: string }): Promise<void> {
  const source = sourceOf(ctx.ip);
  const lockedUntil = await repo.findSourceLock(ctx.db, ctx.tenantId, account.id, source, policy.now);
  if (lockedUntil) {
    await verifyDecoyPassword(password);
    throw new AppError('auth.account_locked', { retryAfterSeconds: Math.ceil((lockedUntil.getTime() - policy.now.getTime()) / 1000) });
  }
  if (account.passwordHash && (await verifyPassword(account.passwordHash, password))) return;
  await repo.countSourceFailure(ctx.db, { tenantId: ctx.tenantId, accountId: account.id, source, now: policy.now, maxFailures: policy.login.maxFailures, lockoutMinutes: policy.login.lockoutMinutes });
  // keepChanges: the failure is counted although the request fails.
  throw new AppError('auth.wrong_password', { field: policy.field }, { keepChanges: true });
}
