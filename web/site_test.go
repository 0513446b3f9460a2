package web_test

import (
	"context"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/landinv/landinv/geo"
)

// mercator projects lon/lat to Web Mercator metres (EPSG:3857, spherical, R = 6378137), written
// out here as an independent check of what PostGIS draws.
func mercator(lon, lat float64) (x, y float64) {
	const r = 6378137.0
	return r * lon * math.Pi / 180, r * math.Log(math.Tan(math.Pi/4+lat*math.Pi/360))
}

var numRe = regexp.MustCompile(`-?\d+(?:\.\d+)?`)

// pathBBox is the box of every coordinate pair in SVG path data (absolute M/L commands, as
// ST_AsSVG writes with rel = 0).
func pathBBox(t *testing.T, d string) [4]float64 {
	t.Helper()
	nums := numRe.FindAllString(d, -1)
	if len(nums) < 6 || len(nums)%2 != 0 {
		t.Fatalf("path %q has %d numbers", d, len(nums))
	}
	b := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for i := 0; i < len(nums); i += 2 {
		x, _ := strconv.ParseFloat(nums[i], 64)
		y, _ := strconv.ParseFloat(nums[i+1], 64)
		b[0], b[1], b[2], b[3] = math.Min(b[0], x), math.Min(b[1], y), math.Max(b[2], x), math.Max(b[3], y)
	}
	return b
}

// attr returns the value of attribute name of the element with the given id.
func attr(t *testing.T, html, id, name string) string {
	t.Helper()
	re := regexp.MustCompile(`<[a-z]+ [^>]*id="` + regexp.QuoteMeta(id) + `"[^>]*>`)
	el := re.FindString(html)
	if el == "" {
		t.Fatalf("no element #%s", id)
	}
	m := regexp.MustCompile(` ` + name + `="([^"]*)"`).FindStringSubmatch(el)
	if m == nil {
		t.Fatalf("#%s has no %s: %s", id, name, el)
	}
	return m[1]
}

func TestSiteSheetMapDrawsTheSiteInPlace(t *testing.T) {
	e := newEditEnv(t)
	for _, tc := range []struct {
		path                   string
		lon0, lat0, lon1, lat1 float64
	}{
		{"/sites/plots/P1", 111.51, 36.01, 111.52, 36.02},
		{"/sites/plants/S1", 111.512, 36.012, 111.513, 36.013},
	} {
		t.Run(tc.path, func(t *testing.T) {
			r := e.do(t, "GET", tc.path, "", "", "")
			if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
				t.Fatalf("%d %s: %.300s", r.status, r.header.Get("Content-Type"), r.body)
			}
			html := string(r.body)
			got := pathBBox(t, attr(t, html, "site-outline", "d"))
			x0, y0 := mercator(tc.lon0, tc.lat0)
			x1, y1 := mercator(tc.lon1, tc.lat1)
			want := [4]float64{x0, -y1, x1, -y0} // SVG's y runs down
			for i := range want {
				if math.Abs(got[i]-want[i]) > 0.2 {
					t.Errorf("outline box %v, want %v (±0.2 m)", got, want)
					break
				}
			}
			// The view holds the site with room around it.
			vb := numRe.FindAllString(attr(t, html, "site-map", "viewBox"), -1)
			var v [4]float64
			for i := range v {
				v[i], _ = strconv.ParseFloat(vb[i], 64)
			}
			if !(v[0] < got[0] && v[1] < got[1] && v[0]+v[2] > got[2] && v[1]+v[3] > got[3]) {
				t.Errorf("viewBox %v does not hold the site %v", v, got)
			}
			// Neighbours: the planned road R1 and, on the plant's sheet, its plot.
			if tc.path == "/sites/plots/P1" && (!strings.Contains(html, `class="m-road planned"`) || !strings.Contains(html, "<title>R1</title>")) {
				t.Error("the map has no planned road R1")
			}
			if tc.path == "/sites/plants/S1" && !strings.Contains(html, "<title>P1</title>") {
				t.Error("the plant's map does not draw its plot P1")
			}
		})
	}
}

func TestSiteSheetContent(t *testing.T) {
	e := newEditEnv(t)
	ctx := context.Background()
	// A planner records prices and a term, the zone a contact.
	for _, s := range []string{
		`update zones set contact = '招商局 0357-1111111', contact_en = 'Investment Bureau +86 357 1111111'`,
	} {
		if _, err := e.db.Pool.Exec(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	before := e.do(t, "GET", "/sites/plots/P1", "", "", "")
	if strings.Contains(string(before.body), "挂牌价") {
		t.Error("the sheet shows an asking price that is not set")
	}
	cur := e.do(t, "GET", "/api/v1/plots/P1", "alice", "", "")
	r := e.do(t, "PATCH", "/api/v1/plots/P1", "alice", cur.header.Get("ETag"),
		`{"type":"Feature","properties":{"asking_price_wan_per_mu":12.5,"lease_term_years":50,"min_far":1.2,"standard_land":true}}`)
	if r.status != 200 {
		t.Fatalf("PATCH plot: %d %s", r.status, r.body)
	}
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"", []string{`lang="zh-CN"`, "面积", "公顷", "挂牌价", "12.5 万元/亩", "50 年", "容积率(下限)", "1.2", "总建筑面积与用地面积之比",
			"招商局 0357-1111111", "数据日期", "data:image/png;base64,", "净地，可供应", "100101", "最近已建道路", "区内暂无已建道路", "West"}},
		{"?lang=en", []string{`lang="en"`, "Area", " mu · ", "Asking price", "125,000 yuan per mu", "50 years", "Floor-area ratio (min)",
			"Floor area divided by land area", "Investment Bureau &#43;86 357 1111111", "Data as of", "Serviced land, available now", "1 mu (亩"}},
	} {
		r := e.do(t, "GET", "/sites/plots/P1"+tc.lang, "", "", "")
		if r.status != 200 {
			t.Fatalf("%s: %d", tc.lang, r.status)
		}
		for _, w := range tc.want {
			if !strings.Contains(string(r.body), w) {
				t.Errorf("sheet%s lacks %q", tc.lang, w)
			}
		}
	}
	// The area is the stored m² converted through geo.
	var m2 float64
	if err := e.db.Pool.QueryRow(ctx, "select area_m2 from plots where code = 'P1' and valid_to = 'infinity'").Scan(&m2); err != nil {
		t.Fatal(err)
	}
	body := string(e.do(t, "GET", "/sites/plots/P1", "", "", "").body)
	mu := message.NewPrinter(language.English).Sprintf("%.2f", geo.MuFromSquareMetres(m2))
	if !strings.Contains(body, mu+" 亩") {
		t.Errorf("sheet does not give the area as %s 亩 (%.1f m²)", mu, m2)
	}
}

func TestSiteSheetNeverShowsConfidential(t *testing.T) {
	e := newEditEnv(t)
	// P1 holds enterprise 机密企业XYZ and investment 98765.4321; S1 a tenant 秘密租户 paying 97.31
	// (a rent of 17.77 once "leaked" through a history timestamp at hh:mm:17.77: seconds never
	// reach 97).
	secrets := []string{"机密企业XYZ", "98765", "98,765", "秘密租户", "97.31"}
	for _, user := range []string{"", "alice"} { // a planner's sheet is the public one too
		for _, p := range []string{"/sites/plots/P1", "/sites/plants/S1", "/sites/plots/P1?lang=en", "/sites/plants/S1?lang=en"} {
			r := e.do(t, "GET", p, user, "", "")
			if r.status != 200 {
				t.Fatalf("%s: %d", p, r.status)
			}
			for _, s := range secrets {
				if strings.Contains(string(r.body), s) {
					t.Errorf("%s as %q shows the confidential %q", p, user, s)
				}
			}
		}
	}
	// The secrets are there for planners, so the test can fail.
	r := e.do(t, "GET", "/api/v1/plots/P1", "alice", "", "")
	if !strings.Contains(string(r.body), "机密企业XYZ") {
		t.Fatal("the planner's API answer lacks the enterprise: the test data is wrong")
	}
}

func TestSiteSheetNotFound(t *testing.T) {
	e := newEditEnv(t)
	for _, p := range []string{"/sites/plots/NOPE", "/sites/plants/NOPE?lang=en", "/sites/plots/P1%2F..", "/sites/plants/P1"} {
		r := e.do(t, "GET", p, "", "", "")
		if r.status != 404 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !strings.Contains(string(r.body), `id="not-found"`) {
			t.Errorf("%s: %d %s, want a 404 page", p, r.status, r.header.Get("Content-Type"))
		}
	}
	if r := e.do(t, "GET", "/sites/plots/I1", "", "", ""); r.status != 404 {
		t.Errorf("an idle site's code on the plots sheet: %d", r.status)
	}
}
