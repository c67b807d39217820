-- A campaign never hangs on a lost job. Each batch says when its job last showed life (queued, or an attempt made):
-- a batch still 'queued' of a sending campaign, quiet for longer than a bound and with no job left in the queue (it
-- expired on its last retry, a handler kept crashing, the queue's rows were lost), is queued again by a sweep with its
-- stored retry key, so whatever LINE already accepted under that key is not sent twice. `requeues` counts the sweeps
-- of a batch: one lost again and again is failed with the reason instead of being queued for ever.
alter table campaign_batches add column touched_at timestamptz not null default now();
alter table campaign_batches add column requeues integer not null default 0;

-- The sweep reads the quiet queued batches of a tenant.
create index campaign_batches_queued_idx on campaign_batches (tenant_id, touched_at) where status = 'queued';
