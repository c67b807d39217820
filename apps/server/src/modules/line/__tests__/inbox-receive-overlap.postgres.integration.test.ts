import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from '../../../../test/harness.ts';
import { queryRows } from '../../../core/db/database.ts';
import { newId, type TenantId } from '../../../core/ids.ts';
import { receiveEventBatch } from '../inbox.repository.ts';
import { lineChannels } from '../line.tables.ts';

// Webhook requests stored at once whose events overlap, in other orders (requests grouped into one statement, LINE's
// redeliveries): each statement inserted its events in its own order, and ON CONFLICT waits for another statement's
// insert of the same event, so two could wait on each other: a deadlock, a 500 for one request (CI on PostgreSQL, the
// attack review's 90 overlapping taps). Migration 0067 inserts every statement's events in one order. Staged here with
// pairs of statements holding the same 300 events in opposite orders, at once: every pair deadlocked before.

let env: TestEnv;
let hotel: TestTenant;
let channel: string;

beforeAll(async () => {
  env = await startTestEnv();
  expect(env.engine).toBe('postgres');
  hotel = await createTestTenant(env, { slug: 'overlap-hotel' });
  channel = newId();
  await env.runtime.db.withTenant(hotel.tenantId, (tx) =>
    tx.insert(lineChannels).values({ tenantId: hotel.tenantId, id: channel, name: 'LINE', channelId: `201${Date.now() % 10_000_000}`, channelSecretEncrypted: 'x', accessTokenEncrypted: 'x' }),
  );
}, 120_000);
afterAll(() => env?.close());

const event = (round: number, n: number) => ({ type: 'message', webhookEventId: `OVL${round}-${String(n).padStart(4, '0')}`, timestamp: 1_733_000_000_000 + n, source: { type: 'user', userId: `U${n}` }, message: { type: 'text', id: String(n), text: 'hi' }, mode: 'active' });

describe('overlapping webhook requests stored at once', () => {
  it('the same 300 events in opposite orders, two statements at once, 5 rounds: both succeed, each event stored once', async () => {
    for (let round = 0; round < 5; round += 1) {
      const events = Array.from({ length: 300 }, (_, n) => event(round, n));
      // Each as several requests grouped into one statement, as storeGroup does.
      const bodies = (list: typeof events) => [0, 100, 200].map((from) => JSON.stringify({ destination: 'Ubot', events: list.slice(from, from + 100) }));
      const forward = receiveEventBatch(env.runtime.db, hotel.tenantId as TenantId, channel, bodies(events), events.map(() => newId()));
      const backward = receiveEventBatch(env.runtime.db, hotel.tenantId as TenantId, channel, bodies([...events].reverse()), events.map(() => newId()));
      const outcomes = await Promise.allSettled([forward, backward]);
      expect(outcomes.map((o) => (o.status === 'fulfilled' ? 'stored' : String((o.reason as Error).message)))).toEqual(['stored', 'stored']);
      expect(outcomes.reduce((sum, o) => sum + (o.status === 'fulfilled' ? o.value : 0), 0)).toBe(300);
      const [row] = await env.runtime.db.withTenant(hotel.tenantId, (tx) => queryRows<{ n: number }>(tx, sql`select count(*)::int as n from line_webhook_inbox where webhook_event_id like ${`OVL${round}-%`}`));
      expect(row!.n).toBe(300);
    }
  }, 120_000);
});
