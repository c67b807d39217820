-- Automation (review of issue 11). A run whose job died on its last try (a worker killed, a lease expired) stayed
-- 'running' with no job: a sweep now finds such runs (quiet for a while, no job holding their key) and queues them
-- again, their stored retry keys unchanged, or fails them after a few losses. `requeues` counts how often.
alter table automation_runs add column requeues integer not null default 0;
create index automation_runs_running_idx on automation_runs (tenant_id, updated_at) where status = 'running';

-- The weekly cap counts pushes in flight as well as accepted ones, per guest under a lock (campaign-sending.repository.ts):
-- a guest's queued campaign recipients and automated sends stored before their first attempt, found by index.
create index campaign_recipients_queued_idx on campaign_recipients (tenant_id, member_id) where status = 'queued';
create index automation_run_steps_sending_idx on automation_run_steps (tenant_id, member_id) where status = 'sending';
