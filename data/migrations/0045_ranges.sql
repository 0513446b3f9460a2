-- 0045_ranges.sql: every numeric property has a plausible range, and every CHECK constraint a
-- stable name that says what it checks.
--
-- Ranges: the ones inventory.Field.Min/Max state (inventory/plot.go, plant.go, road.go; served
--   in /api/v1/meta; refused first by inventory.CheckChange with the field named). Each is one
--   constraint <table>_<field>_range; it replaces the column's older, looser check (>= 0, or
--   none above), so that each column has one range rule. A drift test
--   (inventory/postgis/drift_test.go) compares these numbers with the Go ones.
--   The constraints are added NOT VALID and then validated: the demo and generated data fit;
--   a database holding a value outside a range stops here, naming the constraint, and the value
--   must be corrected before the upgrade.
-- Names: the constraints PostgreSQL named <table>_check and <table>_check1 get names that say
--   what they check, so that inventory/postgis maps them to fields and words (constraints.go)
--   and never shows a generated name.

alter table plots rename constraint plots_check to plots_valid_period;
alter table plots rename constraint plots_check1 to plots_far_order;
alter table plants rename constraint plants_check to plants_valid_period;
alter table plants rename constraint plants_check1 to plants_leased_within_leasable;
alter table idle_sites rename constraint idle_sites_check to idle_sites_valid_period;
alter table layout rename constraint layout_check to layout_valid_period;
alter table roads rename constraint roads_check to roads_valid_period;

alter table plots
  drop constraint if exists plots_min_investment_wan_per_mu_check,
  drop constraint if exists plots_min_tax_wan_per_mu_year_check,
  drop constraint if exists plots_min_output_wan_per_mu_check,
  drop constraint if exists plots_min_far_check,
  drop constraint if exists plots_max_far_check,
  drop constraint if exists plots_min_building_coverage_pct_check,
  drop constraint if exists plots_max_green_ratio_pct_check,
  drop constraint if exists plots_max_admin_share_pct_check,
  drop constraint if exists plots_max_energy_tce_per_wan_check,
  drop constraint if exists plots_min_rd_share_pct_check,
  drop constraint if exists plots_floor_area_m2_check,
  drop constraint if exists plots_footprint_m2_check,
  drop constraint if exists plots_built_area_share_check,
  drop constraint if exists plots_investment_wan_check,
  drop constraint if exists plots_planned_investment_wan_check,
  drop constraint if exists plots_tax_wan_per_year_check,
  drop constraint if exists plots_output_wan_per_year_check,
  drop constraint if exists plots_population_check,
  add constraint plots_min_investment_wan_per_mu_range check (min_investment_wan_per_mu between 0 and 10000) not valid,
  add constraint plots_min_tax_wan_per_mu_year_range check (min_tax_wan_per_mu_year between 0 and 1000) not valid,
  add constraint plots_min_output_wan_per_mu_range check (min_output_wan_per_mu between 0 and 20000) not valid,
  add constraint plots_min_far_range check (min_far between 0 and 10) not valid,
  add constraint plots_max_far_range check (max_far between 0 and 10) not valid,
  add constraint plots_min_building_coverage_pct_range check (min_building_coverage_pct between 0 and 100) not valid,
  add constraint plots_max_green_ratio_pct_range check (max_green_ratio_pct between 0 and 100) not valid,
  add constraint plots_max_admin_share_pct_range check (max_admin_share_pct between 0 and 100) not valid,
  add constraint plots_max_energy_tce_per_wan_range check (max_energy_tce_per_wan between 0 and 50) not valid,
  add constraint plots_min_rd_share_pct_range check (min_rd_share_pct between 0 and 100) not valid,
  add constraint plots_floor_area_m2_range check (floor_area_m2 between 0 and 10000000) not valid,
  add constraint plots_footprint_m2_range check (footprint_m2 between 0 and 10000000) not valid,
  add constraint plots_built_area_share_range check (built_area_share between 0 and 1) not valid,
  add constraint plots_investment_wan_range check (investment_wan between 0 and 10000000) not valid,
  add constraint plots_planned_investment_wan_range check (planned_investment_wan between 0 and 10000000) not valid,
  add constraint plots_tax_wan_per_year_range check (tax_wan_per_year between 0 and 1000000) not valid,
  add constraint plots_output_wan_per_year_range check (output_wan_per_year between 0 and 100000000) not valid,
  add constraint plots_population_range check (population between 0 and 1000000) not valid;
alter table plots validate constraint plots_min_investment_wan_per_mu_range;
alter table plots validate constraint plots_min_tax_wan_per_mu_year_range;
alter table plots validate constraint plots_min_output_wan_per_mu_range;
alter table plots validate constraint plots_min_far_range;
alter table plots validate constraint plots_max_far_range;
alter table plots validate constraint plots_min_building_coverage_pct_range;
alter table plots validate constraint plots_max_green_ratio_pct_range;
alter table plots validate constraint plots_max_admin_share_pct_range;
alter table plots validate constraint plots_max_energy_tce_per_wan_range;
alter table plots validate constraint plots_min_rd_share_pct_range;
alter table plots validate constraint plots_floor_area_m2_range;
alter table plots validate constraint plots_footprint_m2_range;
alter table plots validate constraint plots_built_area_share_range;
alter table plots validate constraint plots_investment_wan_range;
alter table plots validate constraint plots_planned_investment_wan_range;
alter table plots validate constraint plots_tax_wan_per_year_range;
alter table plots validate constraint plots_output_wan_per_year_range;
alter table plots validate constraint plots_population_range;

alter table plants
  drop constraint if exists plants_floors_check,
  drop constraint if exists plants_floor_height_m_check,
  drop constraint if exists plants_floor_load_kn_m2_check,
  drop constraint if exists plants_span_m_check,
  drop constraint if exists plants_crane_capacity_t_check,
  drop constraint if exists plants_total_floor_area_m2_check,
  drop constraint if exists plants_leasable_area_m2_check,
  drop constraint if exists plants_leased_area_m2_check,
  drop constraint if exists plants_asking_rent_yuan_per_m2_month_check,
  add constraint plants_floors_range check (floors between 1 and 50) not valid,
  add constraint plants_floor_height_m_range check (floor_height_m between 2 and 30) not valid,
  add constraint plants_floor_load_kn_m2_range check (floor_load_kn_m2 between 0.5 and 200) not valid,
  add constraint plants_span_m_range check (span_m between 1 and 200) not valid,
  add constraint plants_crane_capacity_t_range check (crane_capacity_t between 0 and 500) not valid,
  add constraint plants_total_floor_area_m2_range check (total_floor_area_m2 between 0 and 10000000) not valid,
  add constraint plants_leasable_area_m2_range check (leasable_area_m2 between 0 and 10000000) not valid,
  add constraint plants_leased_area_m2_range check (leased_area_m2 between 0 and 10000000) not valid,
  add constraint plants_asking_rent_yuan_per_m2_month_range check (asking_rent_yuan_per_m2_month between 0 and 1000) not valid;
alter table plants validate constraint plants_floors_range;
alter table plants validate constraint plants_floor_height_m_range;
alter table plants validate constraint plants_floor_load_kn_m2_range;
alter table plants validate constraint plants_span_m_range;
alter table plants validate constraint plants_crane_capacity_t_range;
alter table plants validate constraint plants_total_floor_area_m2_range;
alter table plants validate constraint plants_leasable_area_m2_range;
alter table plants validate constraint plants_leased_area_m2_range;
alter table plants validate constraint plants_asking_rent_yuan_per_m2_month_range;

alter table roads
  drop constraint if exists roads_planned_year_check,
  drop constraint if exists roads_width_m_check,
  add constraint roads_planned_year_range check (planned_year between 1900 and 2100) not valid,
  add constraint roads_width_m_range check (width_m between 1 and 200) not valid;
alter table roads validate constraint roads_planned_year_range;
alter table roads validate constraint roads_width_m_range;

