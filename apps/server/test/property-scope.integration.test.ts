import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { parse } from 'csv-parse/sync';
import { systemContext as contextForSystem, type TenantContext } from '../src/core/context.ts';
import { newId } from '../src/core/ids.ts';
import { ApiClient, latestLinkToken, signedInAs, startSignedIn } from './api-client.ts';
import type { TestEnv, TestTenant } from './harness.ts';

// Who a property-scoped account sees (docs/decisions/0006-property-scope.md): home property, a live stay, or no
// property at all; the same set in every list, count, export, log and detail.
let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
let taipeiMarketing: ApiClient;
let taipeiDesk: ApiClient;
const ids: Record<string, string> = {};
const numbers: Record<string, string> = {};

function systemContext(tx: TenantContext['db']): TenantContext {
  return contextForSystem(tx, tenant.tenantId, 'line');
}

async function scopedAccount(email: string, roleKey: string, propertyIds: string[]): Promise<ApiClient> {
  const roles = (await admin.get('/api/roles')).body.data as Array<{ id: string; builtinKey: string }>;
  const created = await admin.post('/api/accounts', { email, displayName: email, roleId: roles.find((r) => r.builtinKey === roleKey)!.id, allProperties: false, propertyIds });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, email), password: 'long enough passphrase' });
  return signedInAs(env, email, 'long enough passphrase');
}

async function member(key: string, body: Record<string, unknown>, stays: Array<{ property: number; status?: string }> = []) {
  const created = await admin.post('/api/members', body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  ids[key] = created.body.id;
  numbers[key] = created.body.memberNo;
  await addStays(key, stays);
}

async function addStays(key: string, stays: Array<{ property: number; status?: string }>) {
  for (const stay of stays) {
    const response = await admin.post(`/api/members/${ids[key]}/stays`, { propertyId: tenant.propertyIds[stay.property], checkIn: '2026-10-01', checkOut: '2026-10-02', ...(stay.status ? { status: stay.status } : {}) });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
  }
}

/** A LINE friend as the worker records one: through the group's channel (null) or a property's channel. */
async function friend(key: string, propertyId: string | null) {
  const lineUserId = `U${newId().replace(/-/g, '')}`;
  const { member: row } = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
    env.runtime.memberLine.recordFollow(systemContext(tx), { lineUserId, propertyId, at: env.clock.now(), isUnblocked: false }),
  );
  ids[key] = row.id;
  numbers[key] = row.memberNo;
  return lineUserId;
}

/** A binding review as the LIFF binding leaves one, weighing the given candidates (its typed data is not read here). */
async function review(lineUserId: string, candidates: string[]): Promise<string> {
  const id = newId();
  await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
    tx.execute(sql`insert into binding_reviews (tenant_id, id, channel_id, line_user_id, submitted_masked, submitted_encrypted, candidate_member_ids, reason)
                   values (${tenant.tenantId}, ${id}, ${newId()}, ${lineUserId}, '{}'::jsonb, 'x', ${`{${candidates.join(',')}}`}::uuid[], 'ambiguous')`),
  );
  return id;
}

async function listed(client: ApiClient, body: Record<string, unknown> = {}): Promise<string[]> {
  const response = await client.post('/api/members/search', { pageSize: 100, ...body });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.data.map((m: { id: string }) => m.id).sort();
}

async function exportedNumbers(client: ApiClient): Promise<string[]> {
  const headers = { 'content-type': 'application/json', cookie: client.cookie ?? '', 'x-csrf-token': client.csrfToken ?? '' };
  const response = await client.app.inject({ method: 'POST', url: '/api/members/export', headers, payload: JSON.stringify({ audience: {}, format: 'csv', columns: ['memberNo'] }) });
  expect(response.statusCode, response.body).toBe(200);
  const rows = parse(response.rawPayload, { bom: true, columns: false }) as string[][];
  return rows.slice(1).map((r) => r[0]!).sort();
}

const byKeys = (keys: string[]) => keys.map((k) => ids[k]!).sort();

let friendLineUsers: Record<string, string> = {};

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  // Started as every process starts it: a dismissed review queues the guest's LINE message (drained by no test here).
  await env.runtime.queue.start({ work: true });
  // Property 0 is 台北館, property 1 台中館.
  await member('taipeiHome', { lastName: '台北', firstName: '本館', propertyId: tenant.propertyIds[0] });
  await member('taichungGuestStayedInTaipei', { lastName: '台中', firstName: '住過台北', propertyId: tenant.propertyIds[1] }, [{ property: 0, status: 'booked' }]);
  await member('taichungCancelledTaipei', { lastName: '台中', firstName: '取消台北', propertyId: tenant.propertyIds[1] }, [{ property: 0, status: 'cancelled' }]);
  await member('taichungOnly', { lastName: '台中', firstName: '本館', propertyId: tenant.propertyIds[1] });
  await member('groupProspect', { lastName: '集團', firstName: '潛在客' });
  friendLineUsers = {
    groupFriend: await friend('groupFriend', null),
    groupFriendStayedTaichung: await friend('groupFriendStayedTaichung', null),
    taichungChannelFriend: await friend('taichungChannelFriend', tenant.propertyIds[1]!),
    taipeiChannelFriend: await friend('taipeiChannelFriend', tenant.propertyIds[0]!),
  };
  await addStays('groupFriendStayedTaichung', [{ property: 1 }]);
  taipeiMarketing = await scopedAccount('tpe-mkt@hotel.example', 'marketing', [tenant.propertyIds[0]!]);
  taipeiDesk = await scopedAccount('tpe-desk@hotel.example', 'customer_service', [tenant.propertyIds[0]!]);
});
afterAll(() => env.close());

const TAIPEI_SEES = ['taipeiHome', 'taichungGuestStayedInTaipei', 'groupProspect', 'groupFriend', 'taipeiChannelFriend'];
const TAIPEI_DOES_NOT_SEE = ['taichungCancelledTaipei', 'taichungOnly', 'groupFriendStayedTaichung', 'taichungChannelFriend'];

describe('who a property-scoped account sees', () => {
  it('sees home-property members, guests with a live stay there, and members of no property; not the others', async () => {
    expect(await listed(admin)).toEqual(byKeys([...TAIPEI_SEES, ...TAIPEI_DOES_NOT_SEE]));
    expect(await listed(taipeiMarketing)).toEqual(byKeys(TAIPEI_SEES));
  });

  it('the member list, count, segment count, export, tag counts and follow log all hold the same members; others are not found', async () => {
    const seen = byKeys(TAIPEI_SEES);
    expect(await listed(taipeiMarketing)).toEqual(seen);
    expect((await taipeiMarketing.post('/api/members/count', {})).body.count).toBe(seen.length);
    const everyone = { type: 'group', op: 'and', conditions: [{ type: 'line_status', values: ['following', 'blocked', 'never'] }] };
    const segmentCount = await taipeiMarketing.post('/api/members/count', { definition: everyone });
    expect(segmentCount.status, JSON.stringify(segmentCount.body)).toBe(200);
    expect(segmentCount.body.count).toBe(seen.length);
    expect(await listed(taipeiMarketing, { definition: everyone })).toEqual(seen);
    expect(await exportedNumbers(taipeiMarketing)).toEqual(TAIPEI_SEES.map((k) => numbers[k]!).sort());

    const tag = (await admin.post('/api/tags', { name: '全部', kind: 'basic' })).body.id;
    expect((await admin.post(`/api/tags/${tag}/members`, { memberIds: Object.values(ids) })).status).toBeLessThan(300);
    const tagRow = (await taipeiMarketing.get('/api/tags')).body.data.find((t: { id: string }) => t.id === tag);
    expect(tagRow.memberCount).toBe(seen.length);

    const log = await taipeiMarketing.get(`/api/line/follow-log?from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z`);
    expect(log.status, JSON.stringify(log.body)).toBe(200);
    const logged = log.body.data.map((e: { member: { id: string } }) => e.member.id).sort();
    expect(logged).toEqual(byKeys(['groupFriend', 'taipeiChannelFriend']));
    const dailyTotal = log.body.daily.reduce((n: number, d: { followed: number }) => n + d.followed, 0);
    expect(dailyTotal).toBe(2);
    // The follow log never lists a member the account cannot open.
    for (const id of logged) expect((await taipeiMarketing.get(`/api/members/${id}`)).status).toBe(200);

    for (const key of TAIPEI_SEES) expect((await taipeiMarketing.get(`/api/members/${ids[key]}`)).status, key).toBe(200);
    for (const key of TAIPEI_DOES_NOT_SEE) {
      const response = await taipeiMarketing.get(`/api/members/${ids[key]}`);
      expect(response.status, key).toBe(404);
      expect(response.body.error.code).toBe('member.not_found');
    }
    // The group-level administrator's follow log holds all four friends.
    const all = await admin.get(`/api/line/follow-log?from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z`);
    expect(all.body.data).toHaveLength(4);
  });

  it('the follow log leaves out members in the trash, whose page no one can open, and shows them again once restored', async () => {
    const log = async (client: ApiClient) => {
      const response = await client.get(`/api/line/follow-log?from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z`);
      return { ids: response.body.data.map((e: { member: { id: string } }) => e.member.id), followed: response.body.daily.reduce((n: number, d: { followed: number }) => n + d.followed, 0) };
    };
    expect((await admin.delete(`/api/members/${ids.groupFriend}`)).status).toBe(200);
    expect((await admin.get(`/api/members/${ids.groupFriend}`)).status).toBe(404);
    expect(await log(admin)).toEqual({ ids: expect.not.arrayContaining([ids.groupFriend]), followed: 3 });
    expect(await log(taipeiMarketing)).toEqual({ ids: [ids.taipeiChannelFriend], followed: 1 });
    expect((await admin.post(`/api/members/${ids.groupFriend}/restore`, {})).status).toBe(200);
    expect((await log(taipeiMarketing)).ids.sort()).toEqual(byKeys(['groupFriend', 'taipeiChannelFriend']));
  });

  it('a stay that is cancelled does not make a guest the property’s; a live one does', async () => {
    expect((await taipeiMarketing.get(`/api/members/${ids.taichungOnly}`)).status).toBe(404);
    await addStays('taichungOnly', [{ property: 0, status: 'no_show' }]);
    expect((await taipeiMarketing.get(`/api/members/${ids.taichungOnly}`)).status).toBe(404);
    await addStays('taichungOnly', [{ property: 0, status: 'stayed' }]);
    expect((await taipeiMarketing.get(`/api/members/${ids.taichungOnly}`)).status).toBe(200);
    expect(await listed(taipeiMarketing)).toContain(ids.taichungOnly);
    const stays = (await admin.get(`/api/members/${ids.taichungOnly}/stays`)).body.data as Array<{ id: string; status: string }>;
    await env.runtime.db.withTenant(tenant.tenantId, (tx) => tx.execute(sql`update member_stays set status = 'cancelled' where member_id = ${ids.taichungOnly} and status = 'stayed'`));
    expect(stays.length).toBe(2);
    expect((await taipeiMarketing.get(`/api/members/${ids.taichungOnly}`)).status).toBe(404);
  });

  it('lists only the binding reviews of guests the account sees, with only the candidates it sees', async () => {
    const visible = await review(friendLineUsers.groupFriend!, [ids.taipeiHome!, ids.taichungOnly!]);
    const hidden = await review(friendLineUsers.taichungChannelFriend!, [ids.taichungCancelledTaipei!]);
    const viaCandidate = await review(friendLineUsers.taichungChannelFriend!, [ids.taichungGuestStayedInTaipei!]);
    const list = (await taipeiDesk.get('/api/binding-reviews')).body.data as Array<{ id: string; candidates: Array<{ id: string }> }>;
    expect(list.map((r) => r.id).sort()).toEqual([visible, viaCandidate].sort());
    expect(list.find((r) => r.id === visible)!.candidates.map((c) => c.id)).toEqual([ids.taipeiHome]);
    expect((await admin.get('/api/binding-reviews')).body.data.map((r: { id: string }) => r.id)).toContain(hidden);
    // Nor can it act on one it does not see by naming its id: the same rule guards every action.
    for (const action of ['dismiss', 'create'] as const) {
      const acted = await taipeiDesk.post(`/api/binding-reviews/${hidden}/${action}`, {});
      expect([acted.status, acted.body.error?.code]).toEqual([404, 'binding_review.not_found']);
    }
    const linked = await taipeiDesk.post(`/api/binding-reviews/${hidden}/link`, { memberId: ids.taipeiHome });
    expect([linked.status, linked.body.error?.code]).toEqual([404, 'binding_review.not_found']);
    expect((await admin.get('/api/binding-reviews')).body.data.map((r: { id: string }) => r.id)).toContain(hidden);
  });

  it('leaves a review whose candidates it cannot all see to staff who can, and links only to a candidate', async () => {
    // A group friend (seen by every account) whose review weighs a 台北館 and a 台中館 member.
    const mixed = await review(friendLineUsers.groupFriend!, [ids.taipeiHome!, ids.taichungOnly!]);
    const hiddenOf = async (client: ApiClient) =>
      ((await client.get('/api/binding-reviews')).body.data as Array<{ id: string; hiddenCandidates: number }>).find((r) => r.id === mixed)?.hiddenCandidates;
    expect(await hiddenOf(taipeiDesk)).toBe(1);
    expect(await hiddenOf(admin)).toBe(0);
    for (const [action, body] of [['dismiss', {}], ['create', {}], ['link', { memberId: ids.taipeiHome }]] as const) {
      const acted = await taipeiDesk.post(`/api/binding-reviews/${mixed}/${action}`, body);
      expect([action, acted.status, acted.body.error?.code]).toEqual([action, 403, 'binding_review.candidates_out_of_scope']);
    }
    // Staff who see every candidate choose among them, and only among them.
    const notCandidate = await admin.post(`/api/binding-reviews/${mixed}/link`, { memberId: ids.groupProspect });
    expect([notCandidate.status, notCandidate.body.error?.code]).toEqual([400, 'binding_review.not_a_candidate']);
    const open = (await admin.get('/api/binding-reviews')).body.data as Array<{ id: string; status: string }>;
    expect(open.find((r) => r.id === mixed)?.status).toBe('open');
    expect((await admin.post(`/api/binding-reviews/${mixed}/dismiss`, {})).status).toBe(200);
  });
});

describe('what a property-scoped account may write', () => {
  // Decision 0006: seeing more does not widen writes. An import by a scoped account refuses a member or stay at a
  // property it does not hold (field.import_out_of_scope); the member form and the stay form must refuse it too.
  it('cannot create a member at, move a member to, or add a stay at a property it does not hold', async () => {
    const [taipei, taichung] = [tenant.propertyIds[0]!, tenant.propertyIds[1]!];
    const planted = await taipeiDesk.post('/api/members', { lastName: '外館', propertyId: taichung });
    expect([planted.status, planted.body.error?.code]).toEqual([403, 'member.property_out_of_scope']);
    const moved = await taipeiDesk.patch(`/api/members/${ids.taipeiHome}`, { propertyId: taichung });
    expect([moved.status, moved.body.error?.code]).toEqual([403, 'member.property_out_of_scope']);
    const stay = await taipeiDesk.post(`/api/members/${ids.taipeiHome}/stays`, { propertyId: taichung, checkIn: '2026-10-05', checkOut: '2026-10-06' });
    expect([stay.status, stay.body.error?.code]).toEqual([403, 'member.property_out_of_scope']);
    // Its own property stays open to it.
    expect((await taipeiDesk.post('/api/members', { lastName: '本館', propertyId: taipei })).status).toBe(201);
    expect((await taipeiDesk.post(`/api/members/${ids.taipeiHome}/stays`, { propertyId: taipei, checkIn: '2026-10-05', checkOut: '2026-10-06' })).status).toBe(201);
  });

  it('is told that an ID number is in use, but not which member holds it, when that member is outside its properties', async () => {
    const roles = (await admin.post('/api/roles', { name: '台北主任', permissions: ['members.read', 'members.edit', 'personal_data.unmasked'] })).body;
    const email = 'tpe-lead@hotel.example';
    expect((await admin.post('/api/accounts', { email, displayName: email, roleId: roles.id, allProperties: false, propertyIds: [tenant.propertyIds[0]] })).status).toBe(201);
    await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, email), password: 'long enough passphrase' });
    const lead = await signedInAs(env, email, 'long enough passphrase');
    const identity = { type: 'national_id', number: 'A223456781' };
    expect((await admin.patch(`/api/members/${ids.taichungOnly}`, { identity })).status).toBe(200);
    const duplicate = await lead.post('/api/members', { lastName: '重複', propertyId: tenant.propertyIds[0], identity });
    expect([duplicate.status, duplicate.body.error.code]).toEqual([409, 'member.duplicate_identity']);
    expect(duplicate.body.error.details).toEqual({ field: 'identity' });
    // A holder it sees is named, as before.
    expect((await admin.patch(`/api/members/${ids.taichungOnly}`, { identity: null })).status).toBe(200);
    expect((await admin.patch(`/api/members/${ids.taipeiHome}`, { identity })).status).toBe(200);
    const seen = await lead.post('/api/members', { lastName: '重複', propertyId: tenant.propertyIds[0], identity });
    expect(seen.body.error.details).toMatchObject({ memberId: ids.taipeiHome, memberNo: numbers.taipeiHome });
  });
});
