-- A campaign's audience is written in committed chunks (bench/push): its first batches go out while the rest of the
-- audience is still being written, instead of after one transaction wrote a million recipients. While chunks remain,
-- the campaign is not over even when every batch written so far is settled: audience_pending says so, and the chunk
-- that writes the last of the audience clears it. Where the writing stands needs no column: the chunks go in member
-- order, so the campaign's largest member_id written (its primary key's last entry) is the cursor, read under the
-- campaign row's lock by each chunk, which makes a chunk re-run after a crash start where the last commit ended.
alter table campaigns add column audience_pending boolean not null default false;
