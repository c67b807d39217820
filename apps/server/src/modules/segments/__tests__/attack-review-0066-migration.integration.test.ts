import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanName } from '@innkeeper/contracts';
import { ZCleanName } from '@innkeeper/contracts/api';
import type { Database } from '../../../core/db/database.ts';
import { migratedBefore, type PartlyMigrated } from '../../../../test/migrated-before.ts';

// Attack review (atk8) of migration 0066 on data the app could have written before it.

const HOTEL = '01900000-0000-7000-8000-00000000aa01';
const PLATFORMISH = '01900000-0000-7000-8000-00000000aa02';
const CONNECTION = '01900000-0000-7000-8000-00000000ab01';
let database: PartlyMigrated;
let db: Database;

const id = (n: number) => `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const q = (s: string) => s.replaceAll("'", "''");
const at = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString();
const segment = (tenant: string, n: number, name: string) =>
  `insert into segments (tenant_id, id, name, definition, created_at) values ('${tenant}', '${id(n)}', '${q(name)}', '{"type":"group","op":"and","conditions":[]}', '${at(n)}');`;
const role = (tenant: string, n: number, name: string, builtin: string | null = null) =>
  `insert into roles (tenant_id, id, name, builtin_key, created_at) values ('${tenant}', '${id(n)}', '${q(name)}', ${builtin ? `'${builtin}'` : 'null'}, '${at(n)}');`;
const mapping = (n: number, name: string) =>
  `insert into pms_column_mappings (tenant_id, id, connection_id, name, mapping, created_at, updated_at) values ('${HOTEL}', '${id(n)}', '${CONNECTION}', '${q(name)}', '{}', '${at(n)}', '${at(n)}');`;

/** 300 spellings of one name, all distinct, all alike under lower(normalize(name, NFKC)). */
function spellings(base: string, count: number): string[] {
  const out: string[] = [];
  for (let mask = 0; out.length < count; mask += 1) {
    out.push(Array.from(base, (c, i) => (mask & (1 << i) ? c.toUpperCase() : c)).join(''));
  }
  return out;
}

type Row = { id: string; name: string; builtin_key?: string | null };
const rows = (table: string, tenant: string) =>
  db.ownerTransaction((owner) => owner.query<Row>(`select id::text, name from ${table} where tenant_id = '${tenant}' order by id`));

beforeAll(async () => {
  database = await migratedBefore('0066');
  db = database.db;
  const many = spellings('abcdefghij', 300);
  // mappings were unique by lower(name) before 0066: their 300 spellings differ in width
  const widths = Array.from({ length: 300 }, (_, mask) => Array.from('abcdefghij', (c, i) => (mask & (1 << i) ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join(''));
  await db.ownerTransaction((owner) =>
    owner.exec(`
      insert into tenants (id, name, slug) values ('${HOTEL}', '攻擊飯店', 'atk8-hotel'), ('${PLATFORMISH}', '別家', 'atk8-other');
      insert into pms_connections (tenant_id, id, name, kind) values ('${HOTEL}', '${CONNECTION}', '匯出檔', 'dean_file');
      ${many.map((name, i) => segment(HOTEL, 1000 + i, name)).join('\n')}
      ${many.map((name, i) => role(HOTEL, 2000 + i, name)).join('\n')}
      ${widths.map((name, i) => mapping(3000 + i, name)).join('\n')}
      -- astral characters (CJK Extension B): 1 + 49 × 「𠮷」 = 50 code points, 99 UTF-16 units; renamed to 102 UTF-16 units,
      -- which zod 4's max (code points) and the database accept, only the web's nameLength counter would not.
      ${segment(HOTEL, 4001, 'A' + '𠮷'.repeat(49))}
      ${segment(HOTEL, 4002, 'a' + '𠮷'.repeat(49))}
      ${role(HOTEL, 4003, 'B' + '𠮷'.repeat(49))}
      ${role(HOTEL, 4004, 'b' + '𠮷'.repeat(49))}
      ${mapping(4005, 'C' + '𠮷'.repeat(49))}
      ${mapping(4006, 'ｃ' + '𠮷'.repeat(49))}
      -- names that NFKC expands (㍿ → 株式会社, ﷽ → 18 letters), 100 characters each
      ${segment(HOTEL, 4101, '㍿'.repeat(100))}
      ${segment(HOTEL, 4102, '株式会社'.repeat(25))}
      ${segment(HOTEL, 4103, '﷽'.repeat(100))}
      ${segment(HOTEL, 4104, 'ﷺ'.repeat(1) + '﷽'.repeat(99))}
      -- names already numbered
      ${segment(HOTEL, 4201, 'VIP（2）')}
      ${segment(HOTEL, 4202, 'vip(2)')}
      ${segment(HOTEL, 4203, 'VIP')}
      ${segment(HOTEL, 4204, 'vip')}
      -- a built-in role and a custom look-alike (Kangxi radical 「⾏」 folds to 「行」) made later
      ${role(HOTEL, 4301, '行銷', 'marketing')}
      ${role(HOTEL, 4302, '⾏銷')}
      ${role(PLATFORMISH, 4303, '平台營運', 'operator')}
    `),
  );
  expect(await database.migrateRest()).toContain('0066_names_folded_segments_roles_mappings');
}, 300_000);
afterAll(() => database.close());

describe('migration 0066 (attack review atk8)', () => {
  it('renames 300 spellings of one name to 300 distinct names, the oldest unchanged', async () => {
    for (const table of ['segments', 'roles', 'pms_column_mappings']) {
      const all = await rows(table, HOTEL);
      const many = all.filter((r) => r.id >= id(1000) && r.id < id(4000));
      expect(many).toHaveLength(900 / 3);
      expect(many[0]!.name).toBe('abcdefghij');
      const keys = new Set(all.map((r) => r.name.normalize('NFKC').toLowerCase()));
      expect(keys.size).toBe(all.length);
    }
  });

  it('every renamed name is one the server itself accepts again unchanged (ZCleanName(100): cleaned, 100 code points)', async () => {
    const tooLong: string[] = [];
    for (const table of ['segments', 'roles', 'pms_column_mappings']) {
      for (const r of await rows(table, HOTEL)) if (!ZCleanName(100).safeParse(r.name).success || cleanName(r.name) !== r.name) tooLong.push(`${table} ${r.name}`);
    }
    expect(tooLong).toEqual([]);
  });

  it('never renames a built-in role; the later custom look-alike is numbered', async () => {
    const all = await rows('roles', HOTEL);
    expect(all.find((r) => r.id === id(4301))!.name).toBe('行銷');
    expect(all.find((r) => r.id === id(4302))!.name).toBe('⾏銷（2）');
  });

  it('names NFKC expands stay within the 100 characters', async () => {
    const all = await rows('segments', HOTEL);
    for (const n of [4101, 4102, 4103, 4104]) expect([...all.find((r) => r.id === id(n))!.name].length).toBeLessThanOrEqual(100);
    expect(all.find((r) => r.id === id(4204))!.name).toBe('vip（3）');
  });
});
