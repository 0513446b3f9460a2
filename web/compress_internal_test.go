package web

import (
	"bufio"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
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
