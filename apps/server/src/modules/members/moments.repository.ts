import { sql, type SQL } from 'drizzle-orm';
import { textArray } from '../../core/db/arrays.ts';
import type { TenantId } from '../../core/ids.ts';

// Selections of (member_id, occurrence_key) for the moments a time-based automation rule starts on. Each key names
// the occurrence (this stay, this year's birthday, this last interaction), so a rule can let a guest in once per one.

const live = sql`m.deleted_at is null`;

/** Stays recorded as stayed whose check-out date lies in [from, to] (calendar dates), optionally at one property. */
export function staysCheckedOut(tenantId: TenantId, range: { from: string; to: string; propertyId: string | null }): SQL {
  return sql`select s.member_id, 'stay:' || s.id::text as occurrence_key
               from member_stays s join members m on m.tenant_id = s.tenant_id and m.id = s.member_id
              where s.tenant_id = ${tenantId} and s.status = 'stayed' and s.check_out between ${range.from}::date and ${range.to}::date and ${live}
                ${range.propertyId ? sql`and s.property_id = ${range.propertyId}` : sql``}`;
}

/** Booked stays arriving in [from, to], optionally at one property; a changed arrival date is a new occurrence. */
export function staysArriving(tenantId: TenantId, range: { from: string; to: string; propertyId: string | null }): SQL {
  return sql`select s.member_id, 'arrival:' || s.id::text || ':' || s.check_in::text as occurrence_key
               from member_stays s join members m on m.tenant_id = s.tenant_id and m.id = s.member_id
              where s.tenant_id = ${tenantId} and s.status = 'booked' and s.check_in between ${range.from}::date and ${range.to}::date and ${live}
                ${range.propertyId ? sql`and s.property_id = ${range.propertyId}` : sql``}`;
}

/** Members whose birthday (month and day, 'MM-DD') is one of `monthDays`: once in `year`. */
export function birthdays(tenantId: TenantId, input: { monthDays: readonly string[]; year: number }): SQL {
  return sql`select m.id as member_id, 'birthday:' || ${String(input.year)}::text as occurrence_key
               from members m
              where m.tenant_id = ${tenantId} and m.birthday is not null and to_char(m.birthday, 'MM-DD') = any(${textArray(input.monthDays)}) and ${live}`;
}

/** Members whose last interaction fell in [from, to): once per last interaction (a new one starts a new quiet spell). */
export function lastInteractedBetween(tenantId: TenantId, range: { from: Date; to: Date }): SQL {
  return sql`select m.id as member_id, 'inactive:' || floor(extract(epoch from m.last_interaction_at))::bigint::text as occurrence_key
               from members m
              where m.tenant_id = ${tenantId} and m.last_interaction_at >= ${range.from.toISOString()}::timestamptz and m.last_interaction_at < ${range.to.toISOString()}::timestamptz and ${live}`;
}
