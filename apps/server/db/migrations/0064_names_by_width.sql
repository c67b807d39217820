-- A tag's name, and a rule's, is unique in its hotel under Unicode's compatibility folding too (campaigns review:
-- full-width 「Ｖｉｐ」 and 「vip」 could both exist after 0063, and staff see one name twice). Names are compared as
-- lower(normalize(name, NFKC)): full-width Latin letters and digits (「Ｖｉｐ１」), half-width katakana, full-width
-- brackets (「（２）」 is 「(2)」), ligatures (「ﬁ」), circled and squared forms (「①」, 「㍿」) are their plain
-- forms, then in any case as 0060 and 0063 compare. Both functions are IMMUTABLE on PostgreSQL 15 and later (and on
-- PGlite): the database enforces it with the unique indexes below, not a read before the write. The names are kept as
-- staff typed them (cleanName, as before); only the comparison folds. The app asks the database the same expression
-- (core/db/name-key.ts nameKeySql: tags' findTagByName and tagIdsByNames, rules' firstFreeName), so what it finds and
-- what the index refuses agree; the admin app's pickers fold alike (nameKey in @innkeeper/contracts) for what they show.
--
-- Rules fold the same way (their names have been unique by lower(name) since 0060): staff read rules by name in the
-- same lists and audit log, and 「ＶＩＰ 續住優惠」 beside 「VIP 續住優惠」 is the same confusion. Their names, too,
-- are referred to by nobody (everything refers to a rule by its id), so a rename below breaks nothing.
--
-- Names that are then the same keep the oldest one's name (created first, then by id); each later one becomes
-- 「名稱（2）」, 「名稱（3）」… with the first number no tag (rule) of the hotel has yet under the folding, shortened to
-- the tags' 50 (rules' 100) characters to make room for its number. The same data always gives the same names. Each
-- candidate is probed through a (non-unique, for now) index on the folded name, and a name's repeats go on numbering
-- from the number the previous repeat took (the lower ones were found taken; a rename frees only a name of the repeats'
-- own folding, never a numbered one): as 0063, not the ~n³ comparisons of n repeats probed from 2 each time.
drop index tags_name_key;
create index tags_name_fold_tmp on tags (tenant_id, lower(normalize(name, NFKC)));

do $$
declare
  dup record;
  n integer;
  candidate text;
  previous_tenant uuid;
  previous_key text;
begin
  for dup in
    select tenant_id, id, name, key
    from (
      select tenant_id, id, name, lower(normalize(name, NFKC)) as key,
             row_number() over (partition by tenant_id, lower(normalize(name, NFKC)) order by created_at, id) as place
      from tags
    ) ranked
    where place > 1
    order by tenant_id, key, place
  loop
    if dup.tenant_id is distinct from previous_tenant or dup.key is distinct from previous_key then
      n := 2;
    else
      n := n + 1;
    end if;
    loop
      candidate := left(dup.name, 50 - char_length('（' || n || '）')) || '（' || n || '）';
      exit when not exists (select 1 from tags where tenant_id = dup.tenant_id and lower(normalize(name, NFKC)) = lower(normalize(candidate, NFKC)));
      n := n + 1;
    end loop;
    update tags set name = candidate, updated_at = now() where tenant_id = dup.tenant_id and id = dup.id;
    previous_tenant := dup.tenant_id;
    previous_key := dup.key;
  end loop;
end
$$;

drop index tags_name_fold_tmp;

-- Enforced by the database: two saves racing with 「Ｖｉｐ」 and 「vip」 end with one of them refused as
-- tag.name_taken (the service maps this index's name, kept from 0063, to it and names the tag that has the name).
create unique index tags_name_key on tags (tenant_id, lower(normalize(name, NFKC)));

drop index automation_rules_name_key;
create index automation_rules_name_fold_tmp on automation_rules (tenant_id, lower(normalize(name, NFKC)));

do $$
declare
  dup record;
  n integer;
  candidate text;
  previous_tenant uuid;
  previous_key text;
begin
  for dup in
    select tenant_id, id, name, key
    from (
      select tenant_id, id, name, lower(normalize(name, NFKC)) as key,
             row_number() over (partition by tenant_id, lower(normalize(name, NFKC)) order by created_at, id) as place
      from automation_rules
    ) ranked
    where place > 1
    order by tenant_id, key, place
  loop
    if dup.tenant_id is distinct from previous_tenant or dup.key is distinct from previous_key then
      n := 2;
    else
      n := n + 1;
    end if;
    loop
      candidate := left(dup.name, 100 - char_length('（' || n || '）')) || '（' || n || '）';
      exit when not exists (select 1 from automation_rules where tenant_id = dup.tenant_id and lower(normalize(name, NFKC)) = lower(normalize(candidate, NFKC)));
      n := n + 1;
    end loop;
    update automation_rules set name = candidate where tenant_id = dup.tenant_id and id = dup.id;
    previous_tenant := dup.tenant_id;
    previous_key := dup.key;
  end loop;
end
$$;

drop index automation_rules_name_fold_tmp;

-- Enforced by the database, as the tags' (automation.name_taken; the service maps this index's name, kept from 0060).
create unique index automation_rules_name_key on automation_rules (tenant_id, lower(normalize(name, NFKC)));
