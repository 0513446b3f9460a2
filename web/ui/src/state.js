// The land map's shared state: one object that the page's modules (map, search, details, URL,
// editing) import, so that none of them reaches through a window global.
import { makeT } from './i18n.js';

export const state = {
  lang: 'zh', // 'zh' or 'en'
  tab: 'plots', // the search tab: 'plots' or 'plants'
  meta: null, // /api/v1/meta
  cfg: null, // /map-config.json
  zone: null, layout: null, roads: null, allPlots: null, // GeoJSON as drawn (shifted under GCJ-02)
  landUses: [], // /api/v1/land-uses
  plotsMode: 'geojson', // or 'tiles' (vector tiles for large zones)
  gcj: false, // layers shifted into GCJ-02 to match the basemap
  results: { plots: null, plants: null }, // each tab's latest search: { fc, active, query, total }
  hidden: new Set(), // legend groups switched off
  selected: null, // { kind, code, feature?, near? }: the feature in the details panel
  grades: null, // { year, state, plots }: the per-mu grades the plots are coloured by (grades.js)
  map: null, // the MapLibre map, once created
  controls: null, // the map's own controls (north arrow, measuring), relabelled with the language
  measuring: false, // a measuring tool is taking clicks: the map opens no details
  ready: false, readyAt: null, plotsAt: null, plotsDrawn: null, labelled: null, errors: [],
  // hooks are the map page's functions that the editing bundle calls after a write (set by
  // main.js: edit.js imports no MapLibre): search(tab, fit), showDetails(kind, code),
  // closeDetails(), loadAll(url).
  hooks: {},
};

// t translates UI text, units, field labels and enum names into the page's language.
export const t = makeT(() => state.lang, () => state.meta);
