import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from '../../../../test/harness.ts';
import { systemContext } from '../../../core/context.ts';
import { queryRows } from '../../../core/db/database.ts';
import { buttonTapsQuery } from '../interactions.repository.ts';
import { countCampaignButtonTaps, recordInteraction } from '../interactions.service.ts';

/**
 * A campaign's postback taps per button, as its click counts read them from the history (the LINE worker writes one
 * 'clicked' entry per tap): every tap and the distinct guests, another campaign's and another hotel's taps apart, and
 * read by the partial index of migration 0065 without the table's rows.
 */
let env: TestEnv;
let tenant: TestTenant;
let other: TestTenant;
const campaignId = randomUUID();
const members: string[] = [];

/** A guest's tap as the LINE worker records it (events.service.ts, clickEntry). */
const tap = (owner: TestTenant, memberId: string, campaign: string, actionId: string) =>
  env.runtime.db.withTenant(owner.tenantId, (tx) =>
    recordInteraction(systemContext(tx, owner.tenantId, 'line'), [memberId], {
      type: 'clicked',
      occurredAt: env.clock.now(),
      campaignId: campaign,
      actionId,
      actor: { type: 'guest', ref: 'U0', label: '' },
      details: { label: '我有興趣' },
    }),
  );

async function member(owner: TestTenant, no: string): Promise<string> {
  const id = randomUUID();
  await env.runtime.db.withTenant(owner.tenantId, (tx) => tx.execute(sql`insert into members (tenant_id, id, member_no, last_name, first_name) values (${owner.tenantId}, ${id}, ${no}, '王', '小明')`));
  return id;
}

beforeAll(async () => {
  env = await startTestEnv();
  tenant = await createTestTenant(env);
  other = await createTestTenant(env, { slug: `taps-other-${Date.now()}` });
  for (let i = 0; i < 3; i += 1) members.push(await member(tenant, `T${i}`));
  const stranger = await member(other, 'X0');
  // Guest 0 taps 「我有興趣」 twice, guest 1 once; guest 2 taps 「預約」 once; a URL click's entry on the same campaign.
  await tap(tenant, members[0]!, campaignId, 'yes');
  await tap(tenant, members[0]!, campaignId, 'yes');
  await tap(tenant, members[1]!, campaignId, 'yes');
  await tap(tenant, members[2]!, campaignId, 'book');
  await tap(tenant, members[2]!, campaignId, 'url1');
  // Another campaign's tap on a button of the same id, and another hotel's entry for this campaign's id: neither counts.
  await tap(tenant, members[1]!, randomUUID(), 'yes');
  await tap(other, stranger, campaignId, 'yes');
}, 60_000);
afterAll(() => env?.close());

describe('a campaign’s postback taps per button', () => {
  it('counts every tap and the distinct guests, in the order asked, a button nobody tapped as zeros', async () => {
    const counts = await env.runtime.db.withTenant(tenant.tenantId, (tx) => countCampaignButtonTaps(systemContext(tx, tenant.tenantId, 'campaigns'), campaignId, ['book', 'yes', 'none']));
    expect(counts).toEqual([
      { actionId: 'book', taps: 1, guests: 1 },
      { actionId: 'yes', taps: 3, guests: 2 },
      { actionId: 'none', taps: 0, guests: 0 },
    ]);
    expect(await env.runtime.db.withTenant(tenant.tenantId, (tx) => countCampaignButtonTaps(systemContext(tx, tenant.tenantId, 'campaigns'), campaignId, []))).toEqual([]);
  });

  it('reads the partial index member_interactions_taps_idx only (an index-only scan), under row-level security', async () => {
    const plan = await env.runtime.db.withTenant(tenant.tenantId, async (tx) => {
      // A handful of rows would be read by a sequential scan: the question is whether the index can answer the query.
      await tx.execute(sql`set local enable_seqscan = off`);
      await tx.execute(sql`set local enable_bitmapscan = off`);
      const [row] = await queryRows<{ 'QUERY PLAN': unknown }>(tx, sql`explain (format json) ${buttonTapsQuery(tenant.tenantId, campaignId, ['yes', 'book'])}`);
      const json = row!['QUERY PLAN'];
      return (typeof json === 'string' ? JSON.parse(json) : json) as Array<{ Plan: PlanNode }>;
    });
    type PlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; Plans?: PlanNode[] };
    const scans = (node: PlanNode): PlanNode[] => [...(node['Relation Name'] ? [node] : []), ...(node.Plans ?? []).flatMap(scans)];
    expect(scans(plan[0]!.Plan).map((n) => [n['Node Type'], n['Relation Name'], n['Index Name']])).toEqual([['Index Only Scan', 'member_interactions', 'member_interactions_taps_idx']]);
  });
});
