-- 0002_history.sql: what kind of change each version records.
--
-- op: create | update | archive | restore (the first version is a create; an import that
-- updates an existing code writes an update). restored_from: for a restore, the version whose
-- contents it copied. Who (changed_by) and when (valid_from) are in 0001.
do $$
declare
  t text;
begin
  foreach t in array array['layout', 'plots', 'plants', 'idle_sites', 'roads'] loop
    execute format('alter table %I add column op text not null default ''create''
                      check (op in (''create'', ''update'', ''archive'', ''restore''))', t);
    execute format('alter table %I add column restored_from integer check (restored_from >= 1)', t);
    execute format('update %I set op = case when archived then ''archive'' when version > 1 then ''update'' else ''create'' end', t);
  end loop;
end $$;
