package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/landinv/landinv/inventory"
)

// collect reads every record of src (streamed or not).
func collect(t *testing.T, src *Source) []Record {
	t.Helper()
	var out []Record
	for r, err := range src.All() {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func TestReadGeoJSON(t *testing.T) {
	src, err := ReadGeoJSON([]byte(`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4546"}},
		"features":[{"type":"Feature","id":"GT-01","geometry":{"type":"Polygon","coordinates":[[[0,0],[0,1],[1,1],[0,0]]]},"properties":{"area":12.50}},
		{"type":"Feature","id":7,"geometry":null,"properties":null}]}`))
	if err != nil {
		t.Fatal(err)
	}
	recs := collect(t, src)
	if src.Format != "geojson" || src.SRID != 4546 || src.CRSFrom != "GeoJSON crs member" || src.Len() != 2 || len(recs) != 2 {
		t.Fatalf("%+v", src)
	}
	r0, r1 := recs[0], recs[1]
	if r0.Props["code"] != "GT-01" || r0.Props["area"] != json.Number("12.50") || !strings.HasPrefix(string(r0.GeoJSON), `{"type":"Polygon"`) || r0.WKB != nil {
		t.Errorf("record 0: %+v", r0)
	}
	if r1.Index != 1 || len(r1.Props) != 0 || r1.GeoJSON != nil {
		t.Errorf("record 1 (a numeric id is no code, a null geometry none): %+v", r1)
	}
	one, err := ReadGeoJSON([]byte(`{"type":"Feature","geometry":null,"properties":{"code":"A"}}`))
	if err != nil || one.SRID != 4326 || len(one.Records) != 1 || one.Records[0].Props["code"] != "A" {
		t.Errorf("one feature: %+v, %v", one, err)
	}
	for in, want := range map[string]string{
		`{"type":"GeometryCollection"}`:                                                     "GeometryCollection",
		`{"type":"FeatureCollection","features":[{"type":"Point"}]}`:                        "features[0].type",
		`{"type":"FeatureCollection","crs":{"properties":{"name":"EPSG:x"}},"features":[]}`: "crs",
		`{"type":`: "not valid GeoJSON",
		`{"type":"FeatureCollection","features":{"type":"Feature"}}`: "features must be an array",
		// Broken in the middle: the first pass refuses the file before anything is loaded.
		`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"code":"A"}},{"type":"Feature","properties":{"code":}}]}`: "features[1]",
		`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"code":"A"}}`:                                             "not valid GeoJSON",
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":"A"}]}`:                                                                    "features[0]",
	} {
		if _, err := ReadGeoJSON([]byte(in)); err == nil || !strings.Contains(err.Error(), want) || inventory.ErrorKind(err) != inventory.EInvalid {
			t.Errorf("%s: %v, want an error naming %q", in, err, want)
		}
	}
}

// wholeGeoJSON is the reader as it was before streaming: the whole document decoded at once
// into inventory.GeoJSONCollection. It is the reference the streamed reader must agree with.
func wholeGeoJSON(b []byte) (*Source, error) {
	var doc inventory.GeoJSONCollection
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("is not valid GeoJSON: %v", err)
	}
	src := &Source{Format: "geojson", SRID: 4326, CRSFrom: "GeoJSON (RFC 7946)"}
	if len(doc.CRS) > 0 && string(doc.CRS) != "null" {
		var c struct {
			Properties struct {
				Name string `json:"name"`
			} `json:"properties"`
		}
		_ = json.Unmarshal(doc.CRS, &c)
		n, err := ParseCRS(c.Properties.Name)
		if err != nil {
			return nil, err
		}
		src.SRID, src.CRSFrom = n, "GeoJSON crs member"
	}
	switch doc.Type {
	case "FeatureCollection":
		for i, f := range doc.Features {
			if f.Type != "Feature" {
				return nil, fmt.Errorf("features[%d].type", i)
			}
			r := record(i, f.Geometry, f.Properties)
			if id, ok := f.ID.(string); ok && r.Props["code"] == nil {
				r.Props["code"] = id
			}
			src.Records = append(src.Records, r)
		}
	case "Feature":
		src.Records = append(src.Records, record(0, doc.Geometry, doc.Properties))
	default:
		return nil, fmt.Errorf("type %q", doc.Type)
	}
	return src, nil
}

// TestStreamedGeoJSONMatchesWhole reads the demo data set's GeoJSON files and hand-made
// documents both ways — streamed (ReadGeoJSON) and whole (the reader before streaming) — and
// wants the same header and records, read and then prepared for the layer (Prepare's renaming
// and conversion, and its refusal of unknown fields, applied as the stream is read).
func TestStreamedGeoJSONMatchesWhole(t *testing.T) {
	demo := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "..", "data", "demo", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, tc := range []struct {
		name    string
		file    []byte
		layer   *inventory.Layer
		mapping string
	}{
		{"demo plots", demo("plots.geojson"), inventory.PlotLayer, ""},
		{"demo plants", demo("plants.geojson"), inventory.PlantLayer, ""},
		{"demo idle sites", demo("idle_sites.geojson"), inventory.IdleSiteLayer, ""},
		{"demo roads", demo("roads.geojson"), inventory.RoadLayer, ""},
		{"demo plots, renamed and dropped", demo("plots.geojson"), inventory.PlotLayer, "name=-,code=code"},
		{"demo plants as plots (unknown fields)", demo("plants.geojson"), inventory.PlotLayer, ""},
		{"crs after the features, ids, nulls", []byte(`{"features":[{"type":"Feature","id":"A-1","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"LAND_USE":100101,"far_max":"2.5"}},
			{"type":"Feature","id":3,"geometry":null,"properties":null},{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"code":"B","confidential":{"land_price_wan":12}}}],
			"crs":{"type":"name","properties":{"name":"EPSG:4546"}},"type":"FeatureCollection","bbox":[0,0,1,1]}`), inventory.PlotLayer, ""},
		{"no features", []byte(`{"type":"FeatureCollection","features":null}`), inventory.PlotLayer, ""},
		{"lone feature", []byte(` {"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"code":"A"}}`), inventory.PlotLayer, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, err := wholeGeoJSON(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ReadGeoJSON(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if got.Format != want.Format || got.SRID != want.SRID || got.CRSFrom != want.CRSFrom || got.Len() != len(want.Records) {
				t.Fatalf("header %s %d %q %d, want %s %d %q %d", got.Format, got.SRID, got.CRSFrom, got.Len(), want.Format, want.SRID, want.CRSFrom, len(want.Records))
			}
			if recs := collect(t, got); !reflect.DeepEqual(recs, want.Records) {
				t.Fatalf("read: records differ:\n%+v\nwant\n%+v", recs[:min(2, len(recs))], want.Records[:min(2, len(want.Records))])
			}
			m, err := ParseMapping(tc.mapping)
			if err != nil {
				t.Fatal(err)
			}
			werr := Prepare(tc.layer, want, m)
			gerr := Prepare(tc.layer, got, m)
			if fmt.Sprint(gerr) != fmt.Sprint(werr) {
				t.Fatalf("prepare: %v, want %v", gerr, werr)
			}
			if werr != nil {
				return
			}
			if recs := collect(t, got); !reflect.DeepEqual(recs, want.Records) {
				t.Fatalf("prepared: records differ:\n%+v\nwant\n%+v", recs[:min(2, len(recs))], want.Records[:min(2, len(want.Records))])
			}
		})
	}
}

// TestReadFromSniffs: a file on disk is told by its content, leading white space allowed.
func TestReadFromSniffs(t *testing.T) {
	for in, want := range map[string]string{
		"\n\t {\"type\":\"FeatureCollection\",\"features\":[]}": "geojson",
		"[1,2]": "neither",
		"":      "neither",
		"   ":   "neither",
	} {
		src, err := Read([]byte(in))
		var e *inventory.Error
		switch {
		case want == "neither" && (!errors.As(err, &e) || e.Field != "file" || !strings.Contains(err.Error(), want)):
			t.Errorf("%q: %v, want an error naming file", in, err)
		case want != "neither" && (err != nil || src.Format != want):
			t.Errorf("%q: %+v, %v", in, src, err)
		}
	}
}
