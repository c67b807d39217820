-- A rule's name is unique in its hotel whatever its case, and names that only look alike are one name (attack review:
-- 「VIP 續住優惠」 and 「vip 續住優惠」 could both exist, and so could a name with a zero-width character inside or with
-- 「é」 as e + accent next to the same name with 「é」 as one character; staff could not tell them apart). The service
-- now keeps names cleaned (Unicode's default-ignorable characters removed: zero-width spaces and joiners, the soft
-- hyphen, LRM/RLM and bidi overrides, Hangul fillers, variation selectors, tag characters; composed to NFC, trimmed:
-- cleanName in @innkeeper/contracts, the same set as the class below); the names already kept are cleaned the same way
-- here. A name that would be left empty, or that NFC would lengthen past the editor's 100 characters (a character NFC
-- decomposes, e.g. U+0958), keeps its characters (the checks allow neither; staff rename it).
drop index automation_rules_name_key;

update automation_rules r
set name = cleaned.name
from (
  select tenant_id, id,
         btrim(normalize(regexp_replace(name, U&'[\00AD\034F\061C\115F-\1160\17B4-\17B5\180B-\180F\200B-\200F\202A-\202E\2060-\206F\3164\FE00-\FE0F\FEFF\FFA0\FFF0-\FFF8\+01BCA0-\+01BCA3\+01D173-\+01D17A\+0E0000-\+0E0FFF]', '', 'g'), NFC),
               U&' \0009\000A\000B\000C\000D\00A0\1680\2000\2001\2002\2003\2004\2005\2006\2007\2008\2009\200A\2028\2029\202F\205F\3000') as name
  from automation_rules
) cleaned
where r.tenant_id = cleaned.tenant_id and r.id = cleaned.id and cleaned.name <> '' and char_length(cleaned.name) <= 100 and cleaned.name <> r.name;

-- Rules whose names are then the same but for case keep the oldest one's name (created first, then by id); each later
-- one becomes 「名稱（2）」, 「名稱（3）」… with the first number no rule of the tenant has yet in any case, as 0058 did,
-- shortened to the editor's 100 characters to make room for its number. The same data always gives the same names.
do $$
declare
  dup record;
  n integer;
  candidate text;
begin
  for dup in
    select tenant_id, id, name
    from (
      select tenant_id, id, name, row_number() over (partition by tenant_id, lower(name) order by created_at, id) as place
      from automation_rules
    ) ranked
    where place > 1
    order by tenant_id, lower(name), place
  loop
    n := 2;
    loop
      candidate := left(dup.name, 100 - char_length('（' || n || '）')) || '（' || n || '）';
      exit when not exists (select 1 from automation_rules where tenant_id = dup.tenant_id and lower(name) = lower(candidate));
      n := n + 1;
    end loop;
    update automation_rules set name = candidate where tenant_id = dup.tenant_id and id = dup.id;
  end loop;
end
$$;

-- Enforced by the database: two saves racing with 「VIP」 and 「vip」 end with one of them refused as
-- automation.name_taken (the service maps this index's name to it).
create unique index automation_rules_name_key on automation_rules (tenant_id, lower(name));

-- (A second change under this migration's number.) When a campaign was paused and resumed, in the clock's time
-- (campaigns.repository.ts transition): [{"from": …, "to": …}], "to" null while it is paused. A finished send's
-- 發送速度 is its recipients over the time it was actually sending (browser review: a send paused for an hour showed a
-- rate as if it had been sending all along). The audit log has staff's pauses and resumes but not a pause LINE's
-- refusal caused, and it is stamped by the database's clock. Campaigns paused before this have no spans: their rate
-- stays the whole send's, as before.
alter table campaigns add column paused_spans jsonb not null default '[]';
