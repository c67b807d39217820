import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimDueRuns } from '../automation.repository.ts';
import { RUN_JOB } from '../automation-engine.ts';
import { startAutomationKit, type Kit } from './automation-kit.ts';

/**
 * Each trigger kind lets guests into a rule once per occurrence, and the rule's steps run: sends go out through the
 * LINE sending port (counted per guest by the simulator under the rule's aggregation unit), tags are added and
 * removed, waits hold the guest until the per-minute job finds their time has come.
 */
let kit: Kit;
const LINE = { channelId: '2008100001', channelSecret: '13579bdf2468ace0'.repeat(2), channelAccessToken: 'automation-triggers-access-token-0001' };
const text = (t: string) => ({ kind: 'send', messages: [{ type: 'text', text: t }] });

beforeAll(async () => {
  kit = await startAutomationKit('automation-triggers', LINE);
}, 60_000);
afterAll(() => kit?.close());

describe('event triggers', () => {
  it('tag added: each newly tagged guest enters once, gets the message once and is tagged on; tagging again is no new entry', async () => {
    const trigger = await kit.tag('詢問婚宴');
    const followUp = await kit.tag('婚宴名單');
    const ruleId = await kit.rule({ name: '婚宴詢問回覆', trigger: { kind: 'tag_added', tagId: trigger }, steps: [text('{lastName}{firstName} 您好，婚宴專員將與您聯繫。'), { kind: 'add_tag', tagId: followUp }] });
    const a = await kit.guest();
    const b = await kit.guest();
    expect((await kit.admin.post(`/api/tags/${trigger}/members`, { memberIds: [a.memberId, b.memberId] })).status).toBe(200);
    await kit.drain();
    expect((await kit.admin.post(`/api/tags/${trigger}/members`, { memberIds: [a.memberId] })).status).toBe(200);
    await kit.drain();
    const counted = kit.delivered(ruleId, 0, [a.userId, b.userId]);
    expect(counted.audience).toMatchObject({ missing: [], unexpected: [] });
    expect(counted.exactlyOnce).toBe(true);
    expect(JSON.stringify(kit.sim.sim.inbox(LINE.channelId, a.userId))).toContain('林小美 您好，婚宴專員將與您聯繫。');
    expect((await kit.memberTagNames(a.memberId)).map((t) => [t.name, t.source])).toEqual([['婚宴名單', 'rule'], ['詢問婚宴', 'staff']]);
    expect((await kit.runs(ruleId)).map((r) => r.status)).toEqual(['completed', 'completed']);
    const stats = await kit.stats(ruleId);
    expect(stats.entered).toBe(2);
    expect(stats.steps.map((s) => [s.kind, s.completed])).toEqual([['send', 2], ['add_tag', 2]]);
    // Removed and given again: a new occurrence, a new entry.
    expect((await kit.admin.post(`/api/tags/${trigger}/members/remove`, { memberIds: [a.memberId] })).status).toBe(200);
    kit.env.clock.advanceMinutes(5);
    expect((await kit.admin.post(`/api/tags/${trigger}/members`, { memberIds: [a.memberId] })).status).toBe(200);
    await kit.drain();
    expect((await kit.stats(ruleId)).entered).toBe(3);
    await kit.switchOff(ruleId);
  });

  it('friend added: a new LINE friend enters (a send skipped for want of marketing consent, the tag given); an unblock does not', async () => {
    const newcomer = await kit.tag('新好友');
    const ruleId = await kit.rule({ name: '新好友', trigger: { kind: 'friend_added' }, steps: [text('歡迎！'), { kind: 'add_tag', tagId: newcomer }] });
    const [friend] = kit.sim.sim.addFriends(LINE.channelId, { count: 1, seed: 'triggers-newcomer', state: 'none' });
    await kit.sim.sim.follow(LINE.channelId, friend!.userId);
    await kit.drain();
    await kit.sim.sim.block(LINE.channelId, friend!.userId);
    await kit.sim.sim.unblock(LINE.channelId, friend!.userId);
    await kit.drain();
    const runs = await kit.runs(ruleId);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'completed' });
    expect((await kit.memberTagNames(runs[0]!.member_id)).map((t) => t.name)).toEqual(['新好友']);
    const stats = await kit.stats(ruleId);
    expect(stats.steps[0]).toMatchObject({ kind: 'send', completed: 0, skipped: 1, skippedByReason: { no_consent: 1 } });
    expect(kit.delivered(ruleId, 0, []).audience?.unexpected).toEqual([]);
    await kit.switchOff(ruleId);
  });

  it('binding completed: the guest who binds enters and is sent the message', async () => {
    const ruleId = await kit.rule({ name: '綁定感謝', trigger: { kind: 'binding_completed' }, steps: [text('感謝完成會員綁定！')] });
    const g = await kit.guest({ status: 'never' });
    await kit.bind(g.memberId, g.userId);
    await kit.drain();
    expect(kit.delivered(ruleId, 0, [g.userId])).toMatchObject({ audience: { missing: [], unexpected: [] }, exactlyOnce: true });
    expect((await kit.runs(ruleId))[0]).toMatchObject({ member_id: g.memberId, status: 'completed' });
    await kit.switchOff(ruleId);
  });
});

describe('time triggers (the hourly scan)', () => {
  // The test clock is 2026-11-22 10:00 in Taipei.
  it('stay checked out N days ago: guests whose stay ended then enter once per stay, at the rule’s hour', async () => {
    const ruleId = await kit.rule({ name: '退房三天後', trigger: { kind: 'checked_out', days: 3, hour: 11 }, steps: [text('感謝入住，期待再次光臨。')] });
    const left = await kit.guest();
    const stayId = await kit.stay(left.memberId, { checkIn: '2026-11-17', checkOut: '2026-11-19', status: 'stayed' });
    const lately = await kit.guest();
    await kit.stay(lately.memberId, { checkIn: '2026-11-20', checkOut: '2026-11-21', status: 'stayed' });
    const cancelled = await kit.guest();
    await kit.stay(cancelled.memberId, { checkIn: '2026-11-17', checkOut: '2026-11-19', status: 'booked' });
    await kit.scan();
    expect(await kit.runs(ruleId)).toEqual([]);
    await kit.advance(60);
    await kit.scan();
    await kit.scan();
    expect((await kit.runs(ruleId)).map((r) => [r.member_id, r.occurrence_key, r.status])).toEqual([[left.memberId, `stay:${stayId}`, 'completed']]);
    expect(kit.delivered(ruleId, 0, [left.userId])).toMatchObject({ audience: { missing: [], unexpected: [] }, exactlyOnce: true });
    await kit.switchOff(ruleId);
  });

  it('arrival in N days: booked stays arriving then', async () => {
    const ruleId = await kit.rule({ name: '入住前提醒', trigger: { kind: 'arrival', days: 7, hour: 9 }, steps: [text('您的入住日即將到來，歡迎預約接駁。')] });
    const coming = await kit.guest();
    await kit.stay(coming.memberId, { checkIn: '2026-11-29', checkOut: '2026-11-30', status: 'booked' });
    const later = await kit.guest();
    await kit.stay(later.memberId, { checkIn: '2026-12-20', checkOut: '2026-12-21', status: 'booked' });
    await kit.scan();
    expect((await kit.runs(ruleId)).map((r) => r.member_id)).toEqual([coming.memberId]);
    expect(kit.delivered(ruleId, 0, [coming.userId])).toMatchObject({ audience: { missing: [], unexpected: [] }, exactlyOnce: true });
    await kit.switchOff(ruleId);
  });

  it('birthday: on the day, once in the year', async () => {
    const ruleId = await kit.rule({ name: '生日祝福', trigger: { kind: 'birthday', hour: 0 }, steps: [text('{firstName}，生日快樂！')] });
    const today = await kit.guest({ birthday: '1990-11-22' });
    const other = await kit.guest({ birthday: '1990-12-22' });
    await kit.scan();
    await kit.scan();
    expect((await kit.runs(ruleId)).map((r) => [r.member_id, r.occurrence_key])).toEqual([[today.memberId, 'birthday:2026']]);
    expect(kit.delivered(ruleId, 0, [today.userId])).toMatchObject({ audience: { missing: [], unexpected: [] }, exactlyOnce: true });
    expect(kit.delivered(ruleId, 0, [other.userId]).audience?.missing).toEqual([other.userId]);
    await kit.switchOff(ruleId);
  });

  it('no interaction for N days: once per quiet spell', async () => {
    const ruleId = await kit.rule({ name: '喚醒沉睡客', trigger: { kind: 'no_interaction', days: 30, hour: 0 }, steps: [text('好久不見！')] });
    const now = kit.env.clock.now().getTime();
    const asleep = await kit.guest({ lastInteractionAt: new Date(now - 31 * 86_400_000) });
    const awake = await kit.guest({ lastInteractionAt: new Date(now - 5 * 86_400_000) });
    await kit.scan();
    await kit.scan();
    expect((await kit.runs(ruleId)).map((r) => r.member_id)).toEqual([asleep.memberId]);
    expect(kit.delivered(ruleId, 0, [asleep.userId, awake.userId]).audience?.missing).toEqual([awake.userId]);
    await kit.switchOff(ruleId);
  });
});

describe('steps', () => {
  it('a wait holds the guest until its time; removing a tag; switching the rule off lets its guests under way leave, with the reason, and sends them nothing after — not even once it is switched on again', async () => {
    const trigger = await kit.tag('等待測試');
    const temporary = await kit.tag('暫時標籤');
    const ruleId = await kit.rule({
      name: '等待後發送',
      trigger: { kind: 'tag_added', tagId: trigger },
      steps: [{ kind: 'add_tag', tagId: temporary }, { kind: 'wait', amount: 2, unit: 'hours' }, { kind: 'remove_tag', tagId: temporary }, text('兩小時後的訊息')],
    });
    const g = await kit.guest();
    await kit.admin.post(`/api/tags/${trigger}/members`, { memberIds: [g.memberId] });
    await kit.drain();
    expect((await kit.runs(ruleId))[0]).toMatchObject({ status: 'waiting', step_index: 1 });
    expect((await kit.stats(ruleId)).steps[1]).toMatchObject({ kind: 'wait', waiting: 1 });
    await kit.tick(119);
    expect((await kit.runs(ruleId))[0]).toMatchObject({ status: 'waiting' });
    // Another guest enters; then both waits are over just as staff switch the rule off: the per-minute job has handed
    // both runs to their jobs, which have not run yet (the send would go out in them).
    const late = await kit.guest();
    await kit.admin.post(`/api/tags/${trigger}/members`, { memberIds: [late.memberId] });
    await kit.drain();
    await kit.advance(121);
    const claimed = await kit.inTenant(async (tx) => {
      const runIds = await claimDueRuns(tx, kit.tenant.tenantId, kit.env.clock.now(), 10);
      await kit.env.runtime.queue.enqueueMany(tx, RUN_JOB, runIds.map((runId) => ({ data: { tenantId: kit.tenant.tenantId, runId }, singletonKey: runId })));
      return runIds;
    });
    expect(claimed).toHaveLength(2);
    await kit.switchOff(ruleId);
    await kit.drain();
    await kit.tick(5);
    // Both leave the rule with the reason; the step each was at says so in the statistics; neither gets the message.
    expect((await kit.runs(ruleId)).map((r) => ({ status: r.status, reason: r.reason, step: r.step_index }))).toEqual([
      { status: 'exited', reason: 'rule_disabled', step: 1 },
      { status: 'exited', reason: 'rule_disabled', step: 1 },
    ]);
    expect((await kit.stats(ruleId)).steps[1]).toMatchObject({ kind: 'wait', waiting: 0, skipped: 2, skippedByReason: { rule_disabled: 2 } });
    expect([...(kit.delivered(ruleId, 3, [g.userId, late.userId]).audience?.missing ?? [])].sort()).toEqual([g.userId, late.userId].sort());
    const audit = (await kit.admin.get(`/api/audit-log?targetType=automation_rule&targetId=${ruleId}`)).body.data.find((e: { action: string }) => e.action === 'automation.rule_disabled');
    expect(audit.details).toMatchObject({ runsExited: 2 });
    // Switched on again, days later: the guests who left get nothing (a new occurrence would enter anew).
    const rule = (await kit.admin.get(`/api/automation/rules/${ruleId}`)).body;
    expect((await kit.admin.post(`/api/automation/rules/${ruleId}/enable`, { version: rule.version })).status).toBe(200);
    await kit.tick(60 * 24);
    expect((await kit.runs(ruleId)).map((r) => r.status)).toEqual(['exited', 'exited']);
    expect([...(kit.delivered(ruleId, 3, [g.userId, late.userId]).audience?.missing ?? [])].sort()).toEqual([g.userId, late.userId].sort());
    // The tag its first step gave stays (what it did before it was switched off is not undone).
    expect((await kit.memberTagNames(g.memberId)).map((t) => t.name)).toEqual(['暫時標籤', '等待測試']);
    await kit.switchOff(ruleId);
  });

  it('a changed rule lets its guests under way leave, and is refused while switched on', async () => {
    const trigger = await kit.tag('修改測試');
    const ruleId = await kit.rule({ name: '修改前', trigger: { kind: 'tag_added', tagId: trigger }, steps: [{ kind: 'wait', amount: 1, unit: 'days' }, text('舊的訊息')] });
    const g = await kit.guest();
    await kit.admin.post(`/api/tags/${trigger}/members`, { memberIds: [g.memberId] });
    await kit.drain();
    expect((await kit.admin.patch(`/api/automation/rules/${ruleId}`, { name: '修改後' })).body.error.code).toBe('automation.enabled');
    await kit.switchOff(ruleId);
    // Switching off (which editing needs) already let the guest under way leave: the edit finds nobody on the old steps.
    expect((await kit.runs(ruleId))[0]).toMatchObject({ status: 'exited', reason: 'rule_disabled' });
    const edited = await kit.admin.patch(`/api/automation/rules/${ruleId}`, { steps: [text('新的訊息')] });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect((await kit.runs(ruleId))[0]).toMatchObject({ status: 'exited', reason: 'rule_disabled' });
    expect((await kit.admin.patch(`/api/automation/rules/${ruleId}`, { name: 'x', version: 1 })).body.error.code).toBe('automation.changed');
  });

  it('a send LINE answers with 5xx (or accepts, then answers 500) is retried with the same key and delivered once', async () => {
    const trigger = await kit.tag('故障測試');
    const ruleId = await kit.rule({ name: '故障重試', trigger: { kind: 'tag_added', tagId: trigger }, steps: [text('故障後仍只收到一次')] });
    const guests = [await kit.guest(), await kit.guest(), await kit.guest(), await kit.guest()];
    kit.sim.sim.updateChannel(LINE.channelId, { faults: { errorRate: 0.5, errorAfterAcceptRate: 0.5, endpoints: ['POST /v2/bot/message/push'] } });
    try {
      await kit.admin.post(`/api/tags/${trigger}/members`, { memberIds: guests.map((g) => g.memberId) });
      await kit.drain();
    } finally {
      kit.sim.sim.updateChannel(LINE.channelId, { faults: { errorRate: 0, errorAfterAcceptRate: 0, endpoints: null } });
    }
    expect(kit.delivered(ruleId, 0, guests.map((g) => g.userId))).toMatchObject({ audience: { missing: [], unexpected: [] }, exactlyOnce: true });
    expect((await kit.runs(ruleId)).map((r) => r.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    await kit.switchOff(ruleId);
  });
});

