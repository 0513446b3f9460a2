package importer

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestReadGeoJSON(t *testing.T) {
	src, err := ReadGeoJSON([]byte(`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4546"}},
		"features":[{"type":"Feature","id":"GT-01","geometry":{"type":"Polygon","coordinates":[[[0,0],[0,1],[1,1],[0,0]]]},"properties":{"area":12.50}},
		{"type":"Feature","id":7,"geometry":null,"properties":null}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if src.Format != "geojson" || src.SRID != 4546 || src.CRSFrom != "GeoJSON crs member" || len(src.Records) != 2 {
		t.Fatalf("%+v", src)
	}
	r0, r1 := src.Records[0], src.Records[1]
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
	} {
		if _, err := ReadGeoJSON([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error naming %q", in, err, want)
		}
	}
}
