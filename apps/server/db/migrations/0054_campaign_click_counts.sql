-- Anonymous clicks counted, not stored one row each (issue 11, the tracked-link redirect). A link opened outside LINE
-- (or a LIFF page without a valid ID token) tags nobody and names no guest: all it gives is a count. A row per click
-- cost ~0.1 ms of CPU (the insert into five indexes, three foreign-key checks, row-level security), which held the
-- redirect to a fifth of a bare handler's rate (bench/README.md, "Tracked links"). Now the API adds up the anonymous
-- clicks that arrive together, per button, way in and minute, and each group commit adds its sums here: one upsert per
-- distinct key, whatever the number of clicks. Identified clicks (a verified LIFF ID token) keep their row in
-- campaign_clicks: the click applier tags their guest from it. The readers of click counts add both tables.
--
-- The owner is a campaign or an automated run's send step, as in campaign_clicks (0019, 0027), and goes with it.
create table campaign_click_counts (
  tenant_id uuid not null references tenants (id),
  campaign_id uuid,
  automation_run_id uuid,
  automation_step integer,
  action_id text not null constraint campaign_click_counts_action_check check (action_id ~ '^[A-Za-z0-9]{1,12}$'),
  via text not null constraint campaign_click_counts_via_check check (via in ('liff', 'link')),
  -- The minute the clicks were made in (the API's clock, truncated), so counts over time stay possible.
  clicked_minute timestamptz not null constraint campaign_click_counts_minute_check check (clicked_minute = date_trunc('minute', clicked_minute)),
  clicks integer not null constraint campaign_click_counts_clicks_check check (clicks > 0),
  constraint campaign_click_counts_owner_check
    check ((campaign_id is null) <> (automation_run_id is null) and (automation_run_id is null) = (automation_step is null)),
  -- One row per key; NULL owners (a campaign's counts have no run) compare equal, so the upsert finds its row.
  constraint campaign_click_counts_key unique nulls not distinct (tenant_id, campaign_id, automation_run_id, automation_step, action_id, via, clicked_minute),
  constraint campaign_click_counts_campaign_fkey foreign key (tenant_id, campaign_id) references campaigns (tenant_id, id) on delete cascade,
  constraint campaign_click_counts_run_fkey foreign key (tenant_id, automation_run_id) references automation_runs (tenant_id, id) on delete cascade
);
-- A rule's counts per run (the key's index serves a campaign's).
create index campaign_click_counts_run_idx on campaign_click_counts (tenant_id, automation_run_id, automation_step) where automation_run_id is not null;

alter table campaign_click_counts enable row level security;
create policy tenant_isolation on campaign_click_counts to innkeeper_app using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());
grant select, insert, update, delete on campaign_click_counts to innkeeper_app;

-- A group commit: the identified clicks as rows (as campaign_clicks_receive, 0049/0051: its arrays, one element per
-- click) and the anonymous ones as sums (one element per key: owner, button, way in, minute, and how many clicks), in
-- one statement that is its own transaction. Same scope rules as campaign_clicks_receive: the app role and the tenant
-- for this transaction only (row-level security as in withTenant), refused inside a scoped transaction, put back
-- before returning; asynchronous commit for this transaction. Clicks of a campaign or run deleted since the link was
-- read are dropped. The sums are added in the key's order, so two group commits in flight that touch the same keys
-- lock them in the same order (the second waits for the first's commit; neither deadlocks), and a key twice in the
-- arrays is summed first (an upsert cannot touch one row twice). campaign_clicks_receive stays for an API of the
-- previous release still running during a deploy (its anonymous rows are counted by the same readers).
-- Returns how many identified (pending) clicks were stored: the API wakes the click applier for them.
create function campaign_clicks_receive_counted(
  p_tenant text,
  p_ids uuid[], p_campaigns uuid[], p_runs uuid[], p_steps integer[], p_actions text[], p_users text[], p_via text[], p_at timestamptz[],
  p_count_campaigns uuid[], p_count_runs uuid[], p_count_steps integer[], p_count_actions text[], p_count_via text[], p_count_minutes timestamptz[], p_counts integer[]
)
returns integer
language plpgsql
set search_path = public, pg_temp
as $$
declare
  pending integer := 0;
begin
  if current_user <> session_user then
    raise exception 'campaign_clicks_receive_counted must be called outside a scoped transaction' using errcode = '42501';
  end if;
  perform set_config('role', 'innkeeper_app', true), set_config('app.tenant_id', p_tenant, true), set_config('synchronous_commit', 'off', true);
  if cardinality(p_ids) > 0 then
    with stored as (
      insert into campaign_clicks (tenant_id, id, campaign_id, automation_run_id, automation_step, action_id, line_user_id, status, via, clicked_at)
      select p_tenant::uuid, t.id, t.campaign_id, t.run_id, t.step, t.action_id, t.line_user_id,
             case when t.line_user_id is null then 'anonymous' else 'pending' end, t.via, t.clicked_at
      from unnest(p_ids, p_campaigns, p_runs, p_steps, p_actions, p_users, p_via, p_at) as t(id, campaign_id, run_id, step, action_id, line_user_id, via, clicked_at)
      where exists (select 1 from campaigns c where c.tenant_id = p_tenant::uuid and c.id = t.campaign_id)
         or exists (select 1 from automation_runs r where r.tenant_id = p_tenant::uuid and r.id = t.run_id)
      returning line_user_id
    )
    select count(*) filter (where line_user_id is not null) into pending from stored;
  end if;
  if cardinality(p_counts) > 0 then
    insert into campaign_click_counts as k (tenant_id, campaign_id, automation_run_id, automation_step, action_id, via, clicked_minute, clicks)
    select p_tenant::uuid, t.campaign_id, t.run_id, t.step, t.action_id, t.via, t.minute, sum(t.clicks)
    from unnest(p_count_campaigns, p_count_runs, p_count_steps, p_count_actions, p_count_via, p_count_minutes, p_counts) as t(campaign_id, run_id, step, action_id, via, minute, clicks)
    where exists (select 1 from campaigns c where c.tenant_id = p_tenant::uuid and c.id = t.campaign_id)
       or exists (select 1 from automation_runs r where r.tenant_id = p_tenant::uuid and r.id = t.run_id)
    group by t.campaign_id, t.run_id, t.step, t.action_id, t.via, t.minute
    order by t.campaign_id, t.run_id, t.step, t.action_id, t.via, t.minute
    on conflict (tenant_id, campaign_id, automation_run_id, automation_step, action_id, via, clicked_minute)
    do update set clicks = k.clicks + excluded.clicks;
  end if;
  perform set_config('role', 'none', true), set_config('app.tenant_id', '', true);
  return pending;
end
$$;

-- The release before's call (every click a row) is this function with no sums: the insert lives once, as 0051 made
-- line_inbox_receive a call of line_inbox_receive_many. Not SECURITY DEFINER, so the caller check inside still sees
-- the caller's own role.
create or replace function campaign_clicks_receive(p_tenant text, p_ids uuid[], p_campaigns uuid[], p_runs uuid[], p_steps integer[], p_actions text[], p_users text[], p_via text[], p_at timestamptz[])
returns integer
language sql
set search_path = public, pg_temp
as $$
  select campaign_clicks_receive_counted(p_tenant, p_ids, p_campaigns, p_runs, p_steps, p_actions, p_users, p_via, p_at,
                                         '{}', '{}', '{}', '{}', '{}', '{}', '{}')
$$;
