import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/core/db/database.ts';
import { migratedBefore, type PartlyMigrated } from './migrated-before.ts';

/**
 * Attack review 2026-12-07c (atk4): migration 0063 (tag names unique in any case) on hostile data: names already
 * numbered like 「VIP（2）」 in several cases, three- and four-way collisions, names left empty or too long by
 * cleaning that collide in case, names at 50 characters whose number must shorten them, full-width look-alikes.
 * Asserts it completes, leaves names unique in any case, keeps ids, and never makes a name longer than 50 as kept.
 */
const HOTEL = '01900000-0000-7000-8000-00000000a0a1';
const OTHER = '01900000-0000-7000-8000-00000000a0a2';
let database: PartlyMigrated;
let db: Database;

beforeAll(async () => {
  database = await migratedBefore('0063');
  db = database.db;
}, 60_000);
afterAll(() => database.close());

const id = (n: number) => `01900000-0000-7000-8000-0000000a${String(n).padStart(4, '0')}`;
const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

describe('migration 0063 on hostile tag names', () => {
  it('holds: completes; every name unique in any case per hotel; ids kept; numbered names within 50', async () => {
    const names: Array<[string, string, string]> = [
      // Already numbered in several cases, and the plain names in several cases.
      [HOTEL, 'VIP（2）', '2026-01-01'], [HOTEL, 'vip（2）', '2026-01-02'], [HOTEL, 'VIP', '2026-01-03'], [HOTEL, 'vip', '2026-01-04'], [HOTEL, 'Vip', '2026-01-05'], [HOTEL, 'vIP', '2026-01-06'], [HOTEL, 'VIP（3）', '2026-01-07'],
      // A name whose cleaned form is another's, and whose numbered form is a third's.
      [HOTEL, 'V\u00ADIP（2）', '2026-01-08'],
      // Left empty by cleaning, in two spellings that do not collide (exact names were unique before).
      [HOTEL, '\u200B', '2026-01-09'], [HOTEL, '\u200B\u200B', '2026-01-10'],
      // Too long once composed, colliding in case: kept raw, then numbered.
      [HOTEL, 'A' + '\u0958'.repeat(25), '2026-01-11'], [HOTEL, 'a' + '\u0958'.repeat(25), '2026-01-12'],
      // At 50 characters, four ways.
      [HOTEL, 'Q'.repeat(50), '2026-01-13'], [HOTEL, 'q'.repeat(50), '2026-01-14'], [HOTEL, 'Q'.repeat(49) + 'q', '2026-01-15'], [HOTEL, 'q'.repeat(49) + 'Q', '2026-01-16'],
      // Full-width and half-width, Turkish dotted I, sharp s: distinct under lower() (NFC, not NFKC), kept as they are.
      [HOTEL, 'ＶＩＰ', '2026-01-17'], [HOTEL, 'İstanbul', '2026-01-18'], [HOTEL, 'istanbul', '2026-01-19'], [HOTEL, 'STRASSE', '2026-01-20'], [HOTEL, 'straße', '2026-01-21'],
      // A quote and a backslash in the name.
      [HOTEL, `O'Brien\\`, '2026-01-22'], [HOTEL, `o'brien\\`, '2026-01-23'],
      [OTHER, 'vip', '2026-01-01'], [OTHER, 'VIP', '2026-01-02'],
    ];
    await db.ownerTransaction((owner) =>
      owner.exec(`
        insert into tenants (id, name, slug) values ('${HOTEL}', '敵意資料飯店', 'atk4-hostile-tags'), ('${OTHER}', '別家', 'atk4-hostile-other');
        ${names.map(([tenant, name, at], i) => `insert into tags (tenant_id, id, name, kind, created_at) values ('${tenant}', '${id(i + 1)}', ${quote(name)}, 'basic', '${at}');`).join('\n')}`),
    );
    expect(await database.migrateRest()).toContain('0063_tag_names_any_case');
    const rows = await db.ownerTransaction((owner) => owner.query<{ tenant_id: string; id: string; name: string; lowered: string }>('select tenant_id, id, name, lower(name) as lowered from tags order by id'));
    expect(rows.map((r) => r.id)).toEqual(names.map((_, i) => id(i + 1)));
    for (const tenant of [HOTEL, OTHER]) {
      const lowered = rows.filter((r) => r.tenant_id === tenant).map((r) => r.lowered);
      expect(new Set(lowered).size, JSON.stringify(lowered)).toBe(lowered.length);
    }
    // The oldest of each name keeps it; renamed ones fit in 50 characters unless their own name was already longer as kept.
    const byId = new Map(rows.map((r) => [r.id, r.name]));
    expect(byId.get(id(1))).toBe('VIP（2）');
    expect(byId.get(id(3))).toBe('VIP');
    expect(byId.get(id(13))).toBe('Q'.repeat(50));
    for (const n of [14, 15, 16]) expect(byId.get(id(n))!.length, byId.get(id(n))).toBeLessThanOrEqual(50);
    // Kept by 0063 (NFC, not NFKC); 0064, applied after it here, folds widths: the full-width 「ＶＩＰ」 is numbered.
    expect(byId.get(id(17))).toMatch(/^ＶＩＰ（\d+）$/);
    expect(byId.get(id(22))).toBe(`O'Brien\\`);
    expect(byId.get(id(23))).toMatch(/^o'brien\\（\d+）$/);
  });
});
