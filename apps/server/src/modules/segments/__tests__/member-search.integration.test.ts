import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, latestLinkToken, signedInAs, startSignedIn } from '../../../../test/api-client.ts';
import { createTestTenant, type TestEnv, type TestTenant } from '../../../../test/harness.ts';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../../core/db/database.ts';
import { databaseError } from '../../../core/errors.ts';
import { newId } from '../../../core/ids.ts';

// The member list's free-text search goes through the trigram index by way of member_search_ids (migration 0053), a
// function that runs as the table's owner because the tenant policy keeps LIKE away from the index. These tests hold
// it to the policy's promises: another hotel's guests, trashed records and members outside a limited account's
// properties stay out, and a common term (more matches than the id list takes) gives the same answers as a rare one.
let env: TestEnv;
let admin: ApiClient;
let tenant: TestTenant;
let other: TestTenant;
const ids: Record<string, string> = {};

const search = async (client: ApiClient, q: string, pageSize = 50): Promise<string[]> => {
  const response = await client.post('/api/members/search', { q, pageSize });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.data.map((m: { id: string }) => m.id);
};
const count = async (client: ApiClient, q: string): Promise<number> => {
  const response = await client.post('/api/members/count', { q });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.count;
};

/** `n` members straight into the table (the API would take minutes for thousands), named `<prefix><i>`. */
async function insertMembers(tenantId: string, prefix: string, n: number, from: number): Promise<void> {
  await env.runtime.db.ownerTransaction((owner) =>
    owner.query(
      `insert into members (tenant_id, id, member_no, last_name, first_name)
       select $1::uuid, gen_random_uuid(), 'B' || lpad((${from} + i)::text, 7, '0'), $2, 'guest' || i from generate_series(1, $3::int) i`,
      [tenantId, prefix, n],
    ),
  );
}

beforeAll(async () => {
  ({ env, admin, tenant } = await startSignedIn());
  other = await createTestTenant(env, { slug: `search-other-${newId().slice(-6)}` });
  const create = async (client: ApiClient, key: string, body: Record<string, unknown>) => {
    const created = await client.post('/api/members', body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    ids[key] = created.body.id;
  };
  await create(admin, 'taipei', { lastName: '鄭', firstName: '淑芬', email: 'shufen.cheng@mail.example', propertyId: tenant.propertyIds[0] });
  await create(admin, 'taichung', { lastName: '鄭', firstName: '淑芬', email: 'shufen.tc@mail.example', propertyId: tenant.propertyIds[1] });
  await create(admin, 'trashed', { lastName: '鄭', firstName: '淑芬', email: 'shufen.gone@mail.example' });
  expect((await admin.delete(`/api/members/${ids.trashed}`)).status).toBe(200);
  const otherAdmin = await signedInAs(env, other.adminEmail, other.password);
  await create(otherAdmin, 'foreign', { lastName: '鄭', firstName: '淑芬', email: 'shufen.cheng@mail.example' });
  // 2,100 members sharing one surname: more than the 2,000 ids a search narrows to, so the term counts as common.
  await insertMembers(tenant.tenantId, '歐陽', 2100, 0);
  await insertMembers(other.tenantId, '歐陽', 30, 5000);
});
afterAll(() => env.close());

describe('member search through the trigram index', () => {
  it('finds a rare term among the hotel’s own live members only', async () => {
    expect(new Set(await search(admin, '鄭淑芬'))).toEqual(new Set([ids.taipei, ids.taichung]));
    expect(await search(admin, 'shufen.cheng@')).toEqual([ids.taipei]);
    expect(await count(admin, 'shufen')).toBe(2);
    expect(await search(admin, 'shufen.gone')).toEqual([]);
  });

  it('matches each word of the term on its own, in any order', async () => {
    expect(new Set(await search(admin, '鄭 淑芬'))).toEqual(new Set([ids.taipei, ids.taichung]));
    expect(new Set(await search(admin, '淑芬　鄭'))).toEqual(new Set([ids.taipei, ids.taichung])); // a full-width space
    expect(await search(admin, 'cheng shufen')).toEqual([ids.taipei]);
    expect(await search(admin, 'cheng 鄭 tc')).toEqual([]);
    expect(await count(admin, '歐陽 guest209')).toBe(11); // guest209, guest2090–2099
  });

  it('gives a property-limited account only the members it may see', async () => {
    const roles = (await admin.get('/api/roles')).body.data as Array<{ id: string; builtinKey: string }>;
    await admin.post('/api/accounts', { email: 'txg-search@hotel.example', displayName: '台中館', roleId: roles.find((r) => r.builtinKey === 'customer_service')!.id, allProperties: false, propertyIds: [tenant.propertyIds[1]] });
    await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, 'txg-search@hotel.example'), password: 'taichung desk 1' });
    const desk = await signedInAs(env, 'txg-search@hotel.example', 'taichung desk 1');
    expect(await search(desk, '鄭淑芬')).toEqual([ids.taichung]);
    expect(await count(desk, 'shufen.tc@mail.example')).toBe(1);
    expect(await count(desk, 'shufen.cheng@mail.example')).toBe(0); // the 台北館 guest's, out of its scope
  });

  it('matches a mobile or e-mail only typed whole for an account that sees them masked', async () => {
    const created = await admin.post('/api/members', { lastName: '林', firstName: '雅婷', mobile: '0912-345-678', email: 'Yating.Lin@Mail.Example' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const roles = (await admin.get('/api/roles')).body.data as Array<{ id: string; builtinKey: string }>;
    await admin.post('/api/accounts', { email: 'masked-search@hotel.example', displayName: '客服', roleId: roles.find((r) => r.builtinKey === 'customer_service')!.id, allProperties: true, propertyIds: [] });
    await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, 'masked-search@hotel.example'), password: 'masked desk 12' });
    const desk = await signedInAs(env, 'masked-search@hotel.example', 'masked desk 12');
    // The list shows 0912-***-678 and y***@mail.example: a part of either would reveal the hidden characters a count at a time.
    for (const part of ['912345', '9123456', '345678', 'yating', 'lin@mail', 'g.lin@mail.ex']) {
      expect(await count(desk, part), part).toBe(0);
      expect(await count(admin, part), part).toBe(1); // an account that may see them unmasked searches inside them
    }
    // Part of a mobile as staff write it (the stored form is +886912345678).
    for (const part of ['0912-345', '0912345', '0912 345 6', '912-345', '０９１２３４５']) {
      expect(await search(admin, part), part).toEqual([created.body.id]);
      expect(await count(desk, part), part).toBe(0);
    }
    for (const whole of ['0912-345-678', '0912345678', '+886 912 345 678', 'yating.lin@mail.example', 'YATING.LIN@MAIL.EXAMPLE', '林雅婷', 'Yating.Lin@Mail.Example 林']) {
      expect(await search(desk, whole), whole).toEqual([created.body.id]);
    }
    expect(await search(desk, '912345')).toEqual([]); // the list as the count
  });

  it('answers a common term (more matches than the id list holds) as fully as a rare one', async () => {
    expect(await count(admin, '歐陽gu')).toBe(2100);
    expect(await count(admin, '歐陽guest20')).toBe(111); // guest20, guest200–209, guest2000–2099
    expect(await search(admin, '歐陽guest2099')).toHaveLength(1);
    expect(await search(admin, '歐陽gu', 200)).toHaveLength(200);
  });

  it('keeps the function to the transaction’s tenant, and out of reach of any other role', async () => {
    const lookup = sql`select member_search_ids('%淑芬%', 10) as ids`;
    const [found] = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ ids: string[] }>(tx, lookup));
    expect([...found!.ids].sort()).toEqual([ids.taipei, ids.taichung].sort());
    const [none] = await env.runtime.db.withoutTenant((tx) => queryRows<{ ids: string[] }>(tx, lookup));
    expect(none!.ids).toEqual([]);
    const refused = await env.runtime.db.withPlatform((tx) => queryRows(tx, lookup)).then(() => undefined, (error: unknown) => error);
    expect(databaseError(refused)?.code).toBe('42501'); // insufficient privilege: the platform role may not call it
  });
});
