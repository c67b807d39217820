import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../src/core/db/database.ts';
import { migratedBefore as migratedBeforeOn, type PartlyMigrated } from './migrated-before.ts';

/**
 * Attack review 2026-12-07b (atk3): migrations 0060 and 0061 on adversarial data a database may already hold (names
 * the old API accepted: trimmed, at most 100 UTF-16 units, unique only in their exact spelling). On the embedded engine,
 * where the migrations can be stopped before 0060. Tests titled DEFECT assert today's faulty behaviour.
 */
const HOTEL = '01900000-0000-7000-8000-0000000009a1';
const OTHER = '01900000-0000-7000-8000-0000000009a2';
let partly: PartlyMigrated | undefined;

afterEach(async () => {
  await partly?.close();
  partly = undefined;
});

async function migratedBefore(prefix: string): Promise<Database> {
  partly = await migratedBeforeOn(prefix);
  await partly.db.ownerTransaction((owner) => owner.exec(`insert into tenants (id, name, slug) values ('${HOTEL}', '舊資料飯店', 'atk3-legacy'), ('${OTHER}', '別家飯店', 'atk3-other');`));
  return partly.db;
}
function migrateRest(): Promise<string[]> {
  return partly!.migrateRest();
}
const id = (n: number) => `01900000-0000-7000-8000-0000000009${String(n).padStart(2, '0')}`;
const rule = (tenant: string, n: number, name: string, createdAt = '2026-01-01') =>
  `insert into automation_rules (tenant_id, id, name, trigger, trigger_kind, steps, created_at) values ('${tenant}', '${id(n)}', '${name}', '{"kind":"friend_added"}', 'friend_added', '[]', '${createdAt}');`;

describe('migration 0060 on adversarial names', () => {
  it('fixed: a 100-character name that NFC lengthens (U+0958 → U+0915 U+093C; U+FB2C → three) is kept as it was and the migration goes on (it stopped the migration before)', async () => {
    const database = await migratedBefore('0060');
    await database.ownerTransaction((owner) => owner.exec(rule(HOTEL, 1, `${'名'.repeat(99)}\uFB2C`)));
    expect(await migrateRest()).toContain('0060_rule_names_any_case_campaign_pauses');
    const [row] = await database.ownerTransaction((owner) => owner.query<{ name: string }>(`select name from automation_rules where id = '${id(1)}'`));
    expect(row!.name).toBe(`${'名'.repeat(99)}\uFB2C`);
  }, 60_000);

  it('holds: 100-character case repeats, names already numbered in another case, and another hotel’s repeats end unique, within 100, each hotel on its own', async () => {
    const database = await migratedBefore('0060');
    const a97 = 'a'.repeat(97);
    await database.ownerTransaction((owner) =>
      owner.exec(
        [
          rule(HOTEL, 1, 'A'.repeat(100), '2026-01-01'),
          rule(HOTEL, 2, 'a'.repeat(100), '2026-01-02'),
          rule(HOTEL, 3, `${'A'.repeat(99)}a`, '2026-01-03'),
          rule(HOTEL, 4, `${a97.toUpperCase()}（2）`, '2026-01-04'),
          rule(HOTEL, 5, `${a97}（3）`, '2026-01-05'),
          rule(HOTEL, 6, '早鳥（2）', '2026-01-01'),
          rule(HOTEL, 7, '早鳥\u200B（2）', '2026-01-02'),
          rule(HOTEL, 8, '\u200B', '2026-01-01'),
          rule(HOTEL, 9, '\u200B\u200B', '2026-01-01'),
          rule(OTHER, 10, 'A'.repeat(100), '2026-01-01'),
          rule(OTHER, 11, 'a'.repeat(100), '2026-01-02'),
        ].join('\n'),
      ),
    );
    expect(await migrateRest()).toContain('0060_rule_names_any_case_campaign_pauses');
    const rows = await database.ownerTransaction((owner) => owner.query<{ tenant_id: string; id: string; name: string }>('select tenant_id, id, name from automation_rules order by id'));
    const names = Object.fromEntries(rows.map((r) => [r.id, r.name]));
    expect(names[id(1)]).toBe('A'.repeat(100));
    expect(names[id(2)]).toBe(`${a97}（4）`);
    expect(names[id(3)]).toBe(`${'A'.repeat(97)}（5）`);
    expect(names[id(6)]).toBe('早鳥（2）');
    expect(names[id(7)]).toBe('早鳥（2）（2）');
    // Both left empty by cleaning: kept as they were, two rules with invisible names (staff must rename them).
    expect([names[id(8)], names[id(9)]]).toEqual(['\u200B', '\u200B\u200B']);
    expect(names[id(11)]).toBe(`${a97}（2）`);
    for (const tenant of [HOTEL, OTHER]) {
      const lowered = rows.filter((r) => r.tenant_id === tenant).map((r) => r.name.toLowerCase());
      expect(new Set(lowered).size).toBe(lowered.length);
    }
    expect(rows.every((r) => [...r.name].length <= 100)).toBe(true);
  }, 60_000);
});

describe('migration 0061 on an existing malformed LINE user id', () => {
  it('holds: the validation (0062, its own transaction) stops with the check’s name and validates none; the checks stay on new rows only, the malformed row untouched', async () => {
    const database = await migratedBefore('0061');
    await database.ownerTransaction((owner) =>
      owner.exec(`insert into members (tenant_id, id, member_no, line_user_id, line_status) values ('${HOTEL}', '${id(20)}', 'F0000001', 'Uaaa', 'following'), ('${HOTEL}', '${id(21)}', 'F0000002', 'Uaaa,Ubbb', 'following');`),
    );
    await expect(migrateRest()).rejects.toThrow(/members_line_user_id_format_check/);
    const checks = await database.ownerTransaction((owner) => owner.query<{ conname: string; convalidated: boolean }>(`select conname, convalidated from pg_constraint where conname like '%line_user_id_format_check'`));
    expect(checks.length).toBe(5);
    expect(checks.every((c) => !c.convalidated)).toBe(true);
    const [row] = await database.ownerTransaction((owner) => owner.query<{ line_user_id: string }>(`select line_user_id from members where id = '${id(21)}'`));
    expect(row!.line_user_id).toBe('Uaaa,Ubbb');
  }, 60_000);
});
