import type { TenantContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { recordAudit } from '../audit/index.ts';
import * as repo from './member-portal.repository.ts';
import { DEFAULT_PORTAL_SETTINGS, type PortalSettings } from './portal-settings.ts';

export type ButtonInput = { label: string; imageUrl?: string | undefined; linkUrl: string; sortOrder?: number | undefined; enabled?: boolean | undefined };

/** The member area's settings and custom buttons (seed 001 基本設定 / 自訂按鈕). */
export function createSettingsService() {
  async function getSettings(ctx: TenantContext): Promise<PortalSettings> {
    return (await repo.findSettings(ctx.db, ctx.tenantId)) ?? DEFAULT_PORTAL_SETTINGS;
  }

  async function updateSettings(ctx: TenantContext, settings: PortalSettings): Promise<PortalSettings> {
    await repo.saveSettings(ctx.db, ctx.tenantId, settings);
    await recordAudit(ctx, { action: 'member_portal.settings_updated', targetType: 'member_portal', details: { settings } });
    return settings;
  }

  function listButtons(ctx: TenantContext, options: { enabledOnly?: boolean } = {}) {
    return repo.findButtons(ctx.db, ctx.tenantId, options);
  }

  async function createButton(ctx: TenantContext, input: ButtonInput) {
    const button = await repo.insertButton(ctx.db, { tenantId: ctx.tenantId, id: newId(), label: input.label, imageUrl: input.imageUrl ?? '', linkUrl: input.linkUrl, sortOrder: input.sortOrder ?? 0, enabled: input.enabled ?? true });
    await recordAudit(ctx, { action: 'member_portal.button_created', targetType: 'member_portal_button', targetId: button.id, details: { label: input.label } });
    return button;
  }

  async function updateButton(ctx: TenantContext, id: string, input: Partial<ButtonInput>) {
    // Nothing to change ({}): an UPDATE with no columns is an error in the query builder, so answer the button as it is.
    const unchanged = Object.values(input).every((value) => value === undefined);
    const button = unchanged ? await repo.findButton(ctx.db, ctx.tenantId, id) : await repo.updateButton(ctx.db, ctx.tenantId, id, input);
    if (!button) throw new AppError('member_portal.button_not_found');
    if (unchanged) return button;
    await recordAudit(ctx, { action: 'member_portal.button_updated', targetType: 'member_portal_button', targetId: id, details: { fields: Object.keys(input) } });
    return button;
  }

  async function deleteButton(ctx: TenantContext, id: string): Promise<void> {
    if (!(await repo.deleteButton(ctx.db, ctx.tenantId, id))) throw new AppError('member_portal.button_not_found');
    await recordAudit(ctx, { action: 'member_portal.button_deleted', targetType: 'member_portal_button', targetId: id });
  }

  return { getSettings, updateSettings, listButtons, createButton, updateButton, deleteButton };
}

export type SettingsService = ReturnType<typeof createSettingsService>;
