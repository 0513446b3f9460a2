package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/landinv/landinv/inventory"
)

// The zones collection (开发区): every zone as a feature, from the zone service. Zones are few
// and not versioned, so their items take only limit and offset (CRS84 only; no filter).

// ogcZoneItems answers GET /ogc/collections/zones/items.
func (s *Server) ogcZoneItems(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	limit, offset := inventory.DefaultLimit, 0
	for name, p := range map[string]*int{"limit": &limit, "offset": &offset} {
		if raw, ok := v[name]; ok {
			n, err := strconv.Atoi(raw[0])
			if err != nil || n < 0 || (name == "limit" && (n < 1 || n > inventory.MaxLimit)) {
				Problem(w, r, inventory.Errorf(inventory.EInvalid, name, "must be a whole number (limit 1 to %d, offset ≥ 0)", inventory.MaxLimit))
				return
			}
			*p = n
		}
	}
	if err := ogcFormat(v); err != nil {
		Problem(w, r, err)
		return
	}
	if offset > inventory.MaxOffset {
		Problem(w, r, inventory.Errorf(inventory.EInvalid, "offset", "must be a whole number from 0 to %d", inventory.MaxOffset))
		return
	}
	zs, matched, err := s.deps.Zones.ZonePage(r.Context(), inventory.ZoneQuery{Limit: limit, Offset: offset})
	if err != nil {
		Problem(w, r, err)
		return
	}
	feats := []map[string]any{}
	for i := range zs {
		feats = append(feats, zoneFeature(&zs[i]))
	}
	w.Header().Set("Content-Crs", "<"+CRS84+">")
	writeGeoJSON(w, map[string]any{
		"type": "FeatureCollection", "features": feats,
		"numberMatched": matched, "numberReturned": len(feats), "timeStamp": time.Now().UTC().Format(time.RFC3339),
		"links": ogcPageLinks(r, offset, limit, len(feats), matched),
	})
}

// ogcZoneItem answers GET /ogc/collections/zones/items/{code}.
func (s *Server) ogcZoneItem(w http.ResponseWriter, r *http.Request) {
	code := chi.URLParam(r, "code")
	if !inventory.ValidCode(code) {
		Problem(w, r, inventory.Errorf(inventory.ENotFound, "code", "no zone %q", code))
		return
	}
	if err := ogcFormat(r.URL.Query()); err != nil {
		Problem(w, r, err)
		return
	}
	z, err := s.deps.Zones.Zone(r.Context(), code)
	if err != nil {
		Problem(w, r, err)
		return
	}
	w.Header().Set("Content-Crs", "<"+CRS84+">")
	writeGeoJSON(w, zoneFeature(z))
}
