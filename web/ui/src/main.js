// The land map (土地一张图): MapLibre GL JS over the landinv read API. Everything it loads
// comes from its own server: no CDN, no fonts, no glyphs, no tiles unless a basemap is set.
//
// Labels (road and district names) are HTML markers, so the style needs no glyph service;
// MapLibre's localIdeographFontFamily is set too, so that any CJK text MapLibre itself draws
// uses the browser's own fonts.
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import './style.css';
import { makeT } from './i18n.js';
import { shiftGeoJSON, wgs84ToGcj02 } from './gcj02.js';

maplibregl.setWorkerUrl(new URL('/assets/maplibre-gl-worker.mjs', location.href).href);

const $ = (sel, el = document) => el.querySelector(sel);
const params = new URLSearchParams(location.search);
const state = {
  lang: params.get('lang') === 'en' ? 'en' : 'zh',
  tab: params.get('tab') === 'plants' ? 'plants' : 'plots',
  meta: null, cfg: null, zone: null, layout: null, landUses: [], roads: null,
  plotsMode: 'geojson', gcj: false,
  results: { plots: null, plants: null },
  hidden: new Set((params.get('hide') || '').split(',').filter(Boolean)),
  selected: null, ready: false, readyAt: null, errors: [],
};
const t = makeT(() => state.lang);

// Filters: the page's query parameters are the API's, so a shared link and the API agree.
const PLOT_FILTERS = ['status', 'district', 'cluster', 'land_use', 'standard_land', 'min_area_mu', 'max_area_mu', 'near_road_m', 'road_status'];
const PLANT_FILTERS = ['status', 'min_free_area_m2', 'min_floor_load_kn_m2', 'min_floor_height_m', 'max_floors'];
const LIST_CAP = 1000;

const STATUS_COLORS = {
  planned: '#c9c9c9', ready: '#2e9e4f', reserved: '#f2c12e', supplied: '#e88b2e',
  under_construction: '#d9534f', in_production: '#8e5fb5', idle: '#6b4f3a',
};
const STAGE_COLORS = {
  survey: '#f4a6a6', determination: '#ee7d7d', notice_hearing: '#e55353', disposal_plan: '#c92a2a',
  implementation: '#8f1d1d', reactivated: '#5cb85c',
};
const ROAD_COLORS = {
  existing: '#555555', under_construction: '#e8590c', planned: '#1c7ed6', preliminary: '#9c36b5', remediation: '#f08c00',
};
const DISTRICT_COLORS = ['#e7f0fb', '#fbf3e1', '#eaf6e8', '#f5e9f7', '#e6f5f5'];
const STANDARD_COLOR = '#0b4fd9';

const matchExpr = (prop, colors, fallback) => ['match', ['get', prop], ...Object.entries(colors).flat(), fallback];

async function getJSON(url) {
  const headers = { Accept: 'application/json' };
  // The token of a planner signed in through the edit panel (edit.js keeps it for the tab).
  const token = sessionStorage.getItem('landinv.token');
  if (token) headers.Authorization = `Bearer ${token}`;
  const r = await fetch(url, { headers });
  const body = await r.json().catch(() => null);
  if (!r.ok) {
    const msg = body && (body.detail || body.title) ? body.detail || body.title : r.statusText;
    throw new Error(msg);
  }
  return body;
}

// fetchAll follows a list's next links and returns one FeatureCollection.
async function fetchAll(url) {
  const fc = await getJSON(url);
  let next = fc.next;
  while (next) {
    const page = await getJSON(next);
    fc.features.push(...page.features);
    next = page.next;
  }
  fc.number_returned = fc.features.length;
  delete fc.next;
  return fc;
}

const shift = (g) => (state.gcj ? shiftGeoJSON(g) : g);

function showError(e) {
  console.warn(e);
  const el = $('#error');
  el.textContent = `${t('error')} ${e.message || e}`;
  el.hidden = false;
}

// ---------------------------------------------------------------------------------------------
// Start

async function main() {
  document.documentElement.lang = state.lang === 'en' ? 'en' : 'zh-CN';
  renderStatic();
  const [cfg, meta, zone, layout, lu, count] = await Promise.all([
    getJSON('/map-config.json'), getJSON('/api/v1/meta'), getJSON('/api/v1/zone'), getJSON('/api/v1/layout?limit=10000'),
    getJSON('/api/v1/land-uses'), getJSON('/api/v1/plots?limit=1'),
  ]);
  Object.assign(state, { cfg, meta, landUses: lu.land_uses });
  state.gcj = !!(cfg.basemap && cfg.basemap.crs === 'gcj02');
  state.zone = shift(zone);
  state.layout = shift(layout);
  state.plotsMode = cfg.tiles && !state.gcj && count.number_matched > cfg.tile_threshold ? 'tiles' : 'geojson';
  buildForms();
  readFormsFromURL();
  renderStatic();
  createMap();
}

// ---------------------------------------------------------------------------------------------
// Map

let map;
const markers = { roads: [], districts: [] };

function createMap() {
  const style = {
    version: 8,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#f4f1ea' } }],
  };
  const b = state.cfg.basemap;
  if (b) {
    style.sources.basemap = { type: 'raster', tiles: b.tiles, tileSize: 256, scheme: b.scheme || 'xyz', maxzoom: b.max_zoom || 18, attribution: b.attribution || '' };
    style.layers.push({ id: 'basemap', type: 'raster', source: 'basemap' });
    if (b.overlay) {
      style.sources.basemap_overlay = { type: 'raster', tiles: b.overlay, tileSize: 256, maxzoom: b.max_zoom || 18 };
      style.layers.push({ id: 'basemap-overlay', type: 'raster', source: 'basemap_overlay' });
    }
  }
  const view = (params.get('map') || '').split('/').map(Number);
  const opts = {
    container: 'map', style, attributionControl: { compact: true },
    localIdeographFontFamily: "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif",
    maxZoom: 19, dragRotate: false, pitchWithRotate: false,
  };
  if (view.length === 3 && view.every(Number.isFinite)) {
    opts.zoom = view[0]; opts.center = [view[2], view[1]];
  } else {
    opts.bounds = state.zone.bbox; opts.fitBoundsOptions = { padding: padding() };
  }
  map = new maplibregl.Map(opts);
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
  window.landinv.map = map;
  map.on('error', (e) => { state.errors.push(String(e.error && e.error.message || e)); console.error('map error', e.error || e); });
  map.on('load', () => addLayers().catch(showError));
  map.on('moveend', writeURL);
  // Road names crowd the map when zoomed far out: show them from zoom 11 on.
  const declutter = () => document.body.classList.toggle('zoomed-out', map.getZoom() < 11);
  map.on('zoom', declutter);
  map.on('load', declutter);
}

async function addLayers() {
  const [plants, idleSites, roads] = await Promise.all([
    fetchAll('/api/v1/plants?limit=10000'), fetchAll('/api/v1/idle-sites?limit=10000'), fetchAll('/api/v1/roads?limit=10000'),
  ]);
  state.roads = shift(roads);

  // Layout: districts, corridors, axes.
  const districts = state.layout.features.filter((f) => f.properties.kind === 'district').map((f) => f.id);
  map.addSource('layout', { type: 'geojson', data: state.layout, promoteId: 'code' });
  map.addLayer({
    id: 'layout-districts', type: 'fill', source: 'layout', filter: ['==', ['get', 'kind'], 'district'],
    paint: { 'fill-color': ['match', ['get', 'code'], ...districts.flatMap((c, i) => [c, DISTRICT_COLORS[i % DISTRICT_COLORS.length]]), '#eeeeee'], 'fill-opacity': 0.85 },
  });
  map.addLayer({ id: 'layout-districts-line', type: 'line', source: 'layout', filter: ['==', ['get', 'kind'], 'district'], paint: { 'line-color': '#7a8ca3', 'line-width': 1.2, 'line-dasharray': [4, 2] } });
  map.addLayer({ id: 'layout-corridors', type: 'fill', source: 'layout', filter: ['==', ['get', 'kind'], 'corridor'], paint: { 'fill-color': '#63c47a', 'fill-opacity': 0.28, 'fill-outline-color': '#2f8a46' } });

  // Plots.
  if (state.plotsMode === 'tiles') {
    map.addSource('plots', { type: 'vector', tiles: [new URL('/tiles/plots/{z}/{x}/{y}.mvt', location.href).href.replace('%7Bz%7D', '{z}').replace('%7Bx%7D', '{x}').replace('%7By%7D', '{y}')], minzoom: 0, maxzoom: state.cfg.max_tile_zoom || 18, promoteId: 'code' });
  } else {
    const plots = shift(await fetchAll('/api/v1/plots?limit=10000'));
    state.allPlots = plots;
    map.addSource('plots', { type: 'geojson', data: plots, promoteId: 'code' });
  }
  const src = state.plotsMode === 'tiles' ? { source: 'plots', 'source-layer': 'plots' } : { source: 'plots' };
  // A halo under the search results, so that small plots stand out when a filter is set.
  map.addLayer({ id: 'plots-result', type: 'line', ...src, filter: ['==', ['get', 'code'], ''], paint: { 'line-color': '#ff6a00', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 5, 15, 9], 'line-opacity': 0.55 } });
  map.addLayer({ id: 'plots-fill', type: 'fill', ...src, paint: { 'fill-color': matchExpr('status', STATUS_COLORS, '#999999'), 'fill-opacity': 0.78 } });
  map.addLayer({ id: 'plots-outline', type: 'line', ...src, paint: { 'line-color': '#ffffff', 'line-width': 0.6 } });
  map.addLayer({ id: 'plots-standard', type: 'line', ...src, filter: ['==', ['get', 'standard_land'], true], paint: { 'line-color': STANDARD_COLOR, 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 1.2, 15, 3] } });

  // Idle sites, plants.
  map.addSource('idle-sites', { type: 'geojson', data: shift(idleSites), promoteId: 'code' });
  map.addLayer({ id: 'idle-sites-fill', type: 'fill', source: 'idle-sites', paint: { 'fill-color': matchExpr('stage', STAGE_COLORS, '#cc0000'), 'fill-opacity': 0.65 } });
  map.addLayer({ id: 'idle-sites-line', type: 'line', source: 'idle-sites', paint: { 'line-color': '#8f1d1d', 'line-width': 1.6, 'line-dasharray': [2, 1] } });
  map.addSource('plants', { type: 'geojson', data: shift(plants), promoteId: 'code' });
  map.addLayer({ id: 'plants-fill', type: 'fill', source: 'plants', paint: { 'fill-color': '#3b3b98', 'fill-opacity': 0.85 } });
  map.addLayer({ id: 'plants-line', type: 'line', source: 'plants', paint: { 'line-color': '#ffffff', 'line-width': 0.8 } });

  // Roads: solid for existing / under construction / remediation; dashed for planned and
  // preliminary (line-dasharray cannot vary by feature, hence two layers).
  map.addSource('roads', { type: 'geojson', data: state.roads, promoteId: 'code' });
  const dashed = ['planned', 'preliminary'];
  const roadWidth = ['interpolate', ['linear'], ['zoom'], 11, 1.5, 15, 5];
  map.addLayer({ id: 'roads-solid', type: 'line', source: 'roads', filter: ['!', ['in', ['get', 'status'], ['literal', dashed]]], layout: { 'line-cap': 'round' }, paint: { 'line-color': matchExpr('status', ROAD_COLORS, '#555'), 'line-width': roadWidth } });
  map.addLayer({ id: 'roads-dashed', type: 'line', source: 'roads', filter: ['in', ['get', 'status'], ['literal', dashed]], paint: { 'line-color': matchExpr('status', ROAD_COLORS, '#555'), 'line-width': roadWidth, 'line-dasharray': [2, 1.5] } });

  // Axes and the boundary on top.
  map.addLayer({ id: 'layout-axes', type: 'line', source: 'layout', filter: ['==', ['get', 'kind'], 'axis'], paint: { 'line-color': '#d6336c', 'line-width': 3, 'line-opacity': 0.7, 'line-dasharray': [6, 3] } });
  map.addSource('zone', { type: 'geojson', data: state.zone });
  map.addLayer({ id: 'zone-line', type: 'line', source: 'zone', paint: { 'line-color': '#a61e1e', 'line-width': 2.5 } });

  // Search results, hover and selection.
  map.addLayer({ id: 'plots-hover', type: 'line', ...src, filter: ['==', ['get', 'code'], ''], paint: { 'line-color': '#ffd400', 'line-width': 4 } });
  map.addLayer({ id: 'plants-hover', type: 'line', source: 'plants', filter: ['==', ['get', 'code'], ''], paint: { 'line-color': '#ffd400', 'line-width': 4 } });
  map.addLayer({ id: 'selected', type: 'line', ...src, filter: ['==', ['get', 'code'], ''], paint: { 'line-color': '#00c2ff', 'line-width': 4 } });
  map.addLayer({ id: 'selected-plant', type: 'line', source: 'plants', filter: ['==', ['get', 'code'], ''], paint: { 'line-color': '#00c2ff', 'line-width': 4 } });
  map.addLayer({ id: 'selected-idle', type: 'line', source: 'idle-sites', filter: ['==', ['get', 'code'], ''], paint: { 'line-color': '#00c2ff', 'line-width': 4 } });

  addLabels();
  applyVisibility();
  for (const id of ['plots-fill', 'plants-fill', 'idle-sites-fill']) {
    map.on('mouseenter', id, () => { map.getCanvas().style.cursor = 'pointer'; });
    map.on('mouseleave', id, () => { map.getCanvas().style.cursor = ''; });
  }
  map.on('click', onMapClick);

  await Promise.all([search('plots', false), search('plants', false)]);
  const sel = params.get('sel');
  if (sel) {
    const [kind, code] = sel.split(':');
    if (code) showDetails(kind, code).catch(showError);
  }
  await mapIdle();
  state.ready = true;
  state.readyAt = performance.now();
  document.body.dataset.ready = 'true';
}

function mapIdle() {
  return new Promise((resolve) => {
    const check = () => (map.loaded() && map.areTilesLoaded() ? resolve() : map.once('idle', check));
    check();
  });
}

// Labels are HTML markers: no glyph service needed, and the browser's fonts draw both scripts.
function addLabels() {
  for (const m of [...markers.roads, ...markers.districts]) m.remove();
  markers.roads = []; markers.districts = [];
  const seen = new Set();
  for (const f of state.roads.features) {
    const name = label(f.properties);
    const key = name + f.properties.status;
    if (seen.has(key)) continue;
    seen.add(key);
    const at = midpoint(f.geometry);
    if (!at) continue;
    const el = document.createElement('div');
    el.className = 'road-label road-' + f.properties.status;
    el.textContent = name;
    markers.roads.push(new maplibregl.Marker({ element: el }).setLngLat(at).addTo(map));
  }
  for (const f of state.layout.features.filter((f) => f.properties.kind === 'district')) {
    const el = document.createElement('div');
    el.className = 'district-label';
    el.textContent = label(f.properties);
    const b = bboxOf(f.geometry);
    markers.districts.push(new maplibregl.Marker({ element: el }).setLngLat([(b[0] + b[2]) / 2, (b[1] + b[3]) / 2]).addTo(map));
  }
  applyVisibility();
}

const label = (p) => (state.lang === 'en' && p.name_en ? p.name_en : p.name) || p.code;

function midpoint(g) {
  const lines = g.type === 'LineString' ? [g.coordinates] : g.type === 'MultiLineString' ? g.coordinates : null;
  if (!lines) return null;
  const line = lines.reduce((a, b) => (b.length > a.length ? b : a));
  if (line.length === 2) return [(line[0][0] + line[1][0]) / 2, (line[0][1] + line[1][1]) / 2];
  return line[Math.floor(line.length / 2)];
}

function bboxOf(g) {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c) => {
    if (typeof c[0] === 'number') {
      b[0] = Math.min(b[0], c[0]); b[1] = Math.min(b[1], c[1]); b[2] = Math.max(b[2], c[0]); b[3] = Math.max(b[3], c[1]);
    } else c.forEach(walk);
  };
  walk(g.coordinates);
  return b;
}

// Layer groups, as the legend shows them.
const GROUPS = {
  boundary: ['zone-line'],
  layout: ['layout-districts', 'layout-districts-line', 'layout-corridors', 'layout-axes'],
  plots: ['plots-result', 'plots-fill', 'plots-outline', 'plots-standard', 'plots-hover', 'selected'],
  plants: ['plants-fill', 'plants-line', 'plants-hover', 'selected-plant'],
  idle_sites: ['idle-sites-fill', 'idle-sites-line', 'selected-idle'],
  roads: ['roads-solid', 'roads-dashed'],
};

function applyVisibility() {
  if (!map || !map.getLayer('zone-line')) return;
  for (const [g, ids] of Object.entries(GROUPS)) {
    for (const id of ids) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', state.hidden.has(g) ? 'none' : 'visible');
  }
  for (const m of markers.roads) m.getElement().hidden = state.hidden.has('roads');
  for (const m of markers.districts) m.getElement().hidden = state.hidden.has('layout');
}

function onMapClick(e) {
  const layers = ['plants-fill', 'idle-sites-fill', 'plots-fill'].filter((id) => !state.hidden.has(id === 'plants-fill' ? 'plants' : id === 'idle-sites-fill' ? 'idle_sites' : 'plots'));
  const hits = map.queryRenderedFeatures(e.point, { layers });
  if (!hits.length) return;
  const f = hits[0];
  const kind = f.layer.id === 'plants-fill' ? 'plants' : f.layer.id === 'idle-sites-fill' ? 'idle-sites' : 'plots';
  showDetails(kind, f.properties.code).catch(showError);
  // Keep what was clicked in view beside the details panel (on wide screens it opens on the
  // right, over the map).
  const wrap = $('#mapwrap').getBoundingClientRect();
  const panel = $('#details').getBoundingClientRect();
  if (wrap.width > 700 && e.point.x > wrap.width - panel.width - 40) {
    map.panBy([e.point.x - (wrap.width - panel.width) / 2, 0], { duration: 400 });
  }
}

// ---------------------------------------------------------------------------------------------
// Search

function formOf(tab) { return $(tab === 'plants' ? '#form-plants' : '#form-plots'); }

// queryOf returns the API query of a search form: only the filters the user set.
function queryOf(tab) {
  const form = formOf(tab);
  const q = new URLSearchParams();
  const names = tab === 'plants' ? PLANT_FILTERS : PLOT_FILTERS;
  for (const n of names) {
    if (n === 'status' || n === 'cluster') {
      const vals = [...form.querySelectorAll(`input[name="${n}"]:checked`)].map((i) => i.value);
      if (vals.length) q.set(n, vals.join(','));
      continue;
    }
    const el = form.elements[n];
    if (!el) continue;
    if (el.type === 'checkbox') {
      if (el.checked) q.set(n, el.dataset.value || 'true');
      continue;
    }
    const v = el.value.trim();
    if (v !== '') q.set(n, v);
  }
  if (q.has('road_status') && !q.has('near_road_m')) q.delete('road_status');
  return q;
}

function readFormsFromURL() {
  for (const tab of ['plots', 'plants']) {
    const form = formOf(tab);
    for (const n of tab === 'plants' ? PLANT_FILTERS : PLOT_FILTERS) {
      const v = params.get(n);
      if (v == null) continue;
      if (n === 'status' || n === 'cluster') {
        const set = new Set(v.split(','));
        form.querySelectorAll(`input[name="${n}"]`).forEach((i) => { i.checked = set.has(i.value); });
        continue;
      }
      const el = form.elements[n];
      if (!el) continue;
      if (el.type === 'checkbox') el.checked = v === (el.dataset.value || 'true');
      else el.value = v;
    }
  }
}

let searchSeq = { plots: 0, plants: 0 };

// search asks the API for the tab's filter and shows exactly its answer in the list and on the
// map (the map's layer filter is the list of codes the API returned).
// lastQuery holds the filters of each tab's latest search: a form's change event (fired when a
// number box loses focus, e.g. on a click in the result list) must not search again, and re-fit
// the map, for filters the input event already searched.
const lastQuery = {};

async function search(tab, fit = true) {
  const seq = ++searchSeq[tab];
  const q = queryOf(tab);
  lastQuery[tab] = q.toString();
  const active = [...q.keys()].length > 0;
  // With no filter on a zone served as vector tiles, the map shows every plot from the tiles:
  // the list needs only its first page and the count, not every plot as GeoJSON.
  const firstPageOnly = !active && tab === 'plots' && state.plotsMode === 'tiles';
  q.set('limit', firstPageOnly ? String(LIST_CAP) : '10000');
  const layer = tab === 'plants' ? 'plants' : 'plots';
  $(`#count-${tab}`).textContent = t('loading');
  let fc;
  try {
    fc = firstPageOnly ? await getJSON(`/api/v1/${layer}?${q}`) : await fetchAll(`/api/v1/${layer}?${q}`);
  } catch (e) {
    if (seq === searchSeq[tab]) { $(`#count-${tab}`).textContent = ''; showError(e); }
    return;
  }
  if (seq !== searchSeq[tab]) return;
  $('#error').hidden = true;
  shift(fc);
  state.results[tab] = { fc, active, query: q.toString(), total: fc.number_matched ?? fc.features.length };
  renderResults(tab);
  const codes = fc.features.map((f) => f.id);
  const filter = active ? ['in', ['get', 'code'], ['literal', codes]] : null;
  const ids = tab === 'plants' ? ['plants-fill', 'plants-line'] : ['plots-fill', 'plots-outline'];
  for (const id of ids) map.setFilter(id, filter);
  if (tab === 'plots') map.setFilter('plots-result', active ? filter : ['==', ['get', 'code'], '']);
  if (tab === 'plots') map.setFilter('plots-standard', active ? ['all', ['==', ['get', 'standard_land'], true], filter] : ['==', ['get', 'standard_land'], true]);
  writeURL();
  if (fit && active && fc.features.length) fitTo(fc.features);
}

// padding keeps fitted views clear of the legend (and of the details panel when open).
function padding() {
  const wrap = $('#mapwrap').getBoundingClientRect();
  const legend = $('#legend-box');
  const p = { top: 30, bottom: 30, left: 30, right: 30 };
  if (wrap.width > 700 && legend.open) p.left = Math.min(legend.getBoundingClientRect().width + 30, wrap.width / 3);
  if (wrap.width > 700 && !$('#details').hidden) p.right = Math.min($('#details').getBoundingClientRect().width + 60, wrap.width / 3);
  return p;
}

function fitTo(features) {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of features) {
    const fb = bboxOf(f.geometry);
    b[0] = Math.min(b[0], fb[0]); b[1] = Math.min(b[1], fb[1]); b[2] = Math.max(b[2], fb[2]); b[3] = Math.max(b[3], fb[3]);
  }
  if (!Number.isFinite(b[0])) return;
  map.fitBounds(b, { padding: padding(), maxZoom: 16, duration: 600 });
}

function renderResults(tab) {
  const r = state.results[tab];
  if (!r) return;
  const n = r.total;
  $(`#count-${tab}`).textContent = t(tab === 'plants' ? 'results_plants' : 'results_plots', { n }) + (n > LIST_CAP ? ' ' + t('showing_first', { n: LIST_CAP }) : '');
  const ul = $(`#list-${tab}`);
  ul.textContent = '';
  if (!n) {
    const li = document.createElement('li');
    li.className = 'empty';
    li.textContent = t('no_results');
    ul.append(li);
    return;
  }
  const frag = document.createDocumentFragment();
  for (const f of r.fc.features.slice(0, LIST_CAP)) {
    const p = f.properties;
    const li = document.createElement('li');
    li.dataset.code = f.id;
    li.tabIndex = 0;
    if (tab === 'plots') {
      li.innerHTML = `<b></b> <span class="swatch" style="background:${STATUS_COLORS[p.status] || '#999'}"></span><span class="st"></span><br><small></small>`;
      li.querySelector('b').textContent = f.id;
      li.querySelector('.st').textContent = t.enum('status', p.status) + (p.standard_land ? ' · ' + (state.lang === 'en' ? 'standard land' : '标准地') : '');
      li.querySelector('small').textContent = `${fmt(p.area_mu, 1)} ${t.unit('亩')} · ${t.enum('cluster', p.cluster) || '—'} · ${p.land_use} ${landUseName(p.land_use)}`;
    } else {
      li.innerHTML = '<b></b> <span class="st"></span><br><small></small>';
      li.querySelector('b').textContent = f.id;
      li.querySelector('.st').textContent = t.enum('plant_status', p.status);
      li.querySelector('small').textContent = `${fmt(p.free_area_m2, 0)} m² · ${fmt(p.floor_load_kn_m2, 1)} kN/m² · ${fmt(p.floor_height_m, 1)} ${t.unit('m')} · ${p.floors} ${t.unit(p.floors === 1 ? '1层' : '层')}`;
    }
    const layer = tab === 'plants' ? 'plants-hover' : 'plots-hover';
    li.addEventListener('mouseenter', () => map.setFilter(layer, ['==', ['get', 'code'], f.id]));
    li.addEventListener('mouseleave', () => map.setFilter(layer, ['==', ['get', 'code'], '']));
    // Open the details first, so that the fit leaves room for the panel beside the item.
    const open = () => { showDetails(tab, f.id).catch(showError); fitTo([f]); };
    li.addEventListener('click', open);
    li.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
    frag.append(li);
  }
  ul.append(frag);
}

function fmt(x, digits) {
  if (x == null || x === '') return '—';
  const n = Number(x);
  if (!Number.isFinite(n)) return String(x);
  return n.toLocaleString(state.lang === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

function landUseName(code) {
  const l = state.landUses.find((x) => x.code === code);
  return l ? (state.lang === 'en' ? l.name_en : l.name) : '';
}

// ---------------------------------------------------------------------------------------------
// Details

const INDICATORS = ['min_investment_wan_per_mu', 'min_tax_wan_per_mu_year', 'min_output_wan_per_mu', 'min_far', 'max_far',
  'min_building_coverage_pct', 'max_green_ratio_pct', 'max_admin_share_pct', 'max_energy_tce_per_wan', 'environmental_standard', 'min_rd_share_pct'];

function fieldLabel(layer, name) {
  const l = state.meta.layers.find((x) => x.name === layer);
  const f = l && l.fields.find((x) => x.name === name);
  if (!f) return [name, ''];
  return [state.lang === 'en' ? f.label_en : f.label, f.unit || ''];
}

async function showDetails(kind, code) {
  state.selected = { kind, code };
  const isPlant = kind === 'plants';
  if (map.getLayer('selected')) {
    map.setFilter('selected', ['==', ['get', 'code'], kind === 'plots' ? code : '']);
    map.setFilter('selected-plant', ['==', ['get', 'code'], isPlant ? code : '']);
    map.setFilter('selected-idle', ['==', ['get', 'code'], kind === 'idle-sites' ? code : '']);
  }
  writeURL();
  const panel = $('#details');
  panel.hidden = false;
  document.body.classList.add('has-details');
  const body = $('#details-body');
  body.textContent = t('loading');
  const enc = encodeURIComponent(code);
  let f, near;
  try {
    [f, near] = await Promise.all([
      getJSON(`/api/v1/${kind}/${enc}`),
      kind === 'plots' ? getJSON(`/api/v1/plots/${enc}/nearest-road`) : Promise.resolve(null),
    ]);
  } catch (e) {
    if (state.selected && state.selected.code === code) body.textContent = e.message;
    throw e;
  }
  if (!state.selected || state.selected.code !== code) return;
  state.selected.feature = f;
  state.selected.near = near;
  renderDetails();
}

function renderDetails() {
  const s = state.selected;
  if (!s || !s.feature) return;
  const { kind, feature: f, near } = s;
  const p = f.properties;
  const rows = [];
  const row = (k, v, cls) => rows.push([k, v, cls]);
  const field = (name, v) => {
    const [lab, unit] = fieldLabel(kind, name);
    const val = v ?? p[name];
    row(lab, val == null || val === '' ? '—' : (typeof val === 'number' ? fmt(val, 2) : String(val)) + (unit && val != null ? ' ' + t.unit(unit) : ''));
  };
  $('#details-title').textContent = `${t(kind === 'plots' ? 'plot' : kind === 'plants' ? 'plant' : 'idle_site')} ${f.id}`;
  row(t('code'), f.id);
  if (p.name) row(t('name'), label(p));
  if (kind === 'plots') {
    row(t('area'), `${fmt(p.area_mu, 2)} ${t.unit('亩')} · ${fmt(p.area_m2, 0)} m² · ${fmt(p.area_ha, 2)} ${t.unit('公顷')}`, 'area');
    field('land_use', `${p.land_use} ${landUseName(p.land_use)}`);
    field('cluster', t.enum('cluster', p.cluster) || null);
    field('status', t.enum('status', p.status));
    field('district', districtName(p.district));
    field('standard_land', p.standard_land ? t('yes') : t('no'));
    const road = (r) => (r ? `${label(r)} (${t.enum('road_status', r.status)}), ${t('distance')} ${fmt(r.distance_m, 0)} ${t.unit('m')}` : t('none'));
    row(t('nearest_road'), road(near && near.nearest), 'nearest-road');
    row(t('nearest_existing_road'), road(near && near.nearest_existing));
    if (p.standard_land || INDICATORS.some((n) => p[n] != null)) {
      rows.push([t('indicators'), null, 'head']);
      for (const n of INDICATORS) field(n);
    }
  } else if (kind === 'plants') {
    field('free_area_m2');
    field('floor_load_kn_m2');
    field('floor_height_m');
    field('floors');
    field('status', t.enum('plant_status', p.status));
    field('total_floor_area_m2');
    field('leasable_area_m2');
    field('span_m');
    field('crane_capacity_t');
    field('asking_rent_yuan_per_m2_month');
    field('plot_code');
    field('district', districtName(p.district));
  } else {
    field('stage', t.enum('stage', p.stage));
    field('kind', t.enum('kind', p.kind));
    row(t('area'), `${fmt(p.area_mu, 2)} ${t.unit('亩')} · ${fmt(p.area_m2, 0)} m²`);
    field('idle_since');
    field('disposal_route', p.disposal_route ? t.enum('disposal_route', p.disposal_route) : null);
    field('plot_code');
    field('district', districtName(p.district));
  }
  // Planners and admins (signed in through the edit panel) also get the confidential figures.
  if (p.confidential && typeof p.confidential === 'object') {
    rows.push([t('confidential'), null, 'head']);
    for (const [name, v] of Object.entries(p.confidential)) {
      if (v == null || (Array.isArray(v) && !v.length)) continue;
      if (Array.isArray(v)) {
        const [lab] = fieldLabel(kind, name);
        row(lab, v.map((x) => (x && x.name ? `${x.name}${x.area_m2 ? ' ' + fmt(x.area_m2, 0) + ' m²' : ''}` : JSON.stringify(x))).join('; '));
      } else field(name, v);
    }
  }
  const tbl = document.createElement('table');
  for (const [k, v, cls] of rows) {
    const tr = document.createElement('tr');
    if (cls) tr.className = cls;
    if (v === null) {
      const th = document.createElement('th');
      th.colSpan = 2; th.textContent = k; tr.append(th);
    } else {
      const th = document.createElement('th'); th.textContent = k;
      const td = document.createElement('td'); td.textContent = v;
      tr.append(th, td);
    }
    tbl.append(tr);
  }
  const body = $('#details-body');
  body.textContent = '';
  body.append(tbl);
}

function districtName(code) {
  const f = state.layout && state.layout.features.find((x) => x.id === code);
  return f ? label(f.properties) : code || null;
}

function closeDetails() {
  state.selected = null;
  $('#details').hidden = true;
  document.body.classList.remove('has-details');
  if (map && map.getLayer('selected')) {
    map.setFilter('selected', ['==', ['get', 'code'], '']);
    map.setFilter('selected-plant', ['==', ['get', 'code'], '']);
    map.setFilter('selected-idle', ['==', ['get', 'code'], '']);
  }
  writeURL();
}

// ---------------------------------------------------------------------------------------------
// URL: view, tab, filters, hidden layers, selection and language.

function writeURL() {
  const q = new URLSearchParams();
  if (state.lang === 'en') q.set('lang', 'en');
  if (state.tab === 'plants') q.set('tab', 'plants');
  if (state.meta) {
    for (const [k, v] of queryOf('plots')) q.set(k, v);
    for (const [k, v] of queryOf('plants')) q.set(k, v);
  }
  if (state.hidden.size) q.set('hide', [...state.hidden].join(','));
  if (state.selected) q.set('sel', `${state.selected.kind}:${state.selected.code}`);
  if (map) {
    const c = map.getCenter();
    q.set('map', `${map.getZoom().toFixed(2)}/${c.lat.toFixed(5)}/${c.lng.toFixed(5)}`);
  }
  history.replaceState(null, '', `${location.pathname}?${q.toString().replace(/%2C/g, ',').replace(/%2F/g, '/')}`);
}

// ---------------------------------------------------------------------------------------------
// Static UI: texts, legend, forms

function renderStatic() {
  document.title = t('title');
  document.documentElement.lang = state.lang === 'en' ? 'en' : 'zh-CN';
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  $('#lang').textContent = t('lang_switch');
  for (const b of document.querySelectorAll('.tabs button')) b.classList.toggle('active', b.dataset.tab === state.tab);
  $('#form-plots').hidden = state.tab !== 'plots';
  $('#form-plants').hidden = state.tab !== 'plants';
  $('#results-plots').hidden = state.tab !== 'plots';
  $('#results-plants').hidden = state.tab !== 'plants';
  if (state.meta) {
    renderLegend();
    relabelForms();
    renderResults('plots');
    renderResults('plants');
    renderDetails();
  }
  if (state.zone) $('#zone-name').textContent = label(state.zone.properties);
  const note = [t('illustrative_note')];
  if (state.gcj) note.push(t('shifted_gcj'));
  $('#note').textContent = state.zone && state.zone.properties.illustrative ? note.join(' ') : state.gcj ? t('shifted_gcj') : '';
}

function renderLegend() {
  const el = $('#legend');
  el.textContent = '';
  const group = (key, items) => {
    const box = document.createElement('div');
    box.className = 'legend-group';
    const lab = document.createElement('label');
    lab.className = 'legend-toggle';
    const cb = document.createElement('input');
    cb.type = 'checkbox'; cb.checked = !state.hidden.has(key); cb.dataset.layer = key;
    cb.addEventListener('change', () => {
      if (cb.checked) state.hidden.delete(key); else state.hidden.add(key);
      applyVisibility(); writeURL();
    });
    const span = document.createElement('span');
    span.textContent = t(key);
    lab.append(cb, span);
    box.append(lab);
    const ul = document.createElement('ul');
    for (const [swatch, text] of items) {
      const li = document.createElement('li');
      const sw = document.createElement('span');
      sw.className = 'swatch';
      sw.setAttribute('style', swatch);
      const tx = document.createElement('span');
      tx.textContent = text;
      li.append(sw, tx);
      ul.append(li);
    }
    box.append(ul);
    el.append(box);
  };
  group('boundary', [['border:2.5px solid #a61e1e;background:transparent', label(state.zone.properties)]]);
  group('layout', [
    ['background:' + DISTRICT_COLORS[0] + ';border:1px dashed #7a8ca3', t('district')],
    ['background:rgba(99,196,122,.4);border:1px solid #2f8a46', t('corridor')],
    ['border-top:3px dashed #d6336c;height:0;margin-top:6px', t('axis')],
  ]);
  group('plots', [
    ...Object.entries(STATUS_COLORS).map(([k, c]) => ['background:' + c, t.enum('status', k)]),
    ['background:#fff;border:2.5px solid ' + STANDARD_COLOR, t('standard_land_mark')],
  ]);
  group('plants', [['background:#3b3b98', t('plants')]]);
  group('idle_sites', Object.entries(STAGE_COLORS).map(([k, c]) => ['background:' + c + ';border:1px dashed #8f1d1d', t.enum('stage', k)]));
  group('roads', Object.entries(ROAD_COLORS).map(([k, c]) => [
    (k === 'planned' || k === 'preliminary' ? 'border-top:3px dashed ' : 'border-top:3px solid ') + c + ';height:0;margin-top:6px',
    t.enum('road_status', k),
  ]));
}

function buildForms() {
  const plots = $('#form-plots');
  const statusBox = $('#f-status', plots);
  statusBox.textContent = '';
  for (const s of Object.keys(STATUS_COLORS)) {
    const lab = document.createElement('label');
    lab.className = 'chip';
    lab.innerHTML = `<input type="checkbox" name="status" value="${s}"><span class="swatch" style="background:${STATUS_COLORS[s]}"></span><span data-enum="status:${s}"></span>`;
    statusBox.append(lab);
  }
  const clusterBox = $('#f-cluster', plots);
  clusterBox.textContent = '';
  const clusters = state.meta.layers.find((l) => l.name === 'plots').fields.find((f) => f.name === 'cluster').enum;
  for (const c of clusters) {
    const lab = document.createElement('label');
    lab.className = 'chip';
    lab.innerHTML = `<input type="checkbox" name="cluster" value="${c}"><span data-enum="cluster:${c}"></span>`;
    clusterBox.append(lab);
  }
  const district = plots.elements.district;
  district.textContent = '';
  district.append(new Option('', ''));
  for (const f of state.layout.features.filter((f) => f.properties.kind === 'district')) district.append(new Option(f.id, f.id));
  const lu = plots.elements.land_use;
  lu.textContent = '';
  lu.append(new Option('', ''));
  for (const l of state.landUses.filter((l) => l.scheme === 'gtkj')) lu.append(new Option(l.code, l.code));

  for (const [tab, form] of [['plots', plots], ['plants', $('#form-plants')]]) {
    let timer;
    const go = () => {
      clearTimeout(timer);
      timer = setTimeout(() => { if (queryOf(tab).toString() !== lastQuery[tab]) search(tab); }, 250);
    };
    form.addEventListener('input', go);
    form.addEventListener('change', go);
    form.addEventListener('submit', (e) => { e.preventDefault(); search(tab); });
    form.addEventListener('reset', () => setTimeout(() => search(tab, false), 0));
  }
}

function relabelForms() {
  for (const el of document.querySelectorAll('[data-enum]')) {
    const [g, v] = el.dataset.enum.split(':');
    el.textContent = t.enum(g, v);
  }
  const district = $('#form-plots').elements.district;
  for (const o of district.options) o.textContent = o.value ? `${districtName(o.value)}` : t('any');
  for (const o of $('#form-plots').elements.land_use.options) o.textContent = o.value ? `${o.value} ${landUseName(o.value)}` : t('any');
}

// ---------------------------------------------------------------------------------------------
// Wiring

window.landinv = {
  state, wgs84ToGcj02,
  // codes returns the codes the list and the map filter show for a tab.
  codes(tab = 'plots') {
    const r = state.results[tab];
    return r ? r.fc.features.map((f) => f.id) : null;
  },
};

document.addEventListener('DOMContentLoaded', () => {
  $('#lang').addEventListener('click', () => {
    state.lang = state.lang === 'en' ? 'zh' : 'en';
    renderStatic();
    if (map && state.roads) addLabels();
    writeURL();
  });
  for (const b of document.querySelectorAll('.tabs button')) {
    b.addEventListener('click', () => { state.tab = b.dataset.tab; renderStatic(); writeURL(); });
  }
  $('#details-close').addEventListener('click', closeDetails);
  $('#fit-plots').addEventListener('click', () => state.results.plots && fitTo(state.results.plots.fc.features));
  $('#fit-plants').addEventListener('click', () => state.results.plants && fitTo(state.results.plants.fc.features));
  $('#panel-toggle').addEventListener('click', () => { document.body.classList.toggle('panel-open'); if (map) map.resize(); });
  if (window.matchMedia('(max-width: 700px)').matches) $('#legend-box').open = false;
  main().catch(showError);
});
