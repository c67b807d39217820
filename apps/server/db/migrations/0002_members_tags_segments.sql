-- Members (guests), their stays, tags with provenance, the append-only interaction history, saved segments and imports.
-- Personal data: national ID / passport numbers are stored encrypted (AES-256-GCM, key id in the value) with a keyed
-- hash (blind index) for exact matching and a pre-masked form for display; never in plain text.

create extension if not exists pg_trgm;

-- Per-tenant counters (member numbers shown to guests are short and human, not UUIDs).
create table tenant_counters (
  tenant_id uuid not null references tenants (id),
  name text not null,
  value bigint not null default 0,
  constraint tenant_counters_pkey primary key (tenant_id, name)
);

create table members (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  member_no text not null,
  property_id uuid,
  last_name text not null default '' constraint members_last_name_check check (length(last_name) <= 100),
  first_name text not null default '' constraint members_first_name_check check (length(first_name) <= 100),
  gender text not null default 'unknown' constraint members_gender_check check (gender in ('female', 'male', 'other', 'unknown')),
  birthday date,
  preferred_language text not null default 'zh-TW' constraint members_language_check check (preferred_language in ('zh-TW', 'en', 'ja', 'ko', 'other')),
  email text constraint members_email_check check (email = lower(email)),
  mobile text constraint members_mobile_check check (mobile ~ '^\+[1-9][0-9]{6,14}$'),
  id_type text constraint members_id_type_check check (id_type in ('national_id', 'resident_certificate', 'passport')),
  id_number_encrypted text,
  id_number_hash text,
  id_number_masked text,
  passport_country text,
  marketing_opt_in boolean not null default false,
  opt_in_changed_at timestamptz,
  opt_in_source text not null default '',
  notes text not null default '' constraint members_notes_check check (length(notes) <= 5000),
  line_user_id text,
  line_display_name text,
  line_picture_url text,
  line_status text not null default 'never' constraint members_line_status_check check (line_status in ('following', 'blocked', 'never')),
  line_followed_at timestamptz,
  line_status_changed_at timestamptz,
  joined_at timestamptz not null default now(),
  last_interaction_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz,
  merged_into_id uuid,
  search_text text generated always as (
    lower(last_name || first_name || ' ' || first_name || ' ' || last_name || ' ' || coalesce(email, '') || ' ' ||
          coalesce(mobile, '') || ' ' || member_no || ' ' || coalesce(line_display_name, ''))
  ) stored,
  constraint members_pkey primary key (tenant_id, id),
  constraint members_member_no_key unique (tenant_id, member_no),
  constraint members_property_fkey foreign key (tenant_id, property_id) references properties (tenant_id, id),
  constraint members_id_consistency_check check ((id_number_encrypted is null) = (id_number_hash is null))
);
create unique index members_line_user_key on members (tenant_id, line_user_id) where line_user_id is not null and deleted_at is null;
create index members_id_hash_idx on members (tenant_id, id_number_hash) where id_number_hash is not null;
create index members_mobile_idx on members (tenant_id, mobile) where mobile is not null;
create index members_email_idx on members (tenant_id, email) where email is not null;
create index members_recent_idx on members (tenant_id, last_interaction_at desc nulls last, id) where deleted_at is null;
create index members_joined_idx on members (tenant_id, joined_at desc, id) where deleted_at is null;
create index members_deleted_idx on members (tenant_id, deleted_at) where deleted_at is not null;
create index members_search_idx on members using gin (search_text gin_trgm_ops);

create table member_stays (
  tenant_id uuid not null,
  id uuid not null,
  member_id uuid not null,
  property_id uuid not null,
  source text not null constraint member_stays_source_check check (source in ('import', 'api', 'pms', 'staff')),
  external_id text,
  check_in date not null,
  check_out date not null,
  nights integer generated always as (check_out - check_in) stored,
  room_type text not null default '',
  rate_code text not null default '',
  channel text not null default '',
  amount bigint constraint member_stays_amount_check check (amount >= 0),
  currency text not null default 'TWD',
  status text not null default 'stayed' constraint member_stays_status_check check (status in ('booked', 'in_house', 'stayed', 'cancelled', 'no_show')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint member_stays_pkey primary key (tenant_id, id),
  constraint member_stays_dates_check check (check_out >= check_in),
  constraint member_stays_member_fkey foreign key (tenant_id, member_id) references members (tenant_id, id) on delete cascade,
  constraint member_stays_property_fkey foreign key (tenant_id, property_id) references properties (tenant_id, id)
);
create unique index member_stays_external_key on member_stays (tenant_id, property_id, external_id) where external_id is not null;
create index member_stays_member_idx on member_stays (tenant_id, member_id, check_out desc);
create index member_stays_check_out_idx on member_stays (tenant_id, check_out, member_id);
create index member_stays_check_in_idx on member_stays (tenant_id, check_in, member_id);

create table tags (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  name text not null constraint tags_name_check check (length(name) between 1 and 50),
  kind text not null constraint tags_kind_check check (kind in ('basic', 'campaign')),
  category text not null default '' constraint tags_category_check check (length(category) <= 50),
  color text not null default 'blue' constraint tags_color_check check (color ~ '^(#[0-9a-fA-F]{6}|[a-z]+)$'),
  description text not null default '' constraint tags_description_check check (length(description) <= 500),
  validity_days integer constraint tags_validity_check check (validity_days between 1 and 3650),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint tags_pkey primary key (tenant_id, id),
  constraint tags_name_key unique (tenant_id, name)
);

-- Current assignments only; every add and remove is also written to member_interactions, which keeps the history.
create table member_tags (
  tenant_id uuid not null,
  tag_id uuid not null,
  member_id uuid not null,
  added_at timestamptz not null default now(),
  source text not null constraint member_tags_source_check check (source in ('staff', 'campaign', 'rule', 'pms', 'import', 'api', 'line')),
  source_ref text not null default '',
  source_label text not null default '',
  expires_at timestamptz,
  constraint member_tags_pkey primary key (tenant_id, tag_id, member_id),
  constraint member_tags_member_fkey foreign key (tenant_id, member_id) references members (tenant_id, id) on delete cascade,
  constraint member_tags_tag_fkey foreign key (tenant_id, tag_id) references tags (tenant_id, id) on delete cascade
);
create index member_tags_member_idx on member_tags (tenant_id, member_id);
create index member_tags_expiry_idx on member_tags (tenant_id, expires_at) where expires_at is not null;

-- Everything that happened to a member, in one append-only stream (the timeline and behaviour conditions read it).
create table member_interactions (
  tenant_id uuid not null,
  id uuid not null,
  member_id uuid not null,
  occurred_at timestamptz not null default now(),
  type text not null constraint member_interactions_type_check check (type in (
    'created', 'edited', 'deleted', 'restored', 'merged', 'imported', 'opted_in', 'opted_out', 'personal_data_viewed',
    'followed', 'unfollowed', 'blocked', 'message_received', 'message_sent', 'clicked', 'opened', 'bound',
    'tag_added', 'tag_removed', 'stay_added', 'synced')),
  actor_type text not null default 'system' constraint member_interactions_actor_check check (actor_type in ('staff', 'guest', 'system', 'campaign', 'pms', 'import', 'line', 'rule')),
  actor_ref text not null default '',
  actor_label text not null default '',
  campaign_id uuid,
  action_id text,
  tag_id uuid,
  details jsonb not null default '{}',
  constraint member_interactions_pkey primary key (tenant_id, id),
  constraint member_interactions_member_fkey foreign key (tenant_id, member_id) references members (tenant_id, id) on delete cascade
);
create index member_interactions_member_idx on member_interactions (tenant_id, member_id, occurred_at desc);
create index member_interactions_campaign_idx on member_interactions (tenant_id, campaign_id, type, member_id) where campaign_id is not null;
create index member_interactions_type_idx on member_interactions (tenant_id, type, occurred_at desc);

-- History is not rewritten: only moving it to another member (merge) is allowed; deleting comes with erasure.
create or replace function member_interactions_guard() returns trigger
language plpgsql
as $$
begin
  if (to_jsonb(new) - 'member_id') is distinct from (to_jsonb(old) - 'member_id') then
    raise exception 'member_interactions is append-only (only member_id may change, when members are merged)';
  end if;
  return new;
end
$$;
create trigger member_interactions_append_only before update on member_interactions
  for each row execute function member_interactions_guard();

create table segments (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  name text not null constraint segments_name_check check (length(name) between 1 and 100),
  description text not null default '',
  definition jsonb not null,
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint segments_pkey primary key (tenant_id, id),
  constraint segments_name_key unique (tenant_id, name)
);

create table member_imports (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  file_name text not null,
  file_format text not null constraint member_imports_format_check check (file_format in ('csv', 'xlsx')),
  file_content bytea not null,
  file_sha256 text not null,
  status text not null default 'uploaded' constraint member_imports_status_check check (status in ('uploaded', 'checked', 'queued', 'importing', 'completed', 'failed')),
  mapping jsonb,
  columns jsonb not null default '[]',
  total_rows integer not null default 0,
  valid_rows integer not null default 0,
  error_rows integer not null default 0,
  processed_rows integer not null default 0,
  created_count integer not null default 0,
  updated_count integer not null default 0,
  unchanged_count integer not null default 0,
  errors jsonb not null default '[]',
  failure text,
  created_by uuid,
  created_at timestamptz not null default now(),
  finished_at timestamptz,
  constraint member_imports_pkey primary key (tenant_id, id)
);

do $$
declare t text;
begin
  foreach t in array array['tenant_counters', 'members', 'member_stays', 'tags', 'member_tags', 'member_interactions', 'segments', 'member_imports'] loop
    execute format('alter table %I enable row level security', t);
    execute format('create policy tenant_isolation on %I to innkeeper_app using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant())', t);
  end loop;
end
$$;

grant select, insert, update on tenant_counters to innkeeper_app;
grant select, insert, update, delete on members, member_stays, tags, member_tags, segments, member_imports to innkeeper_app;
grant select, insert, update, delete on member_interactions to innkeeper_app;
