-- Webhook requests of one channel that arrive while the API is storing that channel's earlier ones are stored
-- together: one statement (its own transaction, one commit) for all of them, instead of one each
-- (modules/line/webhook.service.ts). This is line_inbox_receive (0041, 0042) for several request bodies at once:
-- p_bodies is a JSON array of webhook bodies (each with its `events`), p_ids one id per event, in the bodies' order and
-- each body's events' order. Everything else is as in line_inbox_receive: only a connection with no scope of its own
-- may call it, it takes the app role and the tenant local to its transaction, the tenant's arrival lock shared, and a
-- stored webhookEventId (a redelivery, also one twice in the same call) is skipped. Returns how many events were new.
create function line_inbox_receive_many(p_tenant text, p_channel uuid, p_bodies text, p_ids uuid[]) returns integer
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
  return stored;
end
$$;
