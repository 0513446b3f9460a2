-- A project's land-use need (用地性质) is a class of the land-use code list, at any level
-- ("1001" takes every 1001xx plot): it must be a known code, like a plot's. Before this a
-- project could name any text, and matching then failed the land-use test on every plot
-- without saying why.
alter table projects add constraint projects_land_use_fkey
  foreign key (land_use) references land_use_codes (code);
