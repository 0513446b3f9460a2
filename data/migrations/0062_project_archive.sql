-- 0062_project_archive.sql: a project that holds a site is not archived (issue 16).
--
-- Archiving (DELETE /api/v1/projects/{code}, or any write that stores an archived version) a
-- project that is signed with a plot, has its land supplied or its plant leased, or has started
-- construction would leave its site bound to a project nobody sees: the plot stays reserved
-- (预留) for ever, and an overdue project vanishes from the pipeline report. Such an archive is
-- refused (409, field stage, rule project_holds_site); the planner drops the project first
-- (终止, with its reason, through the stage action: a signed project's reservation then lapses,
-- reserved → ready), after which it may be archived. A lead, a negotiation, a signed project
-- without a site, a project in production (its plot is in production whoever runs it) and a
-- dropped one are archived as before. The rule is held here only (every write path passes it);
-- its words are inventory.CodeProjectHoldsSite.
create function landinv_project_holds_site(stage text, plot_code text, plant_code text) returns boolean
language sql immutable as $$
  select stage in ('signed', 'supplied', 'started') and num_nonnulls(plot_code, plant_code) > 0
$$;

create function projects_archive_rule() returns trigger language plpgsql as $$
declare
  prev projects;
begin
  if not NEW.archived or landinv_restoring() then
    return NEW;
  end if;
  select * into prev from projects p where p.zone_id = NEW.zone_id and p.code = NEW.code and p.version = NEW.version - 1;
  if found and not prev.archived and landinv_project_holds_site(prev.stage, prev.plot_code, prev.plant_code) then
    perform landinv_raise('LI409', 'stage',
      format('project %s holds %s at stage %s: drop it first (stage dropped, with a reason; a reservation lapses), then archive it',
             NEW.code, coalesce(prev.plot_code, prev.plant_code), prev.stage),
      jsonb_build_object('project_rule', 'project_holds_site', 'value', coalesce(prev.plot_code, prev.plant_code), 'stage', prev.stage));
  end if;
  return NEW;
end $$;
create trigger projects_archive_rule before insert on projects for each row execute function projects_archive_rule();
