import { and, desc, eq, sql } from 'drizzle-orm';
import { textArray, uuidArray } from '../../core/db/arrays.ts';
import { queryRows, type Tx } from '../../core/db/database.ts';
import type { TenantId } from '../../core/ids.ts';
import { memberStays, type StaySource, type StayStatus } from './members.tables.ts';

export type StayRow = typeof memberStays.$inferSelect;

export async function insertStay(tx: Tx, row: typeof memberStays.$inferInsert): Promise<StayRow> {
  const [created] = await tx.insert(memberStays).values(row).returning();
  if (!created) throw new Error('insert returned no stay');
  return created;
}

export function findStays(tx: Tx, tenantId: TenantId, memberId: string): Promise<StayRow[]> {
  return tx.select().from(memberStays).where(and(eq(memberStays.tenantId, tenantId), eq(memberStays.memberId, memberId))).orderBy(desc(memberStays.checkIn));
}

export async function moveStays(tx: Tx, tenantId: TenantId, fromMemberId: string, toMemberId: string): Promise<number> {
  const rows = await tx.update(memberStays).set({ memberId: toMemberId }).where(and(eq(memberStays.tenantId, tenantId), eq(memberStays.memberId, fromMemberId))).returning({ id: memberStays.id });
  return rows.length;
}

/** A stay as an importer (or a later PMS sync) names it: property + reservation number (external id). Dates as text. */
export type ExternalStay = {
  id: string;
  memberId: string;
  propertyId: string;
  externalId: string;
  checkIn: string;
  checkOut: string;
  roomType: string;
  rateCode: string;
  channel: string;
  amount: number | null;
  currency: string;
  status: StayStatus;
  adults: number | null;
  children: number | null;
};

/** The stays already on file under these property + external id pairs, in one query. */
export async function findStaysByExternalIds(tx: Tx, tenantId: TenantId, keys: ReadonlyArray<{ propertyId: string; externalId: string }>): Promise<ExternalStay[]> {
  if (keys.length === 0) return [];
  const rows = await queryRows<{ id: string; member_id: string; property_id: string; external_id: string; check_in: string | Date; check_out: string | Date; room_type: string; rate_code: string; channel: string; amount: string | number | null; currency: string; status: StayStatus; adults: number | null; children: number | null }>(
    tx,
    sql`select s.id, s.member_id, s.property_id, s.external_id, s.check_in::text as check_in, s.check_out::text as check_out, s.room_type, s.rate_code,
               s.channel, s.amount, s.currency, s.status, s.adults, s.children
        from member_stays s
        join unnest(${uuidArray(keys.map((k) => k.propertyId))}, ${textArray(keys.map((k) => k.externalId))}) as k(property_id, external_id)
          on s.property_id = k.property_id and s.external_id = k.external_id
        where s.tenant_id = ${tenantId}`,
  );
  return rows.map((s) => ({
    id: s.id,
    memberId: s.member_id,
    propertyId: s.property_id,
    externalId: s.external_id,
    checkIn: String(s.check_in),
    checkOut: String(s.check_out),
    roomType: s.room_type,
    rateCode: s.rate_code,
    channel: s.channel,
    amount: s.amount === null ? null : Number(s.amount),
    currency: s.currency,
    status: s.status,
    adults: s.adults,
    children: s.children,
  }));
}

/**
 * Inserts or updates stays identified by property + external id, all in one statement (a JSON record set: one
 * parameter however many rows). An existing stay is written only if something differs, so imports, the API and a later
 * PMS sync converge on the same row. Returns the rows written, and whether each was new.
 */
export function upsertStays(tx: Tx, tenantId: TenantId, stays: readonly ExternalStay[], source: StaySource, at: Date) {
  const records = stays.map((stay) => ({
    id: stay.id,
    member_id: stay.memberId,
    property_id: stay.propertyId,
    external_id: stay.externalId,
    check_in: stay.checkIn,
    check_out: stay.checkOut,
    room_type: stay.roomType,
    rate_code: stay.rateCode,
    channel: stay.channel,
    amount: stay.amount,
    currency: stay.currency,
    status: stay.status,
    adults: stay.adults,
    children: stay.children,
  }));
  const now = at.toISOString();
  return queryRows<{ id: string; member_id: string; inserted: boolean }>(
    tx,
    sql`insert into member_stays (tenant_id, id, member_id, property_id, source, external_id, check_in, check_out, room_type, rate_code, channel, amount, currency, status,
                                 adults, children, created_at, updated_at)
        select ${tenantId}, r.id, r.member_id, r.property_id, ${source}, r.external_id, r.check_in, r.check_out, r.room_type, r.rate_code, r.channel, r.amount, r.currency, r.status,
               r.adults, r.children, ${now}::timestamptz, ${now}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(
          id uuid, member_id uuid, property_id uuid, external_id text, check_in date, check_out date, room_type text, rate_code text, channel text,
          amount bigint, currency text, status text, adults smallint, children smallint)
        on conflict (tenant_id, property_id, external_id) where external_id is not null do update set
          member_id = excluded.member_id, check_in = excluded.check_in, check_out = excluded.check_out, room_type = excluded.room_type,
          rate_code = excluded.rate_code, channel = excluded.channel, amount = excluded.amount, currency = excluded.currency,
          status = excluded.status, adults = excluded.adults, children = excluded.children, updated_at = excluded.updated_at
        where (member_stays.member_id, member_stays.check_in, member_stays.check_out, member_stays.room_type, member_stays.rate_code,
               member_stays.channel, member_stays.amount, member_stays.currency, member_stays.status, member_stays.adults, member_stays.children)
          is distinct from (excluded.member_id, excluded.check_in, excluded.check_out, excluded.room_type, excluded.rate_code,
               excluded.channel, excluded.amount, excluded.currency, excluded.status, excluded.adults, excluded.children)
        returning id, member_id, (xmax = 0) as inserted`,
  );
}
