import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../../test/api-client.ts';
import { startSignedIn } from '../../../../test/api-client.ts';
import type { TestEnv, TestTenant } from '../../../../test/harness.ts';
import { queryRows } from '../../../core/db/database.ts';

// Campaign outcomes name members: merging two records of one guest moves them to the kept record, and erasing a guest
// for good removes them (with the LINE user id they hold).
let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;

async function member(lastName: string, firstName: string): Promise<string> {
  const created = await admin.post('/api/members', { lastName, firstName });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

async function campaign(name: string): Promise<string> {
  const created = await admin.post('/api/campaigns', { name, propertyId: null, audience: { kind: 'all' }, holdoutPercent: 0, messages: [{ type: 'text', text: name }] });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

/** An outcome as the delivery engine records it (skipped ones need no batch). */
async function recipient(campaignId: string, memberId: string, lineUserId: string): Promise<void> {
  await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
    tx.execute(sql`insert into campaign_recipients (tenant_id, campaign_id, member_id, line_user_id, status, reason) values (${tenant.tenantId}, ${campaignId}, ${memberId}, ${lineUserId}, 'skipped', 'holdout')`),
  );
}

/** A guest a test send of the campaign reached (counted against its limit of 10). */
async function testRecipient(campaignId: string, memberId: string, sends: number): Promise<void> {
  await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
    tx.execute(sql`insert into campaign_test_recipients (tenant_id, campaign_id, member_id, sends, last_sent_at) values (${tenant.tenantId}, ${campaignId}, ${memberId}, ${sends}, now())`),
  );
}
const testRecipientsOf = (memberId: string) =>
  env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ campaign_id: string; sends: number }>(tx, sql`select campaign_id, sends from campaign_test_recipients where member_id = ${memberId} order by sends`));

const recipientsOf = (memberId: string) =>
  env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ campaign_id: string; line_user_id: string }>(tx, sql`select campaign_id, line_user_id from campaign_recipients where member_id = ${memberId} order by line_user_id`));

beforeAll(async () => ({ env, tenant, admin } = await startSignedIn()));
afterAll(() => env.close());

describe('campaign outcomes follow the guest', () => {
  it('a merge moves the merged record’s outcomes to the kept one, keeping the kept one’s where both were reached', async () => {
    const keep = await member('林', '保留');
    const merged = await member('林', '合併');
    const [both, onlyMerged] = [await campaign('兩筆都收到'), await campaign('只有合併的收到')];
    await recipient(both, keep, 'Ukeep');
    await recipient(both, merged, 'Umerged1');
    await recipient(onlyMerged, merged, 'Umerged2');
    // Test sends: the guest counts once against a campaign's limit, whichever record they were sent to.
    await testRecipient(both, keep, 1);
    await testRecipient(both, merged, 2);
    await testRecipient(onlyMerged, merged, 1);

    const response = await admin.post(`/api/members/${keep}/merge`, { mergedMemberId: merged, choices: {} });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(await recipientsOf(keep)).toEqual([
      { campaign_id: both, line_user_id: 'Ukeep' },
      { campaign_id: onlyMerged, line_user_id: 'Umerged2' },
    ]);
    expect(await recipientsOf(merged)).toEqual([]);
    expect(await testRecipientsOf(keep)).toEqual([
      { campaign_id: onlyMerged, sends: 1 },
      { campaign_id: both, sends: 3 },
    ]);
    expect(await testRecipientsOf(merged)).toEqual([]);
  });

  it('erasing a guest for good removes their outcomes', async () => {
    const guest = await member('陳', '刪除');
    const sent = await campaign('抹除前寄過');
    await recipient(sent, guest, 'Uerased');
    await testRecipient(sent, guest, 1);
    expect((await admin.delete(`/api/members/${guest}`)).status).toBe(200);
    expect((await admin.post(`/api/members/${guest}/erase`)).status).toBe(204);
    expect(await recipientsOf(guest)).toEqual([]);
    expect(await testRecipientsOf(guest)).toEqual([]);
  });
});
