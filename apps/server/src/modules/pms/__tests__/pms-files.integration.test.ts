import { mkdtemp, mkdir, readdir, rm, symlink, writeFile, copyFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, latestLinkToken, signedInAs } from '../../../../test/api-client.ts';
import { createTestTenant } from '../../../../test/harness.ts';
import { GUEST_COLUMNS, STAY_COLUMNS } from '../pms.file-rows.ts';
import { drain, falseLinks, rows, startPmsTestEnv, type PmsTestEnv } from './pms-harness.ts';

/**
 * The file transport (contract §9) end to end: 德安 exports dropped in the connection's folder under PMS_DROP_ROOT or
 * uploaded on the PMS page, applied by the sync through the same normaliser, upserts and matching as the HTTP feeds,
 * archived, never applied twice; bad rows set aside with their row number; a worker dying mid-file resumes.
 */
let t: PmsTestEnv;
let root: string;
let folder: string;
let deaths = 0;

function csv(columns: readonly string[], records: Array<Record<string, unknown>>, options: { bom?: boolean } = {}): Buffer {
  const cell = (v: unknown) => {
    const text = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [columns.join(','), ...records.map((r) => columns.map((c) => cell(r[c])).join(','))];
  return Buffer.concat([options.bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
}

async function xlsx(columns: readonly string[], records: Array<Record<string, unknown>>): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('GUEST_MN');
  sheet.addRow([...columns]);
  // Cells as text, as the contract asks (a leading zero survives).
  for (const r of records) sheet.addRow(columns.map((c) => (r[c] === null || r[c] === undefined ? null : String(r[c]))));
  return Buffer.from(await book.xlsx.writeBuffer());
}

function upload(client: ApiClient, connectionId: string, fileName: string, content: Buffer) {
  const boundary = `----innkeeper${crypto.randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`, 'utf8'),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
  ]);
  return client.request('POST', `/api/pms/connections/${connectionId}/files`, payload, { 'content-type': `multipart/form-data; boundary=${boundary}` });
}

async function sync(): Promise<Record<string, any>> {
  const started = await t.admin.post(`/api/pms/connections/${t.connectionId}/sync`, {});
  expect(started.status).toBe(202);
  await drain(t);
  return (await t.admin.get(`/api/pms/connections/${t.connectionId}/runs`)).body.data.find((r: { id: string }) => r.id === started.body.id);
}

const files = async () => (await t.admin.get(`/api/pms/connections/${t.connectionId}/files`)).body.data as Array<Record<string, any>>;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'pms-files-'));
  t = await startPmsTestEnv({
    connect: false,
    env: { PMS_DROP_ROOT: root },
    sync: {
      files: {
        batchSize: 100,
        // The worker dies once, inside the transaction of the third batch of the first stays file it applies.
        onBatchApplied: ({ file, rowsDone }) => {
          if (deaths === 0 && file.startsWith('GUEST_MN_') && rowsDone === 300) {
            deaths++;
            throw new Error('worker died mid-file');
          }
        },
      },
    },
  });
  const created = await t.admin.post('/api/pms/connections', { name: '德安匯出檔', kind: 'dean_file', dropDir: 'hotel-a', propertyMap: { '01': t.tenant.propertyIds[0] } });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ kind: 'dean_file', baseUrl: '', apiKeyHint: '', dropDir: 'hotel-a', dropRootConfigured: true });
  t.connectionId = created.body.id;
  // The group's own folder under the root, then the connection's (pms.drop-folder.ts).
  folder = path.join(root, t.tenant.tenantId, 'hotel-a');
}, 120_000);
afterAll(async () => {
  await t.close();
  await rm(root, { recursive: true, force: true });
});

describe('files dropped in the connection’s folder', () => {
  it('are picked up by the sync, applied like the HTTP feeds (matching and stays on members), archived, and a crash mid-file resumes', async () => {
    const data = t.pms.sim.data;
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'GHIST_MN_01_20261205100000_FULL.csv'), csv(GUEST_COLUMNS, data.profiles as never, { bom: true }));
    await writeFile(path.join(folder, 'GUEST_MN_01_20261205100000_FULL.xlsx'), await xlsx(STAY_COLUMNS, data.stays as never));
    await writeFile(path.join(folder, 'notes.txt'), 'not a 德安 file');
    const run = await sync();
    expect(deaths).toBe(1);
    expect(run).toMatchObject({ status: 'succeeded', trigger: 'manual', rejected: 0, pulledProfiles: data.profiles.length, pulledStays: data.stays.length });
    // The batch the worker died in was rolled back and applied again: nothing counted twice.
    expect(run.created).toBe(data.profiles.length + data.stays.length);
    const [held] = await rows<{ profiles: number; stays: number }>(t, sql`select (select count(*)::int from pms_profiles) as profiles, (select count(*)::int from pms_stays) as stays`);
    expect(held).toEqual({ profiles: data.profiles.length, stays: data.stays.length });
    expect(run.linked).toBeGreaterThan(0);
    expect(run.staysApplied).toBeGreaterThan(0);
    expect(await falseLinks(t)).toEqual([]);
    // Archived; anything that is not a 德安 export is left alone.
    expect((await readdir(folder)).sort()).toEqual(['.innkeeper-owner', 'archive', 'notes.txt']);
    expect((await readdir(path.join(folder, 'archive'))).sort()).toEqual(['GHIST_MN_01_20261205100000_FULL.csv', 'GUEST_MN_01_20261205100000_FULL.xlsx']);
    const listed = await files();
    expect(listed).toHaveLength(2);
    for (const f of listed) expect(f).toMatchObject({ source: 'drop', status: 'applied', runId: run.id, rejected: 0 });
    expect(listed.find((f) => f.feed === 'guests')).toMatchObject({ format: 'csv', encoding: 'utf-8-bom', rowsTotal: data.profiles.length, rowsDone: data.profiles.length });
    expect(listed.find((f) => f.feed === 'stays')).toMatchObject({ format: 'xlsx', rowsTotal: data.stays.length, rowsDone: data.stays.length });
    // The party rides in the stays file (ORDER_DT's ADULT_QNT / CHILD_QNT), read from text cells; 0 and 0 is "not entered".
    const parties = await rows<{ stay_key: string; adults: number | null; children: number | null }>(t, sql`select stay_key, adults, children from pms_stays`);
    const byKey = new Map(data.stays.map((s) => [s.STAY_KEY, s]));
    const expectedParty = (s: { ADULT_QNT: number | null; CHILD_QNT: number | null }) => (s.ADULT_QNT === 0 && s.CHILD_QNT === 0 ? [null, null] : [s.ADULT_QNT, s.CHILD_QNT]);
    expect(parties.filter((p) => JSON.stringify([p.adults, p.children]) !== JSON.stringify(expectedParty(byKey.get(p.stay_key)!)))).toEqual([]);
    expect(parties.some((p) => p.children! > 0)).toBe(true);
    // The content is not kept once applied.
    const [content] = await rows<{ n: number }>(t, sql`select count(*)::int as n from pms_files where content is not null`);
    expect(content!.n).toBe(0);
  }, 120_000);

  it('never applies a file twice: the same content dropped again (any name) is recorded as a duplicate and archived', async () => {
    const archived = path.join(folder, 'archive', 'GHIST_MN_01_20261205100000_FULL.csv');
    await copyFile(archived, path.join(folder, 'GHIST_MN_01_20261205100000_FULL.csv'));
    await copyFile(archived, path.join(folder, 'GHIST_MN_01_20261206100000_DELTA.csv'));
    const history = await rows(t, sql`select (select count(*)::int from member_interactions) as n`);
    const run = await sync();
    expect(run).toMatchObject({ status: 'succeeded', pulledProfiles: 0, created: 0, updated: 0 });
    const duplicates = (await files()).filter((f) => f.status === 'duplicate');
    expect(duplicates).toHaveLength(2);
    const original = (await files()).find((f) => f.status === 'applied' && f.feed === 'guests')!;
    for (const d of duplicates) expect(d).toMatchObject({ duplicateOf: original.id, runId: run.id, sha256: original.sha256 });
    expect(await rows(t, sql`select (select count(*)::int from member_interactions) as n`)).toEqual(history);
    expect((await readdir(folder)).sort()).toEqual(['.innkeeper-owner', 'archive', 'notes.txt']);
    // Nothing in the archive is overwritten: the same name is archived beside the first.
    expect((await readdir(path.join(folder, 'archive'))).filter((n) => n.startsWith('GHIST_MN_01_20261205100000_FULL')).length).toBe(2);
  }, 60_000);

  it('sets bad rows aside with the file and row number, applies the rest; refuses a file without 德安’s columns as a whole', async () => {
    const good = { ...t.pms.sim.data.profiles[0], GCUST_COD: 'FILE000001', UPD_DAT: '2026-12-05 12:00:00', ALT_NAM: '林檔案' };
    const profiles = [good, { ...good, GCUST_COD: '', ALT_NAM: '沒有代碼' }, { ...good, GCUST_COD: 'FILE000003', UPD_DAT: '12/05/2026' }];
    await writeFile(path.join(folder, 'GHIST_MN_01_20261205120000_DELTA.csv'), csv(GUEST_COLUMNS, profiles as never));
    const stay = { STAY_KEY: '', IKEY: 'F1', IKEY_SEQ_NOS: '1', CI_SER: '1', GCUST_COD: 'FILE000001', HOTEL_COD: '01', CI_DAT: '2026-12-01', CO_DAT: '2026-11-30', ROOM_COD: 'DD', ORDER_STA: 'D', UPD_DAT: '2026-12-05 12:00:00' };
    const fine = { ...stay, IKEY: 'F2', CO_DAT: '2026-12-03', ADULT_QNT: '2', CHILD_QNT: '1' };
    await writeFile(path.join(folder, 'GUEST_MN_01_20261205120000_DELTA.csv'), csv(STAY_COLUMNS, [stay, fine, { ...fine, IKEY: 'F3', CHILD_QNT: '-1' }, { ...fine, IKEY: 'F4', ADULT_QNT: '兩位' }]));
    await writeFile(path.join(folder, 'GHIST_MN_01_20261205130000_DELTA.csv'), 'GCUST_COD,ALT_NAM\r\nX1,王\r\n');
    const run = await sync();
    expect(run).toMatchObject({ status: 'succeeded', created: 2, rejected: 5 });
    expect(run.rejects).toEqual(
      expect.arrayContaining([
        { stream: 'guests', key: '#2', reason: 'missing_gcust_cod', file: 'GHIST_MN_01_20261205120000_DELTA.csv', row: 3 },
        { stream: 'guests', key: 'FILE000003', reason: 'bad_upd_dat', file: 'GHIST_MN_01_20261205120000_DELTA.csv', row: 4 },
        { stream: 'stays', key: 'F1|1|1', reason: 'dates_reversed', file: 'GUEST_MN_01_20261205120000_DELTA.csv', row: 2 },
        { stream: 'stays', key: 'F3|1|1', reason: 'bad_party_size', file: 'GUEST_MN_01_20261205120000_DELTA.csv', row: 4 },
        { stream: 'stays', key: 'F4|1|1', reason: 'bad_party_size', file: 'GUEST_MN_01_20261205120000_DELTA.csv', row: 5 },
      ]),
    );
    expect(await rows(t, sql`select stay_key, adults, children from pms_stays where stay_key like 'F_|%'`)).toEqual([{ stay_key: 'F2|1|1', adults: 2, children: 1 }]);
    const listed = await files();
    expect(listed.find((f) => f.name === 'GHIST_MN_01_20261205120000_DELTA.csv')).toMatchObject({ status: 'applied', rejected: 2, rowsTotal: 3 });
    expect(listed.find((f) => f.name === 'GHIST_MN_01_20261205130000_DELTA.csv')).toMatchObject({ status: 'rejected', reason: 'missing_columns: UPD_DAT', archivedAt: expect.any(String) });
    expect((await readdir(folder)).sort()).toEqual(['.innkeeper-owner', 'archive', 'notes.txt']);
  }, 60_000);

  it('follows no link: a linked file is set aside and left, a drop folder that is a link out of the root fails the run', async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), 'pms-outside-'));
    await writeFile(path.join(outside, 'secret.csv'), 'GCUST_COD,UPD_DAT\r\nZ1,2026-12-05 00:00:00\r\n');
    await symlink(path.join(outside, 'secret.csv'), path.join(folder, 'GHIST_MN_01_20261205140000_DELTA.csv'));
    const run = await sync();
    expect(run.rejects).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'GHIST_MN_01_20261205140000_DELTA.csv', reason: 'not_a_regular_file' })]));
    expect(run.pulledProfiles).toBe(0);
    expect(await rows(t, sql`select gcust_cod from pms_profiles where gcust_cod = 'Z1'`)).toEqual([]);
    await rm(path.join(folder, 'GHIST_MN_01_20261205140000_DELTA.csv'));

    await symlink(outside, path.join(root, t.tenant.tenantId, 'linked-out'));
    expect((await t.admin.patch(`/api/pms/connections/${t.connectionId}`, { dropDir: 'linked-out' })).status).toBe(200);
    const failed = await sync();
    expect(failed.status).toBe('failed');
    expect(failed.errors.at(-1)).toMatchObject({ code: 'invalid_parameter' });
    expect((await t.admin.get(`/api/pms/connections/${t.connectionId}`)).body.alert).toMatchObject({ code: 'invalid_parameter' });
    expect(await rows(t, sql`select gcust_cod from pms_profiles where gcust_cod = 'Z1'`)).toEqual([]);
    // A path is not a folder name: refused by the schema.
    for (const dropDir of ['../etc', '/tmp', 'a/b', '.hidden']) expect((await t.admin.patch(`/api/pms/connections/${t.connectionId}`, { dropDir })).status).toBe(400);
    expect((await t.admin.patch(`/api/pms/connections/${t.connectionId}`, { dropDir: 'hotel-a' })).status).toBe(200);
    await rm(outside, { recursive: true, force: true });
  }, 60_000);
});

describe('files uploaded on the PMS page', () => {
  const profile = () => ({ ...t.pms.sim.data.profiles[1], GCUST_COD: 'UPLOAD0001', UPD_DAT: '2026-12-05 15:00:00', ALT_NAM: '陳上傳' });

  it('an upload is recorded and applied by a run of its own; the same file again is refused as a duplicate', async () => {
    const file = csv(GUEST_COLUMNS, [profile()]);
    const uploaded = await upload(t.admin, t.connectionId, '住客資料.csv', file);
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.file).toMatchObject({ name: '住客資料.csv', source: 'upload', feed: 'guests', status: 'pending', rowsTotal: 1 });
    expect(uploaded.body.run).toMatchObject({ trigger: 'upload', status: 'running' });
    await drain(t);
    const run = (await t.admin.get(`/api/pms/connections/${t.connectionId}/runs`)).body.data.find((r: { id: string }) => r.id === uploaded.body.run.id);
    expect(run).toMatchObject({ status: 'succeeded', created: 1, pulledProfiles: 1 });
    expect((await files()).find((f) => f.id === uploaded.body.file.id)).toMatchObject({ status: 'applied', runId: run.id });
    const again = await upload(t.admin, t.connectionId, 'again.csv', file);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'pms.file_duplicate', details: { fileId: uploaded.body.file.id, name: '住客資料.csv' } });
    const audit = await t.admin.get(`/api/audit-log?action=pms.file_uploaded&targetId=${t.connectionId}`);
    expect(audit.body.data).toHaveLength(1);
  }, 60_000);

  it('reads a Big5 CSV (older Taiwanese exports) as such', async () => {
    // 王 is A4FD and 林 AA4C in Big5: not valid UTF-8, so the file is read as Big5.
    const head = Buffer.from('GCUST_COD,ALT_NAM,UPD_DAT\r\nBIG5000001,', 'ascii');
    const body = Buffer.concat([head, Buffer.from([0xaa, 0x4c, 0xa4, 0xfd]), Buffer.from(',2026-12-05 16:00:00\r\n', 'ascii')]);
    const uploaded = await upload(t.admin, t.connectionId, 'GHIST_MN_01_20261205160000_DELTA.csv', body);
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.file).toMatchObject({ encoding: 'big5', rowsTotal: 1 });
    await drain(t);
    const [stored] = await rows<{ name: string }>(t, sql`select profile->>'registeredName' as name from pms_profiles where gcust_cod = 'BIG5000001'`);
    expect(stored!.name).toBe('林王');
  });

  it('a file that is not 德安’s layout is refused with the reason, nothing kept', async () => {
    const before = (await files()).length;
    const missing = await upload(t.admin, t.connectionId, 'GHIST_MN_01.csv', Buffer.from('GCUST_COD,ALT_NAM\r\nX,王\r\n'));
    expect([missing.status, missing.body.error.code, missing.body.error.details]).toEqual([400, 'pms.file_unreadable', { reason: 'missing_columns', missing: ['UPD_DAT'] }]);
    const unknown = await upload(t.admin, t.connectionId, 'list.csv', Buffer.from('name,phone\r\n王,0912\r\n'));
    expect(unknown.body.error).toMatchObject({ code: 'pms.file_unreadable', details: { reason: 'unknown_layout' } });
    const xls = await upload(t.admin, t.connectionId, 'old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0]));
    expect(xls.body.error).toMatchObject({ code: 'pms.file_unreadable', details: { reason: 'unsupported_format' } });
    const empty = await t.admin.post(`/api/pms/connections/${t.connectionId}/files`, {});
    expect([empty.status, empty.body.error.code]).toEqual([400, 'pms.file_missing']);
    expect((await files()).length).toBe(before);
  });

  it('needs pms.manage to upload and pms.view to list; another hotel group sees neither the connection nor its files', async () => {
    const role = await t.admin.post('/api/roles', { name: 'PMS 檢視', permissions: ['pms.view'] });
    await t.admin.post('/api/accounts', { email: 'viewer@pms-files.example', displayName: 'viewer', roleId: role.body.id, allProperties: true, propertyIds: [] });
    await new ApiClient(t.env).post('/api/auth/set-password', { token: await latestLinkToken(t.env, 'viewer@pms-files.example'), password: 'long enough passphrase' });
    const viewer = await signedInAs(t.env, 'viewer@pms-files.example', 'long enough passphrase');
    expect((await viewer.get(`/api/pms/connections/${t.connectionId}/files`)).status).toBe(200);
    expect((await upload(viewer, t.connectionId, 'GHIST_MN_x.csv', csv(GUEST_COLUMNS, [profile()]))).status).toBe(403);

    const other = await createTestTenant(t.env);
    const otherAdmin = await signedInAs(t.env, other.adminEmail, other.password);
    expect((await otherAdmin.get(`/api/pms/connections/${t.connectionId}/files`)).status).toBe(404);
    const foreign = await upload(otherAdmin, t.connectionId, 'GHIST_MN_y.csv', csv(GUEST_COLUMNS, [{ ...profile(), GCUST_COD: 'FOREIGN1' }]));
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'pms.connection_not_found']);
    // The other group naming the same drop folder gets a folder of its own (and learns nothing of this group's names).
    const same = await otherAdmin.post('/api/pms/connections', { name: 'x', kind: 'dean_file', dropDir: 'HOTEL-A' });
    expect(same.status).toBe(201);
    expect((await otherAdmin.get(`/api/pms/connections/${same.body.id}/drop-folder`)).body).toMatchObject({ path: `${other.tenantId}/HOTEL-A` });
    expect(await rows(t, sql`select gcust_cod from pms_profiles where gcust_cod = 'FOREIGN1'`)).toEqual([]);
  }, 60_000);
});
