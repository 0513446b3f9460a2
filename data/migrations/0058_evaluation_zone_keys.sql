-- 0058_evaluation_zone_keys.sql: the per-mu evaluation's tables (0050) follow 0056's rule: every
-- primary key of a per-zone table includes zone_id, so that the tables can be distributed by
-- zone (docs/scale.md). No foreign key points at these keys, and the store looks rows up by
-- (zone_id, code) or (zone_id, year), which their unique keys already lead with.

alter table enterprises drop constraint enterprises_pkey, add constraint enterprises_pkey primary key (zone_id, id);
alter table enterprise_figures drop constraint enterprise_figures_pkey, add constraint enterprise_figures_pkey primary key (zone_id, id);
alter table evaluation_schemes drop constraint evaluation_schemes_pkey, add constraint evaluation_schemes_pkey primary key (zone_id, id);
alter table evaluation_runs drop constraint evaluation_runs_pkey, add constraint evaluation_runs_pkey primary key (zone_id, id);
alter table evaluation_events drop constraint evaluation_events_pkey, add constraint evaluation_events_pkey primary key (zone_id, id);
