// Plain GeoJSON geometry helpers for placing labels and fitting views.

// midpoint returns a point halfway along a (Multi)LineString's longest part, or null.
export function midpoint(g) {
  const lines = g.type === 'LineString' ? [g.coordinates] : g.type === 'MultiLineString' ? g.coordinates : null;
  if (!lines) return null;
  const line = lines.reduce((a, b) => (b.length > a.length ? b : a));
  if (line.length === 2) return [(line[0][0] + line[1][0]) / 2, (line[0][1] + line[1][1]) / 2];
  return line[Math.floor(line.length / 2)];
}

// bboxOf returns a geometry's [minLon, minLat, maxLon, maxLat].
export function bboxOf(g) {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c) => {
    if (typeof c[0] === 'number') {
      b[0] = Math.min(b[0], c[0]); b[1] = Math.min(b[1], c[1]); b[2] = Math.max(b[2], c[0]); b[3] = Math.max(b[3], c[1]);
    } else c.forEach(walk);
  };
  walk(g.coordinates);
  return b;
}
