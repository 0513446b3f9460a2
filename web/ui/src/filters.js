// The search forms: their choices come from /api/v1/meta (statuses, clusters, plant statuses,
// the road statuses that count as built), the layout (districts) and /api/v1/land-uses; their
// query parameters are meta's filters, so a shared link and the API agree.
import { $ } from './dom.js';
import { state, t } from './state.js';
import { enumValues, filtersOf, roadStatusGroup } from './meta.js';
import { STATUS_COLORS, FALLBACK, colorOf } from './palette.js';
import { districts, districtName, landUseName, landUseNote } from './format.js';

export const formOf = (tab) => $(tab === 'plants' ? '#form-plants' : '#form-plots');

// chips fills box with one checkbox per value of an enumerated field, named by meta.
function chips(box, name, layer, field, colors, fallback) {
  box.textContent = '';
  for (const v of enumValues(state.meta, layer, field)) {
    const lab = document.createElement('label');
    lab.className = 'chip';
    const input = Object.assign(document.createElement('input'), { type: 'checkbox', name, value: v });
    const text = document.createElement('span');
    text.dataset.enum = `${layer}:${field}:${v}`;
    lab.append(input);
    if (colors) {
      const sw = document.createElement('span');
      sw.className = 'swatch';
      sw.style.background = colorOf(colors, v, fallback);
      lab.append(sw);
    }
    lab.append(text);
    box.append(lab);
  }
}

// buildForms fills the forms' choices; relabelForms names them in the page's language.
export function buildForms() {
  const plots = formOf('plots');
  chips($('#f-status', plots), 'status', 'plots', 'status', STATUS_COLORS, FALLBACK.status);
  chips($('#f-cluster', plots), 'cluster', 'plots', 'cluster');
  chips($('#f-plant-status'), 'status', 'plants', 'status');
  const district = plots.elements.district;
  district.textContent = '';
  district.append(new Option('', ''));
  for (const f of districts()) district.append(new Option(f.id, f.id));
  const lu = plots.elements.land_use;
  lu.textContent = '';
  lu.append(new Option('', ''));
  for (const l of state.landUses.filter((l) => l.scheme === 'gtkj')) lu.append(new Option(l.code, l.code));
  lu.addEventListener('change', showLandUseNote);
  // "Built roads only": the statuses meta counts as existing roads; alone, it means within
  // meta's default distance, shown in the distance box and beside it.
  plots.elements.road_status.dataset.value = roadStatusGroup(state.meta, 'existing').join(',');
  plots.elements.near_road_m.placeholder = String(state.meta.default_near_road_m || 500);
  // The investor's default view: land on offer now (meta's investor_statuses: ready).
  // They are the status chips' defaults, so "Reset filters" comes back to them; only a fresh
  // visit starts with them ticked (applyInvestorDefault): a link with a view but no status
  // filter shows every status. (Setting defaultChecked on an untouched box ticks it too, hence
  // the checked state kept.)
  const investor = new Set(state.meta.investor_statuses || []);
  for (const i of plots.querySelectorAll('input[name=status]')) {
    const on = i.checked;
    i.defaultChecked = investor.has(i.value);
    i.checked = on;
  }
  for (const tab of ['plots', 'plants']) {
    const sel = formOf(tab).elements.sort;
    sel.textContent = '';
    for (const s of sortsOf(state.meta, tab)) sel.append(new Option(s.param, s.param));
  }
  relabelForms();
}

// sortsOf returns the sorts a layer's list takes (meta's sorts).
const sortsOf = (meta, layer) => ((meta && meta.layers.find((l) => l.name === layer)) || { sorts: [] }).sorts || [];

// applyInvestorDefault starts the plots' search at the investor's default view (a fresh visit).
export function applyInvestorDefault() {
  for (const i of formOf('plots').querySelectorAll('input[name=status]')) i.checked = i.defaultChecked;
}

export function relabelForms() {
  for (const el of document.querySelectorAll('[data-enum]')) {
    const [layer, field, v] = el.dataset.enum.split(':');
    el.textContent = t.enum(layer, field, v);
  }
  const plots = formOf('plots');
  for (const o of plots.elements.district.options) o.textContent = o.value ? `${districtName(o.value)}` : t('any');
  for (const o of plots.elements.land_use.options) {
    o.textContent = o.value ? `${o.value} ${landUseName(o.value)}` : t('any');
    o.title = landUseNote(o.value); // industrial classes 1/2/3 explained (a tooltip)
  }
  showLandUseNote();
  for (const tab of ['plots', 'plants']) {
    const sorts = sortsOf(state.meta, tab);
    for (const o of formOf(tab).elements.sort.options) {
      const s = sorts.find((x) => x.param === o.value);
      if (s) o.textContent = state.lang === 'en' ? s.label_en : s.label;
    }
    formOf(tab).elements.q.placeholder = t('f_q');
  }
  const hint = document.querySelector('#near-road-hint');
  if (hint) hint.textContent = t('f_near_road_hint', { n: state.meta.default_near_road_m || 500 });
}

// showLandUseNote explains the chosen industrial land class under the land-use box.
export function showLandUseNote() {
  const note = document.querySelector('#land-use-note');
  if (!note) return;
  note.textContent = landUseNote(formOf('plots').elements.land_use.value);
  note.hidden = !note.textContent;
}

// inputs returns, for each of a layer's filters that the form has an input for, the filter and
// its inputs. A list filter ("in") shown as checkboxes takes the checked values as a comma list.
function inputs(tab) {
  const form = formOf(tab);
  const out = [];
  for (const f of filtersOf(state.meta, tab)) {
    const els = [...form.querySelectorAll(`[name="${f.param}"]`)];
    if (els.length) out.push({ name: f.param, els, multi: f.kind === 'in' && els[0].type === 'checkbox' });
  }
  return out;
}

// queryOf returns the API query of a search form: only the filters the user set.
export function queryOf(tab) {
  const q = new URLSearchParams();
  for (const { name, els, multi } of inputs(tab)) {
    if (multi) {
      const vals = els.filter((i) => i.checked).map((i) => i.value);
      if (vals.length) q.set(name, vals.join(','));
      continue;
    }
    const el = els[0];
    if (el.type === 'checkbox') {
      if (el.checked) q.set(name, el.dataset.value || 'true');
      continue;
    }
    const v = el.value.trim();
    if (v !== '') q.set(name, v);
  }
  // "Built roads only" alone means within meta's default distance of a built road.
  if (q.has('road_status') && !q.has('near_road_m')) q.set('near_road_m', String(state.meta.default_near_road_m || 500));
  const sort = formOf(tab).elements.sort.value;
  if (sort && sort !== 'code') q.set('sort', sort);
  return q;
}

// PAGE_PREFIX is what the buildings search's names carry in the page's URL (b_status, b_q,
// b_sort, ...): the two searches share API parameter names (status, q, sort), so one page URL
// must tell them apart. The API's parameters stay as meta names them.
const PAGE_PREFIX = { plots: '', plants: 'b_' };

// pageQuery returns a tab's search as the page URL writes it: queryOf's parameters, the
// buildings' under their b_ names.
export function pageQuery(tab) {
  const out = new URLSearchParams();
  for (const [k, v] of queryOf(tab)) out.set(PAGE_PREFIX[tab] + k, v);
  return out;
}

// pageParam returns a tab's parameter name from a page URL: the land search reads status, q,
// sort, ...; the buildings search reads b_status, b_q, b_sort, ..., and, from links written
// before the b_ names, a bare name the land search does not use too (min_free_area_m2).
function pageParam(params, tab, name, plotNames) {
  if (tab === 'plots') return params.get(name);
  const v = params.get(PAGE_PREFIX.plants + name);
  if (v != null) return v;
  return plotNames.has(name) ? null : params.get(name);
}

// readForms sets both forms from a page URL (a shared link, a reload, a return from sign-in).
export function readForms(params) {
  const plotNames = new Set([...filtersOf(state.meta, 'plots').map((f) => f.param), 'sort']);
  for (const tab of ['plots', 'plants']) {
    for (const { name, els, multi } of inputs(tab)) {
      const v = pageParam(params, tab, name, plotNames);
      if (v == null) continue;
      if (multi) {
        const set = new Set(v.split(','));
        for (const i of els) i.checked = set.has(i.value);
        continue;
      }
      const el = els[0];
      if (el.type === 'checkbox') el.checked = v === (el.dataset.value || 'true');
      else el.value = v;
    }
    const sort = formOf(tab).elements.sort;
    const want = pageParam(params, tab, 'sort', plotNames);
    if (want && [...sort.options].some((o) => o.value === want)) sort.value = want;
  }
}
