import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ApiResponse } from './api-client.ts';
import { queryRows } from '../src/core/db/database.ts';
import { startAutomationKit, type Kit } from '../src/modules/automation/__tests__/automation-kit.ts';

/**
 * Races of issue 11 on PostgreSQL (`TEST_DATABASE_URL`), where requests and workers really overlap (attack review
 * atk11): an approval and the deletion of a tag the campaign gives, a rule switched on while its tag is deleted, two
 * edits of one version, and postback taps while their tag is deleted
 * (a rule switched off while its sends run: automation-disable-in-flight.integration.test.ts, on both databases).
 * Outcomes are read back from the database and from the simulator's per-guest counts.
 */
const LINE = { channelId: '2007812001', channelSecret: '1a2b3c4d5e6f7081'.repeat(2), channelAccessToken: 'test-access-token-for-the-races-001' };
const SLOW = 180_000;
const ROUNDS = 12;

let kit: Kit;

beforeAll(async () => {
  kit = await startAutomationKit('campaign-probe-races', LINE);
  expect(kit.env.engine).toBe('postgres');
}, SLOW);
afterAll(() => kit?.close());

const ok = (r: ApiResponse) => r.status === 200 || r.status === 204;
const buttonGiving = (tagId: string) => ({ type: 'buttons', altText: '優惠', text: '平日優惠', actions: [{ type: 'postback', label: '我有興趣', tagIds: [tagId] }] });

describe('a tag deleted while something that gives it is approved', () => {
  it('a campaign approved while the tag its button gives is deleted: never both (a scheduled campaign giving a tag that is gone)', async () => {
    // One after the other, each is refused once the other is done.
    const first = await kit.tag('先核准後刪除', 'campaign');
    const scheduled = await kit.admin.post('/api/campaigns', { name: '先核准', propertyId: null, audience: { kind: 'all' }, messages: [buttonGiving(first)] });
    expect((await kit.admin.post(`/api/campaigns/${scheduled.body.id}/schedule`, { version: scheduled.body.version, sendAt: '2026-12-24T10:00' })).status).toBe(200);
    const refused = await kit.admin.delete(`/api/tags/${first}`);
    expect([refused.status, refused.body.error?.code]).toEqual([409, 'tag.in_use']);
    expect((await kit.admin.post(`/api/campaigns/${scheduled.body.id}/cancel`)).status).toBe(200);
    const both: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const tag = await kit.tag(`核准時刪除 ${round}`, 'campaign');
      const c = await kit.admin.post('/api/campaigns', { name: `核准與刪標籤 ${round}`, propertyId: null, audience: { kind: 'all' }, messages: [buttonGiving(tag)] });
      expect(c.status, JSON.stringify(c.body)).toBe(201);
      const [approved, deleted] = await Promise.all([kit.admin.post(`/api/campaigns/${c.body.id}/schedule`, { version: c.body.version, sendAt: '2026-12-24T10:00' }), kit.admin.delete(`/api/tags/${tag}`)]);
      if (ok(approved) && ok(deleted)) both.push(round);
      if (ok(approved)) expect((await kit.admin.post(`/api/campaigns/${c.body.id}/cancel`)).status).toBe(200);
    }
    expect(both, 'rounds where the campaign was scheduled and its tag deleted').toEqual([]);
  }, SLOW);

  it('a rule switched on while the tag its step gives is deleted: never both (a switched-on rule with a step on a tag that is gone)', async () => {
    const both: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const tag = await kit.tag(`啟用時刪除 ${round}`, 'campaign');
      const rule = await kit.admin.post('/api/automation/rules', { name: `啟用與刪標籤 ${round}`, trigger: { kind: 'friend_added' }, steps: [{ kind: 'add_tag', tagId: tag }] });
      expect(rule.status, JSON.stringify(rule.body)).toBe(201);
      const [enabled, deleted] = await Promise.all([kit.admin.post(`/api/automation/rules/${rule.body.id}/enable`, { version: rule.body.version }), kit.admin.delete(`/api/tags/${tag}`)]);
      if (ok(enabled) && ok(deleted)) both.push(round);
      if (ok(enabled)) await kit.switchOff(rule.body.id);
    }
    expect(both, 'rounds where the rule was switched on and its tag deleted').toEqual([]);
  }, SLOW);
});

describe('two changes of one version', () => {
  it('two edits naming the same version at once, and an edit beside an approval of that version: exactly one wins each time', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const c = await kit.admin.post('/api/campaigns', { name: `同版本 ${round}`, propertyId: null, audience: { kind: 'all' }, messages: [{ type: 'text', text: '原文' }] });
      const [a, b] = await Promise.all([
        kit.admin.patch(`/api/campaigns/${c.body.id}`, { version: c.body.version, messages: [{ type: 'text', text: '甲改' }] }),
        kit.admin.patch(`/api/campaigns/${c.body.id}`, { version: c.body.version, name: `乙改 ${round}` }),
      ]);
      expect([a.status, b.status].sort(), JSON.stringify([a.body, b.body])).toEqual([200, 409]);
      const now = (await kit.admin.get(`/api/campaigns/${c.body.id}`)).body;
      expect(now.version).toBe(c.body.version + 1);
      expect(now.messages[0].text === '甲改').toBe(a.status === 200);
      const [edit, approve] = await Promise.all([
        kit.admin.patch(`/api/campaigns/${c.body.id}`, { version: now.version, messages: [{ type: 'text', text: '核准前又改' }] }),
        kit.admin.post(`/api/campaigns/${c.body.id}/schedule`, { version: now.version, sendAt: '2026-12-24T10:00' }),
      ]);
      expect([edit.status, approve.status].sort()).toEqual([200, 409]);
      const after = (await kit.admin.get(`/api/campaigns/${c.body.id}`)).body;
      // What was approved is what will be sent: the approved version's text.
      if (approve.status === 200) expect([after.status, after.messages[0].text]).toEqual(['scheduled', now.messages[0].text]);
      else expect([after.status, after.messages[0].text]).toEqual(['draft', '核准前又改']);
      if (approve.status === 200) expect((await kit.admin.post(`/api/campaigns/${c.body.id}/cancel`)).status).toBe(200);
    }
  }, SLOW);
});

describe('taps and a rule’s sends while staff change things', () => {
  it('postback taps worked while the tag they give is deleted: every tap recorded, no holder left of the deleted tag, no job failed', async () => {
    const tag = await kit.tag('刪除中的點擊標籤', 'campaign');
    const tappers = await Promise.all(Array.from({ length: 40 }, () => kit.guest()));
    const c = await kit.admin.post('/api/campaigns', { name: '點擊中刪標籤', propertyId: null, audience: { kind: 'all' }, messages: [buttonGiving(tag)] });
    expect((await kit.admin.post(`/api/campaigns/${c.body.id}/schedule`, { version: c.body.version, now: true })).status).toBe(200);
    kit.env.clock.advanceMinutes(1);
    await kit.env.runtime.queue.enqueueNow({ name: 'campaigns.start-due.tenant', schema: z.strictObject({ tenantId: z.uuid() }) }, { tenantId: kit.tenant.tenantId });
    await kit.drain();
    expect((await kit.admin.get(`/api/campaigns/${c.body.id}`)).body.status).toBe('sent');
    const data = `campaign=${c.body.id}&action=${c.body.messages[0].actions[0].id}`;
    for (const g of tappers) await kit.sim.sim.postback(LINE.channelId, g.userId, { data });
    // The worker applies the taps while staff delete the (no longer blocking: the campaign is sent) tag.
    const [report, deleted] = await Promise.all([kit.env.runtime.queue.drain(), kit.admin.delete(`/api/tags/${tag}`)]);
    expect(deleted.status).toBe(204);
    const again = await kit.env.runtime.queue.drain();
    expect([...report.failed, ...again.failed]).toEqual([]);
    const ids = tappers.map((g) => g.memberId);
    const [holders] = await kit.inTenant((tx) => queryRows<{ n: number }>(tx, sql`select count(*)::int as n from member_tags where tag_id = ${tag}`));
    expect(holders!.n).toBe(0);
    const taps = await kit.inTenant((tx) => queryRows<{ member_id: string }>(tx, sql`select distinct member_id from member_interactions where type = 'clicked' and campaign_id = ${c.body.id} and member_id = any(${`{${ids.join(',')}}`}::uuid[])`));
    expect(taps.length).toBe(tappers.length);
  }, SLOW);
});
