# goals.awk: reads the output of `make bench` (go test -bench lines) and prints issue 11's
# goals, each with the figure this run measured and whether it holds. A goal whose benchmark
# did not run says so. Used by `make bench`; by hand: awk -f data/bench/goals.awk bench.log
#
# A benchmark line is: name, iterations, then pairs of value and unit.
/^Benchmark/ {
  name = $1
  sub(/-[0-9]+$/, "", name) # the GOMAXPROCS suffix
  for (i = 3; i + 1 <= NF; i += 2) m[name, $(i + 1)] = $i
  seen[name] = 1
}

function row(goal, bench, unit, op, target, scale,    v, ok, shown) {
  if (!((bench, unit) in m)) {
    printf "%-46s %-12s %-10s %s\n", goal, "not run", op " " target, "-"
    return
  }
  v = m[bench, unit] * scale
  ok = (op == ">=") ? (v >= target) : (v <= target)
  shown = (v >= 100 || v <= -100) ? sprintf("%.0f", v) : sprintf("%.3g", v)
  printf "%-46s %-12s %-10s %s\n", goal, shown, op " " target, ok ? "met" : "NOT MET"
  total++
  if (ok) met++
}

END {
  print ""
  print "Issue 11 goals, this run (ratios measured in the same run; see README \"Performance\"):"
  printf "%-46s %-12s %-10s %s\n", "goal", "measured", "target", "holds"
  row("page of 1 000 / reference", "BenchmarkPageRace/page1000", "ratio", ">=", 3, 1)
  row("page of 1 000 / reference, gzip", "BenchmarkPageRace/page1000", "ratio-gz", ">=", 3, 1)
  row("page of 100 / reference", "BenchmarkPageRace/page100", "ratio", ">=", 3, 1)
  row("page of 100 / reference, gzip", "BenchmarkPageRace/page100", "ratio-gz", ">=", 3, 1)
  row("one feature by code / reference", "BenchmarkPageRace/feature", "ratio", ">=", 1.5, 1)
  row("gzip's cost at 1 000 features", "BenchmarkPageRace/page1000", "gzip-cost", "<=", 0.15, 1)
  row("page of 1 000 time / its bare SQL", "BenchmarkPlotsBBoxPage", "api/sql", "<=", 1.15, 1)
  row("z14 tiles, cold / bare ST_AsMVT", "BenchmarkTiles/z14", "cold/bare", ">=", 2, 1)
  row("z16 tiles, cold / bare ST_AsMVT", "BenchmarkTiles/z16", "cold/bare", ">=", 2, 1)
  row("z14 tiles, warm / bare", "BenchmarkTiles/z14", "warm/bare", ">=", 2, 1)
  row("z16 tiles, warm / bare", "BenchmarkTiles/z16", "warm/bare", ">=", 2, 1)
  row("z14 tiles after a write elsewhere / bare", "BenchmarkTiles/z14", "kept/bare", ">=", 2, 1)
  row("z16 tiles after a write elsewhere / bare", "BenchmarkTiles/z16", "kept/bare", ">=", 2, 1)
  row("import / ogr2ogr, every rule checked", "BenchmarkImport100kPlots", "ratio_vs_ogr2ogr", ">=", 0.5, 1)
  n = split("intensity intensity_by_district compliance idle supply roads per_mu reclamation province pipeline", reports, " ")
  for (i = 1; i <= n; i++)
    row("report " reports[i] " on 100k plots (s)", "BenchmarkReports/" reports[i], "ns/op", "<=", 0.5, 1e-9)
  row("land map, first plots drawn, demo (ms)", "BenchmarkMapLoad/demo", "ms/plots(median)", "<=", 1500, 1)
  row("land map, first load on the wire (KiB)", "BenchmarkMapLoad/demo", "KiB/load", "<=", 1024, 1)
  row("land map, first plots, 20k plots (ms)", "BenchmarkMapLoad/synthetic-20k-plots-mvt", "ms/plots(median)", "<=", 2000, 1)
  printf "%d of %d measured goals hold.\n", met, total
}
