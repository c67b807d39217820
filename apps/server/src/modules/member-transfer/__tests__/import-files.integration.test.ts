import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../core/db/database.ts';
import type { ApiClient} from '../../../../test/api-client.ts';
import { signedInAs } from '../../../../test/api-client.ts';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from '../../../../test/harness.ts';
import { expireImportFilesJob } from '../import-files.ts';
import { commitAndWait, csvText, uploadAndCheck, uploadFile } from './transfer-helpers.ts';

let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;

beforeAll(async () => {
  env = await startTestEnv();
  await env.runtime.queue.start({ work: true });
  tenant = await createTestTenant(env);
  admin = await signedInAs(env, tenant.adminEmail, tenant.password);
});
afterAll(() => env.close());

const HEADER = ['姓名', '電子郵件', '行動電話'];
const file = (...rows: string[][]) => '\uFEFF' + csvText([HEADER, ...rows]);

/** Whether the uploaded file is still in the database, read as stored. */
async function held(importId: string): Promise<{ held: boolean; removed: boolean }> {
  const [row] = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
    queryRows<{ held: boolean; removed: boolean }>(tx, sql`select file_content is not null as held, file_removed_at is not null as removed from member_imports where id = ${importId}`),
  );
  return row!;
}

async function uploadedAt(importId: string, hoursAgo: number): Promise<void> {
  const at = new Date(env.clock.now().getTime() - hoursAgo * 3_600_000).toISOString();
  await env.runtime.db.ownerTransaction((owner) => owner.query('update member_imports set created_at = $1 where id = $2', [at, importId]));
}

describe('uploaded import files are not kept', () => {
  it('the file is deleted when its import completes; the import, its counts and row outcomes stay', async () => {
    const { id } = await uploadAndCheck(admin, '完成.csv', file(['陳大文', 'dawen@example.com', '0912000001']));
    expect((await held(id)).held).toBe(true);
    const done = await commitAndWait(admin, id);
    expect(done).toMatchObject({ status: 'completed', result: { created: 1 } });
    expect(await held(id)).toEqual({ held: false, removed: true });
    expect((await admin.get(`/api/member-imports/${id}/rows`)).body.total).toBe(1);
    const again = await admin.post(`/api/member-imports/${id}/check`, { mapping: { fullName: 0, email: 1, mobile: 2 } });
    expect(again.status).toBe(409);
  });

  it('a file left for over a day is deleted by the hourly job and its import says why; a newer one stays', async () => {
    const { id: stale } = await uploadAndCheck(admin, '放著.csv', file(['林小美', 'xm@example.com', '0912000002']));
    const fresh = (await uploadFile(admin, '剛傳.csv', file(['王小明', 'wm@example.com', '0912000003']))).body.import.id as string;
    const abandoned = (await uploadFile(admin, '沒下一步.csv', file(['陳小華', 'xh@example.com', '0912000005']))).body.import.id as string;
    await uploadedAt(stale, 25);
    await uploadedAt(fresh, 2);
    await uploadedAt(abandoned, 30);
    // The hourly schedule queues one run per tenant; this is this tenant's run.
    const [, perTenant] = expireImportFilesJob({ db: env.runtime.db, clock: env.clock, queue: () => env.runtime.queue });
    await perTenant!.handler({ tenantId: tenant.tenantId }, { id: 'test', retryCount: 0 });
    expect((await held(stale)).held).toBe(false);
    expect((await held(fresh)).held).toBe(true);
    // An upload never taken further loses its file too, and stays out of the history rather than showing as failed.
    expect((await held(abandoned)).held).toBe(false);
    const history = (await admin.get('/api/member-imports')).body.data as Array<{ id: string }>;
    expect(history.map((i) => i.id)).not.toContain(abandoned);
    const shown = (await admin.get(`/api/member-imports/${stale}`)).body;
    expect(shown).toMatchObject({ status: 'failed', failure: expect.stringContaining('已刪除') });
    const recheck = await admin.post(`/api/member-imports/${stale}/check`, { mapping: { fullName: 0, email: 1, mobile: 2 } });
    expect([recheck.status, recheck.body.error.code]).toEqual([410, 'member_import.file_removed']);
  });
});

describe('erasing a member erases them from what is still held', () => {
  it('deletes the held import files and captured SMS that mention their mobile, and nothing else', async () => {
    const created = await admin.post('/api/members', { lastName: '張', firstName: '三', mobile: '0912 777 888', email: 'zhang.san@example.com' });
    expect(created.status).toBe(201);
    const memberId = created.body.id as string;
    const mentions = (await uploadFile(admin, '含張三.csv', file(['張三', 'other@example.com', '0912-777-888']))).body.import.id as string;
    const byEmail = (await uploadFile(admin, '含信箱.csv', file(['某人', 'Zhang.San@example.com', '']))).body.import.id as string;
    const unrelated = (await uploadFile(admin, '無關.csv', file(['李四', 'li.si@example.com', '0912000004']))).body.import.id as string;
    await env.runtime.sms.send({ to: '+886912777888', body: '【測試】您的會員綁定驗證碼為 123456' });
    await env.runtime.sms.send({ to: '+886912000004', body: '【測試】您的會員綁定驗證碼為 654321' });

    expect((await admin.delete(`/api/members/${memberId}`)).status).toBe(200);
    expect((await admin.post(`/api/members/${memberId}/erase`)).status).toBe(204);

    expect((await held(mentions)).held).toBe(false);
    expect((await held(byEmail)).held).toBe(false);
    expect((await held(unrelated)).held).toBe(true);
    expect((await admin.get(`/api/member-imports/${mentions}`)).body).toMatchObject({ status: 'failed' });
    // The demo mailbox's table, read as stored (the mailbox module is not this module's to import).
    const sms = (await env.runtime.db.withPlatform((tx) => queryRows<{ to_mobile: string }>(tx, sql`select to_mobile from captured_sms`))).map((m) => m.to_mobile);
    expect(sms).not.toContain('+886912777888');
    expect(sms).toContain('+886912000004');
  });

  it('an import under way whose file mentions the erased guest stops instead of writing them back', async () => {
    const created = await admin.post('/api/members', { lastName: '趙', firstName: '六', mobile: '0912 555 666' });
    const memberId = created.body.id as string;
    const { id } = await uploadAndCheck(admin, '進行中.csv', file(['趙六', '', '0912555666'], ['錢七', 'qian@example.com', '0912000007']));
    // As the job leaves it once started (set here so that no worker picks it up before the erasure).
    await env.runtime.db.ownerTransaction((owner) => owner.query(`update member_imports set status = 'importing', started_at = now() where id = $1`, [id]));
    await admin.delete(`/api/members/${memberId}`);
    expect((await admin.post(`/api/members/${memberId}/erase`)).status).toBe(204);
    expect((await held(id)).held).toBe(false);

    const before = (await admin.post('/api/members/count', {})).body.count as number;
    await expect(env.runtime.memberTransfer.job.handler({ tenantId: tenant.tenantId, importId: id }, { id: 'test', retryCount: 0 })).rejects.toMatchObject({ code: 'member_import.file_removed' });
    expect((await admin.get(`/api/member-imports/${id}`)).body).toMatchObject({ status: 'failed' });
    expect((await admin.post('/api/members/count', {})).body.count).toBe(before);
  });
});
