package postgis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/password"
)

var _ inventory.Accounts = (*DB)(nil)

// SetPassword hashes password with argon2id and stores it. password_set_at moves forward at
// every change (at least by a microsecond), so every session made with the old password ends
// (SessionViewer).
func (db *DB) SetPassword(ctx context.Context, name, pw string) error {
	if why := password.Check(pw); why != "" {
		return inventory.Errorf(inventory.EInvalid, "password", "%s", why)
	}
	hash, err := password.Hash(pw, password.Default)
	if err != nil {
		return fmt.Errorf("set password of %s: %w", name, err)
	}
	// One statement: the new password, and the tokens made in a session revoked (migration 0079).
	var n int
	if err := db.Pool.QueryRow(ctx, `with u as (
		  update users set password_hash = $2,
		    password_set_at = greatest(clock_timestamp(), password_set_at + interval '1 microsecond')
		  where name = $1 returning id),
		r as (update api_tokens t set revoked_at = clock_timestamp() from u
		  where t.user_id = u.id and t.made_in_session and t.revoked_at is null returning 1)
		select count(*) from u`, name, hash).Scan(&n); err != nil {
		return fmt.Errorf("set password of %s: %w", name, err)
	}
	if n == 0 {
		return inventory.Errorf(inventory.ENotFound, "name", "no user %s", name)
	}
	return nil
}

// SignIn checks a name and password (see inventory.Accounts). The failure counters are rows of
// signin_failures, shared by every process; expired sessions and counters are removed here, at
// each sign-in, so that neither table grows beyond one window's worth.
func (db *DB) SignIn(ctx context.Context, name, pw, client string) (inventory.SignedIn, error) {
	wrong := inventory.Errorf(inventory.EUnauthorized, "password", "the name or the password is wrong")
	if len(client) > 256 {
		client = client[:256]
	}
	userKey := name
	if !userName.MatchString(name) {
		userKey = "" // not a possible name: counted per client only
	}
	window := inventory.SignInWindow.Seconds()
	if _, err := db.Pool.Exec(ctx, `with s as (delete from sessions where expiry <= now())
		delete from signin_failures where window_start <= now() - make_interval(secs => $1)`, window); err != nil {
		return inventory.SignedIn{}, fmt.Errorf("sign in: purge: %w", err)
	}
	var wait float64
	if err := db.Pool.QueryRow(ctx, `select coalesce(max(extract(epoch from window_start - now()) + $3), 0)
		from signin_failures
		where window_start > now() - make_interval(secs => $3)
		  and ((scope = 'user' and key = $1 and failures >= $4) or (scope = 'client' and key = $2 and failures >= $5))`,
		userKey, client, window, inventory.SignInFailuresPerUser, inventory.SignInFailuresPerClient).Scan(&wait); err != nil {
		return inventory.SignedIn{}, fmt.Errorf("sign in: limits: %w", err)
	}
	if wait > 0 {
		secs := int(math.Ceil(wait))
		return inventory.SignedIn{}, &inventory.Error{Kind: inventory.ETooManyRequests, Field: "name",
			Reason: fmt.Sprintf("too many failed sign-ins; try again in %d s", secs), Detail: map[string]any{"retry_after_seconds": secs}}
	}

	var hash *string
	var role string
	var disabled bool
	var setAt *time.Time
	err := db.Pool.QueryRow(ctx, "select password_hash, role, disabled, password_set_at from users where name = $1", name).
		Scan(&hash, &role, &disabled, &setAt)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return inventory.SignedIn{}, fmt.Errorf("sign in: %w", err)
	}
	ok, rehash := false, false
	if hash != nil {
		if ok, rehash, err = password.Verify(*hash, pw, password.Default); err != nil {
			return inventory.SignedIn{}, fmt.Errorf("sign in %s: stored hash: %w", name, err)
		}
	} else {
		password.Waste(pw) // as long as a wrong password takes
	}
	if !ok || disabled {
		if _, err := db.Pool.Exec(ctx, `insert into signin_failures (scope, key, window_start, failures)
			select scope, key, now(), 1 from (values ('user', $1::text), ('client', $2::text)) v (scope, key) where key <> ''
			on conflict (scope, key) do update set
			  failures = case when signin_failures.window_start <= now() - make_interval(secs => $3) then 1 else signin_failures.failures + 1 end,
			  window_start = case when signin_failures.window_start <= now() - make_interval(secs => $3) then now() else signin_failures.window_start end`,
			userKey, client, window); err != nil {
			return inventory.SignedIn{}, fmt.Errorf("sign in: count failure: %w", err)
		}
		return inventory.SignedIn{}, wrong
	}
	if _, err := db.Pool.Exec(ctx, "delete from signin_failures where scope = 'user' and key = $1", name); err != nil {
		return inventory.SignedIn{}, fmt.Errorf("sign in: clear failures: %w", err)
	}
	if rehash {
		// Same password, new parameters: password_set_at stays, so sessions stay.
		if h, err := password.Hash(pw, password.Default); err == nil {
			if _, err := db.Pool.Exec(ctx, "update users set password_hash = $3 where name = $1 and password_hash = $2", name, *hash, h); err != nil {
				return inventory.SignedIn{}, fmt.Errorf("sign in: rehash: %w", err)
			}
		}
	}
	return inventory.SignedIn{Viewer: inventory.Viewer{Name: name, Role: inventory.Role(role)}, PasswordSetAt: *setAt}, nil
}

// SessionViewer returns the viewer of a session made by SignIn, while the user is enabled and
// their password is the one the session was made with.
func (db *DB) SessionViewer(ctx context.Context, name string, passwordSetAt time.Time) (inventory.Viewer, error) {
	var role string
	err := db.Pool.QueryRow(ctx, "select role from users where name = $1 and not disabled and password_set_at = $2", name, passwordSetAt).Scan(&role)
	if errors.Is(err, pgx.ErrNoRows) {
		return inventory.Anonymous, inventory.Errorf(inventory.EUnauthorized, "session", "the session has ended; sign in again")
	}
	if err != nil {
		return inventory.Anonymous, fmt.Errorf("session viewer: %w", err)
	}
	return inventory.Viewer{Name: name, Role: inventory.Role(role)}, nil
}
