-- The PMS page's leftovers (issue 8): one scheduler job for every hotel group's due connection, a nightly full walk,
-- and the field conflicts the sync records, listed on the page.

-- The nightly full walk: once a night (03:00 in the hotel group's time zone) a connection's run reads everything from
-- the start instead of from its cursor, so a row the incremental cursor missed (an UPD_DAT written late, a clock
-- skew beyond the overlap) comes in. last_full_at: when the last full run started (a first load counts as one).
alter table pms_connections add column last_full_at timestamptz;
update pms_connections set last_full_at = created_at;
alter table pms_sync_runs drop constraint pms_sync_runs_trigger_check;
alter table pms_sync_runs add constraint pms_sync_runs_trigger_check check (trigger in ('schedule', 'manual', 'upload', 'full'));

-- One scheduler job (decision 0010 "Scheduling"): every minute a single job claims the due connections of all hotel
-- groups (compare-and-set on next_run_at, rows other workers hold skipped) and starts their runs, each in its tenant's
-- scope. The platform role reads only what the claim needs and writes only next_run_at.
create policy platform_schedule on pms_connections to innkeeper_platform using (true) with check (true);
grant select (tenant_id, id, enabled, next_run_at, last_full_at) on pms_connections to innkeeper_platform;
grant update (next_run_at) on pms_connections to innkeeper_platform;
-- The claim looks across hotel groups: by due time alone (0021's index leads with the tenant).
create index pms_connections_due_all_idx on pms_connections (next_run_at) where enabled;

-- Field conflicts (decision 0010 "Field sync"): a contact field both sides changed; the later change won and the
-- conflict is recorded here for staff, with both values masked as the page shows them (a conflict list is no way round
-- personal_data.unmasked). Gone with the member (erasure deletes them first) and with the connection.
create table pms_field_conflicts (
  tenant_id uuid not null,
  id uuid not null,
  connection_id uuid not null,
  run_id uuid,
  member_id uuid not null,
  gcust_cod text not null constraint pms_field_conflicts_gcust_check check (length(gcust_cod) between 1 and 40),
  field text not null constraint pms_field_conflicts_field_check check (field in ('email', 'mobile', 'marketingOptIn')),
  pms_value text constraint pms_field_conflicts_pms_value_check check (length(pms_value) <= 320),
  crm_value text constraint pms_field_conflicts_crm_value_check check (length(crm_value) <= 320),
  kept text not null constraint pms_field_conflicts_kept_check check (kept in ('pms', 'crm')),
  -- When each side changed: the PMS's UPD_DAT, the member's last change.
  pms_changed_at timestamptz,
  crm_changed_at timestamptz,
  recorded_at timestamptz not null,
  constraint pms_field_conflicts_pkey primary key (tenant_id, id),
  constraint pms_field_conflicts_connection_fkey foreign key (tenant_id, connection_id) references pms_connections (tenant_id, id) on delete cascade,
  constraint pms_field_conflicts_member_fkey foreign key (tenant_id, member_id) references members (tenant_id, id) on delete cascade
);
create index pms_field_conflicts_list_idx on pms_field_conflicts (tenant_id, connection_id, recorded_at desc, id);
create index pms_field_conflicts_member_idx on pms_field_conflicts (tenant_id, member_id);

alter table pms_field_conflicts enable row level security;
create policy tenant_isolation on pms_field_conflicts to innkeeper_app using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());
grant select, insert, update, delete on pms_field_conflicts to innkeeper_app;
