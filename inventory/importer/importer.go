// Package importer reads the survey files that design institutes deliver — GeoJSON, zipped
// Shapefiles (with .dbf in GBK or UTF-8, honouring .cpg, and .prj for the CRS) and GeoPackages
// — into features ready for the inventory: source fields renamed by a mapping, values turned
// into the types of the layer's fields, and geometry left as the source gave it (WKB or GeoJSON)
// with the source's EPSG code, for PostGIS to transform and check.
//
// The importer does no geometry work and no SQL; inventory/postgis loads what it reads.
package importer

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/importer/shp"
)

// Record is one source feature, numbered from 0 in file order.
type Record struct {
	Index int
	// Props are the source attributes, renamed by the mapping and converted to the layer's
	// field types (see Prepare).
	Props map[string]any
	// Exactly one of WKB and GeoJSON is set (neither for a null geometry).
	WKB     []byte
	GeoJSON json.RawMessage
}

// Source is a decoded file.
type Source struct {
	Format string // "geojson", "shapefile" or "geopackage"
	// SRID is the EPSG code the file declares (.prj, the GeoPackage's srs_id, a GeoJSON crs
	// member), 0 when it declares none.
	SRID int
	// CRSFrom says where SRID came from.
	CRSFrom string
	// BBox, when known from the file's header, is xmin, ymin, xmax, ymax in the source CRS.
	BBox     *[4]float64
	Encoding string // the .dbf's text encoding, for shapefiles
	Records  []Record
}

// Read decodes a file by its content: a zip archive is a Shapefile, "SQLite format 3" a
// GeoPackage, anything else GeoJSON. GeoPackages need a file on disk: Read writes a temporary
// copy.
func Read(b []byte) (*Source, error) {
	switch {
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return ReadShapefileZip(b)
	case bytes.HasPrefix(b, []byte("SQLite format 3\x00")):
		return ReadGeoPackage(b)
	}
	trim := bytes.TrimSpace(b)
	if len(trim) > 0 && trim[0] == '{' {
		return ReadGeoJSON(b)
	}
	return nil, inventory.Errorf(inventory.EInvalid, "file", "is neither GeoJSON, a zipped Shapefile nor a GeoPackage")
}

// ReadGeoJSON reads a FeatureCollection (or one Feature). RFC 7946 GeoJSON is EPSG:4326; an
// older "crs" member naming an EPSG code is honoured.
func ReadGeoJSON(b []byte) (*Source, error) {
	var doc struct {
		Type     string          `json:"type"`
		CRS      json.RawMessage `json:"crs"`
		Features []struct {
			Type       string          `json:"type"`
			ID         any             `json:"id"`
			Geometry   json.RawMessage `json:"geometry"`
			Properties map[string]any  `json:"properties"`
		} `json:"features"`
		Geometry   json.RawMessage `json:"geometry"`
		Properties map[string]any  `json:"properties"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, inventory.Errorf(inventory.EInvalid, "file", "is not valid GeoJSON: %v", err)
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
			return nil, inventory.Errorf(inventory.EInvalid, "crs", "the GeoJSON crs member %s is not an EPSG code", doc.CRS)
		}
		src.SRID, src.CRSFrom = n, "GeoJSON crs member"
	}
	switch doc.Type {
	case "FeatureCollection":
		for i, f := range doc.Features {
			if f.Type != "Feature" {
				return nil, inventory.Errorf(inventory.EInvalid, fmt.Sprintf("features[%d].type", i), "must be \"Feature\"")
			}
			r := Record{Index: i, Props: f.Properties}
			if len(f.Geometry) > 0 && string(f.Geometry) != "null" {
				r.GeoJSON = f.Geometry
			}
			if r.Props == nil {
				r.Props = map[string]any{}
			}
			if id, ok := f.ID.(string); ok && r.Props["code"] == nil {
				r.Props["code"] = id
			}
			src.Records = append(src.Records, r)
		}
	case "Feature":
		r := Record{Props: doc.Properties}
		if len(doc.Geometry) > 0 && string(doc.Geometry) != "null" {
			r.GeoJSON = doc.Geometry
		}
		if r.Props == nil {
			r.Props = map[string]any{}
		}
		src.Records = append(src.Records, r)
	default:
		return nil, inventory.Errorf(inventory.EInvalid, "file", "GeoJSON of type %q; want a FeatureCollection", doc.Type)
	}
	return src, nil
}

// Limits on a zipped Shapefile: entries in the zip, and bytes read from it in all.
const (
	maxZipEntries = 64
	maxZipBytes   = 1 << 30
)

// ReadShapefileZip reads a zip holding one Shapefile: .shp and .dbf (required), .prj and .cpg
// (honoured when present). Folders inside the zip are fine.
func ReadShapefileZip(b []byte) (*Source, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, inventory.Errorf(inventory.EInvalid, "file", "is not a readable zip: %v", err)
	}
	// Pick the one Shapefile first, from the names alone, and read only its four parts: a zip
	// bomb of other or extra entries is never inflated. What is read is capped in all.
	if len(zr.File) > maxZipEntries {
		return nil, inventory.Errorf(inventory.EInvalid, "file", "the zip holds %d entries; a Shapefile zip needs at most a few", len(zr.File))
	}
	stems := map[string]bool{}
	for _, f := range zr.File {
		if strings.ToLower(path.Ext(f.Name)) == ".shp" && !strings.HasPrefix(path.Base(f.Name), "._") { // ._: macOS resource forks
			stems[strings.ToLower(strings.TrimSuffix(f.Name, path.Ext(f.Name)))] = true
		}
	}
	if len(stems) != 1 {
		return nil, inventory.Errorf(inventory.EInvalid, "file", "the zip holds %d .shp files; import one layer (one .shp with its .dbf, .prj, .cpg) at a time", len(stems))
	}
	var stem string
	for s := range stems {
		stem = s
	}
	parts := map[string][]byte{}
	budget := int64(maxZipBytes)
	for _, f := range zr.File {
		ext := strings.ToLower(path.Ext(f.Name))
		key := strings.ToLower(strings.TrimSuffix(f.Name, path.Ext(f.Name))) + ext
		switch {
		case key != stem+ext:
			continue
		case ext != ".shp" && ext != ".dbf" && ext != ".prj" && ext != ".cpg":
			continue
		case f.UncompressedSize64 > uint64(budget):
			return nil, inventory.Errorf(inventory.ETooLarge, "file", "%s unpacks to %d bytes; at most %d bytes are read from a zip", f.Name, f.UncompressedSize64, maxZipBytes)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, inventory.Errorf(inventory.EInvalid, "file", "%s in the zip: %v", f.Name, err)
		}
		data, err := io.ReadAll(io.LimitReader(rc, budget+1))
		rc.Close()
		if err != nil {
			return nil, inventory.Errorf(inventory.EInvalid, "file", "%s in the zip: %v", f.Name, err)
		}
		if int64(len(data)) > budget {
			return nil, inventory.Errorf(inventory.ETooLarge, "file", "the Shapefile unpacks to more than %d bytes", maxZipBytes)
		}
		budget -= int64(len(data))
		parts[key] = data
	}
	shpB, dbfB := parts[stem+".shp"], parts[stem+".dbf"]
	if dbfB == nil {
		return nil, inventory.Errorf(inventory.EInvalid, "file", "the zip has %s.shp but no .dbf beside it", stem)
	}
	geo, err := shp.Read(shpB)
	if err != nil {
		return nil, inventory.Errorf(inventory.EInvalid, "file", "%v", err)
	}
	tab, err := shp.ReadDBF(dbfB, string(parts[stem+".cpg"]))
	if err != nil {
		return nil, inventory.Errorf(inventory.EInvalid, "file", "%v", err)
	}
	if len(tab.Records) != len(geo.Geometries) {
		return nil, inventory.Errorf(inventory.EInvalid, "file", "the .shp has %d shapes but the .dbf %d records", len(geo.Geometries), len(tab.Records))
	}
	bbox := geo.BBox
	src := &Source{Format: "shapefile", Encoding: tab.Encoding, BBox: &bbox}
	if prj, ok := parts[stem+".prj"]; ok {
		n, err := SRIDFromPRJ(string(prj))
		if err != nil {
			return nil, err
		}
		src.SRID, src.CRSFrom = n, ".prj"
	}
	for i, g := range geo.Geometries {
		if tab.Records[i] == nil { // deleted in the .dbf
			continue
		}
		props := make(map[string]any, len(tab.Fields))
		for j, f := range tab.Fields {
			props[f.Name] = tab.Records[i][j]
		}
		src.Records = append(src.Records, Record{Index: i, Props: props, WKB: g})
	}
	return src, nil
}

// ParseCRS reads "EPSG:4546", "4546", "urn:ogc:def:crs:EPSG::4546" or
// "http://www.opengis.net/def/crs/EPSG/0/4546"; CRS84 is EPSG:4326.
func ParseCRS(s string) (int, error) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "urn:ogc:def:crs:OGC:1.3:CRS84") || strings.EqualFold(s, "CRS84") {
		return 4326, nil
	}
	i := strings.LastIndexAny(s, ":/")
	num := s[i+1:]
	if i >= 0 && !strings.Contains(strings.ToUpper(s), "EPSG") {
		return 0, fmt.Errorf("%q is not an EPSG code", s)
	}
	n, err := strconv.Atoi(num)
	if err != nil || n <= 0 || n > 999999 {
		return 0, fmt.Errorf("%q is not an EPSG code, e.g. EPSG:4546", s)
	}
	return n, nil
}

var (
	authority = regexp.MustCompile(`AUTHORITY\s*\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]\s*\]\s*$`)
	projName  = regexp.MustCompile(`^\s*PROJCS\s*\[\s*"([^"]+)"`)
	geogName  = regexp.MustCompile(`^\s*GEOGCS\s*\[\s*"([^"]+)"`)
	cmRe      = regexp.MustCompile(`(?i)CM_?(\d{2,3})E`)
	zoneRe    = regexp.MustCompile(`(?i)zone_?(\d{2})`)
)

// SRIDFromPRJ finds the EPSG code of a .prj's WKT: its outermost AUTHORITY, or the names ESRI
// writes for the CRSs Chinese survey data comes in: WGS 84, CGCS2000 (geographic, and
// 3-degree Gauss-Krüger by central meridian or by zone, EPSG:4534–4554 and 4513–4533), Xian 1980
// (EPSG:2370–2390, 2349–2369) and Beijing 1954 (EPSG:2422–2442, 2401–2421).
func SRIDFromPRJ(wkt string) (int, error) {
	if m := authority.FindStringSubmatch(wkt); m != nil {
		return strconv.Atoi(m[1])
	}
	unknown := inventory.Errorf(inventory.EInvalid, "crs", "the .prj names a CRS this importer does not recognise (%.80s…); give --crs EPSG:N", strings.TrimSpace(wkt))
	if m := projName.FindStringSubmatch(wkt); m != nil {
		name := strings.ToLower(strings.NewReplacer(" ", "_", "-", "_").Replace(m[1]))
		var cmBase, zoneBase int
		switch {
		case strings.Contains(name, "cgcs2000") || strings.Contains(name, "cgcs_2000"):
			cmBase, zoneBase = 4534, 4513
		case strings.Contains(name, "xian") || strings.Contains(name, "xi'an"):
			cmBase, zoneBase = 2370, 2349
		case strings.Contains(name, "beijing"):
			cmBase, zoneBase = 2422, 2401
		default:
			return 0, unknown
		}
		if !strings.Contains(name, "3_degree") && !strings.Contains(name, "3_deg") {
			return 0, unknown
		}
		if m := cmRe.FindStringSubmatch(name); m != nil {
			cm, _ := strconv.Atoi(m[1])
			if cm >= 75 && cm <= 135 && cm%3 == 0 {
				return cmBase + (cm-75)/3, nil
			}
		}
		if m := zoneRe.FindStringSubmatch(name); m != nil {
			z, _ := strconv.Atoi(m[1])
			if z >= 25 && z <= 45 {
				return zoneBase + z - 25, nil
			}
		}
		return 0, unknown
	}
	if m := geogName.FindStringSubmatch(wkt); m != nil {
		name := strings.ToLower(m[1])
		switch {
		case strings.Contains(name, "wgs") && strings.Contains(name, "84"):
			return 4326, nil
		case strings.Contains(name, "china_geodetic_coordinate_system_2000") || strings.Contains(name, "cgcs2000"):
			return 4490, nil
		case strings.Contains(name, "xian"):
			return 4610, nil
		case strings.Contains(name, "beijing"):
			return 4214, nil
		}
	}
	return 0, unknown
}

// ParseMapping reads "src=dst,src2=dst2". A destination of "-" drops the source field.
func ParseMapping(s string) (map[string]string, error) {
	m := map[string]string{}
	if strings.TrimSpace(s) == "" {
		return m, nil
	}
	for _, pair := range strings.Split(s, ",") {
		src, dst, ok := strings.Cut(pair, "=")
		src, dst = strings.TrimSpace(src), strings.TrimSpace(dst)
		if !ok || src == "" || dst == "" {
			return nil, inventory.Errorf(inventory.EInvalid, "map", "%q is not src=dst", pair)
		}
		if _, dup := m[src]; dup {
			return nil, inventory.Errorf(inventory.EInvalid, "map", "maps %s twice", src)
		}
		m[src] = dst
	}
	return m, nil
}

// Prepare renames every record's fields by mapping (source names not in the mapping keep their
// name, matched case-insensitively to the layer's fields, since .dbf names are often upper
// case), and converts values to the layer's field types where that is unambiguous (numbers
// written as text, codes written as numbers, 是/否 and yes/no). A source field that maps to no
// writable field of the layer is refused for the whole file, naming it, so that nothing is
// silently lost: map it, or drop it with NAME=-.
func Prepare(l *inventory.Layer, src *Source, mapping map[string]string) error {
	writable := map[string]inventory.Field{}
	lower := map[string]string{}
	for _, f := range l.Fields {
		if !f.Computed {
			writable[f.Name] = f
			lower[strings.ToLower(f.Name)] = f.Name
		}
	}
	for src, dst := range mapping {
		if _, ok := writable[dst]; !ok && dst != "-" {
			return inventory.Errorf(inventory.EInvalid, "map", "%s=%s: %s is not a writable property of %s", src, dst, dst, l.Name)
		}
	}
	unknown := map[string]bool{}
	for i := range src.Records {
		r := &src.Records[i]
		out := make(map[string]any, len(r.Props))
		for k, v := range r.Props {
			name, mapped := mapping[k]
			if !mapped {
				name = k
				if _, ok := writable[k]; !ok {
					if n, ok := lower[strings.ToLower(k)]; ok {
						name = n
					}
				}
			}
			if name == "-" {
				continue
			}
			if k == "confidential" {
				if m, ok := v.(map[string]any); ok {
					for ck, cv := range m {
						out[ck] = cv
					}
					continue
				}
			}
			f, ok := writable[name]
			if !ok {
				unknown[k] = true
				continue
			}
			out[name] = convert(f, v)
		}
		r.Props = out
	}
	if len(unknown) > 0 {
		names := make([]string, 0, len(unknown))
		for k := range unknown {
			names = append(names, k)
		}
		sort.Strings(names)
		return inventory.Errorf(inventory.EInvalid, "map", "the file's field(s) %s are not properties of %s; rename them with --map SRC=DST (e.g. 地块编号=code) or drop them with --map SRC=-", strings.Join(names, ", "), l.Name)
	}
	return nil
}

func convert(f inventory.Field, v any) any {
	switch x := v.(type) {
	case string:
		s := strings.TrimSpace(x)
		if s == "" {
			return nil
		}
		switch f.Type {
		case inventory.Number, inventory.Integer:
			if n, err := strconv.ParseFloat(s, 64); err == nil {
				return n
			}
		case inventory.Bool:
			switch strings.ToLower(s) {
			case "true", "t", "yes", "y", "1", "是":
				return true
			case "false", "f", "no", "n", "0", "否":
				return false
			}
		}
		return s
	case int64:
		if f.Type == inventory.Bool && (x == 0 || x == 1) {
			return x == 1
		}
		if f.Type == inventory.Text || f.Type == inventory.Enum {
			return strconv.FormatInt(x, 10)
		}
		return float64(x)
	case float64:
		if f.Type == inventory.Text && x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return strconv.FormatInt(int64(x), 10)
		}
		return x
	case json.Number:
		if f.Type == inventory.Text {
			return x.String()
		}
		if n, err := x.Float64(); err == nil {
			return n
		}
	}
	return v
}
