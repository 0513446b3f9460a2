// The legend: one group per map layer, with a switch that hides it and an entry per status or
// stage. The entries are the enum values /api/v1/meta lists, named by meta, coloured by the
// palette.
import { $ } from './dom.js';
import { state, t } from './state.js';
import { enumValues } from './meta.js';
import { label } from './format.js';
import { applyVisibility } from './map.js';
import { writeURL } from './url.js';
import {
  STATUS_COLORS, STAGE_COLORS, ROAD_COLORS, DISTRICT_COLORS, STANDARD_COLOR, PLANT_COLOR, FALLBACK, DASHED_ROADS, RESULT_COLOR, colorOf,
} from './palette.js';

function group(el, key, items) {
  const box = document.createElement('div');
  box.className = 'legend-group';
  const lab = document.createElement('label');
  lab.className = 'legend-toggle';
  const cb = document.createElement('input');
  cb.type = 'checkbox'; cb.checked = !state.hidden.has(key); cb.dataset.layer = key;
  cb.addEventListener('change', () => {
    if (cb.checked) state.hidden.delete(key); else state.hidden.add(key);
    applyVisibility(); writeURL();
  });
  const span = document.createElement('span');
  span.textContent = t(key);
  lab.append(cb, span);
  box.append(lab);
  const ul = document.createElement('ul');
  for (const [swatch, text] of items) {
    const li = document.createElement('li');
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.setAttribute('style', swatch);
    const tx = document.createElement('span');
    tx.textContent = text;
    li.append(sw, tx);
    ul.append(li);
  }
  box.append(ul);
  el.append(box);
}

// searchKey draws, while a search is active, how the map shows its results: an orange outline
// on the results, everything else faded.
function searchKey(el) {
  const r = state.results[state.tab];
  if (!r || !r.active) return;
  const box = document.createElement('div');
  box.className = 'legend-group legend-search';
  const ul = document.createElement('ul');
  for (const [swatch, text] of [
    ['background:' + (state.tab === 'plants' ? PLANT_COLOR : colorOf(STATUS_COLORS, 'ready', FALLBACK.status)) + ';outline:3px solid ' + RESULT_COLOR, t('search_result')],
    ['background:#bbb;opacity:.35', t('search_other')],
  ]) {
    const li = document.createElement('li');
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.setAttribute('style', swatch);
    li.append(sw, Object.assign(document.createElement('span'), { textContent: text }));
    ul.append(li);
  }
  box.append(ul);
  el.append(box);
}

export function renderLegend() {
  const el = $('#legend');
  el.textContent = '';
  searchKey(el);
  const values = (layer, field) => enumValues(state.meta, layer, field);
  group(el, 'boundary', [['border:2.5px solid #a61e1e;background:transparent', label(state.zone.properties)]]);
  group(el, 'layout', [
    ['background:' + DISTRICT_COLORS[0] + ';border:1px dashed #7a8ca3', t('district')],
    ['background:rgba(99,196,122,.4);border:1px solid #2f8a46', t('corridor')],
    ['border-top:3px dashed #d6336c;height:0;margin-top:6px', t('axis')],
  ]);
  // The surroundings: only the kinds the zone has.
  const kinds = new Set(state.layout.features.map((f) => f.properties.kind));
  const ctx = [
    ['river', 'border-top:6px solid #9cc7ee;height:0;margin-top:4px'], ['main_road', 'border-top:4px solid #c9b99a;height:0;margin-top:5px'],
    ['expressway', 'border-top:5px solid #e8a25c;height:0;margin-top:5px'], ['railway', 'border-top:3px dashed #5b5b5b;height:0;margin-top:6px'],
    ['station', 'background:#3d3d3d;border-radius:50%;border:2px solid #fff'], ['exit', 'background:#e07b1f;border-radius:50%;border:2px solid #fff'],
    ['city_centre', 'background:#8e3b8e;border-radius:50%;border:2px solid #fff'],
  ].filter(([k]) => kinds.has(k)).map(([k, sw]) => [sw, t.enum('layout', 'kind', k)]);
  if (ctx.length) group(el, 'context', ctx);
  group(el, 'plots', [
    ...values('plots', 'status').map((v) => ['background:' + colorOf(STATUS_COLORS, v, FALLBACK.status), t.enum('plots', 'status', v)]),
    ['background:#fff;border:2.5px solid ' + STANDARD_COLOR, t('standard_land_mark')],
  ]);
  group(el, 'plants', [['background:' + PLANT_COLOR, t('plants')]]);
  group(el, 'idle_sites', values('idle-sites', 'stage').map((v) => [
    'background:' + colorOf(STAGE_COLORS, v, FALLBACK.stage) + ';border:1px dashed #8f1d1d', t.enum('idle-sites', 'stage', v),
  ]));
  group(el, 'roads', values('roads', 'status').map((v) => [
    (DASHED_ROADS.includes(v) ? 'border-top:3px dashed ' : 'border-top:3px solid ') + colorOf(ROAD_COLORS, v, FALLBACK.road) + ';height:0;margin-top:6px',
    t.enum('roads', 'status', v),
  ]));
}
