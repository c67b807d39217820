-- Automation (自動化行銷場景): rules that let guests in when something happens to them (a tag, a follow, a binding, a
-- stay's check-out or arrival, a birthday, a quiet spell) and take each through the rule's steps (send, tag, wait,
-- go on only if ...). A guest enters a rule once per occurrence of its trigger: the unique key on rule, member and
-- occurrence decides it, however many workers or redelivered events offer the same occurrence at once.

create table automation_rules (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  name text not null constraint automation_rules_name_check check (length(name) between 1 and 100),
  -- NULL: a group-wide rule (every member, the group's LINE channel); otherwise one property's.
  property_id uuid,
  -- The template it was made from, if any ('business_stay', 'family_travel', 'vip_repeat_stay').
  template_key text,
  enabled boolean not null default false,
  trigger jsonb not null,
  -- The trigger's kind and tag, kept apart from the JSON so the hooks find the rules an event starts by index.
  trigger_kind text not null constraint automation_rules_trigger_check check (trigger_kind in ('tag_added', 'friend_added', 'binding_completed', 'checked_out', 'arrival', 'birthday', 'no_interaction')),
  trigger_tag_id uuid,
  condition jsonb,
  steps jsonb not null,
  -- Bumped by every edit: switching on names the version reviewed; runs of an older version leave the rule.
  version integer not null default 1,
  enabled_by uuid,
  enabled_at timestamptz,
  created_by uuid,
  updated_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint automation_rules_pkey primary key (tenant_id, id),
  constraint automation_rules_property_fkey foreign key (tenant_id, property_id) references properties (tenant_id, id)
);
create index automation_rules_trigger_idx on automation_rules (tenant_id, trigger_kind, trigger_tag_id) where enabled;

create table automation_runs (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  rule_id uuid not null,
  rule_version integer not null,
  member_id uuid not null,
  -- What this entry is about: 'stay:<id>', 'birthday:2026', 'tag:<id>:<when>', 'follow:<when>', ...
  occurrence_key text not null constraint automation_runs_occurrence_check check (length(occurrence_key) between 1 and 200),
  -- waiting: for due_at (a wait step, quiet hours, or just entered); running: a job owns it; the rest are over.
  status text not null constraint automation_runs_status_check check (status in ('waiting', 'running', 'completed', 'exited', 'failed')),
  step_index integer not null default 0,
  due_at timestamptz not null,
  reason text not null default '',
  entered_at timestamptz not null,
  finished_at timestamptz,
  updated_at timestamptz not null default now(),
  constraint automation_runs_pkey primary key (tenant_id, id),
  constraint automation_runs_rule_fkey foreign key (tenant_id, rule_id) references automation_rules (tenant_id, id) on delete cascade,
  -- Exactly once per guest per trigger occurrence.
  constraint automation_runs_once_key unique (tenant_id, rule_id, member_id, occurrence_key)
);
-- The per-minute job claims the runs whose time has come.
create index automation_runs_due_idx on automation_runs (tenant_id, due_at) where status = 'waiting';
create index automation_runs_member_idx on automation_runs (tenant_id, member_id);

-- What each step did for each guest: its outcome, a send's retry key (stored before the first attempt, so a retry is
-- the same send and LINE delivers it once), and whether the guest tapped the send's buttons.
create table automation_run_steps (
  tenant_id uuid not null references tenants (id),
  run_id uuid not null,
  step_index integer not null,
  rule_id uuid not null,
  member_id uuid not null,
  status text not null constraint automation_run_steps_status_check check (status in ('sending', 'waiting', 'completed', 'skipped', 'failed')),
  reason text not null default '',
  retry_key uuid,
  attempts integer not null default 0,
  accepted_at timestamptz,
  clicked_at timestamptz,
  settled_at timestamptz,
  created_at timestamptz not null default now(),
  constraint automation_run_steps_pkey primary key (tenant_id, run_id, step_index),
  constraint automation_run_steps_run_fkey foreign key (tenant_id, run_id) references automation_runs (tenant_id, id) on delete cascade
);
create index automation_run_steps_rule_idx on automation_run_steps (tenant_id, rule_id, step_index);
-- The weekly cap counts each guest's accepted marketing pushes of the last seven days (campaigns' and these).
create index automation_run_steps_accepted_idx on automation_run_steps (tenant_id, member_id, accepted_at) where accepted_at is not null;

do $$
declare t text;
begin
  foreach t in array array['automation_rules', 'automation_runs', 'automation_run_steps'] loop
    execute format('alter table %I enable row level security', t);
    execute format('create policy tenant_isolation on %I to innkeeper_app using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant())', t);
  end loop;
end
$$;

grant select, insert, update, delete on automation_rules, automation_runs, automation_run_steps to innkeeper_app;
