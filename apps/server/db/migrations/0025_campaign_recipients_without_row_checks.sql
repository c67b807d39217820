-- A campaign to a million guests writes a million recipient rows in one INSERT … SELECT when it starts sending. Each
-- foreign key on campaign_recipients is checked by a trigger per row (PostgreSQL 15 runs one lookup of the parent row
-- per inserted row): the three of them took 70 % of that statement, about a hundred seconds for a million rows on the
-- benchmark machine (bench/push), before the first guest was sent anything. They guarded nothing the engine does not:
--   - tenant and campaign: recipients are written only by the delivery engine for the campaign it has just claimed
--     (campaign-delivery.repository.ts, materialiseRecipients), and a campaign with recipients is never deleted (only
--     drafts are deleted, and a draft has never started sending, so it has none);
--   - batch: a recipient's batch is inserted by the same statement that inserts the recipient.
-- Row-level security still keeps each tenant's rows to itself.
alter table campaign_recipients drop constraint campaign_recipients_tenant_id_fkey;
alter table campaign_recipients drop constraint campaign_recipients_campaign_fkey;
alter table campaign_recipients drop constraint campaign_recipients_batch_fkey;
