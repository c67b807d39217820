-- Incremental matching (issue 8's 5 s incremental sync; pms.match-pass.ts): a sync decides again only the members
-- around what changed, and the match report is the sum of every member's last decision.
--  pms_member_matches: a member's last decision on a connection. input_hash is the member's keys as matching reads
--    them (ID blind index, mobile and its verification, names, birthday); a different hash decides the member again.
--    claim is the person the raw decision would link (rule 4 counts claims over every member, decided now or before);
--    held the profiles linked to the member after the decision (a link staff made or undid since then is a change);
--    fingerprint its review case's (a staff rejection of it since then is a change); tally what the report counts.
--    No foreign key to members: an erased member's row is how the pass finds the profiles that member held.
--  pms_match_dirty: what changed in profiles since the connection was last matched, written with each profile write
--    (its keys before and after, 'K:'…; its code and merge targets before and after, 'C:'…), emptied by the match
--    that read it, in the same transaction. A connection never matched writes none (its first match decides all).
--  pms_match_state: the rules the connection was last matched with (pms.match-pass.ts RULES_VERSION and the
--    connection's matching options): other rules decide every member again.
create table pms_member_matches (
  tenant_id uuid not null,
  connection_id uuid not null,
  member_id uuid not null,
  input_hash text not null,
  claim text,
  held text[] not null default '{}',
  fingerprint text,
  tally jsonb not null,
  constraint pms_member_matches_pkey primary key (tenant_id, connection_id, member_id),
  constraint pms_member_matches_connection_fkey foreign key (tenant_id, connection_id) references pms_connections (tenant_id, id) on delete cascade
);
alter table pms_member_matches enable row level security;
create policy tenant_isolation on pms_member_matches to innkeeper_app using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());
grant select, insert, update, delete on pms_member_matches to innkeeper_app;

create table pms_match_dirty (
  tenant_id uuid not null,
  connection_id uuid not null,
  item text not null,
  constraint pms_match_dirty_pkey primary key (tenant_id, connection_id, item),
  constraint pms_match_dirty_connection_fkey foreign key (tenant_id, connection_id) references pms_connections (tenant_id, id) on delete cascade
);
alter table pms_match_dirty enable row level security;
create policy tenant_isolation on pms_match_dirty to innkeeper_app using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());
grant select, insert, update, delete on pms_match_dirty to innkeeper_app;

create table pms_match_state (
  tenant_id uuid not null,
  connection_id uuid not null,
  rules text not null,
  constraint pms_match_state_pkey primary key (tenant_id, connection_id),
  constraint pms_match_state_connection_fkey foreign key (tenant_id, connection_id) references pms_connections (tenant_id, id) on delete cascade
);
alter table pms_match_state enable row level security;
create policy tenant_isolation on pms_match_state to innkeeper_app using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());
grant select, insert, update, delete on pms_match_state to innkeeper_app;
