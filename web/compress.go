package web

import (
	"net/http"
	"strings"

	"github.com/klauspost/compress/gzhttp"
)

// gzipLevel is the gzip level of dynamic responses. Level 1 (klauspost's fastest deflate)
// shrinks a GeoJSON page about 6× while costing a small part of the page's time; higher levels
// save a few more per cent of bytes for much more CPU (BenchmarkPageRace measures the cost).
const gzipLevel = 1

// compressMinSize: smaller bodies are sent as they are (they fit in one packet anyway).
const compressMinSize = 1024

// compress gzips a response when the client accepts gzip (klauspost/compress gzhttp): every API
// response (JSON, GeoJSON, problem documents, CSV), the pages and the assets that are not
// served precompressed (s.asset serves its build-time brotli and gzip files itself, with their
// Content-Encoding set, which gzhttp leaves alone). Streaming stays streaming: the gzip writer
// passes each compressed block on as it fills and honours Flush. Already-compressed content
// (images, archives, XLSX) is sent as it is; see compressible.
func compress() func(http.Handler) http.Handler {
	wrap, err := gzhttp.NewWrapper(
		gzhttp.CompressionLevel(gzipLevel),
		gzhttp.MinSize(compressMinSize),
		gzhttp.EnableZstd(false),
		gzhttp.ContentTypeFilter(compressible),
	)
	if err != nil { // only for invalid options, which are constants here
		panic("web: gzip wrapper: " + err.Error())
	}
	return func(h http.Handler) http.Handler { return wrap(h) }
}

// compressible reports whether a response of content type ct is worth compressing: not images
// (PNG, JPEG: compressed already; SVG is text and is compressed), not zip-based documents
// (XLSX), and not what gzhttp's default filter excludes (archives, audio, video).
func compressible(ct string) bool {
	ct = strings.ToLower(strings.TrimSpace(ct))
	switch {
	case strings.HasPrefix(ct, "image/") && !strings.HasPrefix(ct, "image/svg"):
		return false
	case strings.HasPrefix(ct, "application/vnd.openxmlformats"):
		return false
	case ct == "application/vnd.pmtiles", ct == "application/x-protobuf":
		return false // a basemap archive is read by byte ranges; glyphs are served precompressed
	}
	return gzhttp.DefaultContentTypeFilter(ct)
}
