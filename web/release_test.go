package web_test

import (
	"regexp"
	"testing"

	"github.com/landinv/landinv/web"
)

// TestExecutableRelease: a build without a VCS revision (this test binary) is named by its
// build information and a digest of its executable, the same each time; a build with one by the
// build information alone.
func TestExecutableRelease(t *testing.T) {
	name, exact := web.BuildRelease()
	a, err := web.ExecutableRelease()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := web.ExecutableRelease()
	if a != b || a == "" {
		t.Fatalf("two names of one binary: %q, %q", a, b)
	}
	if exact {
		if a != name {
			t.Errorf("a build with a VCS revision is named %q, its build information %q", a, name)
		}
		return
	}
	if !regexp.MustCompile(`^` + regexp.QuoteMeta(name) + `\+[0-9a-f]{16}$`).MatchString(a) {
		t.Errorf("a build without a VCS revision is named %q, want %q and a digest", a, name)
	}
}
