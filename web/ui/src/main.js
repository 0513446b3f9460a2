// The land map (土地一张图): MapLibre GL JS over the landinv read API. This module starts the
// page and wires its controls; the work is done by modules that share state by import:
//
//   state.js    the shared state and the translator t
//   api.js      requests, the planner's token, problem documents, next-link paging
//   meta.js     /api/v1/meta: layers, fields, enum values and their names, filters
//   i18n.js     UI text and units in Chinese and English
//   url.js      the URL as the page's state (view, tab, filters, layers, selection, language)
//   map.js      MapLibre: sources, layers, labels, visibility, selection, fitting
//   legend.js   the legend and its layer switches
//   filters.js  the search forms: choices from meta, query parameters from meta's filters
//   search.js   running a search, the result lists
//   details.js  the details panel
//
// edit.js (planners' editing) and report.js (the report page) are separate bundles that import
// the same modules; esbuild puts what they share into chunks loaded once.
import 'maplibre-gl/dist/maplibre-gl.css';
import './style.css';
import { $ } from './dom.js';
import { state, t } from './state.js';
import { pageZone } from './api.js';
import { loadMeta } from './meta.js';
import { label } from './format.js';
import { wgs84ToGcj02 } from './gcj02.js';
import { restoreState, startParams, startSelection, startView, writeURL, rememberLang, freshVisit } from './url.js';
import { createMap, addLayers, addLabels, mapIdle, shift, fitTo, loadAll, applyEmphasis } from './map.js';
import { early, FIRST, startFirstLoad, plotsMode } from './early.js';
import { renderLegend } from './legend.js';
import { buildForms, readForms, relabelForms, applyInvestorDefault } from './filters.js';
import { search, renderResults, wireForms, showError } from './search.js';
import { showDetails, renderDetails, closeDetails } from './details.js';

// What the editing bundle (edit.js) calls after a write, so that list, card and map show it.
Object.assign(state.hooks, { search, showDetails, closeDetails, loadAll, renderStatic: () => renderStatic() });

// The language, tab and hidden layers come from the URL before anything renders (edit.js, run
// next, reads the language too).
restoreState();

async function main() {
  renderStatic();
  // boot.js has started these requests (early.js) while app.js was downloading.
  startFirstLoad();
  const [cfg, meta, zone, layout, lu, count] = await Promise.all([
    early(FIRST.cfg), loadMeta(), early(FIRST.zone), early(FIRST.layout), early(FIRST.landUses), early(FIRST.count),
  ]);
  Object.assign(state, { cfg, meta, landUses: lu.land_uses });
  state.gcj = !!(cfg.basemap && cfg.basemap.crs === 'gcj02');
  state.zone = shift(zone);
  state.layout = shift(layout);
  state.plotsMode = plotsMode(cfg, count);
  buildForms();
  wireForms();
  if (freshVisit) applyInvestorDefault();
  readForms(startParams);
  renderStatic();
  await createMap((kind, code) => showDetails(kind, code).catch(showError));
  await addLayers();
  await Promise.all([search('plots', false), search('plants', false), state.labelled]);
  const sel = startSelection();
  if (sel) {
    // A link to one site without a view of its own (the site sheet's "on the land map", a
    // shared card) lands on the site, not on the whole zone.
    showDetails(sel.kind, sel.code).then(() => {
      const f = state.selected && state.selected.code === sel.code && state.selected.feature;
      if (f && f.geometry && !startView()) fitTo([shift({ type: 'Feature', properties: {}, geometry: structuredClone(f.geometry) })]);
    }).catch(showError);
  }
  await mapIdle();
  state.ready = true;
  state.readyAt = performance.now();
  document.body.dataset.ready = 'true';
}

// renderStatic draws the page's texts in its language, and what depends on meta once loaded.
function renderStatic() {
  document.title = t('title');
  document.documentElement.lang = state.lang === 'en' ? 'en' : 'zh-CN';
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  $('#lang').textContent = t('lang_switch');
  relabelPanelToggle();
  $('#lang').lang = state.lang === 'en' ? 'zh-CN' : 'en'; // the switch names the other language in it
  for (const b of document.querySelectorAll('.tabs button')) b.classList.toggle('active', b.dataset.tab === state.tab);
  $('#form-plots').hidden = state.tab !== 'plots';
  $('#form-plants').hidden = state.tab !== 'plants';
  $('#results-plots').hidden = state.tab !== 'plots';
  $('#results-plants').hidden = state.tab !== 'plants';
  $('#count-plots').hidden = state.tab !== 'plots';
  $('#count-plants').hidden = state.tab !== 'plants';
  if (state.meta) {
    renderLegend();
    relabelForms();
    renderResults('plots');
    renderResults('plants');
    renderDetails();
  }
  if (state.controls) for (const c of Object.values(state.controls)) c.relabel();
  if (state.zone) {
    $('#zone-name').textContent = label(state.zone.properties);
    $('#zone-info').textContent = zoneInfo(state.zone.properties);
  }
  // English readers get mu and 10,000 yuan explained once, at the top of the panel; the
  // Chinese unit names in it are marked as Chinese (lang), the page's deliberate bilingual text.
  const un = $('#units-note');
  un.hidden = state.lang !== 'en';
  if (state.lang === 'en') {
    const [before, mid, after] = t('units_note').split(/\{mu\}|\{wan\}/);
    const zh = (text) => Object.assign(document.createElement('span'), { lang: 'zh-CN', textContent: text });
    un.replaceChildren(before, zh('亩'), mid, zh('万元'), after);
  }
  if (pageZone) $('#reports-link').search = new URLSearchParams({ zone: pageZone }).toString(); // the same zone's reports
  const note = [t('illustrative_note')];
  if (state.gcj) note.push(t('shifted_gcj'));
  $('#note').textContent = state.zone && state.zone.properties.illustrative ? note.join(' ') : state.gcj ? t('shifted_gcj') : '';
}

// relabelPanelToggle names the phone's panel switch by what pressing it does: "Map only" while
// the search panel shows, "Show search" while it is hidden (the layers are on the map itself).
function relabelPanelToggle() {
  const open = document.body.classList.contains('panel-open');
  const b = $('#panel-toggle');
  b.textContent = t(open ? 'panel_toggle' : 'panel_show');
  b.setAttribute('aria-expanded', String(open));
  b.setAttribute('aria-controls', 'panel');
}

// zoneInfo is the zone's place and planned area: "山西省临汾市 · 规划面积 131.76 平方公里" or
// "Linfen, Shanxi Province · planned area 131.76 km²"; the measured area when no plan gives one.
function zoneInfo(p) {
  const en = state.lang === 'en';
  const km2 = p.planned_area_km2 ?? p.area_km2;
  const s = t('zone_info', {
    province: (en ? p.province_en : p.province) || '', city: (en ? p.city_en : p.city) || '',
    km2: km2 == null ? '—' : Number(km2).toLocaleString(en ? 'en-US' : 'zh-CN', { maximumFractionDigits: 2 }),
  });
  return s.replace(/^, /, '').replace(/^ · /, '');
}

// window.landinv is a read-only hook for the browser tests (web/e2e) and the console; no module
// of the page reads it.
window.landinv = {
  state, wgs84ToGcj02,
  get map() { return state.map; },
  // codes returns the codes the list and the map filter show for a tab.
  codes(tab = 'plots') {
    const r = state.results[tab];
    return r ? r.fc.features.map((f) => f.id) : null;
  },
};

document.addEventListener('DOMContentLoaded', () => {
  $('#lang').addEventListener('click', () => {
    state.lang = state.lang === 'en' ? 'zh' : 'en';
    rememberLang(state.lang);
    renderStatic();
    addLabels();
    writeURL();
  });
  for (const b of document.querySelectorAll('.tabs button')) {
    b.addEventListener('click', () => { state.tab = b.dataset.tab; renderStatic(); applyEmphasis(); writeURL(); });
  }
  $('#details-close').addEventListener('click', closeDetails);
  $('#fit-plots').addEventListener('click', () => state.results.plots && fitTo(state.results.plots.fc.features));
  $('#fit-plants').addEventListener('click', () => state.results.plants && fitTo(state.results.plants.fc.features));
  $('#panel-toggle').addEventListener('click', () => {
    document.body.classList.toggle('panel-open');
    relabelPanelToggle();
    if (state.map) state.map.resize();
  });
  // The legend: open (compact) on a laptop, folded to its title on a phone.
  $('#legend-box').open = !window.matchMedia('(max-width: 700px)').matches;
  main().catch(showError);
});
