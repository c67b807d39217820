-- The LINE worker drains a tenant's inbox in 16 partitions, by a hash of the LINE user id: every event of one guest
-- falls in one partition, so several workers share a tenant's backlog (one per partition at a time, each in LINE's
-- order) while each guest's events stay in order (modules/line/inbox.repository.ts, DRAIN_PARTITIONS and partitionOf:
-- the expression there must stay the one indexed here).
-- An index on the expression, not a stored column: no rewrite of the table's history, nothing for the webhook to
-- compute, and API processes of the previous release insert rows the new workers see in the right partition. Partial
-- (pending rows only), so it stays small however long the history grows and is built quickly.
create index line_webhook_inbox_pending_partition_idx on line_webhook_inbox (tenant_id, (hashtext(coalesce(line_user_id, '')) & 15), occurred_at, received_at, id) where status = 'pending';
drop index line_webhook_inbox_pending_order_idx;
