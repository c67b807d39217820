-- Migration 0061's checks of a LINE user id's format, validated against the rows kept before it (see 0061 for why they
-- hold and what happens if one does not). VALIDATE CONSTRAINT takes SHARE UPDATE EXCLUSIVE: the app reads and writes
-- these tables while each is scanned; in its own transaction, not 0061's, which held their exclusive locks.
alter table members validate constraint members_line_user_id_format_check;
alter table line_webhook_inbox validate constraint line_webhook_inbox_line_user_id_format_check;
alter table binding_codes validate constraint binding_codes_line_user_id_format_check;
alter table binding_reviews validate constraint binding_reviews_line_user_id_format_check;
alter table campaign_clicks validate constraint campaign_clicks_line_user_id_format_check;
