import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, latestLinkToken, signedInAs, startSignedIn } from '../../../../test/api-client.ts';
import type { TestEnv, TestTenant } from '../../../../test/harness.ts';
import { systemContext } from '../../../core/context.ts';
import { memberSelection, recordInteraction } from '../../members/index.ts';

/**
 * The attack review: a property's campaign reaches the group's LINE friends, whom every account of the group sees
 * (decision 0006). A 台北館 account opening such a friend read 收到活動「台中館週末優惠」, the button the guest tapped
 * and the tag it gave, though it cannot open 台中館's campaigns (decision 0008). Timeline and tags now say that there
 * was another property's campaign (or rule), not which; group-wide campaigns and its own stay named.
 */
let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
let taipei: ApiClient;
let taichung: ApiClient;
let friend: string;
const campaigns = { taichung: { id: randomUUID(), name: '台中館週末優惠' }, group: { id: randomUUID(), name: '集團秋季優惠' }, taipei: { id: randomUUID(), name: '台北館平日方案' } };
let ruleName: string;
let ruleId: string;
let ruleTagId: string;

type Entry = { type: string; campaignId: string | null; actorRef: string; actorLabel: string; details: Record<string, unknown> };
type MemberTag = { name: string; source: string; sourceRef: string; sourceLabel: string; sourceDetail: string; otherProperty: boolean };

async function accountOf(name: string, propertyId: string): Promise<ApiClient> {
  const role = await admin.post('/api/roles', { name, permissions: ['members.read', 'campaigns.edit'] });
  expect(role.status, JSON.stringify(role.body)).toBe(201);
  const email = `${randomUUID().slice(0, 8)}@hotel.example`;
  expect((await admin.post('/api/accounts', { email, displayName: name, roleId: role.body.id, allProperties: false, propertyIds: [propertyId] })).status).toBe(201);
  await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, email), password: 'long enough passphrase' });
  return signedInAs(env, email, 'long enough passphrase');
}

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  const [tpe, txg] = tenant.propertyIds as [string, string];
  taipei = await accountOf('台北行銷', tpe);
  taichung = await accountOf('台中行銷', txg);
  // A friend of the group's LINE account: no home property, no stay; every account sees them.
  friend = (await admin.post('/api/members', { lastName: '張', firstName: '雅婷' })).body.id;
  const weekend = (await admin.post('/api/tags', { name: '週末度假', kind: 'campaign' })).body.id;
  const ruleTag = (await admin.post('/api/tags', { name: '台中新朋友', kind: 'basic' })).body.id;
  ruleName = '台中館新好友歡迎';
  const rule = await admin.post('/api/automation/rules', { name: ruleName, propertyId: txg, trigger: { kind: 'friend_added' }, steps: [{ kind: 'add_tag', tagId: ruleTag }] });
  expect(rule.status, JSON.stringify(rule.body)).toBe(201);
  ruleId = rule.body.id;
  ruleTagId = ruleTag;
  await env.runtime.db.withTenant(tenant.tenantId, async (tx) => {
    for (const [i, [key, c]] of Object.entries(campaigns).entries()) {
      const propertyId = key === 'taichung' ? txg : key === 'taipei' ? tpe : null;
      await tx.execute(sql`insert into campaigns (tenant_id, id, name, status, property_id) values (${tenant.tenantId}, ${c.id}, ${c.name}, 'sent', ${propertyId})`);
      await tx.execute(sql`insert into campaign_recipients (tenant_id, campaign_id, member_id, line_user_id, status, accepted_at)
                           values (${tenant.tenantId}, ${c.id}, ${friend}, ${`U${'b'.repeat(31)}${i}`}, 'accepted', ${new Date(Date.now() - (3 - i) * 60_000)})`);
    }
    // The guest taps 台中館's button and is tagged by it (as the click job does), and 台中館's rule tags them too.
    const ctx = systemContext(tx, tenant.tenantId, 'campaigns');
    const c = campaigns.taichung;
    await recordInteraction(ctx, [friend], { type: 'clicked', occurredAt: env.clock.now(), campaignId: c.id, actionId: 'wk1', actor: { type: 'guest', ref: 'Ufriend', label: '雅婷' }, details: { label: '看週末方案', url: 'https://hotel.example/weekend', via: 'liff', source: c.name } });
    await env.runtime.tags.addTagToSelection(ctx, weekend, memberSelection(ctx, [friend]), { source: 'campaign', sourceRef: `${c.id}:wk1`, sourceLabel: c.name, sourceDetail: '看週末方案' });
    await env.runtime.tags.addTagToSelection(ctx, ruleTag, memberSelection(ctx, [friend]), { source: 'rule', sourceRef: rule.body.id, sourceLabel: ruleName });
  });
}, 120_000);
afterAll(() => env?.close());

const timelineOf = async (client: ApiClient) => ((await client.get(`/api/members/${friend}/timeline?limit=50`)).body as { data: Entry[] }).data;
const tagsOf = async (client: ApiClient) => ((await client.get(`/api/members/${friend}/tags`)).body as { data: MemberTag[] }).data;

describe('another property’s campaigns on a group friend’s timeline and tags', () => {
  it('a 台北館 account reads that there was another property’s campaign, not which, nor its button', async () => {
    const entries = await timelineOf(taipei);
    const received = entries.filter((e) => e.type === 'campaign_received');
    expect(received.map((e) => e.details)).toEqual([{ campaignName: campaigns.taipei.name }, { campaignName: campaigns.group.name }, { otherProperty: true }]);
    expect(received[2]).toMatchObject({ campaignId: null, actorRef: '', actorLabel: '' });
    // The tap stays the guest's (who tapped is theirs to see); the campaign, the button and the link are not named.
    expect(entries.find((e) => e.type === 'clicked')).toMatchObject({ campaignId: null, actorLabel: '雅婷', details: { via: 'liff', otherProperty: true } });
    expect(entries.find((e) => e.type === 'clicked')!.details).not.toHaveProperty('label');
    const tagged = entries.filter((e) => e.type === 'tag_added');
    expect(tagged.map((e) => e.details).sort((a, b) => String(a.tagName).localeCompare(String(b.tagName)))).toEqual([
      { tagName: '台中新朋友', source: 'rule', otherProperty: true },
      { tagName: '週末度假', source: 'campaign', otherProperty: true },
    ]);
    const text = JSON.stringify(entries);
    for (const hidden of [campaigns.taichung.name, '看週末方案', 'hotel.example/weekend', ruleName]) expect(text).not.toContain(hidden);

    const tags = await tagsOf(taipei);
    expect(tags.map(({ name, source, sourceRef, sourceLabel, sourceDetail, otherProperty }) => ({ name, source, sourceRef, sourceLabel, sourceDetail, otherProperty })).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: '台中新朋友', source: 'rule', sourceRef: '', sourceLabel: '', sourceDetail: '', otherProperty: true },
      { name: '週末度假', source: 'campaign', sourceRef: '', sourceLabel: '', sourceDetail: '', otherProperty: true },
    ]);
  });

  it('台中館’s own account and a group-level account read them all by name', async () => {
    for (const client of [taichung, admin]) {
      const entries = await timelineOf(client);
      // 台中館's account in turn does not read 台北館's campaign.
      const taipeiCampaign = client === admin ? { campaignName: campaigns.taipei.name } : { otherProperty: true };
      expect(entries.filter((e) => e.type === 'campaign_received').map((e) => e.details)).toEqual([taipeiCampaign, { campaignName: campaigns.group.name }, { campaignName: campaigns.taichung.name }]);
      expect(entries.find((e) => e.type === 'clicked')).toMatchObject({ campaignId: campaigns.taichung.id, details: { label: '看週末方案', source: campaigns.taichung.name } });
      expect((await tagsOf(client)).find((t) => t.name === '週末度假')).toMatchObject({ source: 'campaign', sourceLabel: campaigns.taichung.name, sourceDetail: '看週末方案', otherProperty: false });
      expect((await tagsOf(client)).find((t) => t.name === '台中新朋友')).toMatchObject({ source: 'rule', sourceLabel: ruleName, otherProperty: false });
    }
  });
});

describe('a rule’s entries written before rule versions (migration 0035 gave them the rule’s id)', () => {
  it('follow the same property rule: a tap names its run’s rule; an entry naming no rule reads as another property’s to a property-scoped account', async () => {
    const taipeiRule = await admin.post('/api/automation/rules', { name: '台北館舊規則', propertyId: (tenant.propertyIds as string[])[0], trigger: { kind: 'friend_added' }, steps: [{ kind: 'add_tag', tagId: ruleTagId }] });
    expect(taipeiRule.status, JSON.stringify(taipeiRule.body)).toBe(201);
    const guest = (await admin.post('/api/members', { lastName: '林', firstName: '舊資料' })).body.id as string;
    const [taichungRun, taipeiRun] = [randomUUID(), randomUUID()];
    await env.runtime.db.withTenant(tenant.tenantId, async (tx) => {
      for (const [run, rule] of [[taichungRun, ruleId], [taipeiRun, taipeiRule.body.id as string]] as const) {
        await tx.execute(sql`insert into automation_runs (tenant_id, id, rule_id, rule_version, member_id, occurrence_key, status, step_index, due_at, entered_at, updated_at)
                             values (${tenant.tenantId}, ${run}, ${rule}, 1, ${guest}, ${`old:${run}`}, 'completed', 1, now(), now(), now())`);
      }
      // As the LINE worker and the click job wrote them before 0035: taps with the postback data and the rule's name,
      // a tracked link's click with the rule's name, a tag with the rule's name and no reference.
      const ctx = systemContext(tx, tenant.tenantId, 'line');
      const at = env.clock.now();
      await recordInteraction(ctx, [guest], { type: 'clicked', occurredAt: at, actionId: 'a1', actor: { type: 'guest', ref: 'Uold', label: '舊資料' }, details: { data: `auto=${taichungRun}&step=0&action=a1`, label: '台中舊按鈕', source: ruleName } });
      await recordInteraction(ctx, [guest], { type: 'clicked', occurredAt: at, actionId: 'b1', actor: { type: 'guest', ref: 'Uold', label: '舊資料' }, details: { data: `auto=${taipeiRun}&step=0&action=b1`, label: '台北舊按鈕', source: '台北館舊規則' } });
      await recordInteraction(ctx, [guest], { type: 'clicked', occurredAt: at, actionId: 'c1', actor: { type: 'guest', ref: 'Uold', label: '舊資料' }, details: { label: '舊連結', url: 'https://hotel.example/old', via: 'liff', source: ruleName } });
      await recordInteraction(ctx, [guest], { type: 'tag_added', occurredAt: at, tagId: ruleTagId, details: { tagName: '台中新朋友', source: 'rule', sourceLabel: `${ruleName}：舊按鈕` } });
    });
    const entriesOf = async (client: ApiClient) => ((await client.get(`/api/members/${guest}/timeline?limit=50`)).body as { data: Entry[] }).data.filter((e) => e.type === 'clicked' || e.type === 'tag_added');
    const named = (entries: Entry[]) => entries.map((e) => (e.details.otherProperty ? 'hidden' : String(e.details.label ?? e.details.sourceLabel))).sort();

    // 台北館: its own rule's tap by name; 台中館's tap, and what names no rule, as another property's (no name, no button).
    const taipeiSees = await entriesOf(taipei);
    expect(named(taipeiSees)).toEqual(['hidden', 'hidden', 'hidden', '台北舊按鈕'].sort());
    for (const hidden of [ruleName, '台中舊按鈕', '舊連結', 'hotel.example/old', taichungRun]) expect(JSON.stringify(taipeiSees)).not.toContain(hidden);
    // 台中館: its tap by name (its run names the rule); 台北館's hidden; what names no rule is not known to be its own.
    expect(named(await entriesOf(taichung))).toEqual(['hidden', 'hidden', 'hidden', '台中舊按鈕'].sort());
    // A group-level account reads every one as it was written.
    expect(named(await entriesOf(admin))).toEqual(['台中舊按鈕', '台北舊按鈕', '舊連結', `${ruleName}：舊按鈕`].sort());
  });
});
