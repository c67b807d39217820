-- The LINE worker claims a tenant's pending events in LINE's order (event time, then arrival), no longer by arrival.
create index line_webhook_inbox_pending_order_idx on line_webhook_inbox (tenant_id, occurred_at, received_at, id) where status = 'pending';
drop index line_webhook_inbox_pending_idx;
