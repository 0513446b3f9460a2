// The page's URL holds its state: view, tab, filters, hidden layers, selection and language,
// so that a link opens the same view.
import { state } from './state.js';
import { queryOf } from './filters.js';
import { pageZone } from './api.js';

// startParams is the query the page was opened with.
export const startParams = new URLSearchParams(location.search);

// restoreState sets the language, tab and hidden layers from the start URL.
export function restoreState() {
  state.lang = startParams.get('lang') === 'en' ? 'en' : 'zh';
  state.tab = startParams.get('tab') === 'plants' ? 'plants' : 'plots';
  state.hidden = new Set((startParams.get('hide') || '').split(',').filter(Boolean));
}

// startView returns [zoom, lat, lon] from the start URL's map=Z/LAT/LON, or null.
export function startView() {
  const v = (startParams.get('map') || '').split('/').map(Number);
  return v.length === 3 && v.every(Number.isFinite) ? v : null;
}

// startSelection returns { kind, code } from the start URL's sel=KIND:CODE, or null.
export function startSelection() {
  const [kind, code] = (startParams.get('sel') || '').split(':');
  return code ? { kind, code } : null;
}

// writeURL replaces the URL with the page's current state.
export function writeURL() {
  const q = new URLSearchParams();
  if (pageZone) q.set('zone', pageZone);
  if (state.lang === 'en') q.set('lang', 'en');
  if (state.tab === 'plants') q.set('tab', 'plants');
  if (state.meta) {
    for (const [k, v] of queryOf('plots')) q.set(k, v);
    for (const [k, v] of queryOf('plants')) q.set(k, v);
  }
  if (state.hidden.size) q.set('hide', [...state.hidden].join(','));
  if (state.selected) q.set('sel', `${state.selected.kind}:${state.selected.code}`);
  const map = state.map;
  if (map) {
    const c = map.getCenter();
    q.set('map', `${map.getZoom().toFixed(2)}/${c.lat.toFixed(5)}/${c.lng.toFixed(5)}`);
  }
  history.replaceState(null, '', `${location.pathname}?${q.toString().replace(/%2C/g, ',').replace(/%2F/g, '/')}`);
}
