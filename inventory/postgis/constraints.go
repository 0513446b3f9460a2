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
}

// checkRules returns the table of every CHECK constraint, by name. The layers' rules are
// generated from their fields (ranges, enumerations) and the columns every layer table has;
// the rest are listed by hand.
var checkRules = sync.OnceValue(func() map[string]checkRule {
	m := map[string]checkRule{
		"plots_far_order":               {[]string{"min_far", "max_far"}, "must not exceed max_far"},
		"plants_leased_within_leasable": {[]string{"leased_area_m2", "leasable_area_m2"}, "must not exceed leasable_area_m2"},
		"plants_tenants_check":          {[]string{"tenants"}, "must be an array of tenants"},
		"layout_name_check":             {[]string{"name"}, "must not be empty"},
		"roads_name_check":              {[]string{"name"}, "must not be empty"},

		"zones_code_check":             {[]string{"code"}, "must be 1–63 lower-case letters, digits or '-', starting with a letter or digit"},
		"zones_geom_valid":             {[]string{"geometry"}, "must be a valid, non-empty geometry"},
		"zones_level_check":            {[]string{"level"}, "must be national, provincial or other"},
		"zones_name_check":             {[]string{"name"}, "must not be empty"},
		"zones_planned_area_km2_check": {[]string{"planned_area_km2"}, "must be greater than 0"},
		"users_name_check":             {[]string{"name"}, "must be 1–64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit"},

		"api_tokens_expires_after_created": {[]string{"expires_at"}, "must be after the token's creation"},
		"api_tokens_prefix_check":          {[]string{"prefix"}, "must be li_ and 1–8 letters, digits, '_' or '-'"},
		"api_tokens_token_hash_check":      {[]string{"token_hash"}, "must be 32 bytes"},
		"land_use_codes_scheme_check":      {[]string{"scheme"}, "must be gtkj or gbt21010"},
		"inventory_revision_one_check":     {[]string{"one"}, "must be true: the revision has one row"},
	}
	// Users' roles and passwords, and the sign-in failure counters (accounts.go).
	roles := make([]string, len(inventory.Roles))
	for i, r := range inventory.Roles {
		roles[i] = string(r)
	}
	m["users_role_check"] = checkRule{[]string{"role"}, "must be one of: " + strings.Join(roles, ", ")}
	m["users_password_hash_check"] = checkRule{[]string{"password"}, "must be stored as an argon2id hash"}
	m["users_password_set_at"] = checkRule{[]string{"password"}, "has a hash exactly when it has a time it was set"}
	m["signin_failures_failures_check"] = checkRule{[]string{"failures"}, "must be 1 or more"}
	m["signin_failures_key_check"] = checkRule{[]string{"key"}, "must be 1–256 characters"}
	m["sessions_token_check"] = checkRule{[]string{"token"}, "must be 16–128 characters"}
	m["signin_failures_scope_check"] = checkRule{[]string{"scope"}, "must be user or client"}
	// Enterprises (企业), their annual figures and the per-mu evaluation (0050).
	for _, t := range []string{"enterprises", "enterprise_figures"} {
		m[t+"_check"] = checkRule{[]string{"valid_from", "valid_to"}, "must not be after valid_to"}
	}
	for _, f := range []string{"electricity_kwh", "emissions_t", "employees", "energy_tce", "rd_wan", "revenue_wan", "tax_wan", "value_added_wan"} {
		m["enterprise_figures_"+f+"_check"] = checkRule{[]string{f}, "must not be negative"}
	}
	m["enterprises_industry_code_check"] = checkRule{[]string{"industry_code"}, "must be a national industry code (GB/T 4754: an optional section letter and 2–4 digits)"}
	m["enterprises_name_check"] = checkRule{[]string{"name"}, "must not be empty"}
	m["enterprises_plots_check"] = checkRule{[]string{"plots"}, "must be an array of plot codes"}
	m["enterprises_tenancies_check"] = checkRule{[]string{"tenancies"}, "must be an array of tenancies"}
	m["evaluation_events_action_check"] = checkRule{[]string{"action"}, "must be computed, published, objection, finalized or scheme_changed"}
	m["evaluation_runs_check"] = checkRule{[]string{"state", "published_until"}, "a published or final evaluation needs the end of its publication period"}
	m["evaluation_runs_results_check"] = checkRule{[]string{"results"}, "must be an object"}
	m["evaluation_runs_run_check"] = checkRule{[]string{"run"}, "must be 1 or more"}
	m["evaluation_runs_state_check"] = checkRule{[]string{"state"}, "must be draft, published or final"}
	m["evaluation_runs_year_check"] = checkRule{[]string{"year"}, "must be a year from 2000 to 2100"}
	m["evaluation_schemes_scheme_check"] = checkRule{[]string{"scheme"}, "must be an object"}
	m["evaluation_schemes_version_check"] = checkRule{[]string{"version"}, "must be 1 or more"}
	m["evaluation_schemes_year_check"] = checkRule{[]string{"year"}, "must be a year from 2000 to 2100"}
	// Enquiries (招商线索) and the zone's contact: lengths from inventory.EnquiryLimits.
	for f, n := range inventory.EnquiryLimits {
		rule := fmt.Sprintf("must be at most %d characters", n)
		if f == "name" {
			rule = fmt.Sprintf("must be 1–%d characters", n)
		}
		m["enquiries_"+f+"_check"] = checkRule{[]string{f}, rule}
	}
	m["enquiries_area_mu_check"] = checkRule{[]string{"area_mu"}, fmt.Sprintf("must be more than 0 and at most %d 亩", inventory.MaxEnquiryAreaMu)}
	m["enquiries_phone_or_email"] = checkRule{[]string{"phone", "email"}, "phone or email is required"}
	m["enquiries_site_code_check"] = checkRule{[]string{"site_code"}, "must be a feature code"}
	m["enquiries_site_layer_check"] = checkRule{[]string{"site_layer"}, "must be one of: " + strings.Join(inventory.EnquiryLayers, ", ")}
	m["enquiries_status_check"] = checkRule{[]string{"status"}, "must be one of: " + strings.Join(inventory.EnquiryStatuses, ", ")}
	m["enquiries_version_check"] = checkRule{[]string{"version"}, "must be 1 or more"}
	m["zones_contact_check"] = checkRule{[]string{"contact"}, "must be at most 500 characters"}
	m["zones_contact_en_check"] = checkRule{[]string{"contact_en"}, "must be at most 500 characters"}
	for _, l := range append(inventory.Layers(), inventory.RecordLayers()...) {
		t := l.Table
		if l.Geometry == "none" {
			m[t+"_geom_check"] = checkRule{[]string{"geometry"}, "must be null: this layer has no geometry"}
		}
		m[t+"_valid_period"] = checkRule{[]string{"valid_from", "valid_to"}, "must not be after valid_to"}
		m[t+"_code_check"] = checkRule{[]string{"code"}, "must be 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit"}
		m[t+"_geom_valid"] = checkRule{[]string{"geometry"}, "must be a valid, non-empty geometry"}
		m[t+"_op_check"] = checkRule{[]string{"op"}, "must be one of: " + strings.Join([]string{inventory.OpCreate, inventory.OpUpdate, inventory.OpArchive, inventory.OpRestore}, ", ")}
		m[t+"_version_check"] = checkRule{[]string{"version"}, "must be 1 or more"}
		m[t+"_restored_from_check"] = checkRule{[]string{"restored_from"}, "must be a version number, 1 or more"}
		for _, f := range l.Fields {
			if f.Min != nil && f.Max != nil {
				m[t+"_"+f.Name+"_range"] = checkRule{[]string{f.Name}, "must be " + f.RangeText()}
			}
			if f.Type == inventory.Enum {
				m[t+"_"+f.Name+"_check"] = checkRule{[]string{f.Name}, "must be one of: " + strings.Join(f.Enum, ", ")}
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
		return &inventory.Error{Kind: inventory.EInvalid, Field: field, Reason: "breaks a rule of the inventory", Err: pg}
	}
	return &inventory.Error{Kind: inventory.EInvalid, Field: r.fields[0], Reason: r.reason, Err: pg,
		Detail: map[string]any{"fields": r.fields, "rule": r.fields[0] + " " + r.reason}}
}
