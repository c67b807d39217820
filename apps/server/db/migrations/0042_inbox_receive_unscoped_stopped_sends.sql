-- line_inbox_receive (0041) takes the app role and whatever tenant it is given, and sets them local to the calling
-- transaction. Called from inside a scoped transaction (withTenant / withPlatform: the role is already switched), the
-- tenant it set would stay for the rest of that transaction, so tenant A's transaction could write into, and go on
-- as, tenant B. It now refuses a caller whose role was switched (current_user differs from the login): only a
-- connection with no scope, the API login's own one-statement transaction, may call it.
--
-- EXECUTE stays with PUBLIC on purpose: the API's login role is the deployment's (README, Configuration) and is a
-- NOINHERIT member of innkeeper_app, so no grant to a group role would reach it. A role that is not a member of
-- innkeeper_app fails at the role switch (PostgreSQL checks the login's membership), so PUBLIC adds no caller.
create or replace function line_inbox_receive(p_tenant text, p_channel uuid, p_body text, p_ids uuid[]) returns integer
language plpgsql
set search_path = public, pg_temp
as $$
declare
  stored integer;
begin
  -- Only a connection with no scope of its own may call it (the API's login role, in its own one-statement
  -- transaction). Inside a scoped transaction the tenant it sets would outlive the call, for the rest of that
  -- transaction: a tenant's transaction would go on as another tenant's.
  if current_user <> session_user then
    raise exception 'line_inbox_receive must be called outside a scoped transaction' using errcode = '42501';
  end if;
  perform set_config('role', 'innkeeper_app', true), set_config('app.tenant_id', p_tenant, true);
  perform pg_advisory_xact_lock_shared(1279872577, hashtext(p_tenant));
  insert into line_webhook_inbox (tenant_id, id, channel_id, webhook_event_id, event_type, line_user_id, occurred_at, payload, is_redelivery)
  select p_tenant::uuid, p_ids[t.n], p_channel, t.e ->> 'webhookEventId', t.e ->> 'type', t.e -> 'source' ->> 'userId',
         -- The event time in milliseconds, exactly (whole seconds and milliseconds apart: no rounding through a float).
         timestamptz 'epoch' + (ms / 1000) * interval '1 second' + (ms % 1000) * interval '1 millisecond',
         t.e, coalesce((t.e -> 'deliveryContext' ->> 'isRedelivery')::boolean, false)
  from jsonb_array_elements(p_body::jsonb -> 'events') with ordinality as t(e, n),
       lateral (select (t.e -> 'timestamp')::numeric::bigint as ms) as time
  on conflict (tenant_id, webhook_event_id) do nothing;
  get diagnostics stored = row_count;
  return stored;
end
$$;

-- An automated send stopped in flight when its rule was switched off or changed is settled as skipped but keeps its
-- retry key: LINE may have taken it, so it still counts toward the weekly cap for a week (pushesSince,
-- modules/automation/automation.repository.ts). The few such rows, by guest, as the 'sending' ones (0027): the cap's
-- count reads them through this index, not through every step the tenant ever ran.
create index automation_run_steps_stopped_idx on automation_run_steps (tenant_id, member_id, settled_at) where status = 'skipped' and retry_key is not null;
