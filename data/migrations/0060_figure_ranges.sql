-- 0060_figure_ranges.sql: the enterprises' annual figures (enterprise_figures, 0050) get the
-- plausible ranges inventory.Figures states (inventory/enterprise.go; served in /api/v1/meta;
-- refused first by inventory.CheckChange with the field named), as 0045 gave the map layers'
-- numbers theirs: one constraint <table>_<field>_range per figure, replacing the column's
-- looser check (>= 0). A drift test (inventory/postgis TestDriftRanges) compares these numbers
-- with the Go ones.
-- The constraints are added NOT VALID and then validated: the demo's figures fit; a database
-- holding a figure outside its range stops here, naming the constraint, and the figure must be
-- corrected before the upgrade.

alter table enterprise_figures
  drop constraint if exists enterprise_figures_tax_wan_check,
  drop constraint if exists enterprise_figures_revenue_wan_check,
  drop constraint if exists enterprise_figures_value_added_wan_check,
  drop constraint if exists enterprise_figures_energy_tce_check,
  drop constraint if exists enterprise_figures_emissions_t_check,
  drop constraint if exists enterprise_figures_electricity_kwh_check,
  drop constraint if exists enterprise_figures_employees_check,
  drop constraint if exists enterprise_figures_rd_wan_check,
  add constraint enterprise_figures_tax_wan_range check (tax_wan between 0 and 10000000) not valid,
  add constraint enterprise_figures_revenue_wan_range check (revenue_wan between 0 and 100000000) not valid,
  add constraint enterprise_figures_value_added_wan_range check (value_added_wan between 0 and 100000000) not valid,
  add constraint enterprise_figures_energy_tce_range check (energy_tce between 0 and 100000000) not valid,
  add constraint enterprise_figures_emissions_t_range check (emissions_t between 0 and 1000000) not valid,
  add constraint enterprise_figures_electricity_kwh_range check (electricity_kwh between 0 and 100000000000) not valid,
  add constraint enterprise_figures_employees_range check (employees between 0 and 1000000) not valid,
  add constraint enterprise_figures_rd_wan_range check (rd_wan between 0 and 10000000) not valid;

alter table enterprise_figures
  validate constraint enterprise_figures_tax_wan_range,
  validate constraint enterprise_figures_revenue_wan_range,
  validate constraint enterprise_figures_value_added_wan_range,
  validate constraint enterprise_figures_energy_tce_range,
  validate constraint enterprise_figures_emissions_t_range,
  validate constraint enterprise_figures_electricity_kwh_range,
  validate constraint enterprise_figures_employees_range,
  validate constraint enterprise_figures_rd_wan_range;
