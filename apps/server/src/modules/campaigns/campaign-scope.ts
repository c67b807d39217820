import { can, type RequestContext, type TenantContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { propertyScopeOf } from '../members/index.ts';

/**
 * Who may see and change which campaigns (decision 0008): reading needs campaigns.edit or campaigns.push; an account
 * limited to some properties sees its properties' campaigns and the group-wide ones, and changes only its own
 * properties' campaigns (a group-wide one reaches members it cannot see).
 */
export function assertMayRead(ctx: RequestContext): void {
  if (!can(ctx, 'campaigns.edit') && !can(ctx, 'campaigns.push')) throw new AppError('auth.forbidden', { permission: 'campaigns.edit' });
}

export function maySeeAll(ctx: TenantContext): boolean {
  return propertyScopeOf(ctx) === 'all';
}

/** Whether the caller manages this property's campaigns (null: group-wide, which needs every property). */
export function managesProperty(ctx: TenantContext, propertyId: string | null): boolean {
  const scope = propertyScopeOf(ctx);
  if (scope === 'all') return true;
  return propertyId !== null && scope.includes(propertyId);
}

export function assertMayChange(ctx: TenantContext, campaign: { propertyId: string | null }): void {
  if (!managesProperty(ctx, campaign.propertyId)) throw new AppError('campaign.property_out_of_scope');
}
