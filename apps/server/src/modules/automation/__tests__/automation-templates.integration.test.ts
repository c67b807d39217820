import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { queryRows } from '../../../core/db/database.ts';
import { startAutomationKit, type Kit } from './automation-kit.ts';

/**
 * The three scenarios of the specification, made from their templates and switched on, work end to end against the
 * LINE simulator: guests enter on the trigger, receive the messages, tap the buttons (a postback through the webhook),
 * get the tags, and only the clickers get the follow-up. Marketing consent, the weekly cap and quiet hours hold.
 */
let kit: Kit;
const LINE = { channelId: '2008200001', channelSecret: '02468ace13579bdf'.repeat(2), channelAccessToken: 'automation-templates-access-token-001' };

async function fromTemplate(templateKey: string): Promise<{ id: string; version: number; body: Record<string, unknown> }> {
  const created = await kit.admin.post('/api/automation/rules/from-template', { templateKey });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect(created.body).toMatchObject({ templateKey, enabled: false });
  return { id: created.body.id, version: created.body.version, body: created.body };
}

async function switchOn(rule: { id: string; version: number }): Promise<void> {
  const enabled = await kit.admin.post(`/api/automation/rules/${rule.id}/enable`, { version: rule.version });
  expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
}

async function tap(userId: string, label: string): Promise<void> {
  const button = kit.lastButtons(userId).find((b) => b.label === label);
  expect(button, `no ${label} button in the guest's last message`).toBeDefined();
  await kit.sim.sim.postback(LINE.channelId, userId, { data: button!.data });
  await kit.drain();
}

beforeAll(async () => {
  kit = await startAutomationKit('automation-templates', LINE);
}, 60_000);
afterAll(() => kit?.close());

describe('the ready scenarios', () => {
  it('lists the three templates', async () => {
    const list = await kit.admin.get('/api/automation/templates');
    expect(list.body.data.map((t: { key: string; name: string }) => [t.key, t.name])).toEqual([
      ['business_stay', '商務住宿優惠'],
      ['family_travel', '家庭旅遊推播'],
      ['vip_repeat_stay', 'VIP 續住優惠'],
    ]);
  });

  it('商務住宿優惠: bound guests get the weekday offer after an hour; tappers are tagged 商務客 and get the follow-up two days later, the others do not', async () => {
    const rule = await fromTemplate('business_stay');
    await switchOn(rule);
    const clicker = await kit.guest({ status: 'never' });
    const ignorer = await kit.guest({ status: 'never' });
    await kit.bind(clicker.memberId, clicker.userId);
    await kit.bind(ignorer.memberId, ignorer.userId);
    await kit.drain();
    expect(kit.delivered(rule.id, 1, [clicker.userId, ignorer.userId]).audience?.missing).toHaveLength(2);
    await kit.tick(61);
    expect(kit.delivered(rule.id, 1, [clicker.userId, ignorer.userId])).toMatchObject({ audience: { missing: [], unexpected: [] }, exactlyOnce: true });
    await tap(clicker.userId, '我有興趣');
    // A second tap is a click in the history, not a second tag.
    await tap(clicker.userId, '我有興趣');
    expect(await kit.memberTagNames(clicker.memberId)).toEqual([{ name: '商務客', source: 'rule', source_label: '商務住宿優惠', source_detail: '我有興趣' }]);
    // Another guest replaying the clicker's button data tags nobody and counts as no tap of theirs.
    await kit.sim.sim.postback(LINE.channelId, ignorer.userId, { data: kit.lastButtons(clicker.userId)[0]!.data });
    await kit.drain();
    expect(await kit.memberTagNames(ignorer.memberId)).toEqual([]);
    const timeline = (await kit.admin.get(`/api/members/${clicker.memberId}/timeline`)).body.data.map((e: { type: string }) => e.type);
    expect(timeline.filter((t: string) => t === 'clicked')).toHaveLength(2);
    await kit.tick(2 * 24 * 60);
    expect(kit.delivered(rule.id, 4, [clicker.userId])).toMatchObject({ audience: { missing: [], unexpected: [] }, exactlyOnce: true });
    expect(JSON.stringify(kit.sim.sim.inbox(LINE.channelId, clicker.userId).at(-1))).toContain('林小美 您好，感謝您對平日商務優惠的興趣');
    const runs = await kit.runs(rule.id);
    expect(runs.map((r) => [r.member_id, r.status, r.reason]).sort()).toEqual([[clicker.memberId, 'completed', ''], [ignorer.memberId, 'exited', 'not_clicked']].sort());
    const stats = await kit.stats(rule.id);
    expect(stats.entered).toBe(2);
    expect(stats.steps.map((s) => [s.kind, s.completed, s.skipped, s.clicked])).toEqual([
      ['wait', 2, 0, 0],
      ['send', 2, 0, 1],
      ['wait', 2, 0, 0],
      ['if_clicked', 1, 1, 0],
      ['send', 1, 0, 0],
    ]);
    // The rules list shows the same counts as the rule's page.
    const listed = (await kit.admin.get('/api/automation/rules')).body.data.find((r: { id: string }) => r.id === rule.id);
    expect(listed).toMatchObject({ entered: 2, completed: 1 });
    await kit.switchOff(rule.id);
  });

  it('家庭旅遊推播: guests tagged 家庭客, who stayed with children, or in a family room (no party recorded) get the family offer two weeks after check-out; tappers are tagged 家庭客', async () => {
    const rule = await fromTemplate('family_travel');
    await switchOn(rule);
    const familyRoom = await kit.guest();
    await kit.stay(familyRoom.memberId, { checkIn: '2026-11-06', checkOut: '2026-11-08', status: 'stayed', roomType: '家庭房' });
    // The party the PMS recorded decides where there is one: children in a standard room count, four adults in a 四人房 do not.
    const withChildren = await kit.guest();
    await kit.stay(withChildren.memberId, { checkIn: '2026-11-06', checkOut: '2026-11-08', status: 'stayed', adults: 2, children: 1 });
    const fourAdults = await kit.guest();
    await kit.stay(fourAdults.memberId, { checkIn: '2026-11-06', checkOut: '2026-11-08', status: 'stayed', roomType: '四人房', adults: 4, children: 0 });
    const tagged = await kit.guest();
    await kit.stay(tagged.memberId, { checkIn: '2026-11-07', checkOut: '2026-11-08', status: 'stayed' });
    const familyTag = (await kit.admin.get('/api/tags')).body.data.find((t: { name: string }) => t.name === '家庭客').id;
    await kit.admin.post(`/api/tags/${familyTag}/members`, { memberIds: [tagged.memberId] });
    const single = await kit.guest();
    await kit.stay(single.memberId, { checkIn: '2026-11-07', checkOut: '2026-11-08', status: 'stayed' });
    await kit.drain();
    await kit.scan();
    expect(kit.delivered(rule.id, 0, [familyRoom.userId, withChildren.userId, tagged.userId])).toMatchObject({ audience: { missing: [], unexpected: [] }, exactlyOnce: true });
    await tap(familyRoom.userId, '看親子專案');
    expect((await kit.memberTagNames(familyRoom.memberId)).map((t) => t.name)).toEqual(['家庭客']);
    await kit.switchOff(rule.id);
  });

  it('VIP 續住優惠: VIP guests get the repeat-stay offer three days after they check out', async () => {
    const rule = await fromTemplate('vip_repeat_stay');
    await switchOn(rule);
    const vipTag = (await kit.admin.get('/api/tags')).body.data.find((t: { name: string }) => t.name === 'VIP').id;
    const vip = await kit.guest();
    await kit.stay(vip.memberId, { checkIn: '2026-11-17', checkOut: '2026-11-19', status: 'stayed' });
    await kit.admin.post(`/api/tags/${vipTag}/members`, { memberIds: [vip.memberId] });
    const regular = await kit.guest();
    await kit.stay(regular.memberId, { checkIn: '2026-11-17', checkOut: '2026-11-19', status: 'stayed' });
    await kit.scan();
    expect(kit.delivered(rule.id, 0, [vip.userId])).toMatchObject({ audience: { missing: [], unexpected: [] }, exactlyOnce: true });
    expect(JSON.stringify(kit.sim.sim.inbox(LINE.channelId, vip.userId))).toContain('VIP 貴賓下次入住享 8 折續住優惠');
    expect((await kit.runs(rule.id)).map((r) => r.member_id)).toEqual([vip.memberId]);
    await kit.switchOff(rule.id);
  });

  it('a template reuses the hotel’s own tag of the same name', async () => {
    const again = await fromTemplate('vip_repeat_stay');
    const vipTags = (await kit.admin.get('/api/tags')).body.data.filter((t: { name: string }) => t.name === 'VIP');
    expect(vipTags).toHaveLength(1);
    expect(JSON.stringify(again.body)).toContain(vipTags[0].id);
  });
});

describe('marketing limits', () => {
  const sendOnTag = async (name: string) => {
    const trigger = await kit.tag(name);
    const ruleId = await kit.rule({ name, trigger: { kind: 'tag_added', tagId: trigger }, steps: [{ kind: 'send', messages: [{ type: 'text', text: `${name} 的訊息` }] }] });
    return { trigger, ruleId };
  };

  it('skips guests without marketing consent and blocked guests, with the reason', async () => {
    const { trigger, ruleId } = await sendOnTag('同意測試');
    const noConsent = await kit.guest({ optIn: false });
    const blocked = await kit.guest({ status: 'blocked' });
    await kit.admin.post(`/api/tags/${trigger}/members`, { memberIds: [noConsent.memberId, blocked.memberId] });
    await kit.drain();
    expect((await kit.stats(ruleId)).steps[0]).toMatchObject({ completed: 0, skipped: 2, skippedByReason: { no_consent: 1, blocked: 1 } });
    expect(kit.delivered(ruleId, 0, []).audience?.unexpected).toEqual([]);
    await kit.switchOff(ruleId);
  });

  it('the weekly cap counts campaign and automated pushes alike', async () => {
    expect((await kit.admin.request('PUT', '/api/campaign-settings', { weeklyCap: 2, quietHours: null })).status).toBe(200);
    const first = await sendOnTag('上限一');
    const second = await sendOnTag('上限二');
    const g = await kit.guest();
    const h = await kit.guest();
    // h already received a campaign this week.
    const campaign = await kit.admin.post('/api/campaigns', { name: '本週活動', messages: [{ type: 'text', text: '本週活動' }] });
    await kit.inTenant((tx) => tx.execute(sql`insert into campaign_batches (tenant_id, campaign_id, batch_no, mode, retry_key, recipients, status) values (${kit.tenant.tenantId}, ${campaign.body.id}, 1, 'multicast', gen_random_uuid(), 1, 'accepted')`));
    await kit.inTenant((tx) => tx.execute(sql`insert into campaign_recipients (tenant_id, campaign_id, member_id, line_user_id, status, batch_no, accepted_at) values (${kit.tenant.tenantId}, ${campaign.body.id}, ${h.memberId}, ${h.userId}, 'accepted', 1, ${kit.env.clock.now().toISOString()})`));
    await kit.admin.post(`/api/tags/${first.trigger}/members`, { memberIds: [g.memberId, h.memberId] });
    await kit.drain();
    await kit.admin.post(`/api/tags/${second.trigger}/members`, { memberIds: [g.memberId, h.memberId] });
    await kit.drain();
    // g: two automated pushes (the cap of two); h: a campaign and one automated push, so its second is capped.
    expect(kit.delivered(first.ruleId, 0, [g.userId, h.userId])).toMatchObject({ audience: { missing: [], unexpected: [] }, exactlyOnce: true });
    expect(kit.delivered(second.ruleId, 0, [g.userId]).audience).toMatchObject({ missing: [], unexpected: [] });
    expect((await kit.stats(second.ruleId)).steps[0]).toMatchObject({ completed: 1, skipped: 1, skippedByReason: { capped: 1 } });
    // And a campaign counts the automated pushes: both guests are at the cap of two.
    const capped = await kit.admin.post('/api/campaigns', { name: '上限活動', audience: { kind: 'conditions', definition: { type: 'group', op: 'and', conditions: [{ type: 'tag', tagId: first.trigger }] } }, messages: [{ type: 'text', text: '上限活動' }] });
    expect((await kit.admin.post(`/api/campaigns/${capped.body.id}/schedule`, { version: capped.body.version, now: true })).status).toBe(200);
    await kit.advance(1);
    await kit.env.runtime.queue.enqueueNow({ name: 'campaigns.start-due.tenant', schema: z.strictObject({ tenantId: z.uuid() }) }, { tenantId: kit.tenant.tenantId });
    await kit.drain();
    const outcomes = await kit.inTenant((tx) => queryRows<{ member_id: string; status: string; reason: string }>(tx, sql`select member_id, status, reason from campaign_recipient_outcomes where campaign_id = ${capped.body.id} order by member_id`));
    expect(outcomes.map((o) => [o.member_id, o.status, o.reason]).sort()).toEqual([[g.memberId, 'skipped', 'capped'], [h.memberId, 'skipped', 'capped']].sort());
    await kit.switchOff(first.ruleId);
    await kit.switchOff(second.ruleId);
    expect((await kit.admin.request('PUT', '/api/campaign-settings', { weeklyCap: null, quietHours: null })).status).toBe(200);
  });

  it('quiet hours hold a send until they end, then it goes out', async () => {
    // The clock is now in the evening (hotel time) after the waits above; quiet hours around the current time.
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Taipei', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(kit.env.clock.now());
    const [h] = local.split(':').map(Number);
    const start = `${String(h).padStart(2, '0')}:00`;
    const end = `${String((h! + 2) % 24).padStart(2, '0')}:00`;
    expect((await kit.admin.request('PUT', '/api/campaign-settings', { weeklyCap: null, quietHours: { start, end } })).status).toBe(200);
    const { trigger, ruleId } = await sendOnTag('勿擾測試');
    const g = await kit.guest();
    await kit.admin.post(`/api/tags/${trigger}/members`, { memberIds: [g.memberId] });
    await kit.drain();
    const [run] = await kit.runs(ruleId);
    expect(run).toMatchObject({ status: 'waiting', reason: 'quiet_hours', step_index: 0 });
    const [due] = await kit.inTenant((tx) => queryRows<{ due_at: Date | string }>(tx, sql`select due_at from automation_runs where rule_id = ${ruleId}`));
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Taipei', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(due!.due_at))).toBe(end);
    expect(kit.delivered(ruleId, 0, [g.userId]).audience?.missing).toEqual([g.userId]);
    const minutesLeft = Math.round((new Date(due!.due_at).getTime() - kit.env.clock.now().getTime()) / 60_000);
    await kit.tick(minutesLeft - 1);
    expect(kit.delivered(ruleId, 0, [g.userId]).audience?.missing).toEqual([g.userId]);
    await kit.tick(1);
    expect(kit.delivered(ruleId, 0, [g.userId])).toMatchObject({ audience: { missing: [], unexpected: [] }, exactlyOnce: true });
    expect((await kit.runs(ruleId))[0]).toMatchObject({ status: 'completed' });
    await kit.switchOff(ruleId);
  });
});
