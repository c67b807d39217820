import { sql, type SQL } from 'drizzle-orm';
import { intArray, textArray, uuidArray } from '../../core/db/arrays.ts';
import type { TenantId } from '../../core/ids.ts';
import type { Condition, Group } from './segment-definition.ts';

/**
 * Turns a segment definition into one SQL predicate over `members m`. Every condition on related rows is an
 * EXISTS (or a correlated count) that leads with the tenant and member keys, so PostgreSQL can answer each with the
 * (tenant_id, …) indexes as semi-joins; a plain stay window reads the member's derived stay dates instead.
 * Read-only over members, member_tags, member_stays and member_interactions.
 */
export type CompileContext = { tenantId: TenantId; today: string; now: Date; timezone: string };

const LIVE_STAY = sql`s.status not in ('cancelled', 'no_show')`;
const INTERACTION_TYPES = { clicked: 'clicked', received: 'message_sent', opened: 'opened', message_received: 'message_received', followed: 'followed', blocked: 'blocked' } as const;

export function compileGroup(group: Group, ctx: CompileContext): SQL {
  if (group.conditions.length === 0) return group.negate ? sql`false` : sql`true`;
  const parts = group.conditions.map((c) => (c.type === 'group' ? compileGroup(c, ctx) : compileCondition(c, ctx)));
  const joined = sql.join(parts.map((p) => sql`(${p})`), group.op === 'and' ? sql` and ` : sql` or `);
  return group.negate ? sql`not (${joined})` : joined;
}

function daysAgo(ctx: CompileContext, days: number): SQL {
  return sql`(${ctx.today}::date - ${days}::int)`;
}

function startOfDay(ctx: CompileContext, date: string): SQL {
  return sql`(${date}::date::timestamp at time zone ${ctx.timezone})`;
}

function endOfDay(ctx: CompileContext, date: string): SQL {
  return sql`((${date}::date + 1)::timestamp at time zone ${ctx.timezone})`;
}

function timeWindow(column: SQL, ctx: CompileContext, window: { from?: string | undefined; to?: string | undefined; withinDays?: number | undefined }): SQL[] {
  const parts: SQL[] = [];
  if (window.from) parts.push(sql`${column} >= ${startOfDay(ctx, window.from)}`);
  if (window.to) parts.push(sql`${column} < ${endOfDay(ctx, window.to)}`);
  if (window.withinDays !== undefined) parts.push(sql`${column} >= ${startOfDay(ctx, ctx.today)} - make_interval(days => ${window.withinDays}::int)`);
  return parts;
}

function all(parts: SQL[]): SQL {
  return parts.length === 0 ? sql`true` : sql.join(parts.map((p) => sql`(${p})`), sql` and `);
}

function stayFilters(c: { propertyIds?: string[] | undefined }): SQL[] {
  return c.propertyIds ? [sql`s.property_id = any(${uuidArray(c.propertyIds)})`] : [];
}

type StaysCondition = Extract<Condition, { type: 'stays' }>;

/** A stay window and nothing else (no property, room, rate, channel, nights, party or count): the member row can answer it. */
function isDateWindowOnly(c: StaysCondition): boolean {
  return !c.propertyIds && !c.roomTypes && !c.rateCodes && !c.channels && !c.minNights && !c.children && c.minCount <= 1;
}

/** The party filter of a stays condition: children counted (at least N), recorded as none, or not recorded at all. */
function childrenFilter(c: StaysCondition): SQL[] {
  // `children > 0` as literal SQL: it is the predicate of the partial index member_stays_with_children_idx (migration
  // 0036), which the planner can use only when the query states it (a bound $n proves nothing in a generic plan).
  if (c.children === 'with') return [sql`s.children > 0`, ...(c.minChildren && c.minChildren > 1 ? [sql`s.children >= ${c.minChildren}::int`] : [])];
  if (c.children === 'without') return [sql`s.children = 0`];
  if (c.children === 'unrecorded') return [sql`s.children is null`];
  return [];
}

/**
 * "Has a live stay with check_in <= hi and check_out >= lo" is an overlap with the member's stay dates (the merged
 * [check_in, check_out] of its live stays, kept by triggers on member_stays: migration 0006): the same members as the
 * EXISTS over member_stays, read from the member row (the members indexes carry it) instead of every stay in range.
 * Not when lo > hi: that asks for one stay spanning [hi, lo], and merged ranges no longer tell single stays apart.
 */
function stayWindow(c: StaysCondition, ctx: CompileContext): { lo: string | null; hi: string | null } | undefined {
  const lows = [c.from, c.withinDays !== undefined ? shiftDate(ctx.today, -c.withinDays) : undefined].filter((d): d is string => d !== undefined);
  const highs = [c.to, c.withinDays !== undefined ? ctx.today : undefined].filter((d): d is string => d !== undefined);
  const lo = lows.length > 0 ? lows.reduce((a, b) => (a > b ? a : b)) : null;
  const hi = highs.length > 0 ? highs.reduce((a, b) => (a < b ? a : b)) : null;
  return lo !== null && hi !== null && lo > hi ? undefined : { lo, hi };
}

/** `YYYY-MM-DD` plus `days` (calendar arithmetic in UTC, where a date has no time zone to shift it). */
function shiftDate(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function staysExist(filters: SQL[]): SQL {
  return sql`exists (select 1 from member_stays s where s.tenant_id = m.tenant_id and s.member_id = m.id and ${all(filters)})`;
}

export function compileCondition(c: Condition, ctx: CompileContext): SQL {
  switch (c.type) {
    case 'tag': {
      const filters = [
        sql`(mt.expires_at is null or mt.expires_at > ${ctx.now.toISOString()}::timestamptz)`,
        ...timeWindow(sql`mt.added_at`, ctx, { from: c.addedFrom, to: c.addedTo, withinDays: c.addedWithinDays }),
        ...(c.sources ? [sql`mt.source = any(${textArray(c.sources)})`] : []),
      ];
      const exists = sql`exists (select 1 from member_tags mt where mt.tenant_id = m.tenant_id and mt.tag_id = ${c.tagId} and mt.member_id = m.id and ${all(filters)})`;
      return c.has ? exists : sql`not ${exists}`;
    }
    case 'gender':
      return sql`m.gender = any(${textArray(c.values)})`;
    case 'language':
      return sql`m.preferred_language = any(${textArray(c.values)})`;
    case 'home_property':
      return sql`m.property_id = any(${uuidArray(c.propertyIds)})`;
    case 'consent':
      return sql`m.marketing_opt_in = ${c.optedIn}`;
    case 'line_status':
      return sql`m.line_status = any(${textArray(c.values)})`;
    case 'has_field': {
      const column = { email: sql`m.email`, mobile: sql`m.mobile`, identity: sql`m.id_number_hash`, birthday: sql`m.birthday`, line: sql`m.line_user_id` }[c.field];
      return c.present ? sql`${column} is not null` : sql`${column} is null`;
    }
    case 'birthday_month':
      return sql`extract(month from m.birthday)::int = any(${intArray(c.months)})`;
    case 'joined':
      return all(timeWindow(sql`m.joined_at`, ctx, c));
    case 'last_interaction':
      return all(timeWindow(sql`m.last_interaction_at`, ctx, c));
    case 'no_interaction':
      return sql`(m.last_interaction_at is null or m.last_interaction_at < ${startOfDay(ctx, ctx.today)} - make_interval(days => ${c.days}::int))`;
    case 'stays': {
      const window = isDateWindowOnly(c) ? stayWindow(c, ctx) : undefined;
      if (window) {
        // The && operator, called by its function's name: under row-level security the planner may use a column's
        // statistics only with leakproof operators, and guesses 0.5 % for a non-leakproof && (35 % in bench:members),
        // which turns a tag's join into 200k index probes; a boolean function call gets its generic one third instead.
        // Members whose stays are not summarised (NULL: over 100 of them) are answered from their stays by one
        // uncorrelated, hashed subquery (a correlated one would make the whole statement serial).
        const [lo, hi] = [sql`${window.lo}::date`, sql`${window.hi}::date`];
        const unsummarised = sql`select s.member_id from member_stays s
          where s.tenant_id = ${ctx.tenantId} and s.member_id in (select u.id from members u where u.tenant_id = ${ctx.tenantId} and u.stay_dates is null)
            and ${LIVE_STAY} and (${lo} is null or s.check_out >= ${lo}) and (${hi} is null or s.check_in <= ${hi})`;
        return sql`coalesce(multirange_overlaps_range(m.stay_dates, daterange(${lo}, ${hi}, '[]')), m.id in (${unsummarised}))`;
      }
      const filters = [LIVE_STAY, ...stayFilters(c)];
      if (c.from) filters.push(sql`s.check_out >= ${c.from}::date`);
      if (c.to) filters.push(sql`s.check_in <= ${c.to}::date`);
      if (c.withinDays !== undefined) filters.push(sql`s.check_out >= ${daysAgo(ctx, c.withinDays)}`, sql`s.check_in <= ${ctx.today}::date`);
      if (c.roomTypes) filters.push(sql`s.room_type = any(${textArray(c.roomTypes)})`);
      if (c.rateCodes) filters.push(sql`s.rate_code = any(${textArray(c.rateCodes)})`);
      if (c.channels) filters.push(sql`s.channel = any(${textArray(c.channels)})`);
      if (c.minNights) filters.push(sql`s.nights >= ${c.minNights}`);
      filters.push(...childrenFilter(c));
      if (c.minCount <= 1) return staysExist(filters);
      return sql`(select count(*) from member_stays s where s.tenant_id = m.tenant_id and s.member_id = m.id and ${all(filters)}) >= ${c.minCount}`;
    }
    case 'total_nights': {
      const filters = [sql`s.status in ('stayed', 'in_house')`];
      if (c.withinDays !== undefined) filters.push(sql`s.check_out >= ${daysAgo(ctx, c.withinDays)}`);
      return sql`(select coalesce(sum(s.nights), 0) from member_stays s where s.tenant_id = m.tenant_id and s.member_id = m.id and ${all(filters)}) >= ${c.min}`;
    }
    case 'last_check_out':
      return staysExist([sql`s.status in ('stayed', 'in_house')`, ...stayFilters(c), sql`s.check_out between ${daysAgo(ctx, c.withinDays)} and ${ctx.today}::date`]);
    case 'arriving':
      return staysExist([sql`s.status = 'booked'`, ...stayFilters(c), sql`s.check_in between ${ctx.today}::date and (${ctx.today}::date + ${c.withinDays}::int)`]);
    case 'in_house':
      return staysExist([LIVE_STAY, ...stayFilters(c), sql`s.check_in <= ${ctx.today}::date`, sql`s.check_out > ${ctx.today}::date`]);
    case 'interaction': {
      const filters = [sql`i.type = ${INTERACTION_TYPES[c.kind]}`];
      if (c.campaignId) filters.push(sql`i.campaign_id = ${c.campaignId}`);
      if (c.actionId) filters.push(sql`i.action_id = ${c.actionId}`);
      filters.push(...timeWindow(sql`i.occurred_at`, ctx, { withinDays: c.withinDays }));
      return sql`exists (select 1 from member_interactions i where i.tenant_id = m.tenant_id and i.member_id = m.id and ${all(filters)})`;
    }
  }
}
