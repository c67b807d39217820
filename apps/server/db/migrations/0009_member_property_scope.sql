-- Who a property-scoped account sees (decision 0006): members whose home property is one of its properties, members
-- with a live stay at one of them, and members who belong to no property at all (the group's own LINE friends and
-- prospects). "A live stay at one of them" is read from the member row, like the stay dates (decision 0005): the
-- properties of a member's live stays (not cancelled, not a no-show), kept by the same statement-level triggers on
-- member_stays in the same transaction as every stay write. The member list and the segment count then test the rule
-- on the member row instead of probing the stays of every member.
alter table members add column stay_property_ids uuid[] not null default '{}';

create or replace function member_stay_dates_refresh() returns trigger
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
     set (stay_dates, stay_property_ids) =
         (select case when count(*) > 100 then null else coalesce(range_agg(daterange(s.check_in, s.check_out, '[]')), '{}') end,
                 coalesce(array_agg(distinct s.property_id), '{}')
            from member_stays s
           where s.tenant_id = m.tenant_id and s.member_id = m.id and s.status not in ('cancelled', 'no_show'))
    from unnest(tenant_ids, member_ids) as k(tenant_id, member_id)
   where m.tenant_id = k.tenant_id and m.id = k.member_id;
  return null;
end
$$;

update members m
   set stay_property_ids = s.property_ids
  from (select tenant_id, member_id, array_agg(distinct property_id) as property_ids
          from member_stays
         where status not in ('cancelled', 'no_show')
         group by tenant_id, member_id) s
 where m.tenant_id = s.tenant_id and m.id = s.member_id;

-- Under row-level security the planner uses only leakproof operators as index conditions; `&&` on arrays is not one,
-- and an OR is looked up through indexes only when every part is, so no index can look the scope up. Instead, counts and audiences of a
-- property-scoped account read this index alone (an index-only scan, the rule tested on each entry), as group-level
-- ones read members_live_idx; the sorted member list walks its sort index and tests the rule on the rows it reads.
create index members_scope_idx on members (tenant_id, id) include (property_id, stay_property_ids, stay_dates) where deleted_at is null;
