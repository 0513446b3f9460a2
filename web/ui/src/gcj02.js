// GCJ-02 shift, the same formulas as geo/gcj02.go (the browser tests check both agree). Used
// only when the configured basemap is drawn in GCJ-02 (AMap, Tencent).
const A = 6378245.0;
const EE = 0.006693421622965943;

export function outOfChina(lon, lat) {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

export function wgs84ToGcj02(lon, lat) {
  if (outOfChina(lon, lat)) return [lon, lat];
  const x = lon - 105.0, y = lat - 35.0;
  let dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  dLat += (20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
  dLat += (20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin(y / 3.0 * Math.PI)) * 2.0 / 3.0;
  dLat += (160.0 * Math.sin(y / 12.0 * Math.PI) + 320 * Math.sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
  let dLon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  dLon += (20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
  dLon += (20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin(x / 3.0 * Math.PI)) * 2.0 / 3.0;
  dLon += (150.0 * Math.sin(x / 12.0 * Math.PI) + 300.0 * Math.sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;
  const radLat = lat / 180.0 * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / ((A * (1 - EE)) / (magic * sqrtMagic) * Math.PI);
  dLon = (dLon * 180.0) / (A / sqrtMagic * Math.cos(radLat) * Math.PI);
  return [lon + dLon, lat + dLat];
}

function shiftCoords(c) {
  if (typeof c[0] === 'number') return wgs84ToGcj02(c[0], c[1]);
  return c.map(shiftCoords);
}

// shiftGeoJSON shifts every coordinate of a Feature or FeatureCollection, in place.
export function shiftGeoJSON(g) {
  if (!g) return g;
  if (g.type === 'FeatureCollection') g.features.forEach(shiftGeoJSON);
  else if (g.type === 'Feature') shiftGeoJSON(g.geometry);
  else if (g.coordinates) g.coordinates = shiftCoords(g.coordinates);
  if (g.bbox) {
    const [a, b] = wgs84ToGcj02(g.bbox[0], g.bbox[1]);
    const [c, d] = wgs84ToGcj02(g.bbox[2], g.bbox[3]);
    g.bbox = [a, b, c, d];
  }
  return g;
}
