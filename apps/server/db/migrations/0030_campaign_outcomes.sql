-- Campaign outcomes staff can read (browser review of issue 11, 2026-12-05).
-- A cancelled campaign's recipients that were never sent to were recorded as failed (reason 'cancelled'): the page
-- showed them as 失敗 with a success rate of 0 %. They were not attempted: they are skipped, for the reason that the
-- campaign was cancelled, and the success rate counts only the recipients LINE was asked to take.
update campaign_recipients set status = 'skipped' where status = 'failed' and reason = 'cancelled';
