// Package geo holds the pure-Go geometry and unit helpers of the land inventory: Chinese land
// units (亩 mu, 公顷 hectare) and the area of lon/lat polygons on the WGS 84 / GRS 80 ellipsoid.
// It uses no database and no cgo.
package geo

// SquareMetresPerMu is the size of one 亩 (mu), the customary Chinese land unit:
// 1 亩 = 10000/15 m² ≈ 666.667 m², so 15 亩 = 1 公顷 (hectare).
const SquareMetresPerMu = 10000.0 / 15

// SquareMetresPerHectare is the size of one 公顷 (hectare): 10,000 m².
const SquareMetresPerHectare = 10000.0

// SquareMetresPerSquareKilometre is the size of one 平方公里 (km²): 1,000,000 m² = 1500 亩.
const SquareMetresPerSquareKilometre = 1e6

// MuPerHectare is the number of 亩 (mu) in one 公顷 (hectare): 15.
const MuPerHectare = 15.0

// MuPerSquareKilometre is the number of 亩 (mu) in one 平方公里 (km²): 1500.
const MuPerSquareKilometre = 1500.0

// MuFromSquareMetres converts an area in m² to 亩 (mu).
func MuFromSquareMetres(m2 float64) float64 { return m2 / SquareMetresPerMu }

// SquareMetresFromMu converts an area in 亩 (mu) to m².
func SquareMetresFromMu(mu float64) float64 { return mu * SquareMetresPerMu }

// HectaresFromSquareMetres converts an area in m² to 公顷 (hectares).
func HectaresFromSquareMetres(m2 float64) float64 { return m2 / SquareMetresPerHectare }

// SquareMetresFromHectares converts an area in 公顷 (hectares) to m².
func SquareMetresFromHectares(ha float64) float64 { return ha * SquareMetresPerHectare }

// SquareKilometresFromSquareMetres converts an area in m² to 平方公里 (km²).
func SquareKilometresFromSquareMetres(m2 float64) float64 { return m2 / SquareMetresPerSquareKilometre }

// SquareMetresFromSquareKilometres converts an area in 平方公里 (km²) to m².
func SquareMetresFromSquareKilometres(km2 float64) float64 {
	return km2 * SquareMetresPerSquareKilometre
}

// MuFromHectares converts 公顷 (hectares) to 亩 (mu): 1 公顷 = 15 亩.
func MuFromHectares(ha float64) float64 { return ha * MuPerHectare }

// HectaresFromMu converts 亩 (mu) to 公顷 (hectares).
func HectaresFromMu(mu float64) float64 { return mu / MuPerHectare }

// MuFromSquareKilometres converts 平方公里 (km²) to 亩 (mu): 1 km² = 1500 亩.
func MuFromSquareKilometres(km2 float64) float64 { return km2 * MuPerSquareKilometre }

// SquareKilometresFromMu converts 亩 (mu) to 平方公里 (km²).
func SquareKilometresFromMu(mu float64) float64 { return mu / MuPerSquareKilometre }

// WanYuanPerMuFromWanYuanPerHectare converts an intensity per 公顷 (e.g. 万元/公顷, as in the
// national land-use intensity evaluation) to the same quantity per 亩 (万元/亩, as in standard-land
// control indicators): divide by 15.
func WanYuanPerMuFromWanYuanPerHectare(perHa float64) float64 { return perHa / MuPerHectare }

// WanYuanPerHectareFromWanYuanPerMu converts an intensity per 亩 (万元/亩) to per 公顷 (万元/公顷):
// multiply by 15.
func WanYuanPerHectareFromWanYuanPerMu(perMu float64) float64 { return perMu * MuPerHectare }
