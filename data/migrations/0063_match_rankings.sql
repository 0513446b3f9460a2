-- 0063_match_rankings.sql: each zone's ranking rule of site matching (选址排序规则, issue 16),
-- versioned like the evaluation schemes (0050): one row per zone and version, a change closes
-- the version in force (valid_to) and writes the next, keeping who changed it and when. No row:
-- the documented default (inventory.DefaultMatchWeights, "version 0") is in force.
--
-- weights is {condition: weight}; the conditions and the bound are inventory.PlotMatchConditions,
-- PlantMatchConditions and inventory.MaxMatchWeight (a drift test compares them with the CHECKs
-- below). A condition left out weighs its default. (The path tests are silent: on a weights that
-- is no object they find nothing, and match_rankings_weights_check refuses it.)
create table match_rankings (
  id         bigint generated always as identity,
  zone_id    integer not null references zones (id),
  version    integer not null check (version >= 1),
  weights    jsonb not null check (jsonb_typeof(weights) = 'object'),
  changed_by text not null check (changed_by <> ''),
  valid_from timestamptz not null default clock_timestamp(),
  valid_to   timestamptz not null default 'infinity',
  primary key (zone_id, id),
  unique (zone_id, version),
  constraint match_rankings_period check (valid_from < valid_to),
  constraint match_rankings_conditions check (not jsonb_path_exists(weights,
    '$.keyvalue() ? (!(@.key like_regex "^(area_mu|land_use|cluster|min_investment_wan_per_mu|min_tax_wan_per_mu_year|min_output_wan_per_mu|road_distance_m|free_area_m2|floor_load_kn_m2|floor_height_m|crane_capacity_t)$"))', '{}', true)),
  constraint match_rankings_weight_range check (not jsonb_path_exists(weights,
    '$.* ? (@.type() != "number" || @ < 0 || @ > 1000)', '{}', true))
);

-- One version in force per zone.
create unique index match_rankings_current on match_rankings (zone_id) where valid_to = 'infinity';
