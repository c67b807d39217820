import { and, asc, eq } from 'drizzle-orm';
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
