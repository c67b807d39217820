import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { queryRows } from '../../../core/db/database.ts';
import { startAutomationKit, type Kit } from './automation-kit.ts';

/**
 * A rule switched off while its sends are on their way to LINE (decision 0009 §4; attack review atk11, finding 3):
 * switching off settles the step each guest was at as skipped, but a send LINE accepts meanwhile was received, so it
 * is recorded as sent — whichever of the two writes commits first. On PGlite and on PostgreSQL (`TEST_DATABASE_URL`),
 * where the requests and the run jobs really overlap. Outcomes are compared with what the simulator delivered.
 */
let kit: Kit;
const LINE = { channelId: '2008511001', channelSecret: '3c4d5e6f708192a3'.repeat(2), channelAccessToken: 'automation-disable-in-flight-token-1' };
const SLOW = 180_000;

beforeAll(async () => {
  kit = await startAutomationKit('automation-disable-in-flight', LINE);
}, SLOW);
afterAll(() => kit?.close());
afterEach(() => vi.restoreAllMocks());

const stepsOf = (ruleId: string) =>
  kit.inTenant((tx) =>
    queryRows<{ line_user_id: string; status: string; reason: string; accepted: boolean }>(
      tx,
      sql`select m.line_user_id, s.status, s.reason, s.accepted_at is not null as accepted from automation_run_steps s join members m on m.tenant_id = s.tenant_id and m.id = s.member_id
           where s.rule_id = ${ruleId} and s.step_index = 0`,
    ),
  );

async function sendingRule(name: string): Promise<{ ruleId: string; trigger: string }> {
  const trigger = await kit.tag(`${name} 觸發`, 'campaign');
  const ruleId = await kit.rule({ name, trigger: { kind: 'tag_added', tagId: trigger }, steps: [{ kind: 'send', messages: [{ type: 'text', text: `${name}的訊息` }] }, { kind: 'wait', amount: 1, unit: 'days' }] });
  return { ruleId, trigger };
}

describe('a rule switched off while a send is on its way to LINE', () => {
  it('the send LINE accepts after the switch-off is recorded as sent (completed, accepted), the run has left, and the statistics say so', async () => {
    const { ruleId, trigger } = await sendingRule('送出途中關閉');
    const g = await kit.guest();
    expect((await kit.admin.post(`/api/tags/${trigger}/members`, { memberIds: [g.memberId] })).status).toBe(200);
    // Staff switch the rule off exactly while the push is in flight: after the run job stored the send's key, before
    // LINE's answer is settled.
    const realFetch = globalThis.fetch;
    let switchedOff: number | undefined;
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url.includes('/v2/bot/message/push') && switchedOff === undefined) switchedOff = (await kit.admin.post(`/api/automation/rules/${ruleId}/disable`)).status;
      return realFetch(input, init);
    });
    await kit.drain();
    vi.restoreAllMocks();
    expect(switchedOff).toBe(200);
    expect(kit.delivered(ruleId, 0, [g.userId]).perUser[g.userId]).toBe(1);
    expect(await stepsOf(ruleId)).toEqual([{ line_user_id: g.userId, status: 'completed', reason: '', accepted: true }]);
    // The run left with the switch-off: the wait after the send is not entered.
    expect((await kit.runs(ruleId)).map((r) => [r.status, r.reason])).toEqual([['exited', 'rule_disabled']]);
    const stats = await kit.stats(ruleId);
    expect(stats.steps[0]).toMatchObject({ completed: 1, skipped: 0, failed: 0 });
  });

  it('switched off before the send goes out: nothing is sent and the step stays skipped', async () => {
    const { ruleId, trigger } = await sendingRule('送出前關閉');
    const g = await kit.guest();
    expect((await kit.admin.post(`/api/tags/${trigger}/members`, { memberIds: [g.memberId] })).status).toBe(200);
    await kit.switchOff(ruleId);
    await kit.drain();
    expect(kit.delivered(ruleId, 0, [g.userId]).perUser[g.userId] ?? 0).toBe(0);
    expect(await stepsOf(ruleId)).toEqual([]);
    expect((await kit.runs(ruleId)).map((r) => [r.status, r.reason])).toEqual([['exited', 'rule_disabled']]);
  });

  it('switched off while its run jobs send to forty guests: each gets it at most once, and the database says sent for exactly those LINE received', async () => {
    const wrong: Array<{ round: number; guest: string; received: number; status: string | undefined; reason: string | undefined }> = [];
    for (let round = 0; round < 4; round += 1) {
      const { ruleId, trigger } = await sendingRule(`送出中關閉 ${round}`);
      const guests = await Promise.all(Array.from({ length: 40 }, () => kit.guest()));
      expect((await kit.admin.post(`/api/tags/${trigger}/members`, { memberIds: guests.map((g) => g.memberId) })).status).toBe(200);
      kit.sim.sim.updateChannel(LINE.channelId, { faults: { latencyMs: 20, latencyJitterMs: 10 } });
      try {
        const [, off] = await Promise.all([
          kit.env.runtime.queue.drain(),
          (async () => {
            await new Promise((r) => setTimeout(r, 20 + round * 15));
            return kit.admin.post(`/api/automation/rules/${ruleId}/disable`);
          })(),
        ]);
        expect(off.status).toBe(200);
        await kit.drain();
      } finally {
        kit.sim.sim.updateChannel(LINE.channelId, { faults: { latencyMs: 0, latencyJitterMs: 0 } });
      }
      const counted = kit.delivered(ruleId, 0, guests.map((g) => g.userId));
      const statusOf = new Map((await stepsOf(ruleId)).map((s) => [s.line_user_id, s]));
      for (const g of guests) {
        const received = counted.perUser[g.userId] ?? 0;
        const step = statusOf.get(g.userId);
        if (received > 1 || (received === 1) !== (step?.status === 'completed') || step?.status === 'sending' || step?.status === 'waiting') wrong.push({ round, guest: g.userId, received, status: step?.status, reason: step?.reason });
      }
      expect((await kit.runs(ruleId)).filter((r) => r.status === 'running' || r.status === 'waiting')).toEqual([]);
    }
    expect(wrong, 'guests whose deliveries and recorded step disagree').toEqual([]);
  }, SLOW);
});
