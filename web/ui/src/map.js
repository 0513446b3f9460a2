// The map: MapLibre setup, the sources and layers of every layer, road and district labels,
// layer visibility, and what search and details ask of the map (result filters, selection,
// fitting a view). Everything it loads comes from its own server: no CDN, no outside fonts or
// glyphs, no tiles unless a basemap is set (a local PMTiles archive is served by landinv too).
//
// Labels (road and district names) are MapLibre symbol layers, so MapLibre places them with
// collision detection: a label that would overlap another is left out, and the layers and
// symbol-sort-key set who wins (districts over roads, built roads over planned ones). Latin
// glyphs come from landinv (/glyphs/, built from Noto Sans CJK by glyphs.mjs); Chinese
// characters are drawn from the reader's CJK font (localIdeographFontFamily and the font stack
// below), see glyphs.mjs for why.
import * as maplibregl from 'maplibre-gl';
import { Protocol as PMTilesProtocol, PMTiles } from 'pmtiles';
import { $ } from './dom.js';
import { state } from './state.js';
import { fetchAll, withZone } from './api.js';
import { early, LAYER_URLS } from './early.js';
import { shiftGeoJSON } from './gcj02.js';
import { writeURL, startView } from './url.js';
import { label, districts } from './format.js';
import { bboxOf } from './geom.js';
import { NorthArrow, Measure } from './measure.js';
import { addContextLayers, cityPointer, CONTEXT_LINES, CONTEXT_POINTS, kindIn } from './context.js';
import {
  STATUS_COLORS, STAGE_COLORS, ROAD_COLORS, DISTRICT_COLORS, STANDARD_COLOR, PLANT_COLOR, FALLBACK, DASHED_ROADS, RESULT_COLOR, matchExpr,
} from './palette.js';

// FONT is the labels' font stack: its name is also the CSS family list MapLibre draws Chinese
// characters with, and landinv serves its glyphs for the other scripts.
const FONT = ['Noto Sans CJK SC', 'sans-serif'];

// __WORKER_URL__ is the worker's hashed name, set by the build (build.mjs). prewarm starts the
// worker (and its ~200 KB script) now, while the page fetches its data, not when the map is
// created.
maplibregl.setWorkerUrl(new URL(__WORKER_URL__, location.href).href); // eslint-disable-line no-undef
maplibregl.prewarm();

// shift moves GeoJSON into GCJ-02 when the basemap is drawn in it.
export const shift = (g) => (state.gcj ? shiftGeoJSON(g) : g);

// firstLoad holds the whole-layer downloads of the first load, by URL: the map draws plots and
// plants from the same FeatureCollections that the result lists show, so that each is fetched
// (and shifted) once; boot.js has started them (early.js). Once the page is ready, every call
// fetches afresh (after an edit, a new search must see the change).
const firstLoad = new Map();

// loadAll returns every feature of url's list (following next links), shifted as drawn.
export function loadAll(url) {
  if (state.ready) return fetchAll(url).then(shift);
  if (!firstLoad.has(url)) firstLoad.set(url, early(url, fetchAll).then(shift));
  return firstLoad.get(url);
}

const none = ['==', ['get', 'code'], ''];
const byCode = (code) => ['==', ['get', 'code'], code];

// basemapStyle adds the basemap's sources and layers to style: an online raster tile service,
// or a local PMTiles archive (read by the pmtiles library through a pmtiles:// protocol, by
// HTTP range requests to /basemap/) drawn with its own style (LANDINV_BASEMAP_STYLE) or, without
// one, as raster tiles or plain vector lines and fills.
async function basemapStyle(style) {
  const b = state.cfg.basemap;
  if (!b) return;
  if (!b.archive) {
    style.sources.basemap = { type: 'raster', tiles: b.tiles, tileSize: 256, scheme: b.scheme || 'xyz', maxzoom: b.max_zoom || 18, attribution: b.attribution || '' };
    style.layers.push({ id: 'basemap', type: 'raster', source: 'basemap' });
    if (b.overlay) {
      style.sources.basemap_overlay = { type: 'raster', tiles: b.overlay, tileSize: 256, maxzoom: b.max_zoom || 18 };
      style.layers.push({ id: 'basemap-overlay', type: 'raster', source: 'basemap_overlay' });
    }
    return;
  }
  const protocol = new PMTilesProtocol();
  maplibregl.addProtocol('pmtiles', protocol.tile);
  const archive = new URL(b.archive, location.href).href;
  protocol.add(new PMTiles(archive));
  const url = 'pmtiles://' + archive;
  if (b.style) {
    const own = await (await fetch(b.style)).json();
    for (const [id, src] of Object.entries(own.sources || {})) {
      style.sources['basemap-' + id] = typeof src.url === 'string' && src.url.startsWith('pmtiles://') ? { ...src, url } : src;
    }
    for (const l of own.layers || []) {
      if (l.type === 'background') continue; // the page's own background stays
      style.layers.push({ ...l, id: 'basemap-' + l.id, ...(l.source ? { source: 'basemap-' + l.source } : {}) });
    }
    return;
  }
  if (b.tile_type !== 'mvt') {
    style.sources.basemap = { type: 'raster', url, tileSize: 256 };
    style.layers.push({ id: 'basemap', type: 'raster', source: 'basemap' });
    return;
  }
  style.sources.basemap = { type: 'vector', url };
  const meta = await protocol.get(archive).getMetadata().catch(() => ({}));
  for (const vl of (meta && meta.vector_layers) || []) {
    const on = { source: 'basemap', 'source-layer': vl.id };
    style.layers.push({ id: `basemap-${vl.id}-fill`, type: 'fill', ...on, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': '#e4e0d6', 'fill-outline-color': '#cfc9bb' } });
    style.layers.push({ id: `basemap-${vl.id}-line`, type: 'line', ...on, filter: ['==', ['geometry-type'], 'LineString'], paint: { 'line-color': '#c9c2b2', 'line-width': 1 } });
  }
}

// createMap creates the map in #map; onPick(kind, code) is called when a feature is clicked.
// The plots are part of the map's first style (createMap), so that the map's worker starts
// cutting them as soon as the style loads and its first full frame has them; every other
// layer is added after that frame (addLayers).
export async function createMap(onPick) {
  const style = {
    version: 8,
    glyphs: new URL('/glyphs/', location.href).href + '{fontstack}/{range}.pbf',
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#f4f1ea' } }],
  };
  const [plots] = await Promise.all([state.plotsMode === 'tiles' ? null : loadAll(LAYER_URLS.plots), basemapStyle(style)]);
  plotsStyle(style, plots);
  const view = startView();
  const opts = {
    container: 'map', style, attributionControl: { compact: true },
    localIdeographFontFamily: "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif",
    maxZoom: 19, dragRotate: false, pitchWithRotate: false,
    fadeDuration: 0, // labels appear at once: no fade animation, whose every frame costs a redraw
  };
  if (view) {
    opts.zoom = view[0]; opts.center = [view[2], view[1]];
  } else {
    // The first view: the zone and the surroundings' points close to it (city centre, station,
    // exits), clear of the controls on the right, so that their labels are not cut at an edge.
    const p = padding();
    opts.bounds = firstBounds(); opts.fitBoundsOptions = { padding: { ...p, left: Math.max(p.left, LABEL_ROOM), right: Math.max(p.right, CONTROLS_W) } };
  }
  const map = new maplibregl.Map(opts);
  state.map = map;
  state.plotsDrawn = plotsDrawn();
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  state.controls = { north: new NorthArrow(), measure: new Measure() };
  map.addControl(state.controls.north, 'top-right');
  map.addControl(state.controls.measure, 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-left');
  map.on('error', (e) => { state.errors.push(String(e.error && e.error.message || e)); console.error('map error', e.error || e); });
  map.on('moveend', writeURL);
  map.on('click', (e) => onMapClick(e, onPick));
  return new Promise((resolve) => map.on('load', resolve));
}

// plotsStyle adds the plots' source (GeoJSON, or vector tiles when state.plotsMode says so)
// and layers to a style: a halo under search results, the fill by status, the outline and the
// standard-land border.
function plotsStyle(style, plots) {
  style.sources.plots = state.plotsMode === 'tiles'
    ? { type: 'vector', tiles: [new URL(withZone('/tiles/plots/{z}/{x}/{y}.mvt'), location.href).href.replace('%7Bz%7D', '{z}').replace('%7Bx%7D', '{x}').replace('%7By%7D', '{y}')], minzoom: 0, maxzoom: state.cfg.max_tile_zoom || 18, promoteId: 'code' }
    : { type: 'geojson', data: plots, promoteId: 'code' };
  if (plots) state.allPlots = plots;
  const src = state.plotsMode === 'tiles' ? { source: 'plots', 'source-layer': 'plots' } : { source: 'plots' };
  // A halo under the search results, so that small plots stand out when a filter is set.
  const halo = { 'line-color': RESULT_COLOR, 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 4, 15, 8], 'line-opacity': 0.8 };
  style.layers.push(
    { id: 'plots-result', type: 'line', ...src, filter: none, paint: halo },
    { id: 'plots-fill', type: 'fill', ...src, paint: { 'fill-color': matchExpr('status', STATUS_COLORS, FALLBACK.status), 'fill-opacity': 0.78 } },
    { id: 'plots-outline', type: 'line', ...src, paint: { 'line-color': '#ffffff', 'line-width': 0.6 } },
    { id: 'plots-standard', type: 'line', ...src, filter: ['==', ['get', 'standard_land'], true], paint: { 'line-color': STANDARD_COLOR, 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 1.2, 15, 3] } },
  );
}

// addLayers adds every layer but the plots (createMap's) once the first plots are drawn, and
// the labels a frame later (their glyphs and placement must not hold the plots back):
// state.labelled resolves when they are added.
export async function addLayers() {
  const map = state.map;
  const others = Promise.all([loadAll(LAYER_URLS.plants), loadAll(LAYER_URLS.idleSites), loadAll(LAYER_URLS.roads)]);

  // The other layers wait for the first frame with plots: each frame the map draws before it
  // (a layer's tiles arriving) costs a compositor commit, which a slow machine pays in full.
  await state.plotsDrawn;
  const src = state.plotsMode === 'tiles' ? { source: 'plots', 'source-layer': 'plots' } : { source: 'plots' };
  const halo = { 'line-color': RESULT_COLOR, 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 4, 15, 8], 'line-opacity': 0.8 };

  // Layout: districts, corridors, the surroundings, under the plots (axes on top, below).
  const districtCodes = districts().map((f) => f.id);
  map.addSource('layout', { type: 'geojson', data: state.layout, promoteId: 'code' });
  const under = 'plots-result'; // under the plots
  map.addLayer({
    id: 'layout-districts', type: 'fill', source: 'layout', filter: ['==', ['get', 'kind'], 'district'],
    paint: { 'fill-color': ['match', ['get', 'code'], ...districtCodes.flatMap((c, i) => [c, DISTRICT_COLORS[i % DISTRICT_COLORS.length]]), '#eeeeee'], 'fill-opacity': 0.85 },
  }, under);
  map.addLayer({ id: 'layout-districts-line', type: 'line', source: 'layout', filter: ['==', ['get', 'kind'], 'district'], paint: { 'line-color': '#7a8ca3', 'line-width': 1.2, 'line-dasharray': [4, 2] } }, under);
  map.addLayer({ id: 'layout-corridors', type: 'fill', source: 'layout', filter: ['==', ['get', 'kind'], 'corridor'], paint: { 'fill-color': '#63c47a', 'fill-opacity': 0.28, 'fill-outline-color': '#2f8a46' } }, under);
  addContextLayers(under);

  const [plants, idleSites, roads] = await others;
  state.roads = roads;

  // Idle sites, plants.
  map.addSource('idle-sites', { type: 'geojson', data: idleSites, promoteId: 'code' });
  map.addLayer({ id: 'idle-sites-fill', type: 'fill', source: 'idle-sites', paint: { 'fill-color': matchExpr('stage', STAGE_COLORS, FALLBACK.stage), 'fill-opacity': 0.65 } });
  map.addLayer({ id: 'idle-sites-line', type: 'line', source: 'idle-sites', paint: { 'line-color': '#8f1d1d', 'line-width': 1.6, 'line-dasharray': [2, 1] } });
  map.addSource('plants', { type: 'geojson', data: plants, promoteId: 'code' });
  map.addLayer({ id: 'plants-result', type: 'line', source: 'plants', filter: none, paint: halo });
  map.addLayer({ id: 'plants-fill', type: 'fill', source: 'plants', paint: { 'fill-color': PLANT_COLOR, 'fill-opacity': 0.85 } });
  map.addLayer({ id: 'plants-line', type: 'line', source: 'plants', paint: { 'line-color': '#ffffff', 'line-width': 0.8 } });

  // Roads: solid for existing / under construction / remediation; dashed for planned and
  // preliminary (line-dasharray cannot vary by feature, hence two layers).
  map.addSource('roads', { type: 'geojson', data: state.roads, promoteId: 'code' });
  const dashed = ['in', ['get', 'status'], ['literal', DASHED_ROADS]];
  const roadWidth = ['interpolate', ['linear'], ['zoom'], 11, 1.5, 15, 5];
  const roadColor = matchExpr('status', ROAD_COLORS, FALLBACK.road);
  map.addLayer({ id: 'roads-solid', type: 'line', source: 'roads', filter: ['!', dashed], layout: { 'line-cap': 'round' }, paint: { 'line-color': roadColor, 'line-width': roadWidth } });
  map.addLayer({ id: 'roads-dashed', type: 'line', source: 'roads', filter: dashed, paint: { 'line-color': roadColor, 'line-width': roadWidth, 'line-dasharray': [2, 1.5] } });

  // Axes and the boundary on top.
  map.addLayer({ id: 'layout-axes', type: 'line', source: 'layout', filter: ['==', ['get', 'kind'], 'axis'], paint: { 'line-color': '#d6336c', 'line-width': 3, 'line-opacity': 0.7, 'line-dasharray': [6, 3] } });
  map.addSource('zone', { type: 'geojson', data: state.zone });
  map.addLayer({ id: 'zone-line', type: 'line', source: 'zone', paint: { 'line-color': '#a61e1e', 'line-width': 2.5 } });

  // Search results, hover and selection.
  const outline = (color) => ({ 'line-color': color, 'line-width': 4 });
  map.addLayer({ id: 'plots-hover', type: 'line', ...src, filter: none, paint: outline('#ffd400') });
  map.addLayer({ id: 'plants-hover', type: 'line', source: 'plants', filter: none, paint: outline('#ffd400') });
  map.addLayer({ id: 'selected', type: 'line', ...src, filter: none, paint: outline('#00c2ff') });
  map.addLayer({ id: 'selected-plant', type: 'line', source: 'plants', filter: none, paint: outline('#00c2ff') });
  map.addLayer({ id: 'selected-idle', type: 'line', source: 'idle-sites', filter: none, paint: outline('#00c2ff') });

  applyVisibility();
  for (const id of ['plots-fill', 'plants-fill', 'idle-sites-fill']) {
    map.on('mouseenter', id, () => { map.getCanvas().style.cursor = 'pointer'; });
    map.on('mouseleave', id, () => { map.getCanvas().style.cursor = ''; });
  }
  state.labelled = new Promise((resolve) => map.once('render', () => { addLabels(); map.once('idle', resolve); }));
}

// plotsDrawn resolves after the first frame that shows plots (or after 10 s, in case the view
// has none), and records when in state.plotsAt (ms since navigation; the benchmark's figure).
function plotsDrawn() {
  const map = state.map;
  if (state.hidden.has('plots')) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => { map.off('render', check); clearTimeout(timer); resolve(); };
    const check = () => {
      if (!map.queryRenderedFeatures({ layers: ['plots-fill'] }).length) return;
      state.plotsAt = performance.now();
      done();
    };
    const timer = setTimeout(done, 10000);
    map.on('render', check);
  });
}

// mapIdle resolves when the map has drawn everything it is loading.
export function mapIdle() {
  const map = state.map;
  return new Promise((resolve) => {
    const check = () => (map.loaded() && map.areTilesLoaded() ? resolve() : map.once('idle', check));
    check();
  });
}

// addLabels adds the road and district names as symbol layers, or rewrites them in the page's
// language. Priorities: district names are placed first (the layer on top), then road names,
// built roads before the others (symbol-sort-key); a label that would collide with one already
// placed is not drawn at that zoom. Road names follow their line from zoom 11 on.
export function addLabels() {
  const map = state.map;
  if (!map || !state.roads || !map.getSource('roads')) return;
  const en = state.lang === 'en';
  const name = en ? ['coalesce', ['get', 'name_en'], ['get', 'name'], ['get', 'code']] : ['coalesce', ['get', 'name'], ['get', 'code']];
  const points = {
    type: 'FeatureCollection',
    features: districts().map((f) => {
      const b = bboxOf(f.geometry);
      return { type: 'Feature', properties: { label: label(f.properties), code: f.properties.code }, geometry: { type: 'Point', coordinates: [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2] } };
    }),
  };
  if (map.getSource('district-labels')) {
    map.getSource('district-labels').setData(points);
    for (const id of ['labels-roads', 'labels-context-lines', 'labels-context-points']) map.setLayoutProperty(id, 'text-field', name);
    map.setLayoutProperty('labels-roads', 'text-max-angle', en ? 30 : 45);
    map.setLayoutProperty('labels-context-lines', 'text-max-angle', en ? 30 : 45);
    cityPointer();
    return;
  }
  map.addSource('district-labels', { type: 'geojson', data: points });
  const halo = { 'text-halo-color': 'rgba(255,255,255,0.9)', 'text-halo-width': 1.6 };
  // The surroundings' names come first, so that they are placed last (the lowest priority):
  // the points' (station, exits, city centre, beside their circle) above the lines'.
  map.addLayer({
    id: 'labels-context-lines', type: 'symbol', source: 'layout', filter: kindIn(CONTEXT_LINES),
    layout: {
      // 350 px between a line's label candidates: at 500 the expressway's long English name
      // ("Beijing–Kunming Expressway G5") found no straight stretch free in the first view.
      'symbol-placement': 'line', 'symbol-spacing': 350, 'text-field': name, 'text-font': FONT, 'text-size': 12,
      'text-max-angle': en ? 30 : 45, 'text-padding': 4, 'text-keep-upright': true,
    },
    paint: { 'text-color': ['match', ['get', 'kind'], 'river', '#2a6db0', 'expressway', '#9a5512', '#555555'], ...halo },
  });
  map.addLayer({
    id: 'labels-context-points', type: 'symbol', source: 'layout', filter: kindIn(CONTEXT_POINTS),
    layout: {
      'text-field': name, 'text-font': FONT, 'text-size': ['match', ['get', 'kind'], 'city_centre', 14, 12], 'text-max-width': 9, 'text-padding': 4,
      'text-variable-anchor-offset': inwardAnchors(), 'text-justify': 'auto',
      'symbol-sort-key': ['match', ['get', 'kind'], 'city_centre', 0, 'station', 1, 2],
    },
    paint: { 'text-color': ['match', ['get', 'kind'], 'city_centre', '#6d2a6d', '#333333'], ...halo },
  });
  map.on('move', cityPointer);
  map.on('resize', cityPointer);
  cityPointer();
  map.addLayer({
    id: 'labels-roads', type: 'symbol', source: 'roads', minzoom: 11,
    layout: {
      'symbol-placement': 'line', 'symbol-spacing': 400, 'text-field': name, 'text-font': FONT, 'text-size': 12,
      'text-max-angle': en ? 30 : 45, 'text-padding': 4, 'text-keep-upright': true,
      'symbol-sort-key': ['match', ['get', 'status'], 'existing', 0, 'under_construction', 1, 2],
    },
    paint: { 'text-color': ['case', ['in', ['get', 'status'], ['literal', DASHED_ROADS]], '#1c4f9c', '#333333'], ...halo },
  });
  map.addLayer({
    id: 'labels-districts', type: 'symbol', source: 'district-labels',
    layout: {
      'text-field': ['get', 'label'], 'text-font': FONT, 'text-size': ['interpolate', ['linear'], ['zoom'], 10, 12, 14, 15],
      'text-max-width': 7, 'text-padding': 6, 'text-variable-anchor': ['center', 'top', 'bottom', 'left', 'right'], 'text-radial-offset': 0.6,
    },
    paint: { 'text-color': '#33506e', ...halo, 'text-halo-width': 2 },
  });
  // The surroundings' points (city centre, station, exits) on top, placed first: a district's
  // name has other places to go (its variable anchors), theirs must keep inwards.
  map.moveLayer('labels-context-points');
  applyVisibility();
}

// GROUPS are the map layers of each legend group.
const GROUPS = {
  boundary: ['zone-line'],
  layout: ['layout-districts', 'layout-districts-line', 'layout-corridors', 'layout-axes', 'labels-districts'],
  context: ['context-river', 'context-roads', 'context-rail', 'context-points', 'labels-context-lines', 'labels-context-points'],
  plots: ['plots-result', 'plots-fill', 'plots-outline', 'plots-standard', 'plots-hover', 'selected'],
  plants: ['plants-result', 'plants-fill', 'plants-line', 'plants-hover', 'selected-plant'],
  idle_sites: ['idle-sites-fill', 'idle-sites-line', 'selected-idle'],
  roads: ['roads-solid', 'roads-dashed', 'labels-roads'],
};

// applyVisibility shows or hides each legend group as state.hidden says.
export function applyVisibility() {
  const map = state.map;
  if (!map || !map.getLayer('zone-line')) return;
  for (const [g, ids] of Object.entries(GROUPS)) {
    for (const id of ids) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', state.hidden.has(g) ? 'none' : 'visible');
  }
  cityPointer();
}

const PICKABLE = { 'plants-fill': ['plants', 'plants'], 'idle-sites-fill': ['idle-sites', 'idle_sites'], 'plots-fill': ['plots', 'plots'] };

function onMapClick(e, onPick) {
  const map = state.map;
  if (!map.getLayer('plots-fill') || state.measuring) return;
  const layers = Object.keys(PICKABLE).filter((id) => !state.hidden.has(PICKABLE[id][1]));
  const hits = map.queryRenderedFeatures(e.point, { layers });
  if (!hits.length) return;
  const f = hits[0];
  onPick(PICKABLE[f.layer.id][0], f.properties.code);
}

// keepInView pans (or zooms out) the map so that geometry (as drawn) lies inside the map's
// box with a margin: after the details panel docks beside or below the map, the selected site
// stays in sight. While the map is still moving (e.g. a fit started by a click in the list,
// before the panel docked), it waits for the move to end and checks then, if wanted() still
// says so (the site is still the selected one).
export function keepInView(geometry, wanted = () => true) {
  const map = state.map;
  if (!map || !geometry) return;
  if (map.isMoving()) {
    map.once('moveend', () => { if (wanted()) keepInView(geometry, wanted); });
    return;
  }
  map.resize(); // the docked panel changed the map's box
  const b = bboxOf(geometry);
  const c = map.getContainer();
  const w = c.clientWidth; const h = c.clientHeight; const m = 40;
  // The legend, when open on a wide map, covers the left: leave it out.
  const lg = $('#legend-box');
  const left = lg.open && w > 500 ? Math.min(lg.getBoundingClientRect().right - c.getBoundingClientRect().left + 10, w / 2) : m;
  const sw = map.project([b[0], b[1]]); const ne = map.project([b[2], b[3]]);
  if (sw.x >= left && ne.x <= w - m && ne.y >= m && sw.y <= h - m) return;
  const pad = { top: m, bottom: m, left, right: m };
  if (ne.x - sw.x > w - left - m || sw.y - ne.y > h - 2 * m) {
    map.fitBounds(b, { padding: w - left - m > 60 ? pad : Math.min(m, w / 4, h / 4), maxZoom: map.getZoom(), duration: 400 });
  } else {
    // Centre the site in the part of the map the legend leaves free.
    const at = map.project([(b[0] + b[2]) / 2, (b[1] + b[3]) / 2]);
    map.panBy([at.x - (left + w) / 2, at.y - h / 2], { duration: 400 });
  }
}

// showResults shows a tab's search on the map: its results outlined, everything else faded
// (all features as usual when the search sets no filter). The tab in view decides which
// search the map shows (applyEmphasis).
export function showResults() {
  applyEmphasis();
}

// applyEmphasis draws the search of the tab in view: its results in full colour with an
// orange outline (plots-result, plants-result), the layer's other features faded, and the
// other layers (buildings or plots, idle sites) faded too, so that the results stand out.
export function applyEmphasis() {
  const map = state.map;
  if (!map || !map.getLayer('plots-fill')) return;
  const codes = (tab) => { const r = state.results[tab]; return r && r.active ? r.fc.features.map((f) => f.id) : null; };
  const focus = state.tab;
  const hit = codes(focus);
  const inSet = hit ? ['in', ['get', 'code'], ['literal', hit]] : null;
  const own = (full, faded) => (inSet ? ['case', inSet, full, faded] : full);
  const other = (full, faded) => (hit ? faded : full);
  const plots = focus === 'plots';
  map.setPaintProperty('plots-fill', 'fill-opacity', plots ? own(0.85, 0.12) : other(0.78, 0.25));
  map.setPaintProperty('plots-outline', 'line-opacity', plots ? own(1, 0.25) : other(1, 0.4));
  map.setPaintProperty('plots-standard', 'line-opacity', plots ? own(1, 0.2) : other(1, 0.3));
  map.setPaintProperty('plants-fill', 'fill-opacity', plots ? other(0.85, 0.2) : own(0.9, 0.15));
  map.setPaintProperty('plants-line', 'line-opacity', plots ? other(1, 0.3) : own(1, 0.25));
  map.setPaintProperty('idle-sites-fill', 'fill-opacity', other(0.65, 0.15));
  map.setPaintProperty('idle-sites-line', 'line-opacity', other(1, 0.3));
  map.setFilter('plots-result', plots && inSet ? inSet : none);
  map.setFilter('plants-result', !plots && inSet ? inSet : none);
}

// hover outlines one feature of a tab's layer ('' for none).
export function hover(tab, code) {
  state.map.setFilter(tab === 'plants' ? 'plants-hover' : 'plots-hover', byCode(code));
}

// select outlines the selected feature (kind: plots, plants, idle-sites; null for none).
export function select(kind, code) {
  const map = state.map;
  if (!map || !map.getLayer('selected')) return;
  map.setFilter('selected', byCode(kind === 'plots' ? code : ''));
  map.setFilter('selected-plant', byCode(kind === 'plants' ? code : ''));
  map.setFilter('selected-idle', byCode(kind === 'idle-sites' ? code : ''));
}

// CONTROLS_W is the width the map's controls take at its right edge (buttons and margins).
const CONTROLS_W = 60;

// LABEL_ROOM is the room the first view leaves at its left edge: half a surroundings label
// centred above or below its point (inwardAnchors).
const LABEL_ROOM = 60;

// firstBounds is the bbox of the zone grown to take in the surroundings' points lying within a
// quarter of the zone's size of it (a point further away is pointed at, cityPointer).
function firstBounds() {
  const b = [...state.zone.bbox];
  const gx = (b[2] - b[0]) / 4; const gy = (b[3] - b[1]) / 4;
  for (const f of (state.layout && state.layout.features) || []) {
    if (!CONTEXT_POINTS.includes(f.properties.kind) || !f.geometry || f.geometry.type !== 'Point') continue;
    const [x, y] = f.geometry.coordinates;
    if (x < b[0] - gx || x > b[2] + gx || y < b[1] - gy || y > b[3] + gy) continue;
    b[0] = Math.min(b[0], x); b[1] = Math.min(b[1], y); b[2] = Math.max(b[2], x); b[3] = Math.max(b[3], y);
  }
  return b;
}

// inwardAnchors places a surroundings point's label on the side of its point towards the zone
// (text left of a point east of the zone's middle, right of one west of it), then above or
// below, so that a point near the map's edge keeps its label inside the map.
function inwardAnchors() {
  const b = state.zone.bbox; const mid = (b[0] + b[2]) / 2;
  const east = ((state.layout && state.layout.features) || [])
    .filter((f) => CONTEXT_POINTS.includes(f.properties.kind) && f.geometry && f.geometry.type === 'Point' && f.geometry.coordinates[0] > mid)
    .map((f) => f.properties.code).filter(Boolean);
  // Never towards the outside: a label that finds no room inwards, above or below is left out.
  const o = 0.8;
  const west = ['left', [o, 0], 'top', [0, o], 'bottom', [0, -o]];
  if (!east.length) return west;
  return ['match', ['get', 'code'], east, ['literal', ['right', [-o, 0], 'top', [0, o], 'bottom', [0, -o]]], ['literal', west]];
}

// padding keeps fitted views clear of the legend (and of the details panel when open).
export function padding() {
  const wrap = $('#mapwrap').getBoundingClientRect();
  const legend = $('#legend-box');
  const p = { top: 30, bottom: 30, left: 30, right: 30 };
  if (wrap.width > 700 && legend.open) p.left = Math.min(legend.getBoundingClientRect().width + 30, wrap.width / 3);
  return p;
}

// SITE_MAX_ZOOM is the closest a fit to one site comes: its neighbours and roads stay in
// view (about 1.2 km across a laptop's map, 2 m a pixel), not the site alone.
const SITE_MAX_ZOOM = 15;

// fitTo fits the view to features: to one site no closer than SITE_MAX_ZOOM.
export function fitTo(features) {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of features) {
    const fb = bboxOf(f.geometry);
    b[0] = Math.min(b[0], fb[0]); b[1] = Math.min(b[1], fb[1]); b[2] = Math.max(b[2], fb[2]); b[3] = Math.max(b[3], fb[3]);
  }
  if (!Number.isFinite(b[0])) return;
  state.map.resize(); // the details panel may have just docked beside or below the map
  state.map.fitBounds(b, { padding: padding(), maxZoom: features.length === 1 ? SITE_MAX_ZOOM : 16, duration: 600 });
}
