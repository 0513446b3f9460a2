package main

// What the scale-out tests share (lb_test.go, pgbouncer_test.go): the landinv binary run as
// real processes, a hand-made zone to write in, and an HTTP client that signs in.

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// buildLandinv builds the landinv binary (go build) into a temporary folder.
func buildLandinv(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "landinv")
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	if out, err := exec.Command(goBin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v: %s", err, out)
	}
	return bin
}

// proc is one `landinv serve` process.
type proc struct {
	name string
	url  string // http://127.0.0.1:PORT
	log  *lockedBuffer
	pid  int
}

// startServe runs `landinv serve` on a free port with env added to the test's environment, and
// waits until /readyz answers 200. The test's end stops it with SIGTERM, as a supervisor would.
func startServe(t testing.TB, bin, name string, env ...string) *proc {
	t.Helper()
	return startServeArgs(t, bin, name, nil, env...)
}

// startServeArgs is startServe with more arguments for `serve`.
func startServeArgs(t testing.TB, bin, name string, args []string, env ...string) *proc {
	t.Helper()
	addr := freeAddr(t)
	p := &proc{name: name, url: "http://" + addr, log: &lockedBuffer{}}
	cmd := exec.Command(bin, append([]string{"serve", "--addr", addr, "--debug-addr", "", "--log-format", "json"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = p.log, p.log
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	p.pid = cmd.Process.Pid
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM) //nolint:errcheck
		select {
		case <-exited:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill() //nolint:errcheck
			<-exited
		}
	})
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		select {
		case err := <-exited:
			t.Fatalf("%s exited: %v\n%s", name, err, p.log)
		default:
		}
		resp, err := http.Get(p.url + "/readyz")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not ready: %v\n%s", name, err, p.log)
		}
	}
}

// mib reads a memory figure of p's /proc/PID/status (VmRSS, VmHWM: the peak), in MiB. Linux only.
func (p *proc) mib(t testing.TB, key string) float64 {
	t.Helper()
	st, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(st), "\n") {
		if rest, ok := strings.CutPrefix(line, key+":"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	t.Fatalf("no %s in /proc/%d/status", key, p.pid)
	return 0
}

// resetPeak starts p's peak resident memory (VmHWM) afresh at its current one.
func (p *proc) resetPeak(t testing.TB) {
	t.Helper()
	if err := os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", p.pid), []byte("5"), 0); err != nil {
		t.Fatalf("reset the peak RSS: %v", err)
	}
}

// served counts the access-log lines of p for method and a path starting with prefix and with
// status.
func (p *proc) served(method, prefix string, status int) int {
	n := 0
	for _, line := range strings.Split(p.log.String(), "\n") {
		if strings.Contains(line, `"msg":"request"`) && strings.Contains(line, `"method":"`+method+`"`) &&
			strings.Contains(line, `"path":"`+prefix) && strings.Contains(line, fmt.Sprintf(`"status":%d`, status)) {
			n++
		}
	}
	return n
}

// handZone is a hand-made zone beside the demo zone, 112.50–112.60 E, 37.00–37.10 N
// (districts W and E split at 112.55), with plots P1–P4 of 0.005° in its south-west corner.
const handZone = "hand"

func seedHandZone(t *testing.T, directURL string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, directURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	stmts := []string{
		`insert into zones (code, name, geom) values ('hand', 'Hand-made zone', ST_Multi(ST_MakeEnvelope(112.50, 37.00, 112.60, 37.10, 4326)))`,
		`insert into layout (zone_id, code, kind, name, geom) values
			((select id from zones where code = 'hand'), 'W', 'district', 'West', ST_MakeEnvelope(112.50, 37.00, 112.55, 37.10, 4326)),
			((select id from zones where code = 'hand'), 'E', 'district', 'East', ST_MakeEnvelope(112.55, 37.00, 112.60, 37.10, 4326))`,
	}
	for i := 0; i < 4; i++ {
		x := 112.510 + 0.006*float64(i)
		stmts = append(stmts, fmt.Sprintf(`insert into plots (zone_id, code, land_use, status, name, geom) values
			((select id from zones where code = 'hand'), 'P%d', '100101', 'ready', 'plot %d',
			 ST_Multi(ST_MakeEnvelope(%v, 37.010, %v, 37.015, 4326)))`, i+1, i+1, x, x+0.005))
	}
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// plannerToken adds a planner and returns a token of theirs (the command line, directly).
func plannerToken(t *testing.T, directURL, name string) string {
	t.Helper()
	if _, err := cli(t, directURL, "user", "add", name, "--role", "planner"); err != nil {
		t.Fatal(err)
	}
	out, err := cli(t, directURL, "token", "create", name)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// tileOf returns the z/x/y of the Web Mercator tile holding lon, lat.
func tileOf(z int, lon, lat float64) (int, int) {
	n := math.Exp2(float64(z))
	x := int((lon + 180) / 360 * n)
	r := lat * math.Pi / 180
	y := int((1 - math.Log(math.Tan(r)+1/math.Cos(r))/math.Pi) / 2 * n)
	return x, y
}

// answer is an HTTP answer, read to the end.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// client sends requests with a planner's token.
type client struct {
	t     *testing.T
	token string
	http  *http.Client
}

func newClient(t *testing.T, token string) *client {
	return &client{t: t, token: token, http: &http.Client{Timeout: 60 * time.Second}}
}

// do sends method base+path with the headers given as name, value pairs.
func (c *client) do(method, base, path, body string, headers ...string) answer {
	c.t.Helper()
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != "" {
		req.Header.Set("Content-Type", "application/geo+json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s%s: %v", method, base, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("%s %s%s: read: %v", method, base, path, err)
	}
	return answer{resp.StatusCode, resp.Header, b}
}

// must is do that fails the test unless the status is want.
func (c *client) must(want int, method, base, path, body string, headers ...string) answer {
	c.t.Helper()
	a := c.do(method, base, path, body, headers...)
	if a.status != want {
		c.t.Fatalf("%s %s%s: %d, want %d: %s", method, base, path, a.status, want, a.body)
	}
	return a
}

func box(x0, y0, x1, y1 float64) string {
	return fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%v,%v],[%v,%v],[%v,%v],[%v,%v],[%v,%v]]]}`, x0, y0, x1, y0, x1, y1, x0, y1, x0, y0)
}

func feature(geom, props string) string {
	return fmt.Sprintf(`{"type":"Feature","geometry":%s,"properties":%s}`, geom, props)
}
