-- 0078_change_boxes.sql: where each revision changed the map, so that a cached tile a write did
-- not touch stays current without a statement of its own (issue 11, "tiles kept").
--
-- Every writing transaction bumps inventory_revision once, at commit (0032). A tile cache keyed
-- by revision then saw every tile of every zone go out of date at each write, and asked the
-- database again for each (the tile's content key, 0070's tileDigest). Now:
--
--   * inventory_revision_log names the transaction behind each revision (n, xid), written by the
--     bump itself, so a revision and its log row become visible together;
--   * inventory_changes holds, per writing statement on a tiled table (layout, plots, plants,
--     idle_sites, roads), the table and the box its rows cover in Web Mercator (EPSG:3857), old
--     rows and new alike (an UPDATE closing a version covers where the version was); a statement
--     on zones or land_use_codes is logged with no box: it may change tiles anywhere (the default
--     zone, names);
--   * a statement-level trigger writes one row per statement (ST_Extent over its transition
--     table), so an import of 100 000 plots adds one row, not 100 000.
--
-- A reader holding a tile of revision C, told the current revision is R, reads the log rows of
-- (C, R] once for every tile (one statement per new revision, web/tilechanges.go). The tile is
-- current at R when every revision of (C, R] has its log row (none lost: a database restored
-- under the server, whose log is empty, is read the ordinary way) and no change row of those
-- revisions is on the tile's table, or everywhere, within the tile's box. Transactions on other
-- tables (enterprises, projects, figures) have log rows and no change rows: tiles do not draw
-- them.
--
-- The log keeps the last 20 000 revisions (pruned by the bump every 1 000); a tile older than
-- that is read the ordinary way. A TRUNCATE of a tiled table is a change anywhere and bumps the
-- revision (0032's bump, a deferred constraint trigger, cannot fire on TRUNCATE). A backup
-- carries the log's definition but not its rows (landinv restore leaves them out: their
-- transaction ids are another cluster's), so a restored database starts with an empty log.
create table inventory_revision_log (
  n bigint primary key,
  xid bigint not null
);
create index inventory_revision_log_xid on inventory_revision_log (xid);

create table inventory_changes (
  xid bigint not null,
  tbl text not null,
  -- The box in EPSG:3857; all null: anywhere.
  min_x double precision, min_y double precision, max_x double precision, max_y double precision
);
create index inventory_changes_xid on inventory_changes (xid);

-- landinv_bump_revision_now bumps the revision once per transaction and logs the transaction
-- behind it: what 0032's landinv_bump_revision_once did, plus the log, shared by the deferred
-- trigger and the TRUNCATE trigger below.
create function landinv_bump_revision_now() returns void language plpgsql as $$
declare
  mark constant text := 'landinv.revision_bumped';
  now_n bigint;
begin
  if coalesce(current_setting(mark, true), '') <> txid_current()::text then
    update inventory_revision set n = n + 1 returning n into now_n;
    insert into inventory_revision_log (n, xid) values (now_n, txid_current());
    if now_n % 1000 = 0 then
      delete from inventory_changes c using inventory_revision_log l where c.xid = l.xid and l.n <= now_n - 20000;
      delete from inventory_revision_log where n <= now_n - 20000;
    end if;
    perform set_config(mark, txid_current()::text, true);
  end if;
end $$;

create or replace function landinv_bump_revision_once() returns trigger language plpgsql as $$
begin
  perform landinv_bump_revision_now();
  return null;
end $$;

-- landinv_log_change logs the box of the rows one statement wrote. TG_ARGV[0]: 'mercator' for
-- plots, whose stored geom_3857 (0070) is what their tiles read, so its extent is the box
-- exactly; 'box' for a table with a geom column in EPSG:4326, transformed here; 'anywhere' for a
-- table whose change is not in one place. A TRUNCATE is a change anywhere, and bumps the
-- revision itself (0032's deferred trigger cannot fire on TRUNCATE).
create function landinv_log_change() returns trigger language plpgsql as $$
declare
  e box2d;
  b geometry;
begin
  if TG_ARGV[0] = 'anywhere' or TG_OP = 'TRUNCATE' then
    insert into inventory_changes (xid, tbl) values (txid_current(), TG_TABLE_NAME);
    if TG_OP = 'TRUNCATE' then
      perform landinv_bump_revision_now();
    end if;
    return null;
  end if;
  if TG_ARGV[0] = 'mercator' then
    if TG_OP = 'INSERT' then
      select ST_Extent(geom_3857) into e from new_rows;
    elsif TG_OP = 'UPDATE' then
      select ST_Extent(g) into e from (select geom_3857 as g from old_rows union all select geom_3857 from new_rows) u;
    else
      select ST_Extent(geom_3857) into e from old_rows;
    end if;
    if e is not null then
      insert into inventory_changes (xid, tbl, min_x, min_y, max_x, max_y)
        values (txid_current(), TG_TABLE_NAME, ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e));
    end if;
    return null; -- no rows, or none in Web Mercator's range (which no tile draws)
  end if;
  if TG_OP = 'INSERT' then
    select ST_Extent(geom) into e from new_rows;
  elsif TG_OP = 'UPDATE' then
    select ST_Extent(geom) into e from (select geom from old_rows union all select geom from new_rows) u;
  else
    select ST_Extent(geom) into e from old_rows;
  end if;
  if e is null then
    return null; -- no rows, or none with a geometry: nothing drawn changed
  end if;
  -- Web Mercator's x follows longitude and its y latitude, each monotonically: the box's corners
  -- transformed bound the rows' transformed geometries. Latitudes are clamped short of the
  -- poles (where the transform fails), beyond any tile's edge (85.0511°), so a box reaching
  -- past the map's edge still covers the edge tiles.
  b := ST_Transform(ST_SetSRID(ST_MakeEnvelope(greatest(ST_XMin(e), -180), greatest(ST_YMin(e), -89.9),
                                               least(ST_XMax(e), 180), least(ST_YMax(e), 89.9)), 4326), 3857);
  insert into inventory_changes (xid, tbl, min_x, min_y, max_x, max_y)
    values (txid_current(), TG_TABLE_NAME, ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b));
  return null;
end $$;

do $$
declare
  t text;
  kind text;
begin
  foreach t in array array['layout', 'plots', 'plants', 'idle_sites', 'roads'] loop
    kind := case when t = 'plots' then 'mercator' else 'box' end;
    execute format('create trigger z_log_change_ins after insert on %I referencing new table as new_rows
                    for each statement execute function landinv_log_change(%L)', t, kind);
    execute format('create trigger z_log_change_upd after update on %I referencing old table as old_rows new table as new_rows
                    for each statement execute function landinv_log_change(%L)', t, kind);
    execute format('create trigger z_log_change_del after delete on %I referencing old table as old_rows
                    for each statement execute function landinv_log_change(%L)', t, kind);
    execute format('create trigger z_log_change_truncate after truncate on %I
                    for each statement execute function landinv_log_change(''anywhere'')', t);
  end loop;
  foreach t in array array['zones', 'land_use_codes'] loop
    execute format('create trigger z_log_change after insert or update or delete or truncate on %I
                    for each statement execute function landinv_log_change(''anywhere'')', t);
  end loop;
end $$;
