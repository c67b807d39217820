import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, startSignedIn } from './api-client.ts';
import { scopedHotelHelpers } from './scoped-hotel.ts';
import type { TestEnv, TestTenant } from './harness.ts';

// Two staff resolving one binding review at once, on PostgreSQL (PGlite runs one request at a time).
let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
const ids: Record<string, string> = {};

const { scopedAccount, member, friend, review, lineUserOf } = scopedHotelHelpers(() => ({ env, tenant, admin }), ids);

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  // Started as every process starts it: linking and dismissing both queue the guest's LINE message.
  await env.runtime.queue.start({ work: true });
  // Property 0 is 台北館, property 1 台中館.
});
afterAll(() => env.close());

describe('binding reviews: two accounts resolving one review at once', () => {
  it('lets exactly one of a link and a dismiss win, and the review says which', async () => {
    const other = await scopedAccount('atk9-admin2@hotel.example', 'administrator', [], true);
    await member('raceTarget', { lastName: '競', firstName: '爭', propertyId: tenant.propertyIds[0] });
    const groupFriend = await friend('raceFriend', null);
    const id = await review(groupFriend, [ids.raceTarget!], '0911222777');
    const [linked, dismissed] = await Promise.all([admin.post(`/api/binding-reviews/${id}/link`, { memberId: ids.raceTarget }), other.post(`/api/binding-reviews/${id}/dismiss`, {})]);
    const outcomes = [linked.status, dismissed.status].sort();
    expect(outcomes, JSON.stringify([linked.body, dismissed.body])).toEqual([200, 409].sort());
    const closed = (await admin.get('/api/binding-reviews?status=' + (linked.status === 200 ? 'linked' : 'dismissed'))).body.data as Array<{ id: string }>;
    expect(closed.map((r) => r.id)).toContain(id);
    expect(await lineUserOf(ids.raceTarget!)).toBe(linked.status === 200 ? groupFriend : null);
  });
});

