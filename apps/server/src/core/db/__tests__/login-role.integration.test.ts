import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../../test/database.ts';
import { queryRows, type Database } from '../database.ts';
import { migrate } from '../migrate.ts';

let db: Database;

beforeAll(async () => {
  db = await openTestDatabase();
  await migrate(db);
});
afterAll(() => db.close());

type Who = { session: string; current: string; owner: string };

describe('the connections requests and jobs use', () => {
  it('log in as a role that owns nothing on PostgreSQL, so a transaction that forgot its scope reads nothing', async () => {
    const [who] = await db.withTenant('01900000-0000-7000-8000-000000000001' as never, (tx) =>
      queryRows<Who>(tx, sql`select session_user::text as session, current_user::text as current, (select tableowner::text from pg_tables where tablename = 'members') as owner`),
    );
    expect(who!.current).toBe('innkeeper_app');
    // Owner work (migrations, the queue's schema, ANALYZE) still has the owner.
    const [owner] = await db.ownerTransaction((o) => o.query<{ session: string }>('select session_user::text as session'));
    expect(owner!.session).toBe(who!.owner);
    if (db.engine === 'postgres') {
      expect(who!.session).not.toBe(who!.owner);
      // Dropping the scope leaves the login role itself, which may read no table.
      const forgotten = db.withoutTenant(async (tx) => {
        await tx.execute(sql`reset role`);
        return queryRows(tx, sql`select count(*) from members`);
      });
      const code = await forgotten.then(() => 'read', (error: { cause?: { code?: string } }) => error.cause?.code);
      expect(code).toBe('42501');
    } else {
      // PGlite is single-user: the embedded demo's one connection is the owner's (README, Configuration).
      expect(who!.session).toBe(who!.owner);
    }
  });
});
