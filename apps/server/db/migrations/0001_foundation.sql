-- Foundation: tenants, properties, roles, staff accounts, sessions, one-time tokens, audit log.
--
-- Tenant isolation is enforced by PostgreSQL row-level security. The application never reads tenant data as the
-- table owner: every transaction switches to `innkeeper_app` with `app.tenant_id` set for that transaction, or to
-- `innkeeper_platform` for the few cross-tenant paths (tenant directory, login directory, throttling, captured mail).
-- Every tenant-owned table keeps tenant_id first in its primary and foreign keys (Citus-ready, see docs/architecture.md).

do $$
begin
  begin create role innkeeper_app nologin; exception when duplicate_object or unique_violation then null; end;
  begin create role innkeeper_platform nologin; exception when duplicate_object or unique_violation then null; end;
end
$$;

-- The connecting (owning) user must be able to SET ROLE to both.
grant innkeeper_app to current_user;
grant innkeeper_platform to current_user;
grant usage on schema public to innkeeper_app, innkeeper_platform;

create or replace function app_current_tenant() returns uuid
language sql stable
as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;

-- Tenants: one per hotel group, plus exactly one platform tenant for the SaaS operator's own accounts.
create table tenants (
  id uuid primary key,
  kind text not null default 'hotel' constraint tenants_kind_check check (kind in ('hotel', 'platform')),
  name text not null constraint tenants_name_check check (length(name) between 1 and 200),
  slug text not null constraint tenants_slug_key unique constraint tenants_slug_check check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  timezone text not null default 'Asia/Taipei',
  default_locale text not null default 'zh-TW' constraint tenants_locale_check check (default_locale in ('zh-TW', 'en')),
  status text not null default 'active' constraint tenants_status_check check (status in ('active', 'suspended')),
  created_at timestamptz not null default now()
);
create unique index tenants_one_platform on tenants (kind) where kind = 'platform';

create table properties (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  code text not null constraint properties_code_check check (code ~ '^[A-Za-z0-9_-]{1,32}$'),
  name text not null constraint properties_name_check check (length(name) between 1 and 200),
  address text not null default '',
  phone text not null default '',
  created_at timestamptz not null default now(),
  constraint properties_pkey primary key (tenant_id, id),
  constraint properties_code_key unique (tenant_id, code)
);

create table roles (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  builtin_key text constraint roles_builtin_key_check check (builtin_key in ('customer_service', 'marketing', 'management', 'administrator', 'operator')),
  name text not null constraint roles_name_check check (length(name) between 1 and 100),
  description text not null default '',
  permissions text[] not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint roles_pkey primary key (tenant_id, id),
  constraint roles_name_key unique (tenant_id, name),
  constraint roles_builtin_key_key unique (tenant_id, builtin_key)
);

create table accounts (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  email text not null constraint accounts_email_check check (email = lower(email) and length(email) between 3 and 254),
  display_name text not null constraint accounts_display_name_check check (length(display_name) between 1 and 100),
  password_hash text,
  role_id uuid not null,
  all_properties boolean not null default true,
  status text not null default 'active' constraint accounts_status_check check (status in ('active', 'disabled')),
  locale text not null default 'zh-TW' constraint accounts_locale_check check (locale in ('zh-TW', 'en')),
  totp_secret_encrypted text,
  totp_enabled_at timestamptz,
  failed_logins integer not null default 0,
  locked_until timestamptz,
  password_changed_at timestamptz,
  last_login_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint accounts_pkey primary key (tenant_id, id),
  constraint accounts_email_key unique (tenant_id, email),
  constraint accounts_role_fkey foreign key (tenant_id, role_id) references roles (tenant_id, id)
);

create table account_properties (
  tenant_id uuid not null,
  account_id uuid not null,
  property_id uuid not null,
  constraint account_properties_pkey primary key (tenant_id, account_id, property_id),
  constraint account_properties_account_fkey foreign key (tenant_id, account_id) references accounts (tenant_id, id) on delete cascade,
  constraint account_properties_property_fkey foreign key (tenant_id, property_id) references properties (tenant_id, id) on delete cascade
);

-- Email addresses are unique across tenants so one login form serves everyone; this is the only cross-tenant lookup.
create table login_directory (
  email text primary key,
  tenant_id uuid not null,
  account_id uuid not null,
  constraint login_directory_account_fkey foreign key (tenant_id, account_id) references accounts (tenant_id, id) on delete cascade
);

create table recovery_codes (
  tenant_id uuid not null,
  account_id uuid not null,
  code_hash text not null,
  used_at timestamptz,
  created_at timestamptz not null default now(),
  constraint recovery_codes_pkey primary key (tenant_id, account_id, code_hash),
  constraint recovery_codes_account_fkey foreign key (tenant_id, account_id) references accounts (tenant_id, id) on delete cascade
);

-- Server-side sessions. The cookie carries `<tenant id>.<secret>`; only sha256(secret) is stored.
create table sessions (
  tenant_id uuid not null,
  id text not null,
  account_id uuid not null,
  stage text not null constraint sessions_stage_check check (stage in ('second_factor', 'active')),
  csrf_token text not null,
  second_factor_attempts integer not null default 0,
  ip text not null default '',
  user_agent text not null default '',
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  constraint sessions_pkey primary key (tenant_id, id),
  constraint sessions_account_fkey foreign key (tenant_id, account_id) references accounts (tenant_id, id) on delete cascade
);
create index sessions_account_idx on sessions (tenant_id, account_id);

-- Email login codes, password-reset and invitation links. Only hashes are stored.
create table auth_tokens (
  tenant_id uuid not null,
  id uuid not null,
  account_id uuid not null,
  purpose text not null constraint auth_tokens_purpose_check check (purpose in ('login_code', 'password_reset', 'invitation')),
  token_hash text not null,
  session_id text,
  attempts integer not null default 0,
  expires_at timestamptz not null,
  consumed_at timestamptz,
  created_at timestamptz not null default now(),
  constraint auth_tokens_pkey primary key (tenant_id, id),
  constraint auth_tokens_account_fkey foreign key (tenant_id, account_id) references accounts (tenant_id, id) on delete cascade
);
create index auth_tokens_hash_idx on auth_tokens (tenant_id, token_hash);

-- Append-only audit trail: the app role may insert and read, nobody may change or delete.
create table audit_log (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  occurred_at timestamptz not null default now(),
  actor_account_id uuid,
  actor_email text not null default '',
  action text not null,
  target_type text not null default '',
  target_id text not null default '',
  ip text not null default '',
  request_id text not null default '',
  details jsonb not null default '{}',
  constraint audit_log_pkey primary key (tenant_id, id)
);
create index audit_log_time_idx on audit_log (tenant_id, occurred_at desc);
create index audit_log_action_idx on audit_log (tenant_id, action, occurred_at desc);

create or replace function audit_log_is_append_only() returns trigger
language plpgsql
as $$ begin raise exception 'audit_log is append-only'; end $$;
create trigger audit_log_append_only before update or delete on audit_log
  for each row execute function audit_log_is_append_only();

-- Throttling buckets (fixed windows), shared by every process through the database.
create table rate_limits (
  key text primary key,
  hits integer not null,
  window_ends_at timestamptz not null
);

-- Mail captured when no SMTP server is configured (the demo), so a newcomer can read login codes in the app.
create table captured_mail (
  id uuid primary key,
  to_address text not null,
  subject text not null,
  text_body text not null,
  created_at timestamptz not null default now()
);

-- Row-level security: tenant tables see only the transaction's tenant.
do $$
declare t text;
begin
  foreach t in array array['properties', 'roles', 'accounts', 'account_properties', 'recovery_codes', 'sessions', 'auth_tokens', 'audit_log'] loop
    execute format('alter table %I enable row level security', t);
    execute format('create policy tenant_isolation on %I to innkeeper_app using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant())', t);
  end loop;
end
$$;

alter table tenants enable row level security;
create policy tenant_isolation on tenants to innkeeper_app using (id = app_current_tenant());
create policy platform_access on tenants to innkeeper_platform using (true) with check (true);

alter table login_directory enable row level security;
create policy platform_access on login_directory to innkeeper_platform using (true) with check (true);
-- A tenant may maintain the directory entries of its own accounts (create, rename, delete sub-accounts).
create policy tenant_isolation on login_directory to innkeeper_app using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());

alter table rate_limits enable row level security;
create policy platform_access on rate_limits to innkeeper_platform using (true) with check (true);

alter table captured_mail enable row level security;
create policy platform_access on captured_mail to innkeeper_platform using (true) with check (true);

grant select on tenants to innkeeper_app;
grant select, insert, update on tenants to innkeeper_platform;
grant select, insert, update, delete on properties, roles, accounts, account_properties, recovery_codes, sessions, auth_tokens, login_directory to innkeeper_app;
grant select, insert on audit_log to innkeeper_app;
grant select, insert, update, delete on login_directory, rate_limits to innkeeper_platform;
grant select, insert, delete on captured_mail to innkeeper_platform;
