import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../core/db/database.ts';
import { migratedBefore, type PartlyMigrated } from '../../../../test/migrated-before.ts';

// Migration 0058 makes a rule's name unique in its tenant. A database may hold rules sharing a name (a template used
// twice made them): the migration renames all but the oldest deterministically, then enforces the rule. Runs on the
// embedded engine, where the migrations can be stopped before 0058 (the PostgreSQL test template is migrated to the end).

const HOTEL = '01900000-0000-7000-8000-0000000005a1';
const OTHER = '01900000-0000-7000-8000-0000000005a2';
let database: PartlyMigrated;
let db: Database;

beforeAll(async () => {
  database = await migratedBefore('0058');
  db = database.db;
}, 60_000);
afterAll(() => database.close());

function insertRule(tenant: string, id: string, name: string, createdAt: string) {
  return `insert into automation_rules (tenant_id, id, name, trigger, trigger_kind, steps, created_at)
          values ('${tenant}', '${id}', '${name}', '{"kind":"friend_added"}', 'friend_added', '[]', '${createdAt}');`;
}
const id = (n: number) => `01900000-0000-7000-8000-0000000006${String(n).padStart(2, '0')}`;

describe('migration 0058 on a database whose rules share names', () => {
  it('keeps the oldest name, numbers the others past names taken, leaves other hotels alone, and refuses new repeats', async () => {
    await db.ownerTransaction((owner) =>
      owner.exec(`
        insert into tenants (id, name, slug) values ('${HOTEL}', '舊資料飯店', 'legacy-rules'), ('${OTHER}', '別家飯店', 'other-rules');
        ${insertRule(HOTEL, id(3), '商務住宿優惠', '2026-03-01')}
        ${insertRule(HOTEL, id(1), '商務住宿優惠', '2026-01-01')}
        ${insertRule(HOTEL, id(2), '商務住宿優惠', '2026-03-01')}
        ${insertRule(HOTEL, id(4), '商務住宿優惠（2）', '2026-02-01')}
        ${insertRule(HOTEL, id(5), 'VIP 續住優惠', '2026-01-01')}
        ${insertRule(HOTEL, id(8), '長'.repeat(100), '2026-01-01')}
        ${insertRule(HOTEL, id(9), '長'.repeat(100), '2026-02-01')}
        ${insertRule(OTHER, id(6), '商務住宿優惠', '2026-04-01')}`),
    );
    expect(await database.migrateRest()).toContain('0058_automation_rule_names');

    const rows = await db.ownerTransaction((owner) => owner.query<{ tenant_id: string; id: string; name: string }>('select tenant_id, id, name from automation_rules order by tenant_id, id'));
    expect(rows.map((r) => [r.tenant_id === HOTEL ? 'hotel' : 'other', r.id, r.name])).toEqual([
      ['hotel', id(1), '商務住宿優惠'],
      // Same moment as id(3): the smaller id is the older; 「（2）」 is another rule's already.
      ['hotel', id(2), '商務住宿優惠（3）'],
      ['hotel', id(3), '商務住宿優惠（4）'],
      ['hotel', id(4), '商務住宿優惠（2）'],
      ['hotel', id(5), 'VIP 續住優惠'],
      // At the editor's 100 characters: shortened to make room for the number, so it can be saved again as it is.
      ['hotel', id(8), '長'.repeat(100)],
      ['hotel', id(9), `${'長'.repeat(97)}（2）`],
      ['other', id(6), '商務住宿優惠'],
    ]);
    await expect(db.ownerTransaction((owner) => owner.exec(insertRule(HOTEL, id(7), 'VIP 續住優惠', '2026-05-01')))).rejects.toThrow(/automation_rules_name_key/);
  });
});
