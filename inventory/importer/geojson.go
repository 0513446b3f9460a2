package importer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/landinv/landinv/inventory"
)

// ReadGeoJSON reads a FeatureCollection (or one Feature) into inventory.GeoJSONCollection, the
// one GeoJSON input type. RFC 7946 GeoJSON is EPSG:4326; an older "crs" member naming an EPSG
// code is honoured. A feature's string id becomes its code when it has no code property.
// Geometries are handed on as they came: the store checks them (inventory.CheckGeometryJSON)
// and PostGIS parses them.
func ReadGeoJSON(b []byte) (*Source, error) {
	// JSON is UTF-8 (RFC 8259): other bytes would be decoded as U+FFFD, corrupting the text
	// silently, so they are refused. NUL characters (\u0000) are refused per feature and field
	// by the store's checks (inventory.CheckChange).
	if !utf8.Valid(b) {
		i := 0
		for j := 0; j < len(b); {
			r, n := utf8.DecodeRune(b[j:])
			if r == utf8.RuneError && n <= 1 {
				i = j
				break
			}
			j += n
		}
		return nil, inventory.Errorf(inventory.EInvalid, "file", "is not UTF-8 text (byte %d); GeoJSON must be UTF-8", i)
	}
	var doc inventory.GeoJSONCollection
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
			r := record(i, f.Geometry, f.Properties)
			if id, ok := f.ID.(string); ok && r.Props["code"] == nil {
				r.Props["code"] = id
			}
			src.Records = append(src.Records, r)
		}
	case "Feature":
		src.Records = append(src.Records, record(0, doc.Geometry, doc.Properties))
	default:
		return nil, inventory.Errorf(inventory.EInvalid, "file", "GeoJSON of type %q; want a FeatureCollection", doc.Type)
	}
	return src, nil
}

func record(i int, geometry json.RawMessage, props map[string]any) Record {
	r := Record{Index: i, Props: props}
	if len(geometry) > 0 && string(geometry) != "null" {
		r.GeoJSON = geometry
	}
	if r.Props == nil {
		r.Props = map[string]any{}
	}
	return r
}
