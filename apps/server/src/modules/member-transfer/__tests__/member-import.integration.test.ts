import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { queryRows } from '../../../core/db/database.ts';
import { ApiClient, latestLinkToken, signedInAs } from '../../../../test/api-client.ts';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from '../../../../test/harness.ts';
import { big5, commitAndWait, csvText, download, readXlsx, uploadAndCheck, uploadFile, waitForImport, xlsxBuffer } from './transfer-helpers.ts';

let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
let marketing: ApiClient;
const ids: Record<string, string> = {};

async function account(email: string, roleKey: string): Promise<ApiClient> {
  const roles = (await admin.get('/api/roles')).body.data as Array<{ id: string; builtinKey: string }>;
  await admin.post('/api/accounts', { email, displayName: roleKey, roleId: roles.find((r) => r.builtinKey === roleKey)!.id });
  await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, email), password: 'long enough passphrase' });
  return signedInAs(env, email, 'long enough passphrase');
}

async function rawMember(where: ReturnType<typeof sql>) {
  const rows = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<Record<string, any>>(tx, sql`select * from members where deleted_at is null and ${where}`));
  return rows;
}

async function memberCount(): Promise<number> {
  return (await admin.post('/api/members/count', {})).body.count;
}

async function auditActions(importId: string): Promise<string[]> {
  const page = await admin.get(`/api/audit-log?targetId=${importId}`);
  return page.body.data.map((e: { action: string }) => e.action).sort();
}

beforeAll(async () => {
  env = await startTestEnv();
  await env.runtime.queue.start({ work: true });
  tenant = await createTestTenant(env);
  admin = await signedInAs(env, tenant.adminEmail, tenant.password);
  marketing = await account('mkt@hotel.example', 'marketing');
  await admin.post('/api/tags', { name: 'VIP', kind: 'basic' });
  await admin.post('/api/tags', { name: '商務客', kind: 'campaign' });
  ids.dup1 = (await admin.post('/api/members', { lastName: '甲', mobile: '0933000111' })).body.id;
  ids.dup2 = (await admin.post('/api/members', { lastName: '乙', mobile: '0933-000-111' })).body.id;
  ids.meiling = (await admin.post('/api/members', { lastName: '林', firstName: '美玲', email: 'meiling@example.com', gender: 'female', marketingOptIn: false })).body.id;
  ids.dawen = (await admin.post('/api/members', { lastName: '陳', firstName: '大文', email: 'dawen@example.com', mobile: '0911222333' })).body.id;
});
afterAll(() => env.close());

const HEADER = ['姓名', '電子信箱', '行動電話', '性別', '身分證字號', '生日', '是否接收優惠通知', '館別', '標籤', '備註'];
const ROWS = [
  ['王小明', 'Xiaoming.Wang@Example.COM', '0912-345-678', '男', 'f123456702', '1990/03/15', '是', 'TPE', 'VIP、商務客', '常客'],
  ['李四', 'li4@example.com', '0912000003', '男', 'A123456788', '', '', '', '', ''],
  ['張三', 'zhang3@example.com', '12ab', '', '', '', '', '', '', ''],
  ['趙五', 'zhao5@example.com', '0912000005', '', '', '', '', 'XXX', '', ''],
  ['錢六', 'qian6@example.com', '0912000006', '', '', '', '', '', '不存在的標籤', ''],
  ['某人', '', '0933000111', '', '', '', '', '', '', ''],
  ['孫七', 'sun7@example.com', '0912000008', '', '', '1990/13/45', '', '', '', ''],
  ['歐陽修', 'ouyang@example.com', '００８８６ ９１２ ０００ ００９', '女', 'X12345678', '79/03/15', 'N', '台中館', '', ''],
  ['林美玲', 'meiling@example.com', '', '', '', '', '是', '', '', ''],
  ['陳大文', 'DaWen@example.com', '+886 911 222 333', '', '', '', '', '', '', ''],
];
const FILE = '\uFEFF' + csvText([HEADER, ...ROWS]);

let firstImport: string;

describe('member import: upload and mapping', () => {
  it('reads the columns, shows sample rows and suggests a mapping from Chinese headers', async () => {
    const uploaded = await uploadFile(admin, '會員名單.csv', FILE);
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.import).toMatchObject({ fileName: '會員名單.csv', format: 'csv', encoding: 'utf-8-bom', status: 'uploaded', totalRows: 10, kind: 'members' });
    expect(uploaded.body.import.columns.map((c: { header: string }) => c.header)).toEqual(HEADER);
    expect(uploaded.body.sampleRows[0]).toEqual({ rowNumber: 2, cells: ROWS[0] });
    expect(uploaded.body.suggestedMapping).toEqual({
      fullName: 0, email: 1, mobile: 2, gender: 3, identity: 4, birthday: 5, marketingOptIn: 6, property: 7, tags: 8, notes: 9,
    });
    expect(uploaded.body.previousImports).toEqual([]);
    firstImport = uploaded.body.import.id;
  });

  it('refuses a mapping without a member key, a column twice, or a column that is not there', async () => {
    const noKey = await admin.post(`/api/member-imports/${firstImport}/check`, { mapping: { fullName: 0 } });
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.code).toBe('member_import.invalid_mapping');
    expect(noKey.body.error.details.issues[0].message).toContain('重複匯入時才能比對到同一位會員');
    const twice = await admin.post(`/api/member-imports/${firstImport}/check`, { mapping: { email: 1, notes: 1, tags: 30 } });
    expect(twice.body.error.details.issues.map((i: { path: string }) => i.path).sort()).toEqual(['mapping.notes', 'mapping.tags']);
    const unknownField = await admin.post(`/api/member-imports/${firstImport}/check`, { mapping: { email: 1, shoeSize: 2 } });
    expect(unknownField.status).toBe(400);
    expect((await admin.post(`/api/member-imports/${firstImport}/commit`)).status).toBe(409);
  });

  it('refuses files that are not CSV or XLSX, empty files, and accounts without members.edit', async () => {
    expect((await uploadFile(admin, 'old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]))).body.error.code).toBe('member_import.unsupported_format');
    expect((await uploadFile(admin, 'empty.csv', '姓名,手機\r\n')).body.error.code).toBe('member_import.empty');
    expect((await admin.post('/api/member-imports', { file: 'x' })).status).toBe(400);
    expect((await uploadFile(marketing, '會員名單.csv', FILE)).status).toBe(403);
    const tooLarge = await uploadFile(admin, 'huge.csv', Buffer.alloc(20 * 1024 * 1024 + 1, 0x41));
    expect([tooLarge.status, tooLarge.body.error.code]).toEqual([413, 'member_import.file_too_large']);
  });

  it('drops a NUL character from an uploaded file name (PostgreSQL text cannot hold it)', async () => {
    const upload = await uploadFile(admin, '會員\u0000名單.csv', csvText([HEADER, ROWS[0]!]));
    expect([upload.status, upload.body.import?.fileName]).toEqual([201, '會員名單.csv']);
  });

  it('imports a file with a NUL character in a cell: the NUL is dropped, the row is imported (PostgreSQL text cannot hold it)', async () => {
    const file = csvText([['姓名', '電子信箱'], ['王\u0000大同', 'nul.cell@example.com']]);
    const { id } = await uploadAndCheck(admin, 'nul.csv', file, { mapping: { fullName: 0, email: 1 } });
    const done = await commitAndWait(admin, id);
    expect(done.status).toBe('completed');
    const [member] = await rawMember(sql`email = 'nul.cell@example.com'`);
    expect([member?.last_name, member?.first_name]).toEqual(['王', '大同']);
  });

  it('checks the session and permission before reading an upload: a refused 20 MB file is not read', async () => {
    // A body pulled on demand, counting what the server asked for.
    const upload = () => {
      const boundary = 'refused-upload';
      const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.csv"\r\n\r\n`);
      const chunk = Buffer.alloc(64 * 1024, 0x41);
      let sent = 0;
      const body = new Readable({
        read() {
          if (sent === 0) this.push(head);
          if (sent >= 20 * 1024 * 1024) return void this.push(null);
          sent += chunk.length;
          this.push(chunk);
        },
      });
      return { boundary, body, read: () => sent };
    };
    const attempts: Array<{ headers: Record<string, string>; status: number; code: string }> = [
      { headers: { cookie: marketing.cookie!, 'x-csrf-token': marketing.csrfToken! }, status: 403, code: 'auth.forbidden' },
      { headers: { cookie: `ik_session=${tenant.tenantId}.${'x'.repeat(43)}` }, status: 401, code: 'auth.unauthenticated' },
      { headers: { cookie: admin.cookie! }, status: 403, code: 'auth.csrf_invalid' },
    ];
    for (const attempt of attempts) {
      const { boundary, body, read } = upload();
      const response = await env.app.inject({ method: 'POST', url: '/api/member-imports', payload: body, headers: { ...attempt.headers, 'content-type': `multipart/form-data; boundary=${boundary}` } });
      expect([response.statusCode, response.json().error.code]).toEqual([attempt.status, attempt.code]);
      expect(read(), attempt.code).toBeLessThan(1024 * 1024);
    }
  });
});

describe('member import: dry run', () => {
  it('validates every row: bad rows come back with row number, column and reason; good rows are planned', async () => {
    const before = await memberCount();
    const checked = await admin.post(`/api/member-imports/${firstImport}/check`, { mapping: { fullName: 0, email: 1, mobile: 2, gender: 3, identity: 4, birthday: 5, marketingOptIn: 6, property: 7, tags: 8, notes: 9 } });
    expect(checked.status).toBe(200);
    expect(checked.body).toMatchObject({ status: 'checked', totalRows: 10, processedRows: 10, progress: 100, validRows: 4, errorRows: 6, planned: { create: 2, update: 1, unchanged: 1 }, result: null });
    expect(await memberCount()).toBe(before);

    const errors = (await admin.get(`/api/member-imports/${firstImport}/rows?action=error`)).body;
    expect(errors.total).toBe(6);
    const byRow = Object.fromEntries(errors.data.map((r: { rowNumber: number; errors: Array<{ column: string; message: string; value: string }> }) => [r.rowNumber, r.errors[0]]));
    expect(byRow[3]).toMatchObject({ column: '身分證字號', message: '身分證字號檢查碼不正確，請再確認號碼。', value: 'A12*****88' });
    expect(byRow[4]).toMatchObject({ column: '行動電話', message: expect.stringContaining('手機號碼') });
    expect(byRow[5]).toMatchObject({ column: '館別', message: '找不到館別「XXX」，請填館別代碼或名稱。', value: 'XXX' });
    expect(byRow[6]).toMatchObject({ column: '標籤', message: expect.stringContaining('不存在的標籤') });
    expect(byRow[7]).toMatchObject({ column: '行動電話', message: expect.stringContaining('有多位會員使用此手機'), value: '+886 933***111' });
    expect(byRow[8]).toMatchObject({ column: '生日', message: expect.stringContaining('無法辨識的日期'), value: '****/**/**' });

    const planned = (await admin.get(`/api/member-imports/${firstImport}/rows?pageSize=50`)).body.data as Array<{ rowNumber: number; action: string; fields: string[]; memberId: string | null }>;
    const action = Object.fromEntries(planned.map((r) => [r.rowNumber, r.action]));
    expect(action).toMatchObject({ 2: 'create', 9: 'create', 10: 'update', 11: 'unchanged' });
    expect(planned.find((r) => r.rowNumber === 10)).toMatchObject({ fields: ['marketingOptIn'], memberId: ids.meiling });
    expect(planned.find((r) => r.rowNumber === 2)!.fields).toEqual(expect.arrayContaining(['lastName', 'firstName', 'email', 'mobile', 'identity', 'birthday', 'tags']));

    const summary = checked.body.errorSummary as Array<{ field: string; count: number; message: string }>;
    expect(summary.reduce((n, e) => n + e.count, 0)).toBe(6);
  });

  it('answers in English for English-speaking staff', async () => {
    expect((await admin.patch('/api/auth/me', { locale: 'en' })).status).toBe(200);
    const errors = (await admin.get(`/api/member-imports/${firstImport}/rows?action=error`)).body.data;
    await admin.patch('/api/auth/me', { locale: 'zh-TW' });
    expect(errors[0].errors[0]).toMatchObject({ fieldLabel: 'ID or passport no', message: 'The ID number checksum is wrong. Please check the number.' });
  });
});

describe('member import: the import job', () => {
  it('imports the good rows in the background, normalised, with provenance, history and one audit entry per step', async () => {
    const meilingBefore = (await admin.get(`/api/members/${ids.meiling}`)).body;
    env.clock.advanceMinutes(1);
    const dawenBefore = (await admin.get(`/api/members/${ids.dawen}`)).body;
    const done = await commitAndWait(admin, firstImport);
    expect(done).toMatchObject({ status: 'completed', processedRows: 10, progress: 100, validRows: 4, errorRows: 6, result: { created: 2, updated: 1, unchanged: 1 } });
    expect(done.finishedAt).toEqual(expect.any(String));

    const [wang] = await rawMember(sql`email = 'xiaoming.wang@example.com'`);
    expect(wang).toMatchObject({ last_name: '王', first_name: '小明', gender: 'male', mobile: '+886912345678', marketing_opt_in: true, opt_in_source: 'import', notes: '常客', id_type: 'national_id', id_number_masked: 'F12*****02', property_id: tenant.propertyIds[0] });
    expect(JSON.stringify(wang)).not.toContain('F123456702');
    expect(wang!.member_no).toMatch(/^M\d{7}$/);
    ids.wang = wang!.id;
    expect((await admin.get(`/api/members/${ids.wang}`)).body.birthday).toBe('1990-03-15');

    const [ouyang] = await rawMember(sql`email = 'ouyang@example.com'`);
    expect(ouyang).toMatchObject({ last_name: '歐陽', first_name: '修', gender: 'female', mobile: '+886912000009', id_type: 'passport', marketing_opt_in: false, property_id: tenant.propertyIds[1] });
    expect((await admin.get(`/api/members/${ouyang!.id}`)).body.birthday).toBe('1990-03-15');
    ids.ouyang = ouyang!.id;

    const tags = (await admin.get(`/api/members/${ids.wang}/tags`)).body.data as Array<{ name: string; source: string; sourceRef: string; sourceLabel: string }>;
    expect(tags.map((t) => t.name).sort()).toEqual(['VIP', '商務客']);
    expect(tags.every((t) => t.source === 'import' && t.sourceRef === firstImport && t.sourceLabel === '會員名單.csv')).toBe(true);

    const timeline = (await admin.get(`/api/members/${ids.wang}/timeline`)).body.data as Array<{ type: string; details: Record<string, unknown>; actorType: string; actorRef: string }>;
    const imported = timeline.find((e) => e.type === 'imported')!;
    expect(imported).toMatchObject({ actorType: 'import', actorRef: firstImport, details: { importId: firstImport, action: 'created' } });
    expect(JSON.stringify(timeline)).not.toContain('0912');

    const meiling = (await admin.get(`/api/members/${ids.meiling}`)).body;
    expect(meiling).toMatchObject({ marketingOptIn: true, optInSource: 'import', lastName: '林', firstName: '美玲' });
    expect(meiling.updatedAt).not.toBe(meilingBefore.updatedAt);
    const meilingHistory = (await admin.get(`/api/members/${ids.meiling}/timeline`)).body.data.map((e: { type: string; details: Record<string, unknown> }) => [e.type, e.details.fields ?? null]);
    // Her consent was all the import changed: one entry says so (it showed twice, as an import of 接收行銷訊息 too).
    expect(meilingHistory.filter(([type]: [string]) => type === 'imported' || type === 'opted_in')).toEqual([['opted_in', null]]);

    const dawen = (await admin.get(`/api/members/${ids.dawen}`)).body;
    expect(dawen.updatedAt).toBe(dawenBefore.updatedAt);
    expect((await admin.get(`/api/members/${ids.dawen}/timeline`)).body.data.map((e: { type: string }) => e.type)).toEqual(['created']);

    expect(await auditActions(firstImport)).toEqual(['member_import.completed', 'member_import.started']);
    const completed = (await admin.get(`/api/audit-log?action=member_import.completed&targetId=${firstImport}`)).body.data[0];
    expect(completed.details).toMatchObject({ created: 2, updated: 1, unchanged: 1, errorRows: 6, rows: 10 });
  });

  it('re-importing the same file changes nothing', async () => {
    env.clock.advanceMinutes(1);
    const timelineBefore = (await admin.get(`/api/members/${ids.wang}/timeline`)).body.data.length;
    const wangBefore = (await admin.get(`/api/members/${ids.wang}`)).body;
    const before = await memberCount();
    const again = await uploadAndCheck(admin, '會員名單.csv', FILE);
    expect(again.uploaded.previousImports.map((p: { id: string }) => p.id)).toEqual([firstImport]);
    expect(again.checked).toMatchObject({ planned: { create: 0, update: 0, unchanged: 4 }, errorRows: 6 });
    const done = await commitAndWait(admin, again.id);
    expect(done.result).toEqual({ created: 0, updated: 0, unchanged: 4 });
    expect(await memberCount()).toBe(before);
    expect((await admin.get(`/api/members/${ids.wang}/timeline`)).body.data).toHaveLength(timelineBefore);
    expect((await admin.get(`/api/members/${ids.wang}`)).body.updatedAt).toBe(wangBefore.updatedAt);
  });

  it('a file with one changed cell updates exactly that member and field', async () => {
    env.clock.advanceMinutes(1);
    const changed = ROWS.map((row) => [...row]);
    changed[0]![9] = '貴賓';
    const again = await uploadAndCheck(admin, '會員名單-修改.csv', csvText([HEADER, ...changed]));
    expect(again.checked.planned).toEqual({ create: 0, update: 1, unchanged: 3 });
    const done = await commitAndWait(admin, again.id);
    expect(done.result).toEqual({ created: 0, updated: 1, unchanged: 3 });
    const rows = (await admin.get(`/api/member-imports/${again.id}/rows?action=update`)).body.data;
    expect(rows).toEqual([expect.objectContaining({ rowNumber: 2, memberId: ids.wang, fields: ['notes'] })]);
    expect((await admin.get(`/api/members/${ids.wang}`)).body.notes).toBe('貴賓');
  });

  it('offers the errors as a downloadable CSV and XLSX report, personal data masked', async () => {
    const csv = await download(admin, 'GET', `/api/member-imports/${firstImport}/error-report?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(String(csv.headers['content-disposition'])).toContain(`filename*=UTF-8''${encodeURIComponent('會員名單-錯誤報告.csv')}`);
    expect(csv.bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const records = parse(csv.bytes, { bom: true }) as string[][];
    expect(records[0]).toEqual(['列號', '欄位', '檔案欄名', '內容', '原因']);
    expect(records.slice(1).map((r) => r[0])).toEqual(['3', '4', '5', '6', '7', '8']);
    expect(records[1]).toEqual(['3', '身分證／護照號碼', '身分證字號', 'A12*****88', '身分證字號檢查碼不正確，請再確認號碼。']);
    expect(csv.bytes.toString('utf8')).not.toContain('A123456788');

    const xlsx = await download(admin, 'GET', `/api/member-imports/${firstImport}/error-report?format=xlsx`);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const sheet = await readXlsx(xlsx.bytes);
    expect(sheet).toHaveLength(7);
    expect(sheet[5]!.map((c) => c.value)).toEqual(['7', '手機', '行動電話', '+886 933***111', expect.stringContaining('有多位會員使用此手機')]);
  });
});

describe('member import: other files', () => {
  it('reads XLSX with English headers, date cells, numeric mobiles, Excel serial dates and property names', async () => {
    const wang = (await admin.get(`/api/members/${ids.wang}`)).body;
    const file = await xlsxBuffer([
      ['Member no', 'Last name', 'First name', 'Email', 'Mobile', 'Birthday', 'Gender', 'Opt-in', 'Property', 'Language'],
      [wang.memberNo, '王', '小明', '', '', '', '', '', '', 'English'],
      ['', 'Tanaka', 'Yuki', 'yuki@example.jp', 912000010, new Date(Date.UTC(1985, 6, 4)), 'F', 'TRUE', '台中館', 'ja'],
      ['', 'Lee', 'Ann', 'ann@example.com', '0912000012', 32947, 'female', 'no', 'txg', ''],
      ['', 'Future', 'Kid', 'kid@example.com', '', '2099-01-01', '', '', '', ''],
    ]);
    const { id, checked, uploaded } = await uploadAndCheck(admin, 'members.xlsx', file);
    expect(uploaded.import).toMatchObject({ format: 'xlsx', totalRows: 4 });
    expect(uploaded.suggestedMapping).toEqual({ memberNo: 0, lastName: 1, firstName: 2, email: 3, mobile: 4, birthday: 5, gender: 6, marketingOptIn: 7, property: 8, preferredLanguage: 9 });
    expect(checked).toMatchObject({ planned: { create: 2, update: 1, unchanged: 0 }, errorRows: 1 });
    const error = (await admin.get(`/api/member-imports/${id}/rows?action=error`)).body.data[0];
    expect(error).toMatchObject({ rowNumber: 5, errors: [expect.objectContaining({ column: 'Birthday', message: '生日不可晚於今天。' })] });
    await commitAndWait(admin, id);
    const [tanaka] = await rawMember(sql`email = 'yuki@example.jp'`);
    expect(tanaka).toMatchObject({ mobile: '+886912000010', gender: 'female', marketing_opt_in: true, preferred_language: 'ja', property_id: tenant.propertyIds[1] });
    expect((await admin.get(`/api/members/${tanaka!.id}`)).body.birthday).toBe('1985-07-04');
    const [lee] = await rawMember(sql`email = 'ann@example.com'`);
    expect((await admin.get(`/api/members/${lee!.id}`)).body.birthday).toBe('1990-03-15');
    expect((await admin.get(`/api/members/${ids.wang}`)).body.preferredLanguage).toBe('en');
  });

  it('detects and converts Big5-encoded CSV', async () => {
    const bytes = big5('姓名,手機,性別\r\n吳大同,0912000011,男\r\n');
    const { uploaded, id, checked } = await uploadAndCheck(admin, 'big5.csv', bytes);
    expect(uploaded.import.encoding).toBe('big5');
    expect(uploaded.import.columns.map((c: { header: string }) => c.header)).toEqual(['姓名', '手機', '性別']);
    expect(checked.planned.create).toBe(1);
    await commitAndWait(admin, id);
    expect(await rawMember(sql`mobile = '+886912000011'`)).toEqual([expect.objectContaining({ last_name: '吳', first_name: '大同', gender: 'male' })]);
  });

  it('runs the dry run of a large file as a job with progress, then imports it in batches', async () => {
    const rows = Array.from({ length: 2100 }, (_, i) => [`測試${i}`, `bulk${i}@example.com`, '']);
    const file = csvText([['姓名', 'Email', '備註'], ...rows]);
    const broken = file.replace('bulk5@example.com', 'bulk5@');
    const uploaded = await uploadFile(admin, 'large.csv', broken);
    const id = uploaded.body.import.id;
    const checking = await admin.post(`/api/member-imports/${id}/check`, { mapping: uploaded.body.suggestedMapping });
    expect(checking.body).toMatchObject({ status: 'checking', totalRows: 2100 });
    const checked = await waitForImport(admin, id, ['checked']);
    expect(checked).toMatchObject({ processedRows: 2100, progress: 100, planned: { create: 2099, update: 0, unchanged: 0 }, errorRows: 1 });
    const done = await commitAndWait(admin, id);
    expect(done).toMatchObject({ processedRows: 2100, result: { created: 2099, updated: 0, unchanged: 0 }, errorRows: 1 });
    const numbers = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
      queryRows<{ n: number; distinct_no: number }>(tx, sql`select count(*)::int as n, count(distinct member_no)::int as distinct_no from members where email like 'bulk%'`),
    );
    expect(numbers[0]).toEqual({ n: 2099, distinct_no: 2099 });
  });
});

describe('stay import', () => {
  it('imports stays matched to members by member number or mobile, idempotent by reservation number', async () => {
    env.clock.advanceMinutes(1);
    const wang = (await admin.get(`/api/members/${ids.wang}`)).body;
    const header = ['會員編號', '手機', '館別', '入住日', '退房日', '房型', '房價代碼', '訂房管道', '金額', '訂房狀態', '訂房編號', '大人', '小孩'];
    const rows = [
      [wang.memberNo, '', 'TPE', '2026/10/01', '2026/10/03', 'DLX', 'BAR', 'Booking.com', 'NT$6,800', '已退房', 'R-1001', '2', '1人'],
      ['', '0912000009', '台中館', '115/11/20', '115/11/24', 'STD', '', '官網', '12000', '住房中', 'R-1002', '', ''],
      ['', '0987000000', 'TPE', '2026/10/01', '2026/10/02', '', '', '', '', '', 'R-1003', '', ''],
      [wang.memberNo, '', 'TPE', '2026/10/05', '2026/10/04', '', '', '', '', '', 'R-1004', '', ''],
      [wang.memberNo, '', 'TPE', '2026/10/08', '2026/10/09', '', '', '', '', '', 'R-1001', '', ''],
      [wang.memberNo, '', 'TPE', '2026/10/11', '2026/10/12', '', '', '', '', '', 'R-1005', '2', '-1'],
    ];
    const { id, uploaded, checked } = await uploadAndCheck(admin, '住房紀錄.csv', csvText([header, ...rows]), { kind: 'stays' });
    expect(uploaded.suggestedMapping).toEqual({ memberNo: 0, mobile: 1, property: 2, checkIn: 3, checkOut: 4, roomType: 5, rateCode: 6, channel: 7, amount: 8, status: 9, reservationNo: 10, adults: 11, children: 12 });
    expect(checked).toMatchObject({ kind: 'stays', planned: { create: 2, update: 0, unchanged: 0 }, errorRows: 4 });
    const errors = Object.fromEntries((await admin.get(`/api/member-imports/${id}/rows?action=error`)).body.data.map((r: { rowNumber: number; errors: Array<{ message: string }> }) => [r.rowNumber, r.errors[0]!.message]));
    expect(errors).toEqual({ 4: '找不到符合的會員，請先匯入會員資料。', 5: '退房日不可早於入住日。', 6: '與第 2 列的訂房編號重複。', 7: '人數請填 0 到 99 的整數。' });
    await commitAndWait(admin, id);

    const stays = (await admin.get(`/api/members/${ids.wang}/stays`)).body.data;
    expect(stays).toEqual([expect.objectContaining({ source: 'import', externalId: 'R-1001', checkIn: '2026-10-01', checkOut: '2026-10-03', nights: 2, amount: 6800, status: 'stayed', roomType: 'DLX', channel: 'Booking.com', adults: 2, children: 1 })]);
    const ouyangStays = (await admin.get(`/api/members/${ids.ouyang}/stays`)).body.data;
    expect(ouyangStays).toEqual([expect.objectContaining({ externalId: 'R-1002', checkIn: '2026-11-20', status: 'in_house', propertyId: tenant.propertyIds[1], adults: null, children: null })]);
    expect((await admin.get(`/api/members/${ids.wang}/timeline`)).body.data[0]).toMatchObject({ type: 'stay_added', actorType: 'import' });

    const again = await uploadAndCheck(admin, '住房紀錄.csv', csvText([header, ...rows]), { kind: 'stays' });
    expect(again.checked.planned).toEqual({ create: 0, update: 0, unchanged: 2 });
    const changed = rows.map((r) => [...r]);
    changed[0]![8] = '7200';
    const third = await uploadAndCheck(admin, '住房紀錄-2.csv', csvText([header, ...changed]), { kind: 'stays' });
    expect(third.checked.planned).toEqual({ create: 0, update: 1, unchanged: 1 });
    expect((await commitAndWait(admin, third.id)).result).toEqual({ created: 0, updated: 1, unchanged: 1 });
    expect((await admin.get(`/api/members/${ids.wang}/stays`)).body.data[0].amount).toBe(7200);
  });
});

describe('member import: property scope', () => {
  it('an account limited to some properties imports only members of those properties', async () => {
    const roles = (await admin.get('/api/roles')).body.data as Array<{ id: string; builtinKey: string }>;
    await admin.post('/api/accounts', { email: 'tpe-desk@hotel.example', displayName: '台北櫃檯', roleId: roles.find((r) => r.builtinKey === 'customer_service')!.id, allProperties: false, propertyIds: [tenant.propertyIds[0]] });
    await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, 'tpe-desk@hotel.example'), password: 'long enough passphrase' });
    const desk = await signedInAs(env, 'tpe-desk@hotel.example', 'long enough passphrase');
    const file = csvText([
      ['姓名', '電子信箱', '館別'],
      ['台北客', 'tpe-guest@example.com', 'TPE'],
      ['台中客', 'txg-guest@example.com', 'TXG'],
      ['無館別', 'nowhere@example.com', ''],
      ['歐陽修', 'ouyang@example.com', ''],
    ]);
    const { checked, id } = await uploadAndCheck(desk, 'scope.csv', file);
    expect(checked).toMatchObject({ planned: { create: 1, update: 0, unchanged: 0 }, errorRows: 3 });
    const errors = (await desk.get(`/api/member-imports/${id}/rows?action=error`)).body.data.map((r: { rowNumber: number; errors: Array<{ field: string; message: string }> }) => [r.rowNumber, r.errors[0]!.field, r.errors[0]!.message]);
    expect(errors).toEqual([
      [3, 'property', '此會員或館別不在您可管理的館別範圍內。'],
      [4, 'property', '此會員或館別不在您可管理的館別範圍內。'],
      [5, 'email', '此會員或館別不在您可管理的館別範圍內。'],
    ]);
  });
});

describe('member import: tenant isolation', () => {
  it('another hotel group cannot see or touch this import', async () => {
    const other = await createTestTenant(env);
    const otherAdmin = await signedInAs(env, other.adminEmail, other.password);
    expect((await otherAdmin.get(`/api/member-imports/${firstImport}`)).status).toBe(404);
    expect((await otherAdmin.get(`/api/member-imports/${firstImport}/rows`)).status).toBe(404);
    expect((await otherAdmin.post(`/api/member-imports/${firstImport}/check`, { mapping: { email: 1 } })).status).toBe(404);
    expect((await download(otherAdmin, 'GET', `/api/member-imports/${firstImport}/error-report`)).status).toBe(404);
    expect((await otherAdmin.get('/api/member-imports')).body.total).toBe(0);
  });
});
