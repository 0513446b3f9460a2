package inventory

import (
	"regexp"
	"strings"
	"testing"
)

// TestPlainDefinitions: every total and indicator has a plain definition in each language,
// Chinese ones name the land classes by national code and use no field name, English ones use
// no Chinese.
func TestPlainDefinitions(t *testing.T) {
	han := regexp.MustCompile(`\p{Han}`)
	field := regexp.MustCompile(`[a-z]+_[a-z_0-9]+`)
	for _, d := range IntensityTotals {
		if d.Plain == "" || d.PlainEN == "" || field.MatchString(d.Plain+d.PlainEN) || han.MatchString(d.PlainEN) {
			t.Errorf("total %s: plain %q / %q", d.Key, d.Plain, d.PlainEN)
		}
	}
	for _, d := range Indicators {
		if !strings.HasPrefix(d.Definition, d.Label+" = ") || !strings.HasPrefix(d.DefinitionEN, d.LabelEN+" = ") ||
			field.MatchString(d.Definition+d.DefinitionEN) || han.MatchString(d.DefinitionEN) || regexp.MustCompile(`[a-z]{3,}`).MatchString(d.Definition) {
			t.Errorf("indicator %s: %q / %q", d.Key, d.Definition, d.DefinitionEN)
		}
	}
	ind, _ := IndicatorNamed("land_development_rate")
	if want := "土地开发率 = (已建成城镇建设用地 A + 已达到供地条件的其他土地 B21) ÷ (已建成城镇建设用地 A + 尚可建设土地 B) × 100%"; ind.Definition != want {
		t.Errorf("development rate: %q, want %q", ind.Definition, want)
	}
}
