package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/landinv/landinv/inventory"
)

// zonesParams are the parameters of GET /api/v1/zones.
var zonesParams = []string{"limit", "offset", "after", "province"}

// ParseZoneQuery reads GET /api/v1/zones's query string: limit (1 to inventory.MaxLimit,
// default inventory.DefaultLimit), offset (up to inventory.MaxOffset), after (a zone code, the
// next link's cursor; not with offset) and province. Errors are EInvalid naming the parameter.
func ParseZoneQuery(v url.Values) (inventory.ZoneQuery, error) {
	q := inventory.ZoneQuery{Limit: inventory.DefaultLimit}
	for name, vals := range v {
		raw := strings.TrimSpace(vals[0])
		switch name {
		case "limit":
			n, err := strconv.Atoi(raw)
			if err != nil || n < 1 || n > inventory.MaxLimit {
				return q, inventory.Errorf(inventory.EInvalid, name, "must be a whole number from 1 to %d", inventory.MaxLimit)
			}
			q.Limit = n
		case "offset":
			n, err := strconv.Atoi(raw)
			if err != nil || n < 0 || n > inventory.MaxOffset {
				return q, inventory.Errorf(inventory.EInvalid, name, "must be a whole number from 0 to %d", inventory.MaxOffset)
			}
			q.Offset = n
		case "after":
			if !inventory.ValidCode(raw) {
				return q, inventory.Errorf(inventory.EInvalid, name, "must be the code of the last zone of the previous page (the next link carries it)")
			}
			q.After = raw
		case "province":
			if err := inventory.ValidProvince(raw); err != nil {
				return q, err
			}
			q.Province = raw
		}
	}
	if q.After != "" && q.Offset > 0 {
		return q, inventory.Errorf(inventory.EInvalid, "after", "is a cursor and cannot be combined with offset")
	}
	return q, nil
}

// zones answers GET /api/v1/zones: one page of the zones as a FeatureCollection, in code
// order, with number_matched, number_returned and, when more remain, a next link (after=the
// page's last code, as on the layer lists; offset is taken too).
func (s *Server) zones(w http.ResponseWriter, r *http.Request) {
	q, err := ParseZoneQuery(r.URL.Query())
	if err != nil {
		Problem(w, r, err)
		return
	}
	zs, matched, err := s.deps.Zones.ZonePage(r.Context(), q)
	if err != nil {
		Problem(w, r, err)
		return
	}
	fc := featureCollectionHeader{Type: "FeatureCollection", NumberMatched: matched, NumberReturned: len(zs)}
	fc.Links = []map[string]string{{"rel": "self", "href": r.URL.RequestURI(), "type": "application/geo+json"}}
	if more := int64(q.Offset+len(zs)) < matched; len(zs) > 0 && ((q.After == "" && more) || (q.After != "" && len(zs) == q.Limit)) {
		next := *r.URL
		vals := next.Query()
		vals.Del("offset")
		vals.Set("after", zs[len(zs)-1].Code)
		next.RawQuery = vals.Encode()
		fc.Next = next.RequestURI()
		fc.Links = append(fc.Links, map[string]string{"rel": "next", "href": fc.Next, "type": "application/geo+json"})
	}
	feats := make([]json.RawMessage, 0, len(zs))
	for i := range zs {
		b, err := json.Marshal(zoneFeature(&zs[i]))
		if err != nil {
			Problem(w, r, err)
			return
		}
		feats = append(feats, b)
	}
	writeGeoJSON(w, struct {
		featureCollectionHeader
		Features []json.RawMessage `json:"features"`
	}{fc, feats})
}
