import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../../core/db/database.ts';
import type { TenantId } from '../../core/ids.ts';
import { properties, tenants } from './tenants.tables.ts';

export type TenantRow = typeof tenants.$inferSelect;
export type PropertyRow = typeof properties.$inferSelect;

export async function findTenant(tx: Tx, id: string): Promise<TenantRow | undefined> {
  const [row] = await tx.select().from(tenants).where(eq(tenants.id, id));
  return row;
}

/** Platform scope only. */
export async function findPlatformTenant(tx: Tx): Promise<TenantRow | undefined> {
  const [row] = await tx.select().from(tenants).where(eq(tenants.kind, 'platform'));
  return row;
}

/** Platform scope only. */
export function findAllTenants(tx: Tx): Promise<TenantRow[]> {
  return tx.select().from(tenants).orderBy(asc(tenants.createdAt));
}

/** Platform scope only. */
export async function insertTenant(tx: Tx, row: typeof tenants.$inferInsert): Promise<TenantRow> {
  const [created] = await tx.insert(tenants).values(row).returning();
  if (!created) throw new Error('insert returned no tenant');
  return created;
}

/** Platform scope only. */
export async function updateTenantStatus(tx: Tx, id: string, status: TenantRow['status']): Promise<TenantRow | undefined> {
  const [row] = await tx.update(tenants).set({ status }).where(eq(tenants.id, id)).returning();
  return row;
}

export function findProperties(tx: Tx, tenantId: TenantId): Promise<PropertyRow[]> {
  return tx.select().from(properties).where(eq(properties.tenantId, tenantId)).orderBy(asc(properties.code));
}

export async function findProperty(tx: Tx, tenantId: TenantId, id: string): Promise<PropertyRow | undefined> {
  const [row] = await tx.select().from(properties).where(and(eq(properties.tenantId, tenantId), eq(properties.id, id)));
  return row;
}

export async function insertProperty(tx: Tx, row: typeof properties.$inferInsert): Promise<PropertyRow> {
  const [created] = await tx.insert(properties).values(row).returning();
  if (!created) throw new Error('insert returned no property');
  return created;
}

export async function updateProperty(tx: Tx, tenantId: TenantId, id: string, patch: Partial<Pick<PropertyRow, 'code' | 'name' | 'address' | 'phone'>>): Promise<PropertyRow | undefined> {
  const [row] = await tx.update(properties).set(patch).where(and(eq(properties.tenantId, tenantId), eq(properties.id, id))).returning();
  return row;
}

/** Platform scope only. */
export async function findTenantBySlug(tx: Tx, slug: string): Promise<TenantRow | undefined> {
  const [row] = await tx.select().from(tenants).where(eq(tenants.slug, slug));
  return row;
}
