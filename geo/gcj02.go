package geo

import "math"

// GCJ-02 (国测局坐标, "Mars coordinates") is the obfuscated datum that AMap (高德) and Tencent
// maps draw their tiles in. Their tiles are shifted against true (WGS 84 / CGCS2000) positions
// by a smooth, deliberately irregular offset: about 550 m east and ~20 m south at Linfen
// (DOMAIN.md §7). To draw the zone's layers over such tiles, every coordinate must be shifted
// the same way (WGS84ToGCJ02); Tianditu (天地图) tiles are CGCS2000 and need no shift.
//
// The formulas are the widely published reconstruction of the GCJ-02 transform (Krasovsky
// 1940 ellipsoid parameters); the web page carries the same formulas in JavaScript
// (web/ui/src/gcj02.js), and the browser tests check both agree.

const (
	gcjA  = 6378245.0            // semi-major axis of the Krasovsky 1940 ellipsoid, m
	gcjEE = 0.006693421622965943 // its first eccentricity squared
)

// OutOfChina reports whether lon, lat lies outside the rough rectangle where GCJ-02 applies;
// there the transform is the identity.
func OutOfChina(lon, lat float64) bool {
	return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271
}

// WGS84ToGCJ02 shifts a WGS 84 (or CGCS2000, equal at map scale) position to GCJ-02.
func WGS84ToGCJ02(lon, lat float64) (float64, float64) {
	if OutOfChina(lon, lat) {
		return lon, lat
	}
	dLon, dLat := gcjDelta(lon, lat)
	return lon + dLon, lat + dLat
}

// GCJ02ToWGS84 inverts WGS84ToGCJ02 by fixed-point iteration, to well under a millimetre.
func GCJ02ToWGS84(lon, lat float64) (float64, float64) {
	if OutOfChina(lon, lat) {
		return lon, lat
	}
	wLon, wLat := lon, lat
	for range 30 {
		gLon, gLat := WGS84ToGCJ02(wLon, wLat)
		eLon, eLat := gLon-lon, gLat-lat
		wLon -= eLon
		wLat -= eLat
		if math.Abs(eLon) < 1e-12 && math.Abs(eLat) < 1e-12 {
			break
		}
	}
	return wLon, wLat
}

func gcjDelta(lon, lat float64) (dLon, dLat float64) {
	x, y := lon-105.0, lat-35.0
	dLat = -100.0 + 2.0*x + 3.0*y + 0.2*y*y + 0.1*x*y + 0.2*math.Sqrt(math.Abs(x))
	dLat += (20.0*math.Sin(6.0*x*math.Pi) + 20.0*math.Sin(2.0*x*math.Pi)) * 2.0 / 3.0
	dLat += (20.0*math.Sin(y*math.Pi) + 40.0*math.Sin(y/3.0*math.Pi)) * 2.0 / 3.0
	dLat += (160.0*math.Sin(y/12.0*math.Pi) + 320*math.Sin(y*math.Pi/30.0)) * 2.0 / 3.0
	dLon = 300.0 + x + 2.0*y + 0.1*x*x + 0.1*x*y + 0.1*math.Sqrt(math.Abs(x))
	dLon += (20.0*math.Sin(6.0*x*math.Pi) + 20.0*math.Sin(2.0*x*math.Pi)) * 2.0 / 3.0
	dLon += (20.0*math.Sin(x*math.Pi) + 40.0*math.Sin(x/3.0*math.Pi)) * 2.0 / 3.0
	dLon += (150.0*math.Sin(x/12.0*math.Pi) + 300.0*math.Sin(x/30.0*math.Pi)) * 2.0 / 3.0
	radLat := lat / 180.0 * math.Pi
	magic := math.Sin(radLat)
	magic = 1 - gcjEE*magic*magic
	sqrtMagic := math.Sqrt(magic)
	dLat = (dLat * 180.0) / ((gcjA * (1 - gcjEE)) / (magic * sqrtMagic) * math.Pi)
	dLon = (dLon * 180.0) / (gcjA / sqrtMagic * math.Cos(radLat) * math.Pi)
	return dLon, dLat
}
