-- LINE Official Account integration: channels, the webhook inbox, guests binding themselves through LIFF
-- (one-time SMS codes, the staff review queue) and the member-area settings.

create table line_channels (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  property_id uuid,
  name text not null constraint line_channels_name_check check (length(name) between 1 and 100),
  channel_id text not null constraint line_channels_channel_id_check check (channel_id ~ '^[0-9]{6,20}$'),
  channel_secret_encrypted text not null,
  access_token_encrypted text not null,
  login_channel_id text constraint line_channels_login_channel_id_check check (login_channel_id ~ '^[0-9]{6,20}$'),
  liff_id text constraint line_channels_liff_id_check check (liff_id ~ '^[0-9]{6,20}-[A-Za-z0-9]{4,20}$'),
  bot_user_id text,
  bot_basic_id text,
  bot_display_name text,
  bot_picture_url text,
  status text not null default 'unverified' constraint line_channels_status_check check (status in ('unverified', 'verified', 'failed')),
  verified_at timestamptz,
  last_error text,
  welcome_message text not null default '',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint line_channels_pkey primary key (tenant_id, id),
  constraint line_channels_channel_key unique (tenant_id, channel_id),
  constraint line_channels_property_fkey foreign key (tenant_id, property_id) references properties (tenant_id, id)
);
-- One channel per property, and at most one tenant-wide channel.
create unique index line_channels_property_key on line_channels (tenant_id, coalesce(property_id, '00000000-0000-0000-0000-000000000000'::uuid));

-- Every webhook event, stored before it is processed; webhookEventId makes redeliveries no-ops.
create table line_webhook_inbox (
  tenant_id uuid not null,
  id uuid not null,
  channel_id uuid not null,
  webhook_event_id text not null,
  event_type text not null,
  line_user_id text,
  occurred_at timestamptz not null,
  payload jsonb not null,
  is_redelivery boolean not null default false,
  status text not null default 'pending' constraint line_webhook_inbox_status_check check (status in ('pending', 'processed', 'ignored', 'failed')),
  attempts integer not null default 0,
  last_error text,
  received_at timestamptz not null default now(),
  processed_at timestamptz,
  constraint line_webhook_inbox_pkey primary key (tenant_id, id),
  constraint line_webhook_inbox_event_key unique (tenant_id, webhook_event_id),
  constraint line_webhook_inbox_channel_fkey foreign key (tenant_id, channel_id) references line_channels (tenant_id, id) on delete cascade
);
create index line_webhook_inbox_pending_idx on line_webhook_inbox (tenant_id, received_at) where status = 'pending';

-- What the guest-facing member area shows and asks (seed 001 基本設定): one row per tenant.
create table member_portal_settings (
  tenant_id uuid not null references tenants (id),
  settings jsonb not null,
  updated_at timestamptz not null default now(),
  constraint member_portal_settings_pkey primary key (tenant_id)
);

create table member_portal_buttons (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  label text not null constraint member_portal_buttons_label_check check (length(label) between 1 and 20),
  image_url text not null default '',
  link_url text not null constraint member_portal_buttons_link_check check (link_url ~ '^https?://'),
  sort_order integer not null default 0,
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  constraint member_portal_buttons_pkey primary key (tenant_id, id)
);

-- One-time SMS codes that confirm the mobile number a guest binds with.
create table binding_codes (
  tenant_id uuid not null,
  id uuid not null,
  line_user_id text not null,
  mobile text not null,
  code_hash text not null,
  attempts integer not null default 0,
  expires_at timestamptz not null,
  consumed_at timestamptz,
  created_at timestamptz not null default now(),
  constraint binding_codes_pkey primary key (tenant_id, id)
);
create index binding_codes_user_idx on binding_codes (tenant_id, line_user_id, created_at desc);

-- SMS kept in the database instead of sent (demo and tests), like captured_mail: shown on the demo mailbox page.
create table captured_sms (
  id uuid primary key,
  to_mobile text not null,
  body text not null,
  created_at timestamptz not null default now()
);
alter table captured_sms enable row level security;
create policy platform_access on captured_sms to innkeeper_platform using (true) with check (true);
grant select, insert, delete on captured_sms to innkeeper_platform;

-- Bindings the system would not decide alone (several members match, or the data conflicts): staff decide.
create table binding_reviews (
  tenant_id uuid not null,
  id uuid not null,
  channel_id uuid not null,
  line_user_id text not null,
  line_display_name text not null default '',
  -- What the guest entered: masked for the review list, encrypted in full for the reviewer's decision.
  submitted_masked jsonb not null,
  submitted_encrypted text not null,
  candidate_member_ids uuid[] not null default '{}',
  reason text not null constraint binding_reviews_reason_check check (reason in ('ambiguous', 'conflict')),
  status text not null default 'open' constraint binding_reviews_status_check check (status in ('open', 'linked', 'created', 'dismissed')),
  resolved_member_id uuid,
  resolved_by uuid,
  resolved_at timestamptz,
  created_at timestamptz not null default now(),
  constraint binding_reviews_pkey primary key (tenant_id, id)
);
create index binding_reviews_open_idx on binding_reviews (tenant_id, created_at desc) where status = 'open';

do $$
declare t text;
begin
  foreach t in array array['line_channels', 'line_webhook_inbox', 'member_portal_settings', 'member_portal_buttons', 'binding_codes', 'binding_reviews'] loop
    execute format('alter table %I enable row level security', t);
    execute format('create policy tenant_isolation on %I to innkeeper_app using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant())', t);
  end loop;
end
$$;

grant select, insert, update, delete on line_channels, line_webhook_inbox, member_portal_settings, member_portal_buttons, binding_codes, binding_reviews to innkeeper_app;
