import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../../test/api-client.ts';
import { GUEST_COLUMNS } from '../pms.file-rows.ts';
import { drain, rows, startPmsTestEnv, type PmsTestEnv } from './pms-harness.ts';

/**
 * The attack review on PostgreSQL (TEST_DATABASE_URL), where two requests' transactions really overlap: the same file
 * uploaded twice at once, the same generic import applied twice at once, two 立即同步 at once.
 */
let t: PmsTestEnv;

function multipart(client: ApiClient, url: string, fileName: string, content: Buffer) {
  const boundary = `----innkeeper${crypto.randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`, 'utf8'),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
  ]);
  return client.request('POST', url, payload, { 'content-type': `multipart/form-data; boundary=${boundary}` });
}

function deanCsv(key: string): Buffer {
  const profile: Record<string, string> = { GCUST_COD: key, ALT_NAM: '並行', UPD_DAT: '2026-11-20 10:00:00', CO_DEL_STA: 'N' };
  return Buffer.from(`${GUEST_COLUMNS.join(',')}\r\n${GUEST_COLUMNS.map((c) => profile[c] ?? '').join(',')}\r\n`, 'utf8');
}

beforeAll(async () => {
  t = await startPmsTestEnv({ connect: false });
  expect(t.env.engine).toBe('postgres');
  const created = await t.admin.post('/api/pms/connections', { name: '德安匯出檔', kind: 'dean_file', defaultPropertyId: t.tenant.propertyIds[0] });
  expect(created.status).toBe(201);
  t.connectionId = created.body.id;
}, 120_000);
afterAll(() => t.close());

describe('PMS files raced', () => {
  it('the same 德安 file uploaded twice at once is recorded once: one upload, one duplicate refusal', async () => {
    for (let round = 0; round < 4; round += 1) {
      const bytes = deanCsv(`RACE${round}`);
      const answers = await Promise.all([0, 1].map((i) => multipart(t.admin, `/api/pms/connections/${t.connectionId}/files`, `GHIST_MN_race${round}_${i}.csv`, bytes)));
      expect(answers.map((a) => a.status).sort(), JSON.stringify(answers.map((a) => a.body))).toEqual([201, 409]);
      await drain(t);
    }
    const recorded = await rows<{ status: string; n: number }>(t, sql`select status, count(*)::int as n from pms_files where name like 'GHIST_MN_race%' group by status order by status`);
    expect(recorded).toEqual([{ status: 'applied', n: 4 }]);
  }, 120_000);

  it('the same generic file uploaded twice at once and then applied twice at once is applied once', async () => {
    for (let round = 0; round < 4; round += 1) {
      const bytes = Buffer.from(`Guest ID,Name\r\nGR${round},並行${round}\r\n`, 'utf8');
      const uploads = await Promise.all([0, 1].map(() => multipart(t.admin, `/api/pms/connections/${t.connectionId}/imports`, `race${round}.csv`, bytes)));
      expect(uploads.map((u) => u.status), JSON.stringify(uploads.map((u) => u.body))).toEqual([201, 201]);
      expect(uploads[0]!.body.file.id).toBe(uploads[1]!.body.file.id);
      const applies = await Promise.all([0, 1].map(() => t.admin.post(`/api/pms/connections/${t.connectionId}/imports/${uploads[0]!.body.file.id}/apply`, { mapping: { guestKey: 'Guest ID', fullName: 'Name' } })));
      expect(applies.map((a) => a.status).sort(), JSON.stringify(applies.map((a) => a.body))).toEqual([202, 404]);
      await drain(t);
    }
    const runs = (await t.admin.get(`/api/pms/connections/${t.connectionId}/runs`)).body.data as Array<{ status: string }>;
    expect(runs.filter((r) => r.status !== 'succeeded')).toEqual([]);
  }, 120_000);

  it('two 立即同步 at once start one run', async () => {
    for (let round = 0; round < 4; round += 1) {
      const started = await Promise.all([0, 1].map(() => t.admin.post(`/api/pms/connections/${t.connectionId}/sync`, {})));
      expect(started.map((s) => s.status).sort(), JSON.stringify(started.map((s) => s.body))).toEqual([202, 409]);
      await drain(t);
    }
  }, 120_000);
});
