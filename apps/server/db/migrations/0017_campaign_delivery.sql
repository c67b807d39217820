-- Campaign delivery (推播): who a campaign goes to and what became of each of them, and the batches it went out in.
-- The audience is materialised once, when the campaign starts sending, so a guest who joins a segment afterwards is not
-- added half-way and every outcome (accepted, failed, skipped with its reason) is kept for the record. A batch's retry
-- key is stored here before its first attempt: every retry (after a timeout, a 5xx, a crash) sends the same key, and
-- LINE accepts a key once, so no guest receives a campaign twice.

create table campaign_batches (
  tenant_id uuid not null references tenants (id),
  campaign_id uuid not null,
  batch_no integer not null constraint campaign_batches_no_check check (batch_no >= 1),
  -- 'multicast': one request to up to 500 recipients with this key; 'push': one request per recipient with its own key.
  mode text not null constraint campaign_batches_mode_check check (mode in ('multicast', 'push')),
  retry_key uuid not null,
  status text not null default 'queued' constraint campaign_batches_status_check check (status in ('queued', 'accepted', 'failed', 'cancelled')),
  recipients integer not null constraint campaign_batches_recipients_check check (recipients between 1 and 500),
  attempts integer not null default 0,
  line_request_id text,
  -- LINE's message when it refused the batch (400) or the last retryable answer.
  message text not null default '',
  settled_at timestamptz,
  created_at timestamptz not null default now(),
  constraint campaign_batches_pkey primary key (tenant_id, campaign_id, batch_no),
  constraint campaign_batches_campaign_fkey foreign key (tenant_id, campaign_id) references campaigns (tenant_id, id) on delete cascade
);

create table campaign_recipients (
  tenant_id uuid not null references tenants (id),
  campaign_id uuid not null,
  member_id uuid not null,
  line_user_id text,
  status text not null constraint campaign_recipients_status_check check (status in ('queued', 'accepted', 'failed', 'skipped')),
  reason text not null default '' constraint campaign_recipients_reason_check check (
    (status = 'skipped' and reason in ('no_consent', 'blocked', 'no_line', 'capped', 'quiet_hours', 'holdout'))
    or (status = 'failed')
    or (status in ('queued', 'accepted') and reason = '')),
  batch_no integer,
  -- A personalised push goes to one recipient with its own key, stored with the recipient before the first attempt.
  retry_key uuid,
  accepted_at timestamptz,
  updated_at timestamptz not null default now(),
  constraint campaign_recipients_pkey primary key (tenant_id, campaign_id, member_id),
  constraint campaign_recipients_campaign_fkey foreign key (tenant_id, campaign_id) references campaigns (tenant_id, id) on delete cascade,
  constraint campaign_recipients_batch_fkey foreign key (tenant_id, campaign_id, batch_no) references campaign_batches (tenant_id, campaign_id, batch_no),
  constraint campaign_recipients_queued_check check (status = 'skipped' or line_user_id is not null)
);
-- A batch's recipients.
create index campaign_recipients_batch_idx on campaign_recipients (tenant_id, campaign_id, batch_no);
-- The weekly cap counts each guest's accepted marketing pushes of the last seven days.
create index campaign_recipients_accepted_idx on campaign_recipients (tenant_id, member_id, accepted_at) where status = 'accepted';

do $$
declare t text;
begin
  foreach t in array array['campaign_batches', 'campaign_recipients'] loop
    execute format('alter table %I enable row level security', t);
    execute format('create policy tenant_isolation on %I to innkeeper_app using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant())', t);
  end loop;
end
$$;

grant select, insert, update, delete on campaign_batches, campaign_recipients to innkeeper_app;
