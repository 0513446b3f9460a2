package postgis_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/importer"
)

// failingReader is a file that reads fine until armed, then fails past half its size: a disk
// error while the second pass streams the features into the COPY.
type failingReader struct {
	*bytes.Reader
	armed atomic.Bool
}

func (f *failingReader) ReadAt(p []byte, off int64) (int, error) {
	if f.armed.Load() && off+int64(len(p)) > f.Size()/2 {
		return 0, errors.New("disk on fire")
	}
	return f.Reader.ReadAt(p, off)
}

// gridGeoJSON is n plots, 150 m squares on a grid in the zone 'grid'; feature bad, when not
// -1, has an unknown land-use code.
func gridGeoJSON(n, bad int) []byte {
	var b strings.Builder
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for i := range n {
		x, y := 112.0+float64(i%40)*0.002, 36.0+float64(i/40)*0.002
		lu := "100101"
		if i == bad {
			lu = "999999"
		}
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[%.4f,%.4f],[%.4f,%.4f],[%.4f,%.4f],[%.4f,%.4f],[%.4f,%.4f]]]},"properties":{"code":"S%04d","land_use":"%s","status":"planned","name":"流式地块%d"}}`,
			x, y, x, y+0.0015, x+0.0015, y+0.0015, x+0.0015, y, x, y, i, lu, i)
	}
	b.WriteString("]}")
	return []byte(b.String())
}

// TestImportStreamsAllOrNothing: a GeoJSON file streams into the store feature by feature;
// a read error in the middle of the stream, or a rejected feature in the middle, leaves
// nothing written, and a good file writes every feature.
func TestImportStreamsAllOrNothing(t *testing.T) {
	db := handZone(t)
	exec(t, db, `insert into zones (code, name, geom) values ('grid', 'Grid', ST_Multi(ST_MakeEnvelope(111.99, 35.99, 112.2, 36.2, 4326)))`)
	const n = 1000
	inZone := func() int {
		return count(t, db, "select count(*) from plots p join zones z on z.id = p.zone_id where z.code = 'grid'")
	}
	load := func(r interface {
		ReadAt([]byte, int64) (int, error)
		Size() int64
	}, arm func(), dry bool) (*importer.Report, error) {
		src, err := importer.ReadFrom(r, r.Size(), "")
		if err != nil {
			t.Fatal(err)
		}
		if src.Len() != n || src.Records != nil {
			t.Fatalf("%d features (records in memory: %d), want %d streamed", src.Len(), len(src.Records), n)
		}
		if err := importer.Prepare(inventory.PlotLayer, src, nil); err != nil {
			t.Fatal(err)
		}
		if arm != nil {
			arm()
		}
		return db.Import(importAs, src, importer.Options{Layer: inventory.PlotLayer, Zone: "grid", DryRun: dry})
	}

	fr := &failingReader{Reader: bytes.NewReader(gridGeoJSON(n, -1))}
	if len(gridGeoJSON(n, -1)) < 2<<16 {
		t.Fatalf("the file must be larger than the reader's buffers")
	}
	rep, err := load(fr, func() { fr.armed.Store(true) }, false)
	if err == nil || !strings.Contains(err.Error(), "disk on fire") || inZone() != 0 {
		t.Fatalf("read error mid-stream: %+v, %v; %d plots written", rep, err, inZone())
	}

	rep, err = load(bytes.NewReader(gridGeoJSON(n, 617)), nil, false)
	if err != nil || rep.Committed || len(rep.Rejected) != 1 || rep.Rejected[0].Index != 617 || rep.Rejected[0].Code != "S0617" || rep.Rejected[0].Field != "land_use" || inZone() != 0 {
		t.Fatalf("a bad feature mid-stream: %+v, %v; %d plots written", rep, err, inZone())
	}
	if rep.Total != n || rep.Created != 0 || rep.WouldCreate != n-1 {
		t.Errorf("a bad feature mid-stream: total %d, created %d, would create %d; want %d, 0 and %d", rep.Total, rep.Created, rep.WouldCreate, n, n-1)
	}

	rep, err = load(bytes.NewReader(gridGeoJSON(n, -1)), nil, true)
	if err != nil || rep.Committed || rep.Created != 0 || rep.WouldCreate != n || inZone() != 0 {
		t.Fatalf("dry run: %+v, %v; %d plots written", rep, err, inZone())
	}
	rep, err = load(bytes.NewReader(gridGeoJSON(n, -1)), nil, false)
	if err != nil || !rep.Committed || rep.Created != n || rep.Total != n || inZone() != n {
		t.Fatalf("good file: %+v, %v; %d plots written", rep, err, inZone())
	}
	if got := count(t, db, "select count(*) from plots where code like 'S%' and name like '流式地块%' and ST_Area(geom::geography) between 20000 and 30000"); got != n {
		t.Errorf("%d plots with their name and a 150 m square, want %d", got, n)
	}
}
