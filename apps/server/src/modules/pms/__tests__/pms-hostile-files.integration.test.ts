import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../../test/api-client.ts';
import { drain, rows, startPmsTestEnv, type PmsTestEnv } from './pms-harness.ts';

/**
 * Files a careless or hostile export makes (the second attack review): times that have the shape of 德安's UPD_DAT but
 * are not times, personal data typed the way Taiwanese keyboards type it (full-width), and headers that are not what
 * they seem. Through the HTTP API, as staff upload them.
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

describe('hostile PMS files', () => {
  it('an update time that is not a real time (month 13, Feb 30, year 0 or 9999) never pins a profile against later changes', async () => {
    const base = `/api/pms/connections/${t.connectionId}/imports`;
    const mapping = { guestKey: 'Guest ID', fullName: 'Name', updatedAt: 'Updated' };
    const first = await upload(t.admin, t.connectionId, 'bad-times.csv', 'Guest ID,Name,Updated\r\nT1,甲,2026-13-45 99:99:99\r\nT2,乙,9999-12-31 23:59:59\r\nT3,丙,0000-01-01 00:00:00\r\nT4,丁,2026-02-30 10:00:00\r\n');
    expect(first.status).toBe(201);
    expect((await t.admin.post(`${base}/${first.body.file.id}/apply`, { mapping })).status).toBe(202);
    await drain(t);
    const stored = await rows<{ gcust_cod: string; upd_dat: string }>(t, sql`select gcust_cod, upd_dat from pms_profiles where gcust_cod like 'T_' order by gcust_cod`);
    // Each is taken as imported now (Taipei time), not as the nonsense it says.
    expect(stored.map((r) => r.upd_dat)).toEqual(Array(4).fill(stored[0]!.upd_dat));
    expect(stored[0]!.upd_dat).toMatch(/^20\d\d-\d\d-\d\d \d\d:\d\d:\d\d$/);

    // The same guests changed a day later (a real time): the change is taken.
    const dayLater = new Date(Date.parse(`${stored[0]!.upd_dat.replace(' ', 'T')}Z`) + 86_400_000).toISOString().slice(0, 19).replace('T', ' ');
    const later = await upload(t.admin, t.connectionId, 'later.csv', ['Guest ID,Name,Updated', ...['T1,甲改', 'T2,乙改', 'T3,丙改', 'T4,丁改'].map((r) => `${r},${dayLater}`)].join('\r\n'));
    expect(later.status).toBe(201);
    expect((await t.admin.post(`${base}/${later.body.file.id}/apply`, { mapping })).status).toBe(202);
    await drain(t);
    const names = await rows<{ name: string }>(t, sql`select profile->>'registeredName' as name from pms_profiles where gcust_cod like 'T_' order by gcust_cod`);
    expect(names.map((r) => r.name)).toEqual(['甲改', '乙改', '丙改', '丁改']);
  }, 60_000);

  it('the sample masks IDs and phone numbers typed in full width, and with the dashes a zh-TW keyboard types', async () => {
    const uploaded = await upload(t.admin, t.connectionId, 'full-width.csv', 'Guest ID,Name,Mobile,ID\r\nF1,王大明,０９１２３４５６７８,Ａ１２３４５６７８９\r\nF2,李小華,0912－345－678,0912—345—678\r\nF3,陳,０９１２ ３４５ ６７８,ａ１２３４５６７８９\r\n');
    expect(uploaded.status).toBe(201);
    const shown = JSON.stringify(uploaded.body.sample);
    for (const secret of ['３４５６', '２３４５６７', '345－678', '345—678', '３４５ ６７８']) expect(shown).not.toContain(secret);
    expect(uploaded.body.sample.map((r: string[]) => r[1])).toEqual(['王大明', '李小華', '陳']);
  });

  it('two columns with one header are told apart, so a mapping names exactly one of them', async () => {
    const uploaded = await upload(t.admin, t.connectionId, 'two-phones.csv', 'Guest ID,Phone,Phone,Name\r\nP1,0933128467,0227123456,王\r\n');
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.columns).toEqual(['Guest ID', 'Phone', 'Phone (2)', 'Name']);
    expect(uploaded.body.suggestedMapping).toMatchObject({ guestKey: 'Guest ID', phone: 'Phone', fullName: 'Name' });
    const dry = await t.admin.post(`/api/pms/connections/${t.connectionId}/imports/${uploaded.body.file.id}/apply`, { mapping: { guestKey: 'Guest ID', mobile: 'Phone', phone: 'Phone (2)' } });
    expect(dry.status).toBe(202);
    await drain(t);
    const [profile] = await rows<{ mobiles: Array<{ e164: string }> }>(t, sql`select profile->'mobiles' as mobiles from pms_profiles where gcust_cod = 'P1'`);
    expect(JSON.stringify(profile!.mobiles)).toContain('933128467');
  }, 60_000);

  it('a header longer than a mapping can name is cut to that length: the answer stays valid and the column mappable', async () => {
    const uploaded = await upload(t.admin, t.connectionId, 'long-header.csv', `Guest ID,Na${'-'.repeat(250)}me\r\nL1,王\r\n`);
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    expect(uploaded.body.columns[1]).toHaveLength(200);
    const mapping = { guestKey: 'Guest ID', fullName: uploaded.body.columns[1] };
    expect((await t.admin.post(`/api/pms/connections/${t.connectionId}/imports/${uploaded.body.file.id}/dry-run`, { mapping })).status).toBe(200);
  });
});
