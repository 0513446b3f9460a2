package inventory

import (
	"slices"
	"sort"
	"testing"
)

// TestEnumLabelsCoverEveryValue: every value of every enumerated field of every layer has a
// Chinese and an English name (code enums aside), and no name is left for a value, field or
// layer that does not exist.
func TestEnumLabelsCoverEveryValue(t *testing.T) {
	enumFields := map[string]bool{}
	for _, l := range Layers() {
		for _, f := range l.Fields {
			if f.Type != Enum {
				continue
			}
			key := l.Name + "." + f.Name
			enumFields[key] = true
			names := EnumLabels(l.Name, f.Name)
			if codeEnums[key] {
				if names != nil {
					t.Errorf("%s is a code enum but has names", key)
				}
				continue
			}
			if len(f.Enum) == 0 {
				t.Errorf("%s: enumerated field without values", key)
			}
			for _, v := range f.Enum {
				n, ok := names[v]
				if !ok || n.Label == "" || n.LabelEN == "" {
					t.Errorf("%s: value %q has no Chinese and English name (got %+v)", key, v, n)
				}
			}
			for v := range names {
				if !slices.Contains(f.Enum, v) {
					t.Errorf("%s: name for %q, which is not one of its values %v", key, v, f.Enum)
				}
			}
		}
	}
	for layer, fields := range enumLabels {
		for field := range fields {
			if !enumFields[layer+"."+field] {
				t.Errorf("names for %s.%s, which is not an enumerated field", layer, field)
			}
		}
	}
	var codes []string
	for k := range codeEnums {
		if !enumFields[k] {
			codes = append(codes, k)
		}
	}
	sort.Strings(codes)
	if len(codes) > 0 {
		t.Errorf("code enums that are not enumerated fields: %v", codes)
	}
}
