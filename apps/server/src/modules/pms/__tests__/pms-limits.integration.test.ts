import { sql } from 'drizzle-orm';
import { DEMO_API_KEY } from '@innkeeper/pms-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, latestLinkToken, signedInAs } from '../../../../test/api-client.ts';
import { newId } from '../../../core/ids.ts';
import { createDeanHttpConnector, PmsError } from '../pms.connector.ts';
import { rows, startPmsTestEnv, syncNow, type PmsTestEnv } from './pms-harness.ts';

/**
 * Limits the PMS integration keeps: no database transaction waits on the PMS, an answer's size is bounded, the review
 * list is scoped before its limit, and stay counts are counted, not cut at a page.
 */
let t: PmsTestEnv;
let openTransactions = 0;
let transactionsStarted = 0;
const openWhileAsked: number[] = [];

beforeAll(async () => {
  t = await startPmsTestEnv({
    sync: {
      // The real connector; its health call notes how many transactions are open at that moment.
      connectorFor: (connection, apiKey) => {
        const real = createDeanHttpConnector({ baseUrl: connection.baseUrl, apiKey, hotelCod: connection.hotelCod, timeoutMs: 1500, backoffMs: 50, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), now: Date.now, allowPrivateNetwork: true });
        return { ...real, health: () => (openWhileAsked.push(openTransactions), real.health()) };
      },
    },
  });
  const db = t.env.runtime.db;
  const withTenant = db.withTenant;
  db.withTenant = (tenantId, fn) => {
    openTransactions++;
    transactionsStarted++;
    return withTenant(tenantId, fn).finally(() => openTransactions--);
  };
  await syncNow(t);
}, 120_000);
afterAll(() => t.close());

describe('PMS limits', () => {
  it('tests the connection with no database transaction open while the PMS answers', async () => {
    const before = transactionsStarted;
    const tested = await t.admin.post(`/api/pms/connections/${t.connectionId}/test`, {});
    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({ ok: true, hotels: [{ code: '01' }] });
    // The request did run in a transaction (the counter sees it), and the PMS was asked after it had committed.
    expect(transactionsStarted).toBeGreaterThan(before);
    expect(openWhileAsked).toEqual([0]);
  });

  it('refuses an answer larger than the bound, unread and without retrying, with a clear error', async () => {
    const requestsBefore = ((await (await fetch(`${new URL(t.pms.url).origin}/_sim/stats`)).json()) as { requests: number }).requests;
    const connector = createDeanHttpConnector({ baseUrl: t.pms.url, apiKey: DEMO_API_KEY, maxResponseBytes: 20_000, attempts: 4, backoffMs: 10, sleep: async () => undefined, now: Date.now, allowPrivateNetwork: true });
    const error = await connector.pullProfiles({ since: null, cursor: null, limit: 500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PmsError);
    expect((error as PmsError).code).toBe('response_too_large');
    expect((error as PmsError).retryable).toBe(false);
    expect((error as PmsError).message).toMatch(/larger than/);
    const requestsAfter = ((await (await fetch(`${new URL(t.pms.url).origin}/_sim/stats`)).json()) as { requests: number }).requests;
    expect(requestsAfter - requestsBefore).toBe(1);
    // A small page still fits.
    expect((await connector.pullProfiles({ since: null, cursor: null, limit: 2 })).rows).toHaveLength(2);
  });

  it('counts every stay of a profile on the member page, more than a page of them too', async () => {
    const [linked] = await rows<{ gcust_cod: string; member_id: string; connection_id: string }>(t, sql`select gcust_cod, member_id, connection_id from pms_profiles where member_id is not null order by gcust_cod limit 1`);
    const [{ n: before }] = await rows<{ n: number }>(t, sql`select count(*)::int as n from pms_stays where gcust_cod = ${linked!.gcust_cod}`) as [{ n: number }];
    await rows(
      t,
      sql`insert into pms_stays (tenant_id, connection_id, stay_key, gcust_cod, hotel_cod, upd_dat, row_hash, check_in, check_out, status)
          select ${t.tenant.tenantId}, ${linked!.connection_id}, 'LIMIT-' || i, ${linked!.gcust_cod}, '01', '2020-01-01 00:00:00', 'h' || i,
                 date '2001-01-01' + i, date '2001-01-02' + i, 'checked_out' from generate_series(1, 250) i returning stay_key`,
    );
    const profiles = await t.admin.get(`/api/members/${linked!.member_id}/pms-profiles`);
    expect(profiles.status).toBe(200);
    const view = (profiles.body.data as Array<{ gcustCod: string; stays: number }>).find((p) => p.gcustCod === linked!.gcust_cod)!;
    expect(view.stays).toBe(before + 250);
  });

  it('scopes the review list before its page: a property’s staff see their case behind 200 of another property; pages, totals and the reason filter', async () => {
    const [tpe, txg] = t.tenant.propertyIds as [string, string];
    const mine = await t.admin.post('/api/members', { lastName: '台北', firstName: '會員', propertyId: tpe });
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    const others: string[] = [];
    for (let i = 0; i < 201; i++) {
      const other = await t.admin.post('/api/members', { lastName: '台中', firstName: `會員${i}`, propertyId: txg });
      others.push(other.body.id);
    }
    const insertCase = (memberId: string, hoursAhead: number) =>
      rows(
        t,
        sql`insert into pms_review_cases (tenant_id, id, connection_id, member_id, candidates, reasons, fingerprint, status, created_at, updated_at)
            values (${t.tenant.tenantId}, ${newId()}, ${t.connectionId}, ${memberId}, '[]'::jsonb, '{name_conflict}', ${newId()}, 'open',
                    now() + make_interval(hours => ${hoursAhead}), now()) returning id`,
      );
    const [{ id: myCase }] = (await insertCase(mine.body.id, 1)) as [{ id: string }];
    for (const id of others) await insertCase(id, 24);

    const roleId = ((await t.admin.get('/api/roles')).body.data as Array<{ id: string; builtinKey: string }>).find((r) => r.builtinKey === 'customer_service')!.id;
    const email = 'tpe-desk@pms-limits.example';
    expect((await t.admin.post('/api/accounts', { email, displayName: email, roleId, allProperties: false, propertyIds: [tpe] })).status).toBe(201);
    await new ApiClient(t.env).post('/api/auth/set-password', { token: await latestLinkToken(t.env, email), password: 'long enough passphrase' });
    const desk = await signedInAs(t.env, email, 'long enough passphrase');

    const list = await desk.get('/api/pms/reviews');
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    const ids = (list.body.data as Array<{ id: string; member: { id: string } }>).map((r) => r.id);
    expect(ids[0]).toBe(myCase);
    expect((list.body.data as Array<{ member: { id: string } }>).some((r) => others.includes(r.member.id))).toBe(false);
    // The total counts only what this account sees.
    const deskTotal = list.body.total as number;
    expect(deskTotal).toBe(ids.length);
    // The group's administrator pages through all of them: 20 a page by default, the total beside.
    const first = await t.admin.get('/api/pms/reviews');
    expect(first.body).toMatchObject({ page: 1, pageSize: 20 });
    expect(first.body.data).toHaveLength(20);
    const total = first.body.total as number;
    expect(total).toBe(deskTotal + 201);
    const big = await t.admin.get('/api/pms/reviews?pageSize=200');
    expect(big.body.data).toHaveLength(200);
    const rest = await t.admin.get('/api/pms/reviews?pageSize=200&page=2');
    expect(rest.body.data).toHaveLength(total - 200);
    // Pages do not overlap and miss nothing.
    const seen = new Set([...big.body.data, ...rest.body.data].map((r: { id: string }) => r.id));
    expect(seen.size).toBe(total);
    // Past the end: an empty page, the total still said.
    const past = await t.admin.get('/api/pms/reviews?page=99');
    expect(past.body).toMatchObject({ data: [], total });
    // The reason filter is kept across pages and counted the same way.
    const byReason = await t.admin.get('/api/pms/reviews?reason=name_conflict&page=2');
    expect(byReason.body.total).toBeGreaterThanOrEqual(202);
    expect((byReason.body.data as Array<{ reasons: string[] }>).every((r) => r.reasons.includes('name_conflict'))).toBe(true);
    const another = await t.admin.get('/api/pms/reviews?reason=id_several_persons');
    expect((another.body.data as Array<{ reasons: string[] }>).every((r) => r.reasons.includes('id_several_persons'))).toBe(true);
    expect(another.body.total).toBeLessThan(total);
    // A filter the route does not know the shape of is refused.
    expect((await t.admin.get('/api/pms/reviews?reason=DROP%20TABLE')).status).toBe(400);
    expect((await t.admin.get('/api/pms/reviews?pageSize=500')).status).toBe(400);
  }, 120_000);
});
