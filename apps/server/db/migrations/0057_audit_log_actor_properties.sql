-- Who reads which audit entries (decision 0006, "The audit log"). An account limited to some properties may read the
-- entries of accounts whose properties were, when they acted, among its own (itself included); group-level accounts
-- read everything. The entry keeps the actor's properties as they were at that moment: NULL for a group-level account
-- and for system work (jobs, webhooks, sign-in steps), the list for a limited account. Entries written before this
-- column stay NULL, so they remain with group-level staff, where they have always been.
alter table audit_log add column actor_property_ids uuid[];

-- A limited account's pages read only entries of limited actors, newest first. `is not null` is a node, not an
-- operator, so it may be tested before the tenant policy and this partial index serves it under row-level security.
create index audit_log_scoped_time_idx on audit_log (tenant_id, occurred_at desc) where actor_property_ids is not null;
