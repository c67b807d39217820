-- PMS → member field sync (issue 8, decision 0010 "Field sync"). What of each linked profile has been put on its
-- member: the member it was applied to, the row version (hash) and the PMS's values then (mobile, e-mail, opt-out), so
-- that only a change in the PMS is acted on — a front-desk edit of the address must not opt a guest out again who
-- opted in since, nor overwrite a mobile the guest typed later.
alter table pms_profiles add column fields_member_id uuid;
alter table pms_profiles add column fields_hash text;
alter table pms_profiles add column fields_applied jsonb;
