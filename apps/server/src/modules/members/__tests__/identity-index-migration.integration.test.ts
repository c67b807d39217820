import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../core/db/database.ts';
import { migratedBefore, type PartlyMigrated } from '../../../../test/migrated-before.ts';

// Migration 0010 builds members_id_number_key. A database may already hold live members sharing a number (two
// requests at once could make them before): the migration must still apply, change no data a person should decide
// on, and enforce the rule for everything written afterwards. Runs on the embedded engine, where the migrations can
// be stopped before 0010 (the PostgreSQL test template is migrated to the end).

const TENANT = '01900000-0000-7000-8000-0000000000a1';
let database: PartlyMigrated;
let db: Database;

beforeAll(async () => {
  database = await migratedBefore('0010');
  db = database.db;
});
afterAll(() => database.close());

function insertMember(no: string, hash: string, options: { createdAt: string; deleted?: boolean }) {
  return `insert into members (tenant_id, id, member_no, id_number_encrypted, id_number_hash, created_at, deleted_at)
          values ('${TENANT}', gen_random_uuid(), '${no}', 'sealed', '${hash}', '${options.createdAt}', ${options.deleted ? "'2026-01-01'" : 'null'});`;
}

describe('migration 0010 on a database that already has duplicate identity documents', () => {
  it('applies, marks every live holder but the oldest as a conflict, and refuses new duplicates', async () => {
    await db.ownerTransaction((owner) =>
      owner.exec(`
        insert into tenants (id, name, slug) values ('${TENANT}', '舊資料飯店', 'legacy-hotel');
        ${insertMember('M0000001', 'hash-a', { createdAt: '2025-01-01' })}
        ${insertMember('M0000002', 'hash-a', { createdAt: '2025-02-01' })}
        ${insertMember('M0000003', 'hash-a', { createdAt: '2025-03-01', deleted: true })}
        ${insertMember('M0000004', 'hash-b', { createdAt: '2025-01-01' })}`),
    );
    expect(await database.migrateRest()).toContain('0010_account_safety');

    const rows = await db.ownerTransaction((owner) => owner.query<{ member_no: string; id_number_conflict: boolean }>('select member_no, id_number_conflict from members order by member_no'));
    expect(rows).toEqual([
      { member_no: 'M0000001', id_number_conflict: false },
      { member_no: 'M0000002', id_number_conflict: true },
      { member_no: 'M0000003', id_number_conflict: false },
      { member_no: 'M0000004', id_number_conflict: false },
    ]);
    await expect(db.ownerTransaction((owner) => owner.exec(insertMember('M0000005', 'hash-b', { createdAt: '2026-01-01' })))).rejects.toThrow(/members_id_number_key/);
  });
});
