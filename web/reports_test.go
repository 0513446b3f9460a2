package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// reportServer serves the demo with the reports; a request with "X-Test-Role: planner" is a
// planner (standing in for the sign-in, which is not what these tests are about).
func reportServer(t *testing.T) *httptest.Server {
	t.Helper()
	db := postgistest.NewWithDemo(t)
	d := storeDeps(db)
	d.Authenticate = func(r *http.Request) (inventory.Viewer, error) {
		if r.Header.Get("X-Test-Role") == "planner" {
			return inventory.Viewer{Name: "p", Role: inventory.RolePlanner}, nil
		}
		return inventory.Anonymous, nil
	}
	srv := httptest.NewServer(newServer(t, d))
	t.Cleanup(srv.Close)
	return srv
}

func reportGet(t *testing.T, srv *httptest.Server, path, role string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+path, nil)
	if role != "" {
		req.Header.Set("X-Test-Role", role)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

func TestReportEndpoints(t *testing.T) {
	srv := reportServer(t)
	for _, kind := range inventory.ReportKinds {
		for _, q := range []string{"", "?format=csv", "?format=xlsx", "?district=D1", "?as_of=2026-01-01T00:00:00Z"} {
			res, body := reportGet(t, srv, "/api/v1/reports/"+kind+q, "planner")
			if res.StatusCode != 200 {
				t.Errorf("%s%s: %d %s", kind, q, res.StatusCode, body)
				continue
			}
			ct := res.Header.Get("Content-Type")
			switch {
			case strings.Contains(q, "csv"):
				if !strings.HasPrefix(ct, "text/csv") || !bytes.HasPrefix(body, []byte("\ufeff")) {
					t.Errorf("%s csv: %s, starts %q", kind, ct, body[:min(10, len(body))])
				}
			case strings.Contains(q, "xlsx"):
				if _, err := excelize.OpenReader(bytes.NewReader(body)); err != nil || !strings.Contains(ct, "spreadsheetml") {
					t.Errorf("%s xlsx: %s, %v", kind, ct, err)
				}
			default:
				var doc map[string]any
				if err := json.Unmarshal(body, &doc); err != nil || doc["report"] != kind {
					t.Errorf("%s%s: not the report: %v", kind, q, err)
				}
			}
		}
	}
	res, body := reportGet(t, srv, "/api/v1/reports", "")
	if res.StatusCode != 200 || !bytes.Contains(body, []byte("industrial_investment_intensity")) {
		t.Errorf("index: %d", res.StatusCode)
	}
}

func TestReportBadParameters(t *testing.T) {
	srv := reportServer(t)
	for _, c := range []struct {
		path, field string
		status      int
	}{
		{"/api/v1/reports/intensity?group=province", "group", 400},
		{"/api/v1/reports/intensity?district=NOPE", "district", 400},
		{"/api/v1/reports/intensity?cluster=steel", "cluster", 400},
		{"/api/v1/reports/intensity?as_of=yesterday", "as_of", 400},
		{"/api/v1/reports/intensity?format=pdf", "format", 400},
		{"/api/v1/reports/intensity?tolerance_m=5", "tolerance_m", 400},
		{"/api/v1/reports/roads?tolerance_m=-3", "tolerance_m", 400},
		{"/api/v1/reports/roads?frontage_m=1e9", "frontage_m", 400},
		{"/api/v1/reports/supply?format=csv&table=nope", "table", 400},
		{"/api/v1/reports/supply?table=plants", "table", 400},
		{"/api/v1/reports/supply?zone=nowhere", "zone", 404},
		{"/api/v1/reports/taxes", "report", 404},
	} {
		res, body := reportGet(t, srv, c.path, "planner")
		var p map[string]any
		_ = json.Unmarshal(body, &p)
		if res.StatusCode != c.status || res.Header.Get("Content-Type") != "application/problem+json" || p["field"] != c.field {
			t.Errorf("%s: %d %s %s, want %d naming %s", c.path, res.StatusCode, res.Header.Get("Content-Type"), body, c.status, c.field)
		}
	}
}

// TestReportPublicView: the public's intensity, compliance and idle reports, in every format,
// carry none of the demo's confidential figures, which the planner's do.
func TestReportPublicView(t *testing.T) {
	srv := reportServer(t)
	words := []string{"industrial_investment_intensity", "industrial_tax_per_ha", "composite_tax_per_ha", "population_density",
		"工业用地固定资产投入强度", "工业用地地均税收", "综合地均税收", "人口密度", "investment_intensity\"", "固定资产投资强度", "亩均税收"}
	text := func(kind, format, role string) string {
		path := "/api/v1/reports/" + kind + "?format=" + format
		if kind == "intensity" && format == "csv" {
			path += "&table=indicators"
		}
		res, body := reportGet(t, srv, path, role)
		if res.StatusCode != 200 {
			t.Fatalf("%s %s: %d %s", kind, format, res.StatusCode, body)
		}
		switch format {
		case "xlsx":
			f, err := excelize.OpenReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			var sb strings.Builder
			for _, s := range f.GetSheetList() {
				if s == "about" { // names what was withheld
					continue
				}
				rows, _ := f.GetRows(s)
				for _, r := range rows {
					sb.WriteString(strings.Join(r, "\t") + "\n")
				}
			}
			return sb.String()
		case "json":
			var doc map[string]any
			_ = json.Unmarshal(body, &doc)
			delete(doc, "withheld") // names what was withheld
			delete(doc, "config")   // ideal values and weights of every indicator
			b, _ := json.Marshal(doc)
			return string(b)
		}
		return string(body)
	}
	for _, kind := range []string{"intensity", "compliance"} {
		for _, format := range []string{"json", "csv", "xlsx"} {
			pub, pl := text(kind, format, ""), text(kind, format, "planner")
			leaked, shown := 0, 0
			for _, w := range words {
				if strings.Contains(pub, w) {
					t.Errorf("public %s %s carries %q", kind, format, w)
					leaked++
				}
				if strings.Contains(pl, w) {
					shown++
				}
			}
			if shown == 0 {
				t.Errorf("planner %s %s carries none of the confidential figures: the check could not fail", kind, format)
			}
		}
	}
	// No enterprise name of the demo reaches the public compliance report.
	_, body := reportGet(t, srv, "/api/v1/reports/compliance", "planner")
	var rep inventory.ComplianceReport
	_ = json.Unmarshal(body, &rep)
	pub := text("compliance", "json", "")
	n := 0
	for _, p := range rep.Plots {
		if p.Enterprise != "" {
			n++
			if strings.Contains(pub, p.Enterprise) {
				t.Errorf("public compliance names %s", p.Enterprise)
			}
		}
	}
	if n == 0 {
		t.Error("the planner's compliance report names no enterprise")
	}
}
