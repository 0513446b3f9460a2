-- 0059_bulk_import.sql: the plot rules checked set-based for a bulk insert, still in the database.
--
-- Every plot a writer inserts is checked by the database (0001, 0030): geometry, inside the
-- zone, no overlap > 1 m², district, lifecycle, version sequence, the zone's write lock. Until
-- now only row by row (BEFORE INSERT FOR EACH ROW), which is what made an import of 100 000
-- plots run at a fifteenth of ogr2ogr's rate: 100 000 overlap queries, zone checks, version
-- look-ups, each planned and run alone.
--
-- Now a transaction may say, with the transaction-local setting landinv.bulk_checked = on,
-- that its plot inserts are to be checked as a set. Then the per-row rule triggers on INSERT
-- skip (WHEN not landinv_bulk()), and a statement-level trigger (plots_rules_set, AFTER INSERT,
-- with the statement's rows as a transition table) checks the same rules over all of them at
-- once: one validity pass, one containment join, one spatial self-join for overlaps (the new
-- rows against every live plot, new ones included), the lifecycle and the version sequence by
-- joins. When the setting is off, plots_rules_set does nothing: the row triggers did the work.
--
-- The setting moves the checks, it never switches them off: whoever sets it, every inserted
-- plot is checked by one trigger or the other, and the first plot that breaks a rule fails the
-- statement with the same words (and the same SQLSTATE and detail) as the row trigger's; the
-- set check calls the row-wise functions on the plot it found (landinv_check_geometry,
-- landinv_check_in_zone, ...) to raise them. What the setting does not do: derive a missing
-- district (a BEFORE trigger's job). A bulk writer derives it itself; plots_rules_set refuses a
-- live plot without a district while a district of its zone intersects it, and one that names
-- an unknown district. UPDATE (closing a version; a maintenance session's repair) is always
-- checked row by row.

create function landinv_bulk() returns boolean
language sql stable as $$ select coalesce(current_setting('landinv.bulk_checked', true), '') = 'on' $$;

-- The row triggers on INSERT skip in bulk mode; on UPDATE they always run.
drop trigger a_version_sequence on plots;
create trigger a_version_sequence before insert on plots
  for each row when (not landinv_bulk()) execute function plots_version_sequence();
drop trigger a_zone_lock on plots;
create trigger a_zone_lock before insert on plots
  for each row when (not landinv_bulk()) execute function landinv_zone_lock();
create trigger a_zone_lock_update before update on plots
  for each row execute function landinv_zone_lock();
drop trigger plots_rules on plots;
create trigger plots_rules before insert on plots
  for each row when (not landinv_bulk()) execute function plots_rules();
create trigger plots_rules_update before update on plots
  for each row execute function plots_rules();

-- plots_rules_set checks the rules of plots_rules, plots_version_sequence and landinv_zone_lock
-- over the rows of one INSERT statement, when landinv_bulk(). Each step finds the first
-- offending row (in insert order) set-based, then raises what the row trigger would.
--
-- Validity: a plot's geometry column only takes an EPSG:4326 MultiPolygon (its type), and the
-- CHECK plots_geom_valid (0030) refuses an invalid or empty one for every row, whoever writes;
-- the set check adds the coordinate range. The join queries run through EXECUTE, planned for
-- the statement's rows at hand (a cached plan made for one row would probe an index 100 000
-- times), and the join methods are chosen here, not left to statistics that cannot yet count
-- the rows being inserted: hash joins for the version look-ups, the live plots' GiST index for
-- the overlap join. The SET clauses restore the caller's settings on return.
create function plots_rules_set() returns trigger language plpgsql
set jit = off set enable_nestloop = on set enable_hashjoin = on set enable_mergejoin = on set enable_seqscan = on
as $$
declare
  r record;
  z integer;
  hits jsonb;
begin
  if not landinv_bulk() then
    return null;
  end if;
  -- The zone's write lock (landinv_zone_lock), once per zone and transaction.
  for z in select distinct n.zone_id from new_rows n where landinv_is_live(n.valid_to, n.archived) order by 1 loop
    if coalesce(current_setting('landinv.zone_locked_' || z, true), '') <> txid_current()::text then
      insert into zone_locks as l (zone_id, writes) values (z, 1)
        on conflict (zone_id) do update set writes = l.writes + 1;
      perform set_config('landinv.zone_locked_' || z, txid_current()::text, true);
    end if;
  end loop;
  -- Version sequence (version n follows the code's last other version; 1 for a new code) and
  -- lifecycle (the status steps from the previous version's; not for archives and restores):
  -- one hash join of the new rows with the other versions of their codes.
  perform set_config('enable_nestloop', 'off', true);
  execute $q$
    select n.code, n.version, n.status, coalesce(max(p.version), 0) as last,
           max(p.status) filter (where p.version = n.version - 1) as prev, n.archived
    from new_rows n left join plots p on p.zone_id = n.zone_id and p.code = n.code and p.id <> n.id
    group by n.id, n.code, n.version, n.status, n.archived
    having n.version <> coalesce(max(p.version), 0) + 1
        or (n.version > 1 and not n.archived and not landinv_restoring()
            and not landinv_status_step_ok(max(p.status) filter (where p.version = n.version - 1), n.status))
    order by n.id limit 1$q$ into r;
  perform set_config('enable_nestloop', 'on', true);
  if r.code is not null then
    if r.version <> r.last + 1 and r.version = 1 then
      perform landinv_raise('LI409', 'code', format('%s %s already exists', TG_TABLE_NAME, r.code));
    elsif r.version <> r.last + 1 then
      perform landinv_raise('LI409', 'version',
        format('%s %s: version %s does not follow version %s', TG_TABLE_NAME, r.code, r.version, r.last));
    end if;
    perform landinv_raise('LI422', 'status', format('cannot go from %s to %s', r.prev, r.status),
      jsonb_build_object('from', r.prev, 'to', r.status));
  end if;
  -- Coordinates in range (the rest of validity: the column's type and CHECK plots_geom_valid).
  select n.geom into r from new_rows n
  where landinv_is_live(n.valid_to, n.archived)
    and (ST_XMin(n.geom) < -180 or ST_XMax(n.geom) > 180 or ST_YMin(n.geom) < -90 or ST_YMax(n.geom) > 90)
  order by n.id limit 1;
  if found then
    perform landinv_check_geometry(r.geom, 'polygon');
  end if;
  -- Inside the zone: one containment join.
  execute $q$
    select n.zone_id, n.geom from new_rows n left join zones zn on zn.id = n.zone_id
    where landinv_is_live(n.valid_to, n.archived)
      and (zn.id is null or (not ST_CoveredBy(n.geom, zn.geom) and ST_Area(ST_Difference(n.geom, zn.geom)::geography) > 1.0))
    order by n.id limit 1$q$ into r;
  if r.zone_id is not null then
    perform landinv_check_in_zone(r.zone_id, r.geom);
  end if;
  -- Districts: a named one exists; a missing one is missing only when none intersects.
  execute $q$
    select n.district, n.zone_id from new_rows n
    where landinv_is_live(n.valid_to, n.archived)
      and case when n.district is null
               then exists (select 1 from layout l where l.zone_id = n.zone_id and l.kind = 'district'
                            and l.valid_to = 'infinity' and not l.archived and ST_Intersects(l.geom, n.geom))
               else not exists (select 1 from layout l where l.zone_id = n.zone_id and l.kind = 'district' and l.code = n.district
                                and l.valid_to = 'infinity' and not l.archived)
          end
    order by n.id limit 1$q$ into r;
  if r.zone_id is not null then
    if r.district is null then
      perform landinv_raise('LI422', 'district', 'is missing: a bulk writer derives it from the districts the plot lies in');
    end if;
    perform landinv_raise('LI422', 'district', format('unknown district %L', r.district));
  end if;
  -- Overlaps: one spatial join of the new rows against every live plot of their zones (the new
  -- ones included, through the live plots' GiST index), each pair once, from the later row, as
  -- the row trigger finds it; under the zone's overlap lock, as the row trigger takes it.
  for z in select distinct n.zone_id from new_rows n where landinv_is_live(n.valid_to, n.archived) order by 1 loop
    perform pg_advisory_xact_lock(hashtext('landinv.plots'), z);
  end loop;
  perform set_config('enable_hashjoin', 'off', true);
  perform set_config('enable_mergejoin', 'off', true);
  perform set_config('enable_seqscan', 'off', true);
  execute $q$
    select n.id, n.code, n.geom
    from new_rows n cross join lateral (
      -- offset 0 keeps the other conditions out: the GiST index finds the candidates.
      select p.id, p.code, p.zone_id, p.geom from plots p
      where p.geom && n.geom and p.valid_to = 'infinity' and not p.archived offset 0) p
    where landinv_is_live(n.valid_to, n.archived) and p.zone_id = n.zone_id and p.id < n.id and p.code <> n.code
      and ST_Intersects(p.geom, n.geom) and ST_Area(ST_Intersection(p.geom, n.geom)::geography) > 1.0
    order by n.id limit 1$q$ into r;
  if r.id is not null then
    execute $q$
      select jsonb_agg(jsonb_build_object('code', code, 'overlap_m2', round(a::numeric, 1)) order by code)
      from (select p.code, ST_Area(ST_Intersection(p.geom, $1)::geography) as a
            from plots p where p.zone_id = (select n.zone_id from new_rows n where n.id = $2)
              and p.valid_to = 'infinity' and not p.archived and p.id < $2 and p.code <> $3 and ST_Intersects(p.geom, $1)) o
      where a > 1.0$q$ into hits using r.geom, r.id, r.code;
    perform landinv_raise('LI409', 'geometry',
      format('overlaps %s existing plot(s) by more than 1 m²: %s', jsonb_array_length(hits),
             (select string_agg(format('%s (%s m²)', h->>'code', h->>'overlap_m2'), ', ') from jsonb_array_elements(hits) h)),
      jsonb_build_object('conflicts', hits));
  end if;
  return null;
end $$;

create trigger plots_rules_set after insert on plots
  referencing new table as new_rows
  for each statement execute function plots_rules_set();
