import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../core/db/database.ts';
import { MIGRATIONS_DIR } from '../../../core/db/migrate.ts';
import { migratedBefore, type PartlyMigrated } from '../../../../test/migrated-before.ts';

// Migration 0060 cleans rule names (invisible characters out: every default-ignorable code point; NFC, trimmed) and makes them unique whatever their
// case. A database may hold 「VIP 續住優惠」 and 「vip 續住優惠」, or a name and its look-alike: all but the oldest are
// renamed deterministically, then the rule is enforced. Runs on the embedded engine, where the migrations can be
// stopped before 0060 (the PostgreSQL test template is migrated to the end).

const HOTEL = '01900000-0000-7000-8000-0000000007a1';
const OTHER = '01900000-0000-7000-8000-0000000007a2';
let database: PartlyMigrated;
let db: Database;

beforeAll(async () => {
  database = await migratedBefore('0060');
  db = database.db;
}, 60_000);
afterAll(() => database.close());

function insertRule(tenant: string, id: string, name: string, createdAt: string) {
  return `insert into automation_rules (tenant_id, id, name, trigger, trigger_kind, steps, created_at)
          values ('${tenant}', '${id}', '${name}', '{"kind":"friend_added"}', 'friend_added', '[]', '${createdAt}');`;
}
const id = (n: number) => `01900000-0000-7000-8000-0000000008${String(n).padStart(2, '0')}`;

describe('migration 0060 on a database whose rules have names alike but for case or invisible characters', () => {
  it('cleans names, keeps the oldest, numbers the others past names taken in any case, leaves other hotels alone, and refuses new repeats', async () => {
    await db.ownerTransaction((owner) =>
      owner.exec(`
        insert into tenants (id, name, slug) values ('${HOTEL}', '舊資料飯店', 'legacy-any-case'), ('${OTHER}', '別家飯店', 'other-any-case');
        ${insertRule(HOTEL, id(1), 'VIP 續住優惠', '2026-01-01')}
        ${insertRule(HOTEL, id(2), 'vip 續住優惠', '2026-02-01')}
        ${insertRule(HOTEL, id(3), 'Vip 續住優惠（2）', '2026-01-15')}
        ${insertRule(HOTEL, id(4), 'VIP\u200B 續住優惠\uFEFF', '2026-03-01')}
        ${insertRule(HOTEL, id(5), 'Cafe\u0301 早鳥', '2026-01-01')}
        ${insertRule(HOTEL, id(6), 'CAFÉ 早鳥 ', '2026-02-01')}
        ${insertRule(HOTEL, id(7), '\u200B', '2026-01-01')}
        ${insertRule(HOTEL, id(8), 'L'.repeat(100), '2026-01-01')}
        ${insertRule(HOTEL, id(9), 'l'.repeat(100), '2026-02-01')}
        ${insertRule(OTHER, id(10), 'vip 續住優惠', '2026-04-01')}`),
    );
    expect(await database.migrateRest()).toContain('0060_rule_names_any_case_campaign_pauses');

    const rows = await db.ownerTransaction((owner) => owner.query<{ tenant_id: string; id: string; name: string }>('select tenant_id, id, name from automation_rules order by tenant_id, id'));
    expect(rows.map((r) => [r.tenant_id === HOTEL ? 'hotel' : 'other', r.id, r.name])).toEqual([
      ['hotel', id(1), 'VIP 續住優惠'],
      // 「（2）」 is another rule's already, in another case.
      ['hotel', id(2), 'vip 續住優惠（3）'],
      ['hotel', id(3), 'Vip 續住優惠（2）'],
      // Cleaned to 「VIP 續住優惠」, then numbered as the youngest of its name.
      ['hotel', id(4), 'VIP 續住優惠（4）'],
      ['hotel', id(5), 'Café 早鳥'],
      ['hotel', id(6), 'CAFÉ 早鳥（2）'],
      // Nothing would be left of it: kept as it was, for staff to rename.
      ['hotel', id(7), '\u200B'],
      ['hotel', id(8), 'L'.repeat(100)],
      ['hotel', id(9), `${'l'.repeat(97)}（2）`],
      ['other', id(10), 'vip 續住優惠'],
    ]);
    await expect(db.ownerTransaction((owner) => owner.exec(insertRule(HOTEL, id(11), 'café 早鳥', '2026-05-01')))).rejects.toThrow(/automation_rules_name_key/);
  });
});

describe('migration 0060’s class of invisible characters', () => {
  it('removes exactly what the app’s cleanName removes (Unicode’s default-ignorable code points), in the database’s own regular expressions', async () => {
    const sqlText = fs.readFileSync(path.join(MIGRATIONS_DIR, '0060_rule_names_any_case_campaign_pauses.sql'), 'utf8');
    const charClass = /regexp_replace\(name, (U&'\[[^\]]+\]')/.exec(sqlText)?.[1];
    expect(charClass).toBeDefined();
    // Every code point of the BMP and the supplementary planes that hold default-ignorables, asked in one statement.
    const ignorable = /\p{Default_Ignorable_Code_Point}/u;
    const points: number[] = [];
    for (let cp = 1; cp <= 0xffff; cp++) if (cp < 0xd800 || cp > 0xdfff) points.push(cp);
    for (const [from, to] of [[0x1bc90, 0x1bcaf], [0x1d160, 0x1d18f], [0xe0000, 0xe0fff], [0xe1000, 0xe1010]] as const) for (let cp = from; cp <= to; cp++) points.push(cp);
    const removed = await db.ownerTransaction((owner) =>
      owner.query<{ cp: number }>(`select cp from unnest($1::int[]) cp where regexp_replace(chr(cp), ${charClass}, '', 'g') = ''`, [points]),
    );
    const expected = points.filter((cp) => ignorable.test(String.fromCodePoint(cp)));
    expect(expected.length).toBeGreaterThan(4000);
    expect(removed.map((r) => r.cp).sort((a, b) => a - b)).toEqual(expected);
  }, 60_000);
});
