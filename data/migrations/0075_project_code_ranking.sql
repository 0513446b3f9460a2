-- /api/v1/projects/ranking is the zone's ranking rule (0063), so no project may be coded
-- "ranking": its record could never be read or changed at /api/v1/projects/{code}.
alter table projects add constraint projects_code_not_ranking check (lower(code) <> 'ranking');
