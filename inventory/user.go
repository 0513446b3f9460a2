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
	// CreateToken makes a new API token for the user and returns it; only its hash is kept.
	CreateToken(ctx context.Context, name string) (string, error)
	// RevokeTokens revokes every token of the user and says how many.
	RevokeTokens(ctx context.Context, name string) (int, error)
	// Authenticate returns the viewer a token belongs to: EUnauthorized when the token is
	// unknown, revoked, or its user disabled.
	Authenticate(ctx context.Context, token string) (Viewer, error)
}
