import { and, count, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { CampaignStatus } from '@innkeeper/contracts';
import type { CampaignStatusParams } from '@innkeeper/contracts/api';
import { queryRows, type Tx } from '../../core/db/database.ts';
import type { TenantId } from '../../core/ids.ts';
import { campaignImages, campaigns, campaignSettings, type ImageType, type PausedSpan, type StatusReasonCode } from './campaigns.tables.ts';

export type CampaignRow = typeof campaigns.$inferSelect;
export type CampaignImageRow = typeof campaignImages.$inferSelect;

/** Campaigns of these properties and group-wide ones ('all': every campaign). */
function inScope(scope: readonly string[] | 'all'): SQL | undefined {
  if (scope === 'all') return undefined;
  return or(isNull(campaigns.propertyId), inArray(campaigns.propertyId, [...scope]));
}

/** One page of campaigns, newest change first (the id breaks ties, so pages never overlap or skip one). */
export function findCampaigns(tx: Tx, tenantId: TenantId, scope: readonly string[] | 'all', status: CampaignStatus | undefined, page: { limit: number; offset: number }): Promise<CampaignRow[]> {
  return tx
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.tenantId, tenantId), inScope(scope), status ? eq(campaigns.status, status) : undefined))
    .orderBy(desc(campaigns.updatedAt), desc(campaigns.id))
    .limit(page.limit)
    .offset(page.offset);
}

/** How many campaigns of the scope are in each status (the list's filter shows them; the page total is one of them). */
export async function countCampaignsByStatus(tx: Tx, tenantId: TenantId, scope: readonly string[] | 'all'): Promise<Map<CampaignStatus, number>> {
  const rows = await tx
    .select({ status: campaigns.status, n: count() })
    .from(campaigns)
    .where(and(eq(campaigns.tenantId, tenantId), inScope(scope)))
    .groupBy(campaigns.status);
  return new Map(rows.map((r) => [r.status as CampaignStatus, Number(r.n)]));
}

export async function findCampaign(tx: Tx, tenantId: TenantId, id: string, scope: readonly string[] | 'all'): Promise<CampaignRow | undefined> {
  const [row] = await tx.select().from(campaigns).where(and(eq(campaigns.tenantId, tenantId), eq(campaigns.id, id), inScope(scope)));
  return row;
}

export async function insertCampaign(tx: Tx, row: typeof campaigns.$inferInsert): Promise<CampaignRow> {
  const [created] = await tx.insert(campaigns).values(row).returning();
  if (!created) throw new Error('insert returned no campaign');
  return created;
}

/**
 * Changes a draft: compare-and-set on the status (and on the version the editor started from, when given), so an
 * edit that races an approval changes nothing rather than what was approved. Undefined when the row did not match.
 */
export async function updateDraft(tx: Tx, tenantId: TenantId, id: string, patch: Partial<typeof campaigns.$inferInsert>, expectedVersion: number | undefined, now: Date): Promise<CampaignRow | undefined> {
  const [row] = await tx
    .update(campaigns)
    .set({ ...patch, version: sql`${campaigns.version} + 1`, updatedAt: now })
    .where(and(eq(campaigns.tenantId, tenantId), eq(campaigns.id, id), eq(campaigns.status, 'draft'), expectedVersion === undefined ? undefined : eq(campaigns.version, expectedVersion)))
    .returning();
  return row;
}

/**
 * A resumed campaign's reason and its parameters, as SQL over the row being updated: none, unless its audience was cut
 * short while it was written (then that, with the code, as before it was paused).
 */
export const resumeReason = {
  statusReason: sql<StatusReasonCode>`case when audience_cut_short is null then '' else 'audience_unavailable' end`,
  statusParams: sql<CampaignStatusParams>`case when audience_cut_short is null then '{}'::jsonb else jsonb_build_object('code', audience_cut_short) end`,
};

/**
 * One status transition as a single compare-and-set UPDATE: it changes the row only if its status is one of `from`
 * (and its version is `version`, for an approval), so of two requests at once exactly one wins; the other matches no
 * row. Undefined when nothing matched.
 */
export async function transition(
  tx: Tx,
  tenantId: TenantId,
  id: string,
  change: { from: readonly CampaignStatus[]; to: CampaignStatus; version?: number; set?: PgUpdateSetSource<typeof campaigns> },
  now: Date,
): Promise<CampaignRow | undefined> {
  const [row] = await tx
    .update(campaigns)
    .set({ ...change.set, status: change.to, updatedAt: now, ...pausedSpansChange(change, now) })
    .where(and(eq(campaigns.tenantId, tenantId), eq(campaigns.id, id), inArray(campaigns.status, [...change.from]), change.version === undefined ? undefined : eq(campaigns.version, change.version)))
    .returning();
  return row;
}

/**
 * A pause opens a span in paused_spans (migration 0060) and leaving the pause (resumed, cancelled) closes it, in the
 * clock's time, so a finished send's rate can leave the paused time out. The SET sees the row as it was. Only a span
 * still open is closed: a pause that opened none (a process of the release before 0060, or a status set by hand) must
 * not move the end of an earlier, closed one (attack review).
 */
/**
 * The most pause spans a campaign keeps (campaigns review: paused and resumed thousands of times, by staff or by LINE's
 * refusals, the column grew without end and was read with every progress). At the bound, a new pause first merges the
 * two oldest spans into one of their summed length that ends where the second ended: the paused time, all send-rate.ts
 * needs, is kept, and the merged span lies within the two (spans still do not overlap). Only its clipping to the first
 * and last accepted batch can differ, by at most the first span's length, and only when the oldest spans lie across
 * the first accepted batch: a finished rate a little off after a hundred pauses, rather than a row growing for ever.
 */
export const MAX_PAUSED_SPANS = 100;

function pausedSpansChange(change: { from: readonly CampaignStatus[]; to: CampaignStatus }, now: Date): { pausedSpans?: SQL<PausedSpan[]> } {
  const at = now.toISOString();
  if (change.to === 'paused') {
    const spans = campaigns.pausedSpans;
    const end = (i: 0 | 1) => sql`coalesce((${spans} -> ${sql.raw(String(i))} ->> 'to')::timestamptz, (${spans} -> ${sql.raw(String(i))} ->> 'from')::timestamptz)`;
    const length = (i: 0 | 1) => sql`(${end(i)} - (${spans} -> ${sql.raw(String(i))} ->> 'from')::timestamptz)`;
    const merged = sql`jsonb_build_array(jsonb_build_object('from', to_char((${end(1)} - ${length(0)} - ${length(1)}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'to', to_char(${end(1)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))) || (${spans} - 0 - 0)`;
    return {
      pausedSpans: sql`(case when jsonb_array_length(${spans}) >= ${MAX_PAUSED_SPANS}::int then ${merged} else ${spans} end)
                       || jsonb_build_array(jsonb_build_object('from', ${at}::text, 'to', null))`,
    };
  }
  if (!change.from.includes('paused')) return {};
  return {
    pausedSpans: sql`case when ${campaigns.status} = 'paused' and jsonb_array_length(${campaigns.pausedSpans}) > 0 and ${campaigns.pausedSpans} -> -1 -> 'to' = 'null'::jsonb
                          then jsonb_set(${campaigns.pausedSpans}, array[(jsonb_array_length(${campaigns.pausedSpans}) - 1)::text, 'to'], to_jsonb(${at}::text))
                          else ${campaigns.pausedSpans} end`,
  };
}

export async function deleteDraft(tx: Tx, tenantId: TenantId, id: string): Promise<boolean> {
  const rows = await tx.delete(campaigns).where(and(eq(campaigns.tenantId, tenantId), eq(campaigns.id, id), eq(campaigns.status, 'draft'))).returning({ id: campaigns.id });
  return rows.length > 0;
}

/** Campaigns whose tags, buttons or audience conditions name the tag (a tag's usage, shown before it is deleted). */
export function findCampaignsUsingTag(tx: Tx, tenantId: TenantId, tagId: string) {
  return tx
    .select({ id: campaigns.id, name: campaigns.name, status: campaigns.status })
    .from(campaigns)
    .where(
      and(
        eq(campaigns.tenantId, tenantId),
        or(
          sql`${tagId}::uuid = any(${campaigns.tagIds})`,
          sql`jsonb_path_exists(${campaigns.messages}, '$.** ? (@.tagIds[*] == $tag)', jsonb_build_object('tag', ${tagId}::text))`,
          sql`jsonb_path_exists(${campaigns.audience}, '$.** ? (@ == $tag)', jsonb_build_object('tag', ${tagId}::text))`,
        ),
      ),
    );
}

export async function findCampaignNames(tx: Tx, tenantId: TenantId, ids: readonly string[], scope: readonly string[] | 'all'): Promise<Map<string, string>> {
  const rows = await tx.select({ id: campaigns.id, name: campaigns.name }).from(campaigns).where(and(eq(campaigns.tenantId, tenantId), inArray(campaigns.id, [...ids]), inScope(scope)));
  return new Map(rows.map((r) => [r.id, r.name]));
}

// Images ---------------------------------------------------------------------------------------------------------------

export type NewImage = {
  tenantId: TenantId;
  id: string;
  token: string;
  fileName: string;
  contentType: ImageType;
  width: number;
  height: number;
  data: Buffer;
  preview: { contentType: ImageType; data: Buffer } | undefined;
  createdBy: string | null;
};

export async function insertImage(tx: Tx, image: NewImage): Promise<void> {
  await tx.execute(sql`
    insert into campaign_images (tenant_id, id, token, file_name, content_type, width, height, byte_size, data, preview_content_type, preview_byte_size, preview_data, created_by)
    values (${image.tenantId}, ${image.id}, ${image.token}, ${image.fileName}, ${image.contentType}, ${image.width}, ${image.height}, ${image.data.length}, ${image.data},
            ${image.preview?.contentType ?? null}, ${image.preview?.data.length ?? null}, ${image.preview?.data ?? null}, ${image.createdBy})`);
}

export function findImages(tx: Tx, tenantId: TenantId, ids: readonly string[]): Promise<CampaignImageRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return tx.select().from(campaignImages).where(and(eq(campaignImages.tenantId, tenantId), inArray(campaignImages.id, [...ids])));
}

/** An image's bytes by its public token; the preview falls back to the original when it is its own preview. */
export async function findImageBytes(tx: Tx, tenantId: TenantId, token: string, variant: 'original' | 'preview'): Promise<{ contentType: ImageType; data: Buffer } | undefined> {
  const [row] = await queryRows<{ content_type: ImageType; data: Uint8Array }>(
    tx,
    variant === 'original'
      ? sql`select content_type, data from campaign_images where tenant_id = ${tenantId} and token = ${token}`
      : sql`select coalesce(preview_content_type, content_type) as content_type, coalesce(preview_data, data) as data from campaign_images where tenant_id = ${tenantId} and token = ${token}`,
  );
  if (!row) return undefined;
  const bytes = row.data;
  return { contentType: row.content_type, data: Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

// Settings -------------------------------------------------------------------------------------------------------------

export type SettingsRow = typeof campaignSettings.$inferSelect;

export async function findSettings(tx: Tx, tenantId: TenantId): Promise<SettingsRow | undefined> {
  const [row] = await tx.select().from(campaignSettings).where(eq(campaignSettings.tenantId, tenantId));
  return row;
}

export async function saveSettings(tx: Tx, row: typeof campaignSettings.$inferInsert): Promise<SettingsRow> {
  const { tenantId: _tenant, ...changes } = row;
  const [saved] = await tx.insert(campaignSettings).values(row).onConflictDoUpdate({ target: campaignSettings.tenantId, set: changes }).returning();
  if (!saved) throw new Error('settings upsert returned nothing');
  return saved;
}

