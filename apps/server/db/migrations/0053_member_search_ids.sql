-- Free-text member search through its trigram index, under row-level security.
-- Why: the member list's search is `search_text like '%…%'`, served by the GIN trigram index members_search_idx (0002).
-- The app role reads members under the tenant policy, and PostgreSQL evaluates a condition whose function is not
-- LEAKPROOF (textlike is not) only after the policy's condition, never as an index condition: every search read every
-- live member of the tenant in order and tested each (a rare term at 200,000 members: 78 ms as the app role, 0.26 ms
-- through the index as the owner; bench:members, "member search"). The same trap as the inbox's partition (0052).
--
-- This function runs as its owner (SECURITY DEFINER; the owner is not subject to the policy), so the planner may use
-- the index, and confines itself to the caller's tenant exactly as the policy does (tenant_id = app_current_tenant(),
-- nothing without a tenant). It returns at most p_limit ids of live members whose search text is LIKE p_pattern (the
-- caller escapes the term). The caller puts the ids back into its own query, which still runs under the policy and
-- applies the account's property scope, so nothing is visible through it that was not before. A term that matches
-- more than the caller's limit is a common one: the caller then searches as before (walking its sort order, a page
-- of common matches is found quickly), see segments.service.ts (searchPredicate).
create function member_search_ids(p_pattern text, p_limit integer)
returns uuid[]
language sql
stable
security definer
set search_path = public, pg_temp
as $$
  select coalesce(array_agg(id), '{}')
  from (select m.id from members m
        where m.tenant_id = app_current_tenant() and m.deleted_at is null and m.search_text like p_pattern
        limit greatest(p_limit, 0)) found
$$;
revoke all on function member_search_ids(text, integer) from public;
grant execute on function member_search_ids(text, integer) to innkeeper_app;
