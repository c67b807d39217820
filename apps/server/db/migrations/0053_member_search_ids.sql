-- Free-text member search through its trigram index, under row-level security.
-- Why: the member list's search is `search_text like '%…%'`, served by the GIN trigram index members_search_idx (0002).
-- The app role reads members under the tenant policy, and PostgreSQL evaluates a condition whose function is not
-- LEAKPROOF (textlike is not) only after the policy's condition, never as an index condition: every search read every
-- live member of the tenant in order and tested each (a guest's full name among 1,000,000 members: ~1 s; bench:members,
-- "Free-text search"). The same trap as the inbox's partition (0052).
--
-- 1. The index carries the tenant (btree_gin gives uuid a GIN operator class): a hotel's search reads its own entries,
--    not every hotel's matches for the term (with the trigrams alone, a term common at another hotel cost this one
--    hundreds of milliseconds, and the time told how common it was there).
create extension if not exists btree_gin;
drop index members_search_idx;
create index members_search_idx on members using gin (tenant_id, search_text gin_trgm_ops);

-- 2. member_search_ids runs as its owner (SECURITY DEFINER; the owner is not subject to the policy), so the planner may
--    use the index, and confines itself to the caller's tenant exactly as the policy does (tenant_id =
--    app_current_tenant(), nothing without a tenant). It returns at most p_limit ids of live members whose search text
--    is LIKE lower(p_pattern) (the caller escapes the term). The caller puts the ids back into its own query, which
--    still runs under the policy and applies the account's property scope, so nothing is visible through it that was
--    not before. A term matching more than the caller's limit is a common one: the caller then searches as before
--    (walking its sort order finds a page of common matches quickly); see segments.service.ts (textPredicate).
--    - search_path is pg_catalog and pg_temp only, every other name written with its schema: a function or aggregate
--      that a role could create in public (where public is writable, as in databases from before PostgreSQL 15) is
--      never resolved here, so it cannot run with the owner's rights.
--    - The statement is planned at each call with the tenant, the pattern and the limit known (EXECUTE … USING), and
--      with sequential scans off for it: a scan of the table would read every hotel's members, and the tenant's own
--      index entries are never more than that.
create function member_search_ids(p_pattern text, p_limit integer)
returns uuid[]
language plpgsql
stable
security definer
set search_path = pg_catalog, pg_temp
set enable_seqscan = off
as $$
declare
  tenant uuid := public.app_current_tenant();
  found uuid[];
begin
  if tenant is null then
    return '{}';
  end if;
  execute 'select coalesce(array_agg(id), ''{}'') from (
             select m.id from public.members m
             where m.tenant_id = $1 and m.deleted_at is null and m.search_text like lower($2)
             limit greatest($3, 0)) matching'
    into found using tenant, p_pattern, p_limit;
  return found;
end
$$;
revoke all on function member_search_ids(text, integer) from public;
grant execute on function member_search_ids(text, integer) to innkeeper_app;
