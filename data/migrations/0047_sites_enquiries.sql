-- 0047_sites_enquiries.sql: what the site sheets show and the enquiries investors leave (issue 13).
--
-- * zones.contact / contact_en: the zone's public contact for investors (招商联系方式), shown on
--   every site sheet. Free text: an office, a phone number, an email address.
-- * Prices and lease terms a planner may record on plots and plants; public, optional, shown on
--   the sheet only when set:
--     plots.asking_price_wan_per_mu          挂牌价, 万元/亩
--     plots.reference_land_price_wan_per_mu  参考地价 (基准地价 or a recent deal), 万元/亩
--     plots.lease_term_years                 出让年限, years (industrial land at most 50)
--     plants.asking_price_yuan_per_m2        出售挂牌价, 元/m²
--     plants.lease_term_years                起租期限 (minimum lease term), years
--   Adding nullable columns without a default rewrites no row, so the versions stay untouched.
-- * enquiries: 招商线索. Confidential: only planners and admins list them (the store checks).
--   Each row carries its follow-up status and the planner's reply, with a version that grows by
--   one on every change (the HTTP ETag); enquiry_history keeps every version. The follow-up
--   status moves new → contacted → visiting → signed | dropped (and may be dropped from any
--   open status); signed and dropped are final. inventory.EnquiryStepOK is the same rule in Go
--   (a drift test compares them).

alter table zones
  add column contact text check (length(contact) <= 500),
  add column contact_en text check (length(contact_en) <= 500);

alter table plots
  add column asking_price_wan_per_mu numeric check (asking_price_wan_per_mu >= 0),
  add column reference_land_price_wan_per_mu numeric check (reference_land_price_wan_per_mu >= 0),
  add column lease_term_years integer check (lease_term_years between 1 and 70);

alter table plants
  add column asking_price_yuan_per_m2 numeric check (asking_price_yuan_per_m2 >= 0),
  add column lease_term_years integer check (lease_term_years between 1 and 70);

-- landinv_enquiry_step_ok: may an enquiry's status go from a to b?
create function landinv_enquiry_step_ok(a text, b text) returns boolean
language sql immutable as $$
  select a = b
      or (a, b) in (('new', 'contacted'), ('contacted', 'visiting'), ('visiting', 'signed'),
                    ('new', 'dropped'), ('contacted', 'dropped'), ('visiting', 'dropped'))
$$;

create table enquiries (
  id          bigint generated always as identity primary key,
  zone_id     integer not null references zones (id),
  site_layer  text not null check (site_layer in ('plots', 'plants')),
  site_code   text not null check (site_code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  name        text not null check (length(name) between 1 and 100),
  company     text check (length(company) <= 200),
  phone       text check (length(phone) <= 40),
  email       text check (length(email) <= 200),
  industry    text check (length(industry) <= 200),
  area_mu     numeric check (area_mu > 0 and area_mu <= 100000),
  message     text check (length(message) <= 2000),
  status      text not null default 'new' check (status in ('new', 'contacted', 'visiting', 'signed', 'dropped')),
  reply       text check (length(reply) <= 4000),
  version     integer not null default 1 check (version >= 1),
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  updated_by  text,
  constraint enquiries_phone_or_email check (coalesce(phone, '') <> '' or coalesce(email, '') <> '')
);
create index enquiries_zone_created on enquiries (zone_id, created_at desc);

-- enquiry_history: every version of every enquiry (its status and reply, who, when).
create table enquiry_history (
  enquiry_id bigint not null references enquiries (id),
  version    integer not null,
  status     text not null,
  reply      text,
  changed_by text,
  changed_at timestamptz not null,
  primary key (enquiry_id, version)
);

create function enquiries_rules() returns trigger language plpgsql as $$
begin
  if TG_OP = 'INSERT' then
    if NEW.status <> 'new' or NEW.version <> 1 or NEW.reply is not null then
      perform landinv_raise('LI422', 'status', 'a new enquiry starts as new, version 1, without a reply');
    end if;
  else
    if (NEW.id, NEW.zone_id, NEW.site_layer, NEW.site_code, NEW.name, NEW.company, NEW.phone, NEW.email,
        NEW.industry, NEW.area_mu, NEW.message, NEW.created_at)
       is distinct from
       (OLD.id, OLD.zone_id, OLD.site_layer, OLD.site_code, OLD.name, OLD.company, OLD.phone, OLD.email,
        OLD.industry, OLD.area_mu, OLD.message, OLD.created_at) then
      perform landinv_raise('LI422', 'enquiry', 'what the investor sent cannot be changed; only status and reply');
    end if;
    if not landinv_enquiry_step_ok(OLD.status, NEW.status) then
      perform landinv_raise('LI422', 'status',
        format('cannot go from %s to %s; the follow-up goes new → contacted → visiting → signed, or to dropped from any open status', OLD.status, NEW.status));
    end if;
    if NEW.version <> OLD.version + 1 then
      perform landinv_raise('LI409', 'version', format('version %s does not follow version %s', NEW.version, OLD.version));
    end if;
  end if;
  return NEW;
end $$;
create trigger enquiries_rules before insert or update on enquiries for each row execute function enquiries_rules();

create function enquiries_history() returns trigger language plpgsql as $$
begin
  insert into enquiry_history (enquiry_id, version, status, reply, changed_by, changed_at)
  values (NEW.id, NEW.version, NEW.status, NEW.reply, NEW.updated_by, NEW.updated_at);
  return null;
end $$;
create trigger enquiries_history after insert or update on enquiries for each row execute function enquiries_history();

create function enquiries_no_delete() returns trigger language plpgsql as $$
begin
  if not landinv_maintenance() then
    perform landinv_raise('LI422', 'enquiry', 'enquiries are never deleted; drop them (status dropped) instead');
  end if;
  return OLD;
end $$;
create trigger enquiries_no_delete before delete on enquiries for each row execute function enquiries_no_delete();
