-- 0056_zone_keys.sql: every primary and unique key of a per-zone table includes zone_id, so
-- that the tables can be distributed by zone (Citus; docs/scale.md) without changing a key.
--
--   * plots, plants, idle_sites, roads, layout: primary key (zone_id, id) instead of (id). No
--     foreign key points at them; the write path (inventory/postgis/version.go) looks rows up
--     by (zone_id, id). The other unique keys lead with zone_id already.
--   * enquiries: primary key (zone_id, id). enquiry_history gets zone_id (filled from its
--     enquiry; the history trigger writes it), its primary key becomes (zone_id, enquiry_id,
--     version) and its foreign key (zone_id, enquiry_id) → enquiries.
--
-- Tables without zone_id are either one row per zone already keyed by it (zone_locks), the zones
-- themselves and the land-use codes (reference tables: small, read everywhere), or about people
-- and the service (users, api_tokens, sessions, signin_failures, schema_migrations,
-- inventory_revision), which stay on the coordinator.

alter table plots drop constraint plots_pkey, add constraint plots_pkey primary key (zone_id, id);
alter table plants drop constraint plants_pkey, add constraint plants_pkey primary key (zone_id, id);
alter table idle_sites drop constraint idle_sites_pkey, add constraint idle_sites_pkey primary key (zone_id, id);
alter table roads drop constraint roads_pkey, add constraint roads_pkey primary key (zone_id, id);
alter table layout drop constraint layout_pkey, add constraint layout_pkey primary key (zone_id, id);

alter table enquiry_history add column zone_id integer;
update enquiry_history h set zone_id = e.zone_id from enquiries e where e.id = h.enquiry_id;
alter table enquiry_history
  alter column zone_id set not null,
  drop constraint enquiry_history_enquiry_id_fkey,
  drop constraint enquiry_history_pkey;
alter table enquiries drop constraint enquiries_pkey, add constraint enquiries_pkey primary key (zone_id, id);
alter table enquiry_history
  add constraint enquiry_history_pkey primary key (zone_id, enquiry_id, version),
  add constraint enquiry_history_enquiry_id_fkey foreign key (zone_id, enquiry_id) references enquiries (zone_id, id);

create or replace function enquiries_history() returns trigger language plpgsql as $$
begin
  insert into enquiry_history (zone_id, enquiry_id, version, status, reply, changed_by, changed_at)
  values (NEW.zone_id, NEW.id, NEW.version, NEW.status, NEW.reply, NEW.updated_by, NEW.updated_at);
  return null;
end $$;
