-- The audit log's target filters (modules/audit/audit.repository.ts) had no index: each was a scan of the tenant's
-- whole history. Pages are newest first, so the indexes end with occurred_at.
-- The actor filter is a substring match (ilike '%…%'); under row-level security PostgreSQL may not use an index for
-- it (ilike is not leakproof, so it is applied after the policy), so it gets none: the bounded count caps its cost.
-- "This member's / this import's entries" (target id, with or without its type).
create index audit_log_target_idx on audit_log (tenant_id, target_id, occurred_at desc);
-- "Everything about accounts / tags …" (a target type alone).
create index audit_log_target_type_idx on audit_log (tenant_id, target_type, occurred_at desc);

-- Enqueuing a job inside a tenant's transaction (core/jobs/queue.ts) switches to this role for that one statement:
-- it may write the queue's tables (granted when the queue starts, since pg-boss creates them) and nothing else, so
-- requests no longer need the owner's login for it. The connecting users must be able to SET ROLE to it.
do $$
begin
  begin create role innkeeper_queue nologin; exception when duplicate_object or unique_violation then null; end;
end
$$;
grant innkeeper_queue to current_user;
