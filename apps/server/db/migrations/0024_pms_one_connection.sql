-- One PMS connection per hotel group (decision 0010). The service checked for an existing one and then inserted, so
-- two requests at once (a double click, two staff) made two connections on PostgreSQL; the database decides now.
create unique index pms_connections_tenant_key on pms_connections (tenant_id);
