package web

import (
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/cql2"
)

// OGC API – Features items (要素): /ogc/collections/{layer}/items and /items/{code}, read
// through the same store list (StreamList) as /api/v1, with the OGC parameters translated into
// an inventory.Query here (ogcQuery).
//
// datetime: features are versioned (every change is a new version with valid_from/valid_to).
// An instant (RFC 3339 time, or a date meaning the end of that day, China time) reads the
// inventory as it stood then, exactly as as_of does. An interval ("a/b", "../b", "a/..") is
// refused with a 400 naming datetime: "the features that existed at some time in the
// interval" would mix versions of one feature under one id.

// MaxFilterBytes caps a filter's length (CQL2 AND/OR chains are flat, so the parser is not
// otherwise bounded).
const MaxFilterBytes = 16 << 10

// ogcItemsParams are the parameters of an items list beside the layer's queryables.
var ogcItemsParams = []string{"limit", "offset", "bbox", "bbox-crs", "crs", "datetime", "filter", "filter-lang", "filter-crs", "sortby", "properties", "zone", "f", MinRevisionParam}

// ogcItemsParamsCheck is the parameter middleware of a layer's items: it takes
// ogcItemsParamNames and, refusing an unknown parameter, lists ogcItemsParams and points to the
// queryables, never the property names themselves (the public must not learn the names of
// confidential properties from a typo's answer).
func (s *Server) ogcItemsParamsCheck(l *inventory.Layer) func(http.Handler) http.Handler {
	more := "; and property=value for a property of /ogc/collections/" + l.Name + "/queryables"
	return s.paramsChecking(false, ogcItemsParamNames(l), ogcItemsParams, more)
}

// ogcItemsParamNames lists the parameters a layer's items take: the common ones and one
// equality filter per queryable (confidential ones are refused later for viewers who may not
// see them, as unknown).
func ogcItemsParamNames(l *inventory.Layer) []string {
	out := slices.Clone(ogcItemsParams)
	for name := range cql2.LayerQueryables(l, inventory.Viewer{Role: inventory.RoleAdmin}) {
		if name != cql2.GeometryProperty && !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// ogcItemParams are the parameters of one item.
var ogcItemParams = []string{"crs", "datetime", "zone", "f", MinRevisionParam}

// ogcFormat checks f: only JSON (GeoJSON) is served.
func ogcFormat(v url.Values) error {
	if f, ok := v["f"]; ok && f[0] != "json" && f[0] != "geojson" {
		return inventory.Errorf(inventory.EInvalid, "f", "must be json (GeoJSON is the only format)")
	}
	return nil
}

// ogcDatetime reads datetime: an instant (see above); intervals are refused.
func ogcDatetime(v url.Values) (*time.Time, error) {
	raw, ok := v["datetime"]
	if !ok {
		return nil, nil
	}
	if strings.Contains(raw[0], "/") || strings.TrimSpace(raw[0]) == ".." {
		return nil, inventory.Errorf(inventory.EInvalid, "datetime", "must be an instant, not an interval: features are versioned, and an instant reads the inventory as it stood then (as as_of does)")
	}
	t, err := ParseAsOf(raw[0])
	if err != nil {
		return nil, inventory.Errorf(inventory.EInvalid, "datetime", "must be an RFC 3339 time or a date (the end of that day, China time), e.g. 2026-01-31T12:00:00+08:00 or 2026-01-31")
	}
	return &t, nil
}

// ogcQuery reads an items request into a checked inventory.Query. raw is the request's raw
// query string (for cql-text filters, see filterParam).
func (s *Server) ogcQuery(l *inventory.Layer, r *http.Request) (inventory.Query, string, error) {
	v := r.URL.Query()
	q := inventory.Query{Layer: l, Limit: inventory.DefaultLimit, Zone: zoneOf(r)}
	crsURI := CRS84
	if err := ogcFormat(v); err != nil {
		return q, "", err
	}
	qa := cql2.LayerQueryables(l, inventory.ViewerFrom(r.Context()))
	var preds []cql2.Expr
	names := make([]string, 0, len(v))
	for k := range v {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		val := strings.TrimSpace(v[name][0])
		var err error
		switch name {
		case commonParam, "zone", "f", "filter-lang", "bbox", "bbox-crs", MinRevisionParam:
		case "limit":
			q.Limit, err = strconv.Atoi(val)
			if err != nil {
				err = inventory.Errorf(inventory.EInvalid, name, "must be a whole number from 1 to %d", inventory.MaxLimit)
			}
		case "offset":
			q.Offset, err = strconv.Atoi(val)
			if err != nil {
				err = inventory.Errorf(inventory.EInvalid, name, "must be a whole number ≥ 0")
			}
		case "datetime":
			q.AsOf, err = ogcDatetime(v)
		case "crs":
			var code int
			code, crsURI, err = s.ogcCRS.parse(name, val)
			q.CRS = crsOf(code)
		case "filter-crs":
			var code int
			code, _, err = s.ogcCRS.parse(name, val)
			q.FilterCRS = crsOf(code)
		case "filter":
			var e cql2.Expr
			e, err = filterParam(r, v)
			preds = append(preds, e)
		case "sortby":
			var keys []cql2.SortKey
			keys, err = cql2.ParseSortBy(v[name][0], qa)
			for _, k := range keys {
				q.SortBy = append(q.SortBy, inventory.SortKey{Property: k.Property, Desc: k.Desc})
			}
		case "properties":
			q.Properties, err = propertiesParam(val, qa)
		default:
			var e cql2.Expr
			e, err = equalityParam(name, val, qa)
			preds = append(preds, e)
		}
		if err != nil {
			return q, "", err
		}
	}
	if raw, ok := v["bbox"]; ok {
		code := 0
		if c, ok := v["bbox-crs"]; ok {
			var err error
			if code, _, err = s.ogcCRS.parse("bbox-crs", c[0]); err != nil {
				return q, "", err
			}
		}
		b, err := ogcBBox(raw[0], code)
		if err != nil {
			return q, "", err
		}
		q.BBox, q.BBoxCRS = &b, crsOf(code)
	} else if _, ok := v["bbox-crs"]; ok {
		return q, "", inventory.Errorf(inventory.EInvalid, "bbox-crs", "only applies together with bbox")
	}
	if _, ok := v["filter-lang"]; ok && !v.Has("filter") {
		return q, "", inventory.Errorf(inventory.EInvalid, "filter-lang", "only applies together with filter")
	}
	if len(preds) == 1 {
		q.Filter = preds[0]
	} else if len(preds) > 1 {
		q.Filter = &cql2.And{At: cql2.At{Offset: 0}, Args: preds}
	}
	if q.Filter != nil {
		if err := qa.Check(q.Filter.(cql2.Expr)); err != nil {
			return q, "", err
		}
	}
	return q, crsURI, q.Validate()
}

// filterSource is the filter's text as the client meant it: for cql-text read from the raw
// query with url.PathUnescape (a '+' stays a '+'), else as the query decodes it. The page
// links write it back from here, so page 2 runs the filter page 1 ran.
func filterSource(r *http.Request, v url.Values) string {
	src := v.Get("filter")
	if l, ok := v["filter-lang"]; ok && strings.EqualFold(l[0], cql2.LangLegacyText) {
		for _, kv := range strings.Split(r.URL.RawQuery, "&") {
			if raw, ok := strings.CutPrefix(kv, "filter="); ok {
				if u, err := url.PathUnescape(raw); err == nil {
					src = u
				}
			}
		}
	}
	return src
}

// filterParam reads filter in filter-lang (cql2-text by default; cql-text, GDAL 3.6's draft
// name, as CQL2-Text plus ILIKE; cql2-json). GDAL 3.6 does not escape '+' in the query
// string, so for cql-text the filter is read from the raw query with url.PathUnescape, which
// keeps a '+' a '+'.
func filterParam(r *http.Request, v url.Values) (cql2.Expr, error) {
	lang := ""
	if l, ok := v["filter-lang"]; ok {
		lang = l[0]
	}
	src := filterSource(r, v)
	if len(src) > MaxFilterBytes {
		return nil, inventory.Errorf(inventory.EInvalid, "filter", "is longer than %d bytes", MaxFilterBytes)
	}
	if strings.TrimSpace(src) == "" {
		return nil, inventory.Errorf(inventory.EInvalid, "filter", "is empty")
	}
	return cql2.Parse(lang, src)
}

// equalityParam reads name=value, a property equality filter on a queryable (status=ready),
// into a CQL2 comparison. The value is read by the queryable's type; a name that is no
// queryable for this viewer is refused as unknown.
func equalityParam(name, val string, qa cql2.Queryables) (cql2.Expr, error) {
	q, ok := qa[name]
	if !ok || q.Type == cql2.TypeGeometry {
		return nil, inventory.Errorf(inventory.EInvalid, name, "is not a parameter here (not a queryable of this collection; see its /queryables)")
	}
	prop := &cql2.Property{Name: name}
	var lit cql2.Expr
	switch q.Type {
	case cql2.TypeNumber, cql2.TypeInteger:
		x, err := strconv.ParseFloat(val, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, inventory.Errorf(inventory.EInvalid, name, "must be a number")
		}
		lit = &cql2.Number{Value: x}
	case cql2.TypeBoolean:
		if val != "true" && val != "false" {
			return nil, inventory.Errorf(inventory.EInvalid, name, "must be true or false")
		}
		lit = &cql2.Bool{Value: val == "true"}
	case cql2.TypeDate:
		d, err := time.Parse(time.DateOnly, val)
		if err != nil {
			return nil, inventory.Errorf(inventory.EInvalid, name, "must be a date, e.g. 2024-05-01")
		}
		lit = &cql2.Date{Value: d}
	case cql2.TypeTimestamp:
		t, err := time.Parse(time.RFC3339Nano, val)
		if err != nil {
			return nil, inventory.Errorf(inventory.EInvalid, name, "must be an RFC 3339 time")
		}
		lit = &cql2.Timestamp{Value: t.UTC()}
	default:
		if len(q.Enum) > 0 && !slices.Contains(q.Enum, val) {
			return nil, inventory.Errorf(inventory.EInvalid, name, "has unknown value %q; known: %s", val, strings.Join(q.Enum, ", "))
		}
		if len(val) > 200 {
			return nil, inventory.Errorf(inventory.EInvalid, name, "is too long")
		}
		lit = &cql2.String{Value: val}
	}
	return &cql2.Compare{Op: "=", Left: prop, Right: lit}, nil
}

// propertiesParam reads properties=a,b: queryables (not the geometry), each named once.
func propertiesParam(val string, qa cql2.Queryables) ([]string, error) {
	out := []string{}
	for _, p := range strings.Split(val, ",") {
		p = strings.TrimSpace(p)
		if q, ok := qa[p]; !ok || q.Type == cql2.TypeGeometry {
			return nil, inventory.Errorf(inventory.EInvalid, "properties", "unknown property %q", p)
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out, nil
}

// ogcBBox reads bbox: minX,minY,maxX,maxY in the axis order of bbox-crs (EPSG code, 0 for
// CRS84, whose range is checked).
func ogcBBox(raw string, code int) ([4]float64, error) {
	if code == 0 {
		b, err := parseBBox(raw)
		if err != nil {
			return b, inventory.Errorf(inventory.EInvalid, "bbox", "%s", err)
		}
		return b, nil
	}
	var b [4]float64
	parts := strings.Split(raw, ",")
	if len(parts) != 4 {
		return b, inventory.Errorf(inventory.EInvalid, "bbox", "must be four numbers in the axis order of bbox-crs")
	}
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return b, inventory.Errorf(inventory.EInvalid, "bbox", "item %d (%q) is not a number", i+1, p)
		}
		b[i] = x
	}
	if b[0] > b[2] || b[1] > b[3] {
		return b, inventory.Errorf(inventory.EInvalid, "bbox", "minimum is greater than maximum")
	}
	if c := crsOf(code); c.Geographic {
		lat := [2]float64{b[0], b[2]}
		if !c.SwapXY {
			lat = [2]float64{b[1], b[3]}
		}
		if lat[0] < -90 || lat[1] > 90 || b[0] < -180 || b[2] > 180 || b[1] < -180 || b[3] > 180 {
			return b, inventory.Errorf(inventory.EInvalid, "bbox", "must lie within ±90° latitude and ±180° longitude")
		}
	}
	return b, nil
}

// ogcItems answers GET /ogc/collections/{layer}/items: a FeatureCollection streamed from the
// store, then numberMatched, numberReturned, timeStamp and the self, next and prev links.
func (s *Server) ogcItems(l *inventory.Layer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, crsURI, err := s.ogcQuery(l, r)
		if err != nil {
			Problem(w, r, err)
			return
		}
		bw := s.streamBufs.get(w)
		defer s.streamBufs.put(bw)
		started := false
		start := func() {
			w.Header().Set("Content-Type", "application/geo+json")
			w.Header().Set("Content-Crs", "<"+crsURI+">")
			w.Header().Add("Vary", "Authorization")
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
		tail := map[string]any{
			"numberMatched": matched, "numberReturned": returned,
			"timeStamp": time.Now().UTC().Format(time.RFC3339),
			"links":     ogcPageLinks(r, q.Offset, q.Limit, returned, matched),
		}
		b, _ := json.Marshal(tail)
		bw.WriteString("],")
		bw.Write(b[1:]) //nolint:errcheck // drop the opening brace
		bw.WriteByte('\n')
		bw.Flush() //nolint:errcheck
	}
}

// ogcPageLinks are a page's self, next (when more remain) and prev (after the first) links.
// Their query writes a space as %20, never '+': a cql-text filter is read with its '+' taken
// literally (GDAL sends '+' unescaped, see filterParam), so a next link with "a+%3D+b" failed
// on page 2 for a client that follows it (GDAL's -where over pages).
func ogcPageLinks(r *http.Request, offset, limit, returned int, matched int64) []map[string]string {
	at := func(off int) string {
		u := *r.URL
		vals := u.Query()
		if vals.Has("filter") {
			vals.Set("filter", filterSource(r, vals)) // a cql-text '+' stays a '+' (written %2B)
		}
		vals.Set("offset", strconv.Itoa(off))
		if off == 0 {
			vals.Del("offset")
		}
		u.RawQuery = queryEncode(vals)
		return u.RequestURI()
	}
	links := []map[string]string{ogcLink(r, "self", r.URL.RequestURI(), "application/geo+json", "")}
	if int64(offset+returned) < matched {
		links = append(links, ogcLink(r, "next", at(offset+returned), "application/geo+json", "next page"))
	}
	if offset > 0 {
		links = append(links, ogcLink(r, "prev", at(max(0, offset-limit)), "application/geo+json", "previous page"))
	}
	return links
}

// ogcItem answers GET /ogc/collections/{layer}/items/{code}: one feature, now or at datetime,
// in crs, with its ETag (the same tag /api/v1 gives, which If-Match expects when editing).
func (s *Server) ogcItem(l *inventory.Layer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		code := chi.URLParam(r, "code")
		if !inventory.ValidCode(code) {
			Problem(w, r, inventory.Errorf(inventory.ENotFound, "code", "no %s with code %q", l.Name, code))
			return
		}
		v := r.URL.Query()
		q := inventory.Query{Layer: l, Zone: zoneOf(r), Limit: 1,
			Conditions: []inventory.Condition{{Kind: inventory.FilterEquals, Field: "code", Value: code}}}
		crsURI := CRS84
		err := ogcFormat(v)
		if err == nil {
			q.AsOf, err = ogcDatetime(v)
		}
		if c, ok := v["crs"]; ok && err == nil {
			var n int
			n, crsURI, err = s.ogcCRS.parse("crs", c[0])
			q.CRS = crsOf(n)
		}
		if err != nil {
			Problem(w, r, err)
			return
		}
		var raw []byte
		ctx := r.Context()
		if featureTagVersion(r) > 0 {
			// A conditional read names a version, not a revision: the primary has it (replica.go).
			ctx = inventory.WithPrimary(ctx)
		}
		if _, _, err := s.deps.Features.StreamList(ctx, q, func(f []byte) error {
			raw = append([]byte(nil), f...)
			return nil
		}); err != nil {
			Problem(w, r, err)
			return
		}
		if raw == nil {
			Problem(w, r, inventory.Errorf(inventory.ENotFound, "code", "no %s with code %q", strings.TrimSuffix(l.Name, "s"), code))
			return
		}
		var head struct {
			Properties struct {
				Version int `json:"version"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(raw, &head); err != nil {
			Problem(w, r, err)
			return
		}
		if notModified(w, r, inventory.Feature{Layer: l.Name, Code: code, Version: head.Properties.Version}) {
			return
		}
		w.Header().Set("Content-Type", "application/geo+json")
		w.Header().Set("Content-Crs", "<"+crsURI+">")
		raw = append(raw, '\n')
		_, _ = w.Write(raw)
	}
}

// queryEncode is url.Values.Encode with a space written %20 instead of '+' (Encode writes a
// literal '+' as %2B, so no '+' it leaves is anything but a space).
func queryEncode(v url.Values) string {
	return strings.ReplaceAll(v.Encode(), "+", "%20")
}
