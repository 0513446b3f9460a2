package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/landinv/landinv/inventory/importer"
)

// countingReader counts the bytes read from it: zeros, up to n.
type countingReader struct {
	n, read int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.read >= c.n {
		return 0, io.EOF
	}
	k := min(int64(len(p)), c.n-c.read)
	clear(p[:k])
	c.read += k
	return int(k), nil
}

const oneFeature = `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"code":"A"}}]}`

// spyLoader counts its calls and lists the temporary directory while it runs.
type spyLoader struct {
	calls   atomic.Int32
	tmpSeen []string
	enter   chan struct{} // when set, told on entry
	release chan struct{} // when set, waited for
	err     error
}

func (s *spyLoader) Import(ctx context.Context, src *importer.Source, opt importer.Options) (*importer.Report, error) {
	s.calls.Add(1)
	ents, _ := os.ReadDir(os.TempDir())
	s.tmpSeen = nil
	for _, e := range ents {
		s.tmpSeen = append(s.tmpSeen, e.Name())
	}
	if s.enter != nil {
		s.enter <- struct{}{}
	}
	if s.release != nil {
		<-s.release
	}
	if s.err != nil {
		return nil, s.err
	}
	return &importer.Report{Layer: opt.Layer.Name, Format: src.Format, Total: src.Len(), Rejected: []importer.Rejection{}}, nil
}

func post(t *testing.T, h http.Handler, body io.Reader, length int64) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest("POST", "/api/v1/import?layer=plots", body)
	r.ContentLength = length
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func field(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	var p struct {
		Field string `json:"field"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatalf("%d %s: %v", w.Code, w.Body, err)
	}
	return p.Field
}

// tmpEmpty points TMPDIR at an empty directory and returns a check that it is empty again.
func tmpEmpty(t *testing.T) func() {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	return func() {
		t.Helper()
		if ents, _ := os.ReadDir(dir); len(ents) != 0 {
			t.Errorf("temporary files left behind: %v", ents)
		}
	}
}

// TestImportBodyLimit: a body declared larger than MaxImportBytes is refused with 413 naming
// body before any of it is read; a chunked body (no Content-Length) is cut at the limit, also
// 413. The loader never runs and no temporary file is left.
func TestImportBodyLimit(t *testing.T) {
	empty := tmpEmpty(t)
	spy := &spyLoader{}
	h := importFile(spy, make(chan struct{}, 1), NewMetrics(MetricsSources{}))

	big := &countingReader{n: MaxImportBytes + 1}
	w := post(t, h, big, big.n)
	if w.Code != http.StatusRequestEntityTooLarge || field(t, w) != "body" {
		t.Errorf("declared too large: %d %s", w.Code, w.Body)
	}
	if big.read > 4096 {
		t.Errorf("declared too large: the handler read %d bytes of the body", big.read)
	}

	chunked := &countingReader{n: MaxImportBytes + 1}
	w = post(t, h, chunked, -1)
	if w.Code != http.StatusRequestEntityTooLarge || field(t, w) != "body" {
		t.Errorf("chunked too large: %d %s", w.Code, w.Body)
	}
	if chunked.read > MaxImportBytes+1 {
		t.Errorf("chunked: read %d bytes", chunked.read)
	}
	if n := spy.calls.Load(); n != 0 {
		t.Errorf("the loader ran %d times", n)
	}
	empty()

	// At the limit is not over it: the body is read (and is not GeoJSON).
	w = post(t, h, strings.NewReader(strings.Repeat(" ", 1000)), 1000)
	if w.Code != http.StatusUnprocessableEntity || field(t, w) != "file" {
		t.Errorf("small body: %d %s", w.Code, w.Body)
	}
	empty()
}

// TestImportConcurrencyLimit: with one slot, a second import while the first runs is answered
// 503 with Retry-After, without its body being read; once the first is done, the next runs.
func TestImportConcurrencyLimit(t *testing.T) {
	empty := tmpEmpty(t)
	spy := &spyLoader{enter: make(chan struct{}), release: make(chan struct{})}
	h := importFile(spy, make(chan struct{}, 1), NewMetrics(MetricsSources{}))
	first := make(chan *httptest.ResponseRecorder)
	go func() { first <- post(t, h, strings.NewReader(oneFeature), int64(len(oneFeature))) }()
	<-spy.enter // the first import is in the loader

	body := &countingReader{n: 1000}
	w := post(t, h, body, body.n)
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" || body.read != 0 {
		t.Errorf("second import while one runs: %d, Retry-After %q, %d bytes read: %s", w.Code, w.Header().Get("Retry-After"), body.read, w.Body)
	}
	spy.release <- struct{}{}
	if w := <-first; w.Code != http.StatusOK {
		t.Fatalf("first import: %d %s", w.Code, w.Body)
	}
	if len(spy.tmpSeen) != 1 || !strings.HasPrefix(spy.tmpSeen[0], "landinv-import-") {
		t.Errorf("while loading, the temporary directory held %v, want the spooled body", spy.tmpSeen)
	}
	spy.enter, spy.release = nil, nil
	if w := post(t, h, strings.NewReader(oneFeature), int64(len(oneFeature))); w.Code != http.StatusOK {
		t.Errorf("import after the first: %d %s", w.Code, w.Body)
	}
	empty()
}

// TestImportRemovesTemporaryFile: the spooled body is removed after a good import, a refused
// file and a failing loader alike.
func TestImportRemovesTemporaryFile(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		err        error
		status     int
	}{
		{"good", oneFeature, nil, 200},
		{"broken mid-stream", oneFeature[:len(oneFeature)-20], nil, 422},
		{"loader fails", oneFeature, errors.New("database gone"), 500},
	} {
		t.Run(tc.name, func(t *testing.T) {
			empty := tmpEmpty(t)
			spy := &spyLoader{err: tc.err}
			w := post(t, importFile(spy, make(chan struct{}, 1), NewMetrics(MetricsSources{})), strings.NewReader(tc.body), int64(len(tc.body)))
			if w.Code != tc.status {
				t.Errorf("%d, want %d: %s", w.Code, tc.status, w.Body)
			}
			empty()
		})
	}
}
