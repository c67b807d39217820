import { sql, type SQL } from 'drizzle-orm';
import { uuidArray } from '../../core/db/arrays.ts';
import type { TenantContext } from '../../core/context.ts';
import { findVisibleMemberIds } from './members.repository.ts';

/** The properties the caller works with, as a list or 'all' (system work and group-level accounts state 'all'). */
export function propertyScopeOf(ctx: TenantContext): readonly string[] | 'all' {
  return ctx.propertyScope.kind === 'all' ? 'all' : ctx.propertyScope.ids;
}

/**
 * THE rule of who a property-scoped account sees (docs/decisions/0006-property-scope.md), as a predicate over the
 * members table under `alias`. Every list, count, search, audience, export, log and detail uses this one predicate:
 * a member is seen when their home property is one of the account's, or they have a live stay at one of them, or
 * they belong to no property at all (no home property, no live stay: the group's LINE friends and prospects, whom
 * every property markets to through the group's channel). It reads only the member row (`stay_property_ids` is kept by
 * the stay triggers, migration 0009), so a scoped count is an index-only scan of members_scope_idx.
 */
export function visibleMembers(ctx: TenantContext, alias = 'm'): SQL {
  return membersOfProperties(propertyScopeOf(ctx), alias);
}

/**
 * The same rule for a given set of properties rather than the caller's: a property's campaign reaches the members
 * that property's staff see, whoever sends it.
 */
export function membersOfProperties(scope: readonly string[] | 'all', alias = 'm'): SQL {
  if (scope === 'all') return sql`true`;
  const m = sql.identifier(alias);
  const mine = uuidArray(scope);
  return sql`(${m}.property_id = any(${mine}) or ${m}.stay_property_ids && ${mine} or (${m}.property_id is null and ${m}.stay_property_ids = '{}'))`;
}

/** Which of these members (live or deleted) the caller may see. */
export async function visibleMemberIds(ctx: TenantContext, ids: readonly string[]): Promise<Set<string>> {
  if (propertyScopeOf(ctx) === 'all' || ids.length === 0) return new Set(ids);
  return new Set(await findVisibleMemberIds(ctx.db, ctx.tenantId, ids, visibleMembers(ctx)));
}
