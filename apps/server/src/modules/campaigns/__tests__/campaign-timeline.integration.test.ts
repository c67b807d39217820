import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, type ApiClient } from '../../../../test/api-client.ts';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from '../../../../test/harness.ts';

/**
 * The member timeline merges the interaction history with the campaigns LINE accepted for the guest (read from the
 * outcomes): newest first, and paging with the (time, id) cursor neither skips nor repeats an entry of either kind.
 */
let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;

beforeAll(async () => {
  env = await startTestEnv();
  tenant = await createTestTenant(env);
  admin = await signedInAs(env, tenant.adminEmail, tenant.password);
}, 120_000);
afterAll(() => env?.close());

type Entry = { id: string; type: string; occurredAt: string; details: Record<string, unknown> };

describe('the member timeline with received campaigns', () => {
  it('interleaves them with the history by time, and pages through all of them once', async () => {
    const member = (await admin.post('/api/members', { lastName: '林', firstName: '小芳' })).body as { id: string };
    const base = Date.parse('2026-11-01T02:00:00Z');
    // Three campaigns accepted an hour apart, one other campaign the guest was skipped for (no entry).
    const campaigns = ['秋季住房優惠', '平日商務優惠', '週末家庭方案', '未送達的活動'].map((name) => ({ id: randomUUID(), name }));
    await env.runtime.db.withTenant(tenant.tenantId, async (tx) => {
      for (const [i, c] of campaigns.entries()) {
        await tx.execute(sql`insert into campaigns (tenant_id, id, name, status) values (${tenant.tenantId}, ${c.id}, ${c.name}, 'sent')`);
        const accepted = i < 3;
        await tx.execute(sql`insert into campaign_recipients (tenant_id, campaign_id, member_id, line_user_id, status, reason, accepted_at)
                             values (${tenant.tenantId}, ${c.id}, ${member.id}, ${`U${'a'.repeat(31)}${i}`}, ${accepted ? 'accepted' : 'skipped'}, ${accepted ? '' : 'no_consent'}, ${accepted ? new Date(base + i * 3600_000) : null})`);
      }
    });
    // Two staff edits at times between and after them.
    for (const [i, at] of [base + 1800_000, base + 4 * 3600_000].entries()) {
      env.clock.current = new Date(at);
      const edited = await admin.patch(`/api/members/${member.id}`, { firstName: `小芳${i}` });
      expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    }
    const all = ((await admin.get(`/api/members/${member.id}/timeline?limit=50`)).body as { data: Entry[] }).data;
    const received = all.filter((e) => e.type === 'campaign_received');
    expect(received.map((e) => e.details.campaignName)).toEqual(['週末家庭方案', '平日商務優惠', '秋季住房優惠']);
    expect(all.map((e) => Date.parse(e.occurredAt))).toEqual([...all.map((e) => Date.parse(e.occurredAt))].sort((a, b) => b - a));
    // One entry a page: the same entries, in the same order.
    const paged: Entry[] = [];
    let cursor = '';
    for (let page = 0; page < all.length + 2; page++) {
      const body = (await admin.get(`/api/members/${member.id}/timeline?limit=1${cursor}`)).body as { data: Entry[] };
      if (body.data.length === 0) break;
      paged.push(...body.data);
      const last = body.data.at(-1)!;
      cursor = `&before=${encodeURIComponent(last.occurredAt)}&beforeId=${last.id}`;
    }
    expect(paged.map((e) => e.id)).toEqual(all.map((e) => e.id));
  });
});
