-- 0048_site_ranges.sql: the prices and lease terms of 0047 get plausible ranges like every other
-- numeric property (0045): one named constraint <table>_<field>_range per column, replacing the
-- open-ended checks 0047 gave them. inventory/plot.go and plant.go hold the same ranges
-- (Field.Between); a drift test compares the two.
--   asking / reference land price: 0–10,000 万元/亩 (industrial land sells for tens of 万元/亩)
--   plant sale price: 0–100,000 元/m²
--   lease terms: 1–70 years (70 is the longest statutory land-use term)

alter table plots
  drop constraint plots_asking_price_wan_per_mu_check,
  drop constraint plots_reference_land_price_wan_per_mu_check,
  drop constraint plots_lease_term_years_check,
  add constraint plots_asking_price_wan_per_mu_range check (asking_price_wan_per_mu between 0 and 10000),
  add constraint plots_reference_land_price_wan_per_mu_range check (reference_land_price_wan_per_mu between 0 and 10000),
  add constraint plots_lease_term_years_range check (lease_term_years between 1 and 70);

alter table plants
  drop constraint plants_asking_price_yuan_per_m2_check,
  drop constraint plants_lease_term_years_check,
  add constraint plants_asking_price_yuan_per_m2_range check (asking_price_yuan_per_m2 between 0 and 100000),
  add constraint plants_lease_term_years_range check (lease_term_years between 1 and 70);
