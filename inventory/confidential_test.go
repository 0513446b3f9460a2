package inventory

import (
	"errors"
	"strings"
	"testing"
)

// TestCanSeeConfidential: the one gate for every role and the public, through both of its
// names, against a hand-made table; the refusal names the data.
func TestCanSeeConfidential(t *testing.T) {
	tests := []struct {
		v    Viewer
		want string // "" = allowed (else the kind)
	}{
		{Viewer{}, EUnauthorized},
		{Viewer{Name: "li", Role: RoleViewer}, EForbidden},
		{Viewer{Name: "wang", Role: RoleLeader}, ""},
		{Viewer{Name: "zhang", Role: RolePlanner}, ""},
		{Viewer{Name: "root", Role: RoleAdmin}, ""},
	}
	if len(tests) != len(Roles)+1 {
		t.Fatalf("the table covers %d viewers, want every role and the public (%d)", len(tests), len(Roles)+1)
	}
	gates := []struct {
		name string
		gate func(Viewer) error
		what string
	}{
		{"CanSeeConfidential", CanSeeConfidential, "enterprise figures"},
		{"CanSeePipeline", CanSeePipeline, "investment projects"},
	}
	for _, g := range gates {
		for _, tt := range tests {
			err := g.gate(tt.v)
			if tt.want == "" {
				if err != nil {
					t.Errorf("%s(%+v) = %v, want allowed", g.name, tt.v, err)
				}
				continue
			}
			var e *Error
			if !errors.As(err, &e) || e.Kind != tt.want || !strings.Contains(e.Reason, g.what) {
				t.Errorf("%s(%+v) = %v, want %s naming %q", g.name, tt.v, err, tt.want, g.what)
			}
		}
	}
}
