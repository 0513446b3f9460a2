package inventory

import (
	"context"
	"time"
)

// User is an account (用户): a name and a role. Viewers are the default; planners edit the
// inventory; admins also manage users.
type User struct {
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	CreatedAt time.Time `json:"created_at"`
	Disabled  bool      `json:"disabled"`
}

// Users manages accounts and API tokens (访问令牌). A token is shown once, when it is created;
// the store keeps only its SHA-256.
type Users interface {
	// AddUser creates a user (EConflict if the name is taken, EInvalid for a bad name or role).
	AddUser(ctx context.Context, name string, role Role) (*User, error)
	// SetRole changes a user's role.
	SetRole(ctx context.Context, name string, role Role) error
	// DisableUser stops a user's tokens from working.
	DisableUser(ctx context.Context, name string) error
	// ListUsers lists the users by name.
	ListUsers(ctx context.Context) ([]User, error)
	// CreateToken makes a new API token for the user, valid for DefaultTokenLifetime, and
	// returns it; only its hash is kept.
	CreateToken(ctx context.Context, name string) (string, error)
	// CreateTokenUntil makes a new API token that stops working at expires (EInvalid
	// "expires" unless it is in the future). The zero time makes a token that never expires:
	// meant for service accounts, made on purpose by an administrator.
	CreateTokenUntil(ctx context.Context, name string, expires time.Time) (string, error)
	// ListTokens lists the tokens of the user, or of every user when name is empty, by user
	// and creation; never the tokens themselves.
	ListTokens(ctx context.Context, name string) ([]Token, error)
	// RevokeTokens revokes every token of the user and says how many.
	RevokeTokens(ctx context.Context, name string) (int, error)
	// RevokeToken revokes one token of the user, by its id (ENotFound when the user has no
	// such token; revoking a revoked token again is harmless).
	RevokeToken(ctx context.Context, name string, id int64) error
	// Authenticate returns the viewer a token belongs to: EUnauthorized when the token is
	// unknown, revoked, expired, or its user disabled. An expired token is told so, and nothing
	// else (not whose it was, nor when it expired).
	Authenticate(ctx context.Context, token string) (Viewer, error)
}

// DefaultTokenLifetime is how long a token made without an explicit expiry works: 90 days.
const DefaultTokenLifetime = 90 * 24 * time.Hour

// Token describes an API token (访问令牌) without the token itself: its id, the first
// characters it starts with (empty for tokens made before prefixes were kept), and its dates.
type Token struct {
	ID         int64      `json:"id"`
	User       string     `json:"user"`
	Prefix     string     `json:"prefix,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at"` // nil: never expires
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

// State says whether the token works at now: "revoked", "expired" or "active" (a disabled
// user's active tokens do not work either).
func (t Token) State(now time.Time) string {
	switch {
	case t.RevokedAt != nil:
		return "revoked"
	case t.ExpiresAt != nil && !t.ExpiresAt.After(now):
		return "expired"
	}
	return "active"
}
