-- Issue 11, last review. Two additions, each read where it is written:
--
-- 1. Tracked buttons of an automated send keep working after the rule is edited. A send's links and postback data name
--    the guest's run, the step and the button; the run names the rule's version it followed. Editing a rule replaced
--    its steps, so a guest tapping a message delivered before the edit reached the invalid-link page and was given no
--    tag. The steps of every version replaced by an edit are kept here, so a button of an earlier version still finds
--    its target and its tags (automation.repository.ts, findButtonSteps).
create table automation_rule_versions (
  tenant_id uuid not null references tenants (id),
  rule_id uuid not null,
  version integer not null,
  steps jsonb not null,
  created_at timestamptz not null default now(),
  constraint automation_rule_versions_pkey primary key (tenant_id, rule_id, version),
  constraint automation_rule_versions_rule_fkey foreign key (tenant_id, rule_id) references automation_rules (tenant_id, id) on delete cascade
);

alter table automation_rule_versions enable row level security;
create policy tenant_isolation on automation_rule_versions to innkeeper_app using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());
grant select, insert, update, delete on automation_rule_versions to innkeeper_app;

-- 2. A tag a button gave names the campaign (or rule) in source_label and the button in source_detail, so the member
--    page can say 活動「平日商務優惠」的「我有興趣」按鈕 (the two were one 「平日商務優惠：我有興趣」 string). '' for other sources.
alter table member_tags add column source_detail text not null default '';
