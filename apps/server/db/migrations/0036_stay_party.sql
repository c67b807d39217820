-- The party of a stay: adults and children in the room (issue 11's 家庭旅遊 scenario, issue 8's PMS data). 德安 keeps
-- them per reservation line in ORDER_DT (ADULT_QNT, CHILD_QNT); the sync reads them with the stay (contract §5) and
-- stages them in pms_stays, then puts them on member_stays. NULL is "not recorded": staff-entered stays, imports and
-- PMS rows without counts. Nullable columns without a default: adding them rewrites no row.
-- At most 99 of each (contract §5: a larger value is a typo and the sync sets the row aside); the checks hold every
-- other writer (API, import) to the same bound.
alter table member_stays add column adults smallint constraint member_stays_adults_check check (adults between 0 and 99);
alter table member_stays add column children smallint constraint member_stays_children_check check (children between 0 and 99);
alter table pms_stays add column adults smallint;
alter table pms_stays add column children smallint;
-- "Stayed with children" (segments, 家庭旅遊推播) over a hotel group's whole base: the stays with children, in the
-- layout of the check-out window scans, and only those (about a third of stays). Without it a count reads every stay
-- of the tenant (a parallel sequential scan); with it an index-only scan: at 100k members / 300k stays in bench:members
-- 1,025 buffers instead of 7,679 and a serial plan (bench/README.md). Empty when built: no stay has a party before the
-- first sync after this migration.
create index member_stays_with_children_idx on member_stays (tenant_id, check_out, member_id) include (check_in, status) where children > 0;
