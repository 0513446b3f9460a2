// The zone's surroundings on the map (周边环境: the layout kinds of migration 0067): their
// lines and points under the plots, and the arrow at the map's edge towards the zone's city
// centre. Their labels are map.js's (addLabels), with the others, in one collision order.
import { $ } from './dom.js';
import { state, t } from './state.js';
import { label } from './format.js';
import { lengthOf } from './measure.js';

// CONTEXT_LINES and CONTEXT_POINTS are the layout kinds of the zone's surroundings (周边环境,
// migration 0067): the river, roads, expressways and railways around the zone, its stations,
// expressway exits and the city centre.
export const CONTEXT_LINES = ['river', 'main_road', 'expressway', 'railway'];
export const CONTEXT_POINTS = ['station', 'exit', 'city_centre'];
export const kindIn = (kinds) => ['in', ['get', 'kind'], ['literal', kinds]];

// addContextLayers draws the surroundings under the plots: the river as a broad blue line,
// roads and expressways in beige and orange, the railway as a dashed dark line, and the
// points as circles (the city centre larger). Their names are labels (addLabels).
export function addContextLayers(before) {
  const map = state.map;
  const kind = (k) => ['==', ['get', 'kind'], k];
  map.addLayer({ id: 'context-river', type: 'line', source: 'layout', filter: kind('river'), layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': '#9cc7ee', 'line-width': ['interpolate', ['exponential', 2], ['zoom'], 9, 3, 13, 18, 16, 120] } }, before);
  map.addLayer({ id: 'context-roads', type: 'line', source: 'layout', filter: kindIn(['main_road', 'expressway']), layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': ['match', ['get', 'kind'], 'expressway', '#e8a25c', '#c9b99a'], 'line-width': ['interpolate', ['linear'], ['zoom'], 9, ['match', ['get', 'kind'], 'expressway', 2.5, 1.5], 15, ['match', ['get', 'kind'], 'expressway', 8, 6]] } }, before);
  map.addLayer({ id: 'context-rail', type: 'line', source: 'layout', filter: kind('railway'), paint: { 'line-color': '#5b5b5b', 'line-width': 2.2, 'line-dasharray': [3, 2] } }, before);
  map.addLayer({
    id: 'context-points', type: 'circle', source: 'layout', filter: kindIn(CONTEXT_POINTS),
    paint: {
      'circle-radius': ['match', ['get', 'kind'], 'city_centre', 7, 5.5],
      'circle-color': ['match', ['get', 'kind'], 'city_centre', '#8e3b8e', 'station', '#3d3d3d', '#e07b1f'],
      'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2,
    },
  }, before);
}

// cityPointer keeps, at the edge of the map, an arrow towards the city centre (the zone's
// city_centre layout feature, if it has one) while the centre is out of view: "临汾市中心 约 9
// km →", the great-circle distance from the middle of the map. It is hidden when the centre is
// in view (where its point and label show it) or when the zone names none.
export function cityPointer() {
  const map = state.map;
  const el = $('#city-pointer');
  if (!map || !el) return;
  const f = state.layout && state.layout.features.find((x) => x.properties.kind === 'city_centre' && x.geometry && x.geometry.type === 'Point');
  if (!f || state.hidden.has('context')) { el.hidden = true; return; }
  const [lon, lat] = f.geometry.coordinates;
  const c = map.getContainer(); const w = c.clientWidth; const h = c.clientHeight;
  const p = map.project([lon, lat]);
  if (p.x >= 0 && p.x <= w && p.y >= 0 && p.y <= h) { el.hidden = true; return; }
  const m = map.getCenter();
  const km = lengthOf([[m.lng, m.lat], [lon, lat]]) / 1000;
  // Where the ray from the middle of the map towards the centre leaves the map (inset).
  const dx = p.x - w / 2; const dy = p.y - h / 2; const inset = 46;
  const s = Math.min((w / 2 - inset) / Math.abs(dx || 1e-9), (h / 2 - inset) / Math.abs(dy || 1e-9));
  const en = state.lang === 'en';
  el.querySelector('.arrow').style.transform = `rotate(${Math.atan2(dy, dx)}rad)`;
  el.querySelector('.text').textContent = t('city_pointer', { name: label(f.properties), km: km < 10 ? km.toFixed(1) : Math.round(km) });
  el.lang = en ? 'en' : 'zh-CN';
  el.hidden = false;
  const r = el.getBoundingClientRect();
  el.style.left = `${Math.max(4, Math.min(w - r.width - 4, w / 2 + dx * s - r.width / 2))}px`;
  el.style.top = `${Math.max(4, Math.min(h - r.height - 4, h / 2 + dy * s - r.height / 2))}px`;
  el.onclick = () => map.flyTo({ center: [lon, lat], zoom: Math.max(map.getZoom(), 12) });
}

