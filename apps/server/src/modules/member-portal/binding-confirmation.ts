import type { Logger } from 'pino';
import type { TenantContext } from '../../core/context.ts';
import { pushOnce, type ChannelsService, type LineApi } from '../line/index.ts';
import { getCurrentTenant } from '../tenants/index.ts';

export type ConfirmationDeps = { lineApi: LineApi; channels: ChannelsService; logger: Logger };

const TEXT = {
  'zh-TW': (hotel: string, memberNo: string) => `會員綁定完成！您的 LINE 帳號已連結到${hotel}會員 ${memberNo}。開啟會員專區即可出示會員卡。`,
  en: (hotel: string, memberNo: string) => `Your LINE account is now linked to your ${hotel} membership (${memberNo}). Open the member area to show your member card.`,
};

/**
 * Tells the guest in their LINE chat that the binding is done, once the transaction that bound them has committed.
 * `retryKey` names this binding (the SMS code it consumed, or the review staff approved), so no retry of this send,
 * however it comes about, reaches the guest twice. A failure is logged: the binding itself stands.
 */
export async function confirmBinding(deps: ConfirmationDeps, ctx: TenantContext, input: { channelId: string; lineUserId: string; memberNo: string; language: string; retryKey: string }): Promise<void> {
  const channel = await deps.channels.credentials(ctx, input.channelId);
  if (!channel?.accessToken) return;
  const hotel = (await getCurrentTenant(ctx)).name;
  const text = (input.language.startsWith('en') ? TEXT.en : TEXT['zh-TW'])(hotel, input.memberNo);
  const { accessToken } = channel;
  ctx.afterCommit(async () => {
    await pushOnce(deps.lineApi, { accessToken, to: input.lineUserId, messages: [{ type: 'text', text }], retryKey: input.retryKey }).catch((error: unknown) => {
      deps.logger.warn({ err: error, tenantId: ctx.tenantId, channelId: input.channelId }, 'binding confirmation could not be pushed');
    });
  });
}
