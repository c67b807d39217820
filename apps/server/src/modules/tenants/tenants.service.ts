import type { RequestContext, TenantContext } from '../../core/context.ts';
import type { Database, Tx } from '../../core/db/database.ts';
import { AppError, withUniqueErrors } from '../../core/errors.ts';
import { asTenantId, newId, type TenantId } from '../../core/ids.ts';
import { recordAudit } from '../audit/index.ts';
import * as repo from './tenants.repository.ts';
import type { PropertyRow, TenantRow } from './tenants.repository.ts';

export type { PropertyRow, TenantRow };
export type PropertyInput = { code: string; name: string; address?: string | undefined; phone?: string | undefined };

export async function getCurrentTenant(ctx: TenantContext): Promise<TenantRow> {
  const tenant = await repo.findTenant(ctx.db, ctx.tenantId);
  if (!tenant) throw new AppError('tenant.not_found');
  return tenant;
}

/** Properties the account may work with: all of them, or those it is limited to. */
export async function listProperties(ctx: RequestContext): Promise<PropertyRow[]> {
  const all = await repo.findProperties(ctx.db, ctx.tenantId);
  const scope = ctx.propertyScope;
  return scope.kind === 'all' ? all : all.filter((p) => scope.ids.includes(p.id));
}

export function listAllProperties(ctx: TenantContext): Promise<PropertyRow[]> {
  return repo.findProperties(ctx.db, ctx.tenantId);
}

const PROPERTY_CODE_TAKEN = { properties_code_key: () => new AppError('property.code_taken', { field: 'code' }) };

export async function createProperty(ctx: TenantContext, input: PropertyInput): Promise<PropertyRow> {
  const property = await withUniqueErrors(
    () => repo.insertProperty(ctx.db, { tenantId: ctx.tenantId, id: newId(), code: input.code, name: input.name, address: input.address ?? '', phone: input.phone ?? '' }),
    PROPERTY_CODE_TAKEN,
  );
  await recordAudit(ctx, { action: 'property.created', targetType: 'property', targetId: property.id, details: { code: property.code, name: property.name } });
  return property;
}

export async function updateProperty(ctx: TenantContext, id: string, input: Partial<PropertyInput>): Promise<PropertyRow> {
  const before = await repo.findProperty(ctx.db, ctx.tenantId, id);
  if (!before) throw new AppError('property.not_found');
  // Nothing to change ({}: every field is optional): an UPDATE with no columns is an error in the query builder.
  if (Object.values(input).every((value) => value === undefined)) return before;
  const after = await withUniqueErrors(() => repo.updateProperty(ctx.db, ctx.tenantId, id, input), PROPERTY_CODE_TAKEN);
  if (!after) throw new AppError('property.not_found');
  await recordAudit(ctx, { action: 'property.updated', targetType: 'property', targetId: id, details: { before: pick(before, input), after: pick(after, input) } });
  return after;
}

export async function assertPropertiesExist(ctx: TenantContext, ids: readonly string[]): Promise<void> {
  const known = new Set((await repo.findProperties(ctx.db, ctx.tenantId)).map((p) => p.id));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length > 0) throw new AppError('property.not_found', { ids: missing });
}

// Platform scope: the caller's transaction must have entered the platform scope.

export function listTenantsInPlatformScope(tx: Tx): Promise<TenantRow[]> {
  return repo.findAllTenants(tx);
}

export function findPlatformTenantInPlatformScope(tx: Tx): Promise<TenantRow | undefined> {
  return repo.findPlatformTenant(tx);
}

export function findTenantInPlatformScope(tx: Tx, id: string): Promise<TenantRow | undefined> {
  return repo.findTenant(tx, id);
}

export function findTenantBySlugInPlatformScope(tx: Tx, slug: string): Promise<TenantRow | undefined> {
  return repo.findTenantBySlug(tx, slug);
}

export async function createTenantInPlatformScope(tx: Tx, input: { kind?: 'hotel' | 'platform'; name: string; slug: string; timezone?: string }): Promise<TenantRow> {
  return withUniqueErrors(() => repo.insertTenant(tx, { id: newId(), kind: input.kind ?? 'hotel', name: input.name, slug: input.slug, timezone: input.timezone ?? 'Asia/Taipei' }), {
    tenants_slug_key: () => new AppError('tenant.slug_taken', { field: 'slug' }),
  });
}

export async function setTenantStatusInPlatformScope(tx: Tx, id: string, status: TenantRow['status']): Promise<TenantRow> {
  const row = await repo.updateTenantStatus(tx, id, status);
  if (!row) throw new AppError('tenant.not_found');
  return row;
}

function pick(row: PropertyRow, keys: Partial<PropertyInput>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(keys).map((k) => [k, row[k as keyof PropertyRow]]));
}

/** Runs `task` once per active tenant, each in its own tenant-scoped transaction (maintenance jobs). */
export async function forEachTenant(db: Database, task: (tx: Tx, tenantId: TenantId) => Promise<void>): Promise<number> {
  const tenants = await db.withPlatform((tx) => repo.findAllTenants(tx));
  let done = 0;
  for (const tenant of tenants.filter((t) => t.status === 'active')) {
    const tenantId = asTenantId(tenant.id);
    await db.withTenant(tenantId, (tx) => task(tx, tenantId));
    done += 1;
  }
  return done;
}
