// /api/v1/meta, loaded once per page: the layers, their fields (Chinese and English labels,
// units, enum values and their names) and their filters. The page's filter lists, legends and
// detail labels come from it, not from lists written into the page.
import { getJSON } from './api.js';
import { early } from './early.js';

let loading = null;
let failed = false;

// loadMeta returns meta (one request per page, shared by every module; the map page's boot.js
// has started it, early.js).
export function loadMeta() {
  if (!loading) loading = (failed ? getJSON('/api/v1/meta') : early('/api/v1/meta')).catch((e) => { loading = null; failed = true; throw e; });
  return loading;
}

// layerOf returns the layer named name ('plots', 'plants', 'idle-sites', 'roads', 'layout').
export const layerOf = (meta, name) => (meta && meta.layers.find((l) => l.name === name)) || null;

// fieldOf returns a layer's field.
export function fieldOf(meta, layer, name) {
  const l = layerOf(meta, layer);
  return (l && l.fields.find((f) => f.name === name)) || null;
}

// enumValues returns the values of a layer's enumerated field, in the API's order.
export function enumValues(meta, layer, field) {
  const f = fieldOf(meta, layer, field);
  return (f && f.enum) || [];
}

// enumName returns the name of one value of an enumerated field in lang ('zh' or 'en'); the
// value itself when meta has no name for it.
export function enumName(meta, lang, layer, field, value) {
  const f = fieldOf(meta, layer, field);
  const n = f && f.enum_labels && f.enum_labels[value];
  if (!n) return value ?? '';
  return lang === 'en' ? n.label_en : n.label;
}

// filtersOf returns the query parameters a layer's list accepts (meta's filters).
export const filtersOf = (meta, layer) => (layerOf(meta, layer) || { filters: [] }).filters;

// roadStatusGroup returns the road statuses of a group ('existing': built roads, including
// those being upgraded; 'new').
export const roadStatusGroup = (meta, group) => ((meta && meta.road_status_groups) || {})[group] || [];

// availabilityOf returns how a plot or plant is available to an investor, { key, label,
// label_en }, worded as on its site sheet: meta's availability table (inventory.SiteAvailability),
// plots by status, plants by status and whether they have free floor area.
export function availabilityOf(meta, layer, p) {
  const table = ((meta && meta.availability) || {})[layer];
  if (!table || !p) return null;
  return table[layer === 'plants' ? `${p.status}|${p.free_area_m2 > 0 ? 'free' : 'full'}` : p.status] || null;
}
