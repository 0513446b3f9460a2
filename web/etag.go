package web

import (
	"net/http"
	"strings"
)

// noneMatch reports whether the request's If-None-Match names etag, by the weak comparison
// RFC 9110 (§13.1.2) prescribes for it: W/ is ignored on both sides, so a tag a proxy weakened
// (nginx's gzip turns a strong ETag into W/"…") still revalidates; "*" names any current
// representation; a list of tags, over one header line or several, matches when one of them
// does. A malformed list matches nothing: the answer is then a full 200, never a wrong 304.
func noneMatch(r *http.Request, etag string) bool {
	want := opaqueTag(etag)
	for _, line := range r.Header.Values("If-None-Match") {
		s := strings.TrimSpace(line)
		if s == "*" {
			return true
		}
		for s != "" {
			s = strings.TrimLeft(s, " \t,")
			if s == "" {
				break
			}
			weak := strings.HasPrefix(s, "W/")
			if weak {
				s = s[2:]
			}
			if !strings.HasPrefix(s, `"`) {
				break // not an entity-tag: the rest of the line is not read
			}
			end := strings.IndexByte(s[1:], '"')
			if end < 0 {
				break
			}
			if s[:end+2] == want {
				return true
			}
			s = s[end+2:]
		}
	}
	return false
}

// opaqueTag is etag without its weakness prefix: "x" for W/"x" and "x".
func opaqueTag(etag string) string { return strings.TrimPrefix(etag, "W/") }
