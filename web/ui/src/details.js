// The details panel: every property of the selected plot, plant or idle site, labelled from
// /api/v1/meta, with a plot's nearest roads, and the confidential figures for planners.
import { $ } from './dom.js';
import { state, t } from './state.js';
import { getJSON } from './api.js';
import { fmt, label, districtName, landUseName, landUseNote } from './format.js';
import { select, keepInView, shift } from './map.js';
import { writeURL } from './url.js';
import { enquiryBlock } from './enquiry.js';
import { availabilityOf } from './meta.js';

// INDICATORS are the standard-land control indicators (标准地控制指标) of a plot.
const INDICATORS = ['min_investment_wan_per_mu', 'min_tax_wan_per_mu_year', 'min_output_wan_per_mu', 'min_far', 'max_far',
  'min_building_coverage_pct', 'max_green_ratio_pct', 'max_admin_share_pct', 'max_energy_tce_per_wan', 'environmental_standard', 'min_rd_share_pct'];

// FREE_TEXT are fields written as planners enter them (e.g. "GB 16297-1996 二级"): shown as
// they are in both languages, marked as Chinese text when they are.
const FREE_TEXT = new Set(['environmental_standard']);

// OFFER are the prices and terms planners may record (as on the site sheet, web/site.go
// offerFields): shown only when set.
const OFFER = {
  plots: ['asking_price_wan_per_mu', 'reference_land_price_wan_per_mu', 'lease_term_years'],
  plants: ['asking_rent_yuan_per_m2_month', 'asking_price_yuan_per_m2', 'lease_term_years'],
};

// showDetails selects a feature (kind: plots, plants, idle-sites) and shows it in the panel.
export async function showDetails(kind, code) {
  state.selected = { kind, code };
  select(kind, code);
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
  // The panel docks beside the map (laptop) or below it (phone, a bottom sheet): keep the
  // selected site in sight in what is left of the map.
  keepInView(shift({ type: 'Feature', properties: {}, geometry: structuredClone(f.geometry) }).geometry, () => state.selected && state.selected.code === code);
}

// rowsOf returns the panel's rows, [label, value, class]; a null value is a heading.
function rowsOf(kind, f, near) {
  const p = f.properties;
  const rows = [];
  const row = (k, v, cls) => rows.push([k, v, cls]);
  const field = (name, v) => {
    const [lab, unit] = t.field(kind, name);
    const val = v ?? p[name];
    // Numbers with their unit written out (t.amount: in English, 万元 amounts in yuan).
    row(lab, val == null || val === '' ? '—' : typeof val === 'number' ? t.amount(val, unit, fmt) : String(val) + (unit ? ' ' + t.unit(unit) : ''),
      FREE_TEXT.has(name) ? 'free-text' : undefined);
  };
  const named = (name) => t.enum(kind, name, p[name]) || null;
  // Prices and terms, the ones set (units written out: "2.5 million yuan per mu").
  const offer = () => { for (const n of OFFER[kind] || []) if (p[n] != null && p[n] !== '') field(n); };
  // Availability in words, as the site sheet says it (meta's availability).
  const availability = () => {
    const a = availabilityOf(state.meta, kind, p);
    if (a) row(t('availability'), state.lang === 'en' ? a.label_en : a.label, `avail avail-${a.key}`);
  };
  row(t('code'), f.id);
  if (p.name) row(t('name'), label(p));
  if (kind === 'plots') {
    row(t('area'), `${fmt(p.area_mu, 2)} ${t.unit('亩')} · ${fmt(p.area_m2, 0)} m² · ${fmt(p.area_ha, 2)} ${t.unit('公顷')}`, 'area');
    field('land_use', `${p.land_use} ${landUseName(p.land_use)}`);
    // Industrial classes 1/2/3 explained: by the impact on the surroundings.
    if (landUseNote(p.land_use)) row('', landUseNote(p.land_use), 'lu-note');
    field('cluster', named('cluster'));
    field('status', named('status'));
    availability();
    offer();
    field('district', districtName(p.district));
    field('standard_land', p.standard_land ? t('yes') : t('no'));
    const road = (r) => (r ? `${label(r)} (${t.enum('roads', 'status', r.status)}), ${t('distance')} ${fmt(r.distance_m, 0)} ${t.unit('m')}` : t('none'));
    row(t('nearest_road'), road(near && near.nearest), 'nearest-road');
    // The nearest existing road is shown only when it is another road than the nearest one.
    const same = near && near.nearest && near.nearest_existing && near.nearest.code === near.nearest_existing.code;
    if (!same) row(t('nearest_existing_road'), road(near && near.nearest_existing));
    if (p.standard_land || INDICATORS.some((n) => p[n] != null)) {
      rows.push([t('indicators'), null, 'head']);
      for (const n of INDICATORS) field(n);
    }
  } else if (kind === 'plants') {
    for (const n of ['free_area_m2', 'floor_load_kn_m2', 'floor_height_m', 'floors']) field(n);
    field('status', named('status'));
    availability();
    offer();
    for (const n of ['total_floor_area_m2', 'leasable_area_m2', 'span_m', 'crane_capacity_t', 'plot_code']) field(n);
    field('district', districtName(p.district));
  } else {
    field('stage', named('stage'));
    field('kind', named('kind'));
    row(t('area'), `${fmt(p.area_mu, 2)} ${t.unit('亩')} · ${fmt(p.area_m2, 0)} m²`);
    field('idle_since');
    field('disposal_route', p.disposal_route ? named('disposal_route') : null);
    field('plot_code');
    field('district', districtName(p.district));
  }
  // Leaders, planners and admins (signed in at /signin) also get the confidential figures.
  if (p.confidential && typeof p.confidential === 'object') {
    rows.push([t('confidential'), null, 'head']);
    for (const [name, v] of Object.entries(p.confidential)) {
      if (v == null || (Array.isArray(v) && !v.length)) continue;
      if (Array.isArray(v)) {
        const [lab] = t.field(kind, name);
        row(lab, v.map((x) => (x && x.name ? `${x.name}${x.area_m2 ? ' ' + fmt(x.area_m2, 0) + ' m²' : ''}` : JSON.stringify(x))).join('; '));
      } else field(name, v);
    }
  }
  return rows;
}

// renderDetails draws the selected feature (again, e.g. in the other language).
export function renderDetails() {
  const s = state.selected;
  if (!s || !s.feature) return;
  const { kind, feature: f, near } = s;
  $('#details-title').textContent = `${t(kind === 'plots' ? 'plot' : kind === 'plants' ? 'plant' : 'idle_site')} ${f.id}`;
  const tbl = document.createElement('table');
  for (const [k, v, cls] of rowsOf(kind, f, near)) {
    const tr = document.createElement('tr');
    if (cls) tr.className = cls;
    if (v === null) {
      const th = document.createElement('th');
      th.colSpan = 2; th.textContent = k; tr.append(th);
    } else {
      const th = document.createElement('th'); th.textContent = k;
      const td = document.createElement('td'); td.textContent = v;
      if (cls === 'free-text' && /[\u4e00-\u9fff]/.test(v)) td.lang = 'zh-CN';
      tr.append(th, td);
    }
    tbl.append(tr);
  }
  const body = $('#details-body');
  body.textContent = '';
  body.append(tbl);
  // Plots and buildings: a link to the site sheet and the enquiry form (enquiry.js).
  if (kind === 'plots' || kind === 'plants') body.append(enquiryBlock(kind, f.id));
}

export function closeDetails() {
  state.selected = null;
  $('#details').hidden = true;
  document.body.classList.remove('has-details');
  select(null, '');
  writeURL();
}
