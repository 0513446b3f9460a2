package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
	"github.com/landinv/landinv/web"
)

// replicaEnv is the server over a throwaway primary (demo data) and a streaming standby of it
// (DATABASE_READ_URL), with planner alice.
type replicaEnv struct {
	primary, standby *postgistest.Cluster
	srv              *httptest.Server
	token            string
}

func newReplicaEnv(t *testing.T) *replicaEnv {
	t.Helper()
	e := &replicaEnv{primary: postgistest.NewCluster(t, true)}
	e.standby = e.primary.NewStandby()
	db := openCluster(t, e.primary, postgis.Options{MaxConns: 8, ReadURLs: []string{e.standby.URL},
		ReplicaCheckInterval: 200 * time.Millisecond, ReplicaDownFor: time.Second})
	ctx := context.Background()
	if _, err := db.AddUser(ctx, "alice", inventory.RolePlanner); err != nil {
		t.Fatal(err)
	}
	tok, err := db.CreateToken(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	e.token = tok
	d := storeDeps(db)
	d.Metrics = web.NewMetrics(web.MetricsSources{Pool: db.Pool, Revision: db, Replicas: db})
	d.PublicMetrics = true
	e.srv = httptest.NewServer(newServer(t, d))
	t.Cleanup(e.srv.Close)
	e.standby.WaitReplayed(e.primary)
	return e
}

// get sends a GET with the given headers (a "Bearer" header set signs in as alice).
func (e *replicaEnv) get(t *testing.T, path string, header map[string]string) reply {
	t.Helper()
	return e.send(t, "GET", path, header, "")
}

func (e *replicaEnv) send(t *testing.T, method, path string, header map[string]string, body string) reply {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		if k == "Bearer" {
			req.Header.Set("Authorization", "Bearer "+e.token)
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	if resp.StatusCode >= 500 {
		t.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

// name reads a plot's name from GET /api/v1/plots/CODE (status 200 expected).
func plotName(t *testing.T, r reply) string {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("plot: %d %s", r.status, r.body)
	}
	var f struct {
		Properties struct {
			Name string `json:"name"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(r.body, &f); err != nil {
		t.Fatal(err)
	}
	return f.Properties.Name
}

var listTagRevision = regexp.MustCompile(`^W/"plots-(\d+)-[0-9a-f]{16}"$`)

// tagRevision reads the revision in a list's (W/"plots-REV-HASH") or a tile's ("REV") ETag.
func tagRevision(t *testing.T, tag string) int64 {
	t.Helper()
	s := strings.Trim(tag, `"`)
	if m := listTagRevision.FindStringSubmatch(tag); m != nil {
		s = m[1]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("ETag %q carries no revision", tag)
	}
	return n
}

// replicaTileOf returns the z14 tile holding lon, lat.
func replicaTileOf(lon, lat float64) string {
	n := math.Exp2(14)
	x := int((lon + 180) / 360 * n)
	r := lat * math.Pi / 180
	y := int((1 - math.Log(math.Tan(r)+1/math.Cos(r))/math.Pi) / 2 * n)
	return fmt.Sprintf("14/%d/%d", x, y)
}

type readyz struct {
	Status   string                    `json:"status"`
	Replicas []inventory.ReplicaStatus `json:"replicas"`
}

func (e *replicaEnv) readyz(t *testing.T) readyz {
	t.Helper()
	r := e.get(t, "/readyz", nil)
	var out readyz
	if r.status != http.StatusOK || json.Unmarshal(r.body, &out) != nil || out.Status != "ready" || len(out.Replicas) != 1 {
		t.Fatalf("/readyz: %d %s", r.status, r.body)
	}
	return out
}

// metric reads one sample of the replica's series name from /metrics (false when absent).
func (e *replicaEnv) metric(t *testing.T, name string) (float64, bool) {
	t.Helper()
	r := e.get(t, "/metrics", nil)
	prefix := fmt.Sprintf("%s{replica=\"127.0.0.1:%d\"} ", name, e.standby.Port())
	for _, line := range strings.Split(string(r.body), "\n") {
		if v, ok := strings.CutPrefix(line, prefix); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			return f, true
		}
	}
	return 0, false
}

// TestReadReplicaOverHTTP runs the read paths against a primary and a standby: public reads
// come from the standby (its replay paused behind a write, they show the old data, and their
// ETags the standby's revision); a read naming the write's revision (min_revision, the ETags
// in If-None-Match, the editor's cookie) comes from the primary; the lag shows in /readyz and
// /metrics; with the standby stopped every read is answered from the primary, never a 5xx;
// started again, the standby takes reads again.
func TestReadReplicaOverHTTP(t *testing.T) {
	e := newReplicaEnv(t)
	pub := map[string]string(nil)

	// A plot, its tile and its ETag as alice sees it.
	var page struct {
		Features []struct {
			ID       string `json:"id"`
			Geometry struct {
				Coordinates [][][][2]float64 `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if r := e.get(t, "/api/v1/plots?limit=1", pub); r.status != 200 || json.Unmarshal(r.body, &page) != nil || len(page.Features) != 1 {
		t.Fatalf("first plot: %d %s", r.status, r.body)
	}
	code := page.Features[0].ID
	pt := page.Features[0].Geometry.Coordinates[0][0][0]
	tile := "/tiles/plots/" + replicaTileOf(pt[0], pt[1]) + ".mvt"
	mine := e.get(t, "/api/v1/plots/"+code, map[string]string{"Bearer": ""})
	oldName := plotName(t, mine)
	oldRev := e.primary.Revision()

	// The standby stops replaying; alice renames the plot on the primary.
	e.standby.PauseReplay()
	newName := fmt.Sprintf("replica test %d", time.Now().UnixNano())
	w := e.send(t, "PATCH", "/api/v1/plots/"+code, map[string]string{"Bearer": "", "If-Match": mine.header.Get("ETag"),
		"Content-Type": "application/geo+json"}, fmt.Sprintf(`{"type":"Feature","properties":{"name":%q}}`, newName))
	if w.status != http.StatusOK {
		t.Fatalf("PATCH: %d %s", w.status, w.body)
	}
	newRev, err := strconv.ParseInt(w.header.Get(web.RevisionHeader), 10, 64)
	if err != nil || newRev <= oldRev || newRev != e.primary.Revision() {
		t.Fatalf("%s after the write: %q (before %d, primary now %d)", web.RevisionHeader, w.header.Get(web.RevisionHeader), oldRev, e.primary.Revision())
	}
	var cookie string
	for _, c := range w.header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "landinv_rev=") {
			cookie, _, _ = strings.Cut(c, ";")
		}
	}
	if cookie != fmt.Sprintf("landinv_rev=%d", newRev) {
		t.Errorf("the write's cookie: %q", w.header.Values("Set-Cookie"))
	}

	// Public reads come from the paused standby: the old name, the old revision in the ETags.
	if got := plotName(t, e.get(t, "/api/v1/plots/"+code, pub)); got != oldName {
		t.Errorf("public read: name %q; want the standby's %q (reads do not go to the standby)", got, oldName)
	}
	list := e.get(t, "/api/v1/plots?limit=5", pub)
	if rev := tagRevision(t, list.header.Get("ETag")); rev != oldRev || strings.Contains(string(list.body), newName) {
		t.Errorf("public list: ETag %s, new name in it %v; want the standby's revision %d and the old data", list.header.Get("ETag"), strings.Contains(string(list.body), newName), oldRev)
	}
	if r := e.get(t, tile, pub); tagRevision(t, r.header.Get("ETag")) != oldRev {
		t.Errorf("public tile: %d, ETag %s; want revision %d", r.status, r.header.Get("ETag"), oldRev)
	}
	if r := e.get(t, "/api/v1/reports/supply", pub); r.status != 200 {
		t.Errorf("report from the standby: %d %s", r.status, r.body)
	}

	// Reads naming the new revision come from the primary.
	for _, c := range []struct {
		name   string
		path   string
		header map[string]string
	}{
		{"min_revision", "/api/v1/plots/" + code + "?min_revision=" + strconv.FormatInt(newRev, 10), pub},
		{"the feature's new ETag in If-None-Match", "/api/v1/plots/" + code, map[string]string{"If-None-Match": w.header.Get("ETag")}},
		{"the editor's cookie", "/api/v1/plots/" + code, map[string]string{"Bearer": "", "Cookie": cookie}},
		{"min_revision, OGC item", "/ogc/collections/plots/items/" + code + "?min_revision=" + strconv.FormatInt(newRev, 10), pub},
	} {
		r := e.get(t, c.path, c.header)
		if r.status == http.StatusNotModified {
			if c.header["If-None-Match"] == "" {
				t.Errorf("%s: 304 without a tag", c.name)
			}
			continue // the client's copy (the new version) is current: right
		}
		if got := plotName(t, r); got != newName {
			t.Errorf("%s: name %q; want the write's %q", c.name, got, newName)
		}
	}
	list = e.get(t, "/api/v1/plots?limit=5&min_revision="+strconv.FormatInt(newRev, 10), pub)
	if rev := tagRevision(t, list.header.Get("ETag")); list.status != 200 || rev < newRev {
		t.Errorf("list with min_revision: %d, ETag %s; want revision ≥ %d", list.status, list.header.Get("ETag"), newRev)
	}
	if r := e.get(t, tile+"?min_revision="+strconv.FormatInt(newRev, 10), pub); tagRevision(t, r.header.Get("ETag")) < newRev {
		t.Errorf("tile with min_revision: ETag %s; want ≥ %d", r.header.Get("ETag"), newRev)
	}
	// A client holding the list as of the new revision (its ETag names it) is told it is
	// current: the request is answered from the primary, not with the standby's older page.
	oldTag := e.get(t, "/api/v1/plots?limit=5", pub).header.Get("ETag")
	newTag := strings.Replace(oldTag, fmt.Sprintf("-%d-", oldRev), fmt.Sprintf("-%d-", newRev), 1)
	if r := e.get(t, "/api/v1/plots?limit=5", map[string]string{"If-None-Match": newTag}); r.status != http.StatusNotModified {
		t.Errorf("list with If-None-Match %s: %d, ETag %s; want 304", newTag, r.status, r.header.Get("ETag"))
	}
	if r := e.get(t, tile, map[string]string{"If-None-Match": strconv.Quote(strconv.FormatInt(newRev, 10))}); r.status != http.StatusNotModified {
		t.Errorf("tile with If-None-Match of the new revision: %d, ETag %s; want 304", r.status, r.header.Get("ETag"))
	}
	if r := e.get(t, "/api/v1/plots?min_revision=-1", pub); r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "min_revision") {
		t.Errorf("min_revision=-1: %d %s; want 400 naming it", r.status, r.body)
	}

	// The lag shows in /readyz and /metrics.
	time.Sleep(1100 * time.Millisecond)
	rz := e.readyz(t).Replicas[0]
	if !rz.OK || rz.LagSeconds < 1 || rz.LagBytes <= 0 || rz.Revision != oldRev || rz.Host != fmt.Sprintf("127.0.0.1:%d", e.standby.Port()) {
		t.Errorf("/readyz while the standby is paused: %+v", rz)
	}
	if lag, ok := e.metric(t, "landinv_db_replica_lag_seconds"); !ok || lag < 1 {
		t.Errorf("landinv_db_replica_lag_seconds while paused: %v (present %v)", lag, ok)
	}
	if lag, ok := e.metric(t, "landinv_db_replica_lag_bytes"); !ok || lag <= 0 {
		t.Errorf("landinv_db_replica_lag_bytes while paused: %v (present %v)", lag, ok)
	}
	e.standby.ResumeReplay(e.primary)
	if rz := e.readyz(t).Replicas[0]; !rz.OK || rz.LagSeconds != 0 || rz.LagBytes != 0 || rz.Revision != newRev {
		t.Errorf("/readyz caught up: %+v", rz)
	}
	if got := plotName(t, e.get(t, "/api/v1/plots/"+code, pub)); got != newName {
		t.Errorf("public read after the standby caught up: %q", got)
	}

	// The standby stops: every read is answered from the primary, never a 5xx.
	e.standby.Stop()
	for i := range 3 {
		for _, p := range []string{"/api/v1/plots/" + code, "/api/v1/plots?limit=5", tile, "/api/v1/reports/supply", "/api/v1/zone",
			"/ogc/collections/plots/items?limit=3"} {
			r := e.get(t, p, pub)
			if r.status != http.StatusOK && r.status != http.StatusNoContent {
				t.Errorf("round %d, %s with the standby down: %d %s", i, p, r.status, r.body)
			}
		}
	}
	if rz := e.readyz(t).Replicas[0]; rz.OK || rz.LagSeconds != -1 {
		t.Errorf("/readyz with the standby down: %+v (still ready: right)", rz)
	}
	if up, ok := e.metric(t, "landinv_db_replica_up"); !ok || up != 0 {
		t.Errorf("landinv_db_replica_up with the standby down: %v (present %v)", up, ok)
	}
	// A write meanwhile is read back at once.
	mine = e.get(t, "/api/v1/plots/"+code, map[string]string{"Bearer": ""})
	downName := newName + " (standby down)"
	if w := e.send(t, "PATCH", "/api/v1/plots/"+code, map[string]string{"Bearer": "", "If-Match": mine.header.Get("ETag"),
		"Content-Type": "application/geo+json"}, fmt.Sprintf(`{"type":"Feature","properties":{"name":%q}}`, downName)); w.status != 200 {
		t.Fatalf("PATCH with the standby down: %d %s", w.status, w.body)
	}
	if got := plotName(t, e.get(t, "/api/v1/plots/"+code, pub)); got != downName {
		t.Errorf("read with the standby down: %q; want %q", got, downName)
	}

	// The standby is back: once checked (every 200 ms here), it takes reads again: paused
	// behind a new write, it answers the public with its older data.
	e.standby.Start()
	e.standby.WaitReplayed(e.primary)
	for deadline := time.Now().Add(20 * time.Second); !e.readyz(t).Replicas[0].OK; {
		if time.Now().After(deadline) {
			t.Fatalf("the standby did not come back: %+v", e.readyz(t))
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(1500 * time.Millisecond) // past ReplicaDownFor and a check
	e.standby.PauseReplay()
	mine = e.get(t, "/api/v1/plots/"+code, map[string]string{"Bearer": ""})
	if w := e.send(t, "PATCH", "/api/v1/plots/"+code, map[string]string{"Bearer": "", "If-Match": mine.header.Get("ETag"),
		"Content-Type": "application/geo+json"}, `{"type":"Feature","properties":{"name":"after the standby came back"}}`); w.status != 200 {
		t.Fatalf("PATCH with the standby back: %d %s", w.status, w.body)
	}
	if got := plotName(t, e.get(t, "/api/v1/plots/"+code, pub)); got != downName {
		t.Errorf("public read with the standby back and paused: %q; want its %q (reads do not go to it again)", got, downName)
	}
	e.standby.ResumeReplay(e.primary)
}

// TestMinRevisionIsRefusedWhereNotTaken: min_revision is a parameter of the read routes only,
// and a malformed one is a 400 naming it.
func TestMinRevisionIsRefusedWhereNotTaken(t *testing.T) {
	srv := httptest.NewServer(newServer(t, storeDeps(postgistest.NewWithDemo(t))))
	defer srv.Close()
	for _, c := range []struct {
		path string
		want int
	}{
		{"/api/v1/meta?min_revision=3", 400},                 // not a read route of the inventory
		{"/api/v1/plots?limit=1&min_revision=x", 400},        // malformed
		{"/api/v1/plots?limit=1&min_revision=1", 200},        // the shared test database is past 1
		{"/api/v1/reports/supply?min_revision=1", 200},       // reports take it
		{"/api/v1/reports/supply?min_revision=1.5", 400},     // malformed
		{"/ogc/collections/plots/items?min_revision=1", 200}, // OGC items take it
	} {
		resp, err := http.Get(srv.URL + c.path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.want || c.want == 400 && !strings.Contains(string(b), "min_revision") {
			t.Errorf("%s: %d %s; want %d", c.path, resp.StatusCode, b, c.want)
		}
	}
}
