package importer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/landinv/landinv/inventory"
)

// ParseCRS reads "EPSG:4546", "4546", "urn:ogc:def:crs:EPSG::4546" or
// "http://www.opengis.net/def/crs/EPSG/0/4546"; CRS84 is EPSG:4326.
func ParseCRS(s string) (int, error) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "urn:ogc:def:crs:OGC:1.3:CRS84") || strings.EqualFold(s, "CRS84") {
		return 4326, nil
	}
	i := strings.LastIndexAny(s, ":/")
	num := s[i+1:]
	if i >= 0 && !strings.Contains(strings.ToUpper(s), "EPSG") {
		return 0, fmt.Errorf("%q is not an EPSG code", s)
	}
	n, err := strconv.Atoi(num)
	if err != nil || n <= 0 || n > 999999 {
		return 0, fmt.Errorf("%q is not an EPSG code, e.g. EPSG:4546", s)
	}
	return n, nil
}

var (
	authority = regexp.MustCompile(`AUTHORITY\s*\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]\s*\]\s*$`)
	projName  = regexp.MustCompile(`^\s*PROJCS\s*\[\s*"([^"]+)"`)
	geogName  = regexp.MustCompile(`^\s*GEOGCS\s*\[\s*"([^"]+)"`)
	cmRe      = regexp.MustCompile(`(?i)CM_?(\d{2,3})E`)
	zoneRe    = regexp.MustCompile(`(?i)zone_?(\d{2})`)
)

// SRIDFromPRJ finds the EPSG code of a .prj's WKT: its outermost AUTHORITY, or the names ESRI
// writes for the CRSs Chinese survey data comes in: WGS 84, CGCS2000 (geographic, and
// 3-degree Gauss-Krüger by central meridian or by zone, EPSG:4534–4554 and 4513–4533), Xian 1980
// (EPSG:2370–2390, 2349–2369) and Beijing 1954 (EPSG:2422–2442, 2401–2421).
func SRIDFromPRJ(wkt string) (int, error) {
	if m := authority.FindStringSubmatch(wkt); m != nil {
		return strconv.Atoi(m[1])
	}
	unknown := inventory.Errorf(inventory.EInvalid, "crs", "the .prj names a CRS this importer does not recognise (%.80s…); give --crs EPSG:N", strings.TrimSpace(wkt))
	if m := projName.FindStringSubmatch(wkt); m != nil {
		name := strings.ToLower(strings.NewReplacer(" ", "_", "-", "_").Replace(m[1]))
		var cmBase, zoneBase int
		switch {
		case strings.Contains(name, "cgcs2000") || strings.Contains(name, "cgcs_2000"):
			cmBase, zoneBase = 4534, 4513
		case strings.Contains(name, "xian") || strings.Contains(name, "xi'an"):
			cmBase, zoneBase = 2370, 2349
		case strings.Contains(name, "beijing"):
			cmBase, zoneBase = 2422, 2401
		default:
			return 0, unknown
		}
		if !strings.Contains(name, "3_degree") && !strings.Contains(name, "3_deg") {
			return 0, unknown
		}
		if m := cmRe.FindStringSubmatch(name); m != nil {
			cm, _ := strconv.Atoi(m[1])
			if cm >= 75 && cm <= 135 && cm%3 == 0 {
				return cmBase + (cm-75)/3, nil
			}
		}
		if m := zoneRe.FindStringSubmatch(name); m != nil {
			z, _ := strconv.Atoi(m[1])
			if z >= 25 && z <= 45 {
				return zoneBase + z - 25, nil
			}
		}
		return 0, unknown
	}
	if m := geogName.FindStringSubmatch(wkt); m != nil {
		name := strings.ToLower(m[1])
		switch {
		case strings.Contains(name, "wgs") && strings.Contains(name, "84"):
			return 4326, nil
		case strings.Contains(name, "china_geodetic_coordinate_system_2000") || strings.Contains(name, "cgcs2000"):
			return 4490, nil
		case strings.Contains(name, "xian"):
			return 4610, nil
		case strings.Contains(name, "beijing"):
			return 4214, nil
		}
	}
	return 0, unknown
}
