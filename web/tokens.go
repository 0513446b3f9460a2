package web

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/landinv/landinv/inventory"
)

// API tokens of one's own (访问令牌自助): a person signed in with a password makes, lists and
// revokes the tokens their GIS client (QGIS, ArcGIS, GDAL) sends as Authorization: Bearer, so a
// planner who edits in QGIS does not need an administrator at the server's command line.
//
//   - GET /api/v1/me/tokens: the caller's tokens (never the tokens themselves: their first
//     characters, dates and state), by a session or a token.
//   - POST /api/v1/me/tokens {"expires_in_days": N, "label": "office QGIS"}: a new token, shown
//     in the answer only (201, Cache-Control: no-store). N is 1 to MaxSelfTokenDays,
//     inventory.DefaultTokenLifetime (90 days) when left out. Only a session may make one
//     (403 for a token: a stolen token must not mint its own successors),
//     and a person keeps at most MaxActiveTokens working at once (409: revoke one first; the
//     store counts under a lock of the person's row). A password change revokes the tokens
//     made this way (inventory.Users.CreateSessionToken).
//     Tokens that never expire are for service accounts, made at the command line
//     (landinv token create --expires never).
//   - DELETE /api/v1/me/tokens/{id}: revokes one of the caller's tokens (204; 404 for an id
//     that is not theirs, as for one that does not exist).
//
// Writes by session carry X-CSRF-Token like every other (session.go). The public gets 401.

// MaxSelfTokenDays bounds the life of a token made over HTTP.
const MaxSelfTokenDays = 365

// MaxActiveTokens is how many working tokens a person may hold when making another.
const MaxActiveTokens = 10

// signedInPerson is the middleware of the token routes: 401 for the public (with
// WWW-Authenticate), saying what to do, before anything else; any role may go on.
func signedInPerson(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if inventory.ViewerFrom(r.Context()).Name == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="landinv"`)
			Problem(w, r, inventory.Errorf(inventory.EUnauthorized, "Authorization", "sign in (/signin) to see or make your own tokens"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// myTokens answers GET /api/v1/me/tokens.
func (s *Server) myTokens(w http.ResponseWriter, r *http.Request) {
	v := inventory.ViewerFrom(r.Context())
	list, err := s.deps.Users.ListTokens(r.Context(), v.Name)
	if err != nil {
		Problem(w, r, err)
		return
	}
	now := time.Now()
	type token struct {
		inventory.Token
		State string `json:"state"`
	}
	out := make([]token, 0, len(list))
	for _, t := range list {
		out = append(out, token{t, t.State(now)})
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{"tokens": out, "max_active": MaxActiveTokens, "max_days": MaxSelfTokenDays})
}

// createMyToken answers POST /api/v1/me/tokens.
func (s *Server) createMyToken(w http.ResponseWriter, r *http.Request) {
	v := inventory.ViewerFrom(r.Context())
	var body struct {
		ExpiresInDays *int   `json:"expires_in_days"`
		Label         string `json:"label"`
	}
	if r.ContentLength != 0 {
		if err := readJSONBody(w, r, 1<<10, &body); err != nil {
			ProblemBody(w, r, err)
			return
		}
	}
	if !viaSession(r.Context()) || v.Name == "" {
		Problem(w, r, inventory.Errorf(inventory.EForbidden, "Authorization",
			"a token is made by a person signed in with a password (/signin), not with another token"))
		return
	}
	days := int(inventory.DefaultTokenLifetime / (24 * time.Hour))
	if body.ExpiresInDays != nil {
		days = *body.ExpiresInDays
	}
	if days < 1 || days > MaxSelfTokenDays {
		ProblemBody(w, r, inventory.Errorf(inventory.EInvalid, "expires_in_days", "must be a whole number of days from 1 to %d", MaxSelfTokenDays))
		return
	}
	expires := time.Now().Add(time.Duration(days) * 24 * time.Hour).Truncate(time.Second)
	tok, err := s.deps.Users.CreateSessionToken(r.Context(), v.Name, body.Label, expires, MaxActiveTokens)
	if err != nil {
		Problem(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, map[string]any{"token": tok, "prefix": inventory.TokenPrefix(tok), "expires_at": expires.UTC()})
}

// revokeMyToken answers DELETE /api/v1/me/tokens/{id}.
func (s *Server) revokeMyToken(w http.ResponseWriter, r *http.Request) {
	v := inventory.ViewerFrom(r.Context())
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 || id > math.MaxInt32 { // api_tokens.id is an integer
		Problem(w, r, inventory.Errorf(inventory.ENotFound, "id", "no token %q of yours", chi.URLParam(r, "id")))
		return
	}
	if err := s.deps.Users.RevokeToken(r.Context(), v.Name, id); err != nil {
		Problem(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
