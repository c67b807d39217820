import crypto from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../core/db/database.ts';
import { asTenantId } from '../../../core/ids.ts';
import { signedInAs, type ApiClient } from '../../../../test/api-client.ts';
import { createTestTenant } from '../../../../test/harness.ts';
import { GUEST_COLUMNS } from '../pms.file-rows.ts';
import { drain, rows, startPmsTestEnv, type PmsTestEnv } from './pms-harness.ts';

/**
 * The file transport and the generic import as a careless or hostile user would use them (the attack review): a file
 * parked in the generic import must not swallow the same 德安 export dropped later, and a drop folder another hotel
 * group let go of (files of theirs still in it) must not be read into this group.
 */
let t: PmsTestEnv;
let root: string;

function csv(records: Array<Record<string, unknown>>): Buffer {
  const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  return Buffer.from(`${[GUEST_COLUMNS.join(','), ...records.map((r) => GUEST_COLUMNS.map((c) => cell(r[c])).join(','))].join('\r\n')}\r\n`, 'utf8');
}

function multipart(client: ApiClient, url: string, fileName: string, content: Buffer) {
  const boundary = `----innkeeper${crypto.randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`, 'utf8'),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
  ]);
  return client.request('POST', url, payload, { 'content-type': `multipart/form-data; boundary=${boundary}` });
}

async function syncOf(client: ApiClient, connectionId: string): Promise<Record<string, any>> {
  const started = await client.post(`/api/pms/connections/${connectionId}/sync`, {});
  expect(started.status).toBe(202);
  await drain(t);
  return (await client.get(`/api/pms/connections/${connectionId}/runs`)).body.data.find((r: { id: string }) => r.id === started.body.id);
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'pms-attacks-'));
  t = await startPmsTestEnv({ connect: false, env: { PMS_DROP_ROOT: root } });
  const created = await t.admin.post('/api/pms/connections', { name: '德安匯出檔', kind: 'dean_file', dropDir: 'attack-a', defaultPropertyId: t.tenant.propertyIds[0] });
  expect(created.status).toBe(201);
  t.connectionId = created.body.id;
}, 120_000);
afterAll(async () => {
  await t.close();
  await rm(root, { recursive: true, force: true });
});

describe('PMS files under attack', () => {
  it('a file parked in the generic import (never applied) does not make the same 德安 export dropped later a duplicate', async () => {
    const profile = { ...t.pms.sim.data.profiles[2], GCUST_COD: 'PARKED01', UPD_DAT: '2026-12-05 15:00:00', ALT_NAM: '林暫存' };
    const bytes = csv([profile]);
    // Staff look at the export in the generic import and leave it there (no apply, no way to discard it).
    const parked = await multipart(t.admin, `/api/pms/connections/${t.connectionId}/imports`, 'GHIST_MN_preview.csv', bytes);
    expect([parked.status, parked.body.file?.status]).toEqual([201, 'mapping']);
    // The hotel's export job then drops the very same file.
    const folder = path.join(root, t.tenant.tenantId, 'attack-a');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'GHIST_MN_01_20261205150000_DELTA.csv'), bytes);
    const run = await syncOf(t.admin, t.connectionId);
    expect(run.status).toBe('succeeded');
    expect(await rows(t, sql`select gcust_cod from pms_profiles where gcust_cod = 'PARKED01'`)).toEqual([{ gcust_cod: 'PARKED01' }]);
    const listed = (await t.admin.get(`/api/pms/connections/${t.connectionId}/files`)).body.data as Array<Record<string, any>>;
    expect(listed.find((f) => f.name === 'GHIST_MN_01_20261205150000_DELTA.csv')).toMatchObject({ status: 'applied' });
    // The parked preview cannot be applied a second time over it.
    const apply = await t.admin.post(`/api/pms/connections/${t.connectionId}/imports/${parked.body.file.id}/apply`, { mapping: parked.body.suggestedMapping });
    expect(apply.status).toBe(404);
  }, 60_000);

  it('another hotel group naming the same drop folder, before or after this group, reads only a folder of its own', async () => {
    // Group A's export job writes into A's attack-old (A's connection named it and let go of it again).
    const theirs = path.join(root, t.tenant.tenantId, 'attack-old');
    await mkdir(theirs, { recursive: true });
    expect((await t.admin.patch(`/api/pms/connections/${t.connectionId}`, { dropDir: 'attack-old' })).status).toBe(200);
    expect((await syncOf(t.admin, t.connectionId)).status).toBe('succeeded');
    expect((await t.admin.patch(`/api/pms/connections/${t.connectionId}`, { dropDir: 'attack-a' })).status).toBe(200);
    const guest = { ...t.pms.sim.data.profiles[3], GCUST_COD: 'GROUPA01', UPD_DAT: '2026-12-05 16:00:00', ALT_NAM: '甲集團住客' };
    await writeFile(path.join(theirs, 'GHIST_MN_01_20261205160000_DELTA.csv'), csv([guest]));

    // Group B names attack-old too, and attack-a, which A uses now: both are accepted (names are one group's business,
    // and refusing one would tell B what A named its folders) and both are B's own folders, empty.
    const other = await createTestTenant(t.env);
    const otherAdmin = await signedInAs(t.env, other.adminEmail, other.password);
    const claimed = await otherAdmin.post('/api/pms/connections', { name: '乙集團', kind: 'dean_file', dropDir: 'attack-old', defaultPropertyId: other.propertyIds[0] });
    expect(claimed.status).toBe(201);
    expect((await otherAdmin.get(`/api/pms/connections/${claimed.body.id}/drop-folder`)).body).toMatchObject({ path: `${other.tenantId}/attack-old`, state: 'not_created' });
    expect((await syncOf(otherAdmin, claimed.body.id)).status).toBe('succeeded');
    expect((await otherAdmin.patch(`/api/pms/connections/${claimed.body.id}`, { dropDir: 'attack-a' })).status).toBe(200);
    expect((await syncOf(otherAdmin, claimed.body.id)).status).toBe('succeeded');
    const leaked = await t.env.runtime.db.withTenant(asTenantId(other.tenantId), (tx) => queryRows(tx, sql`select gcust_cod from pms_profiles`));
    expect(leaked).toEqual([]);
    // A's file is still there for A.
    expect(await readdir(theirs)).toContain('GHIST_MN_01_20261205160000_DELTA.csv');
  }, 60_000);

  it('the generic import’s sample masks phone numbers however they are written (dots, brackets, slashes)', async () => {
    const content = Buffer.from('Guest ID,Name,Phone,Birthday\r\nG1,王大明,0912.345.678,1985/03/12\r\nG2,李小華,(02)2345.6789,1990.01.02\r\n', 'utf8');
    const uploaded = await multipart(t.admin, `/api/pms/connections/${t.connectionId}/imports`, 'dotted.csv', content);
    expect(uploaded.status).toBe(201);
    const shown = JSON.stringify(uploaded.body.sample);
    for (const secret of ['0912.345.678', '345', '2345.6789', '1985/03/12', '1990.01.02']) expect(shown).not.toContain(secret);
    expect(uploaded.body.sample[0][1]).toBe('王大明');
  });
});
