// The search forms: their choices come from /api/v1/meta (statuses, clusters, plant statuses,
// the road statuses that count as built), the layout (districts) and /api/v1/land-uses; their
// query parameters are meta's filters, so a shared link and the API agree.
import { $ } from './dom.js';
import { state, t } from './state.js';
import { enumValues, filtersOf, roadStatusGroup } from './meta.js';
import { STATUS_COLORS, FALLBACK, colorOf } from './palette.js';
import { districts, districtName, landUseName } from './format.js';

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
  // "Built roads only": the statuses meta counts as existing roads.
  plots.elements.road_status.dataset.value = roadStatusGroup(state.meta, 'existing').join(',');
  relabelForms();
}

export function relabelForms() {
  for (const el of document.querySelectorAll('[data-enum]')) {
    const [layer, field, v] = el.dataset.enum.split(':');
    el.textContent = t.enum(layer, field, v);
  }
  const plots = formOf('plots');
  for (const o of plots.elements.district.options) o.textContent = o.value ? `${districtName(o.value)}` : t('any');
  for (const o of plots.elements.land_use.options) o.textContent = o.value ? `${o.value} ${landUseName(o.value)}` : t('any');
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
  // road_status narrows near_road_m: alone it means nothing.
  if (q.has('road_status') && !q.has('near_road_m')) q.delete('road_status');
  return q;
}

// readForms sets both forms from a query (a shared link).
export function readForms(params) {
  for (const tab of ['plots', 'plants']) {
    for (const { name, els, multi } of inputs(tab)) {
      const v = params.get(name);
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
  }
}
