-- 0057_zone_place.sql: where a zone is, for the land map's header ("Linfen Economic Development
-- Zone · Linfen, Shanxi Province · 131.76 km²"): its city and, beside the Chinese province
-- (0001), the English names of both. All optional; the page leaves out what is not set.

alter table zones
  add column province_en text,
  add column city text,
  add column city_en text;
