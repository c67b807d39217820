import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { systemContext, type TenantContext } from '../../../core/context.ts';
import { queryRows } from '../../../core/db/database.ts';
import { recordInteraction } from '../../members/index.ts';
import { ApiClient, latestLinkToken, signedInAs, startSignedIn } from '../../../../test/api-client.ts';
import { createTestTenant, type TestEnv, type TestTenant } from '../../../../test/harness.ts';

let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
const ids: Record<string, string> = {};
let business: string;
let family: string;
const campaignId = '01900000-0000-7000-8000-00000000c001';

// Today is 2026-11-22 in Asia/Taipei on the test clock.
async function member(key: string, body: Record<string, unknown>, stays: Array<Record<string, unknown>> = []) {
  const created = await admin.post('/api/members', body);
  expect(created.status).toBe(201);
  ids[key] = created.body.id;
  for (const stay of stays) expect((await admin.post(`/api/members/${created.body.id}/stays`, { propertyId: tenant.propertyIds[0], ...stay })).status).toBe(201);
}

async function count(definition: unknown): Promise<number> {
  const response = await admin.post('/api/members/count', { definition });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.count;
}

async function whoMatches(definition: unknown): Promise<string[]> {
  const response = await admin.post('/api/members/search', { definition, pageSize: 200 });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  const byId = Object.fromEntries(Object.entries(ids).map(([k, v]) => [v, k]));
  return response.body.data.map((m: { id: string }) => byId[m.id]).sort();
}

const and = (...conditions: unknown[]) => ({ type: 'group', op: 'and', conditions });
const or = (...conditions: unknown[]) => ({ type: 'group', op: 'or', conditions });

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  business = (await admin.post('/api/tags', { name: '商務客', kind: 'campaign', category: '客群' })).body.id;
  family = (await admin.post('/api/tags', { name: '家庭旅遊', kind: 'basic' })).body.id;

  await member('alice', { lastName: '林', firstName: '愛麗', gender: 'female', marketingOptIn: true, mobile: '0911000111', email: 'alice@example.com', birthday: '1990-03-15' }, [
    { checkIn: '2026-10-01', checkOut: '2026-10-03', roomType: 'DLX', channel: 'direct' },
  ]);
  await member('bob', { lastName: '陳', firstName: '博', gender: 'male', marketingOptIn: false }, [{ checkIn: '2026-09-10', checkOut: '2026-09-11' }]);
  await member('carol', { lastName: '吳', firstName: '佳', gender: 'female', marketingOptIn: true }, [
    { checkIn: '2025-01-01', checkOut: '2025-01-04' },
    { checkIn: '2025-06-01', checkOut: '2025-06-02' },
    { checkIn: '2026-11-20', checkOut: '2026-11-24', status: 'in_house' },
  ]);
  await member('dave', { lastName: '黃', firstName: '大', marketingOptIn: true }, [{ checkIn: '2026-11-28', checkOut: '2026-11-30', status: 'booked' }]);
  await member('erin', { lastName: '蔡', firstName: '怡', marketingOptIn: true });

  await admin.post(`/api/tags/${business}/members`, { memberIds: [ids.alice, ids.bob, ids.carol] });
  await admin.post(`/api/tags/${family}/members`, { memberIds: [ids.carol, ids.dave] });
  // Alice clicked a button of a campaign; Erin was sent it and never reacted.
  await env.runtime.db.withTenant(tenant.tenantId, async (tx) => {
    const ctx: TenantContext = systemContext(tx, tenant.tenantId, 'line');
    await recordInteraction(ctx, [ids.alice!], { type: 'clicked', campaignId, actionId: 'book', occurredAt: env.clock.now(), actor: { type: 'guest' } });
    await recordInteraction(ctx, [ids.alice!, ids.erin!], { type: 'message_sent', campaignId, occurredAt: env.clock.now() });
  });
});
afterAll(() => env.close());

describe('segment conditions', () => {
  it('tag AND stayed within 180 days AND opted in', async () => {
    const definition = and({ type: 'tag', tagId: business }, { type: 'stays', withinDays: 180 }, { type: 'consent', optedIn: true });
    expect(await whoMatches(definition)).toEqual(['alice', 'carol']);
    expect(await count(definition)).toBe(2);
  });

  it('OR, NOT and nested groups', async () => {
    expect(await whoMatches(or({ type: 'tag', tagId: family }, { type: 'gender', values: ['male'] }))).toEqual(['bob', 'carol', 'dave']);
    expect(await whoMatches(and({ type: 'tag', tagId: business, has: false }))).toEqual(['dave', 'erin']);
    expect(await whoMatches({ type: 'group', op: 'and', negate: true, conditions: [{ type: 'consent', optedIn: true }] })).toEqual(['bob']);
    expect(await whoMatches(and(or({ type: 'tag', tagId: family }, { type: 'tag', tagId: business }), { type: 'gender', values: ['female'] }))).toEqual(['alice', 'carol']);
  });

  it('stay history: property, count, nights, room type, check-out window, arriving, in house', async () => {
    expect(await whoMatches(and({ type: 'stays', minCount: 3 }))).toEqual(['carol']);
    expect(await whoMatches(and({ type: 'stays', roomTypes: ['DLX'] }))).toEqual(['alice']);
    expect(await whoMatches(and({ type: 'stays', minNights: 3 }))).toEqual(['carol']);
    expect(await whoMatches(and({ type: 'stays', propertyIds: [tenant.propertyIds[1]] }))).toEqual([]);
    expect(await whoMatches(and({ type: 'last_check_out', withinDays: 60 }))).toEqual(['alice']);
    expect(await whoMatches(and({ type: 'arriving', withinDays: 7 }))).toEqual(['dave']);
    expect(await whoMatches(and({ type: 'in_house' }))).toEqual(['carol']);
    expect(await whoMatches(and({ type: 'total_nights', min: 5 }))).toEqual(['carol']);
    expect(await whoMatches(and({ type: 'stays', from: '2025-01-01', to: '2025-12-31' }))).toEqual(['carol']);
  });

  it('behaviour: clicked campaign X / action Y, received campaign X, no interaction for N days', async () => {
    expect(await whoMatches(and({ type: 'interaction', kind: 'clicked', campaignId }))).toEqual(['alice']);
    expect(await whoMatches(and({ type: 'interaction', kind: 'clicked', campaignId, actionId: 'other' }))).toEqual([]);
    expect(await whoMatches(and({ type: 'interaction', kind: 'received', campaignId }, { type: 'interaction', kind: 'clicked', campaignId }))).toEqual(['alice']);
    expect(await whoMatches(and({ type: 'no_interaction', days: 30 }))).toEqual(['bob', 'carol', 'dave', 'erin']);
  });

  it('member fields, consent, friend status, dates and tag provenance', async () => {
    expect(await whoMatches(and({ type: 'birthday_month', months: [3] }))).toEqual(['alice']);
    expect(await whoMatches(and({ type: 'has_field', field: 'mobile' }))).toEqual(['alice']);
    expect(await whoMatches(and({ type: 'line_status', values: ['never'] }))).toHaveLength(5);
    expect(await whoMatches(and({ type: 'joined', withinDays: 1 }))).toHaveLength(5);
    expect(await whoMatches(and({ type: 'tag', tagId: business, sources: ['campaign'] }))).toEqual([]);
    expect(await whoMatches(and({ type: 'tag', tagId: business, sources: ['staff'], addedWithinDays: 1 }))).toEqual(['alice', 'bob', 'carol']);
  });

  it('refuses malformed definitions with a clear error and unknown tags with 404', async () => {
    const bad = await admin.post('/api/members/count', { definition: and({ type: 'stays', minCount: 0 }, { type: 'nonsense' }) });
    expect(bad.status).toBe(400);
    const unknownTag = await admin.post('/api/members/count', { definition: and({ type: 'tag', tagId: '01900000-0000-7000-8000-0000000000ff' }) });
    expect(unknownTag.status).toBe(404);
    expect(unknownTag.body.error.code).toBe('tag.not_found');
    let deep: unknown = and({ type: 'consent', optedIn: true });
    for (let i = 0; i < 5; i++) deep = and(deep);
    const tooDeep = await admin.post('/api/members/count', { definition: deep });
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.error.details.issues[0].message).toBe('條件群組最多巢狀 4 層。');
  });
});

describe('member list', () => {
  it('searches by name, member number, email and phone in any common format', async () => {
    const search = async (q: string) => (await admin.post('/api/members/search', { q })).body.data.map((m: { id: string }) => m.id);
    expect(await search('愛麗')).toEqual([ids.alice]);
    expect(await search('ALICE@example')).toEqual([ids.alice]);
    expect(await search('0911-000-111')).toEqual([ids.alice]);
    expect(await search('+886 911 000 111')).toEqual([ids.alice]);
    const memberNo = (await admin.get(`/api/members/${ids.carol}`)).body.memberNo;
    expect(await search(memberNo.toLowerCase())).toEqual([ids.carol]);
    expect(await search('%')).toEqual([]);
  });

  it('pages and sorts on the server, with masked contact details and tags in each row', async () => {
    const first = await admin.post('/api/members/search', { sort: 'member_no', page: 1, pageSize: 2 });
    expect(first.body.data).toHaveLength(2);
    expect(first.body.hasMore).toBe(true);
    const last = await admin.post('/api/members/search', { sort: 'member_no', page: 3, pageSize: 2 });
    expect(last.body.data).toHaveLength(1);
    expect(last.body.hasMore).toBe(false);
    const alice = (await admin.post('/api/members/search', { memberIds: [ids.alice] })).body.data[0];
    expect(alice.mobile).toBe('+886 911***111');
    expect(alice.tags.map((t: { name: string }) => t.name)).toEqual(['商務客']);
    const recent = (await admin.post('/api/members/search', { sort: 'recent' })).body.data;
    expect(recent[0].id).toBe(ids.alice);
  });

  it('shows a property-limited account its property’s members and members of no property (decision 0006)', async () => {
    const roles = (await admin.get('/api/roles')).body.data as Array<{ id: string; builtinKey: string }>;
    const scoped = await admin.post('/api/members', { lastName: '台中', propertyId: tenant.propertyIds[1] });
    await admin.post('/api/accounts', { email: 'txg@hotel.example', displayName: '台中館', roleId: roles.find((r) => r.builtinKey === 'customer_service')!.id, allProperties: false, propertyIds: [tenant.propertyIds[1]] });
    await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, 'txg@hotel.example'), password: 'taichung desk 1' });
    const desk = await signedInAs(env, 'txg@hotel.example', 'taichung desk 1');
    const seen = (await desk.post('/api/members/search', { pageSize: 200 })).body.data.map((m: { id: string }) => m.id);
    // Alice to Dave stayed only at 台北館; Erin belongs to no property, so every property's staff find her.
    expect(seen).toContain(scoped.body.id);
    expect(seen).toContain(ids.erin);
    for (const key of ['alice', 'bob', 'carol', 'dave']) expect(seen).not.toContain(ids[key]);
    expect((await desk.get(`/api/members/${ids.alice}`)).status).toBe(404);
    expect((await desk.get(`/api/members/${ids.erin}`)).status).toBe(200);
    expect((await desk.post('/api/members/count', {})).body.count).toBe(seen.length);
  });

  it('refuses property ids that are another tenant’s, or outside a limited account’s properties, with a 400 field error', async () => {
    const other = await createTestTenant(env, { slug: 'other-group', name: '別家飯店' });
    const foreign = and({ type: 'in_house' }, { type: 'group', op: 'or', conditions: [] }, { type: 'stays', propertyIds: [tenant.propertyIds[0], other.propertyIds[0]] });
    const cases = [
      ['/api/members/count', { definition: foreign }],
      ['/api/members/search', { definition: foreign }],
      ['/api/segments', { name: '別家', definition: foreign }],
    ] as const;
    for (const [url, body] of cases) {
      const refused = await admin.post(url, body);
      expect([refused.status, refused.body.error.code], url).toEqual([400, 'request.validation']);
      expect(refused.body.error.details.issues).toEqual([{ path: 'definition.conditions.2.propertyIds.1', code: 'custom', message: '找不到此館別，或您無權查看此館別。' }]);
    }
    const nested = await admin.post('/api/members/count', { definition: and(and({ type: 'home_property', propertyIds: ['01900000-0000-7000-8000-0000000000ee'] })) });
    expect(nested.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['definition.conditions.0.conditions.0.propertyIds.0']);

    const roles = (await admin.get('/api/roles')).body.data as Array<{ id: string; builtinKey: string }>;
    await admin.post('/api/accounts', { email: 'tpe@hotel.example', displayName: '台北館', roleId: roles.find((r) => r.builtinKey === 'customer_service')!.id, allProperties: false, propertyIds: [tenant.propertyIds[0]] });
    await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, 'tpe@hotel.example'), password: 'taipei desk 12' });
    const desk = await signedInAs(env, 'tpe@hotel.example', 'taipei desk 12');
    const own = await desk.post('/api/members/count', { definition: and({ type: 'home_property', propertyIds: [tenant.propertyIds[0]] }) });
    expect(own.status).toBe(200);
    const outside = await desk.post('/api/members/count', { definition: and({ type: 'home_property', propertyIds: [tenant.propertyIds[1]] }) });
    expect([outside.status, outside.body.error.details.issues[0].path]).toEqual([400, 'definition.conditions.0.propertyIds.0']);
  });
});

describe('saved segments and bulk tagging', () => {
  it('saves, renames, reuses and deletes a segment; shows up in the tag’s impact', async () => {
    const definition = and({ type: 'tag', tagId: business }, { type: 'consent', optedIn: true });
    const saved = await admin.post('/api/segments', { name: '商務常客', definition });
    expect(saved.status).toBe(201);
    expect((await admin.post('/api/segments', { name: '商務常客', definition })).body.error.code).toBe('segment.name_taken');
    expect((await admin.post('/api/members/count', { segmentId: saved.body.id })).body.count).toBe(2);
    const impact = await admin.get(`/api/tags/${business}/impact`);
    expect(impact.body.usages).toEqual([{ kind: 'segment', id: saved.body.id, name: '商務常客', blocking: false }]);
    expect((await admin.patch(`/api/segments/${saved.body.id}`, { name: '商務常客（已同意）' })).body.name).toBe('商務常客（已同意）');
    expect((await admin.get('/api/segments')).body.data.map((s: { name: string }) => s.name)).toContain('商務常客（已同意）');
    expect((await admin.delete(`/api/segments/${saved.body.id}`)).status).toBe(204);
  });

  it('adds and removes a tag on a whole audience, recording provenance and history', async () => {
    const vip = (await admin.post('/api/tags', { name: 'VIP 續住', kind: 'basic', validityDays: 90 })).body.id;
    const result = await admin.post('/api/members/bulk-tag', { audience: { definition: and({ type: 'consent', optedIn: true }) }, tagId: vip, change: 'add' });
    expect(result.body).toEqual({ changed: 4, audience: 4 });
    const again = await admin.post('/api/members/bulk-tag', { audience: { definition: and({ type: 'consent', optedIn: true }) }, tagId: vip, change: 'add' });
    expect(again.body.changed).toBe(0);
    const carolTags = (await admin.get(`/api/members/${ids.carol}/tags`)).body.data.find((t: { name: string }) => t.name === 'VIP 續住');
    expect(carolTags).toMatchObject({ source: 'staff', sourceLabel: tenant.adminEmail });
    expect(new Date(carolTags.expiresAt).getTime() - env.clock.now().getTime()).toBe(90 * 86_400_000);

    const removed = await admin.post('/api/members/bulk-tag', { audience: { memberIds: [ids.carol] }, tagId: vip, change: 'remove' });
    expect(removed.body.changed).toBe(1);
    const history = (await admin.get(`/api/members/${ids.carol}/timeline`)).body.data.filter((e: { tagId: string }) => e.tagId === vip).map((e: { type: string }) => e.type);
    expect(history).toEqual(['tag_removed', 'tag_added']);
    const audit = await admin.get(`/api/audit-log?action=tag.&targetId=${vip}`);
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(['tag.bulk_unassigned', 'tag.bulk_assigned', 'tag.bulk_assigned', 'tag.created']);
  });
});

describe('stay windows read from the members’ stay dates', () => {
  const asTenant = <T>(fn: (tx: TenantContext['db']) => Promise<T>) => env.runtime.db.withTenant(tenant.tenantId, fn);

  /** The same question asked of the stays themselves: a live stay with check_in <= hi and check_out >= lo. */
  async function fromStays(lo: string | null, hi: string | null): Promise<string[]> {
    const rows = await asTenant((tx) =>
      queryRows<{ id: string }>(
        tx,
        sql`select m.id from members m where m.deleted_at is null and exists (
              select 1 from member_stays s where s.tenant_id = m.tenant_id and s.member_id = m.id and s.status not in ('cancelled', 'no_show')
                and (${lo}::date is null or s.check_out >= ${lo}::date) and (${hi}::date is null or s.check_in <= ${hi}::date))`,
      ),
    );
    const byId = Object.fromEntries(Object.entries(ids).map(([k, v]) => [v, k]));
    return rows.flatMap((r) => (byId[r.id] ? [byId[r.id]!] : [])).sort();
  }

  async function agreesWithStays(): Promise<void> {
    // Today is 2026-11-22: within 180 days starts on 2026-05-26.
    const windows: Array<[Record<string, unknown>, string | null, string | null]> = [
      [{ withinDays: 180 }, '2026-05-26', '2026-11-22'],
      [{ withinDays: 0 }, '2026-11-22', '2026-11-22'],
      [{ from: '2026-12-01' }, '2026-12-01', null],
      [{ to: '2025-06-01' }, null, '2025-06-01'],
      [{ from: '2025-01-04', to: '2025-01-04' }, '2025-01-04', '2025-01-04'],
      [{ from: '2025-01-05', to: '2025-05-31' }, '2025-01-05', '2025-05-31'],
      [{ from: '2026-01-01', withinDays: 400 }, '2026-01-01', '2026-11-22'],
      [{}, null, null],
    ];
    // Other tests' members have no key here: each side compares the keyed members only.
    const everyone = Object.keys(ids).sort();
    for (const [window, lo, hi] of windows) {
      const stayed = await fromStays(lo, hi);
      expect((await whoMatches(and({ type: 'stays', ...window }))).filter((key) => key !== undefined), JSON.stringify(window)).toEqual(stayed);
      // "Did not stay": members without any stay belong here too.
      const notStayed = (await whoMatches({ type: 'group', op: 'and', negate: true, conditions: [{ type: 'stays', ...window }] })).filter((key) => key !== undefined);
      expect(notStayed, `not ${JSON.stringify(window)}`).toEqual(everyone.filter((key) => !stayed.includes(key)));
    }
    const stale = await asTenant((tx) =>
      queryRows<{ n: number }>(
        tx,
        sql`select count(*)::int as n from members m where m.stay_dates is distinct from (
              select case when count(*) > 100 then null else coalesce(range_agg(daterange(s.check_in, s.check_out, '[]')), '{}') end
              from member_stays s where s.tenant_id = m.tenant_id and s.member_id = m.id and s.status not in ('cancelled', 'no_show'))`,
      ),
    );
    expect(stale[0]!.n).toBe(0);
  }

  it('agree with the stays after adds, status changes, moves and a window asking for one stay spanning it', async () => {
    await member('gina', { lastName: '鄭', firstName: '吉娜' }, [
      { checkIn: '2026-05-20', checkOut: '2026-05-26' },
      { checkIn: '2026-11-01', checkOut: '2026-11-03', status: 'cancelled' },
      { checkIn: '2026-12-10', checkOut: '2026-12-12', status: 'booked' },
    ]);
    await member('hank', { lastName: '馮', firstName: '漢' });
    expect(await whoMatches(and({ type: 'stays', withinDays: 180 }))).toContain('gina');
    await agreesWithStays();

    // Back-to-back stays merge into one range; a window inside neither stay's edges must still ask the stays.
    await admin.post(`/api/members/${ids.hank}/stays`, { propertyId: tenant.propertyIds[0], checkIn: '2026-03-01', checkOut: '2026-03-05' });
    await admin.post(`/api/members/${ids.hank}/stays`, { propertyId: tenant.propertyIds[0], checkIn: '2026-03-05', checkOut: '2026-03-09' });
    expect(await whoMatches(and({ type: 'stays', from: '2026-03-07', to: '2026-03-03' }))).toEqual([]);
    expect(await whoMatches(and({ type: 'stays', from: '2026-03-04', to: '2026-03-02' }))).toEqual(['hank']);

    await asTenant((tx) => tx.execute(sql`update member_stays set status = 'no_show' where member_id = ${ids.gina} and check_in = '2026-05-20'`));
    expect(await whoMatches(and({ type: 'stays', withinDays: 180 }))).not.toContain('gina');
    await agreesWithStays();

    await asTenant((tx) => tx.execute(sql`update member_stays set member_id = ${ids.hank} where member_id = ${ids.gina}`));
    expect(await whoMatches(and({ type: 'stays', from: '2026-12-01' }))).toEqual(['hank']);
    await agreesWithStays();
  });

  it('a guest with more stays than the summary holds is answered from the stays', async () => {
    await member('ivan', { lastName: '許', firstName: '常客' });
    // 101 weekly one-night stays from 2024-01-01, the last one from 2025-12-01 to 2025-12-02.
    await asTenant((tx) =>
      tx.execute(sql`insert into member_stays (tenant_id, id, member_id, property_id, source, check_in, check_out)
                     select ${tenant.tenantId}, gen_random_uuid(), ${ids.ivan}, ${tenant.propertyIds[0]}, 'import', d, d + 1
                     from generate_series(0, 100) as w, lateral (select '2024-01-01'::date + w * 7 as d) as day`),
    );
    const [row] = await asTenant((tx) => queryRows<{ summarised: boolean }>(tx, sql`select stay_dates is not null as summarised from members where id = ${ids.ivan}`));
    expect(row!.summarised).toBe(false);
    expect(await whoMatches(and({ type: 'stays', from: '2025-12-02', to: '2025-12-31' }))).toContain('ivan');
    expect(await whoMatches(and({ type: 'stays', from: '2025-12-03', to: '2025-12-31' }))).not.toContain('ivan');
    expect(await whoMatches(and({ type: 'stays', from: '2024-01-03', to: '2024-01-07' }))).not.toContain('ivan');
    await agreesWithStays();
    await asTenant((tx) => tx.execute(sql`update member_stays set status = 'cancelled' where member_id = ${ids.ivan} and check_in > '2025-06-01'`));
    const [after] = await asTenant((tx) => queryRows<{ summarised: boolean }>(tx, sql`select stay_dates is not null as summarised from members where id = ${ids.ivan}`));
    expect(after!.summarised).toBe(true);
    await agreesWithStays();
  });
});

describe('stays with children (the party 德安 records as ORDER_DT CHILD_QNT)', () => {
  const mine = ['kim', 'leo', 'mia', 'ned', 'oli'];
  const among = async (definition: unknown) => (await whoMatches(definition)).filter((key) => mine.includes(key));

  beforeAll(async () => {
    // Today is 2026-11-22.
    await member('kim', { lastName: '金', firstName: '親子' }, [{ checkIn: '2026-10-10', checkOut: '2026-10-12', roomType: '標準雙人房', adults: 2, children: 2 }]);
    await member('leo', { lastName: '李', firstName: '四友' }, [{ checkIn: '2026-09-01', checkOut: '2026-09-02', roomType: '四人房', adults: 4, children: 0 }]);
    await member('mia', { lastName: '米', firstName: '家庭房' }, [{ checkIn: '2026-08-01', checkOut: '2026-08-03', roomType: '家庭房' }]);
    await member('ned', { lastName: '倪', firstName: '取消' }, [{ checkIn: '2026-07-01', checkOut: '2026-07-02', status: 'cancelled', adults: 2, children: 1 }]);
    await member('oli', { lastName: '歐', firstName: '從前' }, [{ checkIn: '2023-05-01', checkOut: '2023-05-03', adults: 1, children: 1 }]);
  });

  it('finds guests who stayed with children, at least N of them, within a window; cancelled stays do not count', async () => {
    expect(await among(and({ type: 'stays', children: 'with' }))).toEqual(['kim', 'oli']);
    expect(await among(and({ type: 'stays', children: 'with', withinDays: 365 }))).toEqual(['kim']);
    expect(await among(and({ type: 'stays', children: 'with', minChildren: 2 }))).toEqual(['kim']);
    expect(await among(and({ type: 'stays', children: 'with', from: '2023-01-01', to: '2023-12-31' }))).toEqual(['oli']);
    // Nobody else in this tenant has a stay with children: the count agrees.
    expect(await count(and({ type: 'stays', children: 'with' }))).toBe(2);
    expect(await among({ type: 'group', op: 'and', negate: true, conditions: [{ type: 'stays', children: 'with' }] })).toEqual(['leo', 'mia', 'ned']);
  });

  it('tells a party recorded without children from one nobody recorded', async () => {
    expect(await among(and({ type: 'stays', children: 'without' }))).toEqual(['leo']);
    expect(await among(and({ type: 'stays', children: 'unrecorded', roomTypes: ['家庭房', '四人房'] }))).toEqual(['mia']);
  });

  it('the 家庭旅遊推播 rule’s audience: children where the stay records them, family rooms where it does not', async () => {
    const rule = await admin.post('/api/automation/rules/from-template', { templateKey: 'family_travel' });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    // Its tag 家庭客 is new here (nobody has it): a stay with children (kim, oli) or an unrecorded family room (mia);
    // leo's 四人房 of four adults and no children is no family trip, ned's stay with children was cancelled.
    expect(await whoMatches(rule.body.condition.definition)).toEqual(['kim', 'mia', 'oli']);
  });

  it('refuses a children condition that says nothing or cannot be met, with the reason', async () => {
    const orphan = await admin.post('/api/members/count', { definition: and({ type: 'stays', minChildren: 2 }) });
    expect([orphan.status, orphan.body.error.details.issues]).toEqual([400, [{ path: 'definition.conditions.0.minChildren', code: 'custom', message: '「至少幾位小孩」只能搭配「有小孩同行」。' }]]);
    const unrecorded = await admin.post('/api/segments', { name: '未記錄', definition: and({ type: 'stays', children: 'unrecorded', minChildren: 1 }) });
    expect(unrecorded.status).toBe(400);
    for (const bad of [{ children: 'with', minChildren: 100 }, { children: 'with', minChildren: 0 }, { children: 'some' }, { children: 'with', minChildren: 1.5 }]) {
      expect((await admin.post('/api/members/count', { definition: and({ type: 'stays', ...bad }) })).status, JSON.stringify(bad)).toBe(400);
    }
  });

  it('a stay’s party is a whole number from 0 to 99, or not recorded', async () => {
    const stays = (await admin.get(`/api/members/${ids.kim}/stays`)).body.data;
    expect(stays.map((s: { adults: number; children: number }) => [s.adults, s.children])).toEqual([[2, 2]]);
    expect((await admin.get(`/api/members/${ids.mia}/stays`)).body.data[0]).toMatchObject({ adults: null, children: null });
    for (const bad of [{ adults: -1 }, { children: 100 }, { adults: 1.5 }, { children: '2' }]) {
      const refused = await admin.post(`/api/members/${ids.mia}/stays`, { propertyId: tenant.propertyIds[0], checkIn: '2026-11-01', checkOut: '2026-11-02', ...bad });
      expect(refused.status, JSON.stringify(bad)).toBe(400);
    }
  });
});
