package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/landinv/landinv/inventory"
)

// OGC API discovery (服务发现): the landing page /ogc, /ogc/conformance, /ogc/collections and one
// collection each for the zones and every layer. Documents are JSON; links are relative to the
// server root, so they hold behind any proxy path that keeps /ogc.

// ogcConformance lists exactly the conformance classes that are implemented and tested
// (ogc_*_test.go); add one only with its test.
var ogcConformance = []string{
	"http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/collections",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
	"http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
	"http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
	"http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
	"http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
	"http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
	"http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison",
	"http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
	"http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
	"http://www.opengis.net/spec/cql2/1.0/conf/property-property",
	"http://www.opengis.net/spec/cql2/1.0/conf/arithmetic",
	"http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
	"http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update",
	"http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/schemas",
	"http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/sortables",
	"http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/property-selection",
	"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
	"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
	"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
	"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
}

// ogcCollectionText are the collections' titles and descriptions in Chinese and English.
var ogcCollectionText = map[string][4]string{
	"zones":      {"开发区", "Development zones", "开发区的范围、级别和面积。", "The development zones' boundaries, levels and areas."},
	"layout":     {"空间布局", "Layout", "开发区的片区、廊道和轴线。", "The zone's districts, corridors and axes."},
	"plots":      {"地块", "Plots", "地块及其用地性质、产业集群、状态和标准地控制指标。", "Parcels with their land use, industry cluster, status and standard-land indicators."},
	"plants":     {"标准化厂房", "Standard plants", "标准化厂房及其楼层、荷载和可租售面积。", "Standard factory buildings with their floors, loads and leasable space."},
	"idle-sites": {"闲置及僵尸企业用地", "Sites for redevelopment", "闲置土地和僵尸企业用地及其处置阶段。", "Idle land and closed enterprises' sites, for redevelopment, with their disposal stage."},
	"roads":      {"道路", "Roads", "现状及规划道路。", "Existing and planned roads."},
}

// ogcLink is a link; a path is made absolute with the request's scheme and host (GDAL joins
// relative links to its root URL instead of resolving them).
func ogcLink(r *http.Request, rel, href, typ, title string) map[string]string {
	if strings.HasPrefix(href, "/") {
		href = ogcOrigin(r) + href
	}
	l := map[string]string{"rel": rel, "href": href, "type": typ}
	if title != "" {
		l["title"] = title
	}
	return l
}

// ogcLanding answers GET /ogc: the landing page.
func (s *Server) ogcLanding(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"title":       "landinv 开发区土地台账 / land inventory",
		"description": "OGC API – Features (Parts 1–5) and Tiles over the land inventory; /api/v1 is the native API.",
		"links": []map[string]string{
			ogcLink(r, "self", "/ogc", "application/json", "this document"),
			ogcLink(r, "conformance", "/ogc/conformance", "application/json", "conformance classes"),
			ogcLink(r, "http://www.opengis.net/def/rel/ogc/1.0/conformance", "/ogc/conformance", "application/json", "conformance classes"),
			ogcLink(r, "data", "/ogc/collections", "application/json", "collections"),
			ogcLink(r, "http://www.opengis.net/def/rel/ogc/1.0/data", "/ogc/collections", "application/json", "collections"),
			ogcLink(r, "service-desc", "/ogc/api", "application/vnd.oai.openapi+json;version=3.0", "OpenAPI 3.0"),
			ogcLink(r, "service-doc", "/ogc/api.html", "text/html", "API documentation"),
			ogcLink(r, "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes", "/ogc/tileMatrixSets", "application/json", "tile matrix sets"),
		},
	})
}

// ogcConformanceDoc answers GET /ogc/conformance.
func ogcConformanceDoc(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"conformsTo": ogcConformance})
}

// ogcCollectionNames lists the collections: the zones, then the layers.
func ogcCollectionNames() []string {
	out := []string{"zones"}
	for _, l := range inventory.Layers() {
		out = append(out, l.Name)
	}
	return out
}

// ogcCollections answers GET /ogc/collections.
func (s *Server) ogcCollections(w http.ResponseWriter, r *http.Request) {
	var cs []map[string]any
	for _, name := range ogcCollectionNames() {
		c, err := s.ogcCollectionDoc(r, name)
		if err != nil {
			Problem(w, r, err)
			return
		}
		cs = append(cs, c)
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"links":       []map[string]string{ogcLink(r, "self", "/ogc/collections", "application/json", "")},
		"crs":         s.ogcCRS.URIs(),
		"collections": cs,
	})
}

// ogcCollection answers GET /ogc/collections/{name}.
func (s *Server) ogcCollection(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := s.ogcCollectionDoc(r, name)
		if err != nil {
			Problem(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, c)
	}
}

// ogcCollectionDoc describes one collection in the request's zone: titles, extents, CRSs and
// links.
func (s *Server) ogcCollectionDoc(r *http.Request, name string) (map[string]any, error) {
	ctx := r.Context()
	zone, err := s.deps.Zones.Zone(ctx, zoneOf(r))
	if err != nil {
		return nil, err
	}
	bbox := zone.BBox
	var first *time.Time
	crs := s.ogcCRS.URIs()
	if l, ok := inventory.LayerNamed(name); ok && s.deps.Extents != nil {
		ext, err := s.deps.Extents.Extent(ctx, l, zone.Code)
		if err != nil {
			return nil, err
		}
		if ext.BBox != nil {
			bbox = *ext.BBox
		}
		first = ext.First
	}
	if name == "zones" {
		crs = []string{CRS84}
	}
	text := ogcCollectionText[name]
	base := "/ogc/collections/" + name
	links := []map[string]string{
		ogcLink(r, "self", base, "application/json", ""),
		ogcLink(r, "items", base+"/items", "application/geo+json", text[1]),
	}
	if name != "zones" {
		links = append(links,
			ogcLink(r, "http://www.opengis.net/def/rel/ogc/1.0/queryables", base+"/queryables", "application/schema+json", "queryables"),
			ogcLink(r, "http://www.opengis.net/def/rel/ogc/1.0/schema", base+"/schema", "application/schema+json", "schema"),
			// One feature as GeoJSON, for clients that type their columns from it (GDAL).
			ogcLink(r, "describedBy", base+"/feature-schema", "application/schema+json", "schema of a feature"),
			ogcLink(r, "http://www.opengis.net/def/rel/ogc/1.0/sortables", base+"/sortables", "application/schema+json", "sortables"))
		if _, ok := inventory.TileLayers[name]; ok && s.deps.Tiles != nil {
			links = append(links, ogcLink(r, "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector", base+"/tiles", "application/json", "vector tiles"))
		}
	}
	var interval [2]*string
	if first != nil {
		f := first.UTC().Format(time.RFC3339)
		interval[0] = &f
	}
	return map[string]any{
		"id":          name,
		"title":       text[0] + " / " + text[1],
		"description": text[2] + " " + text[3],
		"title_zh":    text[0],
		"title_en":    text[1],
		"itemType":    "feature",
		"crs":         crs,
		"storageCrs":  CRS84,
		"zone":        zone.Code,
		"extent": map[string]any{
			"spatial":  map[string]any{"bbox": [][4]float64{bbox}, "crs": CRS84},
			"temporal": map[string]any{"interval": [][2]*string{interval}, "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"},
		},
		"links": links,
	}, nil
}

// ogcOrigin is the scheme and host the request was made to (X-Forwarded-Proto honoured).
func ogcOrigin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
