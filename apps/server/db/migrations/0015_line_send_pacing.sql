-- The pace of sends to LINE per channel and endpoint, shared by every worker process (LINE's rate limits are per
-- channel, not per process). One row per channel and endpoint holds the next free slot (a GCRA's theoretical arrival
-- time): a sender reserves its slot with one upsert on the row, so processes never hand out the same slot twice.
create table line_send_pacing (
  tenant_id uuid not null,
  channel_id uuid not null,
  endpoint text not null constraint line_send_pacing_endpoint_check check (endpoint in ('push', 'multicast')),
  next_slot_at timestamptz not null,
  constraint line_send_pacing_pkey primary key (tenant_id, channel_id, endpoint),
  constraint line_send_pacing_channel_fkey foreign key (tenant_id, channel_id) references line_channels (tenant_id, id) on delete cascade
);

alter table line_send_pacing enable row level security;
create policy tenant_isolation on line_send_pacing to innkeeper_app using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());
grant select, insert, update, delete on line_send_pacing to innkeeper_app;
