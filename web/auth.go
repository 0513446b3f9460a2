package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/landinv/landinv/inventory"
)

// TokenAuthenticator returns a Server.Authenticate hook that reads
// "Authorization: Bearer TOKEN" and asks check who the token belongs to. A request without
// the header is the anonymous public; a malformed header or an unknown, revoked or expired
// token is refused with 401, never silently served as public. The problem says which of
// these (an expired token is told it expired) and nothing about whose token it was.
func TokenAuthenticator(check func(ctx context.Context, token string) (inventory.Viewer, error)) func(r *http.Request) (inventory.Viewer, error) {
	return func(r *http.Request) (inventory.Viewer, error) {
		h := r.Header.Get("Authorization")
		if h == "" {
			return inventory.Anonymous, nil
		}
		scheme, token, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			return inventory.Anonymous, inventory.Errorf(inventory.EUnauthorized, "Authorization", "must be \"Bearer TOKEN\"")
		}
		return check(r.Context(), strings.TrimSpace(token))
	}
}

// me answers GET /api/v1/me: who the credentials belong to. The page's sign-in form uses it
// to check a pasted token.
func me(w http.ResponseWriter, r *http.Request) {
	v := inventory.ViewerFrom(r.Context())
	writeJSON(w, http.StatusOK, map[string]any{
		"name": v.Name, "role": v.Role, "signed_in": v.Name != "",
		"can_edit": v.CanEdit(), "sees_confidential": v.SeesConfidential(),
	})
}

// signedIn is the middleware of every write route: the anonymous public gets 401 (with
// WWW-Authenticate) before the body is read. Whether the signed-in user may write is the
// store's rule (inventory.CanWrite, checked once at its entry: 403 for a viewer).
func signedIn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v := inventory.ViewerFrom(r.Context()); v.Name == "" && !v.CanEdit() {
			w.Header().Set("WWW-Authenticate", `Bearer realm="landinv"`)
			Problem(w, r, inventory.CanWrite(v))
			return
		}
		next.ServeHTTP(w, r)
	})
}
