package web

import (
	"net/http"
	"testing"
)

func TestNoneMatch(t *testing.T) {
	const strong, weak = `"plots-P1-v3"`, `W/"plots-9-ab"`
	for _, c := range []struct {
		name  string
		lines []string
		etag  string
		want  bool
	}{
		{"absent", nil, strong, false},
		{"same", []string{strong}, strong, true},
		{"weakened by a proxy", []string{`W/"plots-P1-v3"`}, strong, true},
		{"weak tag sent back", []string{weak}, weak, true},
		{"weak tag sent back strong", []string{`"plots-9-ab"`}, weak, true},
		{"another version", []string{`"plots-P1-v2"`}, strong, false},
		{"the public's copy is another tag", []string{`"plots-P1-v3-public"`}, strong, false},
		{"in a list", []string{`"a", W/"plots-P1-v3" , "b"`}, strong, true},
		{"over two lines", []string{`"a"`, `"plots-P1-v3"`}, strong, true},
		{"a comma inside a tag", []string{`"x,plots-P1-v3"`}, strong, false},
		{"star", []string{"*"}, strong, true},
		{"unquoted", []string{`plots-P1-v3`}, strong, false},
		{"unterminated", []string{`"plots-P1-v3`}, strong, false},
		{"garbage after a tag that does not match", []string{`"a" zz "plots-P1-v3"`}, strong, false},
		{"empty", []string{""}, strong, false},
	} {
		r, _ := http.NewRequest("GET", "/", nil)
		for _, l := range c.lines {
			r.Header.Add("If-None-Match", l)
		}
		if got := noneMatch(r, c.etag); got != c.want {
			t.Errorf("%s: noneMatch(%q, %s) = %v, want %v", c.name, c.lines, c.etag, got, c.want)
		}
	}
}
