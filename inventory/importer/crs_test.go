package importer

import "testing"

func TestParseCRS(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int // 0: refused
	}{
		{"EPSG:4546", 4546},
		{"4546", 4546},
		{" epsg:4490 ", 4490},
		{"urn:ogc:def:crs:EPSG::4525", 4525},
		{"http://www.opengis.net/def/crs/EPSG/0/2382", 2382},
		{"urn:ogc:def:crs:OGC:1.3:CRS84", 4326},
		{"CRS84", 4326},
		{"EPSG:x", 0},
		{"ESRI:102100", 0},
		{"EPSG:0", 0},
		{"EPSG:1000000", 0},
		{"", 0},
	} {
		got, err := ParseCRS(tc.in)
		if tc.want == 0 && err == nil || tc.want != 0 && (err != nil || got != tc.want) {
			t.Errorf("%q: %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
}

// TestSRIDFromPRJAuthority: an OGC WKT's outermost AUTHORITY wins over the names inside it.
// (The ESRI names are tested in inventory/postgis TestPRJNames and against GDAL's .prj files
// in TestGDALPRJ.)
func TestSRIDFromPRJAuthority(t *testing.T) {
	prj := `PROJCS["Xian 1980 / 3-degree Gauss-Kruger CM 111E",GEOGCS["Xian 1980",AUTHORITY["EPSG","4610"]],AUTHORITY["EPSG","2382"]]`
	if n, err := SRIDFromPRJ(prj); err != nil || n != 2382 {
		t.Errorf("%d, %v; want 2382", n, err)
	}
	for _, bad := range []string{`PROJCS["CGCS2000_3_Degree_GK_CM_200E",GEOGCS["x"]]`, `PROJCS["CGCS2000_6_Degree_GK_Zone_19",GEOGCS["x"]]`, ``} {
		if n, err := SRIDFromPRJ(bad); err == nil {
			t.Errorf("%q: EPSG:%d, want a refusal", bad, n)
		}
	}
}
