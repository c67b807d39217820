import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSignedIn, type ApiClient } from '../../../../test/api-client.ts';
import type { TestEnv, TestTenant } from '../../../../test/harness.ts';
import { databaseError } from '../../errors.ts';
import { newId } from '../../ids.ts';

/**
 * Migration 0061: every table a LINE user id is written to from outside refuses one that is not letters and digits, whoever writes it
 * (a campaign's multicast joins its batch's ids with commas: "Ua,Ub" would be two recipients).
 */
let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
let channelId: string;
let campaignId: string;
let memberId: string;

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  channelId = (await admin.post('/api/line/channels', { name: '台北館 LINE', channelId: '2009000061', channelSecret: 'c'.repeat(32), accessToken: 'line-user-id-format-access-token' })).body.id;
  campaignId = (await admin.post('/api/campaigns', { name: '格式檢查', messages: [{ type: 'text', text: '您好' }] })).body.id;
  memberId = (await admin.post('/api/members', { lastName: '林', mobile: '0912000061' })).body.id;
  expect([channelId, campaignId, memberId].every((id) => typeof id === 'string')).toBe(true);
});
afterAll(() => env.close());

const GOOD = `U${'a'.repeat(32)}`;
const COMMA = `U${'a'.repeat(32)},U${'b'.repeat(32)}`;

/** Each table's insert of one row with the given LINE user id, as the app role in the hotel's scope. */
const inserts: Record<string, (lineUserId: string) => SQL> = {
  members: (id) => sql`insert into members (tenant_id, id, member_no, line_user_id, line_status) values (${tenant.tenantId}, ${newId()}, ${`F${newId().slice(0, 8)}`}, ${id}, 'following')`,
  line_webhook_inbox: (id) =>
    sql`insert into line_webhook_inbox (tenant_id, id, channel_id, webhook_event_id, event_type, line_user_id, occurred_at, payload) values (${tenant.tenantId}, ${newId()}, ${channelId}, ${newId()}, 'follow', ${id}, now(), '{}')`,
  binding_codes: (id) => sql`insert into binding_codes (tenant_id, id, line_user_id, mobile, code_hash, expires_at) values (${tenant.tenantId}, ${newId()}, ${id}, '0912000061', 'hash', now())`,
  binding_reviews: (id) =>
    sql`insert into binding_reviews (tenant_id, id, channel_id, line_user_id, submitted_masked, submitted_encrypted, reason) values (${tenant.tenantId}, ${newId()}, ${channelId}, ${id}, '{}', ${env.runtime.keyring.encrypt('{}')}, 'ambiguous')`,
  campaign_clicks: (id) => sql`insert into campaign_clicks (tenant_id, id, campaign_id, action_id, line_user_id, status, via, clicked_at) values (${tenant.tenantId}, ${newId()}, ${campaignId}, 'a1', ${id}, 'pending', 'liff', now())`,
};

async function refusal(statement: SQL): Promise<{ code: string; constraint?: string } | undefined> {
  try {
    await env.runtime.db.withTenant(tenant.tenantId, (tx) => tx.execute(statement));
    return undefined;
  } catch (error) {
    return databaseError(error) ?? { code: String(error) };
  }
}

describe('a LINE user id in the database', () => {
  for (const [table, insert] of Object.entries(inserts)) {
    it(`${table}: a comma-joined pair (or anything but letters and digits) is refused by its check; LINE's own form is kept`, async () => {
      expect(await refusal(insert(GOOD))).toBeUndefined();
      for (const bad of [COMMA, `U${'a'.repeat(31)}-`, 'U a', '', `U${'a'.repeat(64)}`]) {
        expect(await refusal(insert(bad)), JSON.stringify(bad)).toEqual({ code: '23514', constraint: `${table}_line_user_id_format_check` });
      }
    });
  }
});
