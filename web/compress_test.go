package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
)

// rawGet GETs url with the given Accept-Encoding and returns the response with its body as sent
// (not decompressed).
func rawGet(t *testing.T, url, acceptEncoding string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("bad gzip: %v", err)
	}
	return out
}

// timeStamp matches the parts of an answer that change between two requests: the time it was
// made.
var timeStamp = regexp.MustCompile(`"(time_stamp|generated_at|as_of)":"[^"]*"`)

// TestEveryGETRouteHonoursGzip walks the router web.NewServer builds and GETs every GET route on
// the demo (real codes, a tile with features, a real asset), without and with
// Accept-Encoding: gzip. Every answer says Vary: Accept-Encoding; every answer of 1 400 bytes
// (compressMinSize) or more of a compressible type comes gzipped when asked (and only then), and unzips to exactly the
// identity answer. Smaller answers go as they are (compressing them saves nothing).
func TestEveryGETRouteHonoursGzip(t *testing.T) {
	srv := demo(t)
	codeOf := map[string]string{}
	for _, l := range inventory.Layers() {
		var page fc
		getJSON(t, srv, "/api/v1/"+l.Name+"?limit=1", 200, &page)
		codeOf[l.Name] = page.Features[0].ID
	}
	_, index := rawGet(t, srv.URL+"/", "")
	asset := regexp.MustCompile(`/assets/app-[A-Za-z0-9]+\.js`).Find(index)
	gzipped := 0
	for _, rt := range routes(t, newServer(t, storeDeps(&postgis.DB{}))) {
		if rt.method != "GET" {
			continue
		}
		for _, kind := range kindsOf(rt.pattern) {
			path := strings.NewReplacer("{layer}", "plots", "{z}/{x}/{y}", "0/0/0", "{kind}", kind).Replace(rt.pattern)
			if strings.Contains(path, "{code}") {
				layer := strings.Split(strings.TrimPrefix(path, "/api/v1/"), "/")[0]
				path = strings.Replace(path, "{code}", codeOf[layer], 1)
			}
			if path == "/assets/*" {
				if asset == nil {
					t.Log("the page is not built: no asset to try")
					continue
				}
				path = string(asset)
			}
			plain, pb := rawGet(t, srv.URL+path, "")
			zipped, zb := rawGet(t, srv.URL+path, "gzip")
			ct := plain.Header.Get("Content-Type")
			if plain.StatusCode >= 500 || plain.StatusCode != zipped.StatusCode {
				t.Errorf("GET %s = %d, with gzip %d", path, plain.StatusCode, zipped.StatusCode)
				continue
			}
			if plain.Header.Get("Content-Encoding") != "" {
				t.Errorf("GET %s without Accept-Encoding: Content-Encoding %q", path, plain.Header.Get("Content-Encoding"))
			}
			if !strings.Contains(strings.Join(zipped.Header.Values("Vary"), ","), "Accept-Encoding") {
				t.Errorf("GET %s: no Vary: Accept-Encoding", path)
			}
			want := len(pb) >= 1400 && !strings.HasPrefix(ct, "image/png") && !strings.Contains(ct, "spreadsheetml")
			got := zipped.Header.Get("Content-Encoding") == "gzip"
			if want != got {
				t.Errorf("GET %s (%s, %d bytes) with Accept-Encoding: gzip: Content-Encoding %q", path, ct, len(pb), zipped.Header.Get("Content-Encoding"))
				continue
			}
			if !got {
				continue
			}
			gzipped++
			if u := gunzip(t, zb); !bytes.Equal(timeStamp.ReplaceAll(u, nil), timeStamp.ReplaceAll(pb, nil)) {
				t.Errorf("GET %s: gzipped answer unzips to %d bytes that differ from the %d plain ones", path, len(u), len(pb))
			}
			if len(zb) >= len(pb) {
				t.Errorf("GET %s: gzip %d bytes, plain %d", path, len(zb), len(pb))
			}
		}
	}
	if gzipped < 20 {
		t.Errorf("only %d routes answered gzipped", gzipped)
	}
}

// kindsOf returns the report kinds to try on the route pattern (one empty value otherwise).
func kindsOf(pattern string) []string {
	if strings.Contains(pattern, "{kind}") {
		return inventory.ReportKinds
	}
	return []string{""}
}

// TestListGzipStreams: a large list, gzipped, goes out chunked (the server never knew its
// length, so it did not hold it whole) and unzips to the same FeatureCollection.
func TestListGzipStreams(t *testing.T) {
	srv := demo(t)
	plain, pb := rawGet(t, srv.URL+"/api/v1/plots?limit=10000", "")
	zipped, zb := rawGet(t, srv.URL+"/api/v1/plots?limit=10000", "gzip, deflate, br")
	if zipped.Header.Get("Content-Encoding") != "gzip" || zipped.ContentLength != -1 || len(zipped.TransferEncoding) == 0 {
		t.Fatalf("gzipped list: Content-Encoding %q, Content-Length %d, Transfer-Encoding %v",
			zipped.Header.Get("Content-Encoding"), zipped.ContentLength, zipped.TransferEncoding)
	}
	if u := gunzip(t, zb); !bytes.Equal(timeStamp.ReplaceAll(u, nil), timeStamp.ReplaceAll(pb, nil)) {
		t.Errorf("gzipped list differs from the plain one (%d vs %d bytes)", len(u), len(pb))
	}
	t.Logf("list of every plot: %d bytes, %d gzipped (%.1f×); plain status %d", len(pb), len(zb), float64(len(pb))/float64(len(zb)), plain.StatusCode)
}
