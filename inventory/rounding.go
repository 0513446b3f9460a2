package inventory

// Rounding of report figures (数值修约) for people: the precision the national forms use, per
// unit. The reports' JSON keeps full precision (clients round); CSV and XLSX give rounded
// figures by default, with the raw ones beside them (XLSX: a "<table>_raw" sheet per table; CSV:
// raw=true).
//
//	unit                                        decimals
//	m², 公顷, 亩, km², m, km                      2      areas and lengths
//	%                                           2      rates and shares (e.g. 89.46 %)
//	(none: ratios such as the floor-area ratio)  2      e.g. 0.98
//	万元, 万元/年, 万元/公顷, 万元/亩, 万元/亩/年   2      money and money per area
//	人                                          0      people
//	人/公顷                                      2
//	0–100 (scores)                              2
//
// Counts (plots, sites) are integers and print as they are. A column may set its own
// precision (Column.Digits, e.g. the evaluation weights: 3).

import (
	"math"
	"strconv"
)

// DefaultDecimals is the precision of a unit not listed in unitDecimals.
const DefaultDecimals = 2

var unitDecimals = map[string]int{"人": 0}

// Decimals returns the number of decimals a figure in unit is printed with.
func Decimals(unit string) int {
	if d, ok := unitDecimals[unit]; ok {
		return d
	}
	return DefaultDecimals
}

// Places is the precision of the column's figures: Digits when set, else by its unit.
func (c Column) Places() int {
	if c.Digits > 0 {
		return c.Digits
	}
	return Decimals(c.Unit)
}

// Round rounds x half away from zero to places decimals, as written in decimal: 66.835 → 66.84
// (x × 10^places is first cut to 15 significant digits, which drops the binary
// representation's error, e.g. 6683.499999999999 → 6683.5).
func Round(x float64, places int) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	p := math.Pow10(places)
	scaled, err := strconv.ParseFloat(strconv.FormatFloat(x*p, 'g', 15, 64), 64)
	if err != nil {
		scaled = x * p
	}
	r := math.Round(scaled) / p
	if r == 0 {
		return 0 // no "-0"
	}
	return r
}
