package postgis_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/export"
	"github.com/landinv/landinv/inventory/postgis"
)

// disclosureZone builds the hand zone (districts W and E) with six industrial plots of equal
// area S, each held by a named firm, figures per hectare (so that every indicator is a mean of
// the figures below):
//
//	plot  district  enterprise   investment  tax      (万元 per ha)
//	Q1    W         甲公司        100         10
//	Q2    W         乙公司        200         20
//	Q3    W         " 甲公司 "     100         10       same firm as Q1 once trimmed
//	Q4    E         丙公司        300         950.5
//	Q5    E         丁公司        300         60
//	Q6    E         戊公司        400         40
//
// W has two firms: its investment and tax are withheld (fewer than 3). E has three firms; none
// holds more than 85 % of the investment (400 of 1000), so it is shown, but 丙 holds 90.5 % of
// the tax, which is withheld. The whole zone has five firms; investment (largest 400 of 1400)
// is shown, tax (丙: 950.5 of 1090.5 = 87.2 %) is withheld.
func disclosureZone(t testing.TB) *postgis.DB {
	t.Helper()
	db := bareHandZone(t)
	rows := []struct {
		code, firm  string
		x, inv, tax float64
	}{
		{"Q1", "甲公司", 111.510, 100, 10}, {"Q2", "乙公司", 111.515, 200, 20}, {"Q3", " 甲公司 ", 111.520, 100, 10},
		{"Q4", "丙公司", 111.560, 300, 950.5}, {"Q5", "丁公司", 111.565, 300, 60}, {"Q6", "戊公司", 111.570, 400, 40},
	}
	for _, r := range rows {
		rexec(t, db, `insert into plots (zone_id, code, land_use, status, eval_class, supply_class, enterprise, geom)
			values (1, $1, '100101', 'in_production', 'A2', 'D21', $2, ST_Multi(ST_MakeEnvelope($3, 36.01, $4, 36.02, 4326)))`,
			r.code, r.firm, r.x, r.x+0.005)
		rexec(t, db, `update plots set investment_wan = $2 * area_m2 / 10000, tax_wan_per_year = $3 * area_m2 / 10000 where code = $1`,
			r.code, r.inv, r.tax)
	}
	return db
}

func groupNamed(t testing.TB, rep *inventory.IntensityReport, key string) inventory.IntensityGroup {
	t.Helper()
	if key == "total" {
		return rep.Total
	}
	for _, g := range rep.Groups {
		if g.Key == key {
			return g
		}
	}
	t.Fatalf("no group %s", key)
	return inventory.IntensityGroup{}
}

func withheldCode(g inventory.IntensityGroup, key string) string {
	for _, w := range g.Withheld {
		if w.Key == key {
			return w.Code
		}
	}
	return ""
}

func TestIntensityDisclosureRule(t *testing.T) {
	db := disclosureZone(t)
	ctx := context.Background()
	pub, err := db.Intensity(public, params(t, "intensity", "group", "district"))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := db.Intensity(planner, params(t, "intensity", "group", "district"))
	if err != nil {
		t.Fatal(err)
	}
	// independent computes an indicator over the plots east or west of 111.55 (or all) straight
	// from the plots, by position rather than by district code.
	independent := func(side, col string) float64 {
		where := map[string]string{"total": "true", "E": "ST_X(ST_Centroid(geom)) > 111.55", "W": "ST_X(ST_Centroid(geom)) < 111.55"}[side]
		var v float64
		if err := db.Pool.QueryRow(ctx, `select sum(`+col+`)::float8 / (sum(area_m2)::float8 / 10000) from plots
			where valid_to = 'infinity' and eval_class = 'A2' and `+where).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		group, key string
		hand       float64 // the value by hand (the figures are per hectare on equal plots)
		col        string
		code       string // "" when the public sees it, else the reason code
	}{
		{"W", "industrial_investment_intensity", 400.0 / 3, "investment_wan", inventory.WithheldFewEnterprises},
		{"W", "industrial_tax_per_ha", 40.0 / 3, "tax_wan_per_year", inventory.WithheldFewEnterprises},
		{"E", "industrial_investment_intensity", 1000.0 / 3, "investment_wan", ""},
		{"E", "industrial_tax_per_ha", 1050.5 / 3, "tax_wan_per_year", inventory.WithheldDominant},
		{"E", "composite_tax_per_ha", 1050.5 / 3, "tax_wan_per_year", inventory.WithheldDominant},
		{"total", "industrial_investment_intensity", 1400.0 / 6, "investment_wan", ""},
		{"total", "industrial_tax_per_ha", 1090.5 / 6, "tax_wan_per_year", inventory.WithheldDominant},
	}
	pubJSON, _ := json.Marshal(pub)
	var pubFiles bytes.Buffer
	for _, tb := range pub.Tables() {
		if err := export.WriteCSV(&pubFiles, tb); err != nil {
			t.Fatal(err)
		}
	}
	var x bytes.Buffer
	if err := export.WriteXLSX(&x, pub.ReportHeader, pub.Tables()); err != nil {
		t.Fatal(err)
	}
	pubFiles.WriteString(xlsxText(t, x.Bytes()))
	for _, c := range cases {
		pg, lg := groupNamed(t, pub, c.group), groupNamed(t, plan, c.group)
		ind := indicator(t, lg, c.key)
		indep := independent(c.group, c.col)
		if ind == nil || ind.Value == nil || !near(*ind.Value, c.hand) || !near(*ind.Value, indep) {
			t.Errorf("planner %s %s = %+v, want %v by hand, %v by independent SQL", c.group, c.key, ind, c.hand, indep)
			continue
		}
		pi := indicator(t, pg, c.key)
		if c.code == "" {
			if pi == nil || pi.Value == nil || !near(*pi.Value, indep) {
				t.Errorf("public %s %s = %+v, want it shown: %v", c.group, c.key, pi, indep)
			}
			if ind.PublicWithheld != nil {
				t.Errorf("planner %s %s says the public does not see it: %+v", c.group, c.key, ind.PublicWithheld)
			}
			continue
		}
		if pi != nil {
			t.Errorf("public %s %s shown (%v), want withheld (%s)", c.group, c.key, *pi.Value, c.code)
		}
		if got := withheldCode(pg, c.key); got != c.code {
			t.Errorf("public %s %s withheld for %q, want %q", c.group, c.key, got, c.code)
		}
		if ind.PublicWithheld == nil || ind.PublicWithheld.Code != c.code {
			t.Errorf("planner %s %s: public_withheld = %+v, want %s", c.group, c.key, ind.PublicWithheld, c.code)
		}
		// The withheld value appears nowhere in the public JSON, CSV or XLSX (raw or rounded).
		for _, s := range []string{strconv.FormatFloat(*ind.Value, 'f', -1, 64), strconv.FormatFloat(*ind.Value, 'f', 2, 64)} {
			if bytes.Contains(pubJSON, []byte(s)) || strings.Contains(pubFiles.String(), s) {
				t.Errorf("public report carries the withheld %s %s (%s)", c.group, c.key, s)
			}
		}
	}
	// Reasons are words, in both languages, and name the threshold.
	for _, w := range groupNamed(t, pub, "E").Withheld {
		if w.Code == inventory.WithheldDominant && (!strings.Contains(w.Reason, "85%") || !strings.Contains(w.ReasonEN, "85%")) {
			t.Errorf("reason %+v does not name the 85%% threshold", w)
		}
	}
	// Districts carry their layout names.
	if g := groupNamed(t, pub, "W"); g.Label != "West" {
		t.Errorf("W label = %q, want West", g.Label)
	}
	// The score weighs the tax: withheld everywhere for the public, with a reason.
	for _, g := range append([]inventory.IntensityGroup{pub.Total}, pub.Groups...) {
		if g.Score != nil || g.ScoreWithheld == nil || g.ScoreWithheld.Reason == "" {
			t.Errorf("public %s score = %v (%+v), want withheld with a reason", g.Key, g.Score, g.ScoreWithheld)
		}
	}

	// With the taxes weighing nothing, the public score follows the investment: shown for E and
	// the zone (and equal to the planner's), withheld for W.
	rexec(t, db, `update zones set evaluation = '{"weights": {"industrial_tax_per_ha": 0, "composite_tax_per_ha": 0}}'`)
	pub, err = db.Intensity(public, params(t, "intensity", "group", "district"))
	if err != nil {
		t.Fatal(err)
	}
	plan, err = db.Intensity(planner, params(t, "intensity", "group", "district"))
	if err != nil {
		t.Fatal(err)
	}
	for key, shown := range map[string]bool{"total": true, "E": true, "W": false} {
		pg, lg := groupNamed(t, pub, key), groupNamed(t, plan, key)
		switch {
		case lg.Score == nil:
			t.Errorf("planner %s has no score", key)
		case shown && (pg.Score == nil || !near(*pg.Score, *lg.Score)):
			t.Errorf("public %s score = %v, want the planner's %v", key, pg.Score, *lg.Score)
		case !shown && (pg.Score != nil || pg.ScoreWithheld == nil || lg.ScorePublicWithheld == nil):
			t.Errorf("public %s score = %v, want withheld", key, pg.Score)
		}
	}

	// The thresholds are the zone's: 2 firms and 90 % show W's investment and the zone's tax
	// (87.2 %), not E's tax (90.5 %).
	rexec(t, db, `update zones set evaluation = '{"disclosure": {"min_enterprises": 2, "max_share_pct": 90}}'`)
	pub, err = db.Intensity(public, params(t, "intensity", "group", "district"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		group, key string
		shown      bool
	}{{"W", "industrial_investment_intensity", true}, {"total", "industrial_tax_per_ha", true}, {"E", "industrial_tax_per_ha", false}} {
		if pi := indicator(t, groupNamed(t, pub, c.group), c.key); (pi != nil) != c.shown {
			t.Errorf("with 2 firms / 90%%: public %s %s shown = %v, want %v", c.group, c.key, pi != nil, c.shown)
		}
	}
	if math.Abs(pub.Config.Rule().MaxSharePct-90) > 0 {
		t.Errorf("config rule = %+v", pub.Config.Rule())
	}
}
