import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../core/db/database.ts';
import type { TenantId } from '../../core/ids.ts';
import { lineChannels } from './line.tables.ts';

export type ChannelRow = typeof lineChannels.$inferSelect;

export function findChannels(tx: Tx, tenantId: TenantId): Promise<ChannelRow[]> {
  return tx.select().from(lineChannels).where(eq(lineChannels.tenantId, tenantId)).orderBy(asc(lineChannels.createdAt));
}

export async function findChannel(tx: Tx, tenantId: TenantId, id: string): Promise<ChannelRow | undefined> {
  const [row] = await tx.select().from(lineChannels).where(and(eq(lineChannels.tenantId, tenantId), eq(lineChannels.id, id)));
  return row;
}

/** The names of these channels (for 稽核紀錄's targets); a deleted channel is absent. */
export async function findChannelNames(tx: Tx, tenantId: TenantId, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.select({ id: lineChannels.id, name: lineChannels.name }).from(lineChannels).where(and(eq(lineChannels.tenantId, tenantId), inArray(lineChannels.id, [...ids])));
  return new Map(rows.map((row) => [row.id, row.name]));
}

export async function insertChannel(tx: Tx, row: typeof lineChannels.$inferInsert): Promise<ChannelRow> {
  const [created] = await tx.insert(lineChannels).values(row).returning();
  if (!created) throw new Error('insert returned no channel');
  return created;
}

export async function updateChannel(tx: Tx, tenantId: TenantId, id: string, patch: Partial<typeof lineChannels.$inferInsert>): Promise<ChannelRow | undefined> {
  const [row] = await tx.update(lineChannels).set({ ...patch, updatedAt: new Date() }).where(and(eq(lineChannels.tenantId, tenantId), eq(lineChannels.id, id))).returning();
  return row;
}

export async function deleteChannel(tx: Tx, tenantId: TenantId, id: string): Promise<void> {
  await tx.delete(lineChannels).where(and(eq(lineChannels.tenantId, tenantId), eq(lineChannels.id, id)));
}
