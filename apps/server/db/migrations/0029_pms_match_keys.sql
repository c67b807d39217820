-- Matching that scales (issue 8, decision 0010): the sync finds the profiles holding a member's ID or mobile through an
-- index instead of holding every profile in memory.
--  pms_profile_keys: one row per live profile and key: 'T:<blind index>' (national ID / resident number),
--    'P:<blind index>' (passport), 'M:<E.164>' per mobile. A table rather than an array column: under row-level
--    security the planner takes only leakproof operators as index conditions, and `=` is one where `&&` is not.
--  pms_profiles.surname: the family name hubs are counted by (pms.matching.ts `profileSurname`; '' when none).
-- Rows written before this migration have a null surname and no keys; the next sync fills them before it matches.
create table pms_profile_keys (
  tenant_id uuid not null,
  connection_id uuid not null,
  key text not null,
  gcust_cod text not null,
  constraint pms_profile_keys_pkey primary key (tenant_id, connection_id, key, gcust_cod),
  constraint pms_profile_keys_profile_fkey foreign key (tenant_id, connection_id, gcust_cod)
    references pms_profiles (tenant_id, connection_id, gcust_cod) on delete cascade
);
create index pms_profile_keys_profile_idx on pms_profile_keys (tenant_id, connection_id, gcust_cod);
alter table pms_profile_keys enable row level security;
create policy tenant_isolation on pms_profile_keys to innkeeper_app using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());
grant select, insert, update, delete on pms_profile_keys to innkeeper_app;

alter table pms_profiles add column surname text;
create index pms_profiles_merged_idx on pms_profiles (tenant_id, connection_id, merged_into) where merged_into is not null;
create index pms_profiles_surname_missing_idx on pms_profiles (tenant_id, connection_id, gcust_cod) where surname is null;
