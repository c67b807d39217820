-- Member audiences at hotel-group scale (measured by `npm run bench:members`, figures and plans in bench/README.md:
-- 1,000,000 members, 5,000,000 tag assignments, 3,000,000 stays). Segment conditions compile to semi-joins on
-- member_tags, member_stays and member_interactions (modules/segments/compile.ts); these indexes let PostgreSQL answer
-- each side from an index alone and run the joins in parallel.

-- Parallel query for tenant-scoped statements. Every row-level-security policy calls app_current_tenant(), and a
-- function is PARALLEL UNSAFE unless declared otherwise: one unsafe function anywhere in a statement keeps the whole
-- statement serial. The function only reads a setting, which parallel workers receive from the leader.
alter function app_current_tenant() parallel safe;

-- "Members carrying tag X" as an index-only scan: the primary key's index also carries expires_at, which every tag
-- condition tests (an assignment counts until it expires). Rebuilt in place so the table keeps one index for it.
create unique index member_tags_pkey_covering on member_tags (tenant_id, tag_id, member_id) include (expires_at);
alter table member_tags drop constraint member_tags_pkey;
alter table member_tags add constraint member_tags_pkey primary key using index member_tags_pkey_covering;

-- Stay conditions ("stayed within N days", in house, last check-out) range over check_out and also test check_in and
-- status: with both in the index they are answered without reading the stays.
create index member_stays_check_out_covering_idx on member_stays (tenant_id, check_out, member_id) include (check_in, status);
drop index member_stays_check_out_idx;
alter index member_stays_check_out_covering_idx rename to member_stays_check_out_idx;

-- The members side of an audience, answered from an index: live members in id order (a nested loop from a tag's
-- members, or a merge join, instead of hashing every member), and the same split by consent, which nearly every
-- marketing segment tests (the opted-in side then is an index-only range in id order).
create index members_live_idx on members (tenant_id, id) where deleted_at is null;
create index members_opt_in_idx on members (tenant_id, marketing_opt_in, id) where deleted_at is null;
