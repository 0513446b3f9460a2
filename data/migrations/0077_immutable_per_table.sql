-- 0077_immutable_per_table.sql: a version's columns are left out of the immutability check only
-- where they are generated in that table.
--
-- landinv_versions_immutable (0030, 0070) compared a version before and after an UPDATE minus
-- one list of columns shared by every versioned table: valid_to (closing a version) and the
-- generated columns, which closing recomputes. The list named footprint_m2, generated in plants
-- but an ordinary column of plots that writers set: an UPDATE that closed a plot's version could
-- change its footprint in place. Caches keyed by version (the feature cache, a tile's content
-- key; issue 11) rely on a version never changing, as the history does. The columns left out are
-- now valid_to and the table's own generated columns, read from the catalog (pg_attribute).
create or replace function landinv_versions_immutable() returns trigger language plpgsql as $$
declare
  exempt text[];
begin
  if landinv_maintenance() then
    return case when TG_OP = 'DELETE' then OLD else NEW end;
  end if;
  if TG_OP = 'DELETE' then
    perform landinv_raise('LI422', 'code',
      format('%s %s version %s cannot be deleted: archive it instead (history is never deleted)', TG_TABLE_NAME, OLD.code, OLD.version));
  end if;
  select array_agg(attname::text) || array['valid_to'] into exempt
    from pg_attribute where attrelid = TG_RELID and attgenerated = 's' and not attisdropped;
  if OLD.valid_to <> 'infinity' or NEW.valid_to = 'infinity'
     or (to_jsonb(OLD) - exempt) is distinct from (to_jsonb(NEW) - exempt) then
    perform landinv_raise('LI422', 'version',
      format('%s %s version %s cannot be changed in place: write a new version (only closing the live version is allowed)',
             TG_TABLE_NAME, OLD.code, OLD.version));
  end if;
  return NEW;
end $$;
