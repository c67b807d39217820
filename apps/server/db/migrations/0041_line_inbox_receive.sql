-- The LINE webhook's insert as one statement that is its own transaction (issue 11, "Click intake keeps up with a
-- campaign"). A request was three round trips: `begin` with the role and tenant, the insert, `commit`. Called
-- outside a transaction block, this function is the whole transaction: PostgreSQL commits it (durably:
-- synchronous_commit) before the API answers 200, as before.
--
-- It takes the app role and the tenant itself, local to that transaction, so the insert runs under row-level security
-- exactly as a withTenant transaction's does: the policy admits only rows of `p_tenant`, and the inbox's foreign key
-- to (tenant_id, channel_id) refuses a channel of another tenant (23503, as before). The caller is the webhook route,
-- which has verified the request's signature with that tenant's channel secret. SECURITY INVOKER (the default): a
-- security-definer function may not change the role, and runs with its owner's rights; this one has the caller's,
-- which must be allowed to take the app role (the API's login role is).
--
-- The raw body is the one text parameter: PostgreSQL takes the events apart, so the API does not serialise them again
-- (it still parses and validates the body first; a body with a NUL is passed cleaned). `p_ids` are the rows' ids in
-- the events' order (UUIDv7, made by the API as for every row). The tenant is text, as withTenant sets it, so the
-- arrival lock's key is the hash of the same string the worker's awaitArrivals hashes. The tenant's arrival lock is taken shared first, as
-- the insert did before (modules/line/inbox.repository.ts, awaitArrivals). Returns how many events were new.
-- PL/pgSQL keeps the insert's plan per connection: it is not parsed and planned again for every request.
create function line_inbox_receive(p_tenant text, p_channel uuid, p_body text, p_ids uuid[]) returns integer
language plpgsql
set search_path = public, pg_temp
as $$
declare
  stored integer;
begin
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
