-- A hotel's automation rules have distinct names (browser review: the same template used twice made two rules both
-- called 商務住宿優惠, and staff could not tell them apart in the list, the audit log or a guest's tag history, which
-- names the rule a tag came from). Rules already sharing a name keep the oldest one's name (created first, then by
-- id); each later one becomes 「名稱（2）」, 「名稱（3）」… with the first number no rule of the tenant has yet, so
-- running this on the same data always gives the same names. A name at the editor's limit of 100 characters is
-- shortened to make room for its number, so the renamed rule can be saved again unchanged.
do $$
declare
  dup record;
  n integer;
begin
  for dup in
    select tenant_id, id, name
    from (
      select tenant_id, id, name, row_number() over (partition by tenant_id, name order by created_at, id) as place
      from automation_rules
    ) ranked
    where place > 1
    order by tenant_id, name, place
  loop
    n := 2;
    while exists (select 1 from automation_rules where tenant_id = dup.tenant_id and name = left(dup.name, 100 - char_length('（' || n || '）')) || '（' || n || '）') loop
      n := n + 1;
    end loop;
    update automation_rules set name = left(dup.name, 100 - char_length('（' || n || '）')) || '（' || n || '）' where tenant_id = dup.tenant_id and id = dup.id;
  end loop;
end
$$;

-- The name the editor and the template gallery check is enforced here too: two saves racing with the same name end
-- with one rule of that name (the other is refused as automation.name_taken).
create unique index automation_rules_name_key on automation_rules (tenant_id, name);
