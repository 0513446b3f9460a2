package web

import (
	"io"
	"net/http"
	"runtime"
	"strings"

	"github.com/klauspost/compress/gzhttp"
	"github.com/klauspost/compress/gzhttp/writer"
	"github.com/klauspost/compress/gzhttp/writer/gzkp"
	"github.com/klauspost/compress/gzip"
)

// gzipLevel is the gzip level of dynamic responses. Level 1 (klauspost's fastest deflate)
// shrinks a GeoJSON page about 6× while costing a small part of the page's time; higher levels
// save a few more per cent of bytes for much more CPU (BenchmarkPageRace measures the cost).
const gzipLevel = 1

// compressMinSize: smaller bodies are sent as they are. Such a body, with its headers, takes
// about one TCP segment either way, and one feature by code (about 1.1 KiB) then skips the
// compressor: 9–13 % of its throughput with gzip at 1 KiB, 5 % at 1 400 bytes (BenchmarkPageRace).
const compressMinSize = 1400

// compress gzips a response when the client accepts gzip (klauspost/compress gzhttp): every API
// response (JSON, GeoJSON, problem documents, CSV), the pages and the assets that are not
// served precompressed (s.asset serves its build-time brotli and gzip files itself, with their
// Content-Encoding set, which gzhttp leaves alone). Streaming stays streaming: the gzip writer
// passes each compressed block on as it fills and honours Flush. Already-compressed content
// (images, archives, XLSX) is sent as it is; see compressible.
func compress() func(http.Handler) http.Handler {
	wrap, err := gzhttp.NewWrapper(
		gzhttp.Implementation(newGzipWriters(gzipLevel, gzipWritersKept()).factory()),
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

// gzipWriters keeps gzip writers of one level for reuse across responses, up to a bound. A
// level-1 writer holds about 820 KiB of state (its hash table and window); gzhttp's own pool is
// a sync.Pool, which the garbage collector empties, so under load most responses allocated a
// fresh writer, and those allocations brought on the collections that emptied the pool again.
// This free list survives collections; a writer returned when it is full is left to the
// collector, and one never returned (a response abandoned before Close) costs only its
// allocation.
type gzipWriters struct {
	level int
	free  chan *gzip.Writer
}

func newGzipWriters(level, n int) *gzipWriters {
	return &gzipWriters{level: level, free: make(chan *gzip.Writer, n)}
}

func (ws *gzipWriters) factory() writer.GzipWriterFactory {
	return writer.GzipWriterFactory{
		Levels: gzkp.Levels,
		// gzhttp asks for the one level it is configured with (compress: gzipLevel), the
		// level of this list's writers.
		New: func(w io.Writer, _ int) writer.GzipWriter {
			select {
			case z := <-ws.free:
				z.Reset(w)
				return &pooledGzip{Writer: z, free: ws.free}
			default:
				z, _ := gzip.NewWriterLevel(w, ws.level) // within Levels (gzhttp checks)
				return &pooledGzip{Writer: z, free: ws.free}
			}
		},
	}
}

// pooledGzip is the writer of one response; Close returns it to its free list.
type pooledGzip struct {
	*gzip.Writer
	free chan *gzip.Writer
}

func (p *pooledGzip) Close() error {
	err := p.Writer.Close()
	select {
	case p.free <- p.Writer:
	default: // the list is full: the writer is left to the collector
	}
	p.Writer = nil
	return err
}

// SetHeader sets the gzip header fields gzhttp passes on.
func (p *pooledGzip) SetHeader(h writer.Header) {
	p.Name, p.Extra, p.Comment, p.ModTime, p.OS = h.Name, h.Extra, h.Comment, h.ModTime, h.OS
}

// gzipWritersKept bounds the free list: enough for the responses compressing at once on a
// busy server (each writer is in use for its whole response, database time included), at
// about 820 KiB each.
func gzipWritersKept() int { return 4*runtime.GOMAXPROCS(0) + 8 }
