package web

import (
	"encoding/json"
	"html/template"
	"net/http"
	"sort"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/cql2"
)

// The OpenAPI 3.0 document of /ogc (GET /ogc/api, the landing page's service-desc) and its
// HTML rendering (service-doc). Paths are relative to the server URL /ogc.
//
// Each layer's items path is listed on its own (/collections/plots/items) with one query
// parameter per queryable, beside the generic /collections/{collectionId}/items: GDAL 3.6
// reads the queryables from those parameters, and sends -where to the server only when the
// filter-lang enum of the items operation holds "cql-text" (so it is listed, with cql2-text
// and cql2-json).

func ogcParam(name, in, desc string, schema map[string]any) map[string]any {
	return map[string]any{"name": name, "in": in, "description": desc, "required": in == "path", "schema": schema, "style": "form", "explode": false}
}

var str = map[string]any{"type": "string"}

// ogcCommonParams are the items parameters every layer takes, by name.
func (s *Server) ogcCommonParams() map[string]map[string]any {
	crs := map[string]any{"type": "string", "format": "uri", "enum": s.ogcCRS.URIs()}
	params := map[string]map[string]any{
		"limit":       ogcParam("limit", "query", "features per page", map[string]any{"type": "integer", "minimum": 1, "maximum": inventory.MaxLimit, "default": inventory.DefaultLimit}),
		"offset":      ogcParam("offset", "query", "features to skip (next links carry it)", map[string]any{"type": "integer", "minimum": 0, "default": 0}),
		"bbox":        ogcParam("bbox", "query", "minX,minY,maxX,maxY in bbox-crs (CRS84 by default)", map[string]any{"type": "array", "minItems": 4, "maxItems": 4, "items": map[string]any{"type": "number"}}),
		"bbox-crs":    ogcParam("bbox-crs", "query", "CRS of bbox", crs),
		"crs":         ogcParam("crs", "query", "CRS of the answer's coordinates (Content-Crs)", crs),
		"datetime":    ogcParam("datetime", "query", "an instant: the inventory as it stood then (as as_of); intervals are refused (400), features being versioned", str),
		"filter":      ogcParam("filter", "query", "a CQL2 filter over the queryables", str),
		"filter-lang": ogcParam("filter-lang", "query", "filter language; cql-text is CQL2-Text plus ILIKE", map[string]any{"type": "string", "enum": []string{cql2.LangText, cql2.LangJSON, cql2.LangLegacyText}, "default": cql2.LangText}),
		"filter-crs":  ogcParam("filter-crs", "query", "CRS of the filter's geometry literals", crs),
		"sortby":      ogcParam("sortby", "query", "e.g. -area_mu,code (sortables)", str),
		"properties":  ogcParam("properties", "query", "the properties to keep, e.g. code,status,area_mu", str),
		"zone":        ogcParam("zone", "query", "zone code (default zone otherwise)", str),
		"f":           ogcParam("f", "query", "format", map[string]any{"type": "string", "enum": []string{"json"}}),
	}
	params[MinRevisionParam] = ogcParam(MinRevisionParam, "query", "the answer reflects at least this inventory revision (a write's Landinv-Revision header): read from a replica that has replayed it, else from the primary", map[string]any{"type": "integer", "minimum": 0})
	return params
}

func ogcOp(summary string, params []any, responses map[string]any) map[string]any {
	return map[string]any{"summary": summary, "parameters": params, "responses": responses}
}

var (
	ogcJSONResp    = map[string]any{"200": map[string]any{"description": "OK", "content": map[string]any{"application/json": map[string]any{}}}}
	ogcGeoJSONResp = map[string]any{"200": map[string]any{"description": "OK", "content": map[string]any{"application/geo+json": map[string]any{}}},
		"400": map[string]any{"description": "bad parameter (RFC 9457 problem)"}}
	ogcWriteResp = map[string]any{"200": map[string]any{"description": "written"}, "201": map[string]any{"description": "created"},
		"401": map[string]any{"description": "sign in"}, "403": map[string]any{"description": "planners and admins only"},
		"412": map[string]any{"description": "stale If-Match"}, "428": map[string]any{"description": "If-Match required"},
		"422": map[string]any{"description": "breaks a rule (problem document)"}}
)

// ogcOpenAPI builds the OpenAPI document.
func (s *Server) ogcOpenAPI() map[string]any {
	common := s.ogcCommonParams()
	ref := func(name string) any { return map[string]any{"$ref": "#/components/parameters/" + name} }
	itemsParams := func(extra ...any) []any {
		out := []any{}
		for _, n := range ogcItemsParams {
			out = append(out, ref(n))
		}
		return append(out, extra...)
	}
	featureID := ogcParam("featureId", "path", "the feature's code", str)
	ifMatch := map[string]any{"name": "If-Match", "in": "header", "required": true, "schema": str, "description": "the ETag of the version edited"}
	body := map[string]any{"required": true, "content": map[string]any{"application/geo+json": map[string]any{"schema": map[string]any{"type": "object"}}}}
	patchBody := map[string]any{"required": true, "content": map[string]any{
		"application/geo+json":         map[string]any{"schema": map[string]any{"type": "object"}},
		"application/merge-patch+json": map[string]any{"schema": map[string]any{"type": "object"}}}}
	paths := map[string]any{
		"/":                               map[string]any{"get": ogcOp("landing page", nil, ogcJSONResp)},
		"/conformance":                    map[string]any{"get": ogcOp("conformance classes", nil, ogcJSONResp)},
		"/api":                            map[string]any{"get": ogcOp("this OpenAPI document", nil, ogcJSONResp)},
		"/tileMatrixSets":                 map[string]any{"get": ogcOp("tile matrix sets (tiling schemes)", nil, ogcJSONResp)},
		"/tileMatrixSets/WebMercatorQuad": map[string]any{"get": ogcOp("the WebMercatorQuad tile matrix set", nil, ogcJSONResp)},
		"/collections":                    map[string]any{"get": ogcOp("collections", []any{ref("zone")}, ogcJSONResp)},
		"/collections/{collectionId}":     map[string]any{"get": ogcOp("a collection", []any{ogcParam("collectionId", "path", "collection", map[string]any{"type": "string", "enum": ogcCollectionNames()}), ref("zone")}, ogcJSONResp)},
		"/collections/{collectionId}/items": map[string]any{"get": ogcOp("features",
			itemsParams(ogcParam("collectionId", "path", "collection", map[string]any{"type": "string", "enum": ogcCollectionNames()})), ogcGeoJSONResp)},
	}
	for _, l := range inventory.Layers() {
		base := "/collections/" + l.Name
		qa := cql2.LayerQueryables(l, inventory.Viewer{Role: inventory.RoleAdmin})
		var names []string
		for n := range qa {
			if n != cql2.GeometryProperty {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		var eq []any
		for _, n := range names {
			f, _ := l.Field(n)
			sch := map[string]any{"type": string(qa[n].Type)}
			if qa[n].Type == cql2.TypeDate || qa[n].Type == cql2.TypeTimestamp {
				sch = str
			}
			if len(qa[n].Enum) > 0 {
				sch = map[string]any{"type": "string", "enum": qa[n].Enum}
			}
			desc := f.Label + " / " + f.LabelEN + " (equals)"
			if f.Confidential {
				desc += "; planners and admins only"
			}
			eq = append(eq, ogcParam(n, "query", desc, sch))
		}
		paths[base+"/items"] = map[string]any{
			"get":  ogcOp(l.LabelEN+": features", itemsParams(eq...), ogcGeoJSONResp),
			"post": map[string]any{"summary": l.LabelEN + ": create a feature", "parameters": []any{ref("zone")}, "requestBody": body, "responses": ogcWriteResp},
		}
		paths[base+"/items/{featureId}"] = map[string]any{
			"get":    ogcOp(l.LabelEN+": one feature (ETag)", []any{featureID, ref("crs"), ref("datetime"), ref("zone"), ref("f"), ref(MinRevisionParam)}, ogcGeoJSONResp),
			"put":    map[string]any{"summary": "replace (If-Match)", "parameters": []any{featureID, ifMatch, ref("zone")}, "requestBody": body, "responses": ogcWriteResp},
			"patch":  map[string]any{"summary": "change (If-Match)", "parameters": []any{featureID, ifMatch, ref("zone")}, "requestBody": patchBody, "responses": ogcWriteResp},
			"delete": map[string]any{"summary": "archive (If-Match)", "parameters": []any{featureID, ifMatch, ref("zone")}, "responses": ogcWriteResp},
		}
		for _, k := range []string{"queryables", "sortables", "schema", "feature-schema"} {
			paths[base+"/"+k] = map[string]any{"get": ogcOp(l.LabelEN+": "+k+" (JSON Schema)", nil, ogcJSONResp)}
		}
		if _, ok := inventory.TileLayers[l.Name]; ok && s.deps.Tiles != nil {
			paths[base+"/tiles"] = map[string]any{"get": ogcOp(l.LabelEN+": vector tilesets", []any{ref("zone")}, ogcJSONResp)}
			paths[base+"/tiles/WebMercatorQuad"] = map[string]any{"get": ogcOp(l.LabelEN+": WebMercatorQuad tileset (TileJSON-like)", []any{ref("zone")}, ogcJSONResp)}
			paths[base+"/tiles/WebMercatorQuad/tilejson"] = map[string]any{"get": ogcOp(l.LabelEN+": TileJSON 3.0 of the tileset", []any{ref("zone")}, ogcJSONResp)}
			paths[base+"/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}"] = map[string]any{"get": ogcOp(l.LabelEN+": one Mapbox Vector Tile", []any{
				ogcParam("tileMatrix", "path", "zoom", map[string]any{"type": "integer", "minimum": 0, "maximum": inventory.MaxTileZoom}),
				ogcParam("tileRow", "path", "row (y)", map[string]any{"type": "integer"}),
				ogcParam("tileCol", "path", "column (x)", map[string]any{"type": "integer"}), ref("zone"), ref(MinRevisionParam)},
				map[string]any{"200": map[string]any{"description": "tile", "content": map[string]any{"application/vnd.mapbox-vector-tile": map[string]any{}}}, "204": map[string]any{"description": "empty tile"}})}
		}
	}
	params := map[string]any{}
	for n, p := range common {
		params[n] = p
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "landinv OGC API 开发区土地台账", "version": "1.0.0",
			"description": "OGC API – Features Parts 1–5 and Tiles over the land inventory. Confidential properties reach planners and admins only."},
		"servers":    []any{map[string]any{"url": "/ogc"}},
		"paths":      paths,
		"components": map[string]any{"parameters": params},
	}
}

// ogcAPI answers GET /ogc/api: the OpenAPI 3.0 document.
func (s *Server) ogcAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/vnd.oai.openapi+json;version=3.0")
	writeJSONBody(w, s.ogcOpenAPI())
}

var ogcAPIPage = template.Must(template.New("api").Parse(`<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>landinv OGC API</title></head>
<body><h1>landinv OGC API 开发区土地台账</h1>
<p>Paste <code>{{.Root}}</code> into QGIS (OGC API – Features), ArcGIS Pro (OGC API server) or
<code>ogrinfo OAPIF:{{.Root}}</code>. The machine-readable description is <a href="/ogc/api">/ogc/api</a> (OpenAPI 3.0).</p>
<table border="1" cellpadding="4"><tr><th>path</th><th>method</th><th>summary</th></tr>
{{range .Ops}}<tr><td><code>{{.Path}}</code></td><td>{{.Method}}</td><td>{{.Summary}}</td></tr>
{{end}}</table></body></html>`))

// ogcAPIHTML answers GET /ogc/api.html: the service documentation, every operation of the
// OpenAPI document in a table.
func (s *Server) ogcAPIHTML(w http.ResponseWriter, r *http.Request) {
	type op struct{ Path, Method, Summary string }
	var ops []op
	for path, item := range s.ogcOpenAPI()["paths"].(map[string]any) {
		for m, o := range item.(map[string]any) {
			sum, _ := o.(map[string]any)["summary"].(string)
			ops = append(ops, op{"/ogc" + path, m, sum})
		}
	}
	sort.Slice(ops, func(i, j int) bool {
		if ops[i].Path != ops[j].Path {
			return ops[i].Path < ops[j].Path
		}
		return ops[i].Method < ops[j].Method
	})
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = ogcAPIPage.Execute(w, map[string]any{"Root": scheme + "://" + r.Host + "/ogc", "Ops": ops})
}

// writeJSONBody encodes v as JSON after the caller set its Content-Type.
func writeJSONBody(w http.ResponseWriter, v any) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}
