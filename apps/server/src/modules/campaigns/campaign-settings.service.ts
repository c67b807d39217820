import type { Clock } from '../../core/clock.ts';
import { can, type RequestContext, type TenantContext } from '../../core/context.ts';
import { recordAudit } from '../audit/index.ts';
import { assertMayRead } from './campaign-scope.ts';
import * as repo from './campaigns.repository.ts';
import type { CampaignSettings } from './campaigns.schemas.ts';

/** The tenant's marketing-push limits: stored and shown here, applied by the delivery engine when it sends. */
export function createCampaignSettings(deps: { clock: Clock }) {
  const { clock } = deps;

  async function getSettings(ctx: TenantContext): Promise<CampaignSettings> {
    const row = await repo.findSettings(ctx.db, ctx.tenantId);
    return { weeklyCap: row?.weeklyCap ?? null, quietHours: row?.quietStart && row.quietEnd ? { start: row.quietStart.slice(0, 5), end: row.quietEnd.slice(0, 5) } : null };
  }

  async function readSettings(ctx: RequestContext): Promise<CampaignSettings> {
    if (!can(ctx, 'settings.manage')) assertMayRead(ctx);
    return getSettings(ctx);
  }

  async function updateSettings(ctx: RequestContext, input: CampaignSettings): Promise<CampaignSettings> {
    const before = await getSettings(ctx);
    await repo.saveSettings(ctx.db, { tenantId: ctx.tenantId, weeklyCap: input.weeklyCap, quietStart: input.quietHours?.start ?? null, quietEnd: input.quietHours?.end ?? null, updatedBy: ctx.accountId, updatedAt: clock.now() });
    await recordAudit(ctx, { action: 'campaign.settings_updated', targetType: 'campaign_settings', details: { before, after: input } });
    return getSettings(ctx);
  }

  return { getSettings, readSettings, updateSettings };
}
