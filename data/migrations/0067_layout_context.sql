-- 0067_layout_context.sql: the zone's surroundings (周边环境) as layout features, so that a
-- first-time reader sees where the land is: the river, the main roads and the expressway
-- outside the zone, the railway, the station, the expressway exits and the city centre. They
-- are zone data like the rest of the layout (public, versioned, read by /api/v1/layout, the OGC
-- API and the tiles); the page draws them under the plots, with their names as labels. Lines:
-- river (its centre line), main_road, expressway, railway; points: station, exit, city_centre
-- (the point the page measures the city's direction and distance from). Invented geometry is
-- marked illustrative, as the demo's other features are.

alter table layout drop constraint layout_kind_check;
alter table layout add constraint layout_kind_check check (kind = any (array[
  'corridor', 'axis', 'district',
  'river', 'main_road', 'expressway', 'railway', 'station', 'exit', 'city_centre']));

create or replace function layout_rules() returns trigger
language plpgsql as $$
begin
  if not landinv_is_live(NEW.valid_to, NEW.archived) then
    return NEW;
  end if;
  if NEW.kind in ('station', 'exit', 'city_centre') then
    perform landinv_check_geometry(NEW.geom, 'any');
    if GeometryType(NEW.geom) <> 'POINT' then
      perform landinv_raise('LI422', 'geometry', format('must be a Point for a %s, not %s', NEW.kind, GeometryType(NEW.geom)));
    end if;
    return NEW;
  end if;
  perform landinv_check_geometry(NEW.geom,
    case when NEW.kind in ('axis', 'river', 'main_road', 'expressway', 'railway') then 'line' else 'polygon' end);
  return NEW;
end $$;
