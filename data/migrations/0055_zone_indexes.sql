-- 0055_zone_indexes.sql: indexes for an inventory of many zones (issue 12; measured on 1,000
-- synthetic zones of 1,000 plots, README "Running more than one").
--
-- Every query of landinv names one zone. The non-spatial ones (the report's plots, a layer's
-- page in code order, history, the write path's version lookups) already have btree indexes
-- that lead with zone_id (*_live_code, *_live_order, *_history, *_zone_id_code_version_key).
-- The spatial ones (bbox pages, tiles, the rule triggers' overlap checks) combine a GiST on
-- geom with the zone's btree (a BitmapAnd): zones do not overlap, so the box alone already
-- selects one zone's rows. A GiST on (zone_id, geom) (btree_gist) was tried and measured
-- slower on the 1,000-zone database (bbox page 3.4 ms against 3.1 ms, z14 tile 2.7 against
-- 1.6 ms), so it is not added.
--
-- Added:
--   * zones (province, code): the province report and GET /api/v1/zones?province= pick a
--     province's zones in code order.
--   * live-row GiST indexes on plants and idle sites, as plots and roads have (0001): the write
--     path's triggers (a plant must lie in a plot, plots_keep_plants) test only live rows, and
--     the full GiST indexes hold every version, which grows every year.

create index zones_province_code on zones (province, code);

create index plants_live_geom_gix on plants using gist (geom) where valid_to = 'infinity' and not archived;
create index idle_sites_live_geom_gix on idle_sites using gist (geom) where valid_to = 'infinity' and not archived;
