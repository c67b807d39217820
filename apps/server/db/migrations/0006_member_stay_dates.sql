-- Each member's live stays as one date multirange: [check_in, check_out] of every stay that is not cancelled or a
-- no-show, merged. "Stayed between A and B" / "stayed within N days" (a live stay with check_in <= B and
-- check_out >= A) is then an overlap test on the member row. The segment count of bench:members went from a semi-join
-- over every stay in the window (447k of 3M) to a filter inside the members index below (figures in bench/README.md,
-- decision 0005). The stays remain the record; this column is derived from them, kept by the triggers below in the
-- same transaction as every stay write (API, import, PMS sync, merge, erasure).
-- '{}' is a member without live stays. NULL means "not summarised": a member with more than 100 live stays (a
-- frequent guest, or a house profile) keeps NULL and segments read its stays instead, because the indexes below carry
-- the column and a btree entry holds at most ~2.7 kB (about 200 separate stays).
alter table members add column stay_dates datemultirange default '{}';

create function member_stay_dates_refresh() returns trigger
language plpgsql
as $$
declare
  tenant_ids uuid[];
  member_ids uuid[];
begin
  if tg_op = 'INSERT' then
    select array_agg(k.tenant_id), array_agg(k.member_id) into tenant_ids, member_ids
    from (select distinct tenant_id, member_id from new_stays) k;
  elsif tg_op = 'DELETE' then
    select array_agg(k.tenant_id), array_agg(k.member_id) into tenant_ids, member_ids
    from (select distinct tenant_id, member_id from old_stays) k;
  else
    select array_agg(k.tenant_id), array_agg(k.member_id) into tenant_ids, member_ids
    from (select tenant_id, member_id from new_stays union select tenant_id, member_id from old_stays) k;
  end if;
  if member_ids is null then
    return null;
  end if;
  -- Lock the members first (the lock an UPDATE takes; foreign-key checks of other stay writes do not conflict with
  -- it), in one order, then recompute in a second statement: under READ COMMITTED that statement sees stays that a
  -- concurrent transaction committed while this one waited, so neither overwrites the other's stays.
  perform 1 from members m join unnest(tenant_ids, member_ids) as k(tenant_id, member_id) on m.tenant_id = k.tenant_id and m.id = k.member_id
    order by m.tenant_id, m.id for no key update of m;
  update members m
     set stay_dates = (select case when count(*) > 100 then null else coalesce(range_agg(daterange(s.check_in, s.check_out, '[]')), '{}') end
                         from member_stays s
                        where s.tenant_id = m.tenant_id and s.member_id = m.id and s.status not in ('cancelled', 'no_show'))
    from unnest(tenant_ids, member_ids) as k(tenant_id, member_id)
   where m.tenant_id = k.tenant_id and m.id = k.member_id;
  return null;
end
$$;

-- Statement-level, so an import of 10,000 stays recomputes each member once, in two statements.
create trigger member_stays_dates_insert after insert on member_stays
  referencing new table as new_stays for each statement execute function member_stay_dates_refresh();
create trigger member_stays_dates_update after update on member_stays
  referencing new table as new_stays old table as old_stays for each statement execute function member_stay_dates_refresh();
create trigger member_stays_dates_delete after delete on member_stays
  referencing old table as old_stays for each statement execute function member_stay_dates_refresh();

update members m
   set stay_dates = s.dates
  from (select tenant_id, member_id, case when count(*) > 100 then null else range_agg(daterange(check_in, check_out, '[]')) end as dates
          from member_stays
         where status not in ('cancelled', 'no_show')
         group by tenant_id, member_id) s
 where m.tenant_id = s.tenant_id and m.id = s.member_id;

-- The members indexes that audiences start from carry the stay dates, so a stay window is tested inside an
-- index-only scan (0004 explains the indexes themselves).
create index members_live_stays_idx on members (tenant_id, id) include (stay_dates) where deleted_at is null;
drop index members_live_idx;
alter index members_live_stays_idx rename to members_live_idx;
create index members_opt_in_stays_idx on members (tenant_id, marketing_opt_in, id) include (stay_dates) where deleted_at is null;
drop index members_opt_in_idx;
alter index members_opt_in_stays_idx rename to members_opt_in_idx;
-- The few members whose stays are not summarised, found at once.
create index members_unsummarised_stays_idx on members (tenant_id, id) where stay_dates is null;
