import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, latestLinkToken, signedInAs } from '../../../../test/api-client.ts';
import { createTestTenant } from '../../../../test/harness.ts';
import { createGuestKeyDeriver } from '../pms.generic.ts';
import { drain, falseLinks, rows, startPmsTestEnv, type PmsTestEnv } from './pms-harness.ts';

/**
 * The generic file import (any PMS's CSV/XLSX): upload → columns, masked samples and a suggested mapping → a dry run
 * that keeps nothing → apply through a run (history) with the same normaliser and matcher; saved mappings.
 */
let t: PmsTestEnv;

function upload(client: ApiClient, connectionId: string, fileName: string, content: string) {
  const boundary = `----innkeeper${crypto.randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`, 'utf8'),
    Buffer.from(content, 'utf8'),
    Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
  ]);
  return client.request('POST', `/api/pms/connections/${connectionId}/imports`, payload, { 'content-type': `multipart/form-data; boundary=${boundary}` });
}

beforeAll(async () => {
  t = await startPmsTestEnv({ connect: false });
  const created = await t.admin.post('/api/pms/connections', { name: '其他 PMS 匯出', kind: 'dean_file', defaultPropertyId: t.tenant.propertyIds[0] });
  expect(created.status).toBe(201);
  t.connectionId = created.body.id;
}, 120_000);
afterAll(() => t.close());

/** A CSV in another PMS's words, built from the simulator's profiles and one stay each. */
function otherPmsFile(): string {
  const lines = ['Guest ID,Name,Mobile,ID Number,E-mail,Arrival,Departure,Room Type'];
  for (const p of t.pms.sim.data.profiles.slice(0, 150)) {
    const mobile = p.CONTACT1_RMK ?? p.MOBILE_NOS ?? '';
    lines.push([p.GCUST_COD, p.ALT_NAM ?? '', mobile, p.ID_NOS ?? '', p.E_MAIL ?? '', '2026/11/01', '2026/11/03', 'DD'].map((v) => `"${String(v).replace(/"/g, '""')}"`).join(','));
  }
  lines.push('"",無代碼,0912000000,,,2026/11/01,2026/11/03,DD');
  lines.push('"GX-BAD",日期錯,0912000001,,,2026/11/05,2026/11/01,DD');
  return `${lines.join('\r\n')}\r\n`;
}

describe('generic file import', () => {
  let fileId: string;
  const mapping = { guestKey: 'Guest ID', fullName: 'Name', mobile: 'Mobile', idNumber: 'ID Number', email: 'E-mail', checkIn: 'Arrival', checkOut: 'Departure', roomType: 'Room Type' };

  it('upload answers the columns, masked sample rows and a suggested mapping', async () => {
    const uploaded = await upload(t.admin, t.connectionId, 'other-pms.csv', otherPmsFile());
    expect(uploaded.status).toBe(201);
    fileId = uploaded.body.file.id;
    expect(uploaded.body.file).toMatchObject({ layout: 'generic', status: 'mapping', rowsTotal: 152 });
    expect(uploaded.body.columns).toEqual(['Guest ID', 'Name', 'Mobile', 'ID Number', 'E-mail', 'Arrival', 'Departure', 'Room Type']);
    expect(uploaded.body.suggestedMapping).toEqual(mapping);
    // Personal data is masked in the sample: no ID number or mobile in full.
    const ids = t.pms.sim.data.profiles.slice(0, 5).map((p) => p.ID_NOS).filter((v): v is string => Boolean(v && v.length > 5));
    for (const row of uploaded.body.sample) for (const id of ids) expect(row).not.toContain(id);
    expect(uploaded.body.sample[0][2]).toContain('*');
    // Dates are sent as typed too (the screen shows them for a column imported as a date); the mobile is not.
    expect([uploaded.body.sample[0][5], uploaded.body.samplePlain[0][5], uploaded.body.samplePlain[0][2]]).toEqual(['20******01', '2026/11/01', null]);
  });

  it('a dry run says what would be created, matched and set aside, and keeps nothing', async () => {
    const dry = await t.admin.post(`/api/pms/connections/${t.connectionId}/imports/${fileId}/dry-run`, { mapping });
    expect(dry.status).toBe(200);
    // The row without a guest key is set aside twice: as a profile and as a stay.
    expect(dry.body).toMatchObject({ rows: 152, profiles: { created: 151, updated: 0 }, rejected: 3 });
    expect(dry.body.stays.created).toBe(150);
    expect(dry.body.rejects).toEqual(expect.arrayContaining([
      { stream: 'guests', key: '#151', reason: 'missing_gcust_cod', row: 152 },
      { stream: 'stays', key: '#151', reason: 'missing_stay_key', row: 152 },
      { stream: 'stays', key: 'GX-BAD|2026-11-05|', reason: 'dates_reversed', row: 153 },
    ]));
    expect(dry.body.matching.newlyLinked).toBeGreaterThan(0);
    const [held] = await rows<{ profiles: number; links: number; runs: number }>(t, sql`select (select count(*)::int from pms_profiles) as profiles, (select count(*)::int from member_stays) as links, (select count(*)::int from pms_sync_runs) as runs`);
    expect(held).toEqual({ profiles: 0, links: 0, runs: 0 });
    const unknown = await t.admin.post(`/api/pms/connections/${t.connectionId}/imports/${fileId}/dry-run`, { mapping: { ...mapping, mobile: 'Phone' } });
    expect([unknown.status, unknown.body.error.code, unknown.body.error.details]).toEqual([400, 'pms.mapping_unknown_columns', { columns: ['Phone'] }]);
    const noKey = await t.admin.post(`/api/pms/connections/${t.connectionId}/imports/${fileId}/dry-run`, { mapping: { fullName: 'Name' } });
    expect(noKey.status).toBe(400);
  }, 60_000);

  it('apply queues the file with its mapping; a run applies it (run history), links without false links, and it is not applied twice', async () => {
    const applied = await t.admin.post(`/api/pms/connections/${t.connectionId}/imports/${fileId}/apply`, { mapping });
    expect(applied.status).toBe(202);
    expect(applied.body.run).toMatchObject({ trigger: 'upload' });
    await drain(t);
    const run = (await t.admin.get(`/api/pms/connections/${t.connectionId}/runs`)).body.data[0];
    expect(run).toMatchObject({ id: applied.body.run.id, status: 'succeeded', pulledProfiles: 152, pulledStays: 152, created: 301, rejected: 3 });
    expect(run.linked).toBeGreaterThan(0);
    expect(run.rejects).toEqual(expect.arrayContaining([expect.objectContaining({ reason: 'missing_gcust_cod', file: 'other-pms.csv', row: 152 })]));
    expect(await falseLinks(t)).toEqual([]);
    const again = await t.admin.post(`/api/pms/connections/${t.connectionId}/imports/${fileId}/apply`, { mapping });
    expect([again.status, again.body.error.code]).toEqual([404, 'pms.import_not_found']);
    const reupload = await upload(t.admin, t.connectionId, 'other-pms (1).csv', otherPmsFile());
    expect([reupload.status, reupload.body.error.code]).toEqual([409, 'pms.file_duplicate']);
  }, 120_000);

  it('maps a stay’s party from the file’s own words (大人, 小孩); a count that is none is set aside with its row', async () => {
    const file = ['客戶編號,姓名,入住日,退房日,大人,小孩', 'PARTY-1,林親子,2026/10/01,2026/10/03,2,1', 'PARTY-2,陳兩位,2026/10/01,2026/10/03,2,兩個', 'PARTY-3,王不詳,2026/10/01,2026/10/03,,'].join('\r\n');
    const uploaded = await upload(t.admin, t.connectionId, 'party.csv', `${file}\r\n`);
    expect(uploaded.status).toBe(201);
    const suggested = uploaded.body.suggestedMapping;
    expect(suggested).toEqual({ guestKey: '客戶編號', fullName: '姓名', checkIn: '入住日', checkOut: '退房日', adults: '大人', children: '小孩' });
    const applied = await t.admin.post(`/api/pms/connections/${t.connectionId}/imports/${uploaded.body.file.id}/apply`, { mapping: suggested });
    expect(applied.status).toBe(202);
    await drain(t);
    const run = (await t.admin.get(`/api/pms/connections/${t.connectionId}/runs`)).body.data[0];
    expect(run.rejects).toEqual([{ stream: 'stays', key: 'PARTY-2|2026-10-01|', reason: 'bad_party_size', file: 'party.csv', row: 3 }]);
    expect(await rows(t, sql`select gcust_cod, adults, children from pms_stays where gcust_cod like 'PARTY-%' order by gcust_cod`)).toEqual([
      { gcust_cod: 'PARTY-1', adults: 2, children: 1 },
      { gcust_cod: 'PARTY-3', adults: null, children: null },
    ]);
  }, 60_000);

  it('a saved mapping\'s audit entries say what changed: nothing on a re-save, a rename with its old name', async () => {
    const saved = await t.admin.post(`/api/pms/connections/${t.connectionId}/mappings`, { name: '週報', mapping });
    expect(saved.status).toBe(201);
    const path = `/api/pms/connections/${t.connectionId}/mappings/${saved.body.id}`;
    expect((await t.admin.patch(path, { name: '週報', mapping })).status).toBe(200);
    expect((await t.admin.patch(path, { name: '每週匯出' })).status).toBe(200);
    const audit = await t.admin.get(`/api/audit-log?action=pms.mapping_updated&targetId=${t.connectionId}`);
    const mine = (audit.body.data as Array<{ details: { mappingId: string } }>).filter((e) => e.details.mappingId === saved.body.id).reverse();
    expect(mine.map((e) => e.details)).toEqual([
      { mappingId: saved.body.id, name: '週報', fields: [] },
      { mappingId: saved.body.id, name: '每週匯出', previousName: '週報', fields: ['name'] },
    ]);
    expect((await t.admin.delete(path)).status).toBe(204);
  });

  it('mappings are saved per connection under a name, listed, changed and deleted; other groups see none', async () => {
    const saved = await t.admin.post(`/api/pms/connections/${t.connectionId}/mappings`, { name: '其他 PMS 月匯出', mapping });
    expect(saved.status).toBe(201);
    expect((await t.admin.post(`/api/pms/connections/${t.connectionId}/mappings`, { name: '其他 pms 月匯出', mapping })).status).toBe(409);
    const changed = await t.admin.patch(`/api/pms/connections/${t.connectionId}/mappings/${saved.body.id}`, { mapping: { ...mapping, roomType: 'Room' } });
    expect(changed.body.mapping.roomType).toBe('Room');
    expect((await t.admin.get(`/api/pms/connections/${t.connectionId}/mappings`)).body.data.map((m: { name: string }) => m.name)).toEqual(['其他 PMS 月匯出']);
    const other = await createTestTenant(t.env);
    const otherAdmin = await signedInAs(t.env, other.adminEmail, other.password);
    expect((await otherAdmin.get(`/api/pms/connections/${t.connectionId}/mappings`)).status).toBe(404);
    expect((await otherAdmin.delete(`/api/pms/connections/${t.connectionId}/mappings/${saved.body.id}`)).status).toBe(404);
    expect((await upload(otherAdmin, t.connectionId, 'x.csv', 'a,b\r\n1,2\r\n')).status).toBe(404);
    expect((await t.admin.delete(`/api/pms/connections/${t.connectionId}/mappings/${saved.body.id}`)).status).toBe(204);
    expect((await t.admin.get(`/api/pms/connections/${t.connectionId}/mappings`)).body.data).toEqual([]);
    // Each change is in the audit log, naming the mapping (the other group's refused delete is not).
    const audit = await t.admin.get(`/api/audit-log?targetId=${t.connectionId}`);
    const entries = (audit.body.data as Array<{ action: string; details: { mappingId?: string; name?: string } }>).filter((e) => e.action.startsWith('pms.mapping_') && e.details.mappingId === saved.body.id);
    expect(entries.map((e) => [e.action, e.details.mappingId, e.details.name]).reverse()).toEqual([
      ['pms.mapping_saved', saved.body.id, '其他 PMS 月匯出'],
      ['pms.mapping_updated', saved.body.id, '其他 PMS 月匯出'],
      ['pms.mapping_deleted', saved.body.id, '其他 PMS 月匯出'],
    ]);
  }, 60_000);
});

describe('a generic file waiting for its mapping', () => {
  const csv = '客戶編號,姓名,手機,入住日,退房日\r\nW001,王等待,0912555001,2026/11/01,2026/11/02\r\n';
  const files = async () => (await t.admin.get(`/api/pms/connections/${t.connectionId}/files`)).body.data as Array<{ id: string; status: string }>;

  it('is shown again as its upload answered it, and a file no spreadsheet can read is refused in the hotel’s words', async () => {
    const uploaded = await upload(t.admin, t.connectionId, '等待對應.csv', csv);
    expect(uploaded.status).toBe(201);
    const shown = await t.admin.get(`/api/pms/connections/${t.connectionId}/imports/${uploaded.body.file.id}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual(uploaded.body);
    expect(shown.body.suggestedMapping).toEqual({ guestKey: '客戶編號', fullName: '姓名', mobile: '手機', checkIn: '入住日', checkOut: '退房日' });
    expect(shown.body.sample[0][2]).toContain('*');
    const unreadable = await upload(t.admin, t.connectionId, 'guests.xls', 'not a spreadsheet');
    expect([unreadable.status, unreadable.body.error.code, unreadable.body.error.details]).toEqual([400, 'pms.import_unreadable', { reason: 'unsupported_format' }]);
  });

  it('is discarded by pms.manage only, in its own hotel group only; it is then gone, audited, and may be uploaded again', async () => {
    const uploaded = await upload(t.admin, t.connectionId, '等待對應.csv', csv);
    const fileId = uploaded.body.file.id as string;
    const path = `/api/pms/connections/${t.connectionId}/imports/${fileId}`;

    const role = await t.admin.post('/api/roles', { name: 'PMS 檢視', permissions: ['pms.view'] });
    await t.admin.post('/api/accounts', { email: 'viewer@pms-generic.example', displayName: 'viewer', roleId: role.body.id, allProperties: true, propertyIds: [] });
    await new ApiClient(t.env).post('/api/auth/set-password', { token: await latestLinkToken(t.env, 'viewer@pms-generic.example'), password: 'long enough passphrase' });
    const viewer = await signedInAs(t.env, 'viewer@pms-generic.example', 'long enough passphrase');
    expect((await viewer.get(`/api/pms/connections/${t.connectionId}/files`)).status).toBe(200);
    expect((await viewer.delete(path)).status).toBe(403);
    expect((await viewer.get(path)).status).toBe(403);

    // Another group: through this group's connection, and through a connection of its own with this group's file id.
    const other = await createTestTenant(t.env);
    const otherAdmin = await signedInAs(t.env, other.adminEmail, other.password);
    expect((await otherAdmin.delete(path)).status).toBe(404);
    const own = await otherAdmin.post('/api/pms/connections', { name: '其他 PMS', kind: 'dean_file' });
    const foreign = await otherAdmin.delete(`/api/pms/connections/${own.body.id}/imports/${fileId}`);
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'pms.import_not_found']);
    expect((await otherAdmin.get(`/api/pms/connections/${own.body.id}/imports/${fileId}`)).status).toBe(404);
    expect((await files()).find((f) => f.id === fileId)?.status).toBe('mapping');

    expect((await t.admin.delete(path)).status).toBe(204);
    expect((await files()).some((f) => f.id === fileId)).toBe(false);
    expect((await t.admin.get(path)).status).toBe(404);
    const again = await t.admin.delete(path);
    expect([again.status, again.body.error.code]).toEqual([404, 'pms.import_not_found']);
    const dry = await t.admin.post(`${path}/dry-run`, { mapping: { guestKey: '客戶編號' } });
    expect([dry.status, dry.body.error.code]).toEqual([404, 'pms.import_not_found']);
    const audit = await t.admin.get(`/api/audit-log?action=pms.import_discarded&targetId=${t.connectionId}`);
    expect(audit.body.data[0]).toMatchObject({ action: 'pms.import_discarded', details: { fileId, name: '等待對應.csv', rows: 1 } });

    // Never applied, so not a duplicate: the same content is a new waiting file.
    const reupload = await upload(t.admin, t.connectionId, '等待對應.csv', csv);
    expect(reupload.status).toBe(201);
    expect(reupload.body.file.id).not.toBe(fileId);
  });

  it('an applied or 德安 file is not a waiting import: it cannot be discarded', async () => {
    const applied = (await files()).find((f) => f.status === 'applied');
    expect(applied).toBeDefined();
    const refused = await t.admin.delete(`/api/pms/connections/${t.connectionId}/imports/${applied!.id}`);
    expect([refused.status, refused.body.error.code]).toEqual([404, 'pms.import_not_found']);
    expect((await files()).find((f) => f.id === applied!.id)?.status).toBe('applied');
  });
});

describe('a file without a guest number', () => {
  /** A front-desk list: names, mobiles, IDs and stay dates, but no guest number of any PMS. */
  function withoutNumbers(format: (mobile: string) => string): string {
    const lines = ['姓名,手機,身分證字號,入住日,退房日'];
    for (const p of t.pms.sim.data.profiles.slice(150, 300)) {
      const mobile = p.CONTACT1_RMK ?? p.MOBILE_NOS ?? '';
      lines.push([p.ALT_NAM ?? '', format(mobile), p.ID_NOS ?? '', '2026/10/11', '2026/10/12'].map((v) => `"${String(v).replace(/"/g, '""')}"`).join(','));
    }
    // One household phone, two people without IDs: two guests, not one.
    lines.push('王媽媽,0912777001,,2026/10/11,2026/10/12', '王小弟,0912777001,,2026/10/11,2026/10/12');
    lines.push('沒有聯絡方式,,,2026/10/11,2026/10/12');
    return `${lines.join('\r\n')}\r\n`;
  }
  const mapping = { guestKey: '身分證字號', idNumber: '身分證字號', mobile: '手機', fullName: '姓名', checkIn: '入住日', checkOut: '退房日' };

  it('takes its guest number from the ID (else mobile and name): the ID and mobile are still imported, members link, no ID is a key', async () => {
    const uploaded = await upload(t.admin, t.connectionId, 'front-desk.csv', withoutNumbers((m) => m));
    expect(uploaded.status).toBe(201);
    const fileId = uploaded.body.file.id;
    const dry = await t.admin.post(`/api/pms/connections/${t.connectionId}/imports/${fileId}/dry-run`, { mapping });
    expect(dry.status).toBe(200);
    expect(dry.body.matching.newlyLinked).toBeGreaterThan(0);
    expect(dry.body.rejects).toEqual(expect.arrayContaining([{ stream: 'guests', key: '#153', reason: 'missing_gcust_cod', row: 154 }]));
    const applied = await t.admin.post(`/api/pms/connections/${t.connectionId}/imports/${fileId}/apply`, { mapping });
    expect(applied.status).toBe(202);
    await drain(t);
    const run = (await t.admin.get(`/api/pms/connections/${t.connectionId}/runs`)).body.data[0];
    expect(run).toMatchObject({ id: applied.body.run.id, status: 'succeeded', pulledProfiles: 153 });
    expect(run.linked).toBeGreaterThan(0);
    const made = await rows<{ gcust_cod: string; mobile: string | null; id_masked: string | null }>(
      t,
      sql`select gcust_cod, profile->'mobiles'->0->>'e164' as mobile, profile->'id'->>'masked' as id_masked from pms_profiles where gcust_cod like 'ID-%' or gcust_cod like 'MB-%'`,
    );
    expect(made.length).toBeGreaterThan(100);
    // The ID and the mobile were imported as such (the key did not take their column away).
    expect(made.filter((m) => m.mobile).length).toBeGreaterThan(50);
    expect(made.filter((m) => m.id_masked).length).toBeGreaterThan(50);
    const ids = t.pms.sim.data.profiles.slice(150, 300).flatMap((p) => (p.ID_NOS ? [p.ID_NOS.trim().toUpperCase()] : []));
    for (const m of made) expect(ids).not.toContain(m.gcust_cod.slice(3));
    const household = await rows<{ n: number }>(t, sql`select count(*)::int as n from pms_profiles where profile->'mobiles'->0->>'e164' = '+886912777001'`);
    expect(household).toEqual([{ n: 2 }]);
    // No false link: each made number is traced back to the simulator's profile (and its person) it came from.
    const derive = createGuestKeyDeriver((value, purpose) => t.env.runtime.keyring.blindIndex(value, purpose), t.tenant.tenantId);
    const source = new Map(t.pms.sim.data.profiles.slice(150, 300).map((p) => [derive({ id: p.ID_NOS ?? null, country: null, mobile: p.CONTACT1_RMK ?? p.MOBILE_NOS ?? null, name: p.ALT_NAM ?? null }), p.GCUST_COD]));
    const links = await rows<{ member_id: string; gcust_cod: string }>(t, sql`select member_id, gcust_cod from pms_profiles where member_id is not null and (gcust_cod like 'ID-%' or gcust_cod like 'MB-%')`);
    expect(links.length).toBeGreaterThan(0);
    const simMemberOf = new Map([...t.memberIds].map(([sim, ours]) => [ours, sim]));
    const truthOf = new Map(t.pms.sim.truth.members.map((m) => [m.memberId, m]));
    const wrong = links.filter((l) => {
      const member = truthOf.get(simMemberOf.get(l.member_id)!);
      const person = t.pms.sim.truth.profiles.get(source.get(l.gcust_cod) ?? '')?.personId;
      return !member || person === undefined || member.personId !== person;
    });
    expect(wrong).toEqual([]);
  }, 120_000);

  it('gives the same guest the same number in a later file, however the mobile is typed', async () => {
    const before = (await rows<{ n: number }>(t, sql`select count(*)::int as n from pms_profiles`))[0]!.n;
    const uploaded = await upload(t.admin, t.connectionId, 'front-desk-2.csv', withoutNumbers((m) => m.replace(/^0(9\d{2})-?(\d{3})-?(\d{3})$/, '+886 $1 $2 $3')));
    expect(uploaded.status).toBe(201);
    const dry = await t.admin.post(`/api/pms/connections/${t.connectionId}/imports/${uploaded.body.file.id}/dry-run`, { mapping });
    expect(dry.body.profiles.created).toBe(0);
    expect(dry.body.stays.created).toBe(0);
    expect((await rows<{ n: number }>(t, sql`select count(*)::int as n from pms_profiles`))[0]!.n).toBe(before);
  }, 60_000);
});
