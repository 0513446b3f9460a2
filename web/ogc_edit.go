package web

import (
	"net/http"
	"strings"

	"github.com/landinv/landinv/inventory"
)

// OGC API – Features Part 4 (编辑): POST /items creates (create), PATCH /items/{code} changes
// the given properties (update), DELETE archives (archive): the /api/v1 handlers, so the same
// Editor, rules, roles, If-Match (428 when missing, 412 when stale) and problem documents.
//
// PUT /items/{code} replaces the feature: it needs a geometry, and every writable property the
// body leaves out is cleared (null; false for a yes/no flag), except code and the derived ones (district, plot_code),
// which the store derives again when left out.

// ogcContentCRS guards the Part 4 writes: their GeoJSON is read as CRS84 (longitude, latitude
// on WGS 84, RFC 7946), so a body whose Content-Crs header (OGC API – Features Part 2) names
// another CRS is refused, 400 naming Content-Crs, before anything is read or written; a client
// that sends CGCS2000 or Gauss-Krüger coordinates reprojects first (or uses the import, which
// transforms in PostGIS). Silently reading such coordinates as degrees would put the plot in
// the wrong place, or be refused later as outside the zone with a misleading reason. No header,
// or CRS84 in any of its spellings, goes on.
//
// The header is read by the collections' CRS parser (ogcCRSList.parse, the one for crs=,
// bbox-crs and filter-crs), within its angle brackets.
func (s *Server) ogcContentCRS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if raw := strings.TrimSpace(r.Header.Get("Content-Crs")); raw != "" && r.Method != http.MethodDelete {
			code, _, err := s.ogcCRS.parse("Content-Crs", strings.TrimSuffix(strings.TrimPrefix(raw, "<"), ">"))
			if err != nil || code != 0 {
				Problem(w, r, inventory.Errorf(inventory.EInvalid, "Content-Crs",
					"is %s; writes take GeoJSON in %s (longitude, latitude) only: reproject the geometry, or import the file (landinv import --crs)", raw, CRS84))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// replace answers PUT /ogc/collections/{layer}/items/{code}.
func replace(ed inventory.Editor, l *inventory.Layer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		code, err := codeParam(l, r)
		if err != nil {
			Problem(w, r, err)
			return
		}
		ifMatch := r.Header.Get("If-Match")
		if ifMatch == "" {
			Problem(w, r, inventory.Errorf(inventory.EPreconditionRequired, "If-Match", "is required: send the ETag of the version you replace (from GET)"))
			return
		}
		if strings.Contains(ifMatch, `-public"`) {
			// The public's copy lacks the confidential properties, which a replace would clear:
			// a replace names the copy a planner read (PATCH may name either, it clears nothing).
			Problem(w, r, inventory.Errorf(inventory.EPrecondition, "If-Match",
				"names the public's copy, which lacks the confidential properties a replace would clear: read the feature signed in and replace that version"))
			return
		}
		body, err := readFeature(w, r)
		if err != nil {
			ProblemBody(w, r, err)
			return
		}
		if id, ok := body.ID.(string); ok && id != code {
			ProblemBody(w, r, inventory.Errorf(inventory.EInvalid, "id", "is %q but the URL names %q; a code is immutable", id, code))
			return
		}
		if len(body.Geometry) == 0 {
			ProblemBody(w, r, inventory.Errorf(inventory.EInvalid, "geometry", "is required: PUT replaces the whole feature (PATCH changes part of it)"))
			return
		}
		props := map[string]any{}
		for k, v := range body.Properties {
			props[k] = v
		}
		conf, _ := props["confidential"].(map[string]any)
		for _, f := range l.Fields {
			if f.Computed || f.Derived || f.Name == "code" {
				continue
			}
			if _, given := props[f.Name]; given {
				continue
			}
			if _, given := conf[f.Name]; given {
				continue
			}
			if f.Confidential && !inventory.ViewerFrom(r.Context()).SeesConfidential() {
				continue
			}
			if f.Type == inventory.Bool {
				props[f.Name] = false // yes/no flags are never null
				continue
			}
			props[f.Name] = nil
		}
		f, err := ed.Update(r.Context(), l, zoneOf(r), code, ifMatch, inventory.Change{Properties: props, Geometry: body.Geometry, Note: body.Note})
		if err != nil {
			ProblemBody(w, r, err)
			return
		}
		writeFeature(w, http.StatusOK, f)
	}
}
