package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
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
			if (kind == inventory.ReportProvince || kind == inventory.ReportPipeline) && strings.Contains(q, "district") {
				continue // districts belong to one zone; the province report refuses them (TestProvinceReportAPI)
			}
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
		{"/api/v1/reports/supply?format=csv&raw=yes", "raw", 400},
		{"/api/v1/reports/supply?format=xlsx&raw=true", "raw", 400},
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

// TestReportPublicView: the public's compliance report, in every format, carries none of the
// demo's confidential figures, which the planner's does; the public's intensity report shows
// exactly what the disclosure rule allows (TestReportDisclosure).
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
	for _, kind := range []string{"compliance"} {
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

// TestReportDisclosure: on the demo data grouped by district, the public intensity report shows
// an indicator exactly when the planner's report does not mark it public_withheld, with the
// planner's value; a withheld one is absent from the public JSON, CSV (rounded and raw) and XLSX,
// and is explained in words.
func TestReportDisclosure(t *testing.T) {
	srv := reportServer(t)
	get := func(path, role string) []byte {
		res, body := reportGet(t, srv, path, role)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, res.StatusCode, body)
		}
		return body
	}
	var pub, plan inventory.IntensityReport
	pubJSON := get("/api/v1/reports/intensity?group=district", "")
	if err := json.Unmarshal(pubJSON, &pub); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(get("/api/v1/reports/intensity?group=district", "planner"), &plan); err != nil {
		t.Fatal(err)
	}
	files := string(get("/api/v1/reports/intensity?group=district&format=csv&table=indicators", "")) +
		string(get("/api/v1/reports/intensity?group=district&format=csv&table=indicators&raw=true", ""))
	f, err := excelize.OpenReader(bytes.NewReader(get("/api/v1/reports/intensity?group=district&format=xlsx", "")))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range f.GetSheetList() {
		rows, _ := f.GetRows(s, excelize.Options{RawCellValue: true})
		for _, r := range rows {
			files += strings.Join(r, "\t") + "\n"
		}
	}
	shown, withheld := 0, 0
	for gi, lg := range append([]inventory.IntensityGroup{plan.Total}, plan.Groups...) {
		pg := pub.Total
		if gi > 0 {
			pg = pub.Groups[gi-1]
		}
		if pg.Key != lg.Key {
			t.Fatalf("groups differ: %s, %s", pg.Key, lg.Key)
		}
		for _, li := range lg.Indicators {
			var pi *inventory.Indicator
			for i := range pg.Indicators {
				if pg.Indicators[i].Key == li.Key {
					pi = &pg.Indicators[i]
				}
			}
			if li.PublicWithheld == nil {
				if pi == nil || (li.Value == nil) != (pi.Value == nil) || (li.Value != nil && *li.Value != *pi.Value) {
					t.Errorf("%s %s: public %+v, want the planner's %v", lg.Key, li.Key, pi, li.Value)
				}
				if li.IsSensitive {
					shown++
				}
				continue
			}
			withheld++
			if pi != nil {
				t.Errorf("%s %s: the public sees %v, withheld for the planner's reason %q", lg.Key, li.Key, pi.Value, li.PublicWithheld.ReasonEN)
			}
			if li.Value != nil && *li.Value != 0 {
				for _, s := range []string{strconv.FormatFloat(*li.Value, 'f', -1, 64), strconv.FormatFloat(*li.Value, 'f', 2, 64)} {
					if strings.Contains(string(pubJSON), s) || strings.Contains(files, s) {
						t.Errorf("%s %s: withheld value %s is in the public files", lg.Key, li.Key, s)
					}
				}
			}
			found := false
			for _, w := range pg.Withheld {
				found = found || (w.Key == li.Key && w.Reason != "" && w.ReasonEN != "")
			}
			if !found {
				t.Errorf("%s %s: withheld without a reason in words", lg.Key, li.Key)
			}
		}
		if (lg.ScorePublicWithheld == nil) != (pg.Score != nil) {
			t.Errorf("%s: public score %v, planner's note %+v", lg.Key, pg.Score, lg.ScorePublicWithheld)
		}
	}
	t.Logf("confidential indicators shown to the public: %d; withheld: %d", shown, withheld)
	if shown == 0 || withheld == 0 {
		t.Errorf("the demo should both show (%d) and withhold (%d) some confidential indicators", shown, withheld)
	}
}

// TestReportFileNames: a download is named by zone, report, table and the day in China time
// (UTC+8), the one the report prints; the raw CSV is told apart from the rounded one.
func TestReportFileNames(t *testing.T) {
	srv := reportServer(t)
	for _, c := range []struct{ query, want string }{
		// 2026-03-31T17:30Z is 1 April 01:30 in Linfen.
		{"?format=csv&as_of=2026-03-31T17:30:00Z", `filename="landinv-linfen-edz-supply-asof20260401-ready_by_district.csv"`},
		{"?format=csv&raw=true&as_of=2026-03-31T17:30:00Z", `filename="landinv-linfen-edz-supply-asof20260401-ready_by_district-raw.csv"`},
		{"?format=xlsx&as_of=2026-03-31T15:30:00Z", `filename="landinv-linfen-edz-supply-asof20260331.xlsx"`},
		{"?format=csv&as_of=2026-04-01", `filename="landinv-linfen-edz-supply-asof20260401-ready_by_district.csv"`},
	} {
		res, body := reportGet(t, srv, "/api/v1/reports/supply"+c.query, "planner")
		if got := res.Header.Get("Content-Disposition"); res.StatusCode != 200 || !strings.Contains(got, c.want) {
			t.Errorf("%s: %d %q, want %s (%.100s)", c.query, res.StatusCode, got, c.want, body)
		}
	}
}
