/**
 * A LINE user id as Innkeeper takes one: 1 to 64 ASCII letters and digits (LINE's own are "U" and 32 hex digits; the
 * rule is looser so a change of LINE's length or prefix does not refuse real guests). The database's checks on every
 * table that keeps one (migration 0061) are this same expression, and line-user-id.test.ts holds them to it: a
 * campaign's multicast joins ids with commas (sender.ts), so no other character may reach it by any path. The webhook
 * (webhook.service.ts) and the LIFF ID token's subject (liff-id-tokens.ts) are checked with it.
 */
export const LINE_USER_ID = /^[0-9A-Za-z]{1,64}$/;

export function isLineUserId(value: unknown): value is string {
  return typeof value === 'string' && LINE_USER_ID.test(value);
}
