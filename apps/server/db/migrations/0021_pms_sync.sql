-- PMS sync (issue 8, decision 0010): a hotel group's connection to its 德安 PMS, every sync run with its figures, the
-- cursor checkpointed per page, the PMS's guest profiles and stays as last read, and the matches staff must decide.
-- Stays reach members through the members module (member_stays, source 'pms'); nothing here writes members' tables.

create table pms_connections (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  name text not null constraint pms_connections_name_check check (length(name) between 1 and 100),
  -- dean_http: docs/pms-dean-contract.md §1–8; dean_file: §9 (files dropped or uploaded).
  kind text not null constraint pms_connections_kind_check check (kind in ('dean_http', 'dean_file')),
  base_url text not null default '' constraint pms_connections_base_url_check check (length(base_url) <= 500),
  -- The X-Api-Key, encrypted like every other secret (ENCRYPTION_KEYS); the last 4 characters to recognise it.
  api_key_encrypted text,
  api_key_hint text not null default '' constraint pms_connections_api_key_hint_check check (length(api_key_hint) <= 4),
  -- X-Hotel-Cod: NULL = every property the key covers.
  hotel_cod text constraint pms_connections_hotel_cod_check check (length(hotel_cod) <= 20),
  -- HOTEL_COD → property id, for stays; a stay of an unmapped hotel goes to default_property_id, or is quarantined.
  property_map jsonb not null default '{}',
  default_property_id uuid,
  status_dialect text not null default 'KTW' constraint pms_connections_dialect_check check (status_dialect in ('KTW', 'BACCHUS')),
  schedule_minutes integer not null default 15 constraint pms_connections_schedule_check check (schedule_minutes between 5 and 1440),
  overlap_seconds integer not null default 120 constraint pms_connections_overlap_check check (overlap_seconds between 0 and 3600),
  enabled boolean not null default true,
  -- Link members whose mobile nobody verified by SMS (staff typed it): off, such matches wait for review.
  link_unverified_mobile boolean not null default false,
  -- Health: failed runs in a row, the alert shown on the PMS page, when the scheduler may start the next run.
  consecutive_failures integer not null default 0,
  alert_code text,
  alert_message text not null default '',
  alert_since timestamptz,
  next_run_at timestamptz,
  last_success_at timestamptz,
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint pms_connections_pkey primary key (tenant_id, id),
  constraint pms_connections_property_fkey foreign key (tenant_id, default_property_id) references properties (tenant_id, id)
);
create index pms_connections_due_idx on pms_connections (tenant_id, next_run_at) where enabled;

create table pms_sync_runs (
  tenant_id uuid not null,
  id uuid not null,
  connection_id uuid not null,
  trigger text not null constraint pms_sync_runs_trigger_check check (trigger in ('schedule', 'manual')),
  status text not null default 'running' constraint pms_sync_runs_status_check check (status in ('running', 'succeeded', 'failed')),
  -- Which step a running sync is at, for the progress on the PMS page.
  phase text not null default 'profiles' constraint pms_sync_runs_phase_check check (phase in ('profiles', 'stays', 'matching', 'stays_to_members', 'done')),
  started_at timestamptz not null,
  finished_at timestamptz,
  pulled_profiles integer not null default 0,
  pulled_stays integer not null default 0,
  created integer not null default 0,
  updated integer not null default 0,
  unchanged integer not null default 0,
  linked integer not null default 0,
  in_review integer not null default 0,
  unmatched integer not null default 0,
  rejected integer not null default 0,
  stays_applied integer not null default 0,
  -- Quarantined rows: the first 200 with the record's key and the reason (the count above has them all).
  rejects jsonb not null default '[]',
  errors jsonb not null default '[]',
  -- The match report of this run (coverage, matched, in review, unmatched with reasons, rate).
  report jsonb,
  cursor_before jsonb,
  cursor_after jsonb,
  requested_by uuid,
  constraint pms_sync_runs_pkey primary key (tenant_id, id),
  constraint pms_sync_runs_connection_fkey foreign key (tenant_id, connection_id) references pms_connections (tenant_id, id) on delete cascade
);
-- One run at a time per connection: a second start (two workers, "sync now" during a scheduled run) is refused here.
create unique index pms_sync_runs_running_key on pms_sync_runs (tenant_id, connection_id) where status = 'running';
create index pms_sync_runs_list_idx on pms_sync_runs (tenant_id, connection_id, started_at desc);

-- The cursor of each feed. `since` is where the next walk starts (watermark − overlap, written with the last page);
-- an unfinished walk keeps its `since` and the cursor of the last page applied, so a crash resumes after that page.
create table pms_sync_cursors (
  tenant_id uuid not null,
  connection_id uuid not null,
  stream text not null constraint pms_sync_cursors_stream_check check (stream in ('guests', 'stays')),
  since text,
  walk_active boolean not null default false,
  walk_since text,
  walk_cursor text,
  walk_watermark text,
  walk_pages integer not null default 0,
  updated_at timestamptz not null default now(),
  constraint pms_sync_cursors_pkey primary key (tenant_id, connection_id, stream),
  constraint pms_sync_cursors_connection_fkey foreign key (tenant_id, connection_id) references pms_connections (tenant_id, id) on delete cascade
);

-- A PMS guest profile as last read, normalised (the ID number only as its blind index and masked form), and the
-- member it is linked to. Several profiles of one person link to one member.
create table pms_profiles (
  tenant_id uuid not null,
  connection_id uuid not null,
  gcust_cod text not null constraint pms_profiles_gcust_check check (length(gcust_cod) between 1 and 40),
  upd_dat text not null,
  row_hash text not null,
  profile jsonb not null,
  deleted boolean not null default false,
  merged_into text,
  member_id uuid,
  link_tier text,
  link_source text constraint pms_profiles_link_source_check check (link_source in ('auto', 'staff')),
  linked_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint pms_profiles_pkey primary key (tenant_id, connection_id, gcust_cod),
  constraint pms_profiles_connection_fkey foreign key (tenant_id, connection_id) references pms_connections (tenant_id, id) on delete cascade,
  constraint pms_profiles_member_fkey foreign key (tenant_id, member_id) references members (tenant_id, id) on delete set null (member_id),
  constraint pms_profiles_link_check check ((member_id is null) = (link_source is null))
);
create index pms_profiles_member_idx on pms_profiles (tenant_id, member_id) where member_id is not null;

-- A PMS stay as last read; `applied_*` say what member_stays holds for it (NULL: not yet on a member).
create table pms_stays (
  tenant_id uuid not null,
  connection_id uuid not null,
  stay_key text not null constraint pms_stays_key_check check (length(stay_key) between 1 and 100),
  gcust_cod text not null,
  hotel_cod text,
  upd_dat text not null,
  row_hash text not null,
  check_in date not null,
  check_out date not null,
  room_cod text not null default '',
  raw_status text not null default '',
  status text not null constraint pms_stays_status_check check (status in ('reserved', 'in_house', 'checked_out', 'cancelled', 'no_show', 'unknown')),
  deleted boolean not null default false,
  applied_member_id uuid,
  applied_hash text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint pms_stays_pkey primary key (tenant_id, connection_id, stay_key),
  constraint pms_stays_connection_fkey foreign key (tenant_id, connection_id) references pms_connections (tenant_id, id) on delete cascade,
  constraint pms_stays_dates_check check (check_out >= check_in)
);
create index pms_stays_profile_idx on pms_stays (tenant_id, connection_id, gcust_cod);

-- Matches the system would not make alone (pms-matching.md): staff link the member to the profiles, or reject.
create table pms_review_cases (
  tenant_id uuid not null,
  id uuid not null,
  connection_id uuid not null,
  member_id uuid not null,
  candidates jsonb not null,
  reasons text[] not null default '{}',
  -- The member and the candidate profiles: a case staff rejected is not opened again unless the candidates change.
  fingerprint text not null,
  status text not null default 'open' constraint pms_review_cases_status_check check (status in ('open', 'linked', 'rejected', 'superseded')),
  resolved_profile_ids text[],
  resolved_by uuid,
  resolved_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint pms_review_cases_pkey primary key (tenant_id, id),
  constraint pms_review_cases_connection_fkey foreign key (tenant_id, connection_id) references pms_connections (tenant_id, id) on delete cascade,
  constraint pms_review_cases_member_fkey foreign key (tenant_id, member_id) references members (tenant_id, id) on delete cascade
);
create unique index pms_review_cases_open_key on pms_review_cases (tenant_id, connection_id, member_id) where status = 'open';
create unique index pms_review_cases_rejected_key on pms_review_cases (tenant_id, connection_id, fingerprint) where status = 'rejected';
create index pms_review_cases_list_idx on pms_review_cases (tenant_id, status, created_at desc);

-- Push-back (contract §6): CRM edits of synced fields of a linked member, one row per PMS profile, written in the
-- transaction of the edit (an outbox) and sent by a job with its stored Idempotency-Key; a read-only PMS gets them as
-- the front desk's change file instead.
create table pms_outbox (
  tenant_id uuid not null,
  id uuid not null,
  connection_id uuid not null,
  gcust_cod text not null,
  member_id uuid,
  set_columns jsonb not null,
  old_values jsonb not null default '{}',
  base_upd_dat text not null,
  idempotency_key text not null,
  origin text not null default 'staff' constraint pms_outbox_origin_check check (origin in ('staff', 'member', 'system')),
  status text not null default 'pending' constraint pms_outbox_status_check check (status in ('pending', 'applied', 'noop', 'conflict', 'change_file', 'rejected')),
  attempts integer not null default 0,
  result jsonb,
  requested_at timestamptz not null,
  sent_at timestamptz,
  constraint pms_outbox_pkey primary key (tenant_id, id),
  constraint pms_outbox_key unique (tenant_id, idempotency_key),
  constraint pms_outbox_connection_fkey foreign key (tenant_id, connection_id) references pms_connections (tenant_id, id) on delete cascade,
  constraint pms_outbox_member_fkey foreign key (tenant_id, member_id) references members (tenant_id, id) on delete set null (member_id)
);
create index pms_outbox_status_idx on pms_outbox (tenant_id, connection_id, status, requested_at);

do $$
declare t text;
begin
  foreach t in array array['pms_connections', 'pms_sync_runs', 'pms_sync_cursors', 'pms_profiles', 'pms_stays', 'pms_review_cases', 'pms_outbox'] loop
    execute format('alter table %I enable row level security', t);
    execute format('create policy tenant_isolation on %I to innkeeper_app using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant())', t);
  end loop;
end
$$;

grant select, insert, update, delete on pms_connections, pms_sync_runs, pms_sync_cursors, pms_profiles, pms_stays, pms_review_cases, pms_outbox to innkeeper_app;

-- The PMS page and its settings get their own permissions (decision 0010); every tenant's 管理員 role holds them.
update roles
   set permissions = array_cat(permissions, array(select p from unnest(array['pms.view', 'pms.manage']) as p where not (p = any (roles.permissions)))), updated_at = now()
 where builtin_key = 'administrator';
