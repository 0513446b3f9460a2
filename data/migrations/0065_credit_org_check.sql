-- 0065_credit_org_check.sql: a unified social credit code's embedded organisation code
-- (positions 9–17, GB 11714-1997) must pass its own check character, as in Go
-- (inventory.CheckCreditCode, inventory.OrgCheckChar).
--
-- * landinv_credit_code_valid, the rule enterprises_rules applies to a new enterprise's code
--   (version 1), now checks the organisation code too. Versions already written are not checked
--   again: codes that migration 0050 made before this rule stay (a reference to a firm is
--   checked for the GB 32100 checksum only, inventory.CheckCreditCodeFormat).
-- * enterprises_rules (0050) says so when it refuses a code; it is otherwise unchanged.
-- * landinv_provisional_credit_code makes codes that pass it: 91 (enterprise), 141000
--   (Linfen), X and 7 digits from the name's hash, the organisation code's check character,
--   the checksum.

-- GB 11714-1997 check character of an organisation code's 8 body characters
-- (inventory.OrgCheckChar): 11 − (Σ value × weight mod 11), 10 → X, 11 → 0; a digit is worth
-- itself, a capital 10 (A) to 35 (Z).
create function landinv_org_check(body8 text) returns text language plpgsql immutable as $$
declare
  weights constant int[] := array[3, 7, 9, 10, 5, 8, 4, 2];
  s int := 0;
  v int;
  c int;
begin
  if body8 is null or length(body8) <> 8 then
    return null;
  end if;
  for i in 1..8 loop
    v := strpos('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', substr(body8, i, 1)) - 1;
    if v < 0 then
      return null;
    end if;
    s := s + v * weights[i];
  end loop;
  c := 11 - s % 11;
  return case c when 10 then 'X' when 11 then '0' else c::text end;
end $$;

create or replace function landinv_credit_code_valid(code text) returns boolean language sql immutable as $$
  select length(code) = 18 and landinv_credit_check(left(code, 17)) = right(code, 1)
     and landinv_org_check(substr(code, 9, 8)) = substr(code, 17, 1)
$$;

create or replace function landinv_provisional_credit_code(zone_id integer, name text) returns text language sql immutable as $$
  select c || landinv_credit_check(c)
  from (select b || landinv_org_check(right(b, 8)) as c
        from (select '91141000X' || lpad((('x' || left(md5(zone_id || ':' || name), 15))::bit(60)::bigint % 10000000)::text, 7, '0') as b) x) y
$$;

create or replace function enterprises_rules() returns trigger language plpgsql as $$
declare
  bad text;
  t jsonb;
begin
  if NEW.version = 1 and not landinv_credit_code_valid(NEW.code) then
    perform landinv_raise('LI422', 'code', format('%s is no unified social credit code: it fails the GB 32100-2015 checksum or its organisation code''s GB 11714 check', NEW.code));
  end if;
  if not landinv_is_live(NEW.valid_to, NEW.archived) then
    return NEW;
  end if;
  if exists (select 1 from jsonb_array_elements(coalesce(NEW.plots, '[]')) e where jsonb_typeof(e) <> 'string') then
    perform landinv_raise('LI422', 'plots', 'must be an array of plot codes');
  end if;
  select e into bad from jsonb_array_elements_text(coalesce(NEW.plots, '[]')) e
  where not exists (select 1 from plots p where p.zone_id = NEW.zone_id and p.code = e
                    and p.valid_to = 'infinity' and not p.archived)
  limit 1;
  if bad is not null then
    perform landinv_raise('LI422', 'plots', format('%s is no live plot of the zone', bad));
  end if;
  for t in select * from jsonb_array_elements(coalesce(NEW.tenancies, '[]')) loop
    if jsonb_typeof(t) <> 'object' or jsonb_typeof(t->'plant_code') <> 'string' or jsonb_typeof(t->'leased_m2') <> 'number'
       or (t->>'leased_m2')::double precision <= 0 or (select count(*) from jsonb_object_keys(t)) <> 2 then
      perform landinv_raise('LI422', 'tenancies', 'each tenancy is {"plant_code": "...", "leased_m2": N > 0}');
    end if;
    if not exists (select 1 from plants s where s.zone_id = NEW.zone_id and s.code = t->>'plant_code'
                   and s.valid_to = 'infinity' and not s.archived) then
      perform landinv_raise('LI422', 'tenancies', format('%s is no live standard plant of the zone', t->>'plant_code'));
    end if;
  end loop;
  return NEW;
end $$;
