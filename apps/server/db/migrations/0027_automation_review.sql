-- Automation (review of issue 11). Lost runs: a run whose job died on its last try (a worker killed, a lease expired) stayed
-- 'running' with no job: a sweep now finds such runs (quiet for a while, no job holding their key) and queues them
-- again, their stored retry keys unchanged, or fails them after a few losses. `requeues` counts how often.
alter table automation_runs add column requeues integer not null default 0;
create index automation_runs_running_idx on automation_runs (tenant_id, updated_at) where status = 'running';

-- The weekly cap counts pushes in flight as well as accepted ones, per guest under a lock (campaign-sending.repository.ts):
-- a guest's queued campaign recipients and automated sends stored before their first attempt, found by index.
create index campaign_recipients_queued_idx on campaign_recipients (tenant_id, member_id) where status = 'queued';
create index automation_run_steps_sending_idx on automation_run_steps (tenant_id, member_id) where status = 'sending';

-- URL buttons of automated sends are tracked like campaigns' (campaign_clicks, 0019): their links name one guest's run,
-- the send step and the button; a click is stored here with the run instead of a campaign, and the same job applies it
-- (the automation module gives the tags and marks the run's step).
alter table campaign_clicks alter column campaign_id drop not null;
alter table campaign_clicks add column automation_run_id uuid;
alter table campaign_clicks add column automation_step integer;
alter table campaign_clicks add constraint campaign_clicks_owner_check
  check ((campaign_id is null) <> (automation_run_id is null) and (automation_run_id is null) = (automation_step is null));
alter table campaign_clicks add constraint campaign_clicks_run_fkey foreign key (tenant_id, automation_run_id) references automation_runs (tenant_id, id) on delete cascade;
create index campaign_clicks_run_idx on campaign_clicks (tenant_id, automation_run_id, automation_step) where automation_run_id is not null;
