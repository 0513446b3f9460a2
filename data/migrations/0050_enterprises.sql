-- 0050_enterprises.sql: enterprises as records, their annual figures, and the per-mu benefit
-- evaluation (亩均效益评价, DOMAIN.md §6b).
--
-- * enterprises (企业) and enterprise_figures (年度数据) are versioned layers like the map layers
--   (append-only history, one version at a time, as_of), but non-spatial: their geom column is
--   always null. The Go side is inventory.EnterpriseLayer and inventory.FigureLayer.
-- * An enterprise's code is its unified social credit code (统一社会信用代码, GB 32100-2015).
--   It links to the plots it holds (plots: array of plot codes) and to its tenancies in
--   standard plants (tenancies: [{plant_code, leased_m2}]).
-- * The plots' enterprise field and the plants' tenants become such links: landinv_link_enterprises
--   creates one enterprise per name (per zone) not yet linked, with a provisional credit code
--   (provisional_code; a valid checksum, region 141000 Linfen, organisation part X + 8 digits
--   from the name's hash). The plots' and plants' fields stay as they are: nothing is lost.
-- * Evaluation schemes (versioned per zone and year), evaluation runs with their results, and
--   every step of an evaluation (computed, published, objection, finalized) in evaluation_events.

-- GB 32100-2015 check character of the first 17 characters (inventory.CreditCheckChar).
create function landinv_credit_check(first17 text) returns text language plpgsql immutable as $$
declare
  charset constant text := '0123456789ABCDEFGHJKLMNPQRTUWXY';
  weights constant int[] := array[1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  s int := 0;
  v int;
begin
  if length(first17) <> 17 then
    return null;
  end if;
  for i in 1..17 loop
    v := strpos(charset, substr(first17, i, 1)) - 1;
    if v < 0 then
      return null;
    end if;
    s := s + v * weights[i];
  end loop;
  return substr(charset, (31 - s % 31) % 31 + 1, 1);
end $$;

create function landinv_credit_code_valid(code text) returns boolean language sql immutable as $$
  select length(code) = 18 and landinv_credit_check(left(code, 17)) = right(code, 1)
$$;

create table enterprises (
  id            bigint generated always as identity primary key,
  zone_id       integer not null references zones (id),
  code          text not null check (code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'), -- checksum: enterprises_rules
  version       integer not null default 1 check (version >= 1),
  valid_from    timestamptz not null default now(),
  valid_to      timestamptz not null default 'infinity',
  archived      boolean not null default false,
  changed_by    text not null default 'system',
  change_note   text,
  op            text not null default 'create' check (op in ('create', 'update', 'archive', 'restore')),
  restored_from integer,
  name          text not null check (btrim(name) <> ''),
  cluster       text check (cluster in ('intelligent_manufacturing', 'energy_saving_environmental', 'new_energy', 'new_materials', 'modern_services')),
  industry_code text check (industry_code ~ '^[A-T]?[0-9]{2,4}$'),
  size_class    text check (size_class in ('above_scale', 'below_scale')),
  founded_on    date,
  exemption     text check (exemption in ('public_utility', 'start_up', 'major_project')),
  plots         jsonb check (plots is null or jsonb_typeof(plots) = 'array'),
  tenancies     jsonb check (tenancies is null or jsonb_typeof(tenancies) = 'array'),
  provisional_code boolean not null default false,
  illustrative  boolean not null default false,
  geom          geometry(Geometry, 4326) check (geom is null),
  unique (zone_id, code, version),
  check (valid_from <= valid_to)
);
create unique index enterprises_live_code on enterprises (zone_id, code) where valid_to = 'infinity';
create index enterprises_history on enterprises (zone_id, code, valid_from);

-- An enterprise's code passes the checksum; its links name live plots and plants of its zone.
create function enterprises_rules() returns trigger language plpgsql as $$
declare
  bad text;
  t jsonb;
begin
  if NEW.version = 1 and not landinv_credit_code_valid(NEW.code) then
    perform landinv_raise('LI422', 'code', format('%s fails the GB 32100-2015 checksum of a unified social credit code', NEW.code));
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
create trigger enterprises_rules before insert or update on enterprises for each row execute function enterprises_rules();

create table enterprise_figures (
  id            bigint generated always as identity primary key,
  zone_id       integer not null references zones (id),
  code          text not null check (code ~ '^[0-9A-Z]{18}-[0-9]{4}$'),
  version       integer not null default 1 check (version >= 1),
  valid_from    timestamptz not null default now(),
  valid_to      timestamptz not null default 'infinity',
  archived      boolean not null default false,
  changed_by    text not null default 'system',
  change_note   text,
  op            text not null default 'create' check (op in ('create', 'update', 'archive', 'restore')),
  restored_from integer,
  credit_code   text not null,     -- set from the code by enterprise_figures_rules
  year          integer not null,  -- set from the code by enterprise_figures_rules
  tax_wan                  double precision check (tax_wan >= 0),
  tax_wan_source           text,
  tax_wan_date             date,
  revenue_wan              double precision check (revenue_wan >= 0),
  revenue_wan_source       text,
  revenue_wan_date         date,
  value_added_wan          double precision check (value_added_wan >= 0),
  value_added_wan_source   text,
  value_added_wan_date     date,
  energy_tce               double precision check (energy_tce >= 0),
  energy_tce_source        text,
  energy_tce_date          date,
  emissions_t              double precision check (emissions_t >= 0),
  emissions_t_source       text,
  emissions_t_date         date,
  electricity_kwh          double precision check (electricity_kwh >= 0),
  electricity_kwh_source   text,
  electricity_kwh_date     date,
  employees                double precision check (employees >= 0),
  employees_source         text,
  employees_date           date,
  rd_wan                   double precision check (rd_wan >= 0),
  rd_wan_source            text,
  rd_wan_date              date,
  listed                  boolean,
  high_tech               boolean,
  safety_violation        boolean,
  environmental_violation boolean,
  illustrative  boolean not null default false,
  geom          geometry(Geometry, 4326) check (geom is null),
  unique (zone_id, code, version),
  check (valid_from <= valid_to)
);
create unique index enterprise_figures_live_code on enterprise_figures (zone_id, code) where valid_to = 'infinity';
create index enterprise_figures_history on enterprise_figures (zone_id, code, valid_from);
create index enterprise_figures_year on enterprise_figures (zone_id, year) where valid_to = 'infinity';

-- credit_code and year are read from the code (CREDITCODE-YYYY). Figures belong to a live
-- enterprise of the zone.
create function enterprise_figures_rules() returns trigger language plpgsql as $$
declare
  firm constant text := split_part(NEW.code, '-', 1);
begin
  NEW.credit_code := firm;
  NEW.year := split_part(NEW.code, '-', 2)::integer;
  if not landinv_is_live(NEW.valid_to, NEW.archived) or landinv_restoring() then
    return NEW;
  end if;
  if not exists (select 1 from enterprises e where e.zone_id = NEW.zone_id and e.code = firm
                 and e.valid_to = 'infinity' and not e.archived) then
    perform landinv_raise('LI422', 'credit_code', format('no enterprise with credit code %s in the zone; add the firm first', firm));
  end if;
  return NEW;
end $$;
create trigger enterprise_figures_rules before insert or update on enterprise_figures for each row execute function enterprise_figures_rules();

-- The bookkeeping every layer table has (0030, 0031, 0032): immutable versions, no truncate,
-- versions in sequence, one version at a time, the revision counter.
do $$
declare
  t text;
begin
  foreach t in array array['enterprises', 'enterprise_figures'] loop
    execute format('create trigger a_versions_immutable before update or delete on %I
                    for each row execute function landinv_versions_immutable()', t);
    execute format('create trigger a_no_truncate before truncate on %I
                    for each statement execute function landinv_no_truncate()', t);
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
    execute format('create trigger a_version_sequence before insert on %I for each row execute function %I()', t, t || '_version_sequence');
    execute format('create constraint trigger z_bump_revision after insert or update or delete on %I
                    deferrable initially deferred for each row execute function landinv_bump_revision_once()', t);
    execute format('alter table %I add constraint %I exclude using gist
                    (zone_id with =, code with =, tstzrange(valid_from, valid_to, ''[)'') with &&)', t, t || '_one_version_at_a_time');
  end loop;
end $$;

-- A provisional credit code for a firm known only by name: 91 (enterprise), 141000 (Linfen),
-- X and 8 digits from the name's hash, the check character.
create function landinv_provisional_credit_code(zone_id integer, name text) returns text language sql immutable as $$
  select c || landinv_credit_check(c)
  from (select '91141000X' || lpad((('x' || left(md5(zone_id || ':' || name), 15))::bit(60)::bigint % 100000000)::text, 8, '0') as c) x
$$;

-- landinv_link_enterprises makes an enterprise of every firm named on a live plot (enterprise)
-- or in a live plant's tenants of the zone that no live enterprise of that name holds yet,
-- linked to those plots and tenancies (leased_m2 = the tenant's area_m2). It returns how many
-- it made. Migration 0050 runs it for every zone; the demo load runs it after loading plants.
create function landinv_link_enterprises(zone integer, actor text) returns integer language plpgsql as $$
declare
  n integer;
begin
  with held as (
    select p.enterprise as name, jsonb_agg(p.code order by p.code) as plots,
           mode() within group (order by p.cluster) as cluster, bool_or(p.illustrative) as illustrative
    from plots p
    where p.zone_id = zone and p.valid_to = 'infinity' and not p.archived and nullif(btrim(p.enterprise), '') is not null
    group by p.enterprise
  ), leased as (
    select t->>'name' as name,
           jsonb_agg(jsonb_build_object('plant_code', s.code, 'leased_m2', (t->>'area_m2')::double precision) order by s.code) as tenancies,
           bool_or(s.illustrative) as illustrative
    from plants s cross join lateral jsonb_array_elements(coalesce(s.tenants, '[]')) t
    where s.zone_id = zone and s.valid_to = 'infinity' and not s.archived
      and nullif(btrim(t->>'name'), '') is not null and (t->>'area_m2')::double precision > 0
    group by t->>'name'
  ), firms as (
    select coalesce(h.name, l.name) as name, h.plots, l.tenancies, h.cluster,
           coalesce(h.illustrative, false) or coalesce(l.illustrative, false) as illustrative
    from held h full join leased l on l.name = h.name
  )
  insert into enterprises (zone_id, code, version, changed_by, change_note, op, name, cluster, plots, tenancies,
                           provisional_code, illustrative, valid_from)
  select zone, landinv_provisional_credit_code(zone, f.name), 1, actor,
         'linked from the plots'' enterprise and the plants'' tenants (provisional credit code)', 'create',
         f.name, f.cluster, f.plots, f.tenancies, true, f.illustrative, clock_timestamp()
  from firms f
  where not exists (select 1 from enterprises e where e.zone_id = zone and e.name = f.name and e.valid_to = 'infinity');
  get diagnostics n = row_count;
  return n;
end $$;

select landinv_link_enterprises(z.id, 'migration') from zones z;

-- Evaluation schemes (评价方案), one per zone and year, versioned: a change writes a version.
create table evaluation_schemes (
  id         bigint generated always as identity primary key,
  zone_id    integer not null references zones (id),
  year       integer not null check (year between 2000 and 2100),
  version    integer not null check (version >= 1),
  scheme     jsonb not null check (jsonb_typeof(scheme) = 'object'),
  changed_by text not null,
  valid_from timestamptz not null default clock_timestamp(),
  valid_to   timestamptz not null default 'infinity',
  unique (zone_id, year, version)
);

-- Evaluation runs (评价结果): each computation of a year's evaluation, with the scheme it used
-- and its results; state 草稿 draft → 公示 published (until published_until) → 定稿 final.
create table evaluation_runs (
  id              bigint generated always as identity primary key,
  zone_id         integer not null references zones (id),
  year            integer not null check (year between 2000 and 2100),
  run             integer not null check (run >= 1),
  state           text not null default 'draft' check (state in ('draft', 'published', 'final')),
  published_until date,
  computed_at     timestamptz not null default clock_timestamp(),
  computed_by     text not null,
  scheme_version  integer not null,
  scheme          jsonb not null,
  -- {results, not_eligible}: json, not jsonb, and lz4: a run of 10 000 firms is ~15 MB of text,
  -- written once and read whole.
  results         json compression lz4 not null check (json_typeof(results) = 'object'),
  unique (zone_id, year, run),
  check (state = 'draft' or published_until is not null)
);

-- Every step of an evaluation (评价过程): computed, published, objection, finalized.
create table evaluation_events (
  id      bigint generated always as identity primary key,
  zone_id integer not null references zones (id),
  year    integer not null,
  run     integer,
  at      timestamptz not null default clock_timestamp(),
  actor   text not null,
  action  text not null check (action in ('computed', 'published', 'objection', 'finalized', 'scheme_changed')),
  detail  jsonb not null default '{}'
);
create index evaluation_events_year on evaluation_events (zone_id, year, id);
