// Package inventory holds the domain of a development zone's land inventory (开发区土地台账):
// the kinds of feature it keeps, their fields and units, the rules they obey, the filters a
// planner or investor can ask for, and the service interfaces that a store implements.
//
// Each kind of feature is a Layer, described by its fields; one file per layer (plot.go,
// plant.go, idle_site.go, road.go, layout.go, zone.go) declares it. A Feature is one version of
// one feature: its code, its geometry as GeoJSON, and its properties. Properties marked
// Confidential (DOMAIN.md §7: firms' investment, tax, output, tenants, rents and contacts) are
// carried in a separate map and reach only planners and admins.
//
// The PostGIS implementation lives in inventory/postgis and is the only place with SQL. All
// geometry work (areas, containment, overlap, distance) happens there, in PostGIS.
//
// Rules every store enforces, whoever writes (the database holds them as triggers):
//   - geometry is valid and non-empty, of the layer's type, in EPSG:4326 (lon, lat);
//   - plots and idle sites lie inside their zone;
//   - plots do not overlap each other by more than 1 m²;
//   - every plant lies inside a plot;
//   - areas and lengths are never typed in: area_m2, area_mu, area_ha and length_m are computed
//     by PostGIS on the ellipsoid (geography);
//   - a plot's district is derived from the layout when not given;
//   - plot status and idle-site stage follow their lifecycles (see PlotStatuses, IdleStages).
package inventory

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Feature is one version of one feature of a layer, as GeoJSON needs it.
type Feature struct {
	Layer     string
	Code      string
	Version   int
	ValidFrom time.Time
	// Geometry is the GeoJSON geometry in EPSG:4326 (lon, lat), as PostGIS wrote it.
	Geometry json.RawMessage
	// Properties are the public properties, including the computed ones.
	Properties map[string]any
	// Confidential holds the confidential properties; nil unless the viewer may see them.
	Confidential map[string]any
	// Unchanged says that the write that returned the feature changed nothing and wrote no
	// version (No-op writes; the HTTP answer says X-Landinv-Unchanged: true).
	Unchanged bool
}

// ETag is the feature version's entity tag: it changes with every version.
func (f *Feature) ETag() string {
	return fmt.Sprintf(`"%s-%s-v%d"`, f.Layer, f.Code, f.Version)
}

// MarshalJSON writes the feature as an RFC 7946 Feature, with the confidential properties, when
// present, under properties.confidential.
func (f Feature) MarshalJSON() ([]byte, error) {
	props := make(map[string]any, len(f.Properties)+1)
	for k, v := range f.Properties {
		props[k] = v
	}
	if f.Confidential != nil {
		props["confidential"] = f.Confidential
	}
	geom := f.Geometry
	if len(geom) == 0 {
		geom = json.RawMessage("null")
	}
	return json.Marshal(struct {
		Type       string          `json:"type"`
		ID         string          `json:"id"`
		Geometry   json.RawMessage `json:"geometry"`
		Properties map[string]any  `json:"properties"`
	}{"Feature", f.Code, geom, props})
}

// Role is what a user may do.
type Role string

// Roles: the public are viewers; leaders (领导, zone leadership) read everything and write
// nothing; planners edit; admins also manage users.
const (
	RoleViewer  Role = "viewer"
	RoleLeader  Role = "leader"
	RolePlanner Role = "planner"
	RoleAdmin   Role = "admin"
)

// Roles lists every role, from least to most allowed.
var Roles = []Role{RoleViewer, RoleLeader, RolePlanner, RoleAdmin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	return r == RoleViewer || r == RoleLeader || r == RolePlanner || r == RoleAdmin
}

// Viewer is who is asking. The zero Viewer is the anonymous public.
type Viewer struct {
	Name string
	Role Role
}

// SeesConfidential reports whether the viewer may see confidential figures (and so the
// score): leaders, planners and admins.
func (v Viewer) SeesConfidential() bool {
	return v.Role == RoleLeader || v.Role == RolePlanner || v.Role == RoleAdmin
}

// CanEdit reports whether the viewer may change the inventory: planners and admins (a leader
// reads everything but writes nothing).
func (v Viewer) CanEdit() bool { return v.Role == RolePlanner || v.Role == RoleAdmin }

// Anonymous is the public viewer.
var Anonymous = Viewer{Name: "", Role: RoleViewer}

type viewerKey struct{}

// WithViewer returns a context that carries v.
func WithViewer(ctx context.Context, v Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

// ViewerFrom returns the viewer carried by ctx, or Anonymous.
func ViewerFrom(ctx context.Context) Viewer {
	if v, ok := ctx.Value(viewerKey{}).(Viewer); ok {
		return v
	}
	return Anonymous
}

// Error kinds. A store returns *Error so that callers (the HTTP layer, the CLI) can answer
// with the right status and name the field at fault.
const (
	EInvalid              = "invalid"               // bad input: 400 for a parameter, 422 for a body
	ENotFound             = "not_found"             // 404
	EConflict             = "conflict"              // 409: clashes with other features
	EUnauthorized         = "unauthorized"          // 401
	EForbidden            = "forbidden"             // 403
	EPrecondition         = "precondition"          // 412: stale If-Match
	EPreconditionRequired = "precondition_required" // 428: If-Match missing
	ETooLarge             = "too_large"             // 413
	ETooManyRequests      = "too_many_requests"     // 429: Detail["retry_after_seconds"] says when to try again
	EInternal             = "internal"              // 500
)

// Error is a domain error: what kind, which field (or parameter), and why.
type Error struct {
	Kind   string
	Field  string
	Reason string
	// Detail carries structured facts about the error, e.g. the conflicting plots and
	// the overlap areas, or the location of a self-intersection.
	Detail map[string]any
	// Code is the rule's stable machine code (问题代码, codes.go): clients show the problem in
	// their language from its templates (GET /api/v1/meta codes) and Params. Empty means the
	// kind's own code (CodeOf).
	Code string
	// Params are the facts the code's templates name: limits, values, other plots' codes.
	Params map[string]any
	Err    error
}

func (e *Error) Error() string {
	switch {
	case e.Field != "" && e.Reason != "":
		return e.Field + ": " + e.Reason
	case e.Reason != "":
		return e.Reason
	case e.Err != nil:
		return e.Err.Error()
	}
	return e.Kind
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error of the given kind about field.
func Errorf(kind, field, format string, args ...any) *Error {
	return &Error{Kind: kind, Field: field, Reason: fmt.Sprintf(format, args...)}
}

// With sets the error's rule code and its parameters (nil keeps none) and returns it.
func (e *Error) With(code string, params map[string]any) *Error {
	e.Code = code
	e.Params = params
	return e
}

// ErrorKind returns the kind of err: its *Error's kind, or EInternal.
func ErrorKind(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return EInternal
}
