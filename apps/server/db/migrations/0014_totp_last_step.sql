-- A TOTP code is good once: the time step of the last accepted code is kept, and a sign-in or enrolment may only use a
-- later step (compare-and-set in accounts.repository.claimTotpStep), so a code seen over a shoulder or in a proxy log
-- cannot open a second session within its 90-second window.
alter table accounts add column totp_last_step bigint;
