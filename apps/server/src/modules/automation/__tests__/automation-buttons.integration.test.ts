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

const interested = (tagId: string) => ({
  kind: 'send',
  messages: [{ type: 'buttons', altText: '平日住房優惠', text: '平日住房八折，有興趣嗎？', actions: [{ type: 'postback', id: 'yes', label: '我有興趣', tagIds: [tagId] }] }],
});

describe('postback buttons', () => {
  it('the resolver answers in a read-only transaction, and the tap tags the guest once with the rule as source and marks the step clicked', async () => {
    const tagId = await kit.tag('商務興趣');
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
    expect(answer).toMatchObject({ tagIds: [tagId], label: '我有興趣', source: '平日詢問回覆', provenance: { source: 'rule', sourceLabel: '平日詢問回覆：我有興趣' } });
    // Resolving is no tap: nothing was marked.
    expect((await kit.stats(ruleId)).steps[0]).toMatchObject({ clicked: 0 });

    await kit.sim.sim.postback(LINE.channelId, g.userId, { data: button!.data });
    await kit.sim.sim.postback(LINE.channelId, g.userId, { data: button!.data });
    await kit.drain();
    expect((await kit.memberTagNames(g.memberId)).filter((t) => t.name === '商務興趣')).toEqual([{ name: '商務興趣', source: 'rule', source_label: '平日詢問回覆：我有興趣' }]);
    const history = await kit.inTenant((tx) =>
      queryRows<{ type: string; n: number }>(tx, sql`select type, count(*)::int as n from member_interactions where member_id = ${g.memberId} and (type = 'clicked' or (type = 'tag_added' and tag_id = ${tagId})) group by type order by type`),
    );
    expect(history).toEqual([{ type: 'clicked', n: 2 }, { type: 'tag_added', n: 1 }]);
    expect((await kit.stats(ruleId)).steps[0]).toMatchObject({ completed: 1, clicked: 1 });
    await kit.switchOff(ruleId);
  });
});
