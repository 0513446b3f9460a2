package web

import (
	"net/http"
	"regexp"

	"github.com/go-chi/chi/v5"

	"github.com/landinv/landinv/inventory"
)

// glyphRange matches a glyph file's name: a range of 256 code points, START-END.pbf.
var glyphRange = regexp.MustCompile(`^[0-9]{1,6}-[0-9]{1,6}\.pbf$`)

// glyphs answers GET /glyphs/{fontstack}/{range}: the labels' signed-distance-field glyphs
// (MapLibre's glyph protobuf), written at build time from a CJK font by web/ui/glyphs.mjs
// into the embedded build (only the non-CJK ranges: Chinese characters are drawn in the page
// from the reader's local font, see glyphs.mjs for why). There is one font: every font stack
// gets it, so that a basemap style naming its own fonts still gets labels. A range that was
// not generated is a 404, after which MapLibre draws those characters from local fonts.
func (s *Server) glyphs(w http.ResponseWriter, r *http.Request) {
	name := chi.URLParam(r, "range")
	if !glyphRange.MatchString(name) {
		Problem(w, r, inventory.Errorf(inventory.ENotFound, "range", "no glyph range %q", name))
		return
	}
	file := "ui/dist/glyphs/" + name
	w.Header().Add("Vary", "Accept-Encoding")
	if _, ok := s.etags[file+".gz"]; ok && accepts(r, "gzip") {
		w.Header().Set("Content-Encoding", "gzip")
		s.serveFileAs(w, r, file+".gz", ".pbf", "public, max-age=86400")
		return
	}
	s.serveFile(w, r, file, "public, max-age=86400")
}
