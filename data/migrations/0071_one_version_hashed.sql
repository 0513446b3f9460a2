-- 0071_one_version_hashed.sql: "one valid version of a code at a time" checked through an
-- integer first (issue 11, imports).
--
-- Every versioned table has the exclusion constraint <table>_one_version_at_a_time (0030, 0050,
-- 0061): no two rows of one zone and code whose validity ranges [valid_from, valid_to) overlap.
-- Its GiST index (btree_gist) held zone_id, code and the range. All the rows of a zone share
-- zone_id, and all the rows of one import share their range, so the code told the entries apart,
-- and a text key in GiST is costly: every insert chose its leaf by comparing codes (detoasting
-- and collating each entry's bounds), and every check of the constraint compared codes again on
-- each page it visited. An INSERT of 100 000 plots spent more in this constraint than in all
-- the other indexes, checks and generated columns together (measured on an empty zone: 23–26 s
-- with it, 9 s without it, 10.5–12.7 s in the form below; the 2-core machine under load).
--
-- The constraint keeps its name and its meaning; hashtext(code) comes in before the code as
-- one more equality. Equal codes have equal hashes, so the rows it refuses are exactly the rows
-- it refused before (two codes with the same hash are still told apart by the code itself); the
-- index now sorts and prunes by an integer, and compares codes only between rows whose hashes
-- are equal. Refusals are the same exclusion_violation (SQLSTATE 23P01), which the store maps
-- to words by its SQLSTATE, not by the constraint's definition.
--
-- The code is compared in the "C" collation: for text, equality is the same in every
-- deterministic collation (the same bytes), so the meaning does not change, and a query's
-- "code = $1" (the database's collation) no longer matches this index. It must not: ordered
-- by the hash, the index would make a look-up by code visit every entry of the zone (a plot
-- by code took 40 ms instead of 0.02 ms, seen in the feature race), where the B-tree indexes
-- on (zone_id, code) answer it in one probe.

do $$
declare
  t text;
begin
  foreach t in array array['plots', 'plants', 'idle_sites', 'roads', 'layout', 'enterprises',
                           'enterprise_figures', 'projects'] loop
    execute format('alter table %I drop constraint %I', t, t || '_one_version_at_a_time');
    execute format('alter table %I add constraint %I exclude using gist
                    (zone_id with =, hashtext(code) with =, code collate "C" with =, tstzrange(valid_from, valid_to, ''[)'') with &&)',
                   t, t || '_one_version_at_a_time');
  end loop;
end $$;
