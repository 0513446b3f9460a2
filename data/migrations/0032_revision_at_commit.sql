-- 0032_revision_at_commit.sql: bump the revision counter once per transaction, at commit.
--
-- 0030 bumped inventory_revision in every writing statement, so a writer held the counter's row
-- lock from its first write to its commit: a long import made every other writer, in every
-- zone, wait for it. Now a deferred trigger bumps the counter once, when the transaction
-- commits, and the lock is held only for the commit itself. Readers still see the counter move
-- exactly when they can see the change.
create function landinv_bump_revision_once() returns trigger language plpgsql as $$
declare
  mark constant text := 'landinv.revision_bumped';
begin
  if coalesce(current_setting(mark, true), '') <> txid_current()::text then
    update inventory_revision set n = n + 1;
    perform set_config(mark, txid_current()::text, true);
  end if;
  return null;
end $$;

do $$
declare
  t text;
begin
  foreach t in array array['layout', 'plots', 'plants', 'idle_sites', 'roads', 'zones', 'land_use_codes'] loop
    execute format('drop trigger z_bump_revision on %I', t);
    execute format('create constraint trigger z_bump_revision after insert or update or delete on %I
                    deferrable initially deferred for each row execute function landinv_bump_revision_once()', t);
  end loop;
end $$;
drop function landinv_bump_revision();
