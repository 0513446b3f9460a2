package postgis

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// SessionStore keeps the web server's sessions (会话) in the sessions table, so that every
// process behind a load balancer shares them. It is a session store of
// github.com/alexedwards/scs (its Store and CtxStore interfaces); tokens arrive hashed (scs's
// HashTokenInStore), so the table never holds a usable cookie value. Expired rows are removed
// at each sign-in (SignIn).
type SessionStore struct{ db *DB }

// Sessions returns the store's session store.
func (db *DB) Sessions() *SessionStore { return &SessionStore{db: db} }

// SessionWriteSlack is how far a session's stored expiry may lag behind: a commit that only
// moves the expiry forward by less than this writes nothing, so that a page loading many
// tiles does not write its session once per tile. The idle timeout is exact to within it.
const SessionWriteSlack = time.Minute

// FindCtx returns the data of a live session.
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var b []byte
	err := s.db.Pool.QueryRow(ctx, "select data from sessions where token = $1 and expiry > now()", token).Scan(&b)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("find session: %w", err)
	}
	return b, true, nil
}

// CommitCtx stores a session's data and expiry. When only the expiry moves, and by less than
// SessionWriteSlack, nothing is written.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	_, err := s.db.Pool.Exec(ctx, `insert into sessions (token, data, expiry) values ($1, $2, $3)
		on conflict (token) do update set data = excluded.data, expiry = excluded.expiry
		where sessions.data is distinct from excluded.data
		   or excluded.expiry < sessions.expiry
		   or excluded.expiry >= sessions.expiry + make_interval(secs => $4)`, token, b, expiry, SessionWriteSlack.Seconds())
	if err != nil {
		return fmt.Errorf("commit session: %w", err)
	}
	return nil
}

// DeleteCtx removes a session (signing out); an unknown token is no error.
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	if _, err := s.db.Pool.Exec(ctx, "delete from sessions where token = $1", token); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// Find is FindCtx without a context (scs.Store).
func (s *SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit is CommitCtx without a context (scs.Store).
func (s *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// Delete is DeleteCtx without a context (scs.Store).
func (s *SessionStore) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }
