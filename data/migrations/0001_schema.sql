-- 0001_schema.sql: the land inventory.
--
-- Layers: zones, layout (corridor | axis | district), plots, plants, idle_sites, roads; plus
-- the code lists, accounts and API tokens.
--
-- Every feature layer is system-versioned: a row is one version of one feature, identified in
-- its zone by `code`. The current version has valid_to = 'infinity'; an edit closes the current
-- row (valid_to = now()) and inserts the next version; an archive inserts a version with
-- archived = true. Rows are never physically deleted, so history, restore and `as_of` all read
-- the same table:  valid_from <= t AND valid_to > t AND NOT archived.
--
-- Rules the database enforces on every live version (valid_to = 'infinity' and not archived),
-- whoever writes. They raise SQLSTATE LI422 (bad input) or LI409 (conflict with other features)
-- with a JSON DETAIL {"field": ..., "reason": ..., ...} that the service turns into an RFC 9457
-- problem:
--   * geometry valid (ST_IsValidDetail names the problem and where) and non-empty;
--   * plots and idle sites lie inside their zone (a sliver of <= 1 m² outside is tolerated);
--   * plots do not overlap each other by more than 1 m²;
--   * every plant lies inside a live plot (also checked at commit when a plot is edited or archived);
--   * district and plot codes are derived spatially when not given, and checked when given;
--   * status and idle-site stage follow their lifecycle from one version to the next.

create extension if not exists postgis;

-- Code lists --------------------------------------------------------------------------------

-- land_use_codes: 国土空间调查、规划、用途管制用地用海分类 (and older GB/T 21010 codes).
create table land_use_codes (
  code    text primary key,
  scheme  text not null check (scheme in ('gtkj', 'gbt21010')),
  name_zh text not null,
  name_en text not null,
  parent  text references land_use_codes (code)
);

insert into land_use_codes (code, scheme, name_zh, name_en, parent) values
  ('07',     'gtkj', '居住用地', 'Residential', null),
  ('0701',   'gtkj', '城镇住宅用地', 'Urban housing', '07'),
  ('08',     'gtkj', '公共管理与公共服务用地', 'Public administration and services', null),
  ('0801',   'gtkj', '机关团体用地', 'Government and organisations', '08'),
  ('0803',   'gtkj', '教育用地', 'Education', '08'),
  ('09',     'gtkj', '商业服务业用地', 'Commercial and business', null),
  ('0901',   'gtkj', '商业用地', 'Commerce', '09'),
  ('0902',   'gtkj', '商务金融用地', 'Business and finance', '09'),
  ('10',     'gtkj', '工矿用地', 'Industrial and mining', null),
  ('1001',   'gtkj', '工业用地', 'Industrial', '10'),
  ('100101', 'gtkj', '一类工业用地', 'Industrial, class 1', '1001'),
  ('100102', 'gtkj', '二类工业用地', 'Industrial, class 2', '1001'),
  ('100103', 'gtkj', '三类工业用地', 'Industrial, class 3', '1001'),
  ('11',     'gtkj', '仓储用地', 'Warehousing', null),
  ('1101',   'gtkj', '物流仓储用地', 'Logistics and warehousing', '11'),
  ('12',     'gtkj', '交通运输用地', 'Transport', null),
  ('1207',   'gtkj', '城镇道路用地', 'Urban roads', '12'),
  ('13',     'gtkj', '公用设施用地', 'Utilities', null),
  ('1301',   'gtkj', '供水用地', 'Water supply', '13'),
  ('1302',   'gtkj', '排水用地', 'Drainage and sewage', '13'),
  ('1303',   'gtkj', '供电用地', 'Power supply', '13'),
  ('14',     'gtkj', '绿地与开敞空间用地', 'Green and open space', null),
  ('1401',   'gtkj', '公园绿地', 'Parks', '14'),
  ('1402',   'gtkj', '防护绿地', 'Protective green', '14'),
  ('16',     'gtkj', '留白用地', 'Reserved (留白)', null),
  ('0601',   'gbt21010', '工业用地 (GB/T 21010)', 'Industrial (GB/T 21010)', null),
  ('1004',   'gbt21010', '城镇村道路用地 (GB/T 21010)', 'Urban roads (GB/T 21010)', null);

-- Zones -------------------------------------------------------------------------------------

-- zones: 开发区. More than one may exist; everything else belongs to one.
create table zones (
  id               integer generated always as identity primary key,
  code             text not null unique check (code ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name             text not null check (name <> ''),
  name_en          text,
  province         text,
  level            text not null default 'provincial' check (level in ('national', 'provincial', 'other')),
  planned_area_km2 double precision check (planned_area_km2 > 0),
  -- evaluation: ideal values and weights for the intensity score, per zone (issue: reports).
  evaluation       jsonb not null default '{}'::jsonb,
  illustrative     boolean not null default false,
  geom             geometry(MultiPolygon, 4326) not null,
  area_m2          double precision generated always as (ST_Area(geom::geography)) stored,
  created_at       timestamptz not null default now(),
  constraint zones_geom_valid check (ST_IsValid(geom) and not ST_IsEmpty(geom))
);
create index zones_geom_gix on zones using gist (geom);

-- Accounts ----------------------------------------------------------------------------------

create table users (
  id         integer generated always as identity primary key,
  name       text not null unique check (name ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$'),
  role       text not null check (role in ('viewer', 'planner', 'admin')),
  created_at timestamptz not null default now(),
  disabled   boolean not null default false
);

-- api_tokens: only the SHA-256 of a token is kept.
create table api_tokens (
  id           integer generated always as identity primary key,
  user_id      integer not null references users (id),
  token_hash   bytea not null unique check (length(token_hash) = 32),
  created_at   timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);

-- Helpers for the rules ---------------------------------------------------------------------

create function landinv_raise(code text, field text, reason text, extra jsonb default '{}'::jsonb)
returns void language plpgsql as $$
begin
  raise exception using
    errcode = code,
    message = field || ': ' || reason,
    detail  = (jsonb_build_object('field', field, 'reason', reason) || extra)::text;
end $$;

-- landinv_check_geometry: valid, non-empty, of the layer's type.
create function landinv_check_geometry(g geometry, want text) returns void
language plpgsql as $$
declare
  d valid_detail;
begin
  if g is null then
    perform landinv_raise('LI422', 'geometry', 'is missing');
  end if;
  if ST_IsEmpty(g) then
    perform landinv_raise('LI422', 'geometry', 'is empty');
  end if;
  if ST_SRID(g) <> 4326 then
    perform landinv_raise('LI422', 'geometry', format('must be in EPSG:4326, not EPSG:%s', ST_SRID(g)));
  end if;
  if want = 'polygon' and GeometryType(g) not in ('POLYGON', 'MULTIPOLYGON') then
    perform landinv_raise('LI422', 'geometry', format('must be a Polygon or MultiPolygon, not %s', GeometryType(g)));
  elsif want = 'line' and GeometryType(g) not in ('LINESTRING', 'MULTILINESTRING') then
    perform landinv_raise('LI422', 'geometry', format('must be a LineString or MultiLineString, not %s', GeometryType(g)));
  end if;
  d := ST_IsValidDetail(g);
  if not d.valid then
    perform landinv_raise('LI422', 'geometry', 'is invalid: ' || coalesce(d.reason, 'unknown reason'),
      case when d.location is null then '{}'::jsonb
           else jsonb_build_object('location', jsonb_build_array(round(ST_X(d.location)::numeric, 7), round(ST_Y(d.location)::numeric, 7)))
      end);
  end if;
  if ST_XMin(g) < -180 or ST_XMax(g) > 180 or ST_YMin(g) < -90 or ST_YMax(g) > 90 then
    if ST_XMin(g) >= -90 and ST_XMax(g) <= 90 and ST_YMin(g) >= -180 and ST_YMax(g) <= 180 then
      perform landinv_raise('LI422', 'geometry',
        'has latitudes outside -90..90; with longitude and latitude swapped they would fit, so the coordinates are probably in (lat, lon) order; GeoJSON wants (lon, lat)',
        jsonb_build_object('swapped_axes', true));
    end if;
    perform landinv_raise('LI422', 'geometry', 'has coordinates outside longitude -180..180 / latitude -90..90');
  end if;
end $$;

-- landinv_check_in_zone: inside the zone, up to a 1 m² sliver; says so when swapping
-- longitude and latitude would put it inside.
create function landinv_check_in_zone(zid integer, g geometry) returns void
language plpgsql as $$
declare
  z geometry;
  outside double precision;
begin
  select geom into z from zones where id = zid;
  if z is null then
    perform landinv_raise('LI422', 'zone', format('zone %s does not exist', zid));
  end if;
  if ST_CoveredBy(g, z) then
    return;
  end if;
  outside := ST_Area(ST_Difference(g, z)::geography);
  if outside <= 1.0 then
    return;
  end if;
  if ST_CoveredBy(ST_FlipCoordinates(g), z) then
    perform landinv_raise('LI422', 'geometry',
      'lies outside the zone; with longitude and latitude swapped it would lie inside, so the coordinates are probably in (lat, lon) order; GeoJSON wants (lon, lat)',
      jsonb_build_object('outside_m2', round(outside::numeric, 1), 'swapped_axes', true));
  end if;
  perform landinv_raise('LI422', 'geometry',
    format('lies outside the zone by %s m²', round(outside::numeric, 1)),
    jsonb_build_object('outside_m2', round(outside::numeric, 1)));
end $$;

-- landinv_district_for: the live district of the zone that holds most of g.
create function landinv_district_for(zid integer, g geometry) returns text
language plpgsql stable as $$
begin
  return (select l.code from layout l
          where l.zone_id = zid and l.kind = 'district' and l.valid_to = 'infinity' and not l.archived
            and ST_Intersects(l.geom, g)
          order by ST_Area(ST_Intersection(l.geom, g)) desc, l.code
          limit 1);
end $$;

-- Layers ------------------------------------------------------------------------------------
-- Columns every versioned layer shares (written out per table, since PostgreSQL's LIKE would
-- not carry the generated columns and checks we want):
--   id, zone_id, code, version, valid_from, valid_to, archived, changed_by, change_note

-- layout: the "233" layout (两廊三轴三区): corridors, axes and districts.
create table layout (
  id           bigint generated always as identity primary key,
  zone_id      integer not null references zones (id),
  code         text not null check (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  version      integer not null default 1 check (version >= 1),
  valid_from   timestamptz not null default now(),
  valid_to     timestamptz not null default 'infinity',
  archived     boolean not null default false,
  changed_by   text not null default 'system',
  change_note  text,
  kind         text not null check (kind in ('corridor', 'axis', 'district')),
  name         text not null check (name <> ''),
  name_en      text,
  illustrative boolean not null default false,
  geom         geometry(Geometry, 4326) not null,
  unique (zone_id, code, version),
  check (valid_from <= valid_to)
);
create unique index layout_live_code on layout (zone_id, code) where valid_to = 'infinity';
create index layout_geom_gix on layout using gist (geom);
create index layout_history on layout (zone_id, code, valid_from);

-- plots: 地块.
create table plots (
  id           bigint generated always as identity primary key,
  zone_id      integer not null references zones (id),
  code         text not null check (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  version      integer not null default 1 check (version >= 1),
  valid_from   timestamptz not null default now(),
  valid_to     timestamptz not null default 'infinity',
  archived     boolean not null default false,
  changed_by   text not null default 'system',
  change_note  text,
  name         text,
  name_en      text,
  district     text,
  land_use     text not null references land_use_codes (code),
  cluster      text check (cluster in ('intelligent_manufacturing', 'energy_saving_environmental',
                                       'new_energy', 'new_materials', 'modern_services')),
  status       text not null check (status in ('planned', 'ready', 'reserved', 'supplied',
                                               'under_construction', 'in_production', 'idle')),
  -- 标准地 and its control indicators (控制指标).
  standard_land                 boolean not null default false,
  min_investment_wan_per_mu     numeric check (min_investment_wan_per_mu >= 0),     -- 固定资产投资强度, 万元/亩
  min_tax_wan_per_mu_year       numeric check (min_tax_wan_per_mu_year >= 0),       -- 亩均税收, 万元/亩/年
  min_output_wan_per_mu         numeric check (min_output_wan_per_mu >= 0),         -- 产出强度, 万元/亩/年
  min_far                       numeric check (min_far >= 0),                       -- 容积率下限
  max_far                       numeric check (max_far >= 0),                       -- 容积率上限
  min_building_coverage_pct     numeric check (min_building_coverage_pct between 0 and 100), -- 建筑系数, %
  max_green_ratio_pct           numeric check (max_green_ratio_pct between 0 and 100),       -- 绿地率, %
  max_admin_share_pct           numeric check (max_admin_share_pct between 0 and 100),       -- 行政办公及生活服务设施用地比例, %
  max_energy_tce_per_wan        numeric check (max_energy_tce_per_wan >= 0),        -- 单位能耗, 吨标煤/万元
  environmental_standard        text,                                               -- 环境标准
  min_rd_share_pct              numeric check (min_rd_share_pct between 0 and 100), -- 研发经费占比, %
  -- 开发区土地集约利用评价 fields.
  eval_class     text check (eval_class in ('A1', 'A2', 'A31', 'A32', 'A4', 'A51', 'A52', 'A6',
                                            'B11', 'B12', 'B21', 'B22', 'C1', 'C2', 'C3')),
  supply_class   text check (supply_class in ('D1', 'D21', 'D22', 'E', 'F')),
  hightech_class text check (hightech_class in ('H1', 'H2')),
  floor_area_m2  double precision check (floor_area_m2 >= 0),   -- 总建筑面积
  footprint_m2   double precision check (footprint_m2 >= 0),    -- 建筑基底面积
  -- Dates for supply and the legal idle test (闲置土地处置办法 art. 2).
  supplied_on       date,
  agreed_start_date date,   -- 约定动工日期
  started_on        date,
  stopped_on        date,
  built_area_share  numeric check (built_area_share between 0 and 1),
  -- Confidential figures (DOMAIN.md §7): served only to planners and admins.
  enterprise             text,
  contact                text,
  investment_wan         numeric check (investment_wan >= 0),
  planned_investment_wan numeric check (planned_investment_wan >= 0),
  tax_wan_per_year       numeric check (tax_wan_per_year >= 0),
  output_wan_per_year    numeric check (output_wan_per_year >= 0),
  population             integer check (population >= 0),
  illustrative boolean not null default false,
  geom         geometry(MultiPolygon, 4326) not null,
  area_m2      double precision generated always as (ST_Area(geom::geography)) stored,
  unique (zone_id, code, version),
  check (valid_from <= valid_to),
  check (min_far is null or max_far is null or min_far <= max_far)
);
create unique index plots_live_code on plots (zone_id, code) where valid_to = 'infinity';
create index plots_geom_gix on plots using gist (geom);
create index plots_live_geom_gix on plots using gist (geom) where valid_to = 'infinity' and not archived;
create index plots_live_order on plots (zone_id, code) where valid_to = 'infinity' and not archived;
create index plots_history on plots (zone_id, code, valid_from);

-- plants: 标准化厂房 buildings.
create table plants (
  id           bigint generated always as identity primary key,
  zone_id      integer not null references zones (id),
  code         text not null check (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  version      integer not null default 1 check (version >= 1),
  valid_from   timestamptz not null default now(),
  valid_to     timestamptz not null default 'infinity',
  archived     boolean not null default false,
  changed_by   text not null default 'system',
  change_note  text,
  name         text,
  name_en      text,
  plot_code    text,
  district     text,
  status       text not null check (status in ('planned', 'under_construction', 'completed')),
  floors                int not null check (floors between 1 and 50),
  floor_height_m        numeric check (floor_height_m > 0 and floor_height_m < 50),  -- 层高
  floor_load_kn_m2      numeric check (floor_load_kn_m2 > 0),                        -- 楼面荷载
  span_m                numeric check (span_m > 0),                                  -- 跨度
  crane_capacity_t      numeric check (crane_capacity_t >= 0),                      -- 行车吨位
  total_floor_area_m2   double precision check (total_floor_area_m2 >= 0),
  leasable_area_m2      double precision not null default 0 check (leasable_area_m2 >= 0),
  leased_area_m2        double precision not null default 0 check (leased_area_m2 >= 0),
  free_area_m2          double precision generated always as (leasable_area_m2 - leased_area_m2) stored,
  asking_rent_yuan_per_m2_month numeric check (asking_rent_yuan_per_m2_month >= 0),
  -- Confidential (DOMAIN.md §7): [{name, area_m2, rent_yuan_per_m2_month}].
  tenants      jsonb check (tenants is null or jsonb_typeof(tenants) = 'array'),
  illustrative boolean not null default false,
  geom         geometry(MultiPolygon, 4326) not null,
  footprint_m2 double precision generated always as (ST_Area(geom::geography)) stored,
  unique (zone_id, code, version),
  check (valid_from <= valid_to),
  check (leased_area_m2 <= leasable_area_m2)
);
create unique index plants_live_code on plants (zone_id, code) where valid_to = 'infinity';
create index plants_geom_gix on plants using gist (geom);
create index plants_history on plants (zone_id, code, valid_from);

-- idle_sites: 闲置土地 / 僵尸企业用地.
create table idle_sites (
  id           bigint generated always as identity primary key,
  zone_id      integer not null references zones (id),
  code         text not null check (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  version      integer not null default 1 check (version >= 1),
  valid_from   timestamptz not null default now(),
  valid_to     timestamptz not null default 'infinity',
  archived     boolean not null default false,
  changed_by   text not null default 'system',
  change_note  text,
  name         text,
  name_en      text,
  kind         text not null default 'idle_land' check (kind in ('idle_land', 'zombie_enterprise')),
  plot_code    text,
  district     text,
  stage        text not null check (stage in ('survey', 'determination', 'notice_hearing',
                                              'disposal_plan', 'implementation', 'reactivated')),
  former_enterprise text,
  idle_since        date,
  disposal_route    text check (disposal_route in ('extend_start', 'change_use', 'temporary_use',
                       'paid_recovery', 'free_recovery', 'swap', 'judicial_auction',
                       'equity_transfer', 'industrial_upgrade', 'split_lease')),
  reclaimed_on      date,  -- 收回
  relet_on          date,  -- 盘活 / 再供应
  illustrative boolean not null default false,
  geom         geometry(MultiPolygon, 4326) not null,
  area_m2      double precision generated always as (ST_Area(geom::geography)) stored,
  unique (zone_id, code, version),
  check (valid_from <= valid_to)
);
create unique index idle_sites_live_code on idle_sites (zone_id, code) where valid_to = 'infinity';
create index idle_sites_geom_gix on idle_sites using gist (geom);
create index idle_sites_history on idle_sites (zone_id, code, valid_from);

-- roads: 道路.
create table roads (
  id           bigint generated always as identity primary key,
  zone_id      integer not null references zones (id),
  code         text not null check (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  version      integer not null default 1 check (version >= 1),
  valid_from   timestamptz not null default now(),
  valid_to     timestamptz not null default 'infinity',
  archived     boolean not null default false,
  changed_by   text not null default 'system',
  change_note  text,
  name         text not null check (name <> ''),
  name_en      text,
  segment      text,
  road_class   text check (road_class in ('trunk', 'primary', 'secondary', 'branch')),
  status       text not null check (status in ('existing', 'under_construction', 'planned',
                                               'preliminary', 'remediation')),
  planned_year int check (planned_year between 1900 and 2100),
  width_m      numeric check (width_m > 0 and width_m < 200),
  illustrative boolean not null default false,
  geom         geometry(MultiLineString, 4326) not null,
  length_m     double precision generated always as (ST_Length(geom::geography)) stored,
  unique (zone_id, code, version),
  check (valid_from <= valid_to)
);
create unique index roads_live_code on roads (zone_id, code) where valid_to = 'infinity';
create index roads_geom_gix on roads using gist (geom);
create index roads_live_geom_gix on roads using gist (geom) where valid_to = 'infinity' and not archived;
create index roads_history on roads (zone_id, code, valid_from);

-- Rules -------------------------------------------------------------------------------------

-- landinv_previous: the version a new row follows (null for version 1).
create function landinv_is_live(valid_to timestamptz, archived boolean) returns boolean
language sql immutable as $$ select valid_to = 'infinity' and not archived $$;

create function landinv_restoring() returns boolean
language sql stable as $$ select coalesce(current_setting('landinv.restore', true), '') = 'on' $$;

-- landinv_status_step_ok: the plot lifecycle.
--   planned → ready → reserved → supplied → under_construction → in_production;
--   reserved → ready (a reservation lapses); any status → idle;
--   idle → ready | reserved | supplied | under_construction | in_production (reclaimed or resumed).
create function landinv_status_step_ok(prev text, next text) returns boolean
language sql immutable as $$
  select prev = next
      or next = 'idle'
      or (prev, next) in (('planned', 'ready'), ('ready', 'reserved'), ('reserved', 'supplied'),
                          ('supplied', 'under_construction'), ('under_construction', 'in_production'),
                          ('reserved', 'ready'))
      or (prev = 'idle' and next in ('ready', 'reserved', 'supplied', 'under_construction', 'in_production'))
$$;

-- landinv_stage_step_ok: the idle-land workflow (DOMAIN.md §5), one step forward at a time.
--   survey → determination → notice_hearing → disposal_plan → implementation → reactivated
create function landinv_stage_step_ok(prev text, next text) returns boolean
language sql immutable as $$
  select prev = next
      or (prev, next) in (('survey', 'determination'), ('determination', 'notice_hearing'),
                          ('notice_hearing', 'disposal_plan'), ('disposal_plan', 'implementation'),
                          ('implementation', 'reactivated'))
$$;

create function landinv_check_district(zid integer, given text, g geometry) returns text
language plpgsql as $$
begin
  if given is null then
    return landinv_district_for(zid, g);
  end if;
  if not exists (select 1 from layout where zone_id = zid and kind = 'district' and code = given
                 and valid_to = 'infinity' and not archived) then
    perform landinv_raise('LI422', 'district', format('unknown district %L', given));
  end if;
  return given;
end $$;

create function plots_rules() returns trigger language plpgsql as $$
declare
  prev text;
  hits jsonb;
begin
  if TG_OP = 'INSERT' and NEW.version > 1 and not landinv_restoring() then
    select status into prev from plots where zone_id = NEW.zone_id and code = NEW.code and version = NEW.version - 1;
    if prev is not null and not NEW.archived and not landinv_status_step_ok(prev, NEW.status) then
      perform landinv_raise('LI422', 'status', format('cannot go from %s to %s', prev, NEW.status),
        jsonb_build_object('from', prev, 'to', NEW.status));
    end if;
  end if;
  if not landinv_is_live(NEW.valid_to, NEW.archived) then
    return NEW;
  end if;
  perform landinv_check_geometry(NEW.geom, 'polygon');
  perform landinv_check_in_zone(NEW.zone_id, NEW.geom);
  NEW.district := landinv_check_district(NEW.zone_id, NEW.district, NEW.geom);
  -- Overlaps: one writer per zone at a time, so two transactions cannot both pass.
  perform pg_advisory_xact_lock(hashtext('landinv.plots'), NEW.zone_id);
  select jsonb_agg(jsonb_build_object('code', code, 'overlap_m2', round(a::numeric, 1)) order by code)
    into hits
  from (
    select p.code, ST_Area(ST_Intersection(p.geom, NEW.geom)::geography) as a
    from plots p
    where p.zone_id = NEW.zone_id and p.valid_to = 'infinity' and not p.archived
      and p.code <> NEW.code and ST_Intersects(p.geom, NEW.geom)
  ) o
  where a > 1.0;
  if hits is not null then
    perform landinv_raise('LI409', 'geometry',
      format('overlaps %s existing plot(s) by more than 1 m²: %s', jsonb_array_length(hits),
             (select string_agg(format('%s (%s m²)', h->>'code', h->>'overlap_m2'), ', ') from jsonb_array_elements(hits) h)),
      jsonb_build_object('conflicts', hits));
  end if;
  return NEW;
end $$;
create trigger plots_rules before insert or update on plots for each row execute function plots_rules();

-- plots_keep_plants: at commit, no live plant may be left outside a live plot because a plot was
-- edited or archived.
create function plots_keep_plants() returns trigger language plpgsql as $$
declare
  orphans jsonb;
begin
  select jsonb_agg(pl.code order by pl.code) into orphans
  from plants pl
  where pl.zone_id = OLD.zone_id and pl.valid_to = 'infinity' and not pl.archived
    and ST_Intersects(pl.geom, OLD.geom)
    and not exists (
      select 1 from plots p
      where p.zone_id = pl.zone_id and p.valid_to = 'infinity' and not p.archived
        and ST_CoveredBy(pl.geom, p.geom));
  if orphans is not null then
    perform landinv_raise('LI409', 'geometry',
      format('would leave plant(s) %s outside any plot', (select string_agg(x, ', ') from jsonb_array_elements_text(orphans) x)),
      jsonb_build_object('plants', orphans));
  end if;
  return null;
end $$;
create constraint trigger plots_keep_plants after update on plots
  deferrable initially deferred for each row
  when (OLD.valid_to = 'infinity' and not OLD.archived)
  execute function plots_keep_plants();

create function plants_rules() returns trigger language plpgsql as $$
declare
  host record;
begin
  if not landinv_is_live(NEW.valid_to, NEW.archived) then
    return NEW;
  end if;
  perform landinv_check_geometry(NEW.geom, 'polygon');
  select p.code, p.district into host from plots p
  where p.zone_id = NEW.zone_id and p.valid_to = 'infinity' and not p.archived
    and ST_CoveredBy(NEW.geom, p.geom)
    and (NEW.plot_code is null or p.code = NEW.plot_code)
  limit 1;
  if host.code is null then
    if NEW.plot_code is not null and exists (select 1 from plots p where p.zone_id = NEW.zone_id and p.code = NEW.plot_code
                                             and p.valid_to = 'infinity' and not p.archived) then
      perform landinv_raise('LI422', 'geometry', format('does not lie inside plot %s', NEW.plot_code));
    elsif NEW.plot_code is not null then
      perform landinv_raise('LI422', 'plot_code', format('unknown plot %L', NEW.plot_code));
    end if;
    perform landinv_raise('LI422', 'geometry', 'does not lie inside any plot');
  end if;
  NEW.plot_code := host.code;
  NEW.district := coalesce(NEW.district, host.district);
  NEW.district := landinv_check_district(NEW.zone_id, NEW.district, NEW.geom);
  return NEW;
end $$;
create trigger plants_rules before insert or update on plants for each row execute function plants_rules();

create function idle_sites_rules() returns trigger language plpgsql as $$
declare
  prev text;
begin
  if TG_OP = 'INSERT' and NEW.version > 1 and not landinv_restoring() then
    select stage into prev from idle_sites where zone_id = NEW.zone_id and code = NEW.code and version = NEW.version - 1;
    if prev is not null and not NEW.archived and not landinv_stage_step_ok(prev, NEW.stage) then
      perform landinv_raise('LI422', 'stage', format('cannot go from %s to %s', prev, NEW.stage),
        jsonb_build_object('from', prev, 'to', NEW.stage));
    end if;
  end if;
  if not landinv_is_live(NEW.valid_to, NEW.archived) then
    return NEW;
  end if;
  perform landinv_check_geometry(NEW.geom, 'polygon');
  perform landinv_check_in_zone(NEW.zone_id, NEW.geom);
  NEW.district := landinv_check_district(NEW.zone_id, NEW.district, NEW.geom);
  if NEW.plot_code is null then
    select p.code into NEW.plot_code from plots p
    where p.zone_id = NEW.zone_id and p.valid_to = 'infinity' and not p.archived and ST_Intersects(p.geom, NEW.geom)
    order by ST_Area(ST_Intersection(p.geom, NEW.geom)) desc, p.code limit 1;
  elsif not exists (select 1 from plots p where p.zone_id = NEW.zone_id and p.code = NEW.plot_code
                    and p.valid_to = 'infinity' and not p.archived) then
    perform landinv_raise('LI422', 'plot_code', format('unknown plot %L', NEW.plot_code));
  end if;
  return NEW;
end $$;
create trigger idle_sites_rules before insert or update on idle_sites for each row execute function idle_sites_rules();

create function roads_rules() returns trigger language plpgsql as $$
begin
  if not landinv_is_live(NEW.valid_to, NEW.archived) then
    return NEW;
  end if;
  perform landinv_check_geometry(NEW.geom, 'line');
  return NEW;
end $$;
create trigger roads_rules before insert or update on roads for each row execute function roads_rules();

create function layout_rules() returns trigger language plpgsql as $$
begin
  if not landinv_is_live(NEW.valid_to, NEW.archived) then
    return NEW;
  end if;
  perform landinv_check_geometry(NEW.geom, case when NEW.kind = 'axis' then 'line' else 'polygon' end);
  return NEW;
end $$;
create trigger layout_rules before insert or update on layout for each row execute function layout_rules();

create function zones_rules() returns trigger language plpgsql as $$
begin
  perform landinv_check_geometry(NEW.geom, 'polygon');
  return NEW;
end $$;
create trigger zones_rules before insert or update on zones for each row execute function zones_rules();
