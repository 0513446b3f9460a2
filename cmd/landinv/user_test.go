package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

func TestParseExpiry(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in      string
		want    time.Time
		wantErr bool
	}{
		{"90d", now.AddDate(0, 0, 90), false},
		{"1d", now.Add(24 * time.Hour), false},
		{"12h", now.Add(12 * time.Hour), false},
		{"never", time.Time{}, false},
		{"2026-12-31T00:00:00+08:00", time.Date(2026, 12, 30, 16, 0, 0, 0, time.UTC), false},
		{"3650d", now.Add(3650 * 24 * time.Hour), false},
		{"3651d", time.Time{}, true},
		{"0d", time.Time{}, true},
		{"-5d", time.Time{}, true},
		{"+5d", time.Time{}, true},
		{"1.5d", time.Time{}, true},
		{"90", time.Time{}, true},
		{"d", time.Time{}, true},
		{"90m", time.Time{}, true},
		{"2026-12-31", time.Time{}, true},
		{"2040-01-01T00:00:00Z", time.Time{}, true},
		{"Never", time.Time{}, true},
		{"", time.Time{}, true},
	}
	for _, tt := range tests {
		got, err := parseExpiry(tt.in, now)
		if (err != nil) != tt.wantErr || !got.Equal(tt.want) {
			t.Errorf("parseExpiry(%q) = %v, %v; want %v (error: %v)", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err != nil && !strings.Contains(err.Error(), "--expires") {
			t.Errorf("parseExpiry(%q): error %q does not name --expires", tt.in, err)
		}
	}
}

// cli runs the landinv command line against url and returns its standard output.
func cli(t *testing.T, url string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{stdout: &out, stderr: &errOut, log: slog.New(slog.NewTextHandler(io.Discard, nil)), databaseURL: url}
	err := run(context.Background(), e, args)
	return out.String(), err
}

func TestTokenCommands(t *testing.T) {
	url := postgistest.URL(t, false)
	must := func(args ...string) string {
		t.Helper()
		out, err := cli(t, url, args...)
		if err != nil {
			t.Fatalf("landinv %s: %v", strings.Join(args, " "), err)
		}
		return out
	}
	must("user", "add", "alice", "--role", "planner")
	tok1 := strings.TrimSpace(must("token", "create", "alice"))
	tok2 := strings.TrimSpace(must("token", "create", "alice", "--expires", "never"))
	tok3 := strings.TrimSpace(must("token", "create", "alice", "--expires", "12h"))
	for _, bad := range [][]string{
		{"token", "create", "alice", "--expires", "soon"},
		{"token", "create", "alice", "--expires", "2020-01-01T00:00:00Z"},
		{"token", "create"},
		{"token", "create", "nobody"},
		{"token", "revoke", "alice", "--id", "999"},
		{"token", "list", "alice", "bob"},
		{"token", "frobnicate"},
	} {
		if _, err := cli(t, url, bad...); err == nil {
			t.Errorf("landinv %s succeeded", strings.Join(bad, " "))
		}
	}

	list := must("token", "list", "alice")
	lines := strings.Split(strings.TrimSpace(list), "\n")
	if len(lines) != 4 {
		t.Fatalf("token list: %d lines, want a header and 3 tokens:\n%s", len(lines), list)
	}
	for i, tok := range []string{tok1, tok2, tok3} {
		if strings.Contains(list, tok[8:]) {
			t.Fatalf("token list shows a token:\n%s", list)
		}
		if !strings.Contains(lines[i+1], tok[:8]) || !strings.HasSuffix(lines[i+1], "active") {
			t.Errorf("line %q should show prefix %s and state active", lines[i+1], tok[:8])
		}
	}
	wantExp := []string{time.Now().UTC().AddDate(0, 0, 90).Format("2006-01-02"), "never", time.Now().UTC().Add(12 * time.Hour).Format("2006-01-02")}
	for i, w := range wantExp {
		if !strings.Contains(lines[i+1], w) {
			t.Errorf("line %q should show expiry %s", lines[i+1], w)
		}
	}

	// Revoke the second by id, then the rest at once.
	id := strings.Fields(lines[2])[0]
	if out := must("token", "revoke", "alice", "--id", id); !strings.Contains(out, "revoked token "+id) {
		t.Errorf("revoke by id: %q", out)
	}
	list = must("token", "list")
	if got := strings.Count(list, "revoked"); got != 1 {
		t.Errorf("after revoking one, %d revoked:\n%s", got, list)
	}
	if out := must("token", "revoke", "alice"); !strings.Contains(out, "revoked 2 token(s)") {
		t.Errorf("revoke all: %q", out)
	}
	if got := strings.Count(must("token", "list"), "revoked"); got != 3 {
		t.Errorf("after revoking all, %d revoked", got)
	}
}

func TestUserPasswordCommands(t *testing.T) {
	url := postgistest.URL(t, false)
	run1 := func(stdin string, args ...string) (string, error) {
		t.Helper()
		var out, errOut bytes.Buffer
		e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut, log: slog.New(slog.NewTextHandler(io.Discard, nil)), databaseURL: url}
		err := run(context.Background(), e, args)
		return out.String(), err
	}
	if _, err := run1("领导密码 one\n", "user", "add", "lead", "--role", "leader", "--password"); err != nil {
		t.Fatal(err)
	}
	if _, err := run1("short\n", "user", "add", "shorty", "--role", "planner", "--password"); err == nil || !strings.Contains(err.Error(), "at least") {
		t.Errorf("a short password: %v", err)
	}
	if out, _ := run1("", "user", "list"); strings.Contains(out, "shorty") {
		t.Error("a refused password still added the user")
	}
	if _, err := run1("", "user", "add", "svc", "--role", "planner"); err != nil { // tokens only
		t.Fatal(err)
	}
	db := openDB(t, url)
	ctx := context.Background()
	s, err := db.SignIn(ctx, "lead", "领导密码 one", "cli-test")
	if err != nil || s.Viewer.Role != "leader" {
		t.Fatalf("sign in with the password given to user add: %+v %v", s, err)
	}
	if _, err := db.SignIn(ctx, "svc", "", "cli-test"); err == nil {
		t.Error("a user added without --password signs in")
	}
	if _, err := run1("second password\r\n", "user", "passwd", "lead"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SignIn(ctx, "lead", "领导密码 one", "cli-test"); err == nil {
		t.Error("the old password still works after user passwd")
	}
	if _, err := db.SignIn(ctx, "lead", "second password", "cli-test"); err != nil {
		t.Errorf("the new password (CRLF line end trimmed): %v", err)
	}
	if _, err := run1("whatever pw\n", "user", "passwd", "nobody"); err == nil {
		t.Error("user passwd of an unknown user succeeded")
	}
	if _, err := run1("x", "user", "passwd"); err == nil {
		t.Error("user passwd without a name succeeded")
	}
}

func openDB(t *testing.T, url string) *postgis.DB {
	t.Helper()
	db, err := postgis.Open(context.Background(), url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db
}
