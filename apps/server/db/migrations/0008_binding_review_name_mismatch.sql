-- A guest found by mobile (or ID) whose typed name is not the member's name is no longer bound to that member: the
-- binding waits for staff in 綁定審核 with the reason name_mismatch (issue 9, item 2). Reviews keep the guest's choice
-- on offers only when the guest made one (marketingOptIn null = left as it was); that lives in the JSON, no column.
alter table binding_reviews drop constraint binding_reviews_reason_check;
alter table binding_reviews add constraint binding_reviews_reason_check check (reason in ('ambiguous', 'conflict', 'name_mismatch'));
