-- 0030_integrity.sql: the versioned history is append-only, whoever writes.
--
-- * Versions are immutable: the only UPDATE allowed on a layer row is closing the live version
--   (valid_to from 'infinity' to a time); DELETE and TRUNCATE are refused. A maintenance session
--   may lift this with `set local landinv.maintenance = on` (migrations fixing data, say).
-- * Versions of one code follow each other: version n+1 after n, and no two versions of a code
--   are valid at the same time (an exclusion constraint on the validity range).
-- * Every version, live or not, has a valid, non-empty geometry.
-- * Overlap checks serialise on a per-zone row (zone_locks), so two concurrent writers cannot both
--   pass, at any isolation level: under READ COMMITTED the second waits and then sees the first;
--   under REPEATABLE READ or SERIALIZABLE it fails with a serialization error (40001).
-- * A zone whose boundary changes must still hold its live plots and idle sites (at commit).
-- * inventory_revision counts committed changes, for HTTP ETags.

create extension if not exists btree_gist;

create function landinv_maintenance() returns boolean
language sql stable as $$ select coalesce(current_setting('landinv.maintenance', true), '') = 'on' $$;

-- Immutable versions.
create function landinv_versions_immutable() returns trigger language plpgsql as $$
declare
  generated constant text[] := array['valid_to', 'area_m2', 'footprint_m2', 'free_area_m2', 'length_m'];
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

create function landinv_no_truncate() returns trigger language plpgsql as $$
begin
  if not landinv_maintenance() then
    perform landinv_raise('LI422', 'table', format('%s cannot be truncated: history is never deleted', TG_TABLE_NAME));
  end if;
  return null;
end $$;

-- Version n+1 follows n.
create function landinv_version_sequence() returns trigger language plpgsql as $$
declare
  last integer;
begin
  execute format('select max(version) from %I where zone_id = $1 and code = $2', TG_TABLE_NAME)
    into last using NEW.zone_id, NEW.code;
  if NEW.version = 1 and last is not null then
    perform landinv_raise('LI409', 'code', format('%s %s already exists', TG_TABLE_NAME, NEW.code));
  end if;
  if NEW.version <> coalesce(last, 0) + 1 then
    perform landinv_raise('LI409', 'version',
      format('%s %s: version %s does not follow version %s', TG_TABLE_NAME, NEW.code, NEW.version, coalesce(last, 0)));
  end if;
  return NEW;
end $$;

create table zone_locks (
  zone_id integer primary key references zones (id),
  writes  bigint not null default 0
);

create function landinv_zone_lock() returns trigger language plpgsql as $$
begin
  if landinv_is_live(NEW.valid_to, NEW.archived) then
    insert into zone_locks as z (zone_id, writes) values (NEW.zone_id, 1)
      on conflict (zone_id) do update set writes = z.writes + 1;
  end if;
  return NEW;
end $$;

-- The revision counter: one row, bumped once per writing statement, in the writer's transaction.
create table inventory_revision (
  one boolean primary key default true check (one),
  n   bigint not null
);
insert into inventory_revision (n) values (1);

create function landinv_bump_revision() returns trigger language plpgsql as $$
begin
  update inventory_revision set n = n + 1;
  return null;
end $$;

do $$
declare
  t text;
begin
  foreach t in array array['layout', 'plots', 'plants', 'idle_sites', 'roads'] loop
    -- Triggers fire in name order: these "a_" ones run before the layer's rules.
    execute format('create trigger a_versions_immutable before update or delete on %I
                    for each row execute function landinv_versions_immutable()', t);
    execute format('create trigger a_no_truncate before truncate on %I
                    for each statement execute function landinv_no_truncate()', t);
    execute format('create trigger a_version_sequence before insert on %I
                    for each row execute function landinv_version_sequence()', t);
    execute format('create trigger z_bump_revision after insert or update or delete or truncate on %I
                    for each statement execute function landinv_bump_revision()', t);
    execute format('alter table %I add constraint %I check (ST_IsValid(geom) and not ST_IsEmpty(geom))', t, t || '_geom_valid');
    execute format('alter table %I add constraint %I exclude using gist
                    (zone_id with =, code with =, tstzrange(valid_from, valid_to, ''[)'') with &&)', t, t || '_one_version_at_a_time');
  end loop;
end $$;

create trigger a_zone_lock before insert or update on plots
  for each row execute function landinv_zone_lock();

create trigger z_bump_revision after insert or update or delete or truncate on zones
  for each statement execute function landinv_bump_revision();
create trigger z_bump_revision after insert or update or delete or truncate on land_use_codes
  for each statement execute function landinv_bump_revision();

-- A zone's boundary may only change if it still holds its live plots and idle sites.
create function zones_keep_contents() returns trigger language plpgsql as $$
declare
  outside jsonb;
begin
  select jsonb_agg(code order by code) into outside from (
    select p.code from plots p
    where p.zone_id = NEW.id and p.valid_to = 'infinity' and not p.archived
      and not ST_CoveredBy(p.geom, NEW.geom) and ST_Area(ST_Difference(p.geom, NEW.geom)::geography) > 1.0
    union all
    select s.code from idle_sites s
    where s.zone_id = NEW.id and s.valid_to = 'infinity' and not s.archived
      and not ST_CoveredBy(s.geom, NEW.geom) and ST_Area(ST_Difference(s.geom, NEW.geom)::geography) > 1.0
  ) o;
  if outside is not null then
    perform landinv_raise('LI409', 'geometry',
      format('the new boundary would leave %s plot(s) or site(s) outside the zone: %s', jsonb_array_length(outside),
             (select string_agg(x, ', ') from (select x from jsonb_array_elements_text(outside) x limit 20) y)),
      jsonb_build_object('outside', (select jsonb_agg(x) from (select x from jsonb_array_elements(outside) x limit 100) y)));
  end if;
  return null;
end $$;
create constraint trigger zones_keep_contents after update of geom on zones
  deferrable initially deferred for each row
  execute function zones_keep_contents();
