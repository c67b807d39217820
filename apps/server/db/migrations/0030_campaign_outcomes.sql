-- Campaign outcomes staff can read (browser review of issue 11, 2026-12-05).
-- A cancelled campaign's recipients that were never sent to were recorded as failed (reason 'cancelled'): the page
-- showed them as 失敗 with a success rate of 0 %. They were not attempted: they are skipped, for the reason that the
-- campaign was cancelled, and the success rate counts only the recipients LINE was asked to take.
alter table campaign_recipients drop constraint campaign_recipients_reason_check;
update campaign_recipients set status = 'skipped' where status = 'failed' and reason = 'cancelled';

-- The status reason was free text ('quota_exhausted: <LINE's words>', '12 of 40 recipients failed: <reason>') that
-- the server and the screens parsed back with regular expressions, and a failure of Innkeeper's own (a batch whose
-- job was lost) reached the page in English. It is now a code (status_reason) and parameters (status_params) the
-- screens translate; LINE's own words travel as `lineMessage`, only when LINE said them.
alter table campaigns add column status_params jsonb not null default '{}'::jsonb;

-- A failed recipient's reason is the cause, a code; the batch keeps LINE's words (campaign_batches.message).
update campaign_recipients set reason = case
    when reason like 'its job was lost%' then 'job_lost'
    when reason like 'no LINE channel%' then 'no_channel'
    when reason like 'the guest is no longer%' then 'member_gone'
    when reason like 'gave up after retries%' then 'gave_up'
    else 'line_refused' end
  where status = 'failed';
alter table campaign_recipients add constraint campaign_recipients_reason_check check (
  (status = 'skipped' and reason in ('no_consent', 'blocked', 'no_line', 'capped', 'quiet_hours', 'holdout', 'cancelled'))
  or (status = 'failed' and reason in ('line_refused', 'gave_up', 'job_lost', 'no_channel', 'member_gone'))
  or (status in ('queued', 'accepted') and reason = ''));

update campaigns set status_params = jsonb_strip_nulls(jsonb_build_object('lineMessage', nullif(btrim(substr(status_reason, 17)), ''))), status_reason = 'quota_exhausted'
  where status_reason like 'quota_exhausted:%';
update campaigns set status_params = jsonb_strip_nulls(jsonb_build_object('lineMessage', nullif(btrim(substr(status_reason, 14)), ''))), status_reason = 'unauthorized'
  where status_reason like 'unauthorized:%';
update campaigns set status_params = jsonb_build_object('code', btrim(substr(status_reason, 22))), status_reason = 'audience_unavailable'
  where status_reason like 'audience_unavailable:%';
update campaigns c set status_reason = 'recipients_failed', status_params = jsonb_strip_nulls(jsonb_build_object(
    'failed', m.parts[1]::int,
    'attempted', m.parts[2]::int,
    'cause', case
      when m.parts[3] like 'its job was lost%' then 'job_lost'
      when m.parts[3] like 'no LINE channel%' then 'no_channel'
      when m.parts[3] like 'the guest is no longer%' then 'member_gone'
      when m.parts[3] like 'gave up after retries%' then 'gave_up'
      else 'line_refused' end,
    'lineMessage', case
      when m.parts[3] like 'its job was lost%' or m.parts[3] like 'no LINE channel%' or m.parts[3] like 'the guest is no longer%' then null
      else nullif(btrim(regexp_replace(m.parts[3], '^gave up after retries: ', '')), '') end))
  from (select tenant_id, id, regexp_match(status_reason, '^(\d+) of (\d+) recipients failed: ?(.*)$') as parts from campaigns) m
  where m.tenant_id = c.tenant_id and m.id = c.id and m.parts is not null;
-- Anything else stored (none is known) is kept as text under the code 'other'.
update campaigns set status_params = jsonb_build_object('text', status_reason), status_reason = 'other'
  where status_reason not in ('', 'paused_by_staff', 'quota_exhausted', 'unauthorized', 'audience_unavailable', 'recipients_failed');
