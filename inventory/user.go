package inventory

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// User is an account (用户): a name and a role. Viewers are the default; leaders read
// everything and write nothing; planners edit the inventory; admins also manage users. People
// sign in with a password (HasPassword); programs use API tokens.
type User struct {
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	CreatedAt time.Time `json:"created_at"`
	Disabled  bool      `json:"disabled"`
	// HasPassword says whether the user can sign in with a password.
	HasPassword bool `json:"has_password"`
}

// Users manages accounts and API tokens (访问令牌). A token is shown once, when it is created;
// the store keeps only its SHA-256.
type Users interface {
	// AddUser creates a user (EConflict if the name is taken, EInvalid for a bad name or role).
	AddUser(ctx context.Context, name string, role Role) (*User, error)
	// SetRole changes a user's role.
	SetRole(ctx context.Context, name string, role Role) error
	// SetPassword sets the user's password (密码), hashed with argon2id (inventory/password);
	// EInvalid "password" when it is too short or too long, ENotFound for an unknown user.
	// Every session signed in with the old password ends, and every token made in a session
	// (CreateSessionToken) is revoked; tokens made at the command line stay.
	SetPassword(ctx context.Context, name, password string) error
	// DisableUser stops a user's tokens and sessions from working.
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
	// CreateSessionToken makes a token for a person signed in by password (POST
	// /api/v1/me/tokens): it stops working at expires, and is revoked when the person's password
	// changes (SetPassword). It refuses (EConflict naming "tokens") when the person already holds
	// maxActive working tokens: counted and made under a lock of the person's row, so requests
	// at the same instant cannot pass the count together. ENotFound for an unknown or disabled
	// user.
	// label says what the token is for (Token.Label, TokenLabel's rule; "" for none).
	CreateSessionToken(ctx context.Context, name, label string, expires time.Time, maxActive int) (string, error)
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

// TokenPrefix is the part of a token that lists show (Token.Prefix): its first 8 characters,
// "li_" and 5 more (30 of its 256 random bits), enough to tell tokens apart, far too few to use.
func TokenPrefix(token string) string {
	if len(token) > 8 {
		return token[:8]
	}
	return token
}

// MaxTokenLabel bounds a token's label (Token.Label), in characters.
const MaxTokenLabel = 60

// TokenLabel checks a token's label, what it is for in its owner's words ("办公室电脑 QGIS"):
// one line of at most MaxTokenLabel characters, spaces around it dropped; "" is none. EInvalid
// naming "label" otherwise. (The database's api_tokens_label_check holds the same rule for any
// other writer.)
func TokenLabel(s string) (string, error) {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > MaxTokenLabel || strings.ContainsFunc(s, unicode.IsControl) {
		return "", Errorf(EInvalid, "label", "must be one line of at most %d characters (what the token is for, e.g. office QGIS)", MaxTokenLabel)
	}
	return s, nil
}

// DefaultTokenLifetime is how long a token made without an explicit expiry works: 90 days.
const DefaultTokenLifetime = 90 * 24 * time.Hour

// Token describes an API token (访问令牌) without the token itself: its id, the first
// characters it starts with (empty for tokens made before prefixes were kept), and its dates.
type Token struct {
	ID         int64      `json:"id"`
	User       string     `json:"user"`
	Prefix     string     `json:"prefix,omitempty"`
	Label      string     `json:"label,omitempty"` // what it is for, in its owner's words (tokens made in a session)
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

// Accounts signs people in with a password and recognises their sessions (会话). The web
// server keeps the session itself (a cookie and the SessionStore); Accounts answers who a
// session belongs to, at every request, so that a disabled user, a changed role or a new
// password takes effect at once.
type Accounts interface {
	// SignIn checks name and password, from client (the caller's address, for the failure
	// counter). It answers EUnauthorized, saying only that the name or password is wrong, for
	// an unknown user, a user without a password, a disabled user or a wrong password; and
	// ETooManyRequests (Detail "retry_after_seconds") while the sign-in limits (SignInFailuresPerUser…) are exceeded for the
	// name or the client, without checking the password. A success clears the name's failures
	// and re-hashes a password stored with outdated parameters.
	SignIn(ctx context.Context, name, password, client string) (SignedIn, error)
	// SessionViewer returns the viewer of a session made by SignIn: EUnauthorized when the
	// user is gone, disabled, or their password changed since (passwordSetAt differs).
	SessionViewer(ctx context.Context, name string, passwordSetAt time.Time) (Viewer, error)
}

// SignedIn is who signed in with a password, and when that password was set (the session
// keeps it: a new password ends the session).
type SignedIn struct {
	Viewer        Viewer
	PasswordSetAt time.Time
}

// Failed sign-ins are limited (登录失败次数限制), counted in the database so that every process
// behind a load balancer shares the count: after SignInFailuresPerUser failures for one name,
// or SignInFailuresPerClient from one client, within SignInWindow (a fixed window from the
// first failure), sign-in is refused with 429 until the window ends. A success clears the
// name's count, not the client's.
const (
	SignInFailuresPerUser   = 5
	SignInFailuresPerClient = 20
	SignInWindow            = 15 * time.Minute
)
