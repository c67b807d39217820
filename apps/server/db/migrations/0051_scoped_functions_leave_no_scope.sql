-- Two mends to the functions that are their own transaction (review of 0048 and 0049):
--
-- 1. line_inbox_receive (0041, 0042) and line_inbox_receive_many (0048) held the same insert twice, and a change to one
--    (a column, the event time's arithmetic) could miss the other. The API now stores a lone request through
--    line_inbox_receive_many too (an array of one body); line_inbox_receive stays, as that call, for an API of the
--    release before still running while this one rolls out.
-- 2. The three functions take the app role and the tenant local to their transaction, and left them there. Called as
--    a one-statement transaction (the API's way), that ends with the statement. But called inside a transaction of the
--    login role (allowed: its role is not switched), the rest of that transaction went on as the app role of that
--    tenant. They now put the role and the tenant back before returning. campaign_clicks_receive's synchronous_commit
--    setting stays to the commit, which is its purpose. The foreign keys are checked at the end of the insert, inside
--    the function, before the role is put back.
create or replace function line_inbox_receive_many(p_tenant text, p_channel uuid, p_bodies text, p_ids uuid[]) returns integer
language plpgsql
set search_path = public, pg_temp
as $$
declare
  stored integer;
begin
  if current_user <> session_user then
    raise exception 'line_inbox_receive_many must be called outside a scoped transaction' using errcode = '42501';
  end if;
  perform set_config('role', 'innkeeper_app', true), set_config('app.tenant_id', p_tenant, true);
  perform pg_advisory_xact_lock_shared(1279872577, hashtext(p_tenant));
  insert into line_webhook_inbox (tenant_id, id, channel_id, webhook_event_id, event_type, line_user_id, occurred_at, payload, is_redelivery)
  select p_tenant::uuid, p_ids[t.k], p_channel, t.e ->> 'webhookEventId', t.e ->> 'type', t.e -> 'source' ->> 'userId',
         -- The event time in milliseconds, exactly (whole seconds and milliseconds apart: no rounding through a float).
         timestamptz 'epoch' + (ms / 1000) * interval '1 second' + (ms % 1000) * interval '1 millisecond',
         t.e, coalesce((t.e -> 'deliveryContext' ->> 'isRedelivery')::boolean, false)
  from (
    select e, row_number() over (order by b.i, x.n) as k
    from jsonb_array_elements(p_bodies::jsonb) with ordinality as b(body, i),
         jsonb_array_elements(b.body -> 'events') with ordinality as x(e, n)
  ) as t,
       lateral (select (t.e -> 'timestamp')::numeric::bigint as ms) as time
  on conflict (tenant_id, webhook_event_id) do nothing;
  get diagnostics stored = row_count;
  perform set_config('role', 'none', true), set_config('app.tenant_id', '', true);
  return stored;
end
$$;

-- One request's body: the same as a call with an array of that one body.
create or replace function line_inbox_receive(p_tenant text, p_channel uuid, p_body text, p_ids uuid[]) returns integer
language sql
set search_path = public, pg_temp
as $$ select line_inbox_receive_many(p_tenant, p_channel, '[' || p_body || ']', p_ids) $$;

create or replace function campaign_clicks_receive(p_tenant text, p_ids uuid[], p_campaigns uuid[], p_runs uuid[], p_steps integer[], p_actions text[], p_users text[], p_via text[], p_at timestamptz[])
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
  perform set_config('role', 'none', true), set_config('app.tenant_id', '', true);
  return pending;
end
$$;
