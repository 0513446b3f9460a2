package postgis_test

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/export"
)

func TestComplianceHandMade(t *testing.T) {
	db := landZone(t)
	rep, err := db.Compliance(planner, params(t, "compliance"))
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, p := range rep.Plots {
		codes = append(codes, p.Code)
	}
	if strings.Join(codes, ",") != "C1,C2,C3" {
		t.Fatalf("plots = %v, want the supplied or built standard land C1, C2, C3", codes)
	}
	if strings.Join(rep.Short, ",") != "C1,C3" {
		t.Errorf("short = %v, want C1, C3", rep.Short)
	}
	check := func(code, measure string) inventory.ComplianceCheck {
		for _, p := range rep.Plots {
			for _, c := range p.Checks {
				if p.Code == code && c.Measure == measure {
					return c
				}
			}
		}
		t.Fatalf("no check %s %s", code, measure)
		return inventory.ComplianceCheck{}
	}
	for _, c := range []struct {
		code, measure, status string
		actual, shortfall     float64
	}{
		{"C1", "investment_intensity", "short", 250, 50},
		{"C1", "tax_per_mu", "met", 25, 0},
		{"C1", "output_per_mu", "no_commitment", 0, 0},
		{"C1", "far", "short", 0.8, 0.2},
		{"C2", "investment_intensity", "met", 320, 0},
		{"C2", "far", "met", 1.5, 0},
		{"C3", "investment_intensity", "no_data", 0, 0},
		{"C3", "far", "over", 2.5, 0.5},
	} {
		got := check(c.code, c.measure)
		if got.Status != c.status {
			t.Errorf("%s %s status = %s, want %s", c.code, c.measure, got.Status, c.status)
		}
		if c.actual != 0 && (got.Actual == nil || math.Abs(*got.Actual-c.actual) > 1e-9) {
			t.Errorf("%s %s actual = %v, want %v", c.code, c.measure, got.Actual, c.actual)
		}
		if c.shortfall != 0 && (got.Shortfall == nil || math.Abs(*got.Shortfall-c.shortfall) > 1e-9) {
			t.Errorf("%s %s shortfall = %v, want %v", c.code, c.measure, got.Shortfall, c.shortfall)
		}
	}
	if c := check("C1", "investment_intensity"); c.ShortfallPct == nil || math.Abs(*c.ShortfallPct-100.0/6) > 1e-9 {
		t.Errorf("C1 investment shortfall = %v %%, want 50/300", c.ShortfallPct)
	}
	// The public sees the floor-area ratio only, and no firm.
	pub, err := db.Compliance(public, params(t, "compliance"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(pub)
	for _, s := range []string{"Firm One", `"actual":250`, `"actual":25,`, `"measure":"investment_intensity"`, `"measure":"tax_per_mu"`} {
		if bytes.Contains(body, []byte(s)) {
			t.Errorf("public compliance carries %s", s)
		}
	}
	if strings.Join(pub.Short, ",") != "C1,C3" {
		t.Errorf("public short = %v, want C1, C3 (on FAR)", pub.Short)
	}
	var csv bytes.Buffer
	for _, tb := range pub.Tables() {
		_ = export.WriteCSV(&csv, tb)
	}
	var x bytes.Buffer
	if err := export.WriteXLSX(&x, pub.ReportHeader, pub.Tables()); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Firm One", "固定资产投资强度", "亩均税收"} {
		if strings.Contains(csv.String(), s) || strings.Contains(xlsxText(t, x.Bytes()), s) {
			t.Errorf("public compliance CSV/XLSX carries %s", s)
		}
	}
}
