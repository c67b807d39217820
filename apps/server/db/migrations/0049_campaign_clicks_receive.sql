-- The tracked-link redirect's group commit as one statement that is its own transaction (issue 11, URL actions). A
-- batch of clicks was three round trips: `begin` with the role and tenant, the insert, `commit`; the API waited on
-- them, idle, most of the time (bench/README.md, "Tracked links"). Called outside a transaction block, this function
-- is the whole transaction, as line_inbox_receive (0041, 0042) is for the LINE webhook.
--
-- It takes the app role and the tenant itself, local to that transaction, so the insert runs under row-level security
-- exactly as a withTenant transaction's does, and refuses a caller whose role was already switched (a scoped
-- transaction: the tenant it set would outlive the call). Its commit does not wait for the WAL to reach the disk
-- (synchronous_commit off for this transaction only, as the insert did before): set with set_config, not with the
-- function's SET clause, which would be undone at the function's end, before the commit. A click is safe from a crash
-- of the API or of the worker once the statement returns; only a crash of the database server itself within its WAL
-- writer's delay could lose it.
--
-- The clicks come as arrays, one element per click, in the same order: ids (UUIDv7, made by the API as for every row),
-- the campaign or the automated run and its step (one of the two is NULL), the button, the LINE user a verified ID
-- token named (NULL outside LINE: anonymous), 'liff' or 'link', and the click's time. A click whose campaign or run was
-- deleted since its link was read is dropped, so it cannot fail the batch's other clicks. Returns how many identified
-- (pending) clicks were stored: the API wakes the click applier for them after the commit.
create function campaign_clicks_receive(p_tenant text, p_ids uuid[], p_campaigns uuid[], p_runs uuid[], p_steps integer[], p_actions text[], p_users text[], p_via text[], p_at timestamptz[])
returns integer
language plpgsql
set search_path = public, pg_temp
as $$
declare
  pending integer;
begin
  if current_user <> session_user then
    raise exception 'campaign_clicks_receive must be called outside a scoped transaction' using errcode = '42501';
  end if;
  perform set_config('role', 'innkeeper_app', true), set_config('app.tenant_id', p_tenant, true), set_config('synchronous_commit', 'off', true);
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
  return pending;
end
$$;
