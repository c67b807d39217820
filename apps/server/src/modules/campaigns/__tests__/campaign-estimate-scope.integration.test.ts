import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, latestLinkToken, signedInAs, startSignedIn } from '../../../../test/api-client.ts';
import type { TestEnv, TestTenant } from '../../../../test/harness.ts';

/**
 * The attack review: the estimate of an unsaved campaign counts its audience. A property-limited account must not
 * count the whole group's members through a group-wide one (a segment would then be an oracle over members it cannot
 * see): every figure is within what the account sees.
 */
let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
let lead: ApiClient;

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  for (const [i, propertyId] of [tenant.propertyIds[0], tenant.propertyIds[1], tenant.propertyIds[1], tenant.propertyIds[1]].entries()) {
    expect((await admin.post('/api/members', { lastName: '估', firstName: `客${i}`, propertyId })).status).toBe(201);
  }
  const role = await admin.post('/api/roles', { name: '台北行銷', permissions: ['members.read', 'campaigns.edit'] });
  expect(role.status, JSON.stringify(role.body)).toBe(201);
  const email = 'tpe-marketing@hotel.example';
  expect((await admin.post('/api/accounts', { email, displayName: email, roleId: role.body.id, allProperties: false, propertyIds: [tenant.propertyIds[0]] })).status).toBe(201);
  await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, email), password: 'long enough passphrase' });
  lead = await signedInAs(env, email, 'long enough passphrase');
}, 120_000);
afterAll(() => env.close());

describe('the estimate for a property-limited account', () => {
  it('counts its own property, and a group-wide audience only as far as it sees', async () => {
    // The members are no LINE friends: an audience of conditions counts them (所有 LINE 好友 would count none).
    const everyone = { kind: 'conditions', definition: { type: 'group', op: 'and', conditions: [{ type: 'line_status', values: ['never'] }] } };
    const own = await lead.post('/api/campaigns/estimate', { propertyId: tenant.propertyIds[0], audience: everyone });
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    expect(own.body.audience).toBe(1);
    const group = await lead.post('/api/campaigns/estimate', { propertyId: null, audience: everyone });
    // Counted within what the account sees: the other property's three members are not in any figure.
    expect([group.status, group.body.audience, group.body.noLine]).toEqual([200, 1, 1]);
    // A group-level account still estimates the group.
    const all = await admin.post('/api/campaigns/estimate', { propertyId: null, audience: everyone });
    expect([all.status, all.body.audience]).toEqual([200, 4]);
  });
});
