import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from '../../../../test/harness.ts';
import { queryRows } from '../../../core/db/database.ts';
import { databaseError } from '../../../core/errors.ts';
import { newId, type TenantId } from '../../../core/ids.ts';
import { receiveClicks, type NewClick } from '../campaign-clicks.repository.ts';

// The redirect's group commit is one statement that is its own transaction (campaign_clicks_receive, migration 0049):
// it takes the app role and the tenant itself. What it stores, what it drops or refuses, and what it leaves behind.

let env: TestEnv;
let hotel: TestTenant;
let other: TestTenant;
let hotelCampaign: string;
let otherCampaign: string;

async function sentCampaign(tenantId: TenantId, name: string): Promise<string> {
  const id = randomUUID();
  await env.runtime.db.ownerTransaction((owner) =>
    owner.query(`insert into campaigns (tenant_id, id, name, status, messages) values ($1, $2, $3, 'sent', '[]')`, [tenantId, id, name]),
  );
  return id;
}

const click = (campaignId: string | null, over: Partial<NewClick> = {}): NewClick => ({ id: newId(), campaignId, actionId: 'u1', lineUserId: null, via: 'link', clickedAt: new Date('2026-12-06T12:00:00.123Z'), ...over });

function rows(tenantId: TenantId, ids: string[]) {
  return env.runtime.db.withTenant(tenantId, (tx) =>
    queryRows<{ id: string; campaign_id: string | null; automation_run_id: string | null; action_id: string; line_user_id: string | null; status: string; via: string; clicked_at: Date | string }>(
      tx,
      sql`select id, campaign_id, automation_run_id, action_id, line_user_id, status, via, clicked_at from campaign_clicks where id = any(${`{${ids.join(',')}}`}::uuid[]) order by id`,
    ),
  );
}

beforeAll(async () => {
  env = await startTestEnv();
  hotel = await createTestTenant(env, { slug: 'clicks-receive-hotel' });
  other = await createTestTenant(env, { slug: 'clicks-receive-other' });
  hotelCampaign = await sentCampaign(hotel.tenantId, '點擊收件');
  otherCampaign = await sentCampaign(other.tenantId, '別家的活動');
});
afterAll(async () => {
  await env.close();
});

describe('campaign_clicks_receive', () => {
  it('stores every click of the batch as sent, anonymous without a LINE user and pending with one, and says how many are pending', async () => {
    const batch = [
      click(hotelCampaign),
      click(hotelCampaign, { lineUserId: 'U0123456789abcdef0123456789abcdef', via: 'liff', actionId: 'u2' }),
      click(hotelCampaign, { lineUserId: 'U"quoted\\user', via: 'liff' }),
    ];
    expect(await receiveClicks(env.runtime.db, hotel.tenantId, batch)).toBe(2);
    const stored = await rows(hotel.tenantId, batch.map((c) => c.id));
    expect(stored.map((r) => ({ ...r, clicked_at: new Date(r.clicked_at).toISOString() }))).toEqual(
      [
        { id: batch[0]!.id, campaign_id: hotelCampaign, automation_run_id: null, action_id: 'u1', line_user_id: null, status: 'anonymous', via: 'link', clicked_at: '2026-12-06T12:00:00.123Z' },
        { id: batch[1]!.id, campaign_id: hotelCampaign, automation_run_id: null, action_id: 'u2', line_user_id: 'U0123456789abcdef0123456789abcdef', status: 'pending', via: 'liff', clicked_at: '2026-12-06T12:00:00.123Z' },
        { id: batch[2]!.id, campaign_id: hotelCampaign, automation_run_id: null, action_id: 'u1', line_user_id: 'U"quoted\\user', status: 'pending', via: 'liff', clicked_at: '2026-12-06T12:00:00.123Z' },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
    expect(await receiveClicks(env.runtime.db, hotel.tenantId, [])).toBe(0);
  });

  it('drops a click whose campaign or run is gone, or is another tenant’s, and stores the rest of the batch', async () => {
    const kept = click(hotelCampaign, { lineUserId: 'U1', via: 'liff' });
    const gone = click(randomUUID(), { lineUserId: 'U2', via: 'liff' });
    const noRun = click(null, { run: { runId: randomUUID(), stepIndex: 1 } });
    const theirs = click(otherCampaign);
    expect(await receiveClicks(env.runtime.db, hotel.tenantId, [gone, kept, noRun, theirs])).toBe(1);
    expect((await rows(hotel.tenantId, [kept.id, gone.id, noRun.id, theirs.id])).map((r) => r.id)).toEqual([kept.id]);
    expect(await rows(other.tenantId, [theirs.id])).toEqual([]);
  });

  it('refuses a call from inside a tenant’s transaction, where the tenant it set would outlive the call', async () => {
    const c = click(otherCampaign);
    const refused = await env.runtime.db
      .withTenant(hotel.tenantId, (tx) =>
        tx.execute(sql`select campaign_clicks_receive(${other.tenantId}, ${`{${c.id}}`}::uuid[], ${`{${otherCampaign}}`}::uuid[], '{NULL}'::uuid[], '{NULL}'::int[], '{u1}'::text[], '{NULL}'::text[], '{link}'::text[], ${`{${c.clickedAt.toISOString()}}`}::timestamptz[])`),
      )
      .then(() => undefined, (error: unknown) => error);
    expect(databaseError(refused)?.code).toBe('42501');
    expect(await rows(other.tenantId, [c.id])).toEqual([]);
  });

  it('commits asynchronously (the setting outlives the function up to the commit), and leaves no role or tenant on the connection', async () => {
    const c = click(hotelCampaign);
    // In one transaction of the owner's (whose role is not switched, so the call is allowed): after the function, the
    // transaction is the owner's again with no tenant (0051), and its commit will not wait for the WAL flush.
    const [before] = await env.runtime.db.statement<{ sync: string }>(sql`select current_setting('synchronous_commit') as sync`);
    const inside = await env.runtime.db.ownerTransaction(async (owner) => {
      const [called] = await owner.query<{ pending: number }>(
        `select campaign_clicks_receive($1, $2::uuid[], $3::uuid[], '{NULL}'::uuid[], '{NULL}'::int[], '{u1}'::text[], '{NULL}'::text[], '{link}'::text[], $4::timestamptz[]) as pending`,
        [hotel.tenantId, `{${c.id}}`, `{${hotelCampaign}}`, `{${c.clickedAt.toISOString()}}`],
      );
      const [state] = await owner.query<{ sync: string; own: boolean; tenant: string }>(`select current_setting('synchronous_commit') as sync, current_user = session_user as own, current_setting('app.tenant_id') as tenant`);
      return { ...called, ...state };
    });
    expect(inside).toEqual({ pending: 0, sync: 'off', own: true, tenant: '' });
    expect(await rows(hotel.tenantId, [c.id])).toHaveLength(1);

    await receiveClicks(env.runtime.db, hotel.tenantId, [click(hotelCampaign)]);
    const [after] = await env.runtime.db.statement<{ role: string; tenant: string | null; sync: string }>(
      sql`select current_user as role, current_setting('app.tenant_id', true) as tenant, current_setting('synchronous_commit') as sync`,
    );
    expect(after!.role).not.toBe('innkeeper_app');
    expect(after!.tenant ?? '').toBe('');
    expect(after!.sync).toBe(before!.sync);
  });
});
