import { signBody } from '@innkeeper/line-simulator';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/core/db/database.ts';
import { isLineUserId } from '../src/modules/line/line-user-id.ts';
import { startSignedIn, type ApiClient } from './api-client.ts';
import type { TestEnv, TestTenant } from './harness.ts';

/**
 * Attack review 2026-12-07c (atk4): the one LINE user id rule (LINE_USER_ID) on the signed webhook, at its edges: an
 * id the webhook takes is one the database's check (migration 0061) takes, and one it refuses is a 400 before the
 * database, never a 500 (which LINE would retry for ever).
 */
let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
let channelId: string;
const SECRET = 'e'.repeat(32);

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  const made = await admin.post('/api/line/channels', { name: '台中館 LINE', channelId: '2009000077', channelSecret: SECRET, accessToken: 'atk4-webhook-access-token' });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  channelId = made.body.id;
});
afterAll(() => env.close());

const event = (id: string, userId: unknown) => ({ type: 'follow', webhookEventId: id, timestamp: 1_765_000_000_000, source: { type: 'user', userId }, replyToken: 'r', mode: 'active', deliveryContext: { isRedelivery: false } });
async function post(events: unknown[]) {
  const body = JSON.stringify({ destination: 'Ubot', events });
  return env.app.inject({ method: 'POST', url: `/api/line/webhook/${tenant.tenantId}/${channelId}`, headers: { 'content-type': 'application/json', 'x-line-signature': signBody(SECRET, body) }, payload: body });
}
const stored = (id: string) =>
  env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ line_user_id: string }>(tx, sql`select line_user_id from line_webhook_inbox where webhook_event_id = ${id}`));

describe('LINE user ids at the edges of the rule, on the webhook', () => {
  it('holds: 1 and 64 letters and digits are stored as sent; the rest are 400 and never stored', async () => {
    const cases: Array<[unknown, boolean]> = [
      ['U', true], ['9'.repeat(64), true], [`U${'a'.repeat(32)}`, true],
      ['9'.repeat(65), false], ['', false], ['U1\n', false], ['Ｕ１', false], ['U\u0130', false], ['U\u212A', false], ['U 1', false], ['U,1', false], [12345, false], [null, false], [['U1'], false],
    ];
    let n = 0;
    for (const [userId, ok] of cases) {
      n += 1;
      const id = `01KATK4EDGE${String(n).padStart(15, '0')}`;
      const answer = await post([event(id, userId)]);
      expect([answer.statusCode, isLineUserId(userId)], JSON.stringify(userId)).toEqual([ok ? 200 : 400, ok]);
      expect((await stored(id)).map((r) => r.line_user_id), JSON.stringify(userId)).toEqual(ok ? [userId] : []);
    }
  });
});
