-- PMS file transport (docs/pms-dean-contract.md §9): 德安 export files dropped in a connection's folder under the
-- operator's PMS_DROP_ROOT, or uploaded on the PMS page. Every file is recorded with its SHA-256 before it is applied,
-- so a file is never applied twice (a re-dropped file is recorded as a duplicate and not applied), and the row it has
-- reached is checkpointed with each batch, so a run that dies mid-file resumes there.

-- The connection's drop folder: one folder name directly under PMS_DROP_ROOT (no path, no nesting), one connection each.
alter table pms_connections add column drop_dir text constraint pms_connections_drop_dir_check check (drop_dir ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$');
create unique index pms_connections_drop_dir_key on pms_connections (lower(drop_dir)) where drop_dir is not null;

-- A run started by an upload applies files only (it does not call the PMS).
alter table pms_sync_runs drop constraint pms_sync_runs_trigger_check;
alter table pms_sync_runs add constraint pms_sync_runs_trigger_check check (trigger in ('schedule', 'manual', 'upload'));

create table pms_files (
  tenant_id uuid not null,
  id uuid not null,
  connection_id uuid not null,
  -- The run that applied it (or found it a duplicate); NULL while it waits for one.
  run_id uuid,
  name text not null constraint pms_files_name_check check (length(name) between 1 and 255),
  source text not null constraint pms_files_source_check check (source in ('drop', 'upload')),
  -- dean: 德安's columns (contract §9); generic: any PMS's export, applied through a column mapping staff chose.
  layout text not null default 'dean' constraint pms_files_layout_check check (layout in ('dean', 'generic')),
  -- For a generic file: Innkeeper field → the file's column, as applied.
  mapping jsonb,
  -- guests: GHIST_MN columns (contract §4.3); stays: GUEST_MN columns (§5); NULL for a file that could not be read.
  feed text constraint pms_files_feed_check check (feed in ('guests', 'stays')),
  format text constraint pms_files_format_check check (format in ('csv', 'xlsx')),
  encoding text,
  sha256 text not null,
  size_bytes integer not null,
  status text not null default 'pending' constraint pms_files_status_check check (status in ('mapping', 'pending', 'applied', 'duplicate', 'rejected')),
  -- mapping: a generic file uploaded, waiting for staff to map its columns (and try a dry run) before it is applied.
  -- The file itself while it waits or is being applied; dropped once applied (its rows are in pms_profiles/pms_stays).
  content bytea,
  rows_total integer not null default 0,
  -- Rows applied so far: the checkpoint a resumed run starts after.
  rows_done integer not null default 0,
  rejected integer not null default 0,
  -- Why a whole file was refused (unreadable, wrong columns), or which file it duplicates.
  reason text,
  duplicate_of uuid,
  uploaded_by uuid,
  received_at timestamptz not null,
  finished_at timestamptz,
  archived_at timestamptz,
  constraint pms_files_pkey primary key (tenant_id, id),
  constraint pms_files_connection_fkey foreign key (tenant_id, connection_id) references pms_connections (tenant_id, id) on delete cascade
);
-- Never read twice: one file per content per connection (duplicates are recorded beside it, not applied).
create unique index pms_files_sha_key on pms_files (tenant_id, connection_id, sha256) where status <> 'duplicate';
create index pms_files_pending_idx on pms_files (tenant_id, connection_id, received_at) where status = 'pending';
create index pms_files_list_idx on pms_files (tenant_id, connection_id, received_at desc);

alter table pms_files enable row level security;
create policy tenant_isolation on pms_files to innkeeper_app using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());
grant select, insert, update, delete on pms_files to innkeeper_app;

-- Column mappings of generic files, saved per connection under a name (reusable, editable).
create table pms_column_mappings (
  tenant_id uuid not null,
  id uuid not null,
  connection_id uuid not null,
  name text not null constraint pms_column_mappings_name_check check (length(name) between 1 and 100),
  mapping jsonb not null,
  created_by uuid,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  constraint pms_column_mappings_pkey primary key (tenant_id, id),
  constraint pms_column_mappings_connection_fkey foreign key (tenant_id, connection_id) references pms_connections (tenant_id, id) on delete cascade
);
create unique index pms_column_mappings_name_key on pms_column_mappings (tenant_id, connection_id, lower(name));

alter table pms_column_mappings enable row level security;
create policy tenant_isolation on pms_column_mappings to innkeeper_app using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());
grant select, insert, update, delete on pms_column_mappings to innkeeper_app;
