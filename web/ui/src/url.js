// The page's URL holds its state: view, tab, filters, hidden layers, selection and language,
// so that a link opens the same view.
import { state } from './state.js';
import { pageQuery } from './filters.js';
import { pageZone } from './api.js';

// startParams is the query the page was opened with.
export const startParams = new URLSearchParams(location.search);

// LANG_KEY is where the page remembers the reader's language (localStorage).
const LANG_KEY = 'landinv.lang';

// startLang is the page's first language: the URL's lang when it has one, else the language
// chosen on an earlier visit (remembered), else the browser's (navigator.languages: Chinese
// when the first preferred language is Chinese, English otherwise).
export function startLang(params = startParams, stored = readStoredLang(), languages = navigator.languages || [navigator.language]) {
  const l = params.get('lang');
  if (l === 'en' || l === 'zh') return l;
  if (stored === 'en' || stored === 'zh') return stored;
  return /^zh\b/i.test(languages[0] || '') ? 'zh' : 'en';
}

function readStoredLang() {
  try { return localStorage.getItem(LANG_KEY); } catch { return null; }
}

// rememberLang keeps the reader's choice of language for the next visit.
export function rememberLang(lang) {
  try { localStorage.setItem(LANG_KEY, lang); } catch { /* storage off: the URL still carries it */ }
}

// freshVisit is true when the start URL carries no view and no filter: the page then starts
// with the investor's default view (land on offer now).
export const freshVisit = ![...startParams.keys()].some((k) => !['lang', 'tab', 'hide', 'sel'].includes(k));

// restoreState sets the language, tab and hidden layers from the start URL.
export function restoreState() {
  state.lang = startLang();
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
  q.set('lang', state.lang);
  if (state.tab === 'plants') q.set('tab', 'plants');
  if (state.meta) {
    // The buildings search under its own names (b_status, b_q, b_sort: filters.js pageQuery).
    for (const [k, v] of pageQuery('plots')) q.set(k, v);
    for (const [k, v] of pageQuery('plants')) q.set(k, v);
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
