import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../../test/api-client.ts';
import { GUEST_COLUMNS } from '../pms.file-rows.ts';
import { drain, rows, startPmsTestEnv, type PmsTestEnv } from './pms-harness.ts';

/**
 * A FULL 德安 profile export lists every profile of its property (contract §9.1): a profile of that scope it leaves
 * out, and that did not change after the export, was deleted in the PMS. It is deleted as a tombstone would delete it
 * (its member unlinked, recorded in the audit log); another property's profiles are not its business, chain-wide ones
 * only when it lists any; a file leaving out too many is held for a person to look at.
 */
let t: PmsTestEnv;
type Profile = Record<string, string | null>;
let profiles: Profile[];

function csv(records: Profile[]): Buffer {
  const cell = (v: unknown) => (v === null || v === undefined ? '' : /[",\r\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  return Buffer.from(`${[GUEST_COLUMNS.join(','), ...records.map((r) => GUEST_COLUMNS.map((c) => cell(r[c])).join(','))].join('\r\n')}\r\n`, 'utf8');
}

async function uploadAndRun(client: ApiClient, name: string, records: Profile[]) {
  const boundary = `----innkeeper${crypto.randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`, 'utf8'),
    csv(records),
    Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
  ]);
  const uploaded = await client.request('POST', `/api/pms/connections/${t.connectionId}/files`, payload, { 'content-type': `multipart/form-data; boundary=${boundary}` });
  expect(uploaded.status).toBe(201);
  await drain(t);
  const run = (await t.admin.get(`/api/pms/connections/${t.connectionId}/runs`)).body.data.find((r: { id: string }) => r.id === uploaded.body.run.id);
  const file = (await t.admin.get(`/api/pms/connections/${t.connectionId}/files`)).body.data.find((f: { id: string }) => f.id === uploaded.body.file.id);
  return { run, file };
}

const live = async () => (await rows<{ gcust_cod: string }>(t, sql`select gcust_cod from pms_profiles where not deleted order by gcust_cod`)).map((r) => r.gcust_cod);

beforeAll(async () => {
  t = await startPmsTestEnv({ connect: false });
  const created = await t.admin.post('/api/pms/connections', { name: '德安匯出檔', kind: 'dean_file', propertyMap: { '01': t.tenant.propertyIds[0] } });
  expect(created.status).toBe(201);
  t.connectionId = created.body.id;
  // 120 profiles of property 01 (the simulator's, so members link), two of property 02 and two chain-wide.
  const sim = t.pms.sim.data.profiles as unknown as Profile[];
  profiles = [
    ...sim.slice(0, 120).map((p) => ({ ...p, HOTEL_COD: '01', MCUST_COD: null, CO_DEL_STA: 'N', UPD_DAT: '2026-12-01 09:00:00' })),
    ...['Q1', 'Q2'].map((k) => ({ GCUST_COD: k, HOTEL_COD: '02', ALT_NAM: `二館${k}`, CO_DEL_STA: 'N', UPD_DAT: '2026-12-01 09:00:00' })),
    ...['C1', 'C2'].map((k) => ({ GCUST_COD: k, HOTEL_COD: null, ALT_NAM: `集團${k}`, CO_DEL_STA: 'N', UPD_DAT: '2026-12-01 09:00:00' })),
  ];
  const { run } = await uploadAndRun(t.admin, 'GHIST_MN_01_20261201090000_DELTA.csv', profiles);
  expect(run).toMatchObject({ status: 'succeeded', created: 124 });
  expect(run.linked).toBeGreaterThan(2);
}, 120_000);
afterAll(() => t.close());

describe('a FULL profile export', () => {
  it('deletes the profiles of its property it leaves out (members unlinked, each audited); others and later changes are kept', async () => {
    const linked = (await rows<{ gcust_cod: string; member_id: string }>(t, sql`select gcust_cod, member_id from pms_profiles where member_id is not null order by gcust_cod`)).filter((l) =>
      profiles.slice(0, 120).some((p) => p.GCUST_COD === l.gcust_cod),
    );
    const onProperty = profiles.slice(0, 120).map((p) => p.GCUST_COD!);
    const unlinkedOne = onProperty.find((k) => !linked.some((l) => l.gcust_cod === k))!;
    const leftOut = [linked[0]!.gcust_cod, linked[1]!.gcust_cod, unlinkedOne];
    // Changed after the export (a DELTA of 13:00): not in the 12:00 snapshot for that reason, and kept.
    const late = onProperty.find((k) => !leftOut.includes(k))!;
    await uploadAndRun(t.admin, 'GHIST_MN_01_20261205130000_DELTA.csv', [{ ...profiles.find((p) => p.GCUST_COD === late)!, ALT_NAM: '後來改名', UPD_DAT: '2026-12-05 13:00:00' }]);

    const listed = profiles.filter((p) => p.HOTEL_COD === '01' && !leftOut.includes(p.GCUST_COD!) && p.GCUST_COD !== late);
    // It lists chain-wide C1 (so it speaks for chain-wide profiles): C2, left out, goes too.
    const full = [...listed, profiles.find((p) => p.GCUST_COD === 'C1')!].map((p) => ({ ...p, UPD_DAT: '2026-12-05 12:00:00' }));
    const { run, file } = await uploadAndRun(t.admin, 'GHIST_MN_01_20261205120000_FULL.csv', full);
    expect(run.status).toBe('succeeded');
    expect(file).toMatchObject({ status: 'applied', reason: 'full_absent_deleted: 4 / 2' });
    const gone = await rows<{ gcust_cod: string; member_id: string | null }>(t, sql`select gcust_cod, member_id from pms_profiles where deleted order by gcust_cod`);
    expect(gone).toEqual([...leftOut, 'C2'].sort().map((gcust_cod) => ({ gcust_cod, member_id: null })));
    expect(await live()).toEqual(expect.arrayContaining(['Q1', 'Q2', 'C1', late]));
    // Never silently: each member unlinked is in the audit log with the profile and the file.
    const audit = await t.admin.get(`/api/audit-log?action=pms.profile_absent_from_full`);
    expect(audit.body.data.map((e: { targetId: string; details: Record<string, unknown> }) => [e.targetId, e.details['gcustCod'], e.details['file']]).sort()).toEqual(
      linked.slice(0, 2).map((l) => [l.member_id, l.gcust_cod, 'GHIST_MN_01_20261205120000_FULL.csv']).sort(),
    );
  }, 60_000);

  it('a FULL file leaving out too many is held: nothing deleted, its rows still applied, the run and the file say why', async () => {
    const before = await live();
    const property = profiles.filter((p) => p.HOTEL_COD === '01' && before.includes(p.GCUST_COD!));
    // A cut-off export: 5 of the property's live profiles.
    const cut = property.slice(0, 5).map((p) => ({ ...p, ALT_NAM: `${p.ALT_NAM ?? ''}X`, UPD_DAT: '2026-12-05 14:00:00' }));
    const { run, file } = await uploadAndRun(t.admin, 'GHIST_MN_01_20261205140000_FULL.csv', cut);
    expect(file.reason).toBe(`full_absent_held: ${property.length - 5} / ${property.length}`);
    expect(run.rejects).toEqual([{ stream: 'guests', key: 'GHIST_MN_01_20261205140000_FULL.csv', reason: 'full_absent_held', file: 'GHIST_MN_01_20261205140000_FULL.csv' }]);
    expect(run.updated).toBe(5);
    expect(await live()).toEqual(before);
  }, 60_000);
});

describe('a drop folder the server cannot read', () => {
  it('is said on the PMS page (PMS_DROP_ROOT is not set here), not left silent', async () => {
    expect((await t.admin.get(`/api/pms/connections/${t.connectionId}/drop-folder`)).body).toEqual({ dir: null, path: null, state: null });
    expect((await t.admin.patch(`/api/pms/connections/${t.connectionId}`, { dropDir: 'hotel-x' })).status).toBe(200);
    expect((await t.admin.get(`/api/pms/connections/${t.connectionId}/drop-folder`)).body).toEqual({ dir: 'hotel-x', path: `${t.tenant.tenantId}/hotel-x`, state: 'drop_root_unset' });
    expect((await t.admin.patch(`/api/pms/connections/${t.connectionId}`, { dropDir: null })).status).toBe(200);
  });
});
