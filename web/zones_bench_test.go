package web_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
	"github.com/landinv/landinv/web"
)

// The many-zones benchmark (issue 12): one zone's operations on an inventory of 1,000 zones of
// 1,000 plots each (1,000,000 plots), against the same zone alone in a database of 1,000
// plots. Both databases are postgistest templates (built once per migrations and seed; the
// first run loads the million plots and logs how long it took).
const (
	manyZones     = 1000
	plotsPerZone  = 1000
	benchZone     = 500 // a zone in the middle of the grid, with neighbours on every side
	maxZoneRatio  = 1.3 // every operation within 1.3× of the one-zone figure
	benchTileZoom = 14
)

// zoneOps are the operations measured on one store, for zone benchZone.
type zoneOps struct {
	name string
	db   *postgis.DB
	etag string // the plot the write changes: its current ETag
	n    int
}

var benchPlanner = inventory.WithViewer(context.Background(), inventory.Viewer{Name: "bench", Role: inventory.RolePlanner})

func (o *zoneOps) run(b *testing.B, op string) {
	ctx := benchPlanner
	zone := postgistest.ZoneCode(benchZone)
	x0, y0 := postgistest.ZoneOrigin(benchZone)
	switch op {
	case "bbox_page":
		// The zone's whole plot grid: its 1,000 plots.
		v := url.Values{"limit": {"1000"}, "bbox": {fmt.Sprintf("%.6f,%.6f,%.6f,%.6f", x0, y0,
			x0+postgistest.PlotCols*postgistest.PlotDX, y0+plotsPerZone/postgistest.PlotCols*postgistest.PlotDY)}}
		q, err := web.ParseQuery(inventory.PlotLayer, v)
		if err != nil {
			b.Fatal(err)
		}
		q.Zone = zone
		_, n, err := o.db.StreamList(ctx, q, func([]byte) error { return nil })
		if err != nil || n != plotsPerZone {
			b.Fatalf("%s bbox page: %d features, %v", o.name, n, err)
		}
	case "z14_tile":
		x, y := tileOf(x0+0.5*postgistest.PlotCols*postgistest.PlotDX, y0+0.5*plotsPerZone/postgistest.PlotCols*postgistest.PlotDY, benchTileZoom)
		t, err := o.db.Tile(ctx, inventory.TileLayers["plots"], zone, benchTileZoom, x, y)
		if err != nil || len(t) < 1000 {
			b.Fatalf("%s tile: %d bytes, %v", o.name, len(t), err)
		}
	case "intensity_report":
		p := inventory.DefaultReportParams(inventory.ReportIntensity)
		p.Zone = zone
		r, err := o.db.Intensity(ctx, p)
		if err != nil || r.Total.Plots != plotsPerZone {
			b.Fatalf("%s report: %v", o.name, err)
		}
	case "write":
		// A new version of one plot (its name), through the one write path and every trigger.
		o.n++
		f, err := o.db.Update(ctx, inventory.PlotLayer, zone, postgistest.PlotCode(321), o.etag,
			inventory.Change{Properties: map[string]any{"name": fmt.Sprintf("bench %d", o.n)}})
		if err != nil {
			b.Fatalf("%s write: %v", o.name, err)
		}
		o.etag = f.ETag()
	}
}

// BenchmarkManyZones times each operation on the one-zone and the thousand-zone database in
// turn, twice per iteration in an order that alternates, after five warm-up rounds. The ratio is
// the median over the iterations of each iteration's own ratio (its two thousand-zone runs over
// its two one-zone runs): runs a few milliseconds apart share the shared machine's load, which
// swings by more than the effect measured. The best times (the cost without interference) give a
// second ratio. It reports both; the benchmark fails when both exceed maxZoneRatio (on a quiet
// machine the two agree; under load each is wrong in its own way: the medians measure the
// neighbours, and an operation as long as the bbox page is rarely run without interruption).
func BenchmarkManyZones(b *testing.B) {
	start := time.Now()
	bigURL, built := postgistest.Seeded(b, postgistest.SyntheticZonesSQL(0, manyZones, plotsPerZone))
	if built > 0 {
		fmt.Printf("many zones: loaded %d zones × %d plots (%d plots) in %s\n", manyZones, plotsPerZone, manyZones*plotsPerZone, built.Round(time.Second))
	} else {
		fmt.Printf("many zones: the %d-plot database came from its template in %s\n", manyZones*plotsPerZone, time.Since(start).Round(time.Millisecond))
	}
	oneURL, _ := postgistest.Seeded(b, postgistest.SyntheticZonesSQL(benchZone, 1, plotsPerZone))
	stores := []*zoneOps{{name: "one zone", db: openURL(b, oneURL)}, {name: "1000 zones", db: openURL(b, bigURL)}}
	for _, s := range stores {
		f, err := s.db.Get(benchPlanner, inventory.PlotLayer, postgistest.ZoneCode(benchZone), postgistest.PlotCode(321))
		if err != nil {
			b.Fatal(err)
		}
		s.etag = f.ETag()
	}
	for _, op := range []string{"bbox_page", "z14_tile", "intensity_report", "write"} {
		b.Run(op, func(b *testing.B) {
			for range 5 { // warm the caches (a fresh copy of a template starts cold)
				for _, s := range stores {
					s.run(b, op)
				}
			}
			times := [2][]time.Duration{}
			var ratios []float64 // per iteration: its two many-zone runs over its two one-zone runs
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				var sum [2]time.Duration
				for k := range 4 { // one, many, many, one; then many, one, one, many
					j := (i + k + k/2) % 2
					t0 := time.Now()
					stores[j].run(b, op)
					d := time.Since(t0)
					times[j] = append(times[j], d)
					sum[j] += d
				}
				ratios = append(ratios, float64(sum[1])/float64(sum[0]))
			}
			b.StopTimer()
			if b.N < 5 {
				return // the framework's first, one-iteration run: too few to judge
			}
			ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
			one, many := median(times[0]), median(times[1])
			slices.Sort(ratios)
			ratio := ratios[len(ratios)/2]
			b.ReportMetric(ms(one), "one-zone-ms")
			b.ReportMetric(ms(many), "1000-zones-ms")
			b.ReportMetric(ratio, "ratio")
			bestOne, bestMany := slices.Min(times[0]), slices.Min(times[1])
			best := float64(bestMany) / float64(bestOne)
			b.ReportMetric(best, "best-ratio")
			fmt.Printf("many zones: %-16s median one zone %7.2f ms, 1000 zones %7.2f ms (ratio %.2f); best %7.2f / %7.2f ms (ratio %.2f)\n", op,
				ms(one), ms(many), ratio, ms(bestOne), ms(bestMany), best)
			if ratio > maxZoneRatio && best > maxZoneRatio {
				b.Errorf("%s: %.2f× the one-zone figure (median of the paired ratios), %.2f× best against best; the limit is %.1f×", op, ratio, best, maxZoneRatio)
			}
		})
	}
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}
