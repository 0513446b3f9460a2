// Search: each tab's form asks the API for its filter and shows exactly the answer, in the
// result list and on the map (the map's layer filter is the list of codes the API returned).
import { $ } from './dom.js';
import { state, t } from './state.js';
import { getJSON } from './api.js';
import { formOf, queryOf } from './filters.js';
import { fmt, landUseName, label } from './format.js';
import { shift, loadAll, showResults, hover, fitTo } from './map.js';
import { showDetails } from './details.js';
import { writeURL } from './url.js';
import { STATUS_COLORS, FALLBACK, colorOf } from './palette.js';
import { renderLegend } from './legend.js';
import { availabilityOf } from './meta.js';
import { problemText } from './problem.js';

// LIST_CAP is the most items the result list shows.
export const LIST_CAP = 1000;

const searchSeq = { plots: 0, plants: 0 };

// lastQuery holds the filters of each tab's latest search: a form's change event (fired when a
// number box loses focus, e.g. on a click in the result list) must not search again, and re-fit
// the map, for filters the input event already searched.
const lastQuery = {};

// showError shows an error above the search forms.
export function showError(e) {
  console.warn(e);
  const el = $('#error');
  el.textContent = `${t('error')} ${e.message || e}`;
  el.hidden = false;
}

// RANGES are the filter pairs a form gives as a minimum and a maximum.
const RANGES = [['min_area_mu', 'max_area_mu']];

// rangeFault returns the maximum's name of the first pair in q whose minimum is above its
// maximum (the API refuses it, naming the minimum), or null.
function rangeFault(q) {
  for (const [lo, hi] of RANGES) {
    if (q.has(lo) && q.has(hi) && Number(q.get(lo)) > Number(q.get(hi))) return hi;
  }
  return null;
}

// refusals holds, per tab, why its last search has no answer: a function giving the words in
// the page's language at the time (renderResults says them again after a language switch).
const refusals = {};

// refuse shows why a tab's search has no answer where its results go (a phone shows the top of
// the panel only when scrolled up): the count line says why, in the page's language, and the
// list and the map's highlight of the last answer are cleared, so no stale result stays.
function refuse(tab, words) {
  refusals[tab] = words;
  state.results[tab] = null;
  $(`#list-${tab}`).textContent = '';
  sayRefusal(tab);
  showResults(tab, []);
}

function sayRefusal(tab) {
  $(`#count-${tab}`).textContent = refusals[tab]();
  $(`#count-${tab}`).classList.add('err');
}

// failedSearch words a failed search's problem: its code's words when /api/v1/meta knows the
// code (problem.js), else "Error:" and the server's words (the codes' fallback speaks of a
// refused change, which a search is not).
function failedSearch(layer, e) {
  const codes = (state.meta && state.meta.codes) || {};
  if (e.problem && codes[e.problem.code]) return problemText(state.meta, layer, e.problem);
  return `${t('error')} ${e.message || e}`;
}

// search runs a tab's search; fit zooms the map to the results.
export async function search(tab, fit = true) {
  const seq = ++searchSeq[tab];
  const q = queryOf(tab);
  lastQuery[tab] = q.toString();
  // A sort alone narrows nothing: the search is active (results highlighted, the rest faded)
  // when a filter is set.
  const active = [...q.keys()].some((k) => k !== 'sort');
  // With no filter on a zone served as vector tiles, the map shows every plot from the tiles:
  // the list needs only its first page and the count, not every plot as GeoJSON.
  const firstPageOnly = !active && !q.has('sort') && tab === 'plots' && state.plotsMode === 'tiles';
  q.set('limit', firstPageOnly ? String(LIST_CAP) : '10000');
  const layer = tab === 'plants' ? 'plants' : 'plots';
  const form = formOf(tab);
  for (const [, hi] of RANGES) form.elements[hi]?.removeAttribute('aria-invalid');
  const fault = rangeFault(q);
  if (fault) {
    form.elements[fault].setAttribute('aria-invalid', 'true');
    refuse(tab, () => t('range_order'));
    return;
  }
  refusals[tab] = null;
  $(`#count-${tab}`).textContent = t('loading');
  $(`#count-${tab}`).classList.remove('err');
  let fc;
  try {
    // The whole list of a layer is the one the map draws (loadAll: fetched once on first load).
    fc = firstPageOnly ? shift(await getJSON(`/api/v1/${layer}?${q}`)) : await loadAll(`/api/v1/${layer}?${q}`);
  } catch (e) {
    if (seq === searchSeq[tab]) {
      console.warn(e);
      refuse(tab, () => failedSearch(layer, e));
    }
    return;
  }
  if (seq !== searchSeq[tab]) return;
  $('#error').hidden = true;
  $(`#count-${tab}`).classList.remove('err');
  state.results[tab] = { fc, active, query: q.toString(), total: fc.number_matched ?? fc.features.length };
  renderResults(tab);
  showResults(tab, active ? fc.features.map((f) => f.id) : null);
  renderLegend();
  writeURL();
  if (fit && active && fc.features.length) fitTo(fc.features);
}

// wireForms searches as the user types (debounced), on submit, and after a reset.
export function wireForms() {
  for (const tab of ['plots', 'plants']) {
    const form = formOf(tab);
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

// availTag is a list item's availability in words, as on the site sheet ("规划中，尚未供应").
function availTag(layer, p) {
  const a = availabilityOf(state.meta, layer, p);
  const el = document.createElement('span');
  if (!a) return el;
  el.className = `av av-${a.key}`;
  el.textContent = ' · ' + (state.lang === 'en' ? a.label_en : a.label);
  return el;
}

// renderResults draws a tab's result list (again, e.g. in the other language).
export function renderResults(tab) {
  const r = state.results[tab];
  if (!r) {
    if (refusals[tab]) sayRefusal(tab);
    return;
  }
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
      li.innerHTML = '<b></b> <span class="nm"></span><br><span class="swatch"></span><span class="st"></span> <small></small>';
      li.querySelector('.swatch').style.background = colorOf(STATUS_COLORS, p.status, FALLBACK.status);
      li.querySelector('b').textContent = f.id;
      li.querySelector('.nm').textContent = p.name ? label(p) : '';
      li.querySelector('.st').textContent = t.enum('plots', 'status', p.status) + (p.standard_land ? ' · ' + t('standard_land_short') : '');
      li.querySelector('.st').after(availTag('plots', p));
      li.querySelector('small').textContent = `${fmt(p.area_mu, 2)} ${t.unit('亩')} · ${t.enum('plots', 'cluster', p.cluster) || '—'} · ${p.land_use} ${landUseName(p.land_use)}`;
    } else {
      li.innerHTML = '<b></b> <span class="nm"></span><br><span class="st"></span> <small></small>';
      li.querySelector('b').textContent = f.id;
      li.querySelector('.nm').textContent = p.name ? label(p) : '';
      li.querySelector('.st').textContent = t.enum('plants', 'status', p.status);
      li.querySelector('.st').after(availTag('plants', p));
      li.querySelector('small').textContent = `${fmt(p.free_area_m2, 0)} m² · ${fmt(p.floor_load_kn_m2, 1)} kN/m² · ${fmt(p.floor_height_m, 1)} ${t.unit('m')} · ${p.floors} ${t.unit(p.floors === 1 ? '1层' : '层')}`;
    }
    li.addEventListener('mouseenter', () => hover(tab, f.id));
    li.addEventListener('mouseleave', () => hover(tab, ''));
    // Open the details first, so that the fit leaves room for the panel beside the item.
    const open = () => { showDetails(tab, f.id).catch(showError); fitTo([f]); };
    li.addEventListener('click', open);
    li.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
    frag.append(li);
  }
  ul.append(frag);
}
