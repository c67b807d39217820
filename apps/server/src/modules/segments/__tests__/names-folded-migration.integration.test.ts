import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../core/db/database.ts';
import { migratedBefore, type PartlyMigrated } from '../../../../test/migrated-before.ts';

// Migration 0066 makes segments', roles' and saved PMS mappings' names unique as tags' and rules' are (0064): under
// case and Unicode's compatibility folding, lower(normalize(name, NFKC)); a mapping's within its connection (one per hotel today). A
// database may hold 「VIP 常客」 and 「ｖｉｐ 常客」: all but the oldest are renamed (numbered past names taken under the
// folding), keeping the ids and what was typed otherwise; other hotels and other connections are left alone; then
// the rule is enforced. Runs on the embedded engine, where the migrations can be stopped before 0066.

const HOTEL = '01900000-0000-7000-8000-000000000da1';
const OTHER = '01900000-0000-7000-8000-000000000da2';
const FILES = '01900000-0000-7000-8000-000000000db1';
const FRONT_DESK = '01900000-0000-7000-8000-000000000db2';
let database: PartlyMigrated;
let db: Database;

beforeAll(async () => {
  database = await migratedBefore('0066');
  db = database.db;
}, 60_000);
afterAll(() => database.close());

const id = (n: number) => `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const segment = (tenant: string, n: number, name: string, at: string) => `insert into segments (tenant_id, id, name, definition, created_at) values ('${tenant}', '${id(n)}', '${name}', '{"type":"group","op":"and","conditions":[]}', '${at}');`;
const role = (tenant: string, n: number, name: string, at: string) => `insert into roles (tenant_id, id, name, created_at) values ('${tenant}', '${id(n)}', '${name}', '${at}');`;
const mapping = (connection: string, n: number, name: string, at: string) =>
  `insert into pms_column_mappings (tenant_id, id, connection_id, name, mapping, created_at, updated_at) values ('${connection === FILES ? HOTEL : OTHER}', '${id(n)}', '${connection}', '${name}', '{}', '${at}', '${at}');`;

type Row = { tenant_id: string; id: string; name: string };
const names = (table: string) => db.ownerTransaction((owner) => owner.query<Row>(`select tenant_id, id, name from ${table} where id::text like '01900000-0000-7000-8000-0000000000%' order by tenant_id, id`));

describe('migration 0066 on a database whose segment, role and mapping names are alike but for case or width', () => {
  it('keeps the oldest name, numbers the others past names taken under the folding, keeps the ids; leaves other hotels and connections alone; refuses new look-alikes', async () => {
    await db.ownerTransaction((owner) =>
      owner.exec(`
        insert into tenants (id, name, slug) values ('${HOTEL}', '舊資料飯店', 'legacy-folded'), ('${OTHER}', '別家飯店', 'other-folded');
        ${segment(HOTEL, 1, 'VIP 常客', '2026-01-01')}
        ${segment(HOTEL, 2, 'ｖｉｐ 常客', '2026-02-01')}
        ${segment(HOTEL, 3, 'vip 常客(2)', '2026-01-15')}
        ${segment(HOTEL, 4, 'Vip 常客', '2026-03-01')}
        ${segment(OTHER, 5, 'vip 常客', '2026-04-01')}
        ${role(HOTEL, 11, 'Night Shift', '2026-01-01')}
        ${role(HOTEL, 12, 'ＮＩＧＨＴ ＳＨＩＦＴ', '2026-02-01')}
        ${role(HOTEL, 13, 'Ｌ'.repeat(100), '2026-01-01')}
        ${role(HOTEL, 14, 'l'.repeat(100), '2026-02-01')}
        insert into pms_connections (tenant_id, id, name, kind) values ('${HOTEL}', '${FILES}', '匯出檔', 'dean_file'), ('${OTHER}', '${FRONT_DESK}', '櫃台清單', 'dean_file');
        ${mapping(FILES, 21, 'Monthly', '2026-01-01')}
        ${mapping(FILES, 22, 'ＭＯＮＴＨＬＹ', '2026-02-01')}
        ${mapping(FRONT_DESK, 23, 'monthly', '2026-03-01')}`),
    );
    expect(await database.migrateRest()).toContain('0066_names_folded_segments_roles_mappings');

    const tenantOf = (r: Row) => (r.tenant_id === HOTEL ? 'hotel' : 'other');
    expect((await names('segments')).map((r) => [tenantOf(r), r.id, r.name])).toEqual([
      ['hotel', id(1), 'VIP 常客'],
      // 「（2）」 folds to 「(2)」, another segment's already.
      ['hotel', id(2), 'ｖｉｐ 常客（3）'],
      ['hotel', id(3), 'vip 常客(2)'],
      ['hotel', id(4), 'Vip 常客（4）'],
      ['other', id(5), 'vip 常客'],
    ]);
    expect((await names('roles')).map((r) => [r.id, r.name])).toEqual([
      [id(11), 'Night Shift'],
      [id(12), 'ＮＩＧＨＴ ＳＨＩＦＴ（2）'],
      [id(13), 'Ｌ'.repeat(100)],
      // Shortened to make room for its number within the 100 characters a name may have.
      [id(14), `${'l'.repeat(97)}（2）`],
    ]);
    expect((await names('pms_column_mappings')).map((r) => [r.id, r.name])).toEqual([
      [id(21), 'Monthly'],
      [id(22), 'ＭＯＮＴＨＬＹ（2）'],
      // Another connection's (another hotel's: one connection per hotel) mapping may share the name.
      [id(23), 'monthly'],
    ]);

    // From now on the database refuses a look-alike, under the index names the services map to their field errors.
    const refused = async (statement: string) => {
      const error = await db.ownerTransaction((owner) => owner.exec(statement)).then(() => undefined, (e: unknown) => e as { message: string });
      return error?.message ?? 'accepted';
    };
    expect(await refused(segment(HOTEL, 6, 'ＶＩＰ 常客', '2026-05-01'))).toMatch(/segments_name_key/);
    expect(await refused(role(HOTEL, 15, 'night shift', '2026-05-01'))).toMatch(/roles_name_key/);
    expect(await refused(mapping(FILES, 24, 'monthly', '2026-05-01'))).toMatch(/pms_column_mappings_name_key/);
  });
});
