import type { SQL } from 'drizzle-orm';
import type { TenantContext } from '../../core/context.ts';
import * as repo from './moments.repository.ts';

/**
 * Where time-based automation finds its guests: SQL selecting (member_id, occurrence_key) from members and stays,
 * for the caller to use in one INSERT ... SELECT (a birthday scan of many members is one statement, not a loop).
 * The members module owns these tables, so it writes the selections; automation decides who enters.
 */
export const memberMomentSources = {
  checkedOut: (ctx: TenantContext, range: { from: string; to: string; propertyId: string | null }): SQL => repo.staysCheckedOut(ctx.tenantId, range),
  arriving: (ctx: TenantContext, range: { from: string; to: string; propertyId: string | null }): SQL => repo.staysArriving(ctx.tenantId, range),
  birthdays: (ctx: TenantContext, input: { monthDays: readonly string[]; year: number }): SQL => repo.birthdays(ctx.tenantId, input),
  lastInteractedBetween: (ctx: TenantContext, range: { from: Date; to: Date }): SQL => repo.lastInteractedBetween(ctx.tenantId, range),
};

export type MomentSources = typeof memberMomentSources;
