import type { TenantContext } from '../../core/context.ts';
import type { JobQueue } from '../../core/jobs/queue.ts';
import { PUSH_TEXT_JOB } from '../line/index.ts';
import { getCurrentTenant } from '../tenants/index.ts';

export type ConfirmationDeps = { queue: () => JobQueue };

const TEXT = {
  'zh-TW': (hotel: string, memberNo: string) => `會員綁定完成！您的 LINE 帳號已連結到${hotel}會員 ${memberNo}。開啟會員專區即可出示會員卡。`,
  en: (hotel: string, memberNo: string) => `Your LINE account is now linked to your ${hotel} membership (${memberNo}). Open the member area to show your member card.`,
};

/**
 * Tells the guest in their LINE chat that the binding is done. The push is a job written in the transaction that bound
 * them (an outbox): it exists exactly when the binding commits, and a process that dies right after loses nothing.
 * `retryKey` names this binding (the SMS code it consumed, or the review staff approved), so no retry of this send,
 * however it comes about, reaches the guest twice.
 */
export async function confirmBinding(deps: ConfirmationDeps, ctx: TenantContext, input: { channelId: string; lineUserId: string; memberNo: string; language: string; retryKey: string }): Promise<void> {
  await pushToGuest(deps, ctx, input, (hotel, english) => (english ? TEXT.en : TEXT['zh-TW'])(hotel, input.memberNo));
}

const DECLINED = {
  'zh-TW': (hotel: string) => `${hotel}無法確認您填寫的會員資料，這次綁定沒有完成。如有疑問請洽飯店櫃台，或開啟會員專區以正確資料重新綁定。`,
  en: (hotel: string) => `${hotel} could not confirm the membership details you entered, so this binding was not completed. Please ask the front desk, or open the member area and bind again with the correct details.`,
};

/**
 * Tells the guest that staff could not confirm the binding they were waiting for (the pending page promised a LINE
 * message either way). Sent as the confirmation is: a job in the transaction that closed the review, retry key = review.
 */
export async function declineBinding(deps: ConfirmationDeps, ctx: TenantContext, input: { channelId: string; lineUserId: string; language: string; retryKey: string }): Promise<void> {
  await pushToGuest(deps, ctx, input, (hotel, english) => (english ? DECLINED.en : DECLINED['zh-TW'])(hotel));
}

/** The message in the guest's language, queued in the caller's transaction with the binding's retry key. */
async function pushToGuest(deps: ConfirmationDeps, ctx: TenantContext, input: { channelId: string; lineUserId: string; language: string; retryKey: string }, textOf: (hotel: string, english: boolean) => string): Promise<void> {
  const text = textOf((await getCurrentTenant(ctx)).name, input.language.startsWith('en'));
  await deps.queue().enqueue(ctx.db, PUSH_TEXT_JOB, { tenantId: ctx.tenantId, channelId: input.channelId, to: input.lineUserId, text, retryKey: input.retryKey });
}
