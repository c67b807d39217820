-- Tags and saved segments get their own permission, tags.edit (標籤與分眾), so marketing staff can run them without
-- being allowed to edit member profiles ("行銷人員可調整標籤設定", seed 000). Until now they were behind members.edit:
-- every role that had members.edit keeps what it could do, and the built-in 行銷 role gains tags.edit.
update roles
   set permissions = array_append(permissions, 'tags.edit'), updated_at = now()
 where not ('tags.edit' = any (permissions))
   and ('members.edit' = any (permissions) or builtin_key in ('marketing', 'administrator'));
