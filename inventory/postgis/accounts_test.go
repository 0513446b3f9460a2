package postgis_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/password"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

var _ scs.CtxStore = (*postgis.SessionStore)(nil)

func TestPasswordSignIn(t *testing.T) {
	ctx := context.Background()
	db := postgistest.New(t)
	if _, err := db.AddUser(ctx, "lead", inventory.RoleLeader); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddUser(ctx, "svc", inventory.RolePlanner); err != nil { // tokens only
		t.Fatal(err)
	}
	if err := db.SetPassword(ctx, "lead", "short"); inventory.ErrorKind(err) != inventory.EInvalid {
		t.Errorf("a 5-character password: %v, want EInvalid", err)
	}
	if err := db.SetPassword(ctx, "nobody", "long enough"); inventory.ErrorKind(err) != inventory.ENotFound {
		t.Errorf("password of an unknown user: %v, want ENotFound", err)
	}
	if err := db.SetPassword(ctx, "lead", "领导的密码 2026"); err != nil {
		t.Fatal(err)
	}
	var stored string
	if err := db.Pool.QueryRow(ctx, "select password_hash from users where name = 'lead'").Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stored, "领导") || !strings.HasPrefix(stored, "$argon2id$") {
		t.Fatalf("stored %q: not an argon2id hash", stored)
	}

	tests := []struct {
		name, pw string
		kind     string
	}{
		{"lead", "领导的密码 2026", ""},
		{"lead", "领导的密码 2027", inventory.EUnauthorized},
		{"Lead", "领导的密码 2026", inventory.EUnauthorized}, // names are exact
		{"nobody", "领导的密码 2026", inventory.EUnauthorized},
		{"svc", "", inventory.EUnauthorized}, // no password: tokens only
		{"", "", inventory.EUnauthorized},
	}
	for i, tt := range tests {
		got, err := db.SignIn(ctx, tt.name, tt.pw, "10.0.0."+string(rune('1'+i)))
		if inventory.ErrorKind(err) != tt.kind && !(tt.kind == "" && err == nil) {
			t.Errorf("SignIn(%q, %q) = %v, want kind %q", tt.name, tt.pw, err, tt.kind)
			continue
		}
		if err != nil {
			// Which of name or password was wrong is not told.
			if err.Error() != "password: the name or the password is wrong" {
				t.Errorf("SignIn(%q): %q tells too much or too little", tt.name, err)
			}
			continue
		}
		if got.Viewer != (inventory.Viewer{Name: "lead", Role: inventory.RoleLeader}) || !got.Viewer.SeesConfidential() || got.Viewer.CanEdit() {
			t.Errorf("SignIn(lead) = %+v: want a leader who sees confidential figures and cannot edit", got.Viewer)
		}
		v, err := db.SessionViewer(ctx, "lead", got.PasswordSetAt)
		if err != nil || v.Name != "lead" {
			t.Errorf("SessionViewer after sign-in: %v, %v", v, err)
		}
	}

	// A session ends with a new password, a disabled user; a new role applies at once.
	first, err := db.SignIn(ctx, "lead", "领导的密码 2026", "10.0.1.1")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetRole(ctx, "lead", inventory.RolePlanner); err != nil {
		t.Fatal(err)
	}
	if v, _ := db.SessionViewer(ctx, "lead", first.PasswordSetAt); v.Role != inventory.RolePlanner {
		t.Errorf("after a role change the session's viewer is %+v", v)
	}
	if err := db.SetPassword(ctx, "lead", "a new password"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SessionViewer(ctx, "lead", first.PasswordSetAt); inventory.ErrorKind(err) != inventory.EUnauthorized {
		t.Errorf("session made with the old password: %v, want EUnauthorized", err)
	}
	if _, err := db.SignIn(ctx, "lead", "领导的密码 2026", "10.0.1.1"); inventory.ErrorKind(err) != inventory.EUnauthorized {
		t.Errorf("old password after a change: %v", err)
	}
	second, err := db.SignIn(ctx, "lead", "a new password", "10.0.1.1")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.DisableUser(ctx, "lead"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SessionViewer(ctx, "lead", second.PasswordSetAt); inventory.ErrorKind(err) != inventory.EUnauthorized {
		t.Errorf("session of a disabled user: %v, want EUnauthorized", err)
	}
	if _, err := db.SignIn(ctx, "lead", "a new password", "10.0.1.1"); inventory.ErrorKind(err) != inventory.EUnauthorized {
		t.Errorf("sign-in of a disabled user: %v, want EUnauthorized", err)
	}
}

// TestRehashOnSignIn: a hash made with other parameters is replaced at the next successful
// sign-in, with the same password and without ending sessions.
func TestRehashOnSignIn(t *testing.T) {
	ctx := context.Background()
	db := postgistest.New(t)
	if _, err := db.AddUser(ctx, "wang", inventory.RolePlanner); err != nil {
		t.Fatal(err)
	}
	old, err := password.Hash("old parameters", password.Params{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	if err != nil {
		t.Fatal(err)
	}
	exec(t, db, "update users set password_hash = $1, password_set_at = now() - interval '1 day' where name = 'wang'", old)
	var before time.Time
	if err := db.Pool.QueryRow(ctx, "select password_set_at from users where name = 'wang'").Scan(&before); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SignIn(ctx, "wang", "wrong password", "c"); inventory.ErrorKind(err) != inventory.EUnauthorized {
		t.Fatal(err)
	}
	var after string
	if err := db.Pool.QueryRow(ctx, "select password_hash from users where name = 'wang'").Scan(&after); err != nil {
		t.Fatal(err)
	}
	if after != old {
		t.Fatal("a failed sign-in changed the hash")
	}
	s, err := db.SignIn(ctx, "wang", "old parameters", "c")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Pool.QueryRow(ctx, "select password_hash from users where name = 'wang'").Scan(&after); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(after, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("after sign-in the hash is %q, want the default parameters", after)
	}
	if ok, rehash, err := password.Verify(after, "old parameters", password.Default); !ok || rehash || err != nil {
		t.Errorf("the new hash does not verify the same password: %v %v %v", ok, rehash, err)
	}
	if !s.PasswordSetAt.Equal(before) {
		t.Errorf("rehashing moved password_set_at from %v to %v (ending sessions)", before, s.PasswordSetAt)
	}
}

// TestSignInLimits: failures are counted per name and per client, in the database: a second
// process (another pool on the same database) sees the first one's count.
func TestSignInLimits(t *testing.T) {
	ctx := context.Background()
	url := postgistest.URL(t, false)
	open := func() *postgis.DB {
		db, err := postgis.Open(ctx, url, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(db.Close)
		return db
	}
	a, b := open(), open()
	for _, n := range []string{"zhao", "qian"} {
		if _, err := a.AddUser(ctx, n, inventory.RolePlanner); err != nil {
			t.Fatal(err)
		}
		if err := a.SetPassword(ctx, n, "the right one"); err != nil {
			t.Fatal(err)
		}
	}
	// Per name: PerUser failures from different clients, alternating processes.
	for i := range inventory.SignInFailuresPerUser {
		db := a
		if i%2 == 1 {
			db = b
		}
		if _, err := db.SignIn(ctx, "zhao", "wrong", "client-"+string(rune('a'+i))); inventory.ErrorKind(err) != inventory.EUnauthorized {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	_, err := b.SignIn(ctx, "zhao", "the right one", "client-z")
	var e *inventory.Error
	if inventory.ErrorKind(err) != inventory.ETooManyRequests || !errors.As(err, &e) {
		t.Fatalf("after %d failures the right password: %v, want ETooManyRequests", inventory.SignInFailuresPerUser, err)
	}
	wait, _ := e.Detail["retry_after_seconds"].(int)
	if wait < 1 || wait > int(inventory.SignInWindow.Seconds()) {
		t.Errorf("retry_after_seconds = %v, want within the window", e.Detail["retry_after_seconds"])
	}
	// Another name is not held up by zhao's failures.
	if _, err := a.SignIn(ctx, "qian", "the right one", "client-z"); err != nil {
		t.Errorf("qian: %v", err)
	}
	// When the window has passed, zhao may try again; a success clears the count.
	exec(t, a, "update signin_failures set window_start = now() - $1::interval where scope = 'user'", (inventory.SignInWindow + time.Second).String())
	if _, err := a.SignIn(ctx, "zhao", "the right one", "client-z"); err != nil {
		t.Errorf("after the window: %v", err)
	}
	if n := count(t, a, "select count(*) from signin_failures where scope = 'user' and key = 'zhao'"); n != 0 {
		t.Errorf("a success left %d failure rows for the name", n)
	}

	// Per client: PerClient failures under many names from one client hold it up, for every name.
	for i := range inventory.SignInFailuresPerClient {
		if _, err := b.SignIn(ctx, "guess"+string(rune('a'+i)), "wrong", "203.0.113.9"); inventory.ErrorKind(err) != inventory.EUnauthorized {
			t.Fatalf("client failure %d: %v", i+1, err)
		}
	}
	if _, err := a.SignIn(ctx, "qian", "the right one", "203.0.113.9"); inventory.ErrorKind(err) != inventory.ETooManyRequests {
		t.Errorf("after %d failures from one client: %v, want ETooManyRequests", inventory.SignInFailuresPerClient, err)
	}
	if _, err := a.SignIn(ctx, "qian", "the right one", "198.51.100.7"); err != nil {
		t.Errorf("another client: %v", err)
	}
}

func TestSessionStore(t *testing.T) {
	ctx := context.Background()
	db := postgistest.New(t)
	s := db.Sessions()
	token := "0123456789abcdef0123456789abcdef"
	if _, found, err := s.FindCtx(ctx, token); found || err != nil {
		t.Fatalf("unknown token: %v %v", found, err)
	}
	exp := time.Now().Add(30 * time.Minute)
	if err := s.CommitCtx(ctx, token, []byte("one"), exp); err != nil {
		t.Fatal(err)
	}
	if b, found, err := s.FindCtx(ctx, token); !found || err != nil || string(b) != "one" {
		t.Fatalf("after commit: %q %v %v", b, found, err)
	}
	version := func() string {
		var x string
		if err := db.Pool.QueryRow(ctx, "select xmin::text from sessions where token = $1", token).Scan(&x); err != nil {
			t.Fatal(err)
		}
		return x
	}
	v0 := version()
	// Moving the expiry by less than the slack writes nothing; by more, or changing the data, writes.
	if err := s.CommitCtx(ctx, token, []byte("one"), exp.Add(postgis.SessionWriteSlack/2)); err != nil {
		t.Fatal(err)
	}
	if version() != v0 {
		t.Error("an expiry moved by less than SessionWriteSlack was written")
	}
	if err := s.CommitCtx(ctx, token, []byte("one"), exp.Add(2*postgis.SessionWriteSlack)); err != nil {
		t.Fatal(err)
	}
	v1 := version()
	if v1 == v0 {
		t.Error("an expiry moved by more than SessionWriteSlack was not written")
	}
	if err := s.CommitCtx(ctx, token, []byte("two"), exp.Add(2*postgis.SessionWriteSlack)); err != nil {
		t.Fatal(err)
	}
	if b, _, _ := s.FindCtx(ctx, token); string(b) != "two" {
		t.Errorf("changed data not written: %q", b)
	}
	// Expired: not found.
	exec(t, db, "update sessions set expiry = now() - interval '1 second'")
	if _, found, _ := s.FindCtx(ctx, token); found {
		t.Error("an expired session was found")
	}
	if err := s.CommitCtx(ctx, token, []byte("three"), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteCtx(ctx, token); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := s.FindCtx(ctx, token); found {
		t.Error("a deleted session was found")
	}
	if err := s.DeleteCtx(ctx, "no-such-token-no-such-token"); err != nil {
		t.Errorf("deleting an unknown token: %v", err)
	}
}
