package postgis

import (
	"fmt"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/landinv/landinv/inventory"
)

// A CHECK constraint the database enforces (SQLSTATE 23514) answers as a problem naming the
// properties it reads and its rule in words ("min_far must not exceed max_far"), never the
// constraint's name. checkRules is the one table from constraint names to those; a test
// (constraints_test.go) reads pg_constraint and fails when a CHECK constraint of the schema
// has no entry.

// checkRule is what a CHECK constraint means to a client.
type checkRule struct {
	// fields are the properties (or columns) the rule reads; the first is the problem's field.
	fields []string
	// reason is the rule said of the first field ("must not exceed max_far").
	reason string
	// code is the rule's problem code (inventory/codes.go) and params the facts it names.
	code   string
	params map[string]any
}

// checkRules returns the table of every CHECK constraint, by name. The layers' rules are
// generated from their fields (ranges, enumerations) and the columns every layer table has;
// the rest are listed by hand.
var checkRules = sync.OnceValue(func() map[string]checkRule {
	m := map[string]checkRule{
		"plots_far_order":               {[]string{"min_far", "max_far"}, "must not exceed max_far", inventory.CodeFARRange, nil},
		"plants_leased_within_leasable": {[]string{"leased_area_m2", "leasable_area_m2"}, "must not exceed leasable_area_m2", inventory.CodeLeasedOverLeased, nil},
		"plants_tenants_check":          {[]string{"tenants"}, "must be an array of tenants", inventory.CodeNotJSON, nil},
		"layout_name_check":             {[]string{"name"}, "must not be empty", inventory.CodeNotEmpty, nil},
		"roads_name_check":              {[]string{"name"}, "must not be empty", inventory.CodeNotEmpty, nil},

		"zones_code_check":             {[]string{"code"}, "must be 1–63 lower-case letters, digits or '-', starting with a letter or digit", inventory.CodeInvalidCode, nil},
		"zones_geom_valid":             {[]string{"geometry"}, "must be a valid, non-empty geometry", inventory.CodeInvalidGeometry, nil},
		"zones_level_check":            {[]string{"level"}, "must be national, provincial or other", inventory.CodeUnknownValue, nil},
		"zones_name_check":             {[]string{"name"}, "must not be empty", inventory.CodeNotEmpty, nil},
		"zones_planned_area_km2_check": {[]string{"planned_area_km2"}, "must be greater than 0", inventory.CodeOutOfRange, nil},
		"users_name_check":             {[]string{"name"}, "must be 1–64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit", inventory.CodeInvalidCode, nil},

		"api_tokens_expires_after_created": {[]string{"expires_at"}, "must be after the token's creation", inventory.CodeInternalRule, nil},
		"api_tokens_label_check":           {[]string{"label"}, "must be one line of at most 60 characters", inventory.CodeInternalRule, nil},
		"api_tokens_prefix_check":          {[]string{"prefix"}, "must be li_ and 1–8 letters, digits, '_' or '-'", inventory.CodeInternalRule, nil},
		"api_tokens_token_hash_check":      {[]string{"token_hash"}, "must be 32 bytes", inventory.CodeInternalRule, nil},
		"land_use_codes_scheme_check":      {[]string{"scheme"}, "must be gtkj or gbt21010", inventory.CodeUnknownValue, nil},
		"inventory_revision_one_check":     {[]string{"one"}, "must be true: the revision has one row", inventory.CodeInternalRule, nil},
	}
	// Users' roles and passwords, and the sign-in failure counters (accounts.go).
	roles := make([]string, len(inventory.Roles))
	for i, r := range inventory.Roles {
		roles[i] = string(r)
	}
	m["users_role_check"] = checkRule{[]string{"role"}, "must be one of: " + strings.Join(roles, ", "), inventory.CodeUnknownValue, nil}
	m["users_password_hash_check"] = checkRule{[]string{"password"}, "must be stored as an argon2id hash", inventory.CodeInternalRule, nil}
	m["users_password_set_at"] = checkRule{[]string{"password"}, "has a hash exactly when it has a time it was set", inventory.CodeInternalRule, nil}
	m["signin_failures_failures_check"] = checkRule{[]string{"failures"}, "must be 1 or more", inventory.CodeInternalRule, nil}
	m["signin_failures_key_check"] = checkRule{[]string{"key"}, "must be 1–256 characters", inventory.CodeInternalRule, nil}
	m["sessions_token_check"] = checkRule{[]string{"token"}, "must be 16–128 characters", inventory.CodeInternalRule, nil}
	m["signin_failures_scope_check"] = checkRule{[]string{"scope"}, "must be user or client", inventory.CodeInternalRule, nil}
	// Enterprises (企业), their annual figures and the per-mu evaluation (0050).
	for _, t := range []string{"enterprises", "enterprise_figures"} {
		m[t+"_check"] = checkRule{[]string{"valid_from", "valid_to"}, "must not be after valid_to", inventory.CodeInternalRule, nil}
	}
	// The figures' ranges (enterprise_figures_<f>_range, 0060) come from the fields, below.
	m["enterprises_industry_code_check"] = checkRule{[]string{"industry_code"}, "must be a national industry code (GB/T 4754: an optional section letter and 2–4 digits)", inventory.CodeInvalidCode, nil}
	m["enterprises_name_check"] = checkRule{[]string{"name"}, "must not be empty", inventory.CodeRequired, nil}
	m["enterprises_plots_check"] = checkRule{[]string{"plots"}, "must be an array of plot codes", inventory.CodeWrongType, nil}
	m["enterprises_tenancies_check"] = checkRule{[]string{"tenancies"}, "must be an array of tenancies", inventory.CodeWrongType, nil}
	m["evaluation_events_action_check"] = checkRule{[]string{"action"}, "must be computed, published, objection, finalized or scheme_changed", inventory.CodeInternalRule, nil}
	m["evaluation_runs_check"] = checkRule{[]string{"state", "published_until"}, "a published or final evaluation needs the end of its publication period", inventory.CodeRequired, nil}
	m["evaluation_runs_results_check"] = checkRule{[]string{"results"}, "must be an object", inventory.CodeInternalRule, nil}
	m["evaluation_runs_run_check"] = checkRule{[]string{"run"}, "must be 1 or more", inventory.CodeInternalRule, nil}
	m["evaluation_runs_state_check"] = checkRule{[]string{"state"}, "must be draft, published or final", inventory.CodeUnknownValue, nil}
	m["evaluation_runs_year_check"] = checkRule{[]string{"year"}, "must be a year from 2000 to 2100", inventory.CodeOutOfRange, map[string]any{"min": 2000, "max": 2100}}
	m["evaluation_schemes_scheme_check"] = checkRule{[]string{"scheme"}, "must be an object", inventory.CodeWrongType, nil}
	m["evaluation_schemes_version_check"] = checkRule{[]string{"version"}, "must be 1 or more", inventory.CodeInternalRule, nil}
	m["evaluation_schemes_year_check"] = checkRule{[]string{"year"}, "must be a year from 2000 to 2100", inventory.CodeOutOfRange, map[string]any{"min": 2000, "max": 2100}}
	// The zones' ranking rules of site matching (选址排序规则, 0063).
	m["match_rankings_version_check"] = checkRule{[]string{"version"}, "must be 1 or more", inventory.CodeInternalRule, nil}
	m["match_rankings_weights_check"] = checkRule{[]string{"weights"}, "must be an object", inventory.CodeWrongType, nil}
	m["match_rankings_changed_by_check"] = checkRule{[]string{"changed_by"}, "must not be empty", inventory.CodeNotEmpty, nil}
	m["match_rankings_period"] = checkRule{[]string{"valid_from", "valid_to"}, "must be before valid_to", inventory.CodeInternalRule, nil}
	m["match_rankings_conditions"] = checkRule{[]string{"weights"}, "names a condition site matching does not know", inventory.CodeUnknownValue, nil}
	m["match_rankings_weight_range"] = checkRule{[]string{"weights"}, fmt.Sprintf("must be numbers from 0 to %d", inventory.MaxMatchWeight), inventory.CodeOutOfRange, map[string]any{"min": 0, "max": inventory.MaxMatchWeight}}
	// Investment projects (招商项目, 0061); the ranges and enumerations come from the fields.
	m["projects_code_not_ranking"] = checkRule{[]string{"code"}, "must not be \"ranking\": /api/v1/projects/ranking is the zone's ranking rule", inventory.CodeInvalidCode, nil}
	m["projects_name_check"] = checkRule{[]string{"name"}, "must not be empty", inventory.CodeRequired, nil}
	m["projects_investor_code_check"] = checkRule{[]string{"investor_code"}, "must be a unified social credit code (统一社会信用代码, 18 characters)", inventory.CodeInvalidCode, nil}
	m["projects_industry_code_check"] = checkRule{[]string{"industry_code"}, "must be a national industry code (GB/T 4754: an optional section letter and 2–4 digits)", inventory.CodeInvalidCode, nil}
	m["projects_investor_given"] = checkRule{[]string{"investor_code", "investor_name"}, "or investor_name is required: the investor is an enterprise on record or a name", inventory.CodeOneOfRequired, nil}
	m["projects_area_order"] = checkRule{[]string{"area_mu_min", "area_mu_max"}, "must not exceed area_mu_max", inventory.CodeProjectAreaOrder, nil}
	m["projects_site_after_signing"] = checkRule{[]string{"plot_code", "plant_code", "leased_m2"}, "is set only from the signed stage on", inventory.CodeProjectSiteTooEarly, nil}
	m["projects_lease_pair"] = checkRule{[]string{"leased_m2", "plant_code"}, "is given exactly when plant_code is", inventory.CodeProjectLeasePair, nil}
	m["projects_stage_dates"] = checkRule{[]string{"stage", "signed_on", "supplied_on", "started_on", "in_production_on"}, "needs the date of every stage reached (signed_on, supplied_on, started_on, in_production_on)", inventory.CodeProjectStageDates, nil}
	m["projects_dates_order"] = checkRule{[]string{"date", "signed_on", "supplied_on", "started_on", "in_production_on", "dropped_on"}, "must not be before the previous stage's date (signed_on ≤ supplied_on ≤ started_on ≤ in_production_on; signed_on ≤ dropped_on)", inventory.CodeProjectDatesOrder, nil}
	m["projects_dropped_reason"] = checkRule{[]string{"drop_reason", "dropped_on", "stage"}, "and dropped_on are given exactly when the project is dropped", inventory.CodeRequired, nil}
	// Enquiries (招商线索) and the zone's contact: lengths from inventory.EnquiryLimits.
	for f, n := range inventory.EnquiryLimits {
		rule := fmt.Sprintf("must be at most %d characters", n)
		if f == "name" {
			rule = fmt.Sprintf("must be 1–%d characters", n)
		}
		m["enquiries_"+f+"_check"] = checkRule{[]string{f}, rule, inventory.CodeTooLong, map[string]any{"max": n}}
	}
	m["enquiries_area_mu_check"] = checkRule{[]string{"area_mu"}, fmt.Sprintf("must be more than 0 and at most %d 亩", inventory.MaxEnquiryAreaMu),
		inventory.CodeOutOfRange, map[string]any{"min": 0, "max": inventory.MaxEnquiryAreaMu}}
	m["enquiries_phone_or_email"] = checkRule{[]string{"phone", "email"}, "phone or email is required", inventory.CodeOneOfRequired, nil}
	m["enquiries_site_code_check"] = checkRule{[]string{"site_code"}, "must be a feature code", inventory.CodeInvalidCode, nil}
	m["enquiries_site_layer_check"] = checkRule{[]string{"site_layer"}, "must be one of: " + strings.Join(inventory.EnquiryLayers, ", "), inventory.CodeUnknownValue, nil}
	m["enquiries_status_check"] = checkRule{[]string{"status"}, "must be one of: " + strings.Join(inventory.EnquiryStatuses, ", "), inventory.CodeUnknownValue, nil}
	m["enquiries_version_check"] = checkRule{[]string{"version"}, "must be 1 or more", inventory.CodeInternalRule, nil}
	m["zones_contact_check"] = checkRule{[]string{"contact"}, "must be at most 500 characters", inventory.CodeTooLong, map[string]any{"max": 500}}
	m["zones_contact_en_check"] = checkRule{[]string{"contact_en"}, "must be at most 500 characters", inventory.CodeTooLong, map[string]any{"max": 500}}
	for _, l := range append(inventory.Layers(), inventory.RecordLayers()...) {
		t := l.Table
		if l.Geometry == "none" {
			m[t+"_geom_check"] = checkRule{[]string{"geometry"}, "must be null: this layer has no geometry", inventory.CodeWrongType, nil}
		}
		m[t+"_valid_period"] = checkRule{[]string{"valid_from", "valid_to"}, "must not be after valid_to", inventory.CodeInternalRule, nil}
		m[t+"_code_check"] = checkRule{[]string{"code"}, "must be 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit", inventory.CodeInvalidCode, nil}
		m[t+"_geom_valid"] = checkRule{[]string{"geometry"}, "must be a valid, non-empty geometry", inventory.CodeInvalidGeometry, nil}
		m[t+"_op_check"] = checkRule{[]string{"op"}, "must be one of: " + strings.Join([]string{inventory.OpCreate, inventory.OpUpdate, inventory.OpArchive, inventory.OpRestore}, ", "), inventory.CodeInternalRule, nil}
		m[t+"_version_check"] = checkRule{[]string{"version"}, "must be 1 or more", inventory.CodeInternalRule, nil}
		m[t+"_restored_from_check"] = checkRule{[]string{"restored_from"}, "must be a version number, 1 or more", inventory.CodeInternalRule, nil}
		for _, f := range l.Fields {
			if f.Min != nil && f.Max != nil {
				m[t+"_"+f.Name+"_range"] = checkRule{[]string{f.Name}, "must be " + f.RangeText(), inventory.CodeOutOfRange, map[string]any{"min": *f.Min, "max": *f.Max}}
			}
			if f.Type == inventory.Enum {
				m[t+"_"+f.Name+"_check"] = checkRule{[]string{f.Name}, "must be one of: " + strings.Join(f.Enum, ", "), inventory.CodeUnknownValue, nil}
			}
		}
	}
	return m
})

// checkViolation turns a CHECK violation into an *inventory.Error naming the rule's first
// property, with every property it reads and the rule in words in the problem's detail
// (fields, rule). A constraint missing from checkRules (a test prevents that) still answers
// without its name.
func checkViolation(pg *pgconn.PgError) error {
	r, ok := checkRules()[pg.ConstraintName]
	if !ok {
		field := pg.ColumnName
		if field == "" {
			field = "properties"
		}
		return &inventory.Error{Kind: inventory.EInvalid, Field: field, Reason: "breaks a rule of the inventory", Err: pg, Code: inventory.CodeInternalRule}
	}
	params := map[string]any{"fields": r.fields}
	for k, v := range r.params {
		params[k] = v
	}
	return &inventory.Error{Kind: inventory.EInvalid, Field: r.fields[0], Reason: r.reason, Err: pg,
		Detail: map[string]any{"fields": r.fields, "rule": r.fields[0] + " " + r.reason}, Code: r.code, Params: params}
}
