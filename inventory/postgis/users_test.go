package postgis_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// tokenWrites counts the rows written to api_tokens from now on: a test-only trigger logs every
// UPDATE, so the test sees the writes themselves, not their effect.
func tokenWrites(t *testing.T, db *postgis.DB) func() int {
	t.Helper()
	exec(t, db, `create table test_token_writes (token_id integer not null);
		create function test_log_token_write() returns trigger language plpgsql as $$
		begin insert into test_token_writes values (NEW.id); return null; end $$;
		create trigger test_log_token_write after update on api_tokens
		  for each row execute function test_log_token_write()`)
	return func() int {
		t.Helper()
		return count(t, db, "select count(*) from test_token_writes")
	}
}

func userWithToken(t *testing.T, db *postgis.DB, name string, role inventory.Role) string {
	t.Helper()
	ctx := context.Background()
	if _, err := db.AddUser(ctx, name, role); err != nil {
		t.Fatal(err)
	}
	tok, err := db.CreateToken(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func kindAndField(err error) (string, string) {
	var e *inventory.Error
	if !errors.As(err, &e) {
		return "", ""
	}
	return e.Kind, e.Field
}

func TestLastUsedIsWrittenOncePerInterval(t *testing.T) {
	db := postgistest.New(t)
	ctx := context.Background()
	tok := userWithToken(t, db, "alice", inventory.RolePlanner)
	writes := tokenWrites(t, db)
	lastUsed := func() time.Time {
		var at time.Time
		if err := db.Pool.QueryRow(ctx, "select last_used_at from api_tokens").Scan(&at); err != nil {
			t.Fatal(err)
		}
		return at
	}

	// Two requests within the interval: the first notes the use, the second writes nothing.
	for i := 0; i < 2; i++ {
		if v, err := db.Authenticate(ctx, tok); err != nil || v.Name != "alice" {
			t.Fatalf("request %d: %v %v", i+1, v, err)
		}
	}
	if n := writes(); n != 1 {
		t.Errorf("two requests within %s wrote last_used_at %d times, want 1", postgis.TokenTouchInterval, n)
	}
	first := lastUsed()

	// Once the stored time is older than the interval, the next request writes it again.
	exec(t, db, "update api_tokens set last_used_at = now() - $1::interval", (postgis.TokenTouchInterval + time.Minute).String())
	exec(t, db, "truncate test_token_writes")
	if _, err := db.Authenticate(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if n := writes(); n != 1 {
		t.Errorf("request after a stale last_used_at wrote %d times, want 1", n)
	}
	if got := lastUsed(); got.Before(first) {
		t.Errorf("last_used_at went back from %s to %s", first, got)
	}

	// Eight concurrent requests on a stale time: still one write (the others re-check the
	// condition once the first commits).
	exec(t, db, "update api_tokens set last_used_at = now() - $1::interval", (postgis.TokenTouchInterval + time.Minute).String())
	exec(t, db, "truncate test_token_writes")
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := db.Authenticate(ctx, tok)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := writes(); n != 1 {
		t.Errorf("8 concurrent requests wrote last_used_at %d times, want 1", n)
	}
}

func TestTokenExpiry(t *testing.T) {
	db := postgistest.New(t)
	ctx := context.Background()
	if _, err := db.AddUser(ctx, "svc-import", inventory.RolePlanner); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateTokenUntil(ctx, "svc-import", time.Now().Add(-time.Minute)); err == nil {
		t.Fatal("a token expiring in the past was made")
	} else if k, f := kindAndField(err); k != inventory.EInvalid || f != "expires" {
		t.Errorf("past expiry: %v (kind %s, field %s)", err, k, f)
	}

	// The default lifetime is stored as such.
	def, err := db.CreateToken(ctx, "svc-import")
	if err != nil {
		t.Fatal(err)
	}
	var days float64
	if err := db.Pool.QueryRow(ctx, "select extract(epoch from expires_at - created_at) / 86400 from api_tokens where token_hash = $1",
		postgis.HashToken(def)).Scan(&days); err != nil {
		t.Fatal(err)
	}
	if want := inventory.DefaultTokenLifetime.Hours() / 24; days < want-0.01 || days > want+0.01 {
		t.Errorf("default token lives %.3f days, want %.0f", days, want)
	}

	never, err := db.CreateTokenUntil(ctx, "svc-import", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	soon, err := db.CreateTokenUntil(ctx, "svc-import", time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	// Let the hour pass: move the token's dates back by two hours.
	exec(t, db, `update api_tokens set created_at = created_at - interval '2 hours', expires_at = expires_at - interval '2 hours'
		where token_hash = $1`, postgis.HashToken(soon))
	writes := tokenWrites(t, db)

	_, err = db.Authenticate(ctx, soon)
	if k, f := kindAndField(err); k != inventory.EUnauthorized || f != "Authorization" {
		t.Fatalf("expired token: %v (kind %s, field %s)", err, k, f)
	}
	msg := err.Error()
	if !strings.Contains(msg, "expired") || strings.Contains(msg, "svc-import") || strings.Contains(msg, time.Now().Format("2006-01-02")) {
		t.Errorf("expired token: %q should say it expired and nothing else (no user, no date)", msg)
	}
	if n := writes(); n != 0 {
		t.Errorf("an expired token's use was recorded (%d writes)", n)
	}
	if v, err := db.Authenticate(ctx, never); err != nil || v.Name != "svc-import" {
		t.Errorf("never-expiring token: %v %v", v, err)
	}
	if v, err := db.Authenticate(ctx, def); err != nil || v.Name != "svc-import" {
		t.Errorf("default token: %v %v", v, err)
	}
	// An unknown token is told apart from an expired one only by the token's holder.
	if _, err := db.Authenticate(ctx, "li_nope"); err == nil || strings.Contains(err.Error(), "expired") {
		t.Errorf("unknown token: %v", err)
	}
}

func TestListAndRevokeTokens(t *testing.T) {
	db := postgistest.New(t)
	ctx := context.Background()
	a1 := userWithToken(t, db, "alice", inventory.RolePlanner)
	a2, err := db.CreateTokenUntil(ctx, "alice", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	b1 := userWithToken(t, db, "bob", inventory.RoleViewer)

	all, err := db.ListTokens(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || all[0].User != "alice" || all[1].User != "alice" || all[2].User != "bob" {
		t.Fatalf("all tokens: %+v", all)
	}
	if all[0].Prefix != a1[:8] || all[1].Prefix != a2[:8] || all[2].Prefix != b1[:8] {
		t.Errorf("prefixes %q %q %q, want the tokens' first 8 characters", all[0].Prefix, all[1].Prefix, all[2].Prefix)
	}
	if all[0].ExpiresAt == nil || all[1].ExpiresAt != nil || all[0].LastUsedAt != nil {
		t.Errorf("alice's tokens: %+v %+v", all[0], all[1])
	}
	if _, err := db.ListTokens(ctx, "nobody"); err == nil {
		t.Error("tokens of an unknown user listed")
	}

	// One token by id: only that one stops working; another user's id is not found.
	if err := db.RevokeToken(ctx, "alice", all[2].ID); err == nil {
		t.Error("alice revoked bob's token")
	} else if k, f := kindAndField(err); k != inventory.ENotFound || f != "id" {
		t.Errorf("revoking another user's token: %v", err)
	}
	if err := db.RevokeToken(ctx, "alice", all[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Authenticate(ctx, a1); err == nil {
		t.Error("revoked token still works")
	}
	for _, tok := range []string{a2, b1} {
		if _, err := db.Authenticate(ctx, tok); err != nil {
			t.Errorf("a token not revoked stopped working: %v", err)
		}
	}
	alice, err := db.ListTokens(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if len(alice) != 2 || alice[0].State(time.Now()) != "revoked" || alice[1].State(time.Now()) != "active" || alice[1].LastUsedAt == nil {
		t.Errorf("alice after revoking one: %+v", alice)
	}
	revokedAt := *alice[0].RevokedAt

	// All of a user's tokens: counts only those still live, keeps the first revocation time.
	n, err := db.RevokeTokens(ctx, "alice")
	if err != nil || n != 1 {
		t.Errorf("revoke all of alice's: %d %v, want 1", n, err)
	}
	if err := db.RevokeToken(ctx, "alice", alice[0].ID); err != nil {
		t.Errorf("revoking a revoked token again: %v", err)
	}
	alice, _ = db.ListTokens(ctx, "alice")
	if !alice[0].RevokedAt.Equal(revokedAt) || alice[1].RevokedAt == nil {
		t.Errorf("alice after revoking all: %+v", alice)
	}
	if _, err := db.Authenticate(ctx, a2); err == nil {
		t.Error("alice's second token still works")
	}
}
