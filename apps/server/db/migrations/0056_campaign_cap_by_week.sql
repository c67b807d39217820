-- The weekly cap of an audience chunk and the estimate's count read the week's pushes from the week's batches, not
-- from every recipient row the tenant ever had (bench/push/cap.ts, issue 11: since 0055 every row stays 'queued', and
-- the cap looked up the batch of each). Only batches still queued or accepted within the week count: the queued ones
-- are found by campaign_batches_queued_idx (0018), the accepted ones by time here (a tenant's batches of years).
create index campaign_batches_accepted_idx on campaign_batches (tenant_id, settled_at) where status = 'accepted';
-- Recipients settled on their own (the releases before 0055 settled each row) count by their own time: a partial index
-- that holds only those rows, so finding them does not read the tenant's every recipient. Rows written since are never
-- 'accepted' themselves and are not in it.
create index campaign_recipients_accepted_idx on campaign_recipients (tenant_id, accepted_at) where status = 'accepted';
