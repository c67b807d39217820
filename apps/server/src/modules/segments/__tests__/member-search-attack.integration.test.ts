import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, startSignedIn } from '../../../../test/api-client.ts';
import { createTestTenant, type TestEnv, type TestTenant } from '../../../../test/harness.ts';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../../core/db/database.ts';
import { escapeLike } from '../../../core/db/like.ts';
import { newId } from '../../../core/ids.ts';

// A review of member_search_ids (migration 0053) and the search that narrows by it (segments.service.ts, textPredicate).
// The promise: for every input, the list, count and export answer exactly what the plain LIKE answered before, for the
// hotel's own live members only. The plain LIKE is computed here as the owner, outside row-level security, with the
// service's term handling (trimmed, wildcards escaped, lower-cased by PostgreSQL as the stored text is; it was lower-cased
// by JavaScript before the review, which folds İ and a final Σ differently, so capitals typed as stored were not found).
let env: TestEnv;
let admin: ApiClient;
let tenant: TestTenant;
let other: TestTenant;

type Guest = { last: string; first: string; email?: string };

/** Guests with names that stress LIKE and case folding, stored in both hotels and once more in the trash. */
const GUESTS: Guest[] = [
  { last: '100%', first: 'pure', email: 'percent@x.example' },
  { last: 'a_b', first: 'under', email: 'under_score@x.example' },
  { last: 'back\\slash', first: 'esc', email: 'bs@x.example' },
  { last: 'İLHAN', first: 'Ayşe' },
  { last: 'ΠΑΠΑΔΟΠΟΥΛΟΣ', first: 'Νίκος' },
  { last: 'Σοφιας', first: 'Μαρία' },
  { last: 'STRAẞE', first: 'Groß' },
  { last: 'ＡＢＣ', first: '全角' },
  { last: 'Jose\u0301', first: 'combining' },
  { last: 'José', first: 'precomposed' },
  { last: '𠮷𠮷𠮷', first: '野家' },
  { last: '😀😀😀', first: 'emoji' },
  { last: 'O\'Brien', first: 'Seán' },
];

/** Search terms: wildcards, escapes, case pairs, surrogate pairs, inner whitespace, exactly three code points. */
const TERMS = [
  '100%', '%', '%%%', '_', '___', 'a_b', 'a%b', '\\', 'back\\slash', '\\%', '\\\\\\',
  'İLHAN', 'ilhan', 'i̇lhan', 'ayşe', 'AYŞE',
  'ΠΑΠΑΔΟΠΟΥΛΟΣ', 'παπαδοπουλος', 'παπαδοπουλοσ', 'Σοφιας', 'ΣΟΦΙΑΣ', 'σοφιασ',
  'STRAẞE', 'straße', 'strasse', 'GROSS', 'groß',
  'ＡＢＣ', 'ａｂｃ', 'abc', 'Jose\u0301', 'josé', 'José', 'jose',
  '𠮷𠮷𠮷', '𠮷𠮷', '😀😀😀', '😀', "o'brien", 'seán',
  'a b', 'x.example', '@x.', '  percent  ', 'ilhan ayşe', 'μαρία σοφιας', '野家 𠮷𠮷𠮷', 'pure 100%', '100 %',
];

async function insertGuest(tenantId: string, guest: Guest, options: { trashed?: boolean } = {}): Promise<string> {
  const id = newId();
  await env.runtime.db.ownerTransaction((owner) =>
    owner.query(
      `insert into members (tenant_id, id, member_no, last_name, first_name, email, deleted_at)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [tenantId, id, `Z${id.slice(-8)}`, guest.last, guest.first, guest.email ?? null, options.trashed ? new Date() : null],
    ),
  );
  return id;
}

async function insertMany(tenantId: string, prefix: string, n: number): Promise<void> {
  await env.runtime.db.ownerTransaction((owner) =>
    owner.query(
      `insert into members (tenant_id, id, member_no, last_name, first_name)
       select $1::uuid, gen_random_uuid(), 'E' || substr(md5(random()::text), 1, 12), $2, 'g' || i from generate_series(1, $3::int) i`,
      [tenantId, prefix, n],
    ),
  );
}

/**
 * The plain LIKE over the hotel's live members, with the service's term handling: every word (split at spaces, unless
 * the term is typed as a phone number) somewhere in the search text.
 */
async function plainLike(tenantId: string, q: string): Promise<string[]> {
  const text = q.trim();
  const words = /^[\d\s+()\-－０-９]{6,}$/.test(text) ? [text] : text.split(/\s+/u);
  const conditions = words.map((_, i) => `search_text like lower($${i + 2})`).join(' and ');
  const rows = await env.runtime.db.ownerTransaction((owner) =>
    owner.query<{ id: string }>(`select id from members where tenant_id = $1 and deleted_at is null and ${conditions}`, [tenantId, ...words.map((w) => `%${escapeLike(w)}%`)]),
  );
  return rows.map((r) => r.id).sort();
}

const searchIds = async (client: ApiClient, q: string): Promise<string[]> => {
  const response = await client.post('/api/members/search', { q, pageSize: 200 });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return (response.body.data as Array<{ id: string }>).map((m) => m.id).sort();
};
const count = async (client: ApiClient, q: string): Promise<number> => {
  const response = await client.post('/api/members/count', { q });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.count;
};

beforeAll(async () => {
  ({ env, admin, tenant } = await startSignedIn());
  other = await createTestTenant(env, { slug: `atk-other-${newId().slice(-6)}` });
  for (const guest of GUESTS) {
    await insertGuest(tenant.tenantId, guest);
    await insertGuest(tenant.tenantId, guest, { trashed: true });
    await insertGuest(other.tenantId, guest);
  }
});
afterAll(() => env.close());

describe('member search through member_search_ids, attacked', () => {
  it('answers every tricky term exactly as the plain LIKE did: same ids, same count, nothing foreign or trashed', async () => {
    const mismatches: string[] = [];
    for (const q of TERMS) {
      const expected = await plainLike(tenant.tenantId, q);
      const found = await searchIds(admin, q);
      const n = await count(admin, q);
      if (JSON.stringify(found) !== JSON.stringify(expected) || n !== expected.length) mismatches.push(`${JSON.stringify(q)}: search ${found.length}, count ${n}, plain LIKE ${expected.length}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('counts exactly 2,000 matches (ids) and 2,001 (the common-term LIKE) the same way the plain LIKE does', async () => {
    await insertMany(tenant.tenantId, 'edgecase', 2000);
    await insertMany(other.tenantId, 'edgecase', 50);
    expect(await count(admin, 'edgecase')).toBe(2000);
    expect(await count(admin, 'edgecase')).toBe((await plainLike(tenant.tenantId, 'edgecase')).length);
    await insertMany(tenant.tenantId, 'edgecase', 1);
    expect(await count(admin, 'edgecase')).toBe(2001);
    // The last page of a 2,000-match list through the ids ends where the LIKE's would.
    await env.runtime.db.ownerTransaction((owner) => owner.query(`update members set deleted_at = now() where tenant_id = $1 and id = (select id from members where tenant_id = $1 and last_name = 'edgecase' limit 1)`, [tenant.tenantId]));
    expect(await count(admin, 'edgecase')).toBe(2000);
    const page = await admin.post('/api/members/search', { q: 'edgecase', pageSize: 200, page: 10 });
    expect(page.body.data).toHaveLength(200);
    expect(page.body.hasMore).toBe(false);
  });

  it('exports and bulk-tags by a search term within the hotel only', async () => {
    const exported = await admin.post('/api/members/export', { audience: { q: 'παπαδοπουλος' }, format: 'csv' });
    expect(exported.status).toBe(200);
    const expected = await plainLike(tenant.tenantId, 'παπαδοπουλος');
    expect(String(exported.body).split('\n').filter((line) => line.includes('ΠΑΠΑΔΟΠΟΥΛΟΣ'))).toHaveLength(expected.length);
    const tag = await admin.post('/api/tags', { name: `atk-${newId().slice(-6)}`, kind: 'basic' });
    expect(tag.status, JSON.stringify(tag.body)).toBe(201);
    const tagged = await admin.post('/api/members/bulk-tag', { audience: { q: 'straße' }, tagId: tag.body.id, change: 'add' });
    expect(tagged.status, JSON.stringify(tagged.body)).toBe(200);
    expect(tagged.body).toEqual({ changed: (await plainLike(tenant.tenantId, 'straße')).length, audience: (await plainLike(tenant.tenantId, 'straße')).length });
  });

  it('refuses a NUL byte in the term as bad input, not as a server error', async () => {
    const response = await admin.post('/api/members/count', { q: 'abc\u0000def' });
    expect(response.status).toBe(400);
  });

  // Pre-existing (the plain LIKE did the same): the term is lower-cased by JavaScript (full Unicode case mapping), the
  // stored search text by PostgreSQL's lower() (simple mapping): a guest whose name was entered in capitals, as on a
  // passport, is not found by typing the very same capitals when the two disagree (İ, final Σ).
  it('finds a guest by the same capitals the name was entered in', async () => {
    expect(await count(admin, 'İLHAN')).toBe(1);
    expect(await count(admin, 'ΠΑΠΑΔΟΠΟΥΛΟΣ')).toBe(1);
  });

  // member_search_ids runs as the owner with search_path = public, pg_temp. A function of the same name and an exact
  // argument type in public beats pg_catalog's polymorphic one (array_agg(anynonarray)) whatever the path's order, so
  // where the app role may create in public (PostgreSQL 14 and older by default, and a 15+ database upgraded from one
  // keeps that grant), innkeeper_app runs its own code as the owner, outside row-level security.
  it('cannot be made to run the app role’s own code as the owner, even where public is writable', async () => {
    const marker = `atk_${newId().slice(-8).replace(/-/g, '')}`;
    await env.runtime.db.ownerTransaction((owner) => owner.exec(`grant create on schema public to innkeeper_app`));
    try {
      const found = await env.runtime.db
        .withTenant(tenant.tenantId, async (tx) => {
          await tx.execute(sql.raw(`create function public.${marker}(uuid[], uuid) returns uuid[] language sql as $f$ select array(select id from public.members where tenant_id <> app_current_tenant() limit 3) $f$`));
          await tx.execute(sql.raw(`create aggregate public.array_agg(uuid) (sfunc = public.${marker}, stype = uuid[])`));
          const [row] = await queryRows<{ ids: string[] }>(tx, sql`select member_search_ids('%pure%', 10) as ids`);
          throw Object.assign(new Error('rollback'), { ids: row?.ids ?? [] });
        })
        .catch((error: { ids?: string[] }) => error.ids ?? []);
      const foreign = await env.runtime.db.ownerTransaction((owner) => owner.query<{ id: string }>(`select id from members where tenant_id <> $1 and id = any($2::uuid[])`, [tenant.tenantId, found]));
      expect(foreign).toEqual([]);
    } finally {
      await env.runtime.db.ownerTransaction((owner) => owner.exec(`revoke create on schema public from innkeeper_app`));
    }
  });
});
