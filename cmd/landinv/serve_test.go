package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServeListeners runs `landinv serve` as main runs it: pprof and /metrics answer on the
// debug listener only, and the log is JSON lines.
func TestServeListeners(t *testing.T) {
	addr, debugAddr := freeAddr(t), freeAddr(t)
	stderr := &lockedBuffer{}
	log, _ := newLogger(io.Discard, "text")
	e := &env{stdout: io.Discard, stderr: stderr, log: log, databaseURL: postgistest.URL(t, false)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, e, []string{"--addr", addr, "--debug-addr", debugAddr}) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()

	get := func(u string) int {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			resp, err := http.Get(u)
			if err != nil {
				if time.Now().After(deadline) {
					t.Fatalf("GET %s: %v", u, err)
				}
				continue
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return resp.StatusCode
		}
	}
	for _, tc := range []struct {
		url  string
		want int
	}{
		{"http://" + addr + "/healthz", 200},
		{"http://" + addr + "/debug/pprof/", 404},
		{"http://" + addr + "/metrics", 404},
		{"http://" + debugAddr + "/debug/pprof/", 200},
		{"http://" + debugAddr + "/metrics", 200},
	} {
		if got := get(tc.url); got != tc.want {
			t.Errorf("GET %s = %d, want %d", tc.url, got, tc.want)
		}
	}
	// The access log line of /healthz is JSON (the default for serve).
	var found bool
	for deadline := time.Now().Add(5 * time.Second); !found && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		for _, line := range strings.Split(stderr.String(), "\n") {
			var m map[string]any
			if json.Unmarshal([]byte(line), &m) == nil && m["msg"] == "request" && m["route"] == "/healthz" {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("no JSON access-log line for /healthz in:\n%s", stderr.String())
	}
}

func TestNewLogger(t *testing.T) {
	for _, tc := range []struct {
		format  string
		json    bool
		wantErr bool
	}{{"json", true, false}, {"text", false, false}, {"xml", false, true}, {"", false, true}} {
		var b bytes.Buffer
		l, err := newLogger(&b, tc.format)
		if (err != nil) != tc.wantErr {
			t.Errorf("%q: err %v", tc.format, err)
			continue
		}
		if err != nil {
			continue
		}
		l.Info("hello", "n", 1)
		var m map[string]any
		if isJSON := json.Unmarshal(b.Bytes(), &m) == nil; isJSON != tc.json {
			t.Errorf("%q wrote %q", tc.format, b.String())
		}
	}
}
