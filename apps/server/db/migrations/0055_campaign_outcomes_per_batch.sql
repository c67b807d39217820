-- A campaign's outcome is settled per batch, not per recipient (bench/push, issue 11). Settling a batch of 500 updated
-- its 500 recipient rows (HOT updates, which is why 0037 left 55 % of every recipients' page empty), and cancelling a
-- campaign updated every recipient still queued: a million-guest campaign wrote each recipient twice, and PostgreSQL's
-- share of the send was its largest. Now a queued recipient's row is written once, when the audience is, and stays
-- 'queued': its outcome is its batch's (accepted when the batch was, at the batch's settled_at; failed with the
-- batch's cause; skipped as cancelled when the batch was cancelled). A row settled on its own (rows of the releases
-- before this one, whose recipients were settled one by one) keeps its own outcome. campaign_recipient_outcomes says
-- every recipient's outcome by that rule, and every reader reads it (progress, the list's outcome, the weekly cap, the
-- timeline, who a click's campaign was sent to, the campaign's end).

-- A failed batch's cause, the code its recipients' outcome gives (their reason, as campaign_recipients.reason did).
alter table campaign_batches add column cause text constraint campaign_batches_cause_check check (
  cause is null or (status = 'failed' and cause in ('line_refused', 'gave_up', 'job_lost', 'no_channel', 'member_gone')));

-- A batch's recipients are a contiguous range of its campaign's members (batches are numbered in member order), read
-- through the recipients' primary key between these two: the index on (campaign, batch_no) that each of a million
-- recipients' inserts also wrote is no longer needed. A guest merged into another record while the campaign sends
-- widens their batch's range (moveRecipients), so the range always holds the batch's recipients.
alter table campaign_batches add column first_member_id uuid, add column last_member_id uuid;
update campaign_batches b set first_member_id = r.first_member_id, last_member_id = r.last_member_id
  from (select tenant_id, campaign_id, batch_no, min(member_id::text collate "C")::uuid as first_member_id, max(member_id::text collate "C")::uuid as last_member_id
          from campaign_recipients where batch_no is not null group by tenant_id, campaign_id, batch_no) r
 where r.tenant_id = b.tenant_id and r.campaign_id = b.campaign_id and r.batch_no = b.batch_no;
drop index campaign_recipients_batch_idx;

-- Recipients are no longer updated when their batch settles: their pages need no room for new versions (0037's 45).
-- Applies to pages written from now on.
alter table campaign_recipients set (fillfactor = 100);

-- Every recipient's outcome. security_invoker: read with the reader's rights, so the row-level security of both tables
-- applies (a tenant sees its own recipients and batches only). The batch is looked up per recipient row (a lateral
-- probe of its primary key, only for a row still queued): a guest's few rows (the timeline, the weekly cap, a click)
-- cost a probe each whatever the planner guesses; without statistics it joined a guest's row against every batch of
-- the tenant, and a campaign's million rows against its every batch. A campaign's counts group its rows first
-- (campaign-delivery.repository.ts, outcomeGroups): they do not read this view.
create view campaign_recipient_outcomes with (security_invoker = true) as
select r.tenant_id, r.campaign_id, r.member_id, r.line_user_id, r.batch_no, r.retry_key,
       case when b.status is null or b.status = 'queued' then r.status when b.status = 'cancelled' then 'skipped' else b.status end as status,
       case when b.status is null or b.status = 'queued' then r.reason when b.status = 'cancelled' then 'cancelled' when b.status = 'failed' then coalesce(b.cause, 'line_refused') else '' end as reason,
       case when b.status is null then r.accepted_at when b.status = 'accepted' then b.settled_at end as accepted_at,
       case when b.status is null or b.status = 'queued' then r.updated_at else coalesce(b.settled_at, r.updated_at) end as updated_at
  from campaign_recipients r
  left join lateral (
    select b.status, b.cause, b.settled_at from campaign_batches b
     where r.status = 'queued' and b.tenant_id = r.tenant_id and b.campaign_id = r.campaign_id and b.batch_no = r.batch_no limit 1) b on true;

grant select on campaign_recipient_outcomes to innkeeper_app;
