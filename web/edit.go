package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/landinv/landinv/inventory"
)

// Body limits. A single feature is small (a plot boundary has tens to thousands of vertices);
// an import file may hold a whole survey.
const (
	MaxFeatureBytes = 2 << 20   // 2 MiB
	MaxImportBytes  = 200 << 20 // 200 MiB
)

// readFeature reads a request body holding one GeoJSON Feature, at most MaxFeatureBytes,
// nested at most inventory.MaxJSONDepth deep, its text UTF-8 without NUL (inventory.CheckJSON).
// It decodes into inventory.GeoJSONFeature, the one input type of a feature (its note member
// holds an optional change note).
//
// A PATCH sent as application/merge-patch+json (RFC 7396, as OGC API – Features Part 4 has it)
// is the part of a Feature that changes: "type" may be left out (it is "Feature" when given), a
// property set to null is cleared, as with any PATCH, and "geometry": null, which in a merge
// patch removes the member, is refused (422 naming geometry): a feature keeps its geometry.
// Elsewhere "geometry": null means no new geometry.
func readFeature(w http.ResponseWriter, r *http.Request) (*inventory.GeoJSONFeature, error) {
	var f inventory.GeoJSONFeature
	if err := readJSONBody(w, r, MaxFeatureBytes, &f); err != nil {
		var e *inventory.Error
		if errors.As(err, &e) {
			switch e.Code {
			case inventory.CodeTooLarge:
				e.Reason = fmt.Sprintf("is larger than %d bytes; a single feature must be smaller (use POST /api/v1/import for files)", MaxFeatureBytes)
			case inventory.CodeUnknownProperty:
				e.Reason, e.Code = "is not a member of a Feature here; put properties under \"properties\"", inventory.CodeNotAFeature
			case inventory.CodeBadJSON:
				e.Reason = strings.Replace(e.Reason, "is not the JSON object expected", "is not a JSON object", 1)
			}
		}
		return nil, err
	}
	mergePatch := r.Method == http.MethodPatch && isMergePatch(r.Header.Get("Content-Type"))
	if f.Type != "Feature" && !(mergePatch && f.Type == "") {
		return nil, inventory.Errorf(inventory.EInvalid, "type", "must be \"Feature\", not %q", f.Type).With(inventory.CodeNotAFeature, nil)
	}
	if string(f.Geometry) == "null" {
		if mergePatch {
			return nil, inventory.Errorf(inventory.EInvalid, "geometry", "cannot be removed (null in a merge patch): a feature keeps its geometry; leave geometry out to keep it, or send a new one").With(inventory.CodeRequired, nil)
		}
		f.Geometry = nil
	}
	return &f, nil
}

// isMergePatch reports whether the content type ct is application/merge-patch+json (parameters
// such as charset aside).
func isMergePatch(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "application/merge-patch+json"
}

func codeParam(l *inventory.Layer, r *http.Request) (string, error) {
	code := chi.URLParam(r, "code")
	if !inventory.ValidCode(code) {
		return "", inventory.Errorf(inventory.ENotFound, "code", "no %s with code %q", l.Name, code)
	}
	return code, nil
}

// writeFeature answers with a feature as a write left it. A write that changed nothing wrote
// no version: it answers with the live version, unchanged, and says so in the header
// X-Landinv-Unchanged: true.
func writeFeature(w http.ResponseWriter, status int, f *inventory.Feature) {
	if f.Unchanged {
		w.Header().Set("X-Landinv-Unchanged", "true")
	}
	w.Header().Set("ETag", f.ETag())
	w.Header().Set("Content-Type", "application/geo+json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(f)
}

// create answers a POST of a new feature; its Location is location followed by the code.
func create(ed inventory.Editor, l *inventory.Layer, location string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		zone := zoneOf(r)
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
		w.Header().Set("Location", location+url.PathEscape(f.Code))
		writeFeature(w, http.StatusCreated, f)
	}
}

func update(ed inventory.Editor, l *inventory.Layer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		code, err := codeParam(l, r)
		if err != nil {
			Problem(w, r, err)
			return
		}
		zone := zoneOf(r)
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
		code, err := codeParam(l, r)
		if err != nil {
			Problem(w, r, err)
			return
		}
		zone := zoneOf(r)
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

func history(h inventory.HistoryReader, l *inventory.Layer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		code, err := codeParam(l, r)
		if err != nil {
			Problem(w, r, err)
			return
		}
		zone := zoneOf(r)
		vs, err := h.History(r.Context(), l, zone, code)
		if err != nil {
			Problem(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"layer": l.Name, "code": code, "versions": vs})
	}
}

func restore(ed inventory.Editor, l *inventory.Layer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		code, err := codeParam(l, r)
		if err != nil {
			Problem(w, r, err)
			return
		}
		zone := zoneOf(r)
		n, err := strconv.Atoi(r.URL.Query().Get("version"))
		if err != nil || n < 1 {
			Problem(w, r, inventory.Errorf(inventory.EInvalid, "version", "must be a version number ≥ 1 (see .../history)").With(inventory.CodeRequired, nil))
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
