package web

import (
	"net/http"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/cql2"
)

// OGC API – Features Parts 3 and 5 (可查询属性, 模式): /queryables, /sortables and /schema of a
// layer, as JSON Schema (2020-12) with Chinese titles, English descriptions, units and enums.
// Each is built for the viewer: confidential properties appear only to planners and admins,
// exactly as they are queryable only by them (cql2.LayerQueryables, the one allow-list).

// ogcPropertySchema is the JSON Schema of one field.
func ogcPropertySchema(f inventory.Field, qa cql2.Queryable) map[string]any {
	p := map[string]any{"title": f.Label, "description": f.LabelEN}
	switch qa.Type {
	case cql2.TypeDate:
		p["type"], p["format"] = "string", "date"
	case cql2.TypeTimestamp:
		p["type"], p["format"] = "string", "date-time"
	default:
		p["type"] = string(qa.Type)
	}
	if len(qa.Enum) > 0 {
		p["enum"] = qa.Enum
	}
	if f.Unit != "" {
		p["x-ogc-unit"] = f.Unit
	}
	if f.Computed {
		p["readOnly"] = true
	}
	if f.Confidential {
		p["x-confidential"] = true
	}
	return p
}

// ogcGeometrySchema is the geometry property's schema for the layer's geometry type.
func ogcGeometrySchema(l *inventory.Layer) map[string]any {
	roles := map[string]string{"polygon": "geometry-multipolygon", "line": "geometry-multilinestring", "any": "geometry-any"}
	return map[string]any{"title": "几何", "description": "Geometry", "format": roles[l.Geometry], "x-ogc-role": "primary-geometry"}
}

// ogcSchemaDoc builds the queryables (kind "queryables"), sortables or feature schema of l for
// the request's viewer.
func ogcSchemaDoc(l *inventory.Layer, r *http.Request, kind string) map[string]any {
	qa := cql2.LayerQueryables(l, inventory.ViewerFrom(r.Context()))
	props := map[string]any{}
	if kind != "sortables" {
		props[cql2.GeometryProperty] = ogcGeometrySchema(l)
	}
	var required []string
	for _, f := range l.Fields {
		q, ok := qa[f.Name]
		if !ok {
			continue
		}
		p := ogcPropertySchema(f, q)
		if kind == "schema" && f.Name == "code" {
			p["x-ogc-role"] = "id"
		}
		if kind == "schema" && f.Required {
			required = append(required, f.Name)
		}
		props[f.Name] = p
	}
	text := ogcCollectionText[l.Name]
	doc := map[string]any{
		"$schema":    "https://json-schema.org/draft/2020-12/schema",
		"$id":        "/ogc/collections/" + l.Name + "/" + kind,
		"type":       "object",
		"title":      text[0] + " / " + text[1],
		"properties": props,
	}
	if kind == "queryables" {
		doc["additionalProperties"] = false
	}
	if len(required) > 0 {
		doc["required"] = required
	}
	return doc
}

// ogcSchema answers GET /ogc/collections/{layer}/{queryables|sortables|schema}.
func ogcSchema(l *inventory.Layer, kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Authorization")
		w.Header().Set("Content-Type", "application/schema+json")
		writeJSONBody(w, ogcSchemaDoc(l, r, kind))
	}
}

// ogcFeatureSchema answers GET /ogc/collections/{layer}/feature-schema: the schema of one
// feature as GeoJSON (type, id, geometry, and the properties of the layer's schema for the
// viewer), linked from the collection as rel="describedBy". GDAL's OAPIF driver reads its
// columns' types from it; without it GDAL guesses them from the first page, where an
// indicator that is null on every feature of that page became a text column.
func ogcFeatureSchema(l *inventory.Layer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		doc := ogcSchemaDoc(l, r, "schema")
		props := doc["properties"].(map[string]any)
		geom := props[cql2.GeometryProperty]
		delete(props, cql2.GeometryProperty)
		inner := map[string]any{"type": "object", "properties": props}
		if req, ok := doc["required"]; ok {
			inner["required"] = req
		}
		w.Header().Add("Vary", "Authorization")
		w.Header().Set("Content-Type", "application/schema+json")
		writeJSONBody(w, map[string]any{
			"$schema":  "https://json-schema.org/draft/2020-12/schema",
			"$id":      "/ogc/collections/" + l.Name + "/feature-schema",
			"title":    doc["title"],
			"type":     "object",
			"required": []string{"type", "geometry", "properties"},
			"properties": map[string]any{
				"type":       map[string]any{"type": "string", "enum": []string{"Feature"}},
				"id":         map[string]any{"type": "string"},
				"geometry":   geom,
				"properties": inner,
			},
		})
	}
}
