package web_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/landinv/landinv/inventory"
)

// BenchmarkPageRace races landinv's read API against a reference generic feature server (what
// pg_featureserv does: per-row ST_AsGeoJSON, the properties read as Go values and the
// FeatureCollection assembled with encoding/json, gzip by the same library when asked) on
// 100,000 plots, with 8 concurrent clients and a random bbox (or code) per request:
//
//   - page1000: a bbox page of 1,000 features (the box holds a few more, so there is a next page);
//   - page100:  a bbox page of 100 features;
//   - feature:  one feature by code.
//
// Each iteration runs one batch against each of landinv and the reference, with and without
// Accept-Encoding: gzip, in alternating order. It reports the requests per second of each and
// the ratios landinv/reference; gzip-cost is 1 − (landinv's throughput with gzip / without).
//
// A batch is sustained throughput: 8 clients take the batch's requests (128 pages of 1 000, 512
// pages of 100, 2 048 single features: a few hundred milliseconds each) from one queue, each its
// next as soon as its last is answered, so all 8 stay busy until the queue is empty (the last
// requests finish alone, one request's time at most). Each server runs in a process of its own
// (race_proc_test.go), so each pays its own garbage collection on its own clock. (Until session
// 11 a batch was 8 clients × 4 requests each, waiting for the slowest client; in session 11 the
// servers shared the benchmark's process, with an untimed collection before each batch of 128,
// which left most of the reference's collections, and some of landinv's, off the clock; README
// "Performance" has each design's figures.)
func BenchmarkPageRace(b *testing.B) {
	db := syntheticPlots(b, 100_000)
	url := db.Pool.Config().ConnString()
	// Each server in a process of its own (race_proc_test.go), as the servers it stands for run:
	// landinv; the same server on a store without the feature cache (LANDINV_FEATURE_CACHE_MB=0),
	// what every page costs when the database builds all its features, as on a cold cache; and
	// the reference.
	land, landNoCache, ref := startRaceSide(b, "landinv", url), startRaceSide(b, "landinv-nocache", url), startRaceSide(b, "reference", url)

	const cols, rows, cell, rowH = 400, 250, 0.001111, 0.000899
	// bbox returns a random box of w × h cells inside the grid (it stops in the gaps between
	// plots, so it holds exactly w × h plots).
	bbox := func(rnd *rand.Rand, w, h int) string {
		c, r := rnd.IntN(cols-w), rnd.IntN(rows-h)
		x0, y0 := 111.40+float64(c)*cell+0.0005, 36.00+float64(r)*rowH+0.0004
		return fmt.Sprintf("%.6f,%.6f,%.6f,%.6f", x0, y0, x0+float64(w)*cell-0.0006, y0+float64(h)*rowH-0.0005)
	}
	cases := []struct {
		name string
		path func(rnd *rand.Rand) string // the same path on both servers
		want int                         // features in a page (0: one feature)
		// requests in a batch: a batch of a few hundred milliseconds, so that it is not timing
		// the scheduler
		requests int64
	}{
		{"page1000", func(rnd *rand.Rand) string { return "/api/v1/plots?limit=1000&bbox=" + bbox(rnd, 41, 26) }, 1000, 128},
		{"page100", func(rnd *rand.Rand) string { return "/api/v1/plots?limit=100&bbox=" + bbox(rnd, 11, 10) }, 100, 512},
		{"feature", func(rnd *rand.Rand) string { return fmt.Sprintf("/api/v1/plots/S-%06d", rnd.IntN(100_000)) }, 0, 2048},
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16, DisableCompression: true}}
	for _, c := range cases {
		// Both servers answer the same request with the same features.
		rnd := rand.New(rand.NewPCG(1, 2))
		p := c.path(rnd)
		a, r := fetchFC(b, client, land.URL+p), fetchFC(b, client, ref.URL+p)
		if c.want > 0 && (len(a) != c.want || strings.Join(a, ",") != strings.Join(r, ",")) {
			b.Fatalf("%s: landinv %d features, reference %d, or not the same", c.name, len(a), len(r))
		}
		b.Run(c.name, func(b *testing.B) {
			type side struct {
				base string
				gzip bool
				n    int64
				took time.Duration
			}
			sides := []*side{{base: land.URL}, {base: ref.URL}, {base: land.URL, gzip: true}, {base: ref.URL, gzip: true},
				{base: landNoCache.URL}, {base: landNoCache.URL, gzip: true}}
			var seed atomic.Uint64
			batch := func(s *side) {
				const clients = 8
				requests := c.requests
				var wg sync.WaitGroup
				var taken atomic.Int64
				t0 := time.Now()
				for range clients {
					wg.Add(1)
					go func() {
						defer wg.Done()
						rnd := rand.New(rand.NewPCG(seed.Add(1), 7))
						for taken.Add(1) <= requests {
							req, _ := http.NewRequest("GET", s.base+c.path(rnd), nil)
							if s.gzip {
								req.Header.Set("Accept-Encoding", "gzip")
							}
							resp, err := client.Do(req)
							if err != nil {
								b.Error(err)
								return
							}
							n, err := io.Copy(io.Discard, resp.Body)
							resp.Body.Close()
							if err != nil { // a page cut off mid-stream is not a page served
								b.Errorf("%s: %v after %d bytes", req.URL, err, n)
								return
							}
							// gzip when asked, except a body too small to gain from it (one
							// feature; landinv sends those plain, web/compress.go).
							gz := resp.Header.Get("Content-Encoding") == "gzip"
							if resp.StatusCode != 200 || gz && !s.gzip || s.gzip && !gz && n >= 1<<11 {
								b.Errorf("%s: status %d, Content-Encoding %q", req.URL, resp.StatusCode, resp.Header.Get("Content-Encoding"))
								return
							}
						}
					}()
				}
				wg.Wait()
				s.took += time.Since(t0)
				s.n += requests
			}
			for _, s := range sides { // warm up
				batch(s)
				s.n, s.took = 0, 0
			}
			stats0 := land.stats(b)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for j := range sides {
					batch(sides[(i+j)%len(sides)]) // alternate the order
				}
			}
			b.StopTimer()
			rps := func(s *side) float64 { return float64(s.n) / s.took.Seconds() }
			b.ReportMetric(rps(sides[0]), "landinv-req/s")
			b.ReportMetric(rps(sides[1]), "ref-req/s")
			b.ReportMetric(rps(sides[0])/rps(sides[1]), "ratio")
			b.ReportMetric(rps(sides[2]), "landinv-gz-req/s")
			b.ReportMetric(rps(sides[3]), "ref-gz-req/s")
			b.ReportMetric(rps(sides[2])/rps(sides[3]), "ratio-gz")
			b.ReportMetric(1-rps(sides[2])/rps(sides[0]), "gzip-cost")
			b.ReportMetric(rps(sides[4])/rps(sides[1]), "ratio-nocache")
			b.ReportMetric(rps(sides[5])/rps(sides[3]), "ratio-nocache-gz")
			if st := land.stats(b); st.Hits+st.Misses > stats0.Hits+stats0.Misses {
				b.ReportMetric(float64(st.Hits-stats0.Hits)/float64(st.Hits+st.Misses-stats0.Hits-stats0.Misses), "cache-hits")
				b.ReportMetric(float64(st.Bytes)/(1<<20), "cache-MiB")
			}
			if st := land.stats(b); st.ByCode > stats0.ByCode {
				reads := float64(st.ByCode + st.ByCodeMisses - stats0.ByCode - stats0.ByCodeMisses)
				b.ReportMetric(float64(st.ByCode-stats0.ByCode)/reads, "by-code-hits")
				b.ReportMetric(float64(st.RevisionReads-stats0.RevisionReads)/reads, "revision-reads/read")
			}
			b.ReportMetric(0, "ns/op")
		})
	}
}

// fetchFC returns the feature ids of a FeatureCollection (or of one Feature).
func fetchFC(b *testing.B, c *http.Client, url string) []string {
	resp, err := c.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct {
		ID       string `json:"id"`
		Features []struct {
			ID string `json:"id"`
		} `json:"features"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || resp.StatusCode != 200 {
		b.Fatalf("%s: %d %v", url, resp.StatusCode, err)
	}
	if v.ID != "" {
		return []string{v.ID}
	}
	ids := make([]string, len(v.Features))
	for i, f := range v.Features {
		ids[i] = f.ID
	}
	return ids
}

// refColumns are the plots' public columns, as a generic server would list them from the table
// (the areas in 亩 and ha computed the same way).
func refColumns() []string {
	var cols []string
	for _, f := range inventory.PlotLayer.Fields {
		switch {
		case f.Confidential:
		case f.Name == "area_mu":
			cols = append(cols, "area_m2 * 0.0015 as area_mu")
		case f.Name == "area_ha":
			cols = append(cols, "area_m2 / 10000 as area_ha")
		default:
			cols = append(cols, pgx.Identifier{f.Name}.Sanitize())
		}
	}
	return cols
}

// refServer is the reference generic feature server: one query per request, per-row
// ST_AsGeoJSON, the properties scanned into Go values and the FeatureCollection written with
// encoding/json, streamed feature by feature.
type refServer struct {
	pool *pgxpool.Pool
	cols []string
}

// refBuffers are the reference's 64 KiB response buffers, reused from request to request.
var refBuffers = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 64<<10) }}

type refFeature struct {
	Type       string          `json:"type"`
	ID         string          `json:"id"`
	Geometry   json.RawMessage `json:"geometry"`
	Properties map[string]any  `json:"properties"`
}

func (s *refServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	sel := "select ST_AsGeoJSON(geom, 7) as _geojson, " + strings.Join(s.cols, ", ") +
		" from plots where zone_id = (select id from zones where code = 'synthetic') and valid_to = 'infinity' and not archived"
	var args []any
	code, single := strings.CutPrefix(r.URL.Path, "/api/v1/plots/")
	if single {
		args = append(args, code)
		sel += " and code = $1"
	} else {
		var x0, y0, x1, y1 float64
		if _, err := fmt.Sscanf(r.URL.Query().Get("bbox"), "%g,%g,%g,%g", &x0, &y0, &x1, &y1); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		var limit int
		fmt.Sscan(r.URL.Query().Get("limit"), &limit) //nolint:errcheck
		args = append(args, x0, y0, x1, y1, limit)
		sel += " and geom && ST_MakeEnvelope($1, $2, $3, $4, 4326) and ST_Intersects(geom, ST_MakeEnvelope($1, $2, $3, $4, 4326)) order by code limit $5"
	}
	rows, err := s.pool.Query(ctx, sel, args...)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	defer rows.Close()
	names := rows.FieldDescriptions()
	enc := json.NewEncoder(w)
	feature := func() (*refFeature, error) {
		vals, err := rows.Values()
		if err != nil {
			return nil, err
		}
		f := &refFeature{Type: "Feature", Geometry: json.RawMessage(vals[0].(string)), Properties: make(map[string]any, len(vals)-1)}
		for i := 1; i < len(vals); i++ {
			f.Properties[names[i].Name] = vals[i]
		}
		f.ID, _ = vals[1].(string)
		return f, nil
	}
	if single {
		if !rows.Next() {
			http.Error(w, "not found", 404)
			return
		}
		f, err := feature()
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Header().Set("Content-Type", "application/geo+json")
		_ = enc.Encode(f)
		return
	}
	w.Header().Set("Content-Type", "application/geo+json")
	// Written through a 64 KiB buffer, as landinv writes its pages (streambuf.go): net/http's own
	// 4 KiB buffer would make a system call every few features. The buffers are reused, as
	// landinv's are, so that they add no garbage.
	bw := refBuffers.Get().(*bufio.Writer)
	bw.Reset(w)
	defer func() {
		bw.Flush() //nolint:errcheck
		bw.Reset(nil)
		refBuffers.Put(bw)
	}()
	enc = json.NewEncoder(bw)
	io.WriteString(bw, `{"type":"FeatureCollection","features":[`) //nolint:errcheck
	n := 0
	for rows.Next() {
		f, err := feature()
		if err != nil {
			return
		}
		if n > 0 {
			io.WriteString(bw, ",") //nolint:errcheck
		}
		if err := enc.Encode(f); err != nil {
			return
		}
		n++
	}
	fmt.Fprintf(bw, `],"numberReturned":%d}`, n)
}
