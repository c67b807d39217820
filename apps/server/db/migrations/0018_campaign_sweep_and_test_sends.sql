-- A campaign never hangs on a lost job. Each batch says when its job last showed life (queued, or an attempt made):
-- a batch still 'queued' of a sending campaign, quiet for longer than a bound and with no job left in the queue (it
-- expired on its last retry, a handler kept crashing, the queue's rows were lost), is queued again by a sweep with its
-- stored retry key, so whatever LINE already accepted under that key is not sent twice. `requeues` counts the sweeps
-- of a batch: one lost again and again is failed with the reason instead of being queued for ever.
alter table campaign_batches add column touched_at timestamptz not null default now();
alter table campaign_batches add column requeues integer not null default 0;

-- The sweep reads the quiet queued batches of a tenant.
create index campaign_batches_queued_idx on campaign_batches (tenant_id, touched_at) where status = 'queued';

-- Test sends (測試發送) reach chosen guests without the approval a send needs (campaigns.edit is enough) and without
-- asking for marketing consent (they are the staff's own test accounts). So that they cannot become a way round the
-- approval, 10 guests at a time, a campaign's test sends reach at most 10 distinct guests in all; sending again to the
-- same ones after an edit is free. One row per guest a campaign's test sends reached.
create table campaign_test_recipients (
  tenant_id uuid not null references tenants (id),
  campaign_id uuid not null,
  member_id uuid not null,
  sends integer not null default 1,
  last_sent_at timestamptz not null,
  constraint campaign_test_recipients_pkey primary key (tenant_id, campaign_id, member_id),
  constraint campaign_test_recipients_campaign_fkey foreign key (tenant_id, campaign_id) references campaigns (tenant_id, id) on delete cascade
);

alter table campaign_test_recipients enable row level security;
create policy tenant_isolation on campaign_test_recipients to innkeeper_app using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());
grant select, insert, update, delete on campaign_test_recipients to innkeeper_app;
