-- A LINE user id is letters and digits (LINE's are "U" and 32 hex digits; the webhook refuses any other userId since
-- the last session, webhook.service.ts). The database now refuses any other too, on every table that keeps one: a
-- campaign's multicast joins its batch's ids with commas (line/sender.ts), so an id holding a comma would split into
-- two recipients; nothing but LINE's own ids may reach it, whichever code path writes them.
--
-- Existing rows: every id stored came from a webhook signed with the channel's secret (or from the LINE simulator,
-- whose ids are "U" and 32 hex digits), so none can break the rule unless LINE sent one that does. The checks are
-- therefore validated, by migration 0062 in a transaction of its own: added here NOT VALID (new rows are checked at
-- once; adding takes the table's exclusive lock for a moment, not for a scan), validated there under a lock that lets
-- reads and writes go on (attack review: validating while adding held members and the webhook inbox exclusively for
-- the whole scan, 12.6 s for 2 million rows on this machine). Should a row break one, 0062 stops with the constraint's
-- name and changes nothing, because a guest's LINE link or a received event is not something to rewrite or drop
-- without a person looking at it (find them with `select … where line_user_id !~ '^[0-9A-Za-z]{1,64}$'`).
--
-- Not campaign_recipients: its ids are copied from members' (checked here) by the one statement that writes a
-- campaign's audience (campaign-delivery.repository.ts), and a check there would run a regular expression for each of a
-- million-guest campaign's rows while the send competes with that write for the cores (bench:push).
alter table members add constraint members_line_user_id_format_check check (line_user_id ~ '^[0-9A-Za-z]{1,64}$') not valid;
alter table line_webhook_inbox add constraint line_webhook_inbox_line_user_id_format_check check (line_user_id ~ '^[0-9A-Za-z]{1,64}$') not valid;
alter table binding_codes add constraint binding_codes_line_user_id_format_check check (line_user_id ~ '^[0-9A-Za-z]{1,64}$') not valid;
alter table binding_reviews add constraint binding_reviews_line_user_id_format_check check (line_user_id ~ '^[0-9A-Za-z]{1,64}$') not valid;
alter table campaign_clicks add constraint campaign_clicks_line_user_id_format_check check (line_user_id ~ '^[0-9A-Za-z]{1,64}$') not valid;
