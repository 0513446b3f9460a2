package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/landinv/landinv/inventory"
)

// Body limits. A single feature is small (a plot boundary has tens to thousands of vertices);
// an import file may hold a whole survey.
const (
	MaxFeatureBytes = 2 << 20   // 2 MiB
	MaxImportBytes  = 200 << 20 // 200 MiB
)

// EditRoutes returns the routes of the write API: for every layer (plots, plants, idle-sites,
// roads, layout)
//
//	POST   /api/v1/{layer}                         create (a GeoJSON Feature)
//	PATCH  /api/v1/{layer}/{code}                  change properties and/or geometry (If-Match)
//	DELETE /api/v1/{layer}/{code}                  archive (If-Match)
//	GET    /api/v1/{layer}/{code}/history          every version, with what changed
//	POST   /api/v1/{layer}/{code}/restore?version=N  a new version copying version N
//
// and GET /api/v1/me (who the credentials belong to).
func EditRoutes(ed inventory.Editor) func(r chi.Router) {
	return func(r chi.Router) {
		r.Get("/api/v1/me", me)
		for _, l := range inventory.Layers() {
			base := "/api/v1/" + l.Name
			r.Post(base, create(ed, l))
			r.Patch(base+"/{code}", update(ed, l))
			r.Delete(base+"/{code}", archive(ed, l))
			r.Get(base+"/{code}/history", history(ed, l))
			r.Post(base+"/{code}/restore", restore(ed, l))
		}
	}
}

// featureBody is a GeoJSON Feature as a client writes it. note is a foreign member holding an
// optional change note.
type featureBody struct {
	Type       string          `json:"type"`
	ID         any             `json:"id"`
	Geometry   json.RawMessage `json:"geometry"`
	Properties map[string]any  `json:"properties"`
	Note       string          `json:"note"`
	BBox       json.RawMessage `json:"bbox"`
}

// readFeature reads a request body holding one GeoJSON Feature, at most MaxFeatureBytes.
func readFeature(w http.ResponseWriter, r *http.Request) (*featureBody, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxFeatureBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, inventory.Errorf(inventory.ETooLarge, "body", "is larger than %d bytes; a single feature must be smaller (use POST /api/v1/import for files)", MaxFeatureBytes)
		}
		return nil, inventory.Errorf(inventory.EInvalid, "body", "could not be read: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	var f featureBody
	if err := dec.Decode(&f); err != nil {
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) && ute.Field != "" {
			return nil, inventory.Errorf(inventory.EInvalid, ute.Field, "has the wrong JSON type: %v", err)
		}
		if strings.HasPrefix(err.Error(), "json: unknown field ") {
			name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return nil, inventory.Errorf(inventory.EInvalid, name, "is not a member of a Feature here; put properties under \"properties\"")
		}
		return nil, inventory.Errorf(inventory.EInvalid, "body", "is not a JSON object: %v", err)
	}
	if dec.More() {
		return nil, inventory.Errorf(inventory.EInvalid, "body", "holds more than one JSON value")
	}
	if f.Type != "Feature" {
		return nil, inventory.Errorf(inventory.EInvalid, "type", "must be \"Feature\", not %q", f.Type)
	}
	if string(f.Geometry) == "null" {
		f.Geometry = nil
	}
	return &f, nil
}

// signedIn answers 401 (with WWW-Authenticate) to a request without credentials, before its
// body is read. Whether a signed-in user may edit (403) is the store's rule, inventory.CanWrite,
// checked once at the store's entry.
func signedIn(w http.ResponseWriter, r *http.Request) bool {
	v := inventory.ViewerFrom(r.Context())
	if v.Name != "" || v.CanEdit() {
		return true
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="landinv"`)
	Problem(w, r, inventory.CanWrite(v))
	return false
}

func codeParam(l *inventory.Layer, r *http.Request) (string, error) {
	code := chi.URLParam(r, "code")
	if !inventory.ValidCode(code) {
		return "", inventory.Errorf(inventory.ENotFound, "code", "no %s with code %q", l.Name, code)
	}
	return code, nil
}

// onlyParams refuses query parameters other than the allowed ones; it returns zone.
func onlyParams(v url.Values, allowed ...string) (string, error) {
	for k, vals := range v {
		ok := k == "zone" || k == "lang"
		for _, a := range allowed {
			ok = ok || k == a
		}
		if !ok {
			return "", inventory.Errorf(inventory.EInvalid, k, "is not a parameter here; known: %s", strings.Join(append([]string{"zone"}, allowed...), ", "))
		}
		if len(vals) != 1 {
			return "", inventory.Errorf(inventory.EInvalid, k, "is given %d times; give it once", len(vals))
		}
	}
	z := v.Get("zone")
	if z != "" && !inventory.ValidCode(z) {
		return "", inventory.Errorf(inventory.EInvalid, "zone", "is not a zone code")
	}
	return z, nil
}

func writeFeature(w http.ResponseWriter, status int, f *inventory.Feature) {
	w.Header().Set("ETag", f.ETag())
	w.Header().Set("Content-Type", "application/geo+json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(f)
}

func create(ed inventory.Editor, l *inventory.Layer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !signedIn(w, r) {
			return
		}
		zone, err := onlyParams(r.URL.Query())
		if err != nil {
			Problem(w, r, err)
			return
		}
		body, err := readFeature(w, r)
		if err != nil {
			ProblemBody(w, r, err)
			return
		}
		props := body.Properties
		if props == nil {
			props = map[string]any{}
		}
		if id, ok := body.ID.(string); ok && props["code"] == nil {
			props["code"] = id
		}
		f, err := ed.Create(r.Context(), l, zone, inventory.Change{Properties: props, Geometry: body.Geometry, Note: body.Note})
		if err != nil {
			ProblemBody(w, r, err)
			return
		}
		w.Header().Set("Location", "/api/v1/"+l.Name+"/"+url.PathEscape(f.Code))
		writeFeature(w, http.StatusCreated, f)
	}
}

func update(ed inventory.Editor, l *inventory.Layer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !signedIn(w, r) {
			return
		}
		code, err := codeParam(l, r)
		if err != nil {
			Problem(w, r, err)
			return
		}
		zone, err := onlyParams(r.URL.Query())
		if err != nil {
			Problem(w, r, err)
			return
		}
		body, err := readFeature(w, r)
		if err != nil {
			ProblemBody(w, r, err)
			return
		}
		props := body.Properties
		if id, ok := body.ID.(string); ok && props["code"] == nil {
			// The Feature's id names its code; the store refuses one that is not the URL's.
			if props == nil {
				props = map[string]any{}
			}
			props["code"] = id
		}
		// The store checks If-Match (428 when missing, 412 when stale).
		f, err := ed.Update(r.Context(), l, zone, code, r.Header.Get("If-Match"), inventory.Change{Properties: props, Geometry: body.Geometry, Note: body.Note})
		if err != nil {
			ProblemBody(w, r, err)
			return
		}
		writeFeature(w, http.StatusOK, f)
	}
}

func archive(ed inventory.Editor, l *inventory.Layer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !signedIn(w, r) {
			return
		}
		code, err := codeParam(l, r)
		if err != nil {
			Problem(w, r, err)
			return
		}
		zone, err := onlyParams(r.URL.Query(), "note")
		if err != nil {
			Problem(w, r, err)
			return
		}
		v, err := ed.Archive(r.Context(), l, zone, code, r.Header.Get("If-Match"), r.URL.Query().Get("note"))
		if err != nil {
			ProblemBody(w, r, err)
			return
		}
		f := inventory.Feature{Layer: l.Name, Code: code, Version: v.Version}
		w.Header().Set("ETag", f.ETag())
		writeJSON(w, http.StatusOK, map[string]any{"code": code, "layer": l.Name, "archived": true, "version": v})
	}
}

func history(ed inventory.Editor, l *inventory.Layer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		code, err := codeParam(l, r)
		if err != nil {
			Problem(w, r, err)
			return
		}
		zone, err := onlyParams(r.URL.Query())
		if err != nil {
			Problem(w, r, err)
			return
		}
		vs, err := ed.History(r.Context(), l, zone, code)
		if err != nil {
			Problem(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"layer": l.Name, "code": code, "versions": vs})
	}
}

func restore(ed inventory.Editor, l *inventory.Layer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !signedIn(w, r) {
			return
		}
		code, err := codeParam(l, r)
		if err != nil {
			Problem(w, r, err)
			return
		}
		zone, err := onlyParams(r.URL.Query(), "version")
		if err != nil {
			Problem(w, r, err)
			return
		}
		n, err := strconv.Atoi(r.URL.Query().Get("version"))
		if err != nil || n < 1 {
			Problem(w, r, inventory.Errorf(inventory.EInvalid, "version", "must be a version number ≥ 1 (see .../history)"))
			return
		}
		f, err := ed.Restore(r.Context(), l, zone, code, n, r.Header.Get("If-Match"))
		if err != nil {
			ProblemBody(w, r, err)
			return
		}
		writeFeature(w, http.StatusOK, f)
	}
}

// AsOfParam takes as_of out of v (an RFC 3339 time), for single-feature reads.
func AsOfParam(v url.Values) (*time.Time, url.Values, error) {
	raw, ok := v["as_of"]
	if !ok {
		return nil, v, nil
	}
	rest := url.Values{}
	for k, vals := range v {
		if k != "as_of" {
			rest[k] = vals
		}
	}
	if len(raw) != 1 {
		return nil, rest, inventory.Errorf(inventory.EInvalid, "as_of", "is given %d times; give it once", len(raw))
	}
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(raw[0]))
	if err != nil {
		return nil, rest, inventory.Errorf(inventory.EInvalid, "as_of", "must be an RFC 3339 time, e.g. 2026-01-31T12:00:00+08:00")
	}
	return &t, rest, nil
}
