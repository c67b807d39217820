import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../../core/context.ts';
import { queryRows } from '../../../core/db/database.ts';
import { startAutomationKit, type Kit } from './automation-kit.ts';

/**
 * The weekly cap is the database's: sends to one guest at the same moment — several rules' runs, or a campaign
 * writing its recipients while rules send — never pass a cap that only one of them fits. Run on PostgreSQL
 * (TEST_DATABASE_URL), where the pool's transactions really overlap; PGlite runs one at a time and proves nothing here.
 */
let kit: Kit;
const LINE = { channelId: '2008600001', channelSecret: 'a1b2c3d4e5f60718'.repeat(2), channelAccessToken: 'automation-weekly-cap-access-token-1' };
const RULES = 4;
const GUESTS = 12;

beforeAll(async () => {
  kit = await startAutomationKit('automation-weekly-cap', LINE);
  expect(kit.env.engine).toBe('postgres');
  expect((await kit.admin.request('PUT', '/api/campaign-settings', { weeklyCap: 1, quietHours: null })).status).toBe(200);
}, 60_000);
afterAll(() => kit?.close());

const send = (text: string) => ({ kind: 'send', messages: [{ type: 'text', text }] });
/** What each guest received from the hotel, all senders together (each send here is one message). */
const received = (userIds: string[]) => userIds.map((userId) => kit.sim.sim.inbox(LINE.channelId, userId).length);

/** Guests tagged with a tag that starts the rules; their runs are entered and queued, not yet worked on. */
async function taggedGuests(trigger: string): Promise<Array<{ memberId: string; userId: string }>> {
  const guests = [];
  for (let i = 0; i < GUESTS; i += 1) guests.push(await kit.guest());
  expect((await kit.admin.post(`/api/tags/${trigger}/members`, { memberIds: guests.map((g) => g.memberId) })).status).toBe(200);
  return guests;
}

const runIdsOf = (ruleIds: string[]) =>
  kit.inTenant((tx) => queryRows<{ id: string }>(tx, sql`select id from automation_runs where rule_id = any(${`{${ruleIds.join(',')}}`}::uuid[])`)).then((rows) => rows.map((r) => r.id));

describe('the weekly cap under concurrent sends', () => {
  it(`${RULES} rules sending to the same ${GUESTS} guests at once: each guest gets one push, the others are skipped as capped`, async () => {
    const trigger = await kit.tag('並行上限');
    const ruleIds: string[] = [];
    for (let r = 0; r < RULES; r += 1) ruleIds.push(await kit.rule({ name: `並行上限 ${r}`, trigger: { kind: 'tag_added', tagId: trigger }, steps: [send(`第 ${r} 則優惠`)] }));
    const guests = await taggedGuests(trigger);
    const engine = kit.env.runtime.automationEngine;
    await Promise.all((await runIdsOf(ruleIds)).map((runId) => engine.runJob({ tenantId: kit.tenant.tenantId, runId }, 0)));
    await kit.drain();
    expect(received(guests.map((g) => g.userId))).toEqual(guests.map(() => 1));
    const skipped = await kit.inTenant((tx) =>
      queryRows<{ n: number }>(tx, sql`select count(*)::int as n from automation_run_steps where rule_id = any(${`{${ruleIds.join(',')}}`}::uuid[]) and status = 'skipped' and reason = 'capped'`),
    );
    expect(skipped[0]!.n).toBe(GUESTS * (RULES - 1));
    for (const ruleId of ruleIds) await kit.switchOff(ruleId);
  }, 120_000);

  it('a campaign writing its recipients while a rule sends to the same guests: each guest gets one of the two', async () => {
    // A week later: the pushes above no longer count.
    await kit.advance(8 * 24 * 60);
    const trigger = await kit.tag('活動同時');
    const ruleId = await kit.rule({ name: '活動同時', trigger: { kind: 'tag_added', tagId: trigger }, steps: [send('規則的優惠')] });
    const guests = await taggedGuests(trigger);
    const audience = { kind: 'conditions', definition: { type: 'group', op: 'and', conditions: [{ type: 'tag', tagId: trigger }] } };
    const created = await kit.admin.post('/api/campaigns', { name: '活動同時', propertyId: null, audience, messages: [{ type: 'text', text: '活動的優惠' }] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await kit.admin.post(`/api/campaigns/${created.body.id}/schedule`, { version: created.body.version, now: true })).status).toBe(200);
    kit.env.clock.advanceMinutes(1);
    const { db, automationEngine, campaignDelivery } = kit.env.runtime;
    const runIds = await runIdsOf([ruleId]);
    await Promise.all([
      db.withTenant(kit.tenant.tenantId, (tx) => campaignDelivery.startDueCampaigns(systemContext(tx, kit.tenant.tenantId, 'test'))),
      ...runIds.map((runId) => automationEngine.runJob({ tenantId: kit.tenant.tenantId, runId }, 0)),
    ]);
    await kit.drain();
    expect(received(guests.map((g) => g.userId))).toEqual(guests.map(() => 1));
    const [outcomes] = await kit.inTenant((tx) =>
      queryRows<{ campaign: number; rule: number }>(
        tx,
        sql`select (select count(*)::int from campaign_recipient_outcomes where campaign_id = ${created.body.id} and status = 'accepted') as campaign,
                   (select count(*)::int from automation_run_steps where rule_id = ${ruleId} and status = 'completed') as rule`,
      ),
    );
    expect(outcomes!.campaign + outcomes!.rule).toBe(GUESTS);
    await kit.switchOff(ruleId);
  }, 120_000);
});
