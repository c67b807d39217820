-- The stays to put on members are noted, not looked for (issue 8's full sync under 60 s, bench/README.md): the step
-- after matching walked every stay of the connection joined to its profile to find the few whose member_stays row was
-- missing or out of date (3 s with none to find at 300,000 stays, 15 s of a first load).
--
-- stays_pending on a profile: some stay of it may need putting on (or moving to) its member. It is set
--  * with every link change, by the trigger below, in the same row version as the new member: whatever writes the link
--    (matching, a staff review, a member merge) cannot forget it, and no reader sees the link without the mark;
--  * by the stays walk, on the linked profiles of the stays it wrote (pms.repository.ts markStaysPending: a statement
--    on the profile rows themselves, so a link committed meanwhile is seen when the row is re-checked);
-- and cleared by the step that applied the profile's stays, in their transaction (pms.sync.ts applyStaysToMembers),
-- the profile row locked while it reads them. A profile with a stay set aside (hotel not mapped, status unknown)
-- stays marked: its stays are tried again on the next run, as before.
-- Profiles not linked are never marked by the walk: their stays wait for a link, which marks them.
alter table pms_profiles add column stays_pending boolean not null default false;
create index pms_profiles_stays_pending_idx on pms_profiles (tenant_id, connection_id, gcust_cod) where stays_pending;

create function pms_profiles_mark_stays_pending() returns trigger
language plpgsql
as $$
begin
  new.stays_pending := true;
  return new;
end
$$;

create trigger pms_profiles_link_marks_stays before update of member_id on pms_profiles
  for each row when (new.member_id is not null and new.member_id is distinct from old.member_id) execute function pms_profiles_mark_stays_pending();
create trigger pms_profiles_insert_linked_marks_stays before insert on pms_profiles
  for each row when (new.member_id is not null) execute function pms_profiles_mark_stays_pending();

-- What the old search would have found now: those profiles start marked.
update pms_profiles p set stays_pending = true
 where p.member_id is not null
   and exists (select 1 from pms_stays s
                where s.tenant_id = p.tenant_id and s.connection_id = p.connection_id and s.gcust_cod = p.gcust_cod
                  and (s.applied_member_id is distinct from p.member_id or s.applied_hash is distinct from s.row_hash));

-- The same for the fields step before it (pms.repository.ts findProfilesForFields): the linked profiles whose values
-- were not yet put on their member are found through this index (its predicate is the query's), not by reading every
-- profile of the connection in key order (every run, however few were linked or changed).
create index pms_profiles_fields_pending_idx on pms_profiles (tenant_id, connection_id, gcust_cod)
  where member_id is not null and (fields_member_id is distinct from member_id or fields_hash is distinct from row_hash);
