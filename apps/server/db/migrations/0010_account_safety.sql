-- Invariants that were enforced by read-then-write, and sign-in throttling per source address (decision 0006).

-- 1. One live member per identity document and tenant. The application checked before inserting, so two requests
-- at once could both pass. Existing live duplicates (only such a race could make them) are not changed or hidden:
-- every holder but the oldest is marked id_number_conflict, which keeps them out of the index until staff merge or
-- correct them; a new or edited document always clears the mark and is checked again.
alter table members add column id_number_conflict boolean not null default false;

update members m
   set id_number_conflict = true
 where m.deleted_at is null
   and m.id_number_hash is not null
   and exists (
     select 1 from members o
      where o.tenant_id = m.tenant_id
        and o.id_number_hash = m.id_number_hash
        and o.deleted_at is null
        and (o.created_at, o.id) < (m.created_at, m.id)
   );

create unique index members_id_number_key on members (tenant_id, id_number_hash)
  where id_number_hash is not null and deleted_at is null and not id_number_conflict;

-- 2. Failed passwords per account and source address: a stranger who knows a staff e-mail locks only their own
-- address out. accounts.failed_logins becomes the slower account-wide count, within a window ending at
-- failed_logins_window_ends_at.
create table login_failures (
  tenant_id uuid not null,
  account_id uuid not null,
  source text not null,
  failures integer not null,
  locked_until timestamptz,
  last_failed_at timestamptz not null,
  primary key (tenant_id, account_id, source)
);
create index login_failures_stale_idx on login_failures (last_failed_at);

alter table accounts add column failed_logins_window_ends_at timestamptz;

alter table login_failures enable row level security;
create policy tenant_isolation on login_failures to innkeeper_app using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());
grant select, insert, update, delete on login_failures to innkeeper_app;
