package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/landinv/landinv/inventory"
)

func (s *Server) apiIndex(w http.ResponseWriter, r *http.Request) {
	links := []map[string]string{
		{"rel": "self", "href": "/api/v1/"},
		{"rel": "describedby", "href": "/api/v1/meta", "title": "layers, fields, units and filters"},
		{"rel": "data", "href": "/api/v1/zone", "title": "zone"},
		{"rel": "data", "href": "/api/v1/layout", "title": "layout"},
	}
	for _, l := range []*inventory.Layer{inventory.PlotLayer, inventory.PlantLayer, inventory.IdleSiteLayer, inventory.RoadLayer} {
		links = append(links, map[string]string{"rel": "data", "href": "/api/v1/" + l.Name, "title": l.LabelEN})
	}
	writeJSON(w, http.StatusOK, map[string]any{"title": "landinv API", "links": links})
}

// meta describes the layers: fields with Chinese and English labels, units and plausible ranges
// (min, max), the names of enumerated values (enum_labels), and filters — the map layers under
// layers, the non-spatial record layers (enterprises, their annual figures) under
// record_layers; and the road statuses that count as existing
// roads (road_status_groups); the plot statuses an investor's first view shows
// (investor_statuses) and how each plot status (and building status with or without free floor
// area) is worded as availability, as on the site sheets (availability); the distance "built roads only" means alone (default_near_road_m);
// and every problem code with its Chinese and English message templates (codes: {code: {kind,
// zh, en, params}}, inventory/codes.go). The page builds its legends, forms and detail panels
// from it.
func (s *Server) meta(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "public, max-age=300")
	writeJSON(w, http.StatusOK, map[string]any{"layers": metaLayers(inventory.Layers()), "record_layers": metaLayers(inventory.RecordLayers()), "road_status_groups": map[string][]string{
		"existing": inventory.ExistingRoadStatuses, "new": inventory.NewRoadStatuses,
	}, "codes": inventory.Codes(), "investor_statuses": inventory.InvestorStatuses,
		"availability": inventory.AvailabilityTable(), "default_near_road_m": inventory.DefaultNearRoadM,
		// The site-matching ranking rule's conditions and default weights (a zone may store its
		// own: GET /api/v1/projects/ranking).
		"match_conditions":      map[string][]string{inventory.MatchPlots: inventory.PlotMatchConditions, inventory.MatchPlants: inventory.PlantMatchConditions},
		"default_match_weights": inventory.DefaultMatchWeights, "max_match_weight": inventory.MaxMatchWeight})
}

// metaLayers are the layers as meta shows them.
func metaLayers(ls []*inventory.Layer) []metaLayer {
	var out []metaLayer
	for _, l := range ls {
		ml := metaLayer{Layer: l}
		for _, f := range l.Fields {
			ml.Fields = append(ml.Fields, metaField{Field: f, EnumLabels: inventory.EnumLabels(l.Name, f.Name)})
		}
		out = append(out, ml)
	}
	return out
}

// metaLayer is a layer as meta shows it: its fields carry the names of their enum values.
type metaLayer struct {
	*inventory.Layer
	Fields []metaField `json:"fields"`
}

type metaField struct {
	inventory.Field
	EnumLabels map[string]inventory.EnumLabel `json:"enum_labels,omitempty"`
}

func zoneFeature(z *inventory.Zone) map[string]any {
	return map[string]any{
		"type": "Feature", "id": z.Code, "bbox": z.BBox, "geometry": z.Geometry,
		"properties": map[string]any{
			"code": z.Code, "name": z.Name, "name_en": z.NameEN, "province": z.Province, "level": z.Level,
			"province_en": z.ProvinceEN, "city": z.City, "city_en": z.CityEN,
			"planned_area_km2": z.PlannedAreaKm2, "area_km2": z.AreaKm2, "area_mu": z.AreaMu,
			"illustrative": z.Illustrative,
		},
	}
}

// zone answers GET /api/v1/zone[?zone=CODE]: the zone as a Feature with its planned and its
// measured (geodesic) area.
func (s *Server) zone(w http.ResponseWriter, r *http.Request) {
	z, err := s.deps.Zones.Zone(r.Context(), zoneOf(r))
	if err != nil {
		Problem(w, r, err)
		return
	}
	writeGeoJSON(w, zoneFeature(z))
}

type featureCollectionHeader struct {
	Type           string              `json:"type"`
	NumberMatched  int64               `json:"number_matched"`
	NumberReturned int                 `json:"number_returned"`
	TimeStamp      string              `json:"time_stamp,omitempty"`
	Next           string              `json:"next,omitempty"`
	Links          []map[string]string `json:"links,omitempty"`
}

// list answers GET /api/v1/{layer}: one page of features as a FeatureCollection, in code order,
// with number_matched, number_returned and, when more remain, a next link. Features are
// streamed as the database produces them; the counts and links follow them in the same
// object, so nothing but one row is held in memory.
//
// Paging: the next link is a keyset cursor, after=CODE (the last code of the page; offset
// dropped), which costs the same at any depth; under a sort other than code (sort=area, road,
// availability...) it is offset=N instead, since the cursor is in code order; offset is still taken, up to
// inventory.MaxOffset. number_matched counts every feature the filters match, cursor or not; a
// page after a cursor has a next link when it is full (so the last page may be empty when the
// features fill the pages exactly).
//
// A response that cannot finish (the database fails, the request's deadline passes, the
// server shuts down) is aborted: the connection is reset before the closing bracket, so no
// client takes a cut page for a whole one.
func (s *Server) list(l *inventory.Layer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, err := ParseQuery(l, r.URL.Query())
		if err != nil {
			Problem(w, r, err)
			return
		}
		q.Zone = zoneOf(r) // as named: the page's statement finds the zone (featureParams)
		// A weak ETag from the inventory's revision, the query, what the viewer may see and the
		// release writing the page (releaseOf).
		sum := sha256.Sum256([]byte(s.release + "|" + r.URL.Query().Encode() + "|" + strconv.FormatBool(inventory.ViewerFrom(r.Context()).SeesConfidential())))
		tag := func(rev int64) string { return fmt.Sprintf(`W/"%s-%d-%x"`, l.Name, rev, sum[:8]) }
		w.Header().Add("Vary", "Authorization")
		// The page's revision: the one its rows are read at, which the page's statement reads in
		// the same snapshot (q.Revision), so a page costs no statement of its own for its ETag.
		// A revalidation (If-None-Match) reads the revision first instead (the shared rounds),
		// so that a client whose page is current gets 304 without the page's query; that page
		// then shows at least that revision (a read replica behind it is not asked, replica.go)
		// and is tagged with it. An empty page read without a revision first gets no ETag: a
		// revision read after its statement could name writes the page does not show.
		rev := int64(-1)
		if inm := r.Header.Get("If-None-Match"); inm != "" {
			// The revision, and the zone resolved at it (cached per revision): a tag anyone can
			// compute must not make an unknown zone a 304.
			ctx, _, err := s.zoneAt(r.Context(), zoneOf(r))
			if err != nil {
				Problem(w, r, err)
				return
			}
			if rev, err = s.requestRevision(ctx); err != nil {
				Problem(w, r, err)
				return
			}
			if noneMatch(r, tag(rev)) {
				w.Header().Set("ETag", tag(rev))
				w.WriteHeader(http.StatusNotModified)
				return
			}
			r = r.WithContext(inventory.WithMinRevision(r.Context(), rev))
		} else {
			q.Revision = &rev
		}
		bw := s.streamBufs.get(w)
		defer s.streamBufs.put(bw)
		started := false
		var last []byte // the id (as JSON) of the last feature written, for the next link's cursor
		start := func() {
			if rev >= 0 {
				w.Header().Set("ETag", tag(rev))
			}
			w.Header().Set("Content-Type", "application/geo+json")
			w.WriteHeader(http.StatusOK)
			bw.WriteString(`{"type":"FeatureCollection","features":[`)
			started = true
		}
		matched, returned, err := s.deps.Features.StreamList(r.Context(), q, func(f []byte) error {
			if !started {
				start()
			} else if err := bw.WriteByte(','); err != nil {
				return err
			}
			last = append(last[:0], featureIDJSON(f)...)
			_, err := bw.Write(f)
			return err
		})
		if err != nil {
			if !started {
				Problem(w, r, err)
				return
			}
			abortStream(r, l, err)
		}
		if !started {
			start()
		}
		h := featureCollectionTail{NumberMatched: matched, NumberReturned: returned, TimeStamp: time.Now().UTC().Format(time.RFC3339)}
		h.Links = []map[string]string{{"rel": "self", "href": r.URL.RequestURI(), "type": "application/geo+json"}}
		if more := int64(q.Offset+returned) < matched; (q.After == "" && more) || (q.After != "" && returned == q.Limit) {
			next := *r.URL
			vals := next.Query()
			if q.Sort != nil && q.Sort.Kind != inventory.SortCode {
				// The after cursor is in code order: under another sort, page by offset.
				vals.Set("offset", strconv.Itoa(q.Offset+returned))
			} else {
				vals.Del("offset")
				vals.Set("after", lastCode(last))
			}
			next.RawQuery = vals.Encode()
			h.Next = next.RequestURI()
			h.Links = append(h.Links, map[string]string{"rel": "next", "href": h.Next, "type": "application/geo+json"})
		}
		if q.Offset > 0 && q.After == "" {
			prev := *r.URL
			vals := prev.Query()
			vals.Set("offset", strconv.Itoa(max(0, q.Offset-q.Limit)))
			prev.RawQuery = vals.Encode()
			h.Links = append(h.Links, map[string]string{"rel": "prev", "href": prev.RequestURI(), "type": "application/geo+json"})
		}
		tail, _ := json.Marshal(h)
		bw.WriteString("],")
		bw.Write(tail[1:]) //nolint:errcheck // drop the opening brace
		bw.WriteByte('\n')
		bw.Flush() //nolint:errcheck
	}
}

// featureIDJSON returns the id of a feature as the store streams it, as a JSON string: the
// string after the prefix {"type":"Feature","id": that featureSQL writes (a code has no quotes
// or backslashes, so it ends at the next quote), or, for a feature shaped otherwise, its id
// decoded and encoded again. A list keeps only this of its last feature, not the feature.
func featureIDJSON(f []byte) []byte {
	const prefix = `{"type":"Feature","id":"`
	if rest, ok := bytes.CutPrefix(f, []byte(prefix)); ok {
		if i := bytes.IndexAny(rest, `"\`); i >= 0 && rest[i] == '"' {
			return f[len(prefix)-1 : len(prefix)+i+1]
		}
	}
	var x struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(f, &x)
	b, _ := json.Marshal(x.ID)
	return b
}

// lastCode reads a feature id kept by featureIDJSON.
func lastCode(id []byte) string {
	var s string
	_ = json.Unmarshal(id, &s)
	return s
}

// featureCollectionTail is what follows the features of a streamed FeatureCollection.
type featureCollectionTail struct {
	NumberMatched  int64               `json:"number_matched"`
	NumberReturned int                 `json:"number_returned"`
	TimeStamp      string              `json:"time_stamp"`
	Next           string              `json:"next,omitempty"`
	Links          []map[string]string `json:"links"`
}

// get answers GET /api/v1/{layer}/{code}: one live feature, with its ETag.
//
// The feature is the one the store streams for a list (StreamList with code = CODE, one
// statement, no count), written as the database built it: no decoding and encoding again in
// Go. Only its version is read, for the ETag.
func (s *Server) get(l *inventory.Layer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		code := chi.URLParam(r, "code")
		if !inventory.ValidCode(code) {
			Problem(w, r, inventory.Errorf(inventory.ENotFound, "code", "no %s with code %q", l.Name, code))
			return
		}
		asOf, err := asOfParam(r.URL.Query())
		if err != nil {
			Problem(w, r, err)
			return
		}
		var raw []byte
		f, err := freshFeature(r, func(ctx context.Context) (*inventory.Feature, error) {
			raw = raw[:0]
			q := inventory.Query{Layer: l, Zone: zoneOf(r), Limit: 1, AsOf: asOf,
				Conditions: []inventory.Condition{{Kind: inventory.FilterEquals, Field: "code", Value: code}}}
			if _, _, err := s.deps.Features.StreamList(ctx, q, func(f []byte) error {
				raw = append(raw, f...)
				return nil
			}); err != nil {
				return nil, err
			}
			if len(raw) == 0 {
				return nil, inventory.Errorf(inventory.ENotFound, "code", "no %s with code %q", strings.TrimSuffix(l.Name, "s"), code)
			}
			v, err := featureVersion(raw)
			if err != nil {
				return nil, fmt.Errorf("get %s %s: %w", l.Name, code, err)
			}
			return &inventory.Feature{Layer: l.Name, Code: code, Version: v}, nil
		})
		if err != nil {
			Problem(w, r, err)
			return
		}
		if notModified(w, r, *f) {
			return
		}
		w.Header().Set("Content-Type", "application/geo+json")
		raw = append(raw, '\n')
		_, _ = w.Write(raw)
	}
}

// featureVersion reads properties.version of a feature as the store builds it (featureSQL:
// properties after the geometry, a flat object of the layer's columns). It finds the first
// "version" key after "properties" instead of decoding the whole feature, which was a tenth of
// the CPU of a single-feature request: a string value cannot hold the bytes "version": (its
// quotes would be escaped), and the geometry comes before the properties. A feature shaped
// otherwise is decoded in full.
func featureVersion(raw []byte) (int, error) {
	if _, props, ok := bytes.Cut(raw, []byte(`"properties":{`)); ok {
		if _, rest, ok := bytes.Cut(props, []byte(`"version":`)); ok {
			end := 0
			for end < len(rest) && rest[end] >= '0' && rest[end] <= '9' {
				end++
			}
			if v, err := strconv.Atoi(string(rest[:end])); err == nil && end < len(rest) && (rest[end] == ',' || rest[end] == '}') {
				return v, nil
			}
		}
	}
	var head struct {
		Properties struct {
			Version int `json:"version"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return 0, err
	}
	return head.Properties.Version, nil
}

// notModified sets a single feature's ETag and answers 304 when If-None-Match names it.
// Planners see confidential figures the public does not: the two get different entity tags
// (Vary: Authorization). If-Match takes either tag of the current version, except on a
// replace (PUT), which takes the planners' (ogc_edit.go replace).
func notModified(w http.ResponseWriter, r *http.Request, f inventory.Feature) bool {
	etag := f.ETag()
	if !inventory.ViewerFrom(r.Context()).SeesConfidential() {
		etag = strings.TrimSuffix(etag, `"`) + `-public"`
	}
	w.Header().Set("ETag", etag)
	w.Header().Add("Vary", "Authorization")
	if noneMatch(r, etag) {
		w.WriteHeader(http.StatusNotModified)
		return true
	}
	return false
}

// abortStream ends a list that failed after its first bytes were sent: too late for a problem
// document, the response is aborted (net/http resets the connection, without the chunked
// body's end), so that the client sees a failure rather than a complete-looking page. Used by
// /api/v1 lists and /ogc items alike.
func abortStream(r *http.Request, l *inventory.Layer, err error) {
	if clientGone(r, err) {
		slog.InfoContext(r.Context(), "client closed the request mid-stream", "layer", l.Name, "status", StatusClientClosedRequest)
	} else {
		slog.WarnContext(r.Context(), "list failed mid-stream; response aborted", "layer", l.Name, "err", err, "cause", context.Cause(r.Context()))
	}
	panic(http.ErrAbortHandler)
}
