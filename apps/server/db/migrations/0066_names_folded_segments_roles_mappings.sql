-- Segments', roles' and saved PMS column mappings' names are unique in their hotel (a mapping's in its connection) as
-- tags' and automation rules' have been since 0064: compared as lower(normalize(name, NFKC)), so 「VIP 常客」,
-- 「vip 常客」 and 「ＶＩＰ 常客」 are one name (attack review 2026-12-08: segments and roles compared exact names,
-- mappings lower(name) only, and staff read them by name in the same lists, pickers and audit log). The names are kept
-- as staff typed them (cleaned by the app as before, ZCleanName); only the comparison folds. Nothing refers to these
-- rows by name (campaign audiences, accounts and imports name them by id), so a rename below breaks nothing.
--
-- As in 0064: names that are then the same keep the oldest one's name (created first, then by id); each later one
-- becomes 「名稱（2）」, 「名稱（3）」… with the first number no row of its hotel (connection) has under the folding,
-- shortened to the 100 characters the names allow, probed through a temporary index on the folded name. The same data
-- always gives the same names, whatever the database's collation (the groups are taken in the bytes' order, collate
-- "C": two groups of 100-character names can compete for one shortened candidate, and which is first decides it;
-- attack review 2026-12-08). A built-in role is never the one renamed. The unique indexes keep their names, so the
-- services' refusals (segment.name_taken, role.name_taken, pms.mapping_name_taken at the name field) are unchanged.

alter table segments drop constraint segments_name_key;
create index segments_name_fold_tmp on segments (tenant_id, lower(normalize(name, NFKC)));

do $$
declare
  dup record;
  n integer;
  candidate text;
  previous_scope text;
  previous_key text;
begin
  for dup in
    select tenant_id, id, name, key, scope_key
    from (
      select tenant_id, id, name, lower(normalize(name, NFKC)) as key, (tenant_id::text) as scope_key,
             row_number() over (partition by tenant_id, lower(normalize(name, NFKC)) order by created_at, id) as place
      from segments
    ) ranked
    where place > 1
    order by scope_key, key collate "C", place
  loop
    if dup.scope_key is distinct from previous_scope or dup.key is distinct from previous_key then
      n := 2;
    else
      n := n + 1;
    end if;
    loop
      candidate := left(dup.name, 100 - char_length('（' || n || '）')) || '（' || n || '）';
      exit when not exists (select 1 from segments where tenant_id = dup.tenant_id and lower(normalize(name, NFKC)) = lower(normalize(candidate, NFKC)));
      n := n + 1;
    end loop;
    update segments set name = candidate, updated_at = now() where tenant_id = dup.tenant_id and id = dup.id;
    previous_scope := dup.scope_key;
    previous_key := dup.key;
  end loop;
end
$$;

drop index segments_name_fold_tmp;
create unique index segments_name_key on segments (tenant_id, lower(normalize(name, NFKC)));

alter table roles drop constraint roles_name_key;
create index roles_name_fold_tmp on roles (tenant_id, lower(normalize(name, NFKC)));

do $$
declare
  dup record;
  n integer;
  candidate text;
  previous_scope text;
  previous_key text;
begin
  for dup in
    select tenant_id, id, name, key, scope_key
    from (
      select tenant_id, id, name, lower(normalize(name, NFKC)) as key, (tenant_id::text) as scope_key,
             row_number() over (partition by tenant_id, lower(normalize(name, NFKC)) order by builtin_key is null, created_at, id) as place
      from roles
    ) ranked
    where place > 1
    order by scope_key, key collate "C", place
  loop
    if dup.scope_key is distinct from previous_scope or dup.key is distinct from previous_key then
      n := 2;
    else
      n := n + 1;
    end if;
    loop
      candidate := left(dup.name, 100 - char_length('（' || n || '）')) || '（' || n || '）';
      exit when not exists (select 1 from roles where tenant_id = dup.tenant_id and lower(normalize(name, NFKC)) = lower(normalize(candidate, NFKC)));
      n := n + 1;
    end loop;
    update roles set name = candidate, updated_at = now() where tenant_id = dup.tenant_id and id = dup.id;
    previous_scope := dup.scope_key;
    previous_key := dup.key;
  end loop;
end
$$;

drop index roles_name_fold_tmp;
create unique index roles_name_key on roles (tenant_id, lower(normalize(name, NFKC)));

drop index pms_column_mappings_name_key;
create index pms_column_mappings_name_fold_tmp on pms_column_mappings (tenant_id, connection_id, lower(normalize(name, NFKC)));

do $$
declare
  dup record;
  n integer;
  candidate text;
  previous_scope text;
  previous_key text;
begin
  for dup in
    select tenant_id, connection_id, id, name, key, scope_key
    from (
      select tenant_id, connection_id, id, name, lower(normalize(name, NFKC)) as key, (tenant_id::text || '/' || connection_id::text) as scope_key,
             row_number() over (partition by tenant_id, connection_id, lower(normalize(name, NFKC)) order by created_at, id) as place
      from pms_column_mappings
    ) ranked
    where place > 1
    order by scope_key, key collate "C", place
  loop
    if dup.scope_key is distinct from previous_scope or dup.key is distinct from previous_key then
      n := 2;
    else
      n := n + 1;
    end if;
    loop
      candidate := left(dup.name, 100 - char_length('（' || n || '）')) || '（' || n || '）';
      exit when not exists (select 1 from pms_column_mappings where tenant_id = dup.tenant_id and connection_id = dup.connection_id and lower(normalize(name, NFKC)) = lower(normalize(candidate, NFKC)));
      n := n + 1;
    end loop;
    update pms_column_mappings set name = candidate, updated_at = now() where tenant_id = dup.tenant_id and id = dup.id;
    previous_scope := dup.scope_key;
    previous_key := dup.key;
  end loop;
end
$$;

drop index pms_column_mappings_name_fold_tmp;
create unique index pms_column_mappings_name_key on pms_column_mappings (tenant_id, connection_id, lower(normalize(name, NFKC)));
