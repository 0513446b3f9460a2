package postgistest

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
)

// PlotGridCols is the number of plots in a row of WritePlotGrid's grid.
const PlotGridCols = 400

// WritePlotGrid writes a GeoJSON FeatureCollection of n plots for the import benchmarks, one
// feature at a time (the file may be hundreds of MB): a grid of 150 m squares, PlotGridCols to
// a row from (111.0, 35.5) at 0.002° spacing, codes B000000…, land use 100101, status planned.
// Each side of a square has perSide points (at least 1), so a plot's ring has 4·perSide+1
// vertices: survey boundaries have many, which is what makes import files large. The
// plots lie in the envelope 110.99, 35.49, 111.01+cols·0.002, 35.51+rows·0.002.
func WritePlotGrid(w io.Writer, n, perSide int) error {
	perSide = max(perSide, 1)
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(`{"type":"FeatureCollection","features":[`)
	const d = 0.0015
	num := func(f float64) { bw.WriteString(strconv.FormatFloat(f, 'f', 7, 64)) }
	pt := func(x, y float64) {
		bw.WriteByte('[')
		num(x)
		bw.WriteByte(',')
		num(y)
		bw.WriteString("],")
	}
	for i := range n {
		if i > 0 {
			bw.WriteString(",\n")
		}
		x := 111.0 + float64(i%PlotGridCols)*0.002
		y := 35.5 + float64(i/PlotGridCols)*0.002
		bw.WriteString(`{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[`)
		// Clockwise, as the first benchmark's squares: up the west side, east along the north,
		// down the east side, west along the south.
		step := d / float64(perSide)
		for k := range perSide {
			pt(x, y+float64(k)*step)
		}
		for k := range perSide {
			pt(x+float64(k)*step, y+d)
		}
		for k := range perSide {
			pt(x+d, y+d-float64(k)*step)
		}
		for k := range perSide {
			pt(x+d-float64(k)*step, y)
		}
		bw.WriteByte('[')
		num(x)
		bw.WriteByte(',')
		num(y)
		fmt.Fprintf(bw, `]]]},"properties":{"code":"B%06d","land_use":"100101","name":"基准地块%d","status":"planned"}}`, i, i)
	}
	bw.WriteString("]}\n")
	return bw.Flush()
}

// BenchZoneSQL are the statements that make the benchmarks' synthetic zone in an empty
// database: zone 1, 'synthetic' (illustrative), holding n plots of about 90 × 90 m, 100 m apart,
// in rows of 400 (plot i, code S-00000i, at column i % 400, row i / 400 from 111.40 E, 36.00 N;
// cells 0.001111° × 0.000899°, a plot 0.001° × 0.00081°, so a box that stops in the gaps holds
// whole plots),
// with land uses, statuses and clusters in turn. The plots are valid by construction and go in
// with the triggers off (session_replication_role: a superuser's session), then analysed.
func BenchZoneSQL(n int) []string {
	return []string{
		`insert into zones (code, name, illustrative, geom) values ('synthetic', 'Synthetic benchmark zone', true,
			ST_Multi(ST_MakeEnvelope(111.40, 36.00, 111.40 + 401 * 0.001111, 36.00 + 1001 * 0.000899, 4326)))`,
		`set session_replication_role = replica`,
		fmt.Sprintf(`insert into plots (zone_id, code, land_use, status, cluster, standard_land, district, illustrative, geom)
			select 1, format('S-%%s', lpad(i::text, 6, '0')), (array['100101','100102','0901','1101'])[1 + i %% 4],
			       (array['planned','ready','reserved','supplied','under_construction','in_production','idle'])[1 + i %% 7],
			       (array['intelligent_manufacturing','energy_saving_environmental','new_energy','new_materials','modern_services'])[1 + i %% 5],
			       i %% 3 = 0, 'D' || (1 + i %% 3), true,
			       ST_Multi(ST_MakeEnvelope(111.40 + (i %% 400) * 0.001111, 36.00 + (i / 400) * 0.000899,
			                                111.40 + (i %% 400) * 0.001111 + 0.001, 36.00 + (i / 400) * 0.000899 + 0.00081, 4326))
			from generate_series(0, %d - 1) i`, n),
		`set session_replication_role = origin`,
		`analyze plots`,
	}
}
