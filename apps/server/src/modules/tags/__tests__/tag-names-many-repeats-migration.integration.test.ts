import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratedBefore, type PartlyMigrated } from '../../../../test/migrated-before.ts';

// Migration 0063 numbers a name's repeats in one pass (an index probe per candidate, each repeat going on from the
// number the previous one took): a hotel with hundreds of spellings of one name gets them all numbered, none twice,
// past a numbered name another tag already has. Its speed was measured by hand (the commit message); no timing here.

const HOTEL = '01900000-0000-7000-8000-000000000aa1';
const OTHER = '01900000-0000-7000-8000-000000000aa2';
const REPEATS = 300;
let database: PartlyMigrated;

beforeAll(async () => {
  database = await migratedBefore('0063');
}, 60_000);
afterAll(() => database.close());

/** The i-th spelling of 「abcdefghi」 (its bits say which letters are capitals): 512 spellings, all one in any case. */
function spelling(i: number): string {
  return [...'abcdefghi'].map((letter, bit) => ((i >> bit) & 1 ? letter.toUpperCase() : letter)).join('');
}
const tagId = (n: number) => `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`;

describe('migration 0063 on a hotel with hundreds of spellings of one tag name', () => {
  it('keeps the oldest name, numbers every other spelling once (past 「（5）」, taken already), keeps the ids, and leaves another hotel alone', async () => {
    const rows = Array.from({ length: REPEATS }, (_, i) => `('${HOTEL}', '${tagId(i + 1)}', '${spelling(i)}', 'basic', timestamptz '2026-01-01' + interval '${i} minutes')`);
    await database.db.ownerTransaction((owner) =>
      owner.exec(`
        insert into tenants (id, name, slug) values ('${HOTEL}', '多拼法飯店', 'many-spellings'), ('${OTHER}', '別家飯店', 'many-spellings-other');
        insert into tags (tenant_id, id, name, kind, created_at) values ${rows.join(', ')};
        insert into tags (tenant_id, id, name, kind, created_at) values
          ('${HOTEL}', '${tagId(900)}', 'ABCDEFGHI（5）', 'basic', '2025-12-01'),
          ('${OTHER}', '${tagId(901)}', 'abcdefghi', 'basic', '2026-01-01'),
          ('${OTHER}', '${tagId(902)}', 'ABCDEFGHI', 'basic', '2026-02-01');`),
    );
    expect(await database.migrateRest()).toContain('0063_tag_names_any_case');

    const after = await database.db.ownerTransaction((owner) => owner.query<{ tenant_id: string; id: string; name: string }>('select tenant_id, id, name from tags order by tenant_id, id'));
    const hotel = after.filter((r) => r.tenant_id === HOTEL);
    expect(hotel).toHaveLength(REPEATS + 1);
    expect(hotel.map((r) => r.id).sort()).toEqual([...Array.from({ length: REPEATS }, (_, i) => tagId(i + 1)), tagId(900)].sort());
    expect(new Set(hotel.map((r) => r.name.toLowerCase())).size).toBe(REPEATS + 1);
    expect(hotel.find((r) => r.id === tagId(1))!.name).toBe('abcdefghi');
    expect(hotel.find((r) => r.id === tagId(900))!.name).toBe('ABCDEFGHI（5）');
    // Each later spelling keeps its own letters, numbered 2, 3, 4, 6 … in order of creation.
    const numbers = [2, 3, 4, ...Array.from({ length: REPEATS - 4 }, (_, i) => i + 6)];
    for (let i = 1; i < REPEATS; i++) expect(hotel.find((r) => r.id === tagId(i + 1))!.name).toBe(`${spelling(i)}（${numbers[i - 1]}）`);
    // Another hotel's repeats are its own: numbered within it only.
    expect(after.filter((r) => r.tenant_id === OTHER).map((r) => r.name)).toEqual(['abcdefghi', 'ABCDEFGHI（2）']);
  });
});
