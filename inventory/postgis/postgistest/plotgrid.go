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
