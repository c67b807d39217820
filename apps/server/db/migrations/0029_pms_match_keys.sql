-- Matching that scales (issue 8, decision 0010): a profile's keys as columns, so the sync finds the profiles holding a
-- member's ID or mobile with an index instead of holding every profile in memory.
--  match_keys: 'T:<blind index>' (national ID / resident number), 'P:<blind index>' (passport), 'M:<E.164>' per mobile;
--  surname:    the family name hubs are counted by (pms.matching.ts `profileSurname`), null when the profile has none.
-- Rows written before this migration have null match_keys; the next sync fills them before it matches.
alter table pms_profiles add column match_keys text[];
alter table pms_profiles add column surname text;
create index pms_profiles_match_keys_idx on pms_profiles using gin (match_keys);
create index pms_profiles_merged_idx on pms_profiles (tenant_id, connection_id, merged_into) where merged_into is not null;
create index pms_profiles_keys_missing_idx on pms_profiles (tenant_id, connection_id, gcust_cod) where match_keys is null;
