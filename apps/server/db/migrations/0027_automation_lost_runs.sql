-- Automation (review of issue 11). A run whose job died on its last try (a worker killed, a lease expired) stayed
-- 'running' with no job: a sweep now finds such runs (quiet for a while, no job holding their key) and queues them
-- again, their stored retry keys unchanged, or fails them after a few losses. `requeues` counts how often.
alter table automation_runs add column requeues integer not null default 0;
create index automation_runs_running_idx on automation_runs (tenant_id, updated_at) where status = 'running';
