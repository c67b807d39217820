-- Test sends per account (attack review, 2026-12-05). Capped per campaign only, an account with campaigns.edit alone
-- made three drafts and reached ten more guests with each, without approval and without asking for consent. A test
-- send now records who sent it, and one account's test sends reach at most 20 distinct guests in 30 days, whatever
-- the campaign (staff test on a few LINE accounts of their own; sending to the same ones again is free).
alter table campaign_test_recipients add column sent_by uuid;
create index campaign_test_recipients_sender_idx on campaign_test_recipients (tenant_id, sent_by, last_sent_at);
