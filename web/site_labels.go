package web

import (
	"sort"
	"unicode"
)

// Label placement on the site sheet's map: a road's name is drawn only where its box stays
// inside the view and meets neither a name placed before it nor a reserved corner (the scale
// bar, the north arrow). Built roads are named first.

// mapBox is a box in the map's units (Web Mercator metres, y down).
type mapBox struct{ X0, Y0, X1, Y1 float64 }

// meets reports whether two boxes overlap (touching edges do not).
func (a mapBox) meets(b mapBox) bool {
	return a.X0 < b.X1 && b.X0 < a.X1 && a.Y0 < b.Y1 && b.Y0 < a.Y1
}

// inside reports whether a lies within b.
func (a mapBox) inside(b mapBox) bool {
	return a.X0 >= b.X0 && a.X1 <= b.X1 && a.Y0 >= b.Y0 && a.Y1 <= b.Y1
}

// textWidth estimates the width of s at font size em: a CJK character is one em wide, a Latin
// capital about 0.7 em, other characters about 0.56 em (sans-serif). It errs wide.
func textWidth(s string, em float64) float64 {
	w := 0.0
	for _, r := range s {
		switch {
		case r >= 0x2E80:
			w += 1
		case unicode.IsUpper(r):
			w += 0.7
		default:
			w += 0.56
		}
	}
	return w * em
}

// labelBox is the box of a label centred on x (text-anchor middle) with its baseline at y,
// with a margin of a fifth of an em.
func labelBox(s string, x, y, em float64) mapBox {
	w := textWidth(s, em)/2 + em/5
	return mapBox{x - w, y - 1.1*em, x + w, y + 0.5*em}
}

// placeRoadLabels clears the labels of roads that do not fit: outside view, over a reserved
// box, or over a label already placed. Roads with status "existing" are placed first, then the
// others, each group in its order.
func placeRoadLabels(roads []sheetShape, view mapBox, reserved []mapBox, em float64) {
	order := make([]int, len(roads))
	for i := range order {
		order[i] = i
	}
	planned := func(i int) bool { return roads[i].Class != "road" }
	sort.SliceStable(order, func(a, b int) bool { return !planned(order[a]) && planned(order[b]) })
	placed := append([]mapBox(nil), reserved...)
	for _, i := range order {
		r := &roads[i]
		if r.Label == "" {
			continue
		}
		b := labelBox(r.Label, r.X, r.Y, em)
		ok := b.inside(view)
		for _, p := range placed {
			if ok && b.meets(p) {
				ok = false
			}
		}
		if !ok {
			r.Label = ""
			continue
		}
		placed = append(placed, b)
	}
}
