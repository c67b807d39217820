import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from '../../../../test/harness.ts';
import { queryRows } from '../../../core/db/database.ts';
import { databaseError } from '../../../core/errors.ts';
import { newId, type TenantId } from '../../../core/ids.ts';
import { countClicks, receiveClicks, type ClickCount, type NewClick } from '../campaign-clicks.repository.ts';

// The redirect's group commit is one statement that is its own transaction (campaign_clicks_receive, migration 0049;
// campaign_clicks_receive_counted, 0054, which adds the anonymous clicks as sums): it takes the app role and the tenant
// itself. What it stores, what it drops or refuses, and what it leaves behind.

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
      click(hotelCampaign, { lineUserId: 'Ufedcba9876543210fedcba9876543210', via: 'liff' }),
    ];
    expect(await receiveClicks(env.runtime.db, hotel.tenantId, batch)).toBe(2);
    const stored = await rows(hotel.tenantId, batch.map((c) => c.id));
    expect(stored.map((r) => ({ ...r, clicked_at: new Date(r.clicked_at).toISOString() }))).toEqual(
      [
        { id: batch[0]!.id, campaign_id: hotelCampaign, automation_run_id: null, action_id: 'u1', line_user_id: null, status: 'anonymous', via: 'link', clicked_at: '2026-12-06T12:00:00.123Z' },
        { id: batch[1]!.id, campaign_id: hotelCampaign, automation_run_id: null, action_id: 'u2', line_user_id: 'U0123456789abcdef0123456789abcdef', status: 'pending', via: 'liff', clicked_at: '2026-12-06T12:00:00.123Z' },
        { id: batch[2]!.id, campaign_id: hotelCampaign, automation_run_id: null, action_id: 'u1', line_user_id: 'Ufedcba9876543210fedcba9876543210', status: 'pending', via: 'liff', clicked_at: '2026-12-06T12:00:00.123Z' },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
    expect(await receiveClicks(env.runtime.db, hotel.tenantId, [])).toBe(0);
    // A LINE user id with quotes and a backslash (which the array encoding must carry intact) is no LINE user id: the
    // database refuses it (migration 0061), and ID tokens naming one are refused before a click is stored.
    await expect(receiveClicks(env.runtime.db, hotel.tenantId, [click(hotelCampaign, { lineUserId: 'U"quoted\\user', via: 'liff' })])).rejects.toSatisfy(
      (error: unknown) => databaseError(error)?.constraint === 'campaign_clicks_line_user_id_format_check',
    );
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

const MINUTE = new Date('2026-12-06T12:00:00.000Z');
const count = (campaignId: string | null, over: Partial<ClickCount> = {}): ClickCount => ({ campaignId, actionId: 'u1', via: 'link', minute: MINUTE, clicks: 1, ...over });

function sums(tenantId: TenantId, campaignId: string) {
  return env.runtime.db.withTenant(tenantId, (tx) =>
    queryRows<{ action_id: string; via: string; minute: string; clicks: number }>(
      tx,
      sql`select action_id, via, to_char(clicked_minute at time zone 'UTC', 'HH24:MI') as minute, clicks from campaign_click_counts where campaign_id = ${campaignId} order by action_id, via, clicked_minute`,
    ),
  );
}

describe('campaign_clicks_receive_counted (anonymous clicks as sums)', () => {
  it('adds each key’s clicks to its row (a key twice in one batch summed first), keeps identified clicks a row each, and the staff’s counts add both', async () => {
    const campaign = await sentCampaign(hotel.tenantId, '點擊加總');
    const identified = click(campaign, { lineUserId: 'U0123456789abcdef0123456789abcdef', via: 'liff' });
    const batch = [count(campaign, { clicks: 3 }), count(campaign, { actionId: 'u2' }), count(campaign, { clicks: 2 }), count(campaign, { via: 'liff' })];
    expect(await receiveClicks(env.runtime.db, hotel.tenantId, [identified], batch)).toBe(1);
    expect(await receiveClicks(env.runtime.db, hotel.tenantId, [], [count(campaign, { clicks: 4 }), count(campaign, { minute: new Date('2026-12-06T12:01:00.000Z') })])).toBe(0);
    expect(await sums(hotel.tenantId, campaign)).toEqual([
      { action_id: 'u1', via: 'liff', minute: '12:00', clicks: 1 },
      { action_id: 'u1', via: 'link', minute: '12:00', clicks: 9 },
      { action_id: 'u1', via: 'link', minute: '12:01', clicks: 1 },
      { action_id: 'u2', via: 'link', minute: '12:00', clicks: 1 },
    ]);
    expect((await rows(hotel.tenantId, [identified.id])).map((r) => r.status)).toEqual(['pending']);
    // A guest erased later leaves an anonymous row (anonymiseClicksOf): counted with the sums.
    const erased = click(campaign, { actionId: 'u2' });
    await receiveClicks(env.runtime.db, hotel.tenantId, [erased]);
    expect(await env.runtime.db.withTenant(hotel.tenantId, (tx) => countClicks(tx, hotel.tenantId, campaign))).toEqual([
      { action_id: 'u1', clicks: 12, identified: 1, anonymous: 11, guests: 1, pending: 1 },
      { action_id: 'u2', clicks: 2, identified: 0, anonymous: 2, guests: 0, pending: 0 },
    ]);
  });

  it('drops the sums of a campaign or run that is gone, or another tenant’s, and adds the rest', async () => {
    const campaign = await sentCampaign(hotel.tenantId, '點擊加總之二');
    const total = async () => (await env.runtime.db.ownerTransaction((owner) => owner.query<{ n: number }>(`select coalesce(sum(clicks), 0)::int as n from campaign_click_counts`)))[0]!.n;
    const before = await total();
    const batch = [count(randomUUID(), { clicks: 5 }), count(null, { run: { runId: randomUUID(), stepIndex: 0 }, clicks: 6 }), count(otherCampaign, { clicks: 7 }), count(campaign, { clicks: 2 })];
    expect(await receiveClicks(env.runtime.db, hotel.tenantId, [], batch)).toBe(0);
    expect(await sums(hotel.tenantId, campaign)).toEqual([{ action_id: 'u1', via: 'link', minute: '12:00', clicks: 2 }]);
    expect(await sums(other.tenantId, otherCampaign)).toEqual([]);
    expect(await total()).toBe(before + 2);
  });

  it('refuses a call from inside a tenant’s transaction, and leaves no role or tenant on the connection', async () => {
    const refused = await env.runtime.db
      .withTenant(hotel.tenantId, (tx) =>
        tx.execute(sql`select campaign_clicks_receive_counted(${other.tenantId}, '{}'::uuid[], '{}'::uuid[], '{}'::uuid[], '{}'::int[], '{}'::text[], '{}'::text[], '{}'::text[], '{}'::timestamptz[],
                         ${`{${otherCampaign}}`}::uuid[], '{NULL}'::uuid[], '{NULL}'::int[], '{u1}'::text[], '{link}'::text[], ${`{${MINUTE.toISOString()}}`}::timestamptz[], '{1}'::int[])`),
      )
      .then(() => undefined, (error: unknown) => error);
    expect(databaseError(refused)?.code).toBe('42501');
    expect(await sums(other.tenantId, otherCampaign)).toEqual([]);
    await receiveClicks(env.runtime.db, hotel.tenantId, [], [count(hotelCampaign)]);
    const [after] = await env.runtime.db.statement<{ role: string; tenant: string | null }>(sql`select current_user as role, current_setting('app.tenant_id', true) as tenant`);
    expect(after!.role).not.toBe('innkeeper_app');
    expect(after!.tenant ?? '').toBe('');
  });

  it('refuses a minute that is not a whole minute and a count that is not positive (the table’s checks)', async () => {
    const odd = receiveClicks(env.runtime.db, hotel.tenantId, [], [count(hotelCampaign, { minute: new Date('2026-12-06T12:00:30.000Z') })]);
    await expect(odd).rejects.toThrow();
    await expect(receiveClicks(env.runtime.db, hotel.tenantId, [], [count(hotelCampaign, { clicks: 0 })])).rejects.toThrow();
  });
});
