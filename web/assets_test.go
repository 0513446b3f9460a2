package web_test

import (
	"bytes"
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
