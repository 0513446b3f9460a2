-- 0061_projects.sql: investment projects (招商项目, issue 16), a confidential, versioned,
-- non-spatial layer like the enterprises (0050): append-only history, one version at a time,
-- as_of, a geom column that is always null. The Go side is inventory.ProjectLayer
-- (inventory/project.go), which states the same rules in its doc comments.
--
-- * A project records its investor (an enterprise's credit code when the firm is on record,
--   else its name), cluster, national industry code, total investment, its land need (亩 min–max,
--   land-use class) or plant need (m², floor load, clear height, crane), its committed per-mu
--   figures, the leader and officer responsible (领导包联制, 项目专员制) and the next action with
--   its due date (倒排工期).
-- * Stages (阶段), in order: lead 线索 → negotiating 洽谈 → signed 签约 → supplied 供地/租赁 →
--   started 开工 → in_production 投产; or dropped 终止 (with a reason) from any stage before
--   in_production. in_production and dropped are final. landinv_project_step_ok is the rule;
--   inventory.ProjectStepOK the same in Go (a drift test compares them).
-- * The stage, its dates, the drop reason, the plot, the plant and the leased area change only
--   through the stage action (POST /api/v1/projects/{code}/stage), which sets landinv.project_stage
--   for its transaction and moves the plot (ready → reserved → supplied → under_construction →
--   in_production) and the plant's leased area through the one write path in the same
--   transaction. projects_rules checks, on every live version: a new project starts as a lead
--   with no stage facts; a stage follows the previous version's by one step (or drops); a plot or
--   plant once set does not change; the plot of a signed / supplied / started / in-production
--   project is reserved / supplied / under_construction / in_production when the stage or the plot
--   changes; one live, not dropped project per plot and per enquiry. A restore is exempt (undoing
--   a mistake must be possible).

create table projects (
  id            bigint generated always as identity,
  zone_id       integer not null references zones (id),
  code          text not null check (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  version       integer not null default 1 check (version >= 1),
  valid_from    timestamptz not null default now(),
  valid_to      timestamptz not null default 'infinity',
  archived      boolean not null default false,
  changed_by    text not null default 'system',
  change_note   text,
  op            text not null default 'create' check (op in ('create', 'update', 'archive', 'restore')),
  restored_from integer check (restored_from >= 1),
  name          text not null check (btrim(name) <> ''),
  investor_code text check (investor_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
  investor_name text,
  cluster       text check (cluster in ('intelligent_manufacturing', 'energy_saving_environmental', 'new_energy', 'new_materials', 'modern_services')),
  industry_code text check (industry_code ~ '^[A-T]?[0-9]{2,4}$'),
  total_investment_wan double precision constraint projects_total_investment_wan_range check (total_investment_wan between 0 and 10000000),
  area_mu_min   double precision constraint projects_area_mu_min_range check (area_mu_min between 0 and 100000),
  area_mu_max   double precision constraint projects_area_mu_max_range check (area_mu_max between 0 and 100000),
  land_use      text,
  plant_area_m2 double precision constraint projects_plant_area_m2_range check (plant_area_m2 between 0 and 10000000),
  floor_load_kn_m2 double precision constraint projects_floor_load_kn_m2_range check (floor_load_kn_m2 between 0.5 and 200),
  clear_height_m double precision constraint projects_clear_height_m_range check (clear_height_m between 2 and 30),
  crane_capacity_t double precision constraint projects_crane_capacity_t_range check (crane_capacity_t between 0 and 500),
  investment_wan_per_mu double precision constraint projects_investment_wan_per_mu_range check (investment_wan_per_mu between 0 and 10000),
  tax_wan_per_mu_year double precision constraint projects_tax_wan_per_mu_year_range check (tax_wan_per_mu_year between 0 and 1000),
  output_wan_per_mu double precision constraint projects_output_wan_per_mu_range check (output_wan_per_mu between 0 and 20000),
  max_road_distance_m double precision constraint projects_max_road_distance_m_range check (max_road_distance_m between 0 and 5000),
  leader        text,
  officer       text,
  next_action   text,
  next_action_due date,
  stage         text not null default 'lead' check (stage in ('lead', 'negotiating', 'signed', 'supplied', 'started', 'in_production', 'dropped')),
  signed_on     date,
  supplied_on   date,
  started_on    date,
  in_production_on date,
  dropped_on    date,
  drop_reason   text,
  plot_code     text,
  plant_code    text,
  leased_m2     double precision constraint projects_leased_m2_range check (leased_m2 between 0 and 10000000),
  agreed_start_date date,
  enquiry_id    integer constraint projects_enquiry_id_range check (enquiry_id between 1 and 2147483647), -- an enquiry of the zone (projects_rules)
  illustrative  boolean not null default false,
  geom          geometry(Geometry, 4326) check (geom is null),
  primary key (zone_id, id), -- every key of a per-zone table includes zone_id (0056)
  unique (zone_id, code, version),
  constraint projects_valid_period check (valid_from <= valid_to),
  constraint projects_investor_given check (investor_code is not null or coalesce(btrim(investor_name), '') <> ''),
  constraint projects_area_order check (area_mu_min is null or area_mu_max is null or area_mu_min <= area_mu_max),
  constraint projects_site_after_signing check (stage not in ('lead', 'negotiating') or (plot_code is null and plant_code is null and leased_m2 is null)),
  constraint projects_lease_pair check ((plant_code is null) = (leased_m2 is null)),
  constraint projects_stage_dates check (
    (stage not in ('signed', 'supplied', 'started', 'in_production') or signed_on is not null)
    and (stage not in ('supplied', 'started', 'in_production') or supplied_on is not null)
    and (stage not in ('started', 'in_production') or started_on is not null)
    and (stage <> 'in_production' or in_production_on is not null)),
  constraint projects_dates_order check (
    (signed_on is null or supplied_on is null or signed_on <= supplied_on)
    and (supplied_on is null or started_on is null or supplied_on <= started_on)
    and (started_on is null or in_production_on is null or started_on <= in_production_on)
    and (dropped_on is null or signed_on is null or signed_on <= dropped_on)),
  constraint projects_dropped_reason check ((stage = 'dropped') = (dropped_on is not null and coalesce(btrim(drop_reason), '') <> ''))
);
create unique index projects_live_code on projects (zone_id, code) where valid_to = 'infinity';
create index projects_history on projects (zone_id, code, valid_from);
create index projects_live_stage on projects (zone_id, stage) where valid_to = 'infinity' and not archived;
create index projects_live_plot on projects (zone_id, plot_code) where valid_to = 'infinity' and not archived and plot_code is not null;

-- landinv_project_step_ok: may a project's stage go from a to b? Staying put, one step forward,
-- or dropped from any stage before in_production.
create function landinv_project_step_ok(a text, b text) returns boolean
language sql immutable as $$
  select a = b
      or (a, b) in (('lead', 'negotiating'), ('negotiating', 'signed'), ('signed', 'supplied'),
                    ('supplied', 'started'), ('started', 'in_production'))
      or (b = 'dropped' and a in ('lead', 'negotiating', 'signed', 'supplied', 'started'))
$$;

-- landinv_project_plot_status: the status a project's plot has at a stage (null: no rule).
create function landinv_project_plot_status(stage text) returns text
language sql immutable as $$
  select case stage when 'signed' then 'reserved' when 'supplied' then 'supplied'
                    when 'started' then 'under_construction' when 'in_production' then 'in_production' end
$$;

-- landinv_project_staging: is this transaction the stage action's (set local landinv.project_stage)?
create function landinv_project_staging() returns boolean language sql stable as $$
  select coalesce(current_setting('landinv.project_stage', true), '') = 'on'
$$;

create function projects_rules() returns trigger language plpgsql as $$
declare
  prev projects;
  want text;
  have text;
begin
  if not landinv_is_live(NEW.valid_to, NEW.archived) or landinv_restoring() then
    return NEW;
  end if;
  if NEW.investor_code is not null and not exists (
       select 1 from enterprises e where e.zone_id = NEW.zone_id and e.code = NEW.investor_code
       and e.valid_to = 'infinity' and not e.archived) then
    perform landinv_raise('LI422', 'investor_code', format('no enterprise with credit code %s in the zone; add the firm first, or give investor_name', NEW.investor_code),
      jsonb_build_object('project_rule', 'project_unknown_investor', 'value', NEW.investor_code));
  end if;
  if NEW.enquiry_id is not null then
    if not exists (select 1 from enquiries q where q.id = NEW.enquiry_id and q.zone_id = NEW.zone_id) then
      perform landinv_raise('LI422', 'enquiry_id', format('no enquiry %s in the zone', NEW.enquiry_id),
        jsonb_build_object('project_rule', 'project_unknown_enquiry', 'value', NEW.enquiry_id));
    end if;
    if exists (select 1 from projects o where o.zone_id = NEW.zone_id and o.enquiry_id = NEW.enquiry_id and o.code <> NEW.code
               and o.valid_to = 'infinity' and not o.archived) then
      perform landinv_raise('LI409', 'enquiry_id', format('enquiry %s is already a project', NEW.enquiry_id),
        jsonb_build_object('project_rule', 'project_enquiry_taken', 'value', NEW.enquiry_id));
    end if;
  end if;
  select * into prev from projects p where p.zone_id = NEW.zone_id and p.code = NEW.code and p.version = NEW.version - 1;
  if not found or prev.archived then
    prev := null;
  end if;
  if prev.id is null and NEW.version = 1 then
    if NEW.stage <> 'lead' or num_nonnulls(NEW.signed_on, NEW.supplied_on, NEW.started_on, NEW.in_production_on,
         NEW.dropped_on, NEW.drop_reason, NEW.plot_code, NEW.plant_code, NEW.leased_m2) > 0 then
      perform landinv_raise('LI422', 'stage', 'a new project starts as a lead (线索), without stage dates, plot or plant; move it on with the stage action',
        jsonb_build_object('project_rule', 'project_starts_as_lead'));
    end if;
    return NEW;
  end if;
  if prev.id is null then
    return NEW; -- an archived project coming back is a restore
  end if;
  if (NEW.stage, NEW.signed_on, NEW.supplied_on, NEW.started_on, NEW.in_production_on, NEW.dropped_on, NEW.drop_reason,
      NEW.plot_code, NEW.plant_code, NEW.leased_m2)
     is distinct from
     (prev.stage, prev.signed_on, prev.supplied_on, prev.started_on, prev.in_production_on, prev.dropped_on, prev.drop_reason,
      prev.plot_code, prev.plant_code, prev.leased_m2) then
    if not landinv_project_staging() then
      perform landinv_raise('LI422', 'stage', 'the stage, its dates, the plot and the plant change only through the stage action (POST /api/v1/projects/{code}/stage)',
        jsonb_build_object('project_rule', 'project_stage_action_only'));
    end if;
    if not landinv_project_step_ok(prev.stage, NEW.stage) then
      perform landinv_raise('LI422', 'stage',
        format('cannot go from %s to %s; a project goes lead → negotiating → signed → supplied → started → in_production one stage at a time, or to dropped with a reason', prev.stage, NEW.stage),
        jsonb_build_object('from', prev.stage, 'to', NEW.stage));
    end if;
    if prev.plot_code is not null and NEW.plot_code is distinct from prev.plot_code then
      perform landinv_raise('LI422', 'plot_code', format('the project''s plot is %s and cannot change; drop the project and start another', prev.plot_code),
        jsonb_build_object('project_rule', 'project_site_fixed', 'value', prev.plot_code));
    end if;
    if prev.plant_code is not null and (NEW.plant_code, NEW.leased_m2) is distinct from (prev.plant_code, prev.leased_m2) then
      perform landinv_raise('LI422', 'plant_code', format('the project''s lease in plant %s cannot change; drop the project and start another', prev.plant_code),
        jsonb_build_object('project_rule', 'project_site_fixed', 'value', prev.plant_code));
    end if;
    want := landinv_project_plot_status(NEW.stage);
    if NEW.plot_code is not null and want is not null
       and (NEW.stage <> prev.stage or NEW.plot_code is distinct from prev.plot_code) then
      select p.status into have from plots p where p.zone_id = NEW.zone_id and p.code = NEW.plot_code
        and p.valid_to = 'infinity' and not p.archived;
      if have is null then
        perform landinv_raise('LI422', 'plot_code', format('unknown plot ''%s''', NEW.plot_code));
      end if;
      if have <> want then
        perform landinv_raise('LI422', 'plot_code', format('plot %s is %s; the plot of a %s project is %s', NEW.plot_code, have, NEW.stage, want),
          jsonb_build_object('project_rule', 'project_plot_status', 'value', have, 'want', want));
      end if;
      if exists (select 1 from projects o where o.zone_id = NEW.zone_id and o.plot_code = NEW.plot_code and o.code <> NEW.code
                 and o.valid_to = 'infinity' and not o.archived and o.stage <> 'dropped') then
        perform landinv_raise('LI409', 'plot_code', format('plot %s is another project''s', NEW.plot_code),
          jsonb_build_object('project_rule', 'project_plot_taken', 'value', NEW.plot_code));
      end if;
    end if;
    if NEW.plant_code is not null and NEW.plant_code is distinct from prev.plant_code and not exists (
         select 1 from plants s where s.zone_id = NEW.zone_id and s.code = NEW.plant_code
         and s.valid_to = 'infinity' and not s.archived) then
      perform landinv_raise('LI422', 'plant_code', format('no standard plant %s in the zone', NEW.plant_code),
        jsonb_build_object('project_rule', 'project_unknown_plant', 'value', NEW.plant_code));
    end if;
  end if;
  return NEW;
end $$;
create trigger projects_rules before insert or update on projects for each row execute function projects_rules();

-- The bookkeeping every layer table has (0030, 0031, 0032, as 0050 for the enterprises).
create trigger a_versions_immutable before update or delete on projects for each row execute function landinv_versions_immutable();
create trigger a_no_truncate before truncate on projects for each statement execute function landinv_no_truncate();
create function projects_version_sequence() returns trigger language plpgsql as $$
declare
  last integer;
begin
  select max(version) into last from projects where zone_id = NEW.zone_id and code = NEW.code;
  if NEW.version = 1 and last is not null then
    perform landinv_raise('LI409', 'code', format('%s %s already exists', TG_TABLE_NAME, NEW.code));
  end if;
  if NEW.version <> coalesce(last, 0) + 1 then
    perform landinv_raise('LI409', 'version',
      format('%s %s: version %s does not follow version %s', TG_TABLE_NAME, NEW.code, NEW.version, coalesce(last, 0)));
  end if;
  return NEW;
end $$;
create trigger a_version_sequence before insert on projects for each row execute function projects_version_sequence();
create constraint trigger z_bump_revision after insert or update or delete on projects
  deferrable initially deferred for each row execute function landinv_bump_revision_once();
alter table projects add constraint projects_one_version_at_a_time exclude using gist
  (zone_id with =, code with =, tstzrange(valid_from, valid_to, '[)') with &&);
