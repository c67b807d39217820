-- A tag's name is unique in its hotel whatever its case, and names that only look alike are one name, as rules' since
-- 0060 (campaigns review: 「VIP」 and 「vip」 could both exist, and staff picking a tag could not tell which was which).
-- The service keeps tag names cleaned (cleanName in @innkeeper/contracts: default-ignorable characters removed, NFC,
-- trimmed; the same class as 0060's); the names kept before are cleaned the same way here. A name that would be left
-- empty, or that NFC would lengthen past the tags' 50 characters, keeps its characters (staff rename it).
--
-- Everything refers to a tag by its id (assignments, rules' steps and triggers, campaigns' buttons, segments'
-- conditions); only a member import's 標籤 column and a template's tags name one, and those now find it in any case
-- (tags.repository.ts findTagByName, import lookups). Renaming a tag therefore breaks no reference. The tags table is a
-- hotel's own list (tens to hundreds of rows), so the update and the index below hold its lock for a moment only.
alter table tags drop constraint tags_name_key;

update tags t
set name = cleaned.name, updated_at = now()
from (
  select tenant_id, id,
         btrim(normalize(regexp_replace(name, U&'[\00AD\034F\061C\115F-\1160\17B4-\17B5\180B-\180F\200B-\200F\202A-\202E\2060-\206F\3164\FE00-\FE0F\FEFF\FFA0\FFF0-\FFF8\+01BCA0-\+01BCA3\+01D173-\+01D17A\+0E0000-\+0E0FFF]', '', 'g'), NFC),
               U&' \0009\000A\000B\000C\000D\00A0\1680\2000\2001\2002\2003\2004\2005\2006\2007\2008\2009\200A\2028\2029\202F\205F\3000') as name
  from tags
) cleaned
where t.tenant_id = cleaned.tenant_id and t.id = cleaned.id and cleaned.name <> '' and char_length(cleaned.name) <= 50 and cleaned.name <> t.name;

-- Tags whose names are then the same but for case keep the oldest one's name (created first, then by id); each later
-- one becomes 「名稱（2）」, 「名稱（3）」… with the first number no tag of the hotel has yet in any case, shortened to
-- the tags' 50 characters to make room for its number. The same data always gives the same names.
--
-- Each candidate is looked up by lower(name): the (non-unique, for now) index below makes that a probe instead of a
-- scan of the table, and the numbering of a name's repeats goes on from the number its previous repeat took (every
-- lower one was found taken, and a rename frees only a name of the repeats' own spelling, never a numbered one). Without
-- both, n repeats of one name cost ~n³ comparisons (1,024 took minutes) with the tags table locked.
create index tags_name_lower_tmp on tags (tenant_id, lower(name));

do $$
declare
  dup record;
  n integer;
  candidate text;
  previous_tenant uuid;
  previous_key text;
begin
  for dup in
    select tenant_id, id, name, lower(name) as key
    from (
      select tenant_id, id, name, row_number() over (partition by tenant_id, lower(name) order by created_at, id) as place
      from tags
    ) ranked
    where place > 1
    order by tenant_id, lower(name), place
  loop
    if dup.tenant_id is distinct from previous_tenant or dup.key is distinct from previous_key then
      n := 2;
    else
      n := n + 1;
    end if;
    loop
      candidate := left(dup.name, 50 - char_length('（' || n || '）')) || '（' || n || '）';
      exit when not exists (select 1 from tags where tenant_id = dup.tenant_id and lower(name) = lower(candidate));
      n := n + 1;
    end loop;
    update tags set name = candidate, updated_at = now() where tenant_id = dup.tenant_id and id = dup.id;
    previous_tenant := dup.tenant_id;
    previous_key := dup.key;
  end loop;
end
$$;

drop index tags_name_lower_tmp;

-- Enforced by the database: two saves racing with 「VIP」 and 「vip」 end with one of them refused as tag.name_taken
-- (the service maps this index's name to it and names the tag that has the name).
create unique index tags_name_key on tags (tenant_id, lower(name));
