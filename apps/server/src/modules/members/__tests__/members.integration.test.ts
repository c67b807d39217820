import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../../core/context.ts';
import { queryRows } from '../../../core/db/database.ts';
import { ApiClient, latestLinkToken, signedInAs, startSignedIn } from '../../../../test/api-client.ts';
import type { TestEnv, TestTenant } from '../../../../test/harness.ts';

let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
let marketing: ApiClient;

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  const roles = (await admin.get('/api/roles')).body.data as Array<{ id: string; builtinKey: string }>;
  await admin.post('/api/accounts', { email: 'mkt@hotel.example', displayName: '行銷', roleId: roles.find((r) => r.builtinKey === 'marketing')!.id });
  await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, 'mkt@hotel.example'), password: 'marketing passphrase' });
  marketing = await signedInAs(env, 'mkt@hotel.example', 'marketing passphrase');
});
afterAll(() => env.close());

const guest = {
  lastName: '王',
  firstName: '小明',
  gender: 'male',
  email: '  Xiaoming.Wang@Example.COM ',
  mobile: '０９１２－３４５－６７８',
  identity: { type: 'national_id', number: 'a123456789' },
  marketingOptIn: true,
};

async function rawMember(id: string) {
  const [row] = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<Record<string, unknown>>(tx, sql`select * from members where id = ${id}`));
  return row!;
}

describe('members: validation and normalisation on write', () => {
  it('normalises mobile to E.164, lower-cases email, and stores the ID encrypted with a blind index', async () => {
    const created = await admin.post('/api/members', guest);
    expect(created.status).toBe(201);
    expect(created.body.memberNo).toMatch(/^M\d{7}$/);
    expect(created.body.mobile).toBe('+886 912***678');
    expect(created.body.email).toBe('x***@example.com');
    expect(created.body.identity).toEqual({ type: 'national_id', masked: 'A12*****89', passportCountry: null });

    const raw = await rawMember(created.body.id);
    expect(raw.mobile).toBe('+886912345678');
    expect(raw.email).toBe('xiaoming.wang@example.com');
    expect(raw.id_number_encrypted).toMatch(/^v1\./);
    expect(raw.id_number_hash).toEqual(expect.any(String));
    // The plain number appears in no column of the row.
    expect(JSON.stringify(raw)).not.toContain('A123456789');
  });

  it('refuses a new member with nothing to know the guest by', async () => {
    const before = (await admin.post('/api/members/count', {})).body.count;
    const empty = await admin.post('/api/members', { gender: 'female', marketingOptIn: true, notes: '' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details.issues).toEqual([expect.objectContaining({ path: 'lastName', message: '請至少填寫姓名、手機、Email 或證件號碼其中一項。' })]);
    expect((await admin.post('/api/members/count', {})).body.count).toBe(before);
    const onlyMobile = await admin.post('/api/members', { mobile: '0922 333 444' });
    expect(onlyMobile.status).toBe(201);
    // Nor may an edit take away the last thing the member is known by.
    const blanked = await admin.patch(`/api/members/${onlyMobile.body.id}`, { mobile: null });
    expect(blanked.status).toBe(400);
    expect(blanked.body.error).toMatchObject({ code: 'member.needs_a_key', message: '請至少保留姓名、手機、Email 或證件號碼其中一項。' });
    expect((await rawMember(onlyMobile.body.id)).mobile).toBe('+886922333444');
  });

  it('gives field-level errors in the caller’s language and writes nothing', async () => {
    const before = (await admin.post('/api/members/count', {})).body.count;
    const bad = await admin.post('/api/members', { lastName: '林', identity: { type: 'national_id', number: 'A123456788' }, mobile: '12ab', email: 'not-mail' });
    expect(bad.status).toBe(400);
    const byPath = Object.fromEntries(bad.body.error.details.issues.map((i: { path: string; message: string }) => [i.path, i.message]));
    expect(byPath['identity.number']).toBe('身分證字號檢查碼不正確，請再確認號碼。');
    expect(byPath.mobile).toEqual(expect.stringContaining('手機號碼'));
    expect(byPath.email).toBe('請輸入有效的電子郵件。');
    admin.locale = 'en';
    const english = await admin.post('/api/members', { identity: { type: 'passport', number: 'PASSPORT' } });
    expect(english.body.error.details.issues[0].message).toMatch(/passport number/i);
    admin.locale = 'zh-TW';
    expect((await admin.post('/api/members/count', {})).body.count).toBe(before);
  });

  it('accepts resident certificates and passports, and refuses a second member with the same document', async () => {
    const arc = await admin.post('/api/members', { lastName: 'Nguyen', identity: { type: 'resident_certificate', number: 'A800000014' } });
    expect(arc.status).toBe(201);
    expect(arc.body.identity.type).toBe('resident_certificate');
    const passport = await admin.post('/api/members', { lastName: 'Tanaka', identity: { type: 'passport', number: 'tk1234567', passportCountry: 'JP' } });
    expect(passport.body.identity).toEqual({ type: 'passport', masked: 'TK1****67', passportCountry: 'JPN' });
    const duplicate = await admin.post('/api/members', { lastName: '重複', identity: { type: 'national_id', number: 'A123456789' } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('member.duplicate_identity');
  });
});

describe('members: personal data protection', () => {
  it('reveals unmasked data only with the permission, and audit-logs every reveal', async () => {
    const created = await admin.post('/api/members', { lastName: '陳', mobile: '+886 933 111 222', identity: { type: 'national_id', number: 'B120000008' } });
    expect(created.status).toBe(201);
    const refused = await marketing.post(`/api/members/${created.body.id}/personal-data`);
    expect(refused.status).toBe(403);
    expect((await marketing.get(`/api/members/${created.body.id}`)).body.mobile).toBe('+886 933***222');

    const revealed = await admin.post(`/api/members/${created.body.id}/personal-data`);
    expect(revealed.status).toBe(200);
    expect(revealed.body).toMatchObject({ mobile: '+886933111222', identity: { type: 'national_id', number: 'B120000008' } });
    const audit = await admin.get(`/api/audit-log?action=member.personal_data_viewed&targetId=${created.body.id}`);
    expect(audit.body.data).toHaveLength(1);
    expect(JSON.stringify(audit.body.data)).not.toContain('B120000008');
  });
});

describe('members: edits, history and consent', () => {
  it('a change of consent alone is one entry on the timeline, not an edit of 接收行銷訊息 beside it', async () => {
    const created = await admin.post('/api/members', { lastName: '周', marketingOptIn: false });
    expect((await admin.patch(`/api/members/${created.body.id}`, { marketingOptIn: true })).status).toBe(200);
    const timeline = (await admin.get(`/api/members/${created.body.id}/timeline`)).body.data as Array<{ type: string; details: Record<string, unknown> }>;
    expect(timeline.map((e) => [e.type, e.details.source ?? null])).toEqual([['opted_in', 'staff'], ['created', 'staff']]);
    // The audit log still names the field that changed.
    const audit = await admin.get(`/api/audit-log?action=member.updated&targetId=${created.body.id}`);
    expect(audit.body.data[0].details.fields).toEqual(['marketingOptIn']);
  });

  it('records edits by field name only, and consent changes with when and from where', async () => {
    const created = await admin.post('/api/members', { lastName: '李', marketingOptIn: false });
    const edited = await admin.patch(`/api/members/${created.body.id}`, { firstName: '大華', mobile: '0922333444', marketingOptIn: true });
    expect(edited.status).toBe(200);
    expect(edited.body.marketingOptIn).toBe(true);
    expect(edited.body.optInSource).toBe('staff');
    expect(edited.body.optInChangedAt).toEqual(expect.any(String));
    const timeline = (await admin.get(`/api/members/${created.body.id}/timeline`)).body.data as Array<{ type: string; details: Record<string, unknown>; actorLabel: string }>;
    expect(timeline.map((e) => e.type)).toEqual(['opted_in', 'edited', 'created']);
    // Consent is the opted_in entry's (with its source): the edit names the other fields, so it does not show twice.
    expect(timeline[1]!.details.fields).toEqual(['firstName', 'mobile']);
    expect(timeline[0]!.details).toMatchObject({ source: 'staff' });
    expect(JSON.stringify(timeline)).not.toContain('0922333444');
    expect(timeline[1]!.actorLabel).toBe(tenant.adminEmail);
    // Paging with a cursor returns each entry once, even when timestamps are equal.
    const first = (await admin.get(`/api/members/${created.body.id}/timeline?limit=2`)).body.data as Array<{ id: string; occurredAt: string }>;
    const last = first[1]!;
    const rest = (await admin.get(`/api/members/${created.body.id}/timeline?limit=2&before=${encodeURIComponent(last.occurredAt)}&beforeId=${last.id}`)).body.data as Array<{ id: string }>;
    expect([...first, ...rest].map((e) => e.id)).toEqual(timeline.map((e: unknown) => (e as { id: string }).id));
    // Saving the same values again changes nothing and adds no history.
    await admin.patch(`/api/members/${created.body.id}`, { firstName: '大華' });
    expect((await admin.get(`/api/members/${created.body.id}/timeline`)).body.data).toHaveLength(3);
  });

  it('records stays and refuses reversed dates', async () => {
    const created = await admin.post('/api/members', { lastName: '張' });
    const stay = await admin.post(`/api/members/${created.body.id}/stays`, { propertyId: tenant.propertyIds[0], checkIn: '2026-10-01', checkOut: '2026-10-03', roomType: 'DLX', amount: 6800 });
    expect(stay.status).toBe(201);
    expect(stay.body.nights).toBe(2);
    const reversed = await admin.post(`/api/members/${created.body.id}/stays`, { propertyId: tenant.propertyIds[0], checkIn: '2026-10-05', checkOut: '2026-10-03' });
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.details.issues[0].path).toBe('checkOut');
    expect((await admin.get(`/api/members/${created.body.id}/stays`)).body.data).toHaveLength(1);
  });
});

describe('members: delete, restore, erase', () => {
  it('soft-deletes with a 30-day restore window, restores, and erases for good on request', async () => {
    const created = await admin.post('/api/members', { lastName: '刪除', identity: { type: 'national_id', number: 'C100000003' } });
    const id = created.body.id;
    const deleted = await admin.delete(`/api/members/${id}`);
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    expect(new Date(deleted.body.restorableUntil).getTime() - env.clock.now().getTime()).toBe(30 * 86_400_000);
    expect((await admin.get(`/api/members/${id}`)).status).toBe(404);
    expect((await admin.get('/api/members/deleted')).body.data.map((m: { id: string }) => m.id)).toContain(id);
    expect((await admin.post(`/api/members/${id}/restore`)).status).toBe(200);
    expect((await admin.get(`/api/members/${id}`)).status).toBe(200);
    expect((await admin.post(`/api/members/${id}/erase`)).body.error.code).toBe('member.not_deleted');

    await admin.delete(`/api/members/${id}`);
    expect((await admin.post(`/api/members/${id}/erase`)).status).toBe(204);
    expect(await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows(tx, sql`select 1 from members where id = ${id}`))).toEqual([]);
    expect(await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows(tx, sql`select 1 from member_interactions where member_id = ${id}`))).toEqual([]);
    const audit = (await admin.get(`/api/audit-log?targetId=${id}`)).body.data.map((e: { action: string }) => e.action);
    expect(audit).toEqual(['member.erased', 'member.deleted', 'member.restored', 'member.deleted', 'member.created']);
  });

  it('erases members whose restore window has passed', async () => {
    const created = await admin.post('/api/members', { lastName: '過期' });
    await admin.delete(`/api/members/${created.body.id}`);
    env.clock.advanceMinutes(31 * 24 * 60);
    admin = await signedInAs(env, tenant.adminEmail, tenant.password);
    const erased = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
      env.runtime.members.eraseExpiredMembers(systemContext(tx, tenant.tenantId, 'retention')),
    );
    expect(erased).toBeGreaterThanOrEqual(1);
    expect((await admin.get('/api/members/deleted')).body.data.map((m: { id: string }) => m.id)).not.toContain(created.body.id);
  });
});

describe('members: merge', () => {
  it('merges field by field, moves stays, tags and history, and keeps the merged record out of sight', async () => {
    const keep = (await admin.post('/api/members', { lastName: '周', firstName: '杰', email: 'old@mail.example' })).body;
    const other = (await admin.post('/api/members', { lastName: '周', firstName: '杰倫', email: 'new@mail.example', mobile: '0955666777' })).body;
    await admin.post(`/api/members/${other.id}/stays`, { propertyId: tenant.propertyIds[1], checkIn: '2026-09-01', checkOut: '2026-09-02' });
    const tag = (await admin.post('/api/tags', { name: '合併測試', kind: 'basic' })).body;
    await admin.post(`/api/tags/${tag.id}/members`, { memberIds: [other.id] });

    const merged = await admin.post(`/api/members/${keep.id}/merge`, { mergedMemberId: other.id, choices: { firstName: 'merged', email: 'merged', mobile: 'merged' } });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ firstName: '杰倫', email: 'n***@mail.example', mobile: '+886 955***777' });
    expect((await admin.get(`/api/members/${keep.id}/stays`)).body.data).toHaveLength(1);
    expect((await admin.get(`/api/members/${keep.id}/tags`)).body.data.map((t: { name: string }) => t.name)).toEqual(['合併測試']);
    const types = (await admin.get(`/api/members/${keep.id}/timeline`)).body.data.map((e: { type: string }) => e.type);
    expect(types[0]).toBe('merged');
    expect(types).toContain('stay_added');
    expect((await admin.get(`/api/members/${other.id}`)).status).toBe(404);
    expect((await admin.get('/api/members/deleted')).body.data.map((m: { id: string }) => m.id)).not.toContain(other.id);
  });
});

describe('members: who may change what', () => {
  it('marketing staff manage tags and segments but cannot change member profiles', async () => {
    const created = await admin.post('/api/members', { lastName: '簡', firstName: '行' });
    // A fresh session: the erasure tests above moved the clock past the earlier one's timeouts.
    const marketing = await signedInAs(env, 'mkt@hotel.example', 'marketing passphrase');
    const tag = await marketing.post('/api/tags', { name: '行銷建立的標籤', kind: 'basic' });
    expect(tag.status).toBe(201);
    expect((await marketing.post(`/api/tags/${tag.body.id}/members`, { memberIds: [created.body.id] })).body).toEqual({ changed: 1 });
    const segment = await marketing.post('/api/segments', { name: '行銷分眾', definition: { type: 'group', op: 'and', conditions: [{ type: 'tag', tagId: tag.body.id }] } });
    expect(segment.status).toBe(201);
    expect((await marketing.post('/api/members/count', { segmentId: segment.body.id })).body.count).toBe(1);
    const refused = await marketing.patch(`/api/members/${created.body.id}`, { notes: '行銷不能改' });
    expect(refused.status).toBe(403);
    expect((await admin.get(`/api/members/${created.body.id}`)).body.notes).toBe('');
  });
});

describe('members: LINE friends', () => {
  const lineContext = (tx: Parameters<Parameters<TestEnv['runtime']['db']['withTenant']>[1]>[0]) => systemContext(tx, tenant.tenantId, 'line');

  it('a follow being recorded while the same guest binds to an existing member ends in one member, not a collision', async () => {
    const existing = await admin.post('/api/members', { lastName: '周', mobile: '0955000555' });
    const lineUserId = `U${'f'.repeat(31)}7`;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let written!: () => void;
    const followWritten = new Promise<void>((resolve) => (written = resolve));
    // The worker's transaction has created the friend record and not committed yet when the binding starts.
    const follow = env.runtime.db.withTenant(tenant.tenantId, async (tx) => {
      const result = await env.runtime.memberLine.recordFollow(lineContext(tx), { lineUserId, propertyId: null, at: new Date(), isUnblocked: false });
      written();
      await gate;
      return result;
    });
    await followWritten;
    const bind = env.runtime.db.withTenant(tenant.tenantId, (tx) => env.runtime.memberLine.linkLineAccount(lineContext(tx), existing.body.id, { lineUserId, profile: { displayName: '周先生' }, at: new Date() }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    const [{ created, member: friend }, linked] = await Promise.all([follow, bind]);
    expect(created).toBe(true);
    expect(linked).toMatchObject({ id: existing.body.id, lineUserId, lineDisplayName: '周先生' });
    expect(await rawMember(friend.id)).toMatchObject({ merged_into_id: existing.body.id, line_user_id: null });
  });
});
