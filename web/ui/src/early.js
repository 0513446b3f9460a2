// The first load's requests, started as early as possible: boot.js (a small script the page
// loads beside app.js, which carries MapLibre and takes most of the first load's bytes) starts
// them, and the map page takes their answers as it needs them. Nothing here imports MapLibre.
import { getJSON, fetchAll } from './api.js';

// LAYER_URLS are the whole-layer lists the map draws (plots too unless read as tiles).
export const LAYER_URLS = {
  plots: '/api/v1/plots?limit=10000', plants: '/api/v1/plants?limit=10000',
  idleSites: '/api/v1/idle-sites?limit=10000', roads: '/api/v1/roads?limit=10000',
};

// FIRST are the requests of the page's set-up (main.js), besides the layers.
export const FIRST = {
  cfg: '/map-config.json', meta: '/api/v1/meta', zone: '/api/v1/zone', layout: '/api/v1/layout?limit=10000',
  landUses: '/api/v1/land-uses', count: '/api/v1/plots?limit=1',
};

const started = new Map();

// early returns the answer to url, fetched once (get: getJSON, or fetchAll for a whole list).
// Only the first load uses it: later reads must fetch afresh.
export function early(url, get = getJSON) {
  if (!started.has(url)) {
    const p = get(url);
    p.catch(() => {}); // a failure surfaces where the answer is used
    started.set(url, p);
  }
  return started.get(url);
}

// plotsMode says how the map reads plots: as vector tiles when the zone has more than the
// configured number (and the basemap is not shifted to GCJ-02), else as one GeoJSON list.
export function plotsMode(cfg, count) {
  const gcj = !!(cfg.basemap && cfg.basemap.crs === 'gcj02');
  return cfg.tiles && !gcj && count.number_matched > cfg.tile_threshold ? 'tiles' : 'geojson';
}

// startFirstLoad starts every request of the first load: the set-up's, the layers', and the
// plots' list once map-config and the count say it is read as GeoJSON.
export function startFirstLoad() {
  for (const u of Object.values(FIRST)) early(u);
  for (const k of ['plants', 'idleSites', 'roads']) early(LAYER_URLS[k], fetchAll);
  Promise.all([early(FIRST.cfg), early(FIRST.count)])
    .then(([c, n]) => { if (plotsMode(c, n) === 'geojson') early(LAYER_URLS.plots, fetchAll); })
    .catch(() => {});
}
