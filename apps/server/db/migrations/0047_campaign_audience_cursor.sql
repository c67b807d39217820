-- A campaign's audience is written in chunks over ranges of the tenant's members (bench/push): each chunk evaluates the
-- audience only for its own range of member ids, instead of running the whole audience query again and taking the
-- next rows of it (some twenty times for a million guests). A range may hold none of the audience, so where the
-- writing stands can no longer be read from the recipients written: audience_cursor is the last member id whose range
-- is written (null: none yet), moved in the chunk's own transaction under the campaign row's lock, so a re-run after a
-- crash goes on from the last committed chunk and never writes a range twice.
-- holdout_key: the holdout is drawn once per campaign, not per chunk. Each reachable guest's key is
-- md5(campaign id || member id); the guests whose key is at most this one are held out, which is floor(reachable ×
-- holdout % / 100) of them as the audience stood when the campaign started (the estimate's count), and the same
-- guests on any re-run. Null: no holdout.
alter table campaigns add column audience_cursor uuid;
alter table campaigns add column holdout_key text;
