package web

import (
	"runtime/debug"
	"strings"
)

// releaseOf names the running build for the ETags of lists: given, or the main module's version
// and VCS revision (with "+dirty" for a modified tree) from the binary's build information, and
// the Go version. A list's ETag is its revision and query; the same revision written by another
// release (a property added, a number formatted otherwise) is another page, and a client that
// revalidates with the old release's tag must get the new page rather than a 304. A build
// without VCS information (go test, go run outside a checkout) is named by "(devel)" and its Go
// version alone: nobody caches its pages across builds; "dev" when there is no build
// information at all.
func releaseOf(given string) string {
	if given != "" {
		return given
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	parts := []string{info.Main.Version, info.GoVersion}
	for _, kv := range info.Settings {
		switch kv.Key {
		case "vcs.revision":
			parts = append(parts, kv.Value)
		case "vcs.modified":
			if kv.Value == "true" {
				parts = append(parts, "dirty")
			}
		}
	}
	return strings.Join(parts, "+")
}
