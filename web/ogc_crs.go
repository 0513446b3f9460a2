package web

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/landinv/landinv/inventory"
)

// OGC API – Features Part 2 (坐标参考系): the CRSs the /ogc collections are offered in. The
// store keeps CRS84 (EPSG:4326 coordinates, longitude first); PostGIS transforms and swaps axes.
//
// Axis order follows each CRS's EPSG definition, as Part 2 requires: EPSG:4326 and EPSG:4490
// are latitude, longitude; the CGCS2000 Gauss-Krüger CRSs (EPSG:4491–4554) are northing,
// easting; EPSG:3857 and CRS84 are easting (longitude) first.

// CRS84 is the OGC URI of longitude, latitude on WGS 84: the default of every collection.
const CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

// DefaultOGCCRS are the EPSG codes every collection is offered in beside CRS84: WGS 84 and
// CGCS2000 in degrees, CGCS2000 3-degree Gauss-Krüger for 111°E without (4546) and with (4525)
// the zone prefix, and Web Mercator. Zones on other meridians add theirs with Deps.OGCCRS
// (landinv serve --ogc-crs, LANDINV_OGC_CRS).
var DefaultOGCCRS = []int{4326, 4490, 4546, 4525, 3857}

// ogcCRSKnown reports whether landinv knows how to serve EPSG:code: the geographic CRSs 4326
// and 4490, Web Mercator, and the CGCS2000 Gauss-Krüger CRSs 4491–4554 (6- and 3-degree zones,
// with and without the zone prefix).
func ogcCRSKnown(code int) bool {
	return code == 4326 || code == 4490 || code == 3857 || (code >= 4491 && code <= 4554)
}

// epsgURI is the OGC URI of EPSG:code.
func epsgURI(code int) string { return "http://www.opengis.net/def/crs/EPSG/0/" + strconv.Itoa(code) }

// crsOf returns the inventory.CRS of EPSG:code (0: CRS84).
func crsOf(code int) inventory.CRS {
	switch {
	case code == 0:
		return inventory.CRS{SRID: 4326, Geographic: true}
	case code == 4326 || code == 4490:
		return inventory.CRS{SRID: code, SwapXY: true, Geographic: true}
	case code >= 4491 && code <= 4554:
		return inventory.CRS{SRID: code, SwapXY: true}
	}
	return inventory.CRS{SRID: code}
}

// ogcCRSList is the list of CRS URIs a collection offers: CRS84, then the configured codes.
type ogcCRSList []int

func newOGCCRSList(extra []int) (ogcCRSList, error) {
	list := slices.Clone(DefaultOGCCRS)
	for _, c := range extra {
		if !ogcCRSKnown(c) {
			return nil, fmt.Errorf("web: OGC CRS EPSG:%d is not supported (4326, 4490, 3857, 4491–4554)", c)
		}
		if !slices.Contains(list, c) {
			list = append(list, c)
		}
	}
	return list, nil
}

// URIs lists the CRS URIs, CRS84 first.
func (l ogcCRSList) URIs() []string {
	out := []string{CRS84}
	for _, c := range l {
		out = append(out, epsgURI(c))
	}
	return out
}

// parse reads a CRS parameter (crs, bbox-crs, filter-crs): an OGC URI, a safe CURIE
// ([EPSG:4546], [OGC:CRS84]) or EPSG:4546 / CRS84. It returns the EPSG code (0 for CRS84) and
// its URI; a CRS not on the list is EInvalid naming param.
func (l ogcCRSList) parse(param, raw string) (int, string, error) {
	s := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(raw), "["), "]")
	switch s {
	case CRS84, "OGC:CRS84", "CRS84", "http://www.opengis.net/def/crs/OGC/0/CRS84", "urn:ogc:def:crs:OGC:1.3:CRS84":
		return 0, CRS84, nil
	}
	var num string
	switch {
	case strings.HasPrefix(s, "http://www.opengis.net/def/crs/EPSG/0/"):
		num = strings.TrimPrefix(s, "http://www.opengis.net/def/crs/EPSG/0/")
	case strings.HasPrefix(strings.ToUpper(s), "EPSG:"):
		num = s[5:]
	}
	if code, err := strconv.Atoi(num); err == nil && slices.Contains(l, code) {
		return code, epsgURI(code), nil
	}
	return 0, "", inventory.Errorf(inventory.EInvalid, param, "is not a CRS of this collection; use one of %s", strings.Join(l.URIs(), ", "))
}
