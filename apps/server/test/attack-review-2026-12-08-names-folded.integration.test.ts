import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSignedIn, type ApiClient, type ApiResponse } from './api-client.ts';
import type { TestEnv, TestTenant } from './harness.ts';

/**
 * Attack review 2026-12-08 (atk8) of names folded for segments, roles and saved PMS mappings (migration 0066), through
 * the API: create and rename of look-alikes, a rename to one's own name in another spelling, parallel creates (on
 * PostgreSQL they race in the unique index), and a name as migration 0066 renames an astral one.
 */
let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
let mappingsPath: string;

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  const connection = await admin.post('/api/pms/connections', { name: '其他 PMS 匯出', kind: 'dean_file', defaultPropertyId: tenant.propertyIds[0] });
  expect(connection.status).toBe(201);
  mappingsPath = `/api/pms/connections/${connection.body.id}/mappings`;
}, 60_000);
afterAll(() => env.close());

const refusal = (r: ApiResponse) => [r.status, r.body.error?.code, r.body.error?.details?.field];
const definition = { type: 'group', op: 'and', conditions: [{ type: 'consent', optedIn: true }] };
const kinds = {
  segment: { path: () => '/api/segments', body: (name: string) => ({ name, definition }), code: 'segment.name_taken' },
  role: { path: () => '/api/roles', body: (name: string) => ({ name, permissions: ['members.read'] }), code: 'role.name_taken' },
  mapping: { path: () => mappingsPath, body: (name: string) => ({ name, mapping: { guestKey: '客戶編號' } }), code: 'pms.mapping_name_taken' },
} as const;

describe('atk8: look-alike names of segments, roles and saved mappings', () => {
  for (const [kind, k] of Object.entries(kinds)) {
    it(`${kind}: create and rename to a look-alike are 409 at the name field; a rename to its own name in another width is allowed`, async () => {
      const first = await admin.post(k.path(), k.body('Ｆｏｌｄ Ｍｅ ①'));
      expect(first.status).toBe(201);
      for (const alike of ['fold me 1', 'FOLD ME ①', 'ｆｏｌｄ　ｍｅ　１']) expect(refusal(await admin.post(k.path(), k.body(alike)))).toEqual([409, k.code, 'name']);
      const other = await admin.post(k.path(), k.body(`${kind} other`));
      expect(other.status).toBe(201);
      expect(refusal(await admin.patch(`${k.path()}/${other.body.id}`, { name: 'Fold me 1' }))).toEqual([409, k.code, 'name']);
      const own = await admin.patch(`${k.path()}/${first.body.id}`, { name: 'fold ME 1' });
      expect([own.status, own.body.name]).toEqual([200, 'fold ME 1']);
    });

    it(`${kind}: 12 parallel creates of look-alikes: exactly one 201, the rest 409 at the name field, never 500`, async () => {
      const spellings = Array.from({ length: 12 }, (_, i) => Array.from('racename', (c, j) => (i & (1 << j) ? c.toUpperCase() : c)).join(''));
      const answers = await Promise.all(spellings.map((name) => admin.post(k.path(), k.body(name))));
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([201, ...Array(11).fill(409)]);
      for (const a of answers.filter((x) => x.status === 409)) expect(refusal(a)).toEqual([409, k.code, 'name']);
    });
  }

  it('roles: a custom role named like a built-in one in another form (Kangxi 「⾏」 for 「行」) is refused', async () => {
    expect(refusal(await admin.post('/api/roles', kinds.role.body('⾏銷')))).toEqual([409, 'role.name_taken', 'name']);
  });

  it('a segment renamed by migration 0066 (astral characters, numbered: 102 UTF-16 units) can be saved again with its own name', async () => {
    // What 0066 makes of 「a」 + 49 × 「𠮷」 (99 UTF-16 units, accepted before) when 「A𠮷…」 is older: 53 characters, 102 UTF-16 units.
    const migrated = 'a' + '𠮷'.repeat(49) + '（2）';
    const created = await admin.post('/api/segments', { name: '暫名', definition });
    expect(created.status).toBe(201);
    await env.runtime.db.ownerTransaction((owner) => owner.query(`update segments set name = $1 where tenant_id = $2 and id = $3`, [migrated, tenant.tenantId, created.body.id]));
    // The segment editor sends the name with every save (SegmentEditorPage: update.mutate({ id, ...input })).
    const saved = await admin.patch(`/api/segments/${created.body.id}`, { name: migrated, definition });
    expect([saved.status, saved.body.error?.code]).toEqual([200, undefined]);
  });
});
