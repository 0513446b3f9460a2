package web

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestCompressFlushes: behind compress, what a handler flushes reaches the client while the
// handler is still running (a streamed answer stays streamed when gzipped).
func TestCompressFlushes(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(compress()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/geo+json")
		_, _ = io.WriteString(w, `{"type":"FeatureCollection","features":[`+"\n")
		for range 200 { // past MinSize, so that compression starts
			_, _ = io.WriteString(w, `{"type":"Feature","properties":{}},`)
		}
		_, _ = io.WriteString(w, "FIRST\n")
		http.NewResponseController(w).Flush() //nolint:errcheck
		<-release
		_, _ = io.WriteString(w, "SECOND\n")
	})))
	defer srv.Close()
	defer close(release)
	req, _ := http.NewRequest("GET", srv.URL, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q", resp.Header.Get("Content-Encoding"))
	}
	got := make(chan string, 1)
	go func() {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			got <- err.Error()
			return
		}
		br := bufio.NewReader(zr)
		for {
			line, err := br.ReadString('\n')
			if err != nil || line == "FIRST\n" || len(line) > 6 && line[len(line)-6:] == "FIRST\n" {
				got <- line[max(0, len(line)-6):]
				return
			}
		}
	}()
	select {
	case s := <-got:
		if s != "FIRST\n" {
			t.Fatalf("read %q before the handler finished", s)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the flushed part did not reach the client while the handler ran")
	}
}

// TestGzipWritersReused: behind compress, a writer that finished a response serves the next
// one (it is taken from the free list, not allocated), the list keeps no more than its bound,
// and every response unzips to exactly what its handler wrote, whatever came before it.
func TestGzipWritersReused(t *testing.T) {
	ws := newGzipWriters(gzipLevel, 2)
	f := ws.factory()
	var sink bytes.Buffer
	w1 := f.New(&sink, gzipLevel).(*pooledGzip)
	z1 := w1.Writer
	_ = w1.Close()
	w2 := f.New(&sink, gzipLevel).(*pooledGzip)
	if w2.Writer != z1 {
		t.Fatal("a closed writer was not reused")
	}
	_ = w2.Close()
	for range 5 { // more than the bound: the extra writers are dropped
		_ = f.New(&sink, gzipLevel).Close()
	}
	var open []io.Closer
	for range 4 {
		open = append(open, f.New(&sink, gzipLevel))
	}
	for _, w := range open {
		_ = w.Close()
	}
	if n := len(ws.free); n != 2 {
		t.Fatalf("%d writers kept, want the bound 2", n)
	}

	srv := httptest.NewServer(compress()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, strings.Repeat(r.URL.Query().Get("s"), 2000))
	})))
	defer srv.Close()
	for i, s := range []string{"a", "bc", "def", "a", "xyz0"} {
		req, _ := http.NewRequest("GET", srv.URL+"?s="+s, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatalf("response %d: %v", i, err)
		}
		got, err := io.ReadAll(zr)
		resp.Body.Close()
		if err != nil || string(got) != strings.Repeat(s, 2000) {
			t.Fatalf("response %d: %d bytes, %v; want %q × 2000", i, len(got), err, s)
		}
	}
}
