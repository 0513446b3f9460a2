package postgis

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/landinv/landinv/inventory"
)

// The database's triggers raise their refusals with landinv_raise (SQLSTATE LI422 / LI409, a
// JSON DETAIL holding field, reason and the rule's facts). triggerRule gives each the rule's
// problem code (inventory/codes.go) and params, from the facts the trigger attached or, for
// triggers that attach none, from the reason's fixed wording (the migrations are applied and
// never edited, so the wording is stable). rules_test.go and web/edit_test.go raise each.

// stepRe reads "cannot go from X to Y" (lifecycle triggers that attach no from/to).
var stepRe = regexp.MustCompile(`cannot go from (\S+?) to (\S+?)(;|$)`)

// quotedRe reads the value of "unknown plot 'P9'" or "unknown district 'X'".
var quotedRe = regexp.MustCompile(`'((?:[^']|'')*)'`)

// triggerRule returns the problem code and params of a trigger's refusal of field with reason
// and the facts d (the DETAIL without field and reason). An unknown wording returns "" (the
// kind's own code).
func triggerRule(field, reason string, d map[string]any) (string, map[string]any) {
	quoted := func() string {
		if m := quotedRe.FindStringSubmatch(reason); m != nil {
			return strings.ReplaceAll(m[1], "''", "'")
		}
		return ""
	}
	if r, ok := d["project_rule"].(string); ok { // projects_rules (0061) names its rule
		p := map[string]any{}
		for k, v := range d {
			if k != "project_rule" {
				p[k] = v
			}
		}
		return r, p
	}
	switch {
	case d["conflicts"] != nil:
		return inventory.CodeOverlap, overlapParams(d["conflicts"])
	case d["from"] != nil && d["to"] != nil:
		return inventory.CodeIllegalStep, map[string]any{"from": d["from"], "to": d["to"]}
	case d["swapped_axes"] == true:
		return inventory.CodeSwappedAxes, nil
	case d["outside_m2"] != nil:
		return inventory.CodeOutsideZone, map[string]any{"outside_m2": d["outside_m2"]}
	case d["plants"] != nil:
		return inventory.CodePlantsLeftOutside, map[string]any{"plants": joinAny(d["plants"])}
	case d["outside"] != nil:
		return inventory.CodeZoneLeavesOutside, map[string]any{"features": joinAny(d["outside"])}
	case strings.HasPrefix(reason, "cannot go from "):
		if m := stepRe.FindStringSubmatch(reason); m != nil {
			return inventory.CodeIllegalStep, map[string]any{"from": m[1], "to": m[2]}
		}
	case field == "geometry" && strings.HasPrefix(reason, "is invalid: Self-intersection"):
		p := map[string]any{}
		if d["location"] != nil {
			p["location"] = d["location"]
		}
		return inventory.CodeSelfIntersection, p
	case field == "geometry" && strings.HasPrefix(reason, "is invalid"):
		return inventory.CodeInvalidGeometry, map[string]any{"reason": strings.TrimPrefix(reason, "is invalid: ")}
	case field == "geometry" && reason == "is missing":
		return inventory.CodeGeometryMissing, nil
	case field == "geometry" && reason == "is empty":
		return inventory.CodeGeometryEmpty, nil
	case field == "geometry" && strings.HasPrefix(reason, "must be in EPSG:4326"):
		return inventory.CodeWrongSRID, nil
	case field == "geometry" && strings.HasPrefix(reason, "must be a "):
		return inventory.CodeGeometryType, nil
	case field == "geometry" && strings.HasPrefix(reason, "has coordinates outside"):
		return inventory.CodeCoordinatesRange, nil
	case field == "geometry" && reason == "does not lie inside any plot":
		return inventory.CodePlantOutsidePlot, nil
	case field == "geometry" && strings.HasPrefix(reason, "does not lie inside plot "):
		return inventory.CodePlantOutsideHost, map[string]any{"plot": strings.TrimPrefix(reason, "does not lie inside plot ")}
	case field == "plot_code" && strings.HasPrefix(reason, "unknown plot"):
		return inventory.CodeUnknownPlot, map[string]any{"plot": quoted()}
	case field == "district" && strings.HasPrefix(reason, "unknown district"):
		return inventory.CodeUnknownDistrict, map[string]any{"district": quoted()}
	case field == "zone" && strings.HasSuffix(reason, "does not exist"):
		return inventory.CodeNotFound, nil
	case field == "code" && strings.HasSuffix(reason, "already exists"):
		return inventory.CodeExists, map[string]any{"code": lastWord(strings.TrimSuffix(reason, " already exists"))}
	case field == "version" && strings.Contains(reason, "does not follow version"):
		return inventory.CodeVersionClash, nil
	case strings.Contains(reason, "cannot be deleted") || strings.Contains(reason, "cannot be changed in place") ||
		strings.Contains(reason, "cannot be truncated") || strings.Contains(reason, "never deleted") ||
		strings.Contains(reason, "cannot be changed; only"):
		return inventory.CodeHistoryImmutable, nil
	case field == "status" && strings.HasPrefix(reason, "a new enquiry starts"):
		return inventory.CodeIllegalStep, map[string]any{"from": "", "to": "new"}
	}
	return "", nil
}

// overlapParams are an overlap's params: others (the other plots' codes, joined), other (the
// first), overlap_m2 (the total overlap, m²) and conflicts (each plot's code and overlap_m2).
func overlapParams(c any) map[string]any {
	list, _ := c.([]any)
	var codes []string
	total := 0.0
	for _, x := range list {
		m, _ := x.(map[string]any)
		if code, ok := m["code"].(string); ok {
			codes = append(codes, code)
		}
		switch a := m["overlap_m2"].(type) {
		case float64:
			total += a
		case json.Number:
			f, _ := a.Float64()
			total += f
		}
	}
	p := map[string]any{"others": strings.Join(codes, ", "), "overlap_m2": float64(int(total*10+0.5)) / 10, "conflicts": list}
	if len(codes) > 0 {
		p["other"] = codes[0]
	}
	return p
}

func joinAny(v any) string {
	list, _ := v.([]any)
	s := make([]string, len(list))
	for i, x := range list {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}

func lastWord(s string) string {
	if i := strings.LastIndexByte(s, ' '); i >= 0 {
		return s[i+1:]
	}
	return s
}
