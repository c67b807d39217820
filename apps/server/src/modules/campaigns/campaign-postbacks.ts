import type { TenantContext } from '../../core/context.ts';
import type { PostbackTapper } from '../line/index.ts';
import { mayGiveOnClick, type TagsService } from '../tags/index.ts';
import { actionsOf } from './campaign-messages.ts';
import { wasTestSentTo } from './campaign-recipients.repository.ts';
import * as repo from './campaigns.repository.ts';

type CampaignTap = { campaignId: string; actionId: string; tagIds: string[]; label: string; source: string };
/** The campaign has gone to guests (its status); a draft or scheduled one reached only its test sends' guests. */
type Answer = CampaignTap & { sent: boolean };

/**
 * What a tap on a campaign's postback button means (line-messages.ts writes `campaign=<id>&action=<id>`): the
 * campaign, the button and the tags it gives, among the campaign's tags that still exist. Registered with the LINE
 * module's postbackResolvers at the composition root; anything else is left to the other resolvers.
 *
 * The answer depends on who tapped only for a campaign not sent yet (a draft's test sends are its only recipients);
 * the LINE worker asks once per distinct data *and guest* in a batch: after a push, a batch holds one button's taps by
 * up to 200 guests. So answers are remembered for the transaction that asked (the batch's), and the campaign and its
 * tags are read once per button.
 */
export function campaignPostbackResolver(tags: Pick<TagsService, 'requireTag'>) {
  const answered = new WeakMap<object, Map<string, Promise<Answer | undefined>>>();
  const resolve = async (ctx: TenantContext, data: string): Promise<Answer | undefined> => {
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
    return { campaignId, actionId, tagIds, label: action.label, source: campaign.name, sent: campaign.status !== 'draft' && campaign.status !== 'scheduled' };
  };
  return async (ctx: TenantContext, data: string, tapper?: PostbackTapper): Promise<CampaignTap | undefined> => {
    let known = answered.get(ctx.db);
    if (!known) answered.set(ctx.db, (known = new Map()));
    const answer = known.get(data) ?? resolve(ctx, data);
    known.set(data, answer);
    const found = await answer;
    if (!found) return undefined;
    const { sent, ...tap } = found;
    // A campaign not sent yet reached only the guests of its test sends: anyone else tapping its data (a test message
    // passed on, a replayed postback) is counted, and given nothing, as a forwarded URL link is. Asked only for such
    // campaigns, so a sent campaign's burst of taps costs no query per tap.
    if (!sent && tapper && tap.tagIds.length > 0 && !(await wasTestSentTo(ctx.db, ctx.tenantId, tap.campaignId, tapper.memberId))) return { ...tap, tagIds: [] };
    return tap;
  };
}
