package importer

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/landinv/landinv/inventory"
)

// ParseMapping reads "src=dst,src2=dst2". A destination of "-" drops the source field.
func ParseMapping(s string) (map[string]string, error) {
	m := map[string]string{}
	if strings.TrimSpace(s) == "" {
		return m, nil
	}
	for _, pair := range strings.Split(s, ",") {
		src, dst, ok := strings.Cut(pair, "=")
		src, dst = strings.TrimSpace(src), strings.TrimSpace(dst)
		if !ok || src == "" || dst == "" {
			return nil, inventory.Errorf(inventory.EInvalid, "map", "%q is not src=dst", pair)
		}
		if _, dup := m[src]; dup {
			return nil, inventory.Errorf(inventory.EInvalid, "map", "maps %s twice", src)
		}
		m[src] = dst
	}
	return m, nil
}

// Prepare renames every record's fields by mapping (source names not in the mapping keep their
// name, matched case-insensitively to the layer's fields, since .dbf names are often upper
// case), and converts values to the layer's field types where that is unambiguous (numbers
// written as text, codes written as numbers, 是/否 and yes/no). A source field that maps to no
// writable field of the layer is refused for the whole file, naming it, so that nothing is
// silently lost: map it, or drop it with NAME=-.
func Prepare(l *inventory.Layer, src *Source, mapping map[string]string) error {
	writable := map[string]inventory.Field{}
	lower := map[string]string{}
	for _, f := range l.Fields {
		if !f.Computed {
			writable[f.Name] = f
			lower[strings.ToLower(f.Name)] = f.Name
		}
	}
	for src, dst := range mapping {
		if _, ok := writable[dst]; !ok && dst != "-" {
			return inventory.Errorf(inventory.EInvalid, "map", "%s=%s: %s is not a writable property of %s", src, dst, dst, l.Name)
		}
	}
	if err := mappedFieldsExist(src, mapping); err != nil {
		return err
	}
	unknown := map[string]bool{}
	prepare := func(r *Record) {
		out := make(map[string]any, len(r.Props))
		for k, v := range r.Props {
			name, mapped := mapping[k]
			if !mapped {
				name = k
				if _, ok := writable[k]; !ok {
					if n, ok := lower[strings.ToLower(k)]; ok {
						name = n
					}
				}
			}
			if name == "-" {
				continue
			}
			if k == "confidential" {
				if m, ok := v.(map[string]any); ok {
					for ck, cv := range m {
						out[ck] = cv
					}
					continue
				}
			}
			f, ok := writable[name]
			if !ok {
				unknown[k] = true
				continue
			}
			out[name] = convert(f, v)
		}
		r.Props = out
	}
	if src.stream != nil {
		// A streamed file is prepared as it is read (Source.All); its field names, gathered by
		// the reader's first pass, are checked now, before anything is loaded.
		for _, r := range src.stream.probes() {
			prepare(&r)
		}
		src.convert = prepare
	}
	for i := range src.Records {
		prepare(&src.Records[i])
	}
	if len(unknown) > 0 {
		names := make([]string, 0, len(unknown))
		for k := range unknown {
			names = append(names, k)
		}
		sort.Strings(names)
		return inventory.Errorf(inventory.EInvalid, "map", "the file's field(s) %s are not properties of %s; rename them with --map SRC=DST (e.g. 地块编号=code) or drop them with --map SRC=-", strings.Join(names, ", "), l.Name)
	}
	return nil
}

// mappedFieldsExist refuses a mapping whose source field the file does not have (a typo in
// --map or map= would otherwise be ignored, and the field it meant refused or lost), naming it
// and listing the file's fields. A file without features has no fields to check.
func mappedFieldsExist(src *Source, mapping map[string]string) error {
	recs := src.Records
	if src.stream != nil {
		recs = src.stream.probes() // one record per field name the reader's first pass saw
	}
	if len(recs) == 0 {
		return nil
	}
	has := map[string]bool{}
	for _, r := range recs {
		for k := range r.Props {
			has[k] = true
		}
	}
	var missing []string
	for s := range mapping {
		if !has[s] {
			missing = append(missing, s)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	sort.Strings(missing)
	fields := make([]string, 0, len(has))
	for k := range has {
		fields = append(fields, k)
	}
	sort.Strings(fields)
	if len(fields) > 40 {
		fields = append(fields[:40], "…")
	}
	return &inventory.Error{Kind: inventory.EInvalid, Field: "map",
		Reason: fmt.Sprintf("maps %s, which the file does not have; its fields: %s", strings.Join(missing, ", "), strings.Join(fields, ", ")),
		Detail: map[string]any{"missing": missing}}
}

func convert(f inventory.Field, v any) any {
	switch x := v.(type) {
	case string:
		s := strings.TrimSpace(x)
		if s == "" {
			return nil
		}
		switch f.Type {
		case inventory.Number, inventory.Integer:
			if n, err := strconv.ParseFloat(s, 64); err == nil {
				return n
			}
		case inventory.Bool:
			switch strings.ToLower(s) {
			case "true", "t", "yes", "y", "1", "是":
				return true
			case "false", "f", "no", "n", "0", "否":
				return false
			}
		}
		return s
	case int64:
		if f.Type == inventory.Bool && (x == 0 || x == 1) {
			return x == 1
		}
		if f.Type == inventory.Text || f.Type == inventory.Enum {
			return strconv.FormatInt(x, 10)
		}
		return float64(x)
	case float64:
		if f.Type == inventory.Text && x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return strconv.FormatInt(int64(x), 10)
		}
		return x
	case json.Number:
		if f.Type == inventory.Text {
			return x.String()
		}
		if n, err := x.Float64(); err == nil {
			return n
		}
	}
	return v
}
