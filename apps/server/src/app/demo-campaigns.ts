import { systemContext, type TenantContext } from '../core/context.ts';
import type { TenantId } from '../core/ids.ts';
import type { DemoLine } from './demo-line.ts';
import type { Runtime } from './runtime.ts';

/** The campaign tags the demo's 平日商務優惠 and family offers give (issue 11's scenarios). */
const DEMO_CAMPAIGN_TAGS = [
  { name: '商務客', color: 'blue', description: '點了平日商務優惠的會員' },
  { name: '家庭客', color: 'green', description: '點了家庭旅遊方案的會員' },
  { name: '週末度假', color: 'orange', description: '點了週末度假方案的會員' },
];

/** Virtual guests who are LINE friends and whose marketing consent the hotel imported (same seed, same users). */
const CONSENTING_GUESTS = { count: 6, seed: 'demo-consenting-guests' };

/**
 * Demo data for campaigns (demo mode only, from connectDemoLine): campaign tags to give, and a few LINE friends whose
 * marketing consent is on record, as a hotel importing its consent list would have it (source 'import', with the time).
 * Without them every demo friend lacked consent and a campaign's estimate said 0 reachable. Idempotent: what exists is
 * kept; the simulator, which keeps nothing between starts, is given the same friends again (same seed, same ids).
 */
export async function seedDemoCampaignData(runtime: Runtime, tenantId: TenantId, sim: DemoLine, channelId: string): Promise<void> {
  const inTenant = <T>(work: (ctx: TenantContext) => Promise<T>) => runtime.db.withTenant(tenantId, (tx) => work(systemContext(tx, tenantId, 'demo')));
  // Found as the unique index sees names (findTagByName: the database's folding of case and width), so a kept tag is never made twice.
  for (const tag of DEMO_CAMPAIGN_TAGS) {
    await inTenant(async (ctx) => {
      if (!(await runtime.tags.findTagByName(ctx, tag.name))) await runtime.tags.createTag(ctx, { ...tag, kind: 'campaign' });
    });
  }
  const friends = sim.sim.addFriends(channelId, { ...CONSENTING_GUESTS, state: 'friend' });
  for (const friend of friends) {
    await inTenant(async (ctx) => {
      if (await runtime.memberLine.findByLineUserId(ctx, friend.userId)) return;
      const at = runtime.clock.now();
      const { member } = await runtime.memberLine.recordFollow(ctx, { lineUserId: friend.userId, propertyId: null, at, isUnblocked: false });
      await runtime.memberLine.updateLineProfile(ctx, member.id, { displayName: friend.displayName });
      await runtime.members.updateMember(ctx, member.id, { marketingOptIn: true, optInSource: 'import' });
    });
  }
}
