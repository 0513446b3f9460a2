package inventory

import "encoding/json"

// GeoJSONFeature is a GeoJSON Feature (RFC 7946) as it comes in: in a request body, in a file
// to import, or in the demo dataset. It is the one input type for a feature; readers decode
// into it (with json.Decoder.UseNumber, so that numbers keep their text) and then check it.
//
// Confidential properties may come under properties.confidential or beside the public ones;
// FlattenProperties puts them side by side, as they are stored.
type GeoJSONFeature struct {
	Type string `json:"type"`
	// ID is the feature's id member: a string or a number, or absent. The code property wins.
	ID         any             `json:"id,omitempty"`
	Geometry   json.RawMessage `json:"geometry"`
	Properties map[string]any  `json:"properties"`
	BBox       json.RawMessage `json:"bbox,omitempty"`
	// Note is a foreign member with an optional change note (修改说明) for the write API.
	Note string `json:"note,omitempty"`
}

// GeoJSONCollection is a GeoJSON FeatureCollection as it comes in. CRS is the pre-RFC 7946
// "crs" member that some GIS tools still write (it names an EPSG code); RFC 7946 data has none.
// A file holding a single Feature decodes with Type "Feature" and its Geometry and Properties
// here.
type GeoJSONCollection struct {
	Type       string           `json:"type"`
	CRS        json.RawMessage  `json:"crs,omitempty"`
	Features   []GeoJSONFeature `json:"features"`
	Geometry   json.RawMessage  `json:"geometry,omitempty"`
	Properties map[string]any   `json:"properties,omitempty"`
}
