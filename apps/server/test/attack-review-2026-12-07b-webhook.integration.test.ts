import { signBody } from '@innkeeper/line-simulator';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/core/db/database.ts';
import { startSignedIn, type ApiClient } from './api-client.ts';
import type { TestEnv, TestTenant } from './harness.ts';

/**
 * Attack review 2026-12-07b (atk3): migration 0061's check on the webhook path. A signed webhook whose one event
 * carries a malformed userId: no 500 (the body is refused before the database's check is reached), but the whole
 * request is refused, so the batch's other, well-formed events are not stored either.
 */
let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
let channelId: string;
const SECRET = 'd'.repeat(32);

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  const made = await admin.post('/api/line/channels', { name: '台北館 LINE', channelId: '2009000062', channelSecret: SECRET, accessToken: 'atk3-webhook-access-token' });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  channelId = made.body.id;
});
afterAll(() => env.close());

const event = (id: string, userId: string) => ({ type: 'follow', webhookEventId: id, timestamp: 1_765_000_000_000, source: { type: 'user', userId }, replyToken: 'r', mode: 'active', deliveryContext: { isRedelivery: false } });
async function post(events: unknown[]) {
  const body = JSON.stringify({ destination: 'Ubot', events });
  return env.app.inject({ method: 'POST', url: `/api/line/webhook/${tenant.tenantId}/${channelId}`, headers: { 'content-type': 'application/json', 'x-line-signature': signBody(SECRET, body) }, payload: body });
}
const stored = (ids: string[]) =>
  env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ webhook_event_id: string }>(tx, sql`select webhook_event_id from line_webhook_inbox where webhook_event_id = any(${`{${ids.join(',')}}`}::text[])`));

describe('a malformed userId in a signed webhook', () => {
  it('holds: well-formed ids are stored; a comma-joined id is a 400 (not a 500), and the database never sees it', async () => {
    expect((await post([event('01KATK3GOOD0000000000000A', `U${'a'.repeat(32)}`)])).statusCode).toBe(200);
    expect((await stored(['01KATK3GOOD0000000000000A'])).length).toBe(1);
    const refused = await post([event('01KATK3BAD00000000000000B', `U${'a'.repeat(32)},U${'b'.repeat(32)}`)]);
    expect(refused.statusCode).toBe(400);
  });

  it('by design, noted: the batch’s well-formed events are refused with it (nothing of the request is stored)', async () => {
    const answer = await post([event('01KATK3MIX00000000000000C', `U${'c'.repeat(32)}`), event('01KATK3MIX00000000000000D', 'U c')]);
    expect(answer.statusCode).toBe(400);
    expect(await stored(['01KATK3MIX00000000000000C', '01KATK3MIX00000000000000D'])).toEqual([]);
  });
});
