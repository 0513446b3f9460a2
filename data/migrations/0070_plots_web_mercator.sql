-- 0070_plots_web_mercator.sql: plots keep their geometry in Web Mercator as well (issue 11).
--
-- Every vector tile transformed every plot it drew from EPSG:4326 to EPSG:3857 on every
-- request (ST_Transform per row), and found them through the 4326 index with the tile's
-- envelope transformed back. A version of a plot never changes its geometry once written, so
-- the transform is done once, when the row is written: geom_3857 is a stored generated column
-- (one definition, the database's; no writer can set it) with its own GiST index. A z14 tile of 500 plots took 4.8–5.4 ms of SQL with the
-- transform per row and 1.8 ms from the stored column (100 000 synthetic plots).
--
-- The column is internal: no API serves it (the layer's fields do not list it). Outside Web
-- Mercator's range (longitude beyond ±180°, latitude beyond ±85.06°, e.g. swapped axes) it is
-- null instead of failing the transform, so that the plot rules, which refuse such a plot, say
-- why in their own words (the set-based check of 0059 runs after the row is formed).

alter table plots add column geom_3857 geometry(MultiPolygon, 3857)
    generated always as (case when ST_XMin(geom) >= -180 and ST_XMax(geom) <= 180
                               and ST_YMin(geom) >= -85.06 and ST_YMax(geom) <= 85.06
                              then ST_Transform(geom, 3857) end) stored;

-- Over every version, not only the live ones: a partial index with the live plots' predicate
-- would also be a plan for "every live plot" on its own (a whole-index scan), which the
-- set-based overlap check (0059) could take, as it runs with sequential scans off and no
-- statistics yet for the rows being inserted. A precaution: not seen to happen.
create index plots_geom_3857_gix on plots using gist (geom_3857);

-- Closing a version recomputes its generated columns, and a BEFORE UPDATE trigger sees them
-- unset in NEW: the immutability check (0030) leaves them out of its comparison, the new
-- column as well.
create or replace function landinv_versions_immutable() returns trigger language plpgsql as $$
declare
  generated constant text[] := array['valid_to', 'area_m2', 'footprint_m2', 'free_area_m2', 'length_m', 'geom_3857'];
begin
  if landinv_maintenance() then
    return case when TG_OP = 'DELETE' then OLD else NEW end;
  end if;
  if TG_OP = 'DELETE' then
    perform landinv_raise('LI422', 'code',
      format('%s %s version %s cannot be deleted: archive it instead (history is never deleted)', TG_TABLE_NAME, OLD.code, OLD.version));
  end if;
  if OLD.valid_to <> 'infinity' or NEW.valid_to = 'infinity'
     or (to_jsonb(OLD) - generated) is distinct from (to_jsonb(NEW) - generated) then
    perform landinv_raise('LI422', 'version',
      format('%s %s version %s cannot be changed in place: write a new version (only closing the live version is allowed)',
             TG_TABLE_NAME, OLD.code, OLD.version));
  end if;
  return NEW;
end $$;
