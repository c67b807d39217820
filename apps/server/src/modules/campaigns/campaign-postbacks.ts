import type { TenantContext } from '../../core/context.ts';
import { mayGiveOnClick, type TagsService } from '../tags/index.ts';
import { actionsOf } from './campaign-messages.ts';
import * as repo from './campaigns.repository.ts';

type CampaignTap = { campaignId: string; actionId: string; tagIds: string[]; label: string; source: string };

/**
 * What a tap on a campaign's postback button means (line-messages.ts writes `campaign=<id>&action=<id>`): the
 * campaign, the button and the tags it gives, among the campaign's tags that still exist. Registered with the LINE
 * module's postbackResolvers at the composition root; anything else is left to the other resolvers.
 *
 * The answer does not depend on who tapped, but the LINE worker asks once per distinct data *and guest* in a batch
 * (other resolvers need the guest): after a push, a batch holds one button's taps by up to 200 guests. So answers are
 * remembered for the transaction that asked (the batch's), and the campaign and its tags are read once per button.
 */
export function campaignPostbackResolver(tags: Pick<TagsService, 'requireTag'>) {
  const answered = new WeakMap<object, Map<string, Promise<CampaignTap | undefined>>>();
  const resolve = async (ctx: TenantContext, data: string): Promise<CampaignTap | undefined> => {
    const params = new URLSearchParams(data);
    const campaignId = params.get('campaign');
    const actionId = params.get('action');
    if (!campaignId || !actionId || !/^[0-9a-f-]{36}$/.test(campaignId)) return undefined;
    const campaign = await repo.findCampaign(ctx.db, ctx.tenantId, campaignId, 'all');
    const action = campaign ? actionsOf(campaign.messages).find(({ action: a }) => a.type === 'postback' && a.id === actionId)?.action : undefined;
    if (!campaign || !action) return undefined;
    const tagIds: string[] = [];
    for (const tagId of action.tagIds.filter((id) => campaign.tagIds.includes(id))) {
      try {
        // A tag made a basic member tag since the campaign was saved is not given by a tap either.
        if (mayGiveOnClick(await tags.requireTag(ctx, tagId))) tagIds.push(tagId);
      } catch {
        // The tag was deleted since: nothing to give.
      }
    }
    return { campaignId, actionId, tagIds, label: action.label, source: campaign.name };
  };
  return (ctx: TenantContext, data: string): Promise<CampaignTap | undefined> => {
    let known = answered.get(ctx.db);
    if (!known) answered.set(ctx.db, (known = new Map()));
    const answer = known.get(data) ?? resolve(ctx, data);
    known.set(data, answer);
    return answer;
  };
}
