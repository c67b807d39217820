-- Uploaded import files are personal data in bulk: the file is deleted once its import completes and, for imports
-- abandoned, failed or left unconfirmed, a day after upload (member-transfer's hourly job). The import's record, its
-- counts and masked row outcomes stay; `file_removed_at` says when and why the file went.
alter table member_imports alter column file_content drop not null;
alter table member_imports add column file_removed_at timestamptz;
create index member_imports_held_files_idx on member_imports (tenant_id, created_at) where file_content is not null;
