import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../../core/context.ts';
import { queryRows } from '../../../core/db/database.ts';
import { startAutomationKit, type Kit } from './automation-kit.ts';

/**
 * Exactly once per guest per trigger occurrence, when the same occurrence is offered by several transactions at the
 * same moment (workers scanning together, an event processed twice) and when several jobs work on the same runs at
 * once (a job whose lease expired while its first worker was still sending). Run on PostgreSQL (TEST_DATABASE_URL):
 * the pool's connections really overlap there; PGlite runs one transaction at a time and proves nothing here.
 */
let kit: Kit;
const LINE = { channelId: '2008300001', channelSecret: 'fedcba9876543210'.repeat(2), channelAccessToken: 'automation-concurrency-access-token-01' };
const PARALLEL = 6;

beforeAll(async () => {
  kit = await startAutomationKit('automation-once', LINE);
}, 60_000);
afterAll(() => kit?.close());

const inParallel = <T>(work: () => Promise<T>) => Promise.all(Array.from({ length: PARALLEL }, work));

describe('exactly once', () => {
  it(`${PARALLEL} scans at once let each birthday guest in once, and ${PARALLEL} jobs per run at once send each guest one message`, async () => {
    const guests = [];
    for (let i = 0; i < 60; i += 1) guests.push(await kit.guest({ birthday: '1988-11-22' }));
    const ruleId = await kit.rule({ name: '生日並行', trigger: { kind: 'birthday', hour: 0 }, steps: [{ kind: 'send', messages: [{ type: 'text', text: '{firstName} 生日快樂' }] }, { kind: 'wait', amount: 1, unit: 'hours' }, { kind: 'send', messages: [{ type: 'text', text: '生日禮已送出' }] }] });
    const { db } = kit.env.runtime;
    const engine = kit.env.runtime.automationEngine;
    const entered = await inParallel(() => db.withTenant(kit.tenant.tenantId, (tx) => engine.scanTimeTriggers(systemContext(tx, kit.tenant.tenantId, 'test'))));
    expect(entered.reduce((a, b) => a + b, 0)).toBe(60);
    const runs = await kit.runs(ruleId);
    expect(runs).toHaveLength(60);
    // Every run's job, run by several workers at once before the queue's own copy.
    await Promise.all(runs.map(async (run) => {
      const [row] = await kit.inTenant((tx) => queryRows<{ id: string }>(tx, sql`select id from automation_runs where rule_id = ${ruleId} and member_id = ${run.member_id}`));
      await inParallel(() => engine.runJob({ tenantId: kit.tenant.tenantId, runId: row!.id }, 0));
    }));
    await kit.drain();
    await kit.tick(61);
    // And the per-minute job claimed by several workers at once.
    await inParallel(() => db.withTenant(kit.tenant.tenantId, (tx) => engine.claimDue(systemContext(tx, kit.tenant.tenantId, 'test'))));
    await kit.drain();
    const audience = guests.map((g) => g.userId);
    for (const step of [0, 2]) {
      const counted = kit.delivered(ruleId, step, audience);
      expect(counted.audience).toMatchObject({ size: 60, missing: [], unexpected: [] });
      expect(counted.exactlyOnce).toBe(true);
    }
    expect((await kit.runs(ruleId)).every((r) => r.status === 'completed')).toBe(true);
    const [steps] = await kit.inTenant((tx) => queryRows<{ sends: number; keys: number }>(tx, sql`select count(*) filter (where retry_key is not null)::int as sends, count(distinct retry_key)::int as keys from automation_run_steps where rule_id = ${ruleId}`));
    expect(steps).toEqual({ sends: 120, keys: 120 });
  }, 120_000);

  it('the same LINE follow told by several transactions at once lets the friend in once', async () => {
    const ruleId = await kit.rule({ name: '新好友並行', trigger: { kind: 'friend_added' }, steps: [{ kind: 'wait', amount: 1, unit: 'days' }] });
    const friends = [];
    for (let i = 0; i < 20; i += 1) friends.push(await kit.guest());
    const at = kit.env.clock.now();
    const engine = kit.env.runtime.automationEngine;
    await Promise.all(
      friends.map((f) =>
        inParallel(() =>
          kit.env.runtime.db.withTenant(kit.tenant.tenantId, (tx) => engine.onLineMoment(systemContext(tx, kit.tenant.tenantId, 'line'), { kind: 'followed', memberId: f.memberId, lineUserId: f.userId, at, isUnblocked: false })),
        ),
      ),
    );
    const runs = await kit.runs(ruleId);
    expect(runs).toHaveLength(20);
    expect(new Set(runs.map((r) => r.member_id)).size).toBe(20);
  }, 60_000);
});
