import { isRecord } from '../lib/api-error.ts';

/** Router state carried to /login: where to return after sign-in, a notice to show, an email to prefill. */
export type LoginLocationState = { from?: string; notice?: string; success?: string; email?: string };

export function readLoginState(state: unknown): LoginLocationState {
  if (!isRecord(state)) return {};
  const pick = (key: string) => (typeof state[key] === 'string' ? state[key] : undefined);
  const from = pick('from');
  const result: LoginLocationState = {};
  // Only same-app paths, never an absolute URL handed in from elsewhere.
  if (from && from.startsWith('/') && !from.startsWith('//')) result.from = from;
  const notice = pick('notice');
  if (notice) result.notice = notice;
  const success = pick('success');
  if (success) result.success = success;
  const email = pick('email');
  if (email) result.email = email;
  return result;
}
