import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../../core/context.ts';
import { queryRows } from '../../../core/db/database.ts';
import { automationUnitOf, LOST_RUN_AFTER_MS } from '../index.ts';
import { pushesSince } from '../automation.repository.ts';
import { startAutomationKit, type Kit } from './automation-kit.ts';

/**
 * A run never stays 'running' for ever: when its job is gone from the queue (the worker died on its last try, a lease
 * expired, the queue's rows were lost) the sweep queues it again with its stored retry key — a send LINE already
 * accepted is heard as 409 and recorded sent, nobody gets it twice — and fails it after repeated losses.
 */
let kit: Kit;
const LINE = { channelId: '2008500001', channelSecret: '89abcdef01234567'.repeat(2), channelAccessToken: 'automation-lost-runs-access-token-01' };
const TEXT = '感謝您的詢問，專員將與您聯繫。';

beforeAll(async () => {
  kit = await startAutomationKit('automation-lost-runs', LINE);
}, 60_000);
afterAll(() => kit?.close());

const sweep = () => kit.inTenant((tx) => kit.env.runtime.automationEngine.sweepLostRuns(systemContext(tx, kit.tenant.tenantId, 'test')));
/** The queue loses the run jobs (as when a worker is killed on a job's last try). */
const loseJobs = () => kit.env.runtime.db.ownerTransaction((owner) => owner.query(`delete from pgboss.job where name = 'automation.run'`));
// Past the bound (and past the staff session's idle timeout: kit.advance signs in again).
const afterTheBound = () => kit.advance(LOST_RUN_AFTER_MS / 60_000 + 11);

async function enteredRun(name: string): Promise<{ ruleId: string; runId: string; guest: { memberId: string; userId: string } }> {
  const trigger = await kit.tag(name);
  const ruleId = await kit.rule({ name, trigger: { kind: 'tag_added', tagId: trigger }, steps: [{ kind: 'send', messages: [{ type: 'text', text: TEXT }] }] });
  const guest = await kit.guest();
  expect((await kit.admin.post(`/api/tags/${trigger}/members`, { memberIds: [guest.memberId] })).status).toBe(200);
  const [run] = await kit.inTenant((tx) => queryRows<{ id: string }>(tx, sql`select id from automation_runs where rule_id = ${ruleId}`));
  return { ruleId, runId: run!.id, guest };
}

/** The run's send as a job's last try leaves it: its key stored ('sending'), LINE asked and accepting, the outcome unrecorded. */
async function takenByLine({ ruleId, runId, guest }: Awaited<ReturnType<typeof enteredRun>>, key: string): Promise<void> {
  await kit.inTenant((tx) =>
    tx.execute(sql`insert into automation_run_steps (tenant_id, run_id, step_index, rule_id, member_id, status, retry_key, created_at)
                   values (${kit.tenant.tenantId}, ${runId}, 0, ${ruleId}, ${guest.memberId}, 'sending', ${key}, ${kit.env.clock.now()})`),
  );
  const channel = await kit.inTenant((tx) => kit.env.runtime.marketingSends.channelFor(systemContext(tx, kit.tenant.tenantId, 'test'), { propertyId: null }));
  const sent = await kit.env.runtime.lineSender.push(channel!, { to: guest.userId, messages: [{ type: 'text', text: TEXT }], retryKey: key, customAggregationUnits: [automationUnitOf(ruleId, 0)], attempt: 1 });
  expect(sent.kind).toBe('accepted');
}

describe('the sweep for lost run jobs', () => {
  it('leaves a run whose job is still queued alone, and a lost one until the bound; then queues it once', async () => {
    const queued = await enteredRun('詢問甲');
    await afterTheBound();
    expect(await sweep()).toEqual({ requeued: 0, failed: 0 });
    await kit.drain();
    expect((await kit.runs(queued.ruleId))[0]).toMatchObject({ status: 'completed' });

    const { ruleId, guest } = await enteredRun('詢問甲二');
    await loseJobs();
    await kit.advance(1);
    expect(await sweep()).toEqual({ requeued: 0, failed: 0 });
    expect((await kit.runs(ruleId))[0]).toMatchObject({ status: 'running' });
    await afterTheBound();
    expect(await sweep()).toEqual({ requeued: 1, failed: 0 });
    // A second sweep at once finds it queued: nothing twice.
    expect(await sweep()).toEqual({ requeued: 0, failed: 0 });
    await kit.drain();
    expect((await kit.runs(ruleId))[0]).toMatchObject({ status: 'completed' });
    expect(kit.delivered(ruleId, 0, [guest.userId])).toMatchObject({ audience: { missing: [], unexpected: [] }, exactlyOnce: true });
    await kit.switchOff(queued.ruleId);
    await kit.switchOff(ruleId);
  });

  it('a send LINE may already have taken when its rule is switched off still counts toward the weekly cap', async () => {
    const { ruleId, runId, guest } = await enteredRun('詢問丁');
    await takenByLine({ ruleId, runId, guest }, '7a0e4d2f-3c5b-4d9e-8f10-1b2c3d4e5f60');
    // Staff switch the rule off before the worker records LINE's answer: the step is settled as skipped.
    await loseJobs();
    await kit.switchOff(ruleId);
    // The statistics say the message may have gone out, not that the rule left the guest out.
    expect((await kit.stats(ruleId)).steps[0]).toMatchObject({ skippedByReason: { stopped_in_flight: 1 } });
    const weekAgo = new Date(kit.env.clock.now().getTime() - 7 * 24 * 3600_000);
    const counted = await kit.inTenant((tx) => queryRows<{ member_id: string }>(tx, pushesSince(kit.tenant.tenantId, weekAgo)));
    expect(counted.filter((r) => r.member_id === guest.memberId)).toHaveLength(1);
  });

  it('a send LINE accepted before its job died is made again with its stored key: 409, recorded sent, the guest gets it once', async () => {
    const { ruleId, runId, guest } = await enteredRun('詢問乙');
    // The job's last try stores the send's key and pushes; LINE accepts; the worker dies before it records the outcome.
    await takenByLine({ ruleId, runId, guest }, '6f9d3c1e-2b4a-4c8d-9e7f-0a1b2c3d4e5f');
    await loseJobs();
    await afterTheBound();
    const conflictsBefore = kit.sim.sim.counters(LINE.channelId).retryKeyConflicts;
    expect(await sweep()).toEqual({ requeued: 1, failed: 0 });
    await kit.drain();
    expect(kit.sim.sim.counters(LINE.channelId).retryKeyConflicts).toBeGreaterThan(conflictsBefore);
    expect(kit.delivered(ruleId, 0, [guest.userId])).toMatchObject({ audience: { missing: [], unexpected: [] }, exactlyOnce: true });
    expect((await kit.runs(ruleId))[0]).toMatchObject({ status: 'completed' });
    expect((await kit.stats(ruleId)).steps[0]).toMatchObject({ completed: 1, failed: 0 });
    await kit.switchOff(ruleId);
  });

  it('a run lost again and again is failed with the reason, its send with it', async () => {
    const { ruleId, runId, guest } = await enteredRun('詢問丙');
    await kit.inTenant((tx) =>
      tx.execute(sql`insert into automation_run_steps (tenant_id, run_id, step_index, rule_id, member_id, status, retry_key, created_at)
                     values (${kit.tenant.tenantId}, ${runId}, 0, ${ruleId}, ${guest.memberId}, 'sending', gen_random_uuid(), ${kit.env.clock.now()})`),
    );
    for (let sweepNo = 1; sweepNo <= 3; sweepNo++) {
      await loseJobs();
      await afterTheBound();
      expect(await sweep()).toEqual({ requeued: 1, failed: 0 });
    }
    await loseJobs();
    await afterTheBound();
    expect(await sweep()).toEqual({ requeued: 0, failed: 1 });
    const reason = 'its job was lost 4 times; whether LINE accepted its send is unknown';
    expect((await kit.runs(ruleId))[0]).toMatchObject({ status: 'failed', reason });
    expect((await kit.stats(ruleId)).steps[0]).toMatchObject({ failed: 1 });
    await kit.switchOff(ruleId);
  });
});
