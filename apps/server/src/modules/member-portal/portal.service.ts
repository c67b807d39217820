import { systemContext } from '../../core/context.ts';
import type { Database } from '../../core/db/database.ts';
import { AppError } from '../../core/errors.ts';
import type { TenantId } from '../../core/ids.ts';
import type { ChannelsService } from '../line/index.ts';
import { toMemberDto, type MemberDto, type MemberLineService, type MembersService } from '../members/index.ts';
import { getCurrentTenant } from '../tenants/index.ts';
import type { BindingService, Guest } from './binding.service.ts';
import { hasOpenReview } from './member-portal.repository.ts';
import type { SettingsService } from './settings.service.ts';

/** The member area the guest sees in LINE: settings, buttons, their card and their offers switch. */
export function createPortalService(deps: { db: Database; binding: BindingService; settings: SettingsService; channels: ChannelsService; members: MembersService; memberLine: MemberLineService }) {
  async function config(tenantId: TenantId, channelId: string) {
    return deps.db.withTenant(tenantId, async (tx) => {
      const ctx = systemContext(tx, tenantId, 'liff');
      const channel = await deps.channels.credentials(ctx, channelId);
      if (!channel) throw new AppError('line.channel_not_found');
      const tenant = await getCurrentTenant(ctx);
      return {
        // The hotel's time zone: the card's join date is the hotel's calendar day, not the phone's.
        tenant: { name: tenant.name, timezone: tenant.timezone },
        channel: { name: channel.botDisplayName ?? channel.name, liffId: channel.liffId, basicId: channel.botBasicId },
        settings: await deps.settings.getSettings(ctx),
        buttons: await deps.settings.listButtons(ctx, { enabledOnly: true }),
        bindingAvailable: deps.binding.available,
      };
    });
  }

  /** A bound guest is one whose LINE account sits on a member that has a verified mobile. */
  async function guestView(guest: Guest): Promise<{ guest: { displayName: string | null; pictureUrl: string | null }; member: MemberDto | null; pendingReview: boolean }> {
    return deps.binding.inGuest(guest, async (ctx) => {
      const member = await deps.memberLine.findByLineUserId(ctx, guest.lineUserId);
      const bound = member && member.mobile !== null ? toMemberDto(member) : null;
      const pendingReview = bound ? false : await hasOpenReview(ctx.db, ctx.tenantId, guest.lineUserId);
      return { guest: { displayName: guest.displayName, pictureUrl: guest.pictureUrl }, member: bound, pendingReview };
    });
  }

  async function setOptIn(guest: Guest, optIn: boolean): Promise<MemberDto> {
    return deps.binding.inGuest(guest, async (ctx) => {
      const member = await deps.memberLine.findByLineUserId(ctx, guest.lineUserId);
      if (!member || member.mobile === null) throw new AppError('liff.not_bound');
      return deps.members.updateMember(ctx, member.id, { marketingOptIn: optIn, optInSource: 'liff' });
    });
  }

  return { config, guestView, setOptIn };
}

export type PortalService = ReturnType<typeof createPortalService>;
