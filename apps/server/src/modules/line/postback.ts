import type { TenantContext } from '../../core/context.ts';
import type { TagSource } from '@innkeeper/contracts';
import type { TagsService } from '../tags/index.ts';

/** What a button press means: which campaign and action it belongs to, and which tags it gives the guest. */
export type PostbackAction = {
  campaignId?: string | null;
  /** The automation rule whose send the button is in (its taps are named to the accounts that may see the rule). */
  ruleId?: string | null;
  actionId?: string | null;
  tagIds: string[];
  label?: string | null;
  /** What staff call the sender (the campaign's name), for the history. */
  source?: string | null;
  /** Where the tags come from, when neither a campaign nor the data itself says (an automation rule's button). */
  provenance?: { source: TagSource; sourceRef: string; sourceLabel: string; sourceDetail?: string };
};

/** Who tapped: the guest's member record and LINE user (a resolver may check a button was sent to them). */
export type PostbackTapper = { memberId: string; lineUserId: string };

/**
 * Modules that put buttons in front of guests (campaigns, rich menus) say what their postback data means. A resolver
 * only reads: the LINE worker asks once per distinct data and tapper in a batch and applies the answer to each of
 * those taps.
 */
export type PostbackResolver = (ctx: TenantContext, data: string, tapper?: PostbackTapper) => Promise<PostbackAction | undefined>;

/**
 * Told of the postback taps from known friends in the transaction that records them (with their history entries and
 * tags), so a module that keeps its own record of taps (automation's `if_clicked`) writes it there, once per event,
 * and never from a resolver.
 */
export type PostbackTapHook = (ctx: TenantContext, taps: ReadonlyArray<{ memberId: string; data: string; at: Date }>) => Promise<void>;

export async function resolvePostback(ctx: TenantContext, data: string, resolvers: PostbackResolver[], tapper?: PostbackTapper): Promise<PostbackAction | undefined> {
  for (const resolve of resolvers) {
    const action = await resolve(ctx, data, tapper);
    if (action) return action;
  }
  return undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The built-in meaning: `tag=<tag id>` (repeatable) with an optional `label=`, for rich-menu buttons and one-off
 * messages staff write by hand. Unknown or foreign tag ids are ignored, never trusted.
 *
 * The answer does not depend on who tapped, but the LINE worker asks once per distinct data and guest in a batch: a
 * rich-menu button tapped by 20 guests was 20 reads of each tag it names. Answers are remembered for the transaction
 * that asked (the batch's), as the campaigns' resolver does.
 */
export function tagPostbackResolver(tags: TagsService): PostbackResolver {
  const answered = new WeakMap<object, Map<string, Promise<PostbackAction | undefined>>>();
  const resolve = async (ctx: TenantContext, data: string): Promise<PostbackAction | undefined> => {
    const params = new URLSearchParams(data);
    const requested = params.getAll('tag').filter((id) => UUID.test(id));
    if (requested.length === 0) return undefined;
    const known: string[] = [];
    for (const id of requested) {
      try {
        await tags.requireTag(ctx, id);
        known.push(id);
      } catch {
        // Not this tenant's tag: ignore it.
      }
    }
    return { tagIds: known, label: params.get('label') };
  };
  return (ctx, data) => {
    let remembered = answered.get(ctx.db);
    if (!remembered) answered.set(ctx.db, (remembered = new Map()));
    const answer = remembered.get(data) ?? resolve(ctx, data);
    remembered.set(data, answer);
    return answer;
  };
}
