-- 0076_project_enquiry_bigint.sql: a project's enquiry is named by the enquiry's own type.
--
-- enquiries.id is bigint (bigserial); projects.enquiry_id, which names one (POST
-- /enquiries/{id}/project, the project rules of 0061), was integer, so an enquiry numbered above
-- 2^31 − 1 could not become a project. Every value held fits; the rules compare the two columns
-- as they are and need no change.
alter table projects alter column enquiry_id type bigint;

-- The range rule follows (the field's Between, inventory/project.go): up to 2^53 − 1, the
-- largest whole number a JSON client reads exactly.
alter table projects drop constraint projects_enquiry_id_range,
  add constraint projects_enquiry_id_range check (enquiry_id >= 1 and enquiry_id <= 9007199254740991);
