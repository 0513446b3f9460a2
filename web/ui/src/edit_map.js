// The editing layers on the land map: the boundary being edited with its vertices (dragged
// with a mouse or a finger; a dropped vertex snaps to the nearest corner of a neighbouring plot
// within 8 px, so no slivers are left between plots), a new plot being drawn, the other plots
// an overlap names (highlighted) and the place of a geometry problem (marked). GeoJSON layers
// on the page's map; no MapLibre of its own.
import { state } from './state.js';

const ed = { rings: null, dragging: null, snapped: new Set(), drawing: null, except: null };
const empty = { type: 'FeatureCollection', features: [] };

// ensurePreview adds the editing sources and layers once.
export function ensurePreview() {
  const map = state.map;
  if (map.getSource('edit-geom')) return;
  map.addSource('edit-geom', { type: 'geojson', data: empty });
  map.addSource('edit-vertices', { type: 'geojson', data: empty });
  map.addSource('edit-problem', { type: 'geojson', data: empty });
  const plots = state.plotsMode === 'tiles' ? { source: 'plots', 'source-layer': 'plots' } : { source: 'plots' };
  if (map.getSource('plots')) {
    map.addLayer({ id: 'edit-conflict-fill', type: 'fill', ...plots, filter: ['==', ['get', 'code'], ''], paint: { 'fill-color': '#dc2626', 'fill-opacity': 0.35 } });
    map.addLayer({ id: 'edit-conflict', type: 'line', ...plots, filter: ['==', ['get', 'code'], ''], paint: { 'line-color': '#b91c1c', 'line-width': 4 } });
  }
  map.addLayer({ id: 'edit-geom-fill', type: 'fill', source: 'edit-geom', paint: { 'fill-color': '#f59e0b', 'fill-opacity': 0.25 } });
  map.addLayer({ id: 'edit-geom-line', type: 'line', source: 'edit-geom', paint: { 'line-color': '#b45309', 'line-width': 2, 'line-dasharray': [2, 1] } });
  const touch = window.matchMedia('(pointer: coarse)').matches;
  map.addLayer({ id: 'edit-vertices', type: 'circle', source: 'edit-vertices',
    paint: { 'circle-radius': touch ? 11 : 6, 'circle-color': ['case', ['get', 'snapped'], '#16a34a', '#ffffff'], 'circle-stroke-color': '#b45309', 'circle-stroke-width': 2 } });
  map.addLayer({ id: 'edit-problem', type: 'circle', source: 'edit-problem',
    paint: { 'circle-radius': 9, 'circle-color': '#dc2626', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 } });
  // Dragging a vertex, with a mouse or a finger.
  map.on('mouseenter', 'edit-vertices', () => { if (ed.rings) map.getCanvas().style.cursor = 'move'; });
  map.on('mouseleave', 'edit-vertices', () => { if (!ed.drawing) map.getCanvas().style.cursor = ''; });
  const grab = (e) => {
    if (!ed.rings || ed.drawing || !e.features || !e.features.length) return;
    e.preventDefault();
    ed.dragging = e.features[0].properties;
    map.dragPan.disable();
  };
  const move = (e) => {
    if (!ed.dragging) return;
    ed.rings[ed.dragging.ri][ed.dragging.ci] = [e.lngLat.lng, e.lngLat.lat];
    preview(ed.rings);
  };
  const drop = (e) => {
    if (!ed.dragging) return;
    const s = snap(e.lngLat, ed.except);
    const key = `${ed.dragging.ri}/${ed.dragging.ci}`;
    ed.rings[ed.dragging.ri][ed.dragging.ci] = [s.lng, s.lat];
    if (s.snapped) ed.snapped.add(key); else ed.snapped.delete(key);
    ed.dragging = null;
    map.dragPan.enable();
    preview(ed.rings);
  };
  map.on('mousedown', 'edit-vertices', grab);
  map.on('touchstart', 'edit-vertices', grab);
  map.on('mousemove', move);
  map.on('touchmove', move);
  map.on('mouseup', drop);
  map.on('touchend', drop);
}

function preview(rings) {
  const map = state.map;
  ensurePreview();
  const closed = rings.map((r) => (r.length > 2 ? [...r, r[0]] : r));
  const g = closed[0] && closed[0].length > 3 ? { type: 'Polygon', coordinates: closed } : { type: 'LineString', coordinates: closed[0] || [] };
  map.getSource('edit-geom').setData({ type: 'FeatureCollection', features: closed[0] && closed[0].length > 1 ? [{ type: 'Feature', geometry: g, properties: {} }] : [] });
  const pts = [];
  rings.forEach((ring, ri) => ring.forEach((c, ci) => pts.push({ type: 'Feature', geometry: { type: 'Point', coordinates: c },
    properties: { ri, ci, snapped: ed.snapped.has(`${ri}/${ci}`) } })));
  map.getSource('edit-vertices').setData({ type: 'FeatureCollection', features: pts });
}

// snap moves a point to the nearest corner of a neighbouring plot within 8 px.
function snap(lngLat, exceptCode) {
  const map = state.map;
  const p = map.project(lngLat);
  const layers = ['plots-fill'].filter((id) => map.getLayer(id));
  const feats = map.queryRenderedFeatures([[p.x - 8, p.y - 8], [p.x + 8, p.y + 8]], { layers });
  let best = null;
  let bestD = 8;
  for (const f of feats) {
    if (f.properties.code === exceptCode) continue;
    const g = f.geometry;
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
    for (const poly of polys) for (const ring of poly) for (const c of ring) {
      const q = map.project(c);
      const d = Math.hypot(q.x - p.x, q.y - p.y);
      if (d < bestD) { bestD = d; best = c; }
    }
  }
  return best ? { lng: best[0], lat: best[1], snapped: true } : { lng: lngLat.lng, lat: lngLat.lat, snapped: false };
}

// startVertexEditing shows a plot's boundary with draggable vertices; it returns a function
// that gives the rings as they are now (each without its closing position).
export function startVertexEditing(geometry, exceptCode) {
  stopVertices();
  ensurePreview();
  ed.rings = (geometry.type === 'MultiPolygon' ? geometry.coordinates[0] : geometry.coordinates).map((ring) => ring.slice(0, -1).map((c) => [...c]));
  ed.except = exceptCode;
  preview(ed.rings);
  return () => ed.rings || [];
}

// drawRing lets the user click vertices of a new plot; it returns a function that ends the
// drawing and gives the ring (null when it has fewer than 3 vertices).
export function drawRing() {
  stopVertices();
  ensurePreview();
  const map = state.map;
  const ring = [];
  ed.except = null;
  map.getCanvas().style.cursor = 'crosshair';
  const onClick = (e) => {
    const s = snap(e.lngLat, null);
    ring.push([s.lng, s.lat]);
    if (s.snapped) ed.snapped.add(`0/${ring.length - 1}`);
    preview([ring]);
  };
  ed.drawing = { onClick };
  map.on('click', onClick);
  return () => {
    if (ring.length < 3) return null;
    map.off('click', onClick);
    map.getCanvas().style.cursor = '';
    ed.drawing = null;
    return ring;
  };
}

// stopVertices ends vertex editing and drawing.
export function stopVertices() {
  const map = state.map;
  ed.rings = null;
  ed.dragging = null;
  ed.snapped = new Set();
  if (ed.drawing && map) { map.off('click', ed.drawing.onClick); map.getCanvas().style.cursor = ''; ed.drawing = null; }
  if (map && map.getSource('edit-geom')) preview([]);
}

// highlightConflicts outlines the plots an overlap names.
export function highlightConflicts(codes) {
  ensurePreview();
  const map = state.map;
  const f = ['in', ['get', 'code'], ['literal', codes]];
  for (const id of ['edit-conflict', 'edit-conflict-fill']) if (map.getLayer(id)) map.setFilter(id, f);
  document.body.dataset.conflicts = codes.join(',');
}

// markProblem marks the place of a geometry problem.
export function markProblem(lonlat) {
  ensurePreview();
  state.map.getSource('edit-problem').setData({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: lonlat }, properties: {} }] });
}

// clearProblems removes the highlights and marks.
export function clearProblems() {
  const map = state.map;
  if (!map || !map.getSource('edit-geom')) return;
  for (const id of ['edit-conflict', 'edit-conflict-fill']) if (map.getLayer(id)) map.setFilter(id, ['==', ['get', 'code'], '']);
  map.getSource('edit-problem').setData(empty);
  delete document.body.dataset.conflicts;
}
