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
		return nil, inventory.Errorf(inventory.EInvalid, "role", "must be viewer, planner or admin, not %q", role)
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
		return inventory.Errorf(inventory.EInvalid, "role", "must be viewer, planner or admin, not %q", role)
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

// DisableUser disables a user: their tokens stop working.
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
	rows, err := db.Pool.Query(ctx, "select name, role, created_at, disabled from users order by name")
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []inventory.User
	for rows.Next() {
		var u inventory.User
		var role string
		if err := rows.Scan(&u.Name, &role, &u.CreatedAt, &u.Disabled); err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		u.Role = inventory.Role(role)
		out = append(out, u)
	}
	return out, rows.Err()
}

// CreateToken makes a new random token (32 bytes, base64url, prefixed "li_") for the user and
// stores its SHA-256.
func (db *DB) CreateToken(ctx context.Context, name string) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("create token: %w", err)
	}
	token := tokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	tag, err := db.Pool.Exec(ctx, `insert into api_tokens (user_id, token_hash)
		select id, $2 from users where name = $1 and not disabled`, name, HashToken(token))
	if err != nil {
		return "", fmt.Errorf("create token for %s: %w", name, err)
	}
	if tag.RowsAffected() == 0 {
		return "", inventory.Errorf(inventory.ENotFound, "name", "no enabled user %s; add one with `landinv user add %s --role planner`", name, name)
	}
	return token, nil
}

// RevokeTokens revokes every live token of the user.
func (db *DB) RevokeTokens(ctx context.Context, name string) (int, error) {
	var exists bool
	if err := db.Pool.QueryRow(ctx, "select exists (select 1 from users where name = $1)", name).Scan(&exists); err != nil {
		return 0, fmt.Errorf("revoke tokens of %s: %w", name, err)
	}
	if !exists {
		return 0, inventory.Errorf(inventory.ENotFound, "name", "no user %s", name)
	}
	tag, err := db.Pool.Exec(ctx, `update api_tokens set revoked_at = now()
		where revoked_at is null and user_id = (select id from users where name = $1)`, name)
	if err != nil {
		return 0, fmt.Errorf("revoke tokens of %s: %w", name, err)
	}
	return int(tag.RowsAffected()), nil
}

// Authenticate returns the viewer a token belongs to, and notes when the token was last used.
func (db *DB) Authenticate(ctx context.Context, token string) (inventory.Viewer, error) {
	bad := inventory.Errorf(inventory.EUnauthorized, "Authorization", "the token is unknown or revoked")
	token = strings.TrimSpace(token)
	if token == "" || len(token) > 256 {
		return inventory.Anonymous, bad
	}
	var name, role string
	err := db.Pool.QueryRow(ctx, `update api_tokens t set last_used_at = now()
		from users u
		where t.token_hash = $1 and t.revoked_at is null and u.id = t.user_id and not u.disabled
		returning u.name, u.role`, HashToken(token)).Scan(&name, &role)
	if errors.Is(err, pgx.ErrNoRows) {
		return inventory.Anonymous, bad
	}
	if err != nil {
		return inventory.Anonymous, fmt.Errorf("authenticate: %w", err)
	}
	return inventory.Viewer{Name: name, Role: inventory.Role(role)}, nil
}
