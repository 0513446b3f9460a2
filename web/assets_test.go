package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"testing"
)

// TestHashedAssetsCachedForAYear: the pages (built by `make build`) name only hashed assets;
// each is served with Cache-Control immutable for a year, and precompressed to a client that
// accepts brotli or gzip (the gzip copy unzips to the asset). The pages themselves, and assets
// without a hash in their name, are revalidated every time (no-cache, ETag, 304).
func TestHashedAssetsCachedForAYear(t *testing.T) {
	if _, err := os.Stat("ui/dist/index.html"); err != nil {
		t.Skip("the page is not built (make build)")
	}
	srv := demo(t)
	const year = "public, max-age=31536000, immutable"
	seen := 0
	for _, page := range []string{"/", "/reports"} {
		resp, body := rawGet(t, srv.URL+page, "")
		tag := resp.Header.Get("ETag")
		if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-cache" || tag == "" {
			t.Fatalf("GET %s = %d, Cache-Control %q, ETag %q", page, resp.StatusCode, resp.Header.Get("Cache-Control"), tag)
		}
		req, _ := http.NewRequest("GET", srv.URL+page, nil)
		req.Header.Set("If-None-Match", tag)
		if r, err := http.DefaultClient.Do(req); err != nil || r.StatusCode != 304 {
			t.Errorf("GET %s If-None-Match its ETag: %v %v", page, r.StatusCode, err)
		} else {
			r.Body.Close()
		}
		if m := regexp.MustCompile(`"/assets/[^"]+"`).FindAll(body, -1); len(m) < 3 {
			t.Fatalf("%s names %d assets", page, len(m))
		}
		for _, m := range regexp.MustCompile(`"(/assets/[^"]+)"`).FindAllSubmatch(body, -1) {
			asset := string(m[1])
			if !regexp.MustCompile(`-[A-Z2-7]{8}\.(js|mjs|css|svg)$`).MatchString(asset) {
				t.Errorf("%s names %s, which has no content hash", page, asset)
				continue
			}
			plain, pb := rawGet(t, srv.URL+asset, "")
			if plain.StatusCode != 200 || plain.Header.Get("Cache-Control") != year || plain.Header.Get("Content-Encoding") != "" {
				t.Errorf("GET %s = %d, Cache-Control %q, Content-Encoding %q", asset, plain.StatusCode, plain.Header.Get("Cache-Control"), plain.Header.Get("Content-Encoding"))
			}
			gz, gb := rawGet(t, srv.URL+asset, "gzip, deflate")
			if gz.Header.Get("Content-Encoding") != "gzip" || gz.Header.Get("Cache-Control") != year || !bytes.Equal(gunzip(t, gb), pb) {
				t.Errorf("GET %s gzip: Content-Encoding %q, Cache-Control %q", asset, gz.Header.Get("Content-Encoding"), gz.Header.Get("Cache-Control"))
			}
			br, bb := rawGet(t, srv.URL+asset, "gzip, deflate, br")
			if br.Header.Get("Content-Encoding") != "br" || len(bb) >= len(pb) || gz.Header.Get("Content-Type") != plain.Header.Get("Content-Type") {
				t.Errorf("GET %s br: Content-Encoding %q, %d bytes of %d", asset, br.Header.Get("Content-Encoding"), len(bb), len(pb))
			}
			if no, _ := rawGet(t, srv.URL+asset, "br;q=0, gzip;q=0"); no.Header.Get("Content-Encoding") != "" {
				t.Errorf("GET %s refusing br and gzip: Content-Encoding %q", asset, no.Header.Get("Content-Encoding"))
			}
			seen++
		}
	}
	if r, _ := rawGet(t, srv.URL+"/assets/favicon.svg", ""); r.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("an unhashed asset: Cache-Control %q", r.Header.Get("Cache-Control"))
	}
	t.Logf("%d hashed assets", seen)
}

// TestEmbeddedFilesTakeRanges: the build's files are served by http.ServeContent: a byte range
// is a 206 with those bytes of the file (here a glyph range, which MapLibre may fetch in parts
// through a cache), an unsatisfiable one a 416, and HEAD carries the length without a body.
func TestEmbeddedFilesTakeRanges(t *testing.T) {
	want, err := os.ReadFile("ui/dist/glyphs/0-255.pbf")
	if err != nil {
		t.Skip("the glyphs are not built (make build)")
	}
	srv := demo(t)
	url := srv.URL + "/glyphs/any/0-255.pbf"
	do := func(method, rng string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, url, nil)
		req.Header.Set("Accept-Encoding", "identity")
		if rng != "" {
			req.Header.Set("Range", rng)
		}
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		return resp, b.Bytes()
	}
	if r, b := do("GET", "bytes=10-99"); r.StatusCode != 206 || !bytes.Equal(b, want[10:100]) || r.Header.Get("Content-Type") != "application/x-protobuf" {
		t.Errorf("bytes 10-99: %d, %d bytes, %q", r.StatusCode, len(b), r.Header.Get("Content-Type"))
	}
	if r, _ := do("GET", fmt.Sprintf("bytes=%d-", len(want)+10)); r.StatusCode != 416 {
		t.Errorf("a range past the end: %d, want 416", r.StatusCode)
	}
	if r, b := do("HEAD", ""); r.StatusCode != 200 || len(b) != 0 || r.ContentLength != int64(len(want)) {
		t.Errorf("HEAD: %d, body %d bytes, Content-Length %d (want %d)", r.StatusCode, len(b), r.ContentLength, len(want))
	}
	if r, b := do("GET", ""); r.StatusCode != 200 || !bytes.Equal(b, want) || r.Header.Get("ETag") == "" {
		t.Errorf("whole file: %d, %d bytes of %d, ETag %q", r.StatusCode, len(b), len(want), r.Header.Get("ETag"))
	}
}
