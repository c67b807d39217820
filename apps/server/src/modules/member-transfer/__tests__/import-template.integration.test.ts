import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, type ApiClient } from '../../../../test/api-client.ts';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from '../../../../test/harness.ts';
import { commitAndWait, csvText, download, readXlsx, uploadAndCheck, uploadFile } from './transfer-helpers.ts';

let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;

beforeAll(async () => {
  env = await startTestEnv();
  await env.runtime.queue.start({ work: true });
  tenant = await createTestTenant(env);
  admin = await signedInAs(env, tenant.adminEmail, tenant.password);
  await admin.post('/api/tags', { name: 'VIP', kind: 'basic' });
  await admin.post('/api/tags', { name: '商務客', kind: 'basic' });
});
afterAll(() => env.close());

describe('import templates', () => {
  it('the member template has recognised headers and a marked example row, which the importer skips with a notice', async () => {
    const template = await download(admin, 'GET', '/api/member-imports/template?kind=members&format=csv');
    expect(template.status).toBe(200);
    expect(String(template.headers['content-disposition'])).toContain(encodeURIComponent('會員匯入範本.csv'));
    const [header, example] = parse(template.bytes, { bom: true }) as string[][];
    expect(header).toEqual(['會員編號', '姓', '名', '性別', '生日', '手機', 'Email', '身分證／護照號碼', '護照國籍', '接收優惠通知', '館別', '語言', '備註', '標籤']);
    expect(example![0]).toBe('範例（匯入時略過）');
    expect(example).toContain('guest@example.com');

    // Filled in below the example, which nobody deleted: only the real guest is imported.
    const filled = Buffer.concat([template.bytes, Buffer.from(csvText([['', '張', '三', '男', '1985/01/02', '0922-333-444', 'zhang@example.com', '', '', '是', 'TPE', '中文', '', 'VIP']]))]);
    const { uploaded, checked, id } = await uploadAndCheck(admin, '會員匯入範本.csv', filled);
    expect(uploaded.exampleRows).toEqual([2]);
    expect(uploaded.import.totalRows).toBe(1);
    expect(uploaded.sampleRows.map((r: { rowNumber: number }) => r.rowNumber)).toEqual([3]);
    expect(checked).toMatchObject({ errorRows: 0, planned: { create: 1, update: 0, unchanged: 0 } });
    expect((await commitAndWait(admin, id)).result).toEqual({ created: 1, updated: 0, unchanged: 0 });
    // The tenant had no members: the one now there is the real guest, not the example.
    expect((await admin.post('/api/members/count', {})).body.count).toBe(1);
    // Every history entry of the import names the file the same way (the tag's entry named the job, 「import」).
    const [created] = (await admin.get(`/api/member-imports/${id}/rows`)).body.data as Array<{ memberId: string }>;
    const timeline = (await admin.get(`/api/members/${created!.memberId}/timeline`)).body.data as Array<{ type: string; actorType: string; actorLabel: string }>;
    expect(timeline.map((e) => e.type).sort()).toEqual(['imported', 'tag_added']);
    for (const entry of timeline) expect(entry).toMatchObject({ actorType: 'import', actorLabel: '會員匯入範本.csv' });
  });

  it('the stay template (XLSX, English) is skipped the same way', async () => {
    await admin.patch('/api/auth/me', { locale: 'en' });
    const template = await download(admin, 'GET', '/api/member-imports/template?kind=stays&format=xlsx');
    await admin.patch('/api/auth/me', { locale: 'zh-TW' });
    expect(template.status).toBe(200);
    const sheet = await readXlsx(template.bytes);
    expect(sheet[0]!.map((c) => c.value)).toContain('Reservation no');
    expect(sheet[1]![0]!.value).toBe('Example (skipped on import)');
    const uploaded = await uploadFile(admin, 'stays.xlsx', template.bytes, '?kind=stays');
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.exampleRows).toEqual([2]);
    expect(uploaded.body.import.totalRows).toBe(0);
  });
});

describe('import history and summary', () => {
  it('lists no uploads that were never taken further (they cannot be opened again without the file)', async () => {
    const abandoned = await uploadFile(admin, 'abandoned.csv', csvText([['姓名', 'Email'], ['王一', 'one@example.com']]));
    expect(abandoned.status).toBe(201);
    const list = (await admin.get('/api/member-imports?pageSize=100')).body;
    expect(list.data.map((i: { id: string }) => i.id)).not.toContain(abandoned.body.import.id);
    expect(list.data.every((i: { status: string }) => i.status !== 'uploaded')).toBe(true);
    // The upload itself still opens (the page that uploaded it carries on), and once checked it is listed.
    expect((await admin.get(`/api/member-imports/${abandoned.body.import.id}`)).status).toBe(200);
    const { id } = await uploadAndCheck(admin, 'checked.csv', csvText([['姓名', 'Email'], ['王二', 'two@example.com']]));
    const after = (await admin.get('/api/member-imports?pageSize=100')).body;
    expect(after.data.map((i: { id: string }) => i.id)).toContain(id);
    expect(after.total).toBe(after.data.length);
  });

  it('the error summary names the same properties as the rows it stands for', async () => {
    const { checked, id } = await uploadAndCheck(admin, 'properties.csv', csvText([
      ['姓名', 'Email', '館別'],
      ['甲', 'a@example.com', '台南館'],
      ['乙', 'b@example.com', '高雄'],
      ['丙', 'c@example.com', '台南館'],
    ]));
    const rows = (await admin.get(`/api/member-imports/${id}/rows?action=error`)).body.data as Array<{ errors: Array<{ message: string }> }>;
    expect(rows.map((r) => r.errors[0]!.message)).toEqual(['找不到館別「台南館」，請填館別代碼或名稱。', '找不到館別「高雄」，請填館別代碼或名稱。', '找不到館別「台南館」，請填館別代碼或名稱。']);
    expect(checked.errorSummary).toEqual([expect.objectContaining({ field: 'property', count: 3, message: expect.stringMatching(/^找不到館別「(台南館、高雄|高雄、台南館)」，請填館別代碼或名稱。$/) })]);

    const many = await uploadAndCheck(admin, 'many.csv', csvText([['姓名', 'Email', '館別'], ...['一', '二', '三', '四', '五'].map((n, i) => [n, `p${i}@example.com`, `${n}館`])]));
    expect(many.checked.errorSummary[0].message).toMatch(/^找不到館別「[^」]+、[^」]+、[^」]+、…」/);
  });

  it('a missing tag is named once however the rows spell it (any case, any width), in each row and in the summary (browser review)', async () => {
    const { checked, id } = await uploadAndCheck(admin, 'missing-tags.csv', csvText([
      ['姓名', 'Email', '標籤'],
      ['甲', 'ta@example.com', 'Ｆａｍｉｌｙ、family'],
      ['乙', 'tb@example.com', 'ＦＡＭＩＬＹ'],
      ['丙', 'tc@example.com', 'Spa'],
    ]));
    const rows = (await admin.get(`/api/member-imports/${id}/rows?action=error`)).body.data as Array<{ errors: Array<{ message: string }> }>;
    expect(rows.map((r) => r.errors[0]!.message)).toEqual([
      '找不到標籤「Ｆａｍｉｌｙ」；請先建立標籤（匯入不會自動新增標籤）。',
      '找不到標籤「ＦＡＭＩＬＹ」；請先建立標籤（匯入不會自動新增標籤）。',
      '找不到標籤「Spa」；請先建立標籤（匯入不會自動新增標籤）。',
    ]);
    // One spelling of the two rows' (whichever the summary met first), and Spa: two tags, not three.
    const summary = (checked.errorSummary as Array<{ field: string; count: number; message: string }>).find((e) => e.field === 'tags');
    expect(summary).toEqual(expect.objectContaining({ count: 3, message: expect.stringMatching(/^找不到標籤「((Ｆａｍｉｌｙ|ＦＡＭＩＬＹ)、Spa|Spa、(Ｆａｍｉｌｙ|ＦＡＭＩＬＹ))」；/) }));
  });
});
