package postgis

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/inventory"
)

var _ inventory.Users = (*DB)(nil)

var userName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)

// tokenPrefix marks landinv tokens, so that a leaked one is recognisable.
const tokenPrefix = "li_"

// HashToken returns the SHA-256 of a token, as stored in api_tokens.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// AddUser creates a user.
func (db *DB) AddUser(ctx context.Context, name string, role inventory.Role) (*inventory.User, error) {
	if !userName.MatchString(name) {
		return nil, inventory.Errorf(inventory.EInvalid, "name", "must be 1–64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit")
	}
	if !role.Valid() {
		return nil, inventory.Errorf(inventory.EInvalid, "role", "must be viewer, leader, planner or admin, not %q", role)
	}
	u := &inventory.User{Name: name, Role: role}
	err := db.Pool.QueryRow(ctx, "insert into users (name, role) values ($1, $2) returning created_at", name, string(role)).Scan(&u.CreatedAt)
	if err != nil {
		err = asError(err)
		if inventory.ErrorKind(err) == inventory.EConflict {
			return nil, inventory.Errorf(inventory.EConflict, "name", "user %s already exists", name)
		}
		return nil, fmt.Errorf("add user %s: %w", name, err)
	}
	return u, nil
}

// SetRole changes a user's role.
func (db *DB) SetRole(ctx context.Context, name string, role inventory.Role) error {
	if !role.Valid() {
		return inventory.Errorf(inventory.EInvalid, "role", "must be viewer, leader, planner or admin, not %q", role)
	}
	tag, err := db.Pool.Exec(ctx, "update users set role = $2 where name = $1", name, string(role))
	if err != nil {
		return fmt.Errorf("set role of %s: %w", name, err)
	}
	if tag.RowsAffected() == 0 {
		return inventory.Errorf(inventory.ENotFound, "name", "no user %s", name)
	}
	return nil
}

// DisableUser disables a user: their tokens and sessions stop working.
func (db *DB) DisableUser(ctx context.Context, name string) error {
	tag, err := db.Pool.Exec(ctx, "update users set disabled = true where name = $1", name)
	if err != nil {
		return fmt.Errorf("disable user %s: %w", name, err)
	}
	if tag.RowsAffected() == 0 {
		return inventory.Errorf(inventory.ENotFound, "name", "no user %s", name)
	}
	return nil
}

// ListUsers lists the users by name.
func (db *DB) ListUsers(ctx context.Context) ([]inventory.User, error) {
	rows, err := db.Pool.Query(ctx, "select name, role, created_at, disabled, password_hash is not null from users order by name")
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []inventory.User
	for rows.Next() {
		var u inventory.User
		var role string
		if err := rows.Scan(&u.Name, &role, &u.CreatedAt, &u.Disabled, &u.HasPassword); err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		u.Role = inventory.Role(role)
		out = append(out, u)
	}
	return out, rows.Err()
}

// CreateToken makes a new token valid for inventory.DefaultTokenLifetime.
func (db *DB) CreateToken(ctx context.Context, name string) (string, error) {
	return db.CreateTokenUntil(ctx, name, time.Now().Add(inventory.DefaultTokenLifetime))
}

// CreateTokenUntil makes a new random token (32 bytes, base64url, prefixed "li_") for the user
// that stops working at expires (never, for the zero time), and stores its SHA-256 and its
// first characters.
func (db *DB) CreateTokenUntil(ctx context.Context, name string, expires time.Time) (string, error) {
	var exp *time.Time
	if !expires.IsZero() {
		exp = &expires
	}
	token, err := newToken(expires)
	if err != nil {
		return "", err
	}
	tag, err := db.Pool.Exec(ctx, `insert into api_tokens (user_id, token_hash, prefix, expires_at)
		select id, $2, $3, $4 from users where name = $1 and not disabled`, name, HashToken(token), inventory.TokenPrefix(token), exp)
	if err != nil {
		return "", fmt.Errorf("create token for %s: %w", name, err)
	}
	if tag.RowsAffected() == 0 {
		return "", inventory.Errorf(inventory.ENotFound, "name", "no enabled user %s; add one with `landinv user add %s --role planner`", name, name)
	}
	return token, nil
}

// CreateSessionToken makes a token for a person signed in by password (see inventory.Users):
// in one transaction, the person's row locked (FOR UPDATE: a second request waits, then counts
// in a snapshot that holds the first's token), the working tokens counted, the token made.
func (db *DB) CreateSessionToken(ctx context.Context, name, label string, expires time.Time, maxActive int) (string, error) {
	if expires.IsZero() {
		return "", inventory.Errorf(inventory.EInvalid, "expires", "is required: a token made in a session expires")
	}
	label, err := inventory.TokenLabel(label)
	if err != nil {
		return "", err
	}
	token, err := newToken(expires)
	if err != nil {
		return "", err
	}
	err = pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, "select id from users where name = $1 and not disabled for update", name).Scan(&id); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return inventory.Errorf(inventory.ENotFound, "name", "no enabled user %s", name)
			}
			return fmt.Errorf("create token for %s: %w", name, err)
		}
		var active int
		if err := tx.QueryRow(ctx, `select count(*) from api_tokens where user_id = $1 and revoked_at is null
			and (expires_at is null or expires_at > now())`, id).Scan(&active); err != nil {
			return fmt.Errorf("create token for %s: %w", name, err)
		}
		if active >= maxActive {
			return inventory.Errorf(inventory.EConflict, "tokens", "you already hold %d working tokens, the most one person may: revoke one you no longer use first", active)
		}
		if _, err := tx.Exec(ctx, `insert into api_tokens (user_id, token_hash, prefix, expires_at, made_in_session, label)
			values ($1, $2, $3, $4, true, nullif($5, ''))`, id, HashToken(token), inventory.TokenPrefix(token), expires, label); err != nil {
			return fmt.Errorf("create token for %s: %w", name, asError(err))
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// newToken makes a new random token (32 bytes, base64url, prefixed "li_") to stop working at
// expires (the zero time: never), which must be in the future.
func newToken(expires time.Time) (string, error) {
	if !expires.IsZero() && !expires.After(time.Now()) {
		return "", inventory.Errorf(inventory.EInvalid, "expires", "must be in the future, not %s", expires.Format(time.RFC3339))
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("create token: %w", err)
	}
	return tokenPrefix + base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// ListTokens lists the tokens of the user (of everyone when name is empty).
func (db *DB) ListTokens(ctx context.Context, name string) ([]inventory.Token, error) {
	if name != "" {
		if err := db.userExists(ctx, name); err != nil {
			return nil, err
		}
	}
	rows, err := db.Pool.Query(ctx, `select t.id, u.name, coalesce(t.prefix, ''), coalesce(t.label, ''), t.created_at, t.expires_at, t.last_used_at, t.revoked_at
		from api_tokens t join users u on u.id = t.user_id
		where $1 = '' or u.name = $1
		order by u.name, t.created_at, t.id`, name)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	var out []inventory.Token
	for rows.Next() {
		var t inventory.Token
		if err := rows.Scan(&t.ID, &t.User, &t.Prefix, &t.Label, &t.CreatedAt, &t.ExpiresAt, &t.LastUsedAt, &t.RevokedAt); err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func (db *DB) userExists(ctx context.Context, name string) error {
	var exists bool
	if err := db.Pool.QueryRow(ctx, "select exists (select 1 from users where name = $1)", name).Scan(&exists); err != nil {
		return fmt.Errorf("find user %s: %w", name, err)
	}
	if !exists {
		return inventory.Errorf(inventory.ENotFound, "name", "no user %s", name)
	}
	return nil
}

// RevokeTokens revokes every live token of the user.
func (db *DB) RevokeTokens(ctx context.Context, name string) (int, error) {
	if err := db.userExists(ctx, name); err != nil {
		return 0, err
	}
	tag, err := db.Pool.Exec(ctx, `update api_tokens set revoked_at = now()
		where revoked_at is null and user_id = (select id from users where name = $1)`, name)
	if err != nil {
		return 0, fmt.Errorf("revoke tokens of %s: %w", name, err)
	}
	return int(tag.RowsAffected()), nil
}

// RevokeToken revokes the user's token with the given id. A revoked token keeps the time it
// was first revoked.
func (db *DB) RevokeToken(ctx context.Context, name string, id int64) error {
	if err := db.userExists(ctx, name); err != nil {
		return err
	}
	tag, err := db.Pool.Exec(ctx, `update api_tokens set revoked_at = coalesce(revoked_at, now())
		where id = $2 and user_id = (select id from users where name = $1)`, name, id)
	if err != nil {
		return fmt.Errorf("revoke token %d of %s: %w", id, name, err)
	}
	if tag.RowsAffected() == 0 {
		return inventory.Errorf(inventory.ENotFound, "id", "user %s has no token %d; see `landinv token list %s`", name, id, name)
	}
	return nil
}

// TokenTouchInterval is how stale a token's last_used_at may get before a request writes it
// again: a token used all day long is written about once per interval, not once per request.
const TokenTouchInterval = 5 * time.Minute

// Authenticate returns the viewer a token belongs to. It reads the token and, in the same
// statement, notes when it was last used, but only when the stored time is older than
// TokenTouchInterval (or unset): requests in between write nothing. Two concurrent requests
// with a stale time write once: the second re-checks the condition after the first commits.
func (db *DB) Authenticate(ctx context.Context, token string) (inventory.Viewer, error) {
	bad := inventory.Errorf(inventory.EUnauthorized, "Authorization", "the token is unknown or revoked")
	token = strings.TrimSpace(token)
	if token == "" || len(token) > 256 {
		return inventory.Anonymous, bad
	}
	var name, role string
	var expired bool
	err := db.Pool.QueryRow(ctx, `with t as (
			select t.id, u.name, u.role, t.expires_at is not null and t.expires_at <= now() as expired
			from api_tokens t join users u on u.id = t.user_id
			where t.token_hash = $1 and t.revoked_at is null and not u.disabled
		), touched as (
			update api_tokens a set last_used_at = now()
			from t
			where a.id = t.id and not t.expired
			  and (a.last_used_at is null or a.last_used_at < now() - make_interval(secs => $2))
			returning a.id
		)
		select name, role, expired from t`, HashToken(token), TokenTouchInterval.Seconds()).Scan(&name, &role, &expired)
	if errors.Is(err, pgx.ErrNoRows) {
		return inventory.Anonymous, bad
	}
	if err != nil {
		return inventory.Anonymous, fmt.Errorf("authenticate: %w", err)
	}
	if expired {
		return inventory.Anonymous, inventory.Errorf(inventory.EUnauthorized, "Authorization", "the token has expired; ask an administrator for a new one")
	}
	return inventory.Viewer{Name: name, Role: inventory.Role(role)}, nil
}
