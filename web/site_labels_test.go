package web

import "testing"

// Hand-made cases: font size 10, a view of 0..1000 × 0..600; a 2-character CJK label is 20
// wide (+ 2·2 margin) and 16 high (baseline 11 below its top).
func TestPlaceRoadLabels(t *testing.T) {
	view := mapBox{0, 0, 1000, 600}
	scale := mapBox{20, 540, 200, 590}
	road := func(label string, x, y float64, planned bool) sheetShape {
		c := "road"
		if planned {
			c = "road planned"
		}
		return sheetShape{Label: label, X: x, Y: y, Class: c}
	}
	tests := []struct {
		name  string
		roads []sheetShape
		want  []string
	}{
		{"apart: both kept", []sheetShape{road("经一", 100, 100, false), road("经二", 300, 100, false)}, []string{"经一", "经二"}},
		{"overlapping: the second dropped", []sheetShape{road("经一", 100, 100, false), road("经二", 110, 105, false)}, []string{"经一", ""}},
		{"overlapping: the built road wins over an earlier planned one",
			[]sheetShape{road("纬一", 100, 100, true), road("经二", 110, 105, false)}, []string{"", "经二"}},
		{"on the scale bar: dropped", []sheetShape{road("经七", 100, 560, false)}, []string{""}},
		{"cut by the view's edge: dropped", []sheetShape{road("Binhe East Road Service Road", 20, 300, false)}, []string{""}},
		{"just clear of the scale bar: kept", []sheetShape{road("经七", 230, 560, false)}, []string{"经七"}},
		{"unlabelled roads ignored", []sheetShape{road("", 100, 100, false), road("经二", 100, 100, false)}, []string{"", "经二"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			placeRoadLabels(tc.roads, view, []mapBox{scale}, 10)
			for i, r := range tc.roads {
				if r.Label != tc.want[i] {
					t.Errorf("road %d: label %q, want %q", i, r.Label, tc.want[i])
				}
			}
		})
	}
}
