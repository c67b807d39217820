import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../core/db/database.ts';
import { migratedBefore, type PartlyMigrated } from '../../../../test/migrated-before.ts';

// Migration 0063 cleans tag names (as 0060 did rules') and makes them unique whatever their case. A database may hold
// 「VIP」 and 「vip」, or a name and its look-alike: all but the oldest are renamed deterministically, the tags keep
// their ids (so assignments, rules and campaigns that name them by id keep working), then the rule is enforced.

const HOTEL = '01900000-0000-7000-8000-0000000009a1';
const OTHER = '01900000-0000-7000-8000-0000000009a2';
const MEMBER = '01900000-0000-7000-8000-0000000009b1';
let database: PartlyMigrated;
let db: Database;

beforeAll(async () => {
  database = await migratedBefore('0063');
  db = database.db;
}, 60_000);
afterAll(() => database.close());

function insertTag(tenant: string, id: string, name: string, createdAt: string) {
  return `insert into tags (tenant_id, id, name, kind, created_at) values ('${tenant}', '${id}', '${name}', 'basic', '${createdAt}');`;
}
const id = (n: number) => `01900000-0000-7000-8000-0000000009${String(n).padStart(2, '0')}`;

describe('migration 0063 on a database whose tags have names alike but for case or invisible characters', () => {
  it('cleans names, keeps the oldest, numbers the others past names taken in any case, keeps assignments, leaves other hotels alone, and refuses new repeats', async () => {
    await db.ownerTransaction((owner) =>
      owner.exec(`
        insert into tenants (id, name, slug) values ('${HOTEL}', '舊資料飯店', 'legacy-tags-any-case'), ('${OTHER}', '別家飯店', 'other-tags-any-case');
        ${insertTag(HOTEL, id(1), 'VIP', '2026-01-01')}
        ${insertTag(HOTEL, id(2), 'vip', '2026-02-01')}
        ${insertTag(HOTEL, id(3), 'Vip（2）', '2026-01-15')}
        ${insertTag(HOTEL, id(4), 'V\u200BIP\uFEFF ', '2026-03-01')}
        ${insertTag(HOTEL, id(5), 'Cafe\u0301', '2026-01-01')}
        ${insertTag(HOTEL, id(6), ' CAFÉ', '2026-02-01')}
        ${insertTag(HOTEL, id(7), '\u200B', '2026-01-01')}
        ${insertTag(HOTEL, id(8), 'L'.repeat(50), '2026-01-01')}
        ${insertTag(HOTEL, id(9), 'l'.repeat(50), '2026-02-01')}
        ${insertTag(HOTEL, id(10), '\u0958'.repeat(30), '2026-01-01')}
        ${insertTag(OTHER, id(11), 'vip', '2026-04-01')}
        insert into members (tenant_id, id, member_no, last_name) values ('${HOTEL}', '${MEMBER}', 'M0001', '甲');
        insert into member_tags (tenant_id, tag_id, member_id, source) values ('${HOTEL}', '${id(2)}', '${MEMBER}', 'staff');`),
    );
    expect(await database.migrateRest()).toContain('0063_tag_names_any_case');

    const rows = await db.ownerTransaction((owner) => owner.query<{ tenant_id: string; id: string; name: string }>('select tenant_id, id, name from tags order by tenant_id, id'));
    expect(rows.map((r) => [r.tenant_id === HOTEL ? 'hotel' : 'other', r.id, r.name])).toEqual([
      ['hotel', id(1), 'VIP'],
      // 「（2）」 is another tag's already, in another case.
      ['hotel', id(2), 'vip（3）'],
      ['hotel', id(3), 'Vip（2）'],
      // Cleaned to 「VIP」, then numbered as the youngest of its name.
      ['hotel', id(4), 'VIP（4）'],
      ['hotel', id(5), 'Café'],
      ['hotel', id(6), 'CAFÉ（2）'],
      // Nothing would be left of it: kept as it was, for staff to rename.
      ['hotel', id(7), '\u200B'],
      ['hotel', id(8), 'L'.repeat(50)],
      ['hotel', id(9), `${'l'.repeat(47)}（2）`],
      // NFC would make it 60 characters, past the tags' 50: kept as it was.
      ['hotel', id(10), '\u0958'.repeat(30)],
      ['other', id(11), 'vip'],
    ]);
    // The renamed tag is the same tag: its member still carries it.
    expect(await db.ownerTransaction((owner) => owner.query<{ name: string }>(`select t.name from member_tags mt join tags t on t.tenant_id = mt.tenant_id and t.id = mt.tag_id where mt.member_id = '${MEMBER}'`))).toEqual([{ name: 'vip（3）' }]);
    await expect(db.ownerTransaction((owner) => owner.exec(insertTag(HOTEL, id(12), 'café', '2026-05-01')))).rejects.toThrow(/tags_name_key/);
    await expect(db.ownerTransaction((owner) => owner.exec(insertTag(OTHER, id(13), 'café', '2026-05-01')))).resolves.toBeUndefined();
  });
});
