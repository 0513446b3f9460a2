package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
)

// releaseOf names the running build for the ETags of lists: given, or the build information's
// name (BuildRelease). A list's ETag is its revision and query; the same revision written by
// another release (a property added, a number formatted otherwise) is another page, and a
// client that revalidates with the old release's tag must get the new page rather than a 304.
func releaseOf(given string) string {
	if given != "" {
		return given
	}
	name, _ := BuildRelease()
	return name
}

// BuildRelease names this build from its build information: the main module's version, the Go
// version and the VCS revision (with "dirty" for a modified tree). exact is false when the
// build carries no VCS revision (go test, go run, a build from a copy without .git), whose name
// is then the same for every release: ExecutableRelease names such a build by its contents.
func BuildRelease() (name string, exact bool) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev", false
	}
	parts := []string{info.Main.Version, info.GoVersion}
	for _, kv := range info.Settings {
		switch kv.Key {
		case "vcs.revision":
			parts, exact = append(parts, kv.Value), true
		case "vcs.modified":
			if kv.Value == "true" {
				parts, exact = append(parts, "dirty"), false // two dirty builds of one commit differ
			}
		}
	}
	return strings.Join(parts, "+"), exact
}

// ExecutableRelease is BuildRelease, and when that is not exact, with a digest of the running
// executable's file added: processes running the same binary share it, another binary does not.
// For `landinv serve` (Deps.Release); it reads the executable once.
func ExecutableRelease() (string, error) {
	name, exact := BuildRelease()
	if exact {
		return name, nil
	}
	path, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("release: %w", err)
	}
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("release: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("release: read %s: %w", path, err)
	}
	return name + "+" + hex.EncodeToString(h.Sum(nil)[:8]), nil
}
