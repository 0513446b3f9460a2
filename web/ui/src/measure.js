// Measuring on the map: a north arrow, and a distance and an area tool (量距离/量面积). Lengths
// and areas are geodesic, on the WGS 84 ellipsoid (GeographicLib, the library PostGIS uses for
// geography), so that a plot traced with the area tool gives the area the API reports. Under a
// GCJ-02 basemap the layers are shifted by a few hundred metres, almost a translation: lengths
// and areas change by far less than a traced outline's own error.
import { Geodesic } from 'geographiclib-geodesic';
import { state, t } from './state.js';
import { fmt as num } from './format.js';

const geod = Geodesic.WGS84;

// SQUARE_METRES_PER_MU is 1 亩 in m² (10 000 / 15), as geo.SquareMetresPerMu.
export const SQUARE_METRES_PER_MU = 10000 / 15;

// lengthOf is the geodesic length in metres of a path of [lon, lat] points.
export function lengthOf(points) {
  let s = 0;
  for (let i = 1; i < points.length; i++) s += geod.Inverse(points[i - 1][1], points[i - 1][0], points[i][1], points[i][0]).s12;
  return s;
}

// areaOf is the geodesic area in m² of the polygon whose ring is points ([lon, lat], open or
// closed), whatever its orientation.
export function areaOf(points) {
  const ring = points.length > 1 && points[0][0] === points.at(-1)[0] && points[0][1] === points.at(-1)[1] ? points.slice(0, -1) : points;
  if (ring.length < 3) return 0;
  const p = geod.Polygon(false);
  for (const [lon, lat] of ring) p.AddPoint(lat, lon);
  return Math.abs(p.Compute(false, true).area);
}

// lengthText writes a length in metres, or kilometres from 1 km on.
export const lengthText = (m) => (m >= 1000 ? `${num(m / 1000, 2)} km` : `${num(m, 0)} ${t.unit('m')}`);

// areaText writes an area in m², 亩 and hectares.
export const areaText = (m2) => `${num(m2, 0)} m² · ${num(m2 / SQUARE_METRES_PER_MU, 1)} ${t.unit('亩')} · ${num(m2 / 10000, 2)} ${t.unit('公顷')}`;

// NorthArrow is a map control showing north (the map never rotates: north is up).
export class NorthArrow {
  onAdd() {
    const el = document.createElement('div');
    el.className = 'maplibregl-ctrl maplibregl-ctrl-group north-arrow';
    el.innerHTML = '<svg viewBox="0 0 24 30" width="24" height="30" aria-hidden="true"><path d="M12 2 L19 20 L12 16 L5 20 Z" fill="#17324d"/><path d="M12 2 L12 16 L5 20 Z" fill="#7a8ca3"/></svg><span></span>';
    this.el = el;
    this.relabel();
    return el;
  }

  relabel() {
    if (!this.el) return;
    this.el.querySelector('span').textContent = t('north');
    this.el.title = t('north_title');
    this.el.setAttribute('role', 'img');
    this.el.setAttribute('aria-label', t('north_title'));
  }

  onRemove() { this.el.remove(); }
}

// Measure is the map control of the distance and area tools: click points on the map, double-
// click (or click the tool again) to finish; the result shows under the buttons.
export class Measure {
  onAdd(map) {
    this.map = map;
    this.points = [];
    this.mode = null;
    const el = document.createElement('div');
    el.className = 'maplibregl-ctrl maplibregl-ctrl-group measure';
    const btn = (cls, svg, onClick) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = cls;
      b.innerHTML = svg;
      b.addEventListener('click', onClick);
      el.append(b);
      return b;
    };
    this.bDist = btn('measure-distance', '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path d="M3 17 L21 7" stroke="#17324d" stroke-width="2"/><circle cx="3" cy="17" r="2" fill="#17324d"/><circle cx="21" cy="7" r="2" fill="#17324d"/></svg>', () => this.start('distance'));
    this.bArea = btn('measure-area', '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path d="M4 18 L8 5 L20 8 L17 19 Z" fill="rgba(23,50,77,.25)" stroke="#17324d" stroke-width="2"/></svg>', () => this.start('area'));
    this.bClear = btn('measure-clear', '<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path d="M5 5 L19 19 M19 5 L5 19" stroke="#17324d" stroke-width="2"/></svg>', () => this.stop(true));
    this.out = document.createElement('div');
    this.out.className = 'measure-out';
    this.out.hidden = true;
    this.out.setAttribute('aria-live', 'polite');
    this.el = el;
    this.relabel();
    this.onClick = (e) => this.add([e.lngLat.lng, e.lngLat.lat]);
    this.onDbl = (e) => { e.preventDefault(); this.finish(); };
    map.on('click', this.onClick);
    map.on('dblclick', this.onDbl);
    const setup = () => {
      if (map.getSource('measure')) return;
      map.addSource('measure', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      map.addLayer({ id: 'measure-fill', type: 'fill', source: 'measure', filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': '#17324d', 'fill-opacity': 0.15 } });
      map.addLayer({ id: 'measure-line', type: 'line', source: 'measure', filter: ['!=', ['geometry-type'], 'Point'], paint: { 'line-color': '#17324d', 'line-width': 2.5, 'line-dasharray': [2, 1] } });
      map.addLayer({ id: 'measure-points', type: 'circle', source: 'measure', filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 4, 'circle-color': '#fff', 'circle-stroke-color': '#17324d', 'circle-stroke-width': 2 } });
    };
    if (map.loaded()) setup(); else map.once('load', setup);
    this.setup = setup;
    // The result box sits beside the buttons, over the map's container.
    map.getContainer().append(this.out);
    return el;
  }

  relabel() {
    if (!this.el) return;
    for (const [b, key] of [[this.bDist, 'measure_distance'], [this.bArea, 'measure_area'], [this.bClear, 'measure_clear']]) {
      b.title = t(key);
      b.setAttribute('aria-label', t(key));
    }
    this.render();
  }

  // start begins measuring a distance or an area (again: a second click on the active tool ends it).
  start(mode) {
    if (this.mode === mode) { this.finish(); return; }
    this.setup();
    // Drawn over every layer added since (plots, roads, labels).
    for (const id of ['measure-fill', 'measure-line', 'measure-points']) this.map.moveLayer(id);
    this.mode = mode;
    this.done = false;
    this.points = [];
    state.measuring = true;
    this.map.doubleClickZoom.disable();
    this.map.getCanvas().style.cursor = 'crosshair';
    this.bDist.classList.toggle('active', mode === 'distance');
    this.bArea.classList.toggle('active', mode === 'area');
    this.render();
  }

  add(p) {
    if (!this.mode || this.done) return;
    // A double-click also fires two clicks: a point equal to the last one adds nothing.
    const last = this.points.at(-1);
    if (last && Math.abs(last[0] - p[0]) < 1e-9 && Math.abs(last[1] - p[1]) < 1e-9) return;
    this.points.push(p);
    this.render();
  }

  finish() {
    this.done = true;
    state.measuring = false;
    this.map.getCanvas().style.cursor = '';
    this.bDist.classList.remove('active');
    this.bArea.classList.remove('active');
    // Let the double-click that finished pass before zooming on double-click again.
    setTimeout(() => this.map.doubleClickZoom.enable(), 0);
    this.render();
  }

  stop(clear) {
    if (this.mode && !this.done) this.finish();
    if (clear) { this.mode = null; this.points = []; }
    this.render();
  }

  // result is the measured length (m) or area (m²) of the points so far.
  result() {
    return this.mode === 'area' ? areaOf(this.points) : lengthOf(this.points);
  }

  render() {
    if (!this.map) return;
    const pts = this.points;
    const feats = pts.map((p) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: p } }));
    if (this.mode === 'area' && pts.length >= 3) feats.push({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[...pts, pts[0]]] } });
    else if (pts.length >= 2) feats.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: pts } });
    const src = this.map.getSource('measure');
    if (src) src.setData({ type: 'FeatureCollection', features: feats });
    this.out.hidden = !this.mode;
    if (!this.mode) return;
    const value = this.mode === 'area' ? (pts.length >= 3 ? areaText(this.result()) : '—') : (pts.length >= 2 ? lengthText(this.result()) : '—');
    this.out.textContent = '';
    const b = document.createElement('b');
    b.textContent = `${t(this.mode === 'area' ? 'measure_area' : 'measure_distance')}: `;
    const v = document.createElement('span');
    v.className = 'measure-value';
    v.textContent = value;
    this.out.append(b, v);
    if (!this.done) this.out.append(Object.assign(document.createElement('small'), { textContent: t('measure_hint') }));
  }

  onRemove() {
    this.map.off('click', this.onClick);
    this.map.off('dblclick', this.onDbl);
    this.el.remove();
    this.out.remove();
  }
}
