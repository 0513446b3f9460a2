-- 0031_zone_lock_once.sql: take the per-zone write lock once per transaction.
--
-- 0030 bumped zone_locks on every live plot written. An import of 100 000 plots in one
-- transaction then updated the same row 100 000 times, and each update had to step over all
-- the dead versions before it. The row lock is held to the end of the transaction anyway, so
-- the first write of a transaction to a zone takes it and the rest skip it.
create or replace function landinv_zone_lock() returns trigger language plpgsql as $$
declare
  mark constant text := 'landinv.zone_locked_' || NEW.zone_id;
begin
  if landinv_is_live(NEW.valid_to, NEW.archived)
     and coalesce(current_setting(mark, true), '') <> txid_current()::text then
    insert into zone_locks as z (zone_id, writes) values (NEW.zone_id, 1)
      on conflict (zone_id) do update set writes = z.writes + 1;
    perform set_config(mark, txid_current()::text, true);
  end if;
  return NEW;
end $$;

-- The version-sequence check ran dynamic SQL (EXECUTE) for every row, planning the query each
-- time. Each layer now gets its own function with static SQL, whose plan is cached.
do $$
declare
  t text;
begin
  foreach t in array array['layout', 'plots', 'plants', 'idle_sites', 'roads'] loop
    execute format($f$
      create function %1$I() returns trigger language plpgsql as $b$
      declare
        last integer;
      begin
        select max(version) into last from %2$I where zone_id = NEW.zone_id and code = NEW.code;
        if NEW.version = 1 and last is not null then
          perform landinv_raise('LI409', 'code', format('%%s %%s already exists', TG_TABLE_NAME, NEW.code));
        end if;
        if NEW.version <> coalesce(last, 0) + 1 then
          perform landinv_raise('LI409', 'version',
            format('%%s %%s: version %%s does not follow version %%s', TG_TABLE_NAME, NEW.code, NEW.version, coalesce(last, 0)));
        end if;
        return NEW;
      end $b$
    $f$, t || '_version_sequence', t);
    execute format('drop trigger a_version_sequence on %I', t);
    execute format('create trigger a_version_sequence before insert on %I for each row execute function %I()', t, t || '_version_sequence');
  end loop;
end $$;
drop function landinv_version_sequence();
