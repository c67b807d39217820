import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../../core/context.ts';
import { queryRows } from '../../../core/db/database.ts';
import { startAutomationKit, type Kit } from './automation-kit.ts';

/**
 * Buttons in automated messages. A postback's resolver only reads (the LINE worker may ask it again when a batch is
 * taken one event at a time); the event's handling gives the tags and marks the run's step clicked, once.
 */
let kit: Kit;
const LINE = { channelId: '2008400001', channelSecret: '0f1e2d3c4b5a6978'.repeat(2), channelAccessToken: 'automation-buttons-access-token-0001' };

beforeAll(async () => {
  kit = await startAutomationKit('automation-buttons', LINE);
}, 60_000);
afterAll(() => kit?.close());

const TARGET = 'https://hotel.example/book?plan=weekday';
const BROWSER = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Safari Line/14.9.0';

/** The guest taps the URL button of their last message from the hotel on the simulated phone: what LINE opens. */
async function tapUrlButton(userId: string): Promise<URL> {
  const message = kit.sim.sim.inbox(LINE.channelId, userId).at(-1) as unknown as { id: string; message: { template: { actions: Array<Record<string, unknown>> } } };
  const result = await kit.sim.sim.tap(LINE.channelId, userId, { messageId: message.id, action: message.message.template.actions[0]! });
  return new URL(result.open!);
}

/** What the member portal's LIFF page does with the URL LINE opened: reports the click with the guest's ID token. */
async function liffClick(opened: URL, idToken?: string): Promise<string> {
  const context = JSON.parse(Buffer.from(opened.hash.replace('#line-sim-liff=', ''), 'base64url').toString('utf8')) as { idToken: string };
  const [, tenantId, channelId, link] = /^\/liff\/([^/]+)\/([^/]+)\/c\/([^/]+)$/.exec(opened.pathname)!;
  const answer = await kit.env.app.inject({
    method: 'POST',
    url: `/api/liff/${tenantId}/${channelId}/clicks`,
    headers: { 'user-agent': BROWSER, 'content-type': 'application/json', authorization: `Bearer ${idToken ?? context.idToken}` },
    payload: { link: decodeURIComponent(link!) },
  });
  expect(answer.statusCode).toBe(200);
  await kit.env.runtime.campaignClicks.settled();
  return (answer.json() as { url: string }).url;
}

const interested = (tagId: string) => ({
  kind: 'send',
  messages: [{ type: 'buttons', altText: '平日住房優惠', text: '平日住房八折，有興趣嗎？', actions: [{ type: 'postback', id: 'yes', label: '我有興趣', tagIds: [tagId] }] }],
});

describe('postback buttons', () => {
  it('the resolver answers in a read-only transaction, and the tap tags the guest once with the rule as source and marks the step clicked', async () => {
    const tagId = await kit.tag('商務興趣', 'campaign');
    const trigger = await kit.tag('平日詢問');
    const ruleId = await kit.rule({ name: '平日詢問回覆', trigger: { kind: 'tag_added', tagId: trigger }, steps: [interested(tagId)] });
    const g = await kit.guest();
    expect((await kit.admin.post(`/api/tags/${trigger}/members`, { memberIds: [g.memberId] })).status).toBe(200);
    await kit.drain();
    const [button] = kit.lastButtons(g.userId);
    expect(button).toBeDefined();

    const answer = await kit.inTenant(async (tx) => {
      await tx.execute(sql`set transaction read only`);
      return kit.env.runtime.automation.postbackResolver(systemContext(tx, kit.tenant.tenantId, 'line'), button!.data, { memberId: g.memberId, lineUserId: g.userId });
    });
    expect(answer).toMatchObject({ tagIds: [tagId], label: '我有興趣', source: '平日詢問回覆', provenance: { source: 'rule', sourceLabel: '平日詢問回覆', sourceDetail: '我有興趣' } });
    // Resolving is no tap: nothing was marked.
    expect((await kit.stats(ruleId)).steps[0]).toMatchObject({ clicked: 0 });

    await kit.sim.sim.postback(LINE.channelId, g.userId, { data: button!.data });
    await kit.sim.sim.postback(LINE.channelId, g.userId, { data: button!.data });
    await kit.drain();
    expect((await kit.memberTagNames(g.memberId)).filter((t) => t.name === '商務興趣')).toEqual([{ name: '商務興趣', source: 'rule', source_label: '平日詢問回覆', source_detail: '我有興趣' }]);
    const history = await kit.inTenant((tx) =>
      queryRows<{ type: string; n: number }>(tx, sql`select type, count(*)::int as n from member_interactions where member_id = ${g.memberId} and (type = 'clicked' or (type = 'tag_added' and tag_id = ${tagId})) group by type order by type`),
    );
    expect(history).toEqual([{ type: 'clicked', n: 2 }, { type: 'tag_added', n: 1 }]);
    expect((await kit.stats(ruleId)).steps[0]).toMatchObject({ completed: 1, clicked: 1 });
    await kit.switchOff(ruleId);
  });
});

describe('URL buttons (tracked as campaigns’ are)', () => {
  it('a click through the LIFF page sends the guest on, tags them once with the rule as source, counts every click and lets only tappers go on', async () => {
    const tagId = await kit.tag('訂房意向', 'campaign');
    const trigger = await kit.tag('平日訂房');
    const ruleId = await kit.rule({
      name: '平日訂房連結',
      trigger: { kind: 'tag_added', tagId: trigger },
      steps: [
        { kind: 'send', messages: [{ type: 'buttons', altText: '平日訂房', text: '平日入住享 85 折', actions: [{ type: 'uri', label: '立即訂房', uri: TARGET, tagIds: [tagId] }] }] },
        { kind: 'wait', amount: 1, unit: 'hours' },
        { kind: 'if_clicked', step: 0 },
        { kind: 'send', messages: [{ type: 'text', text: '感謝您的訂房意向！' }] },
      ],
    });
    const clicker = await kit.guest();
    const other = await kit.guest();
    expect((await kit.admin.post(`/api/tags/${trigger}/members`, { memberIds: [clicker.memberId, other.memberId] })).status).toBe(200);
    await kit.drain();
    const opened = await tapUrlButton(clicker.userId);
    expect(opened.pathname).toMatch(/\/c\/r[0-9a-f]{32}0s[A-Za-z0-9]+\.[A-Za-z0-9_-]{22}$/);
    expect(await liffClick(opened)).toBe(TARGET);
    expect(await liffClick(await tapUrlButton(clicker.userId))).toBe(TARGET);
    // The clicker's link forwarded to another guest: counted, and that guest is tagged nothing.
    expect(await liffClick(opened, kit.sim.sim.issueIdToken(LINE.channelId, { userId: other.userId }))).toBe(TARGET);
    // The same link opened twice outside LINE (Innkeeper's redirect): counted anonymously, as sums (migration 0054).
    const [, tenantId, , link] = /^\/liff\/([^/]+)\/([^/]+)\/c\/([^/]+)$/.exec(opened.pathname)!;
    for (let i = 0; i < 2; i += 1) {
      const outside = await kit.env.app.inject({ method: 'GET', url: `/c/${tenantId}/${link}`, headers: { 'user-agent': BROWSER } });
      expect({ status: outside.statusCode, location: outside.headers.location }).toEqual({ status: 302, location: TARGET });
    }
    await kit.env.runtime.campaignClicks.settled();
    await kit.tick(61);
    expect((await kit.memberTagNames(clicker.memberId)).filter((t) => t.name === '訂房意向')).toEqual([{ name: '訂房意向', source: 'rule', source_label: '平日訂房連結', source_detail: '立即訂房' }]);
    expect((await kit.memberTagNames(other.memberId)).filter((t) => t.name === '訂房意向')).toEqual([]);
    const clicks = await kit.inTenant((tx) => queryRows<{ status: string; n: number }>(tx, sql`select status, count(*)::int as n from campaign_clicks where automation_run_id is not null group by status`));
    expect(clicks).toEqual([{ status: 'applied', n: 3 }]);
    const counted = await kit.inTenant((tx) => queryRows<{ step: number; via: string; n: number }>(tx, sql`select automation_step as step, via, sum(clicks)::int as n from campaign_click_counts where automation_run_id is not null group by 1, 2`));
    expect(counted).toEqual([{ step: 0, via: 'link', n: 2 }]);
    const timeline = (await kit.admin.get(`/api/members/${clicker.memberId}/timeline`)).body.data.filter((e: { type: string }) => e.type === 'clicked');
    expect(timeline).toHaveLength(2);
    expect(timeline[0].details).toMatchObject({ label: '立即訂房', url: TARGET, source: '平日訂房連結' });
    const stats = await kit.stats(ruleId);
    expect(stats.steps[0]).toMatchObject({ completed: 2, clicked: 1, linkClicks: 5 });
    expect(stats.steps[2]).toMatchObject({ completed: 1, skipped: 1 });
    expect(kit.delivered(ruleId, 3, [clicker.userId])).toMatchObject({ audience: { missing: [], unexpected: [] }, exactlyOnce: true });
    await kit.switchOff(ruleId);
  });
});

describe('buttons of a message delivered before the rule was edited (attack review)', () => {
  it('still lead where they did and give their tags: the edit keeps the version the message was sent with', async () => {
    const linkTag = await kit.tag('看過舊方案', 'campaign');
    const tapTag = await kit.tag('舊方案有興趣', 'campaign');
    const trigger = await kit.tag('舊方案名單');
    const OLD = 'https://hotel.example/plans/autumn';
    const ruleId = await kit.rule({
      name: '秋季方案',
      trigger: { kind: 'tag_added', tagId: trigger },
      steps: [{ kind: 'send', messages: [{ type: 'buttons', altText: '秋季方案', text: '秋季住房優惠', actions: [{ type: 'uri', label: '看方案', uri: OLD, tagIds: [linkTag] }, { type: 'postback', label: '我有興趣', tagIds: [tapTag] }] }] }],
    });
    const g = await kit.guest();
    expect((await kit.admin.post(`/api/tags/${trigger}/members`, { memberIds: [g.memberId] })).status).toBe(200);
    await kit.drain();
    const opened = await tapUrlButton(g.userId);
    const [postback] = kit.lastButtons(g.userId);

    // Staff switch the rule off and change the message: new text, a new link, the buttons made again.
    await kit.switchOff(ruleId);
    const before = (await kit.admin.get(`/api/automation/rules/${ruleId}`)).body as { version: number };
    const edited = await kit.admin.patch(`/api/automation/rules/${ruleId}`, {
      version: before.version,
      steps: [{ kind: 'send', messages: [{ type: 'buttons', altText: '冬季方案', text: '冬季住房優惠', actions: [{ type: 'uri', label: '冬季方案', uri: 'https://hotel.example/plans/winter', tagIds: [] }] }] }],
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body.version).toBe(before.version + 1);

    // The guest opens the autumn message they already have: its link still leads to the autumn plan (it led to the
    // invalid-link page), and its buttons give the tags they offered when it was sent.
    expect(await liffClick(opened)).toBe(OLD);
    await kit.sim.sim.postback(LINE.channelId, g.userId, { data: postback!.data });
    await kit.drain();
    expect((await kit.memberTagNames(g.memberId)).filter((t) => t.name !== '舊方案名單')).toEqual([
      { name: '看過舊方案', source: 'rule', source_label: '秋季方案', source_detail: '看方案' },
      { name: '舊方案有興趣', source: 'rule', source_label: '秋季方案', source_detail: '我有興趣' },
    ]);
    // A forged link is still refused, edit or not.
    const forged = new URL(opened);
    forged.pathname = forged.pathname.replace(/\.[A-Za-z0-9_-]{22}$/, '.AAAAAAAAAAAAAAAAAAAAAA');
    expect(await liffClick(forged)).toMatch(/\/c\/invalid$/);
  });
});
