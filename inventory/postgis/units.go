package postgis

import (
	"strconv"

	"github.com/landinv/landinv/geo"
)

// Area conversions in SQL. The database stores areas in m² only (area_m2, computed by PostGIS
// on the ellipsoid); 亩, 公顷 and km² are derived from it here with the factors of geo/units.go,
// the one definition of these units. The factors are written into the SQL as decimal literals
// (1 m² = 0.0015 亩, 1 公顷 = 10000 m², 1 km² = 1000000 m²); units_test.go checks that what the
// database computes agrees with geo's conversions.
var (
	sqlMuPerSquareMetre        = sqlNumber(geo.MuPerHectare / geo.SquareMetresPerHectare)
	sqlSquareMetresPerHectare  = sqlNumber(geo.SquareMetresPerHectare)
	sqlSquareMetresPerSquareKm = sqlNumber(geo.SquareMetresPerSquareKilometre)
)

// sqlNumber writes x as an SQL numeric literal (shortest decimal that reads back as x).
func sqlNumber(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// muSQL is the SQL expression of m2 (an expression in m²) in 亩.
func muSQL(m2 string) string { return m2 + " * " + sqlMuPerSquareMetre }

// haSQL is the SQL expression of m2 (an expression in m²) in 公顷 (hectares).
func haSQL(m2 string) string { return m2 + " / " + sqlSquareMetresPerHectare }

// km2SQL is the SQL expression of m2 (an expression in m²) in km².
func km2SQL(m2 string) string { return m2 + " / " + sqlSquareMetresPerSquareKm }
