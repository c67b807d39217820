-- Member import and export (modules/member-transfer): what the importer needs beyond 0002's member_imports, and the
-- outcome of every row of an import (the dry run's "what would happen", then what did happen), which the row list and
-- the downloadable error report read. Row outcomes hold masked values only, never personal data in clear.

alter table member_imports
  add column kind text not null default 'members' constraint member_imports_kind_check check (kind in ('members', 'stays')),
  add column file_encoding text not null default '',
  add column file_size integer not null default 0,
  -- The property ids the uploading account may work with (NULL: all), applied by the background job too.
  add column property_scope jsonb,
  add column planned_create integer not null default 0,
  add column planned_update integer not null default 0,
  add column planned_unchanged integer not null default 0,
  add column checked_at timestamptz,
  add column started_at timestamptz;

-- 'checking': a large file's dry run runs as a background job.
alter table member_imports drop constraint member_imports_status_check;
alter table member_imports add constraint member_imports_status_check
  check (status in ('uploaded', 'checking', 'checked', 'queued', 'importing', 'completed', 'failed'));

create index member_imports_recent_idx on member_imports (tenant_id, created_at desc, id);
create index member_imports_sha_idx on member_imports (tenant_id, file_sha256);

create table member_import_rows (
  tenant_id uuid not null,
  import_id uuid not null,
  -- The row number as the spreadsheet shows it (the header is usually row 1).
  row_number integer not null,
  action text not null constraint member_import_rows_action_check check (action in ('create', 'update', 'unchanged', 'error')),
  member_id uuid,
  member_no text,
  -- Names of the fields that change (never their values).
  fields text[] not null default '{}',
  -- [{ field, column, code, value (masked), params }]
  errors jsonb not null default '[]',
  constraint member_import_rows_pkey primary key (tenant_id, import_id, row_number),
  constraint member_import_rows_import_fkey foreign key (tenant_id, import_id) references member_imports (tenant_id, id) on delete cascade
);
create index member_import_rows_action_idx on member_import_rows (tenant_id, import_id, action, row_number);

alter table member_import_rows enable row level security;
create policy tenant_isolation on member_import_rows to innkeeper_app
  using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());
grant select, insert, update, delete on member_import_rows to innkeeper_app;
