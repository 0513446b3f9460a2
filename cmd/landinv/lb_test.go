package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// startNginx runs nginx (Debian's; `make nginx` installs it) as a round-robin load balancer in
// front of backends, on a free port, with its configuration in a temporary folder; the test's
// end stops it. It returns the balancer's URL.
func startNginx(t *testing.T, backends ...*proc) string {
	t.Helper()
	bin, err := exec.LookPath("nginx")
	if err != nil {
		if _, serr := os.Stat("/usr/sbin/nginx"); serr != nil {
			t.Skipf("no nginx (%v): `make nginx` installs Debian's", err)
		}
		bin = "/usr/sbin/nginx"
	}
	dir := t.TempDir()
	addr := freeAddr(t)
	var servers strings.Builder
	for _, b := range backends {
		fmt.Fprintf(&servers, "    server %s;\n", strings.TrimPrefix(b.url, "http://"))
	}
	userLine := ""
	if os.Geteuid() == 0 {
		userLine = "user root;" // the workers write the temporary folders below, in a root-only folder
	}
	conf := fmt.Sprintf(`%[1]s
worker_processes 1;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log warn;
events { worker_connections 256; }
http {
  access_log %[2]s/access.log;
  client_body_temp_path %[2]s/body;
  proxy_temp_path %[2]s/proxy;
  fastcgi_temp_path %[2]s/fastcgi;
  uwsgi_temp_path %[2]s/uwsgi;
  scgi_temp_path %[2]s/scgi;
  client_max_body_size 64m;
  upstream landinv {
%[3]s    keepalive 8;
  }
  server {
    listen %[4]s;
    location / {
      proxy_pass http://landinv;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`, userLine, dir, servers.String(), addr)
	confPath := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-p", dir, "-e", filepath.Join(dir, "error.log"), "-c", confPath, "-g", "daemon off;")
	var out lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start nginx: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGQUIT) //nolint:errcheck // graceful shutdown
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill() //nolint:errcheck
			<-exited
		}
	})
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		select {
		case err := <-exited:
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Fatalf("nginx exited: %v\n%s%s", err, out.String(), log)
		default:
		}
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return "http://" + addr
		} else if time.Now().After(deadline) {
			t.Fatalf("nginx does not listen on %s: %v", addr, err)
		}
	}
}

// plotName reads a plot's name and ETag through base.
func plotName(t *testing.T, c *client, base, code string) (name, etag string) {
	t.Helper()
	a := c.must(200, "GET", base, "/api/v1/plots/"+code+"?zone="+handZone, "")
	var f struct {
		Properties map[string]any `json:"properties"`
	}
	if err := json.Unmarshal(a.body, &f); err != nil {
		t.Fatalf("decode %s: %v", a.body, err)
	}
	n, _ := f.Properties["name"].(string)
	return n, a.header.Get("ETag")
}

// TestTwoProcessesBehindNginx runs two `landinv serve` processes on one database behind nginx
// (round robin) and alternates edits between them. Whichever process a request reaches:
// a stale ETag is refused with 412 and changes nothing, a read right after a write shows the
// write, and neither a list nor a tile that one process has answered (and cached) is answered
// stale after a write through the other.
func TestTwoProcessesBehindNginx(t *testing.T) {
	direct := postgistest.URL(t, true)
	seedHandZone(t, direct)
	token := plannerToken(t, direct, "pat")
	bin := buildLandinv(t)
	a := startServe(t, bin, "A", "DATABASE_URL="+direct)
	b := startServe(t, bin, "B", "DATABASE_URL="+direct)
	lb := startNginx(t, a, b)
	c := newClient(t, token)
	procs := []*proc{a, b}

	// Edits alternate between the processes, addressed directly.
	for i := 0; i < 6; i++ {
		w, o := procs[i%2], procs[(i+1)%2]
		_, before := plotName(t, c, w.url, "P1")
		name := fmt.Sprintf("edit %d through %s", i, w.name)
		r := c.must(200, "PATCH", w.url, "/api/v1/plots/P1?zone="+handZone, `{"type":"Feature","properties":{"name":"`+name+`"}}`, "If-Match", before)
		after := r.header.Get("ETag")
		if after == "" || after == before {
			t.Fatalf("edit %d: ETag %q after %q", i, after, before)
		}
		// A read right after the write shows it, through the other process, this one and the
		// balancer.
		for _, base := range []string{o.url, w.url, lb, lb} {
			if got, tag := plotName(t, c, base, "P1"); got != name || tag != after {
				t.Errorf("edit %d: %s reads %q %s, want %q %s", i, base, got, tag, name, after)
			}
		}
		// The ETag read before the write is stale for both.
		for _, p := range []*proc{o, w} {
			r := c.do("PATCH", p.url, "/api/v1/plots/P1?zone="+handZone, `{"type":"Feature","properties":{"name":"stale"}}`, "If-Match", before)
			if r.status != http.StatusPreconditionFailed {
				t.Errorf("edit %d: a stale If-Match at %s: %d, want 412: %s", i, p.name, r.status, r.body)
			}
		}
		if got, _ := plotName(t, c, lb, "P1"); got != name {
			t.Errorf("edit %d: after the refused edits the name is %q, want %q", i, got, name)
		}
	}

	// Through the balancer only. Round robin sends consecutive requests to alternate
	// processes; each round below makes seven (read, edit, read, stale edit, read, read, stale
	// edit), so that the edit lands on the other process in the next round, and the reads and
	// stale edits that follow it reach both.
	for i := 0; i < 6; i++ {
		_, before := plotName(t, c, lb, "P2")
		name := fmt.Sprintf("balanced edit %d", i)
		after := c.must(200, "PATCH", lb, "/api/v1/plots/P2?zone="+handZone, `{"type":"Feature","properties":{"name":"`+name+`"}}`, "If-Match", before).header.Get("ETag")
		read := func() {
			t.Helper()
			if got, tag := plotName(t, c, lb, "P2"); got != name || tag != after {
				t.Errorf("balanced edit %d: a read shows %q %s, want %q %s", i, got, tag, name, after)
			}
		}
		stale := func() {
			t.Helper()
			if r := c.do("PATCH", lb, "/api/v1/plots/P2?zone="+handZone, `{"type":"Feature","properties":{"name":"stale"}}`, "If-Match", before); r.status != 412 {
				t.Errorf("balanced edit %d: a stale If-Match: %d, want 412", i, r.status)
			}
		}
		read()
		stale()
		read()
		read()
		stale()
	}
	for _, p := range procs {
		if n := p.served("PATCH", "/api/v1/plots/P2", 200); n == 0 {
			t.Errorf("process %s made none of the balanced edits: the balancer did not alternate", p.name)
		}
		if n := p.served("PATCH", "/api/v1/plots/P2", 412); n == 0 {
			t.Errorf("process %s refused none of the stale balanced edits", p.name)
		}
	}

	// Caches: warm a list and a tile on one process, write through the other, read on the
	// first again, with and without the old ETag.
	z := 14
	x, y := tileOf(z, 112.5125, 37.0125) // holds P1
	tilePath := fmt.Sprintf("/tiles/plots/%d/%d/%d.mvt?zone=%s", z, x, y, handZone)
	listPath := "/api/v1/plots?zone=" + handZone + "&limit=10"
	for i := 0; i < 4; i++ {
		warm, write := procs[i%2], procs[(i+1)%2]
		list := c.must(200, "GET", warm.url, listPath, "")
		tile := c.must(200, "GET", warm.url, tilePath, "")
		if again := c.must(200, "GET", warm.url, tilePath, ""); !bytes.Equal(again.body, tile.body) || len(tile.body) == 0 {
			t.Fatalf("the tile is empty or not the same twice")
		}
		c.must(304, "GET", warm.url, listPath, "", "If-None-Match", list.header.Get("ETag"))
		c.must(304, "GET", warm.url, tilePath, "", "If-None-Match", tile.header.Get("ETag"))
		oldName, etag := plotName(t, c, write.url, "P1")
		if !bytes.Contains(tile.body, []byte(oldName)) || !bytes.Contains(list.body, []byte(oldName)) {
			t.Fatalf("round %d: the warm tile or list lacks P1's name %q", i, oldName)
		}
		name := fmt.Sprintf("cache round %d written through %s", i, write.name)
		c.must(200, "PATCH", write.url, "/api/v1/plots/P1?zone="+handZone, `{"type":"Feature","properties":{"name":"`+name+`"}}`, "If-Match", etag)

		for _, hdr := range [][]string{nil, {"If-None-Match", list.header.Get("ETag")}} {
			l := c.must(200, "GET", warm.url, listPath, "", hdr...)
			if !bytes.Contains(l.body, []byte(name)) || bytes.Contains(l.body, []byte(oldName)) || l.header.Get("ETag") == list.header.Get("ETag") {
				t.Errorf("round %d: the list on %s after a write through %s is stale (ETag %s, was %s)", i, warm.name, write.name, l.header.Get("ETag"), list.header.Get("ETag"))
			}
		}
		for _, hdr := range [][]string{nil, {"If-None-Match", tile.header.Get("ETag")}} {
			tl := c.must(200, "GET", warm.url, tilePath, "", hdr...)
			if !bytes.Contains(tl.body, []byte(name)) || bytes.Contains(tl.body, []byte(oldName)) || tl.header.Get("ETag") == tile.header.Get("ETag") {
				t.Errorf("round %d: the tile on %s after a write through %s is stale (ETag %s, was %s)", i, warm.name, write.name, tl.header.Get("ETag"), tile.header.Get("ETag"))
			}
		}
	}
}

// TestRateLimitsPerClientBehindNginx runs `landinv serve --client-ip-header X-Forwarded-For
// --rate 3` behind nginx (which appends the client's address to X-Forwarded-For) and reaches
// nginx from two loopback addresses, two clients: each gets its own three requests a minute,
// though every request comes to landinv from nginx's address. Without the setting they would
// share one limit (web's TestClientAddressBehindAProxy checks that side).
func TestRateLimitsPerClientBehindNginx(t *testing.T) {
	direct := postgistest.URL(t, true)
	bin := buildLandinv(t)
	p := startServeArgs(t, bin, "A", []string{"--client-ip-header", "X-Forwarded-For", "--rate", "3"}, "DATABASE_URL="+direct)
	lb := startNginx(t, p)
	from := func(ip string) *http.Client {
		d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
		return &http.Client{Transport: &http.Transport{DialContext: d.DialContext}}
	}
	status := func(c *http.Client) int {
		t.Helper()
		resp, err := c.Get(lb + "/api/v1/zone")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	a, b := from("127.0.0.2"), from("127.0.0.3")
	for i, want := range []int{200, 200, 200, 429} {
		if got := status(a); got != want {
			t.Fatalf("client 127.0.0.2, request %d: %d, want %d", i+1, got, want)
		}
	}
	for i := range 3 {
		if got := status(b); got != 200 {
			t.Errorf("client 127.0.0.3, request %d: %d, want 200 (a limit of its own)", i+1, got)
		}
	}
	if got := status(a); got != 429 {
		t.Errorf("client 127.0.0.2 after the other's requests: %d, want 429", got)
	}
}
