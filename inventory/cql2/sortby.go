package cql2

import (
	"strings"

	"github.com/landinv/landinv/inventory"
)

// SortKey is one key of the OGC API parameter sortby: a queryable and its direction.
type SortKey struct {
	Property string
	Desc     bool
}

// ParseSortBy reads sortby ("-area_mu,code": "-" descending, "+" or nothing ascending; a
// leading space is a "+" that URL decoding turned into a space). Every key must be a
// non-geometry queryable of q, named once. Errors are EInvalid *inventory.Error about
// "sortby".
func ParseSortBy(s string, q Queryables) ([]SortKey, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var keys []SortKey
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		k := SortKey{}
		name := strings.TrimLeft(part, " ")
		switch {
		case strings.HasPrefix(name, "-"):
			k.Desc, name = true, name[1:]
		case strings.HasPrefix(name, "+"):
			name = name[1:]
		}
		name = strings.TrimSpace(name)
		qa, ok := q[name]
		switch {
		case name == "":
			return nil, inventory.Errorf(inventory.EInvalid, "sortby", "empty sort key in %q", short(s))
		case !ok:
			return nil, inventory.Errorf(inventory.EInvalid, "sortby", "unknown property %q", short(name))
		case qa.Type == TypeGeometry:
			return nil, inventory.Errorf(inventory.EInvalid, "sortby", "cannot sort by the geometry %q", name)
		case seen[name]:
			return nil, inventory.Errorf(inventory.EInvalid, "sortby", "property %q named twice", name)
		}
		seen[name] = true
		k.Property = name
		keys = append(keys, k)
	}
	return keys, nil
}
