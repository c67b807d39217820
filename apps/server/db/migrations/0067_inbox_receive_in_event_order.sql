-- Two webhook requests stored at once whose events overlap can deadlock (CI on PostgreSQL, the attack review's test of
-- 90 taps in overlapping, redelivered requests: a 500 for one request). ON CONFLICT DO NOTHING waits for another
-- transaction's insert of the same webhookEventId to end; statement A, having inserted e1, waits on B's e2 while B,
-- having inserted e2, waits on A's e1. Grouped requests and LINE's redeliveries carry the same events in other orders,
-- so this is not rare under load. Inserting every statement's events in one order, by webhookEventId, makes every
-- wait point the same way: one waits for the other, and none in a circle. Each event keeps the id it was given in
-- arrival order (p_ids, by its place in the bodies), which is what the worker drains by; only the order the rows are
-- written in changes. Otherwise as 0051.
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
  order by t.e ->> 'webhookEventId', t.k
  on conflict (tenant_id, webhook_event_id) do nothing;
  get diagnostics stored = row_count;
  perform set_config('role', 'none', true), set_config('app.tenant_id', '', true);
  return stored;
end
$$;
