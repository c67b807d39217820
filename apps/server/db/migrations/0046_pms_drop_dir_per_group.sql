-- A drop folder now lies in its hotel group's own folder under PMS_DROP_ROOT (<root>/<tenant id>/<drop_dir>,
-- pms.drop-folder.ts), so its name is one group's business: unique within the group, no longer across all groups (a
-- name taken by another group answered "in use", which told one group what another had named its folder).
drop index pms_connections_drop_dir_key;
create unique index pms_connections_drop_dir_key on pms_connections (tenant_id, lower(drop_dir)) where drop_dir is not null;
