-- Campaigns (活動): what a hotel sends through LINE, to whom and when. This migration holds the authoring half: the
-- campaign with its messages (Innkeeper's own message model, validated against LINE's limits and turned into LINE
-- message objects when sent), its audience and holdout, the tags its buttons give, the images it sends, and the
-- tenant's marketing-push settings. Status changes are compare-and-set on `status` (and `version` for approval).

create table campaigns (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  name text not null constraint campaigns_name_check check (length(name) between 1 and 100),
  -- NULL: a group-wide campaign (the group's own LINE channel); otherwise one property's.
  property_id uuid,
  starts_on date,
  ends_on date,
  status text not null default 'draft' constraint campaigns_status_check check (status in ('draft', 'scheduled', 'sending', 'sent', 'paused', 'cancelled', 'failed')),
  status_reason text not null default '',
  messages jsonb not null default '[]',
  tag_ids uuid[] not null default '{}',
  audience jsonb not null default '{"kind":"all"}',
  holdout_percent integer not null default 0 constraint campaigns_holdout_check check (holdout_percent between 0 and 50),
  -- Bumped by every edit: an approval names the version it approved, so what is sent is what was reviewed.
  version integer not null default 1,
  scheduled_at timestamptz,
  approved_by uuid,
  approved_at timestamptz,
  cancelled_at timestamptz,
  created_by uuid,
  updated_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint campaigns_pkey primary key (tenant_id, id),
  constraint campaigns_property_fkey foreign key (tenant_id, property_id) references properties (tenant_id, id),
  constraint campaigns_period_check check (ends_on is null or starts_on is null or ends_on >= starts_on),
  constraint campaigns_scheduled_check check (status <> 'scheduled' or scheduled_at is not null)
);
create index campaigns_list_idx on campaigns (tenant_id, updated_at desc, id);
-- The delivery engine claims due campaigns across tenants by time.
create index campaigns_due_idx on campaigns (scheduled_at) where status = 'scheduled';

-- Images are kept in the database (PostgreSQL is the only state) and served publicly to LINE at a path with a random
-- token, so nobody can list or guess another hotel's images.
create table campaign_images (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  token text not null constraint campaign_images_token_check check (token ~ '^[A-Za-z0-9_-]{32,64}$'),
  file_name text not null default '' constraint campaign_images_file_name_check check (length(file_name) <= 200),
  content_type text not null constraint campaign_images_type_check check (content_type in ('image/jpeg', 'image/png')),
  width integer not null constraint campaign_images_width_check check (width > 0),
  height integer not null constraint campaign_images_height_check check (height > 0),
  byte_size integer not null constraint campaign_images_size_check check (byte_size between 1 and 10485760),
  data bytea not null,
  -- NULL when the original (at most 1 MB) is its own preview.
  preview_content_type text constraint campaign_images_preview_type_check check (preview_content_type in ('image/jpeg', 'image/png')),
  preview_byte_size integer constraint campaign_images_preview_size_check check (preview_byte_size between 1 and 1048576),
  preview_data bytea,
  created_by uuid,
  created_at timestamptz not null default now(),
  constraint campaign_images_pkey primary key (tenant_id, id),
  constraint campaign_images_token_key unique (tenant_id, token),
  constraint campaign_images_preview_check check ((preview_data is null) = (preview_content_type is null) and (preview_data is null) = (preview_byte_size is null))
);

-- Per tenant: at most N marketing pushes per guest per week, and quiet hours (local time) when nothing is pushed.
create table campaign_settings (
  tenant_id uuid not null references tenants (id),
  weekly_cap integer constraint campaign_settings_cap_check check (weekly_cap between 1 and 50),
  quiet_start time,
  quiet_end time,
  updated_by uuid,
  updated_at timestamptz not null default now(),
  constraint campaign_settings_pkey primary key (tenant_id),
  constraint campaign_settings_quiet_check check ((quiet_start is null) = (quiet_end is null) and (quiet_start is null or quiet_start <> quiet_end))
);

do $$
declare t text;
begin
  foreach t in array array['campaigns', 'campaign_images', 'campaign_settings'] loop
    execute format('alter table %I enable row level security', t);
    execute format('create policy tenant_isolation on %I to innkeeper_app using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant())', t);
  end loop;
end
$$;

grant select, insert, update, delete on campaigns, campaign_images, campaign_settings to innkeeper_app;
