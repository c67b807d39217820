-- A campaign's recipients are settled as HOT updates (bench/push). Settling a batch changes its recipients' status,
-- reason, accepted_at and updated_at; the two partial indexes on status (accepted, 0017; queued, 0027) named those
-- columns, so every settled recipient was a new row version in the heap and in each of the table's four indexes.
-- One index by guest serves what both served, the weekly cap's look-ups of a guest's pushes (accepted recently, or
-- queued), with the status read from the row: then no index names a column that settling changes, and with room
-- left on each page (fillfactor 45: a page of recipients written by the audience's INSERT keeps space for their
-- settled versions) the new versions stay on their page and no index is touched. Measured on a copy of the table with
-- 100,000 queued recipients (2026-12-06, load average 21 on 2 cores): settling 20 batches (10,000 recipients) took
-- 590–680 ms with the old indexes, every update a new index entry, and 36–54 ms with these, every update HOT. The
-- fillfactor applies to pages written from now on.
drop index campaign_recipients_accepted_idx;
drop index campaign_recipients_queued_idx;
create index campaign_recipients_member_idx on campaign_recipients (tenant_id, member_id);
alter table campaign_recipients set (fillfactor = 45);
