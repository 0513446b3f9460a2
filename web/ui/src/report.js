// The report page (/reports): the land-use intensity evaluation laid out for a reviewer (cover
// block, figures, tables, sign-off), and the supply, idle-land, compliance and road summaries.
// One language at a time: Chinese by default, English with ?lang=en or the switch; the words are
// in report_text.js, names come from the reports (label / label_en), the layout (districts) and
// /api/v1/meta (clusters, stages, road statuses). Figures are rounded as the exports round them
// (inventory/rounding.go: 0 decimals for persons, else 2). ECharts is bundled (no CDN) and draws
// SVG so that the page prints crisply to A4; report.css numbers the printed pages. The report
// selector switches to the per-mu evaluation (report_permu.js) and, for planners and leaders,
// the investment project pipeline (report_pipeline.js): same cover, same sign-off.
// Over 450 lines because the one page draws every section of the intensity report (one
// function per section, sharing the cover, number format and chart helpers).
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import './report.css';
import { authHeaders, getJSON, whoAmI, signOut, pageZone, withZone } from './api.js';
import { loadMeta, enumValues, enumName } from './meta.js';
import { text, groupNames, unitNames } from './report_text.js';
import { drawPerMu } from './report_permu.js';
import { drawPipeline } from './report_pipeline.js';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, SVGRenderer]);

const $ = (s) => document.querySelector(s);
const form = $('#controls');
const charts = [];
let lang = new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'zh';
let meta = null; // /api/v1/meta
let index = null; // /api/v1/reports: the indicators and totals with their definitions
const districts = {}; // district code → {name, name_en}, from the layout
let last = null; // the reports last loaded, redrawn on a language switch

const li = () => (lang === 'en' ? 1 : 0);
const locale = () => (lang === 'en' ? 'en-GB' : 'zh-CN');
// T returns the page's word for key in the page's language (a function entry takes arguments).
function T(key, ...args) {
  const e = text[key];
  if (!e) return key;
  return (typeof e === 'function' ? e(...args) : e)[li()];
}
const L = (o) => (o ? (lang === 'en' ? o.label_en || o.label : o.label) : '');
const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
// decimals: persons 0, everything else 2 (inventory.Decimals).
const decimals = (unit) => (unit === '人' ? 0 : 2);
function num(v, d = 2) {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '–';
  return Number(v).toLocaleString(locale(), { minimumFractionDigits: d, maximumFractionDigits: d });
}
const unitName = (u) => (unitNames[u] ? unitNames[u][li()] : u);
const TZ = 'Asia/Shanghai'; // the zone's time, for dates on the report
const date = (iso) => new Intl.DateTimeFormat(locale(), { year: 'numeric', month: 'long', day: 'numeric', timeZone: TZ }).format(new Date(iso));
const dateTime = (iso) => new Intl.DateTimeFormat(locale(), { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: TZ }).format(new Date(iso));
const districtName = (code) => { const d = districts[code]; return d ? (lang === 'en' ? d.name_en || d.name : d.name) : code; };
const enumL = (layer, field, v) => (meta ? enumName(meta, lang, layer, field, v) : v);

const perMu = () => form.elements.report.value === 'per-mu';
const pipeline = () => form.elements.report.value === 'pipeline';

function params() {
  const p = new URLSearchParams();
  for (const k of ['district', 'cluster', 'as_of']) {
    const v = form.elements[k].value;
    if (k === 'district' && pipeline()) continue; // the pipeline is by cluster only
    if (v) p.set(k, k === 'as_of' ? v + 'T23:59:59+08:00' : v);
  }
  if (perMu() && form.elements.year.value) p.set('year', form.elements.year.value);
  return p;
}

function chart(el) {
  const existing = echarts.getInstanceByDom(el);
  if (existing) return existing;
  const c = echarts.init(el, null, { renderer: 'svg' });
  charts.push(c);
  return c;
}

// applyStatic writes the page's fixed words in the page's language, and the first printed
// page's page count (a page margin box, the only place where Chromium knows the page count).
function applyStatic() {
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = T(el.dataset.t);
  for (const el of document.querySelectorAll('[data-tp]')) el.placeholder = T(el.dataset.tp);
  document.body.dataset.report = form.elements.report.value;
  let st = $('#page-words');
  if (!st) {
    st = document.createElement('style');
    st.id = 'page-words';
    document.head.append(st);
  }
  st.textContent = lang === 'en'
    ? '@page :first { @top-right { content: counter(pages) " pages in all"; font-size: 9pt; color: #333; } }'
    : '@page :first { @top-right { content: "本报告共 " counter(pages) " 页"; font-size: 9pt; color: #333; } }';
}

// defs returns the indicators (or totals) of the reports index, in order.
const defs = (kind) => (index ? index[kind] : []);

// rows of one group: each indicator shown, or withheld with its reason.
function indicatorRows(g) {
  const shown = Object.fromEntries(g.indicators.map((i) => [i.key, i]));
  const why = Object.fromEntries((g.withheld || []).map((w) => [w.key, w]));
  const order = defs('indicators').length ? defs('indicators') : g.indicators;
  return order.filter((d) => shown[d.key] || why[d.key]).map((d) => ({ def: d, ind: shown[d.key], why: why[d.key] }));
}

function drawCover(rep, pm) {
  const zone = lang === 'en' ? rep.zone_name_en || rep.zone_name : rep.zone_name;
  const title = T(pm === 'pipeline' ? 'pl_doc_title' : pm ? 'pm_doc_title' : 'doc_title');
  $('#doc-title').textContent = lang === 'en' ? `${zone}: ${title}` : `${zone}${title}`;
  document.title = $('#doc-title').textContent;
  $('#c-zone').textContent = zone;
  // The cover's labels: the evaluations' (评价对象, 评价时点, 评价范围), or the pipeline's own.
  for (const k of ['zone', 'period', 'scope']) {
    const th = $('#c-' + k).previousElementSibling;
    th.dataset.t = (pm === 'pipeline' ? 'pl_cover_' : 'cover_') + k;
    th.textContent = T(th.dataset.t);
  }
  const issuer = lang === 'en' ? rep.issuer_en || rep.issuer : rep.issuer;
  $('#c-issuer').textContent = issuer || '';
  $('#c-issuer').classList.toggle('line', !issuer);
  $('#sign-issuer').textContent = issuer || '';
  $('#c-period').textContent = pm && rep.year ? T('pm_period', rep.year, T('pm_state_' + rep.state))
    : rep.as_of ? T('period_asof', date(rep.as_of)) : T('period_live', date(rep.generated_at));
  const scope = [];
  if (rep.district) scope.push(`${T('district')}: ${rep.district.map(districtName).join(lang === 'en' ? ', ' : '、')}`);
  if (rep.cluster) scope.push(`${T('cluster')}: ${enumL('plots', 'cluster', rep.cluster)}`);
  $('#c-scope').textContent = scope.length ? scope.join(lang === 'en' ? '; ' : '；') : T('scope_all');
  $('#c-date').textContent = date(rep.generated_at);
  $('#illustrative').hidden = !rep.illustrative;
  $('#history-note').hidden = !rep.history_from;
  if (rep.history_from) $('#history-note').textContent = T('history_note', date(rep.history_from));
  const rule = (rep.config && rep.config.disclosure) || { min_enterprises: 3, max_share_pct: 85 };
  $('#public-note').hidden = rep.confidential;
  $('#public-note').textContent = pm ? T('pm_public_note').replace('{n}', 3)
    : T('public_note').replace('{n}', rule.min_enterprises).replace('{p}', rule.max_share_pct);
  $('#generated').textContent = T('generated', dateTime(rep.generated_at));
}

function drawSummary(rep) {
  const g = rep.total;
  const score = $('#score');
  score.classList.toggle('withheld', g.score === null && !!g.score_withheld);
  score.textContent = g.score !== null ? num(g.score) : g.score_withheld ? T('withheld') : '–';
  $('#score-why').textContent = g.score === null ? (g.score_withheld ? (lang === 'en' ? g.score_withheld.reason_en : g.score_withheld.reason) : T('score_none')) : '';
  $('#national-score').textContent = num(rep.national_score);
  $('#zone-type').textContent = g.zone_type ? L(g.zone_type) : '–';
  $('#zone-type-basis').textContent = g.zone_type ? T('shares', num(g.zone_type.industrial_share_pct), num(g.zone_type.residential_share_pct)) : '';
  $('#plots').textContent = num(g.plots, 0);
  const a = g.totals.find((t) => t.key === 'A');
  $('#a-ha').textContent = a ? `${num(a.value / 1e4)} ${T('area_unit')}` : '–';

  const inds = g.indicators.filter((i) => i.attainment !== null && i.attainment !== undefined);
  chart($('#chart-attainment')).setOption({
    animation: false,
    tooltip: { trigger: 'axis' },
    grid: { left: 8, right: 48, top: 8, bottom: 22, containLabel: true },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'category', inverse: true, data: inds.map(L), axisLabel: { fontSize: 11, width: 150, overflow: 'break' } },
    series: [{ type: 'bar', name: T('attainment'), data: inds.map((i) => +i.attainment.toFixed(2)), itemStyle: { color: '#1f4e8c' },
      label: { show: true, position: 'right', fontSize: 10, formatter: (p) => `${num(p.value)}%` } }],
  }, true);
}

// drawValues draws one small chart per indicator: its value, the national reference and the
// zone's ideal value, in the indicator's unit; a withheld indicator says why instead.
function drawValues(rep) {
  const box = $('#chart-values');
  for (const el of box.querySelectorAll('.c')) {
    const c = echarts.getInstanceByDom(el);
    if (c) { charts.splice(charts.indexOf(c), 1); c.dispose(); }
  }
  box.innerHTML = '';
  for (const { def, ind, why } of indicatorRows(rep.total)) {
    const unit = unitName(def.unit);
    const mini = document.createElement('div');
    mini.className = 'mini';
    mini.dataset.key = def.key;
    mini.innerHTML = lang === 'en' ? `<h3>${esc(L(def))} (${esc(unit)})</h3>` : `<h3>${esc(L(def))}（${esc(unit)}）</h3>`;
    box.append(mini);
    if (!ind) {
      mini.insertAdjacentHTML('beforeend', `<div class="why">${esc(lang === 'en' ? why.reason_en : why.reason)}</div>`);
      continue;
    }
    const d = decimals(def.unit);
    const bars = [[T('value'), ind.value, '#1f4e8c'], [T('national'), ind.national, '#8a94a0'], [T('ideal'), ind.ideal, '#5a9e6f']]
      .filter((b) => b[1] !== null && b[1] !== undefined);
    const el = document.createElement('div');
    el.className = 'c';
    mini.append(el);
    chart(el).setOption({
      animation: false,
      grid: { left: 4, right: 70, top: 4, bottom: 4, containLabel: true },
      xAxis: { type: 'value', show: false, max: (v) => v.max * 1.05 || 1 },
      yAxis: { type: 'category', inverse: true, data: bars.map((b) => b[0]), axisLabel: { fontSize: 10 }, axisTick: { show: false } },
      series: [{ type: 'bar', barWidth: 12, data: bars.map((b) => ({ value: b[1], itemStyle: { color: b[2] } })),
        label: { show: true, position: 'right', fontSize: 10, formatter: (p) => num(p.value, d) } }],
    }, true);
  }
}

function drawTables(rep) {
  const g = rep.total;
  const tbody = $('#indicator-table tbody');
  tbody.innerHTML = '';
  let group = '';
  for (const { def, ind, why } of indicatorRows(g)) {
    if (def.group !== group) {
      group = def.group;
      tbody.insertAdjacentHTML('beforeend', `<tr class="group-head"><td colspan="8">${esc((groupNames[group] || [group, group])[li()])}</td></tr>`);
    }
    const head = `<td>${esc(L(def))}</td><td class="def">${esc(lang === 'en' ? def.definition_en : def.definition)}</td>`;
    if (!ind) {
      tbody.insertAdjacentHTML('beforeend', `<tr data-key="${esc(def.key)}" class="withheld">${head}<td class="why" colspan="6">${esc(lang === 'en' ? why.reason_en : why.reason)}</td></tr>`);
      continue;
    }
    const d = decimals(def.unit);
    tbody.insertAdjacentHTML('beforeend', `<tr data-key="${esc(def.key)}">${head}<td class="num">${num(ind.value, d)}</td><td>${esc(unitName(def.unit))}</td>` +
      `<td class="num">${num(ind.national, d)}</td><td class="num">${num(ind.ideal, d)}</td><td class="num">${num(ind.weight)}</td><td class="num">${num(ind.attainment)}</td></tr>`);
  }
  const tt = $('#totals-table tbody');
  tt.innerHTML = '';
  const shown = Object.fromEntries(g.totals.map((q) => [q.key, q]));
  const why = Object.fromEntries((g.withheld || []).map((w) => [w.key, w]));
  for (const d of defs('totals').length ? defs('totals') : g.totals) {
    const q = shown[d.key];
    if (!q && !why[d.key]) continue;
    const plain = lang === 'en' ? d.plain_en : d.plain;
    if (!q) {
      tt.insertAdjacentHTML('beforeend', `<tr data-key="${esc(d.key)}"><td>${esc(L(d))}</td><td class="def">${esc(plain)}</td><td class="why" colspan="3">${esc(lang === 'en' ? why[d.key].reason_en : why[d.key].reason)}</td></tr>`);
      continue;
    }
    // Land areas in hectares; building areas and figures in their own unit.
    const land = d.unit === 'm²' && !/floor|footprint/.test(d.key);
    const v = land ? q.value / 1e4 : q.value;
    const u = land ? '公顷' : d.unit;
    tt.insertAdjacentHTML('beforeend', `<tr data-key="${esc(d.key)}"><td>${esc(L(d))}</td><td class="def">${esc(plain)}</td>` +
      `<td class="num">${num(v, decimals(u))}</td><td>${esc(unitName(u))}</td><td class="num">${num(q.plots, 0)}</td></tr>`);
  }
}

function groupLabel(rep, gr) {
  if (gr.label) return L(gr);
  return rep.group === 'district' ? districtName(gr.key) : enumL('plots', 'cluster', gr.key);
}

function drawGroups(rep) {
  const groups = rep.groups || [];
  $('#groups').hidden = rep.group === 'zone';
  if (rep.group === 'zone') return;
  const keys = ['land_development_rate', 'land_supply_rate', 'land_completion_rate', 'industrial_land_share', 'idle_land_rate'];
  const labels = keys.map((k) => L(defs('indicators').find((i) => i.key === k) || { label: k }));
  chart($('#chart-groups')).setOption({
    animation: false,
    tooltip: { trigger: 'axis' }, legend: { top: 0, type: 'scroll' },
    grid: { left: 8, right: 16, top: 34, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: labels, axisLabel: { fontSize: 10, interval: 0, width: 90, overflow: 'break' } },
    yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
    series: groups.map((gr) => ({ type: 'bar', name: groupLabel(rep, gr),
      data: keys.map((k) => { const i = gr.indicators.find((x) => x.key === k); return i && i.value !== null ? +i.value.toFixed(2) : null; }) })),
  }, true);
  const tb = $('#groups-table tbody');
  tb.innerHTML = '';
  for (const gr of groups) {
    const score = gr.score !== null ? num(gr.score) : gr.score_withheld ? T('withheld') : '–';
    tb.insertAdjacentHTML('beforeend', `<tr data-group="${esc(gr.key)}"><td>${esc(groupLabel(rep, gr))}</td><td class="num">${num(gr.plots, 0)}</td><td class="num">${esc(score)}</td><td>${esc(gr.zone_type ? L(gr.zone_type) : '–')}</td></tr>`);
  }
  // Notes: districts with no plots, groups with no figures, and what the public does not see.
  const notes = [];
  if (rep.group === 'district') {
    const have = new Set(groups.map((gr) => gr.key));
    for (const code of Object.keys(districts).sort()) {
      if (!have.has(code) && (!rep.district || rep.district.includes(code))) notes.push(T('no_plots', districtName(code)));
    }
  }
  for (const gr of groups) {
    if (gr.indicators.every((i) => i.value === null)) notes.push(T('no_values', groupLabel(rep, gr)));
  }
  for (const gr of [rep.total, ...groups]) {
    for (const w of gr.withheld || []) {
      if (defs('indicators').some((d) => d.key === w.key)) notes.push(`${gr.key === 'total' ? T('group_zone') : groupLabel(rep, gr)} · ${L(w)}: ${lang === 'en' ? w.reason_en : w.reason}`);
    }
  }
  $('#group-notes').innerHTML = notes.map((n) => `<li>${esc(n)}</li>`).join('');
}

function drawSupply(rep) {
  $('#ready-mu').textContent = `${num(rep.ready.area_mu)} ${T('mu')}`;
  $('#ready-plots').textContent = T('plots_n', num(rep.ready.plots, 0));
  $('#free-m2').textContent = `${num(rep.plants.free_area_m2)} m²`;
  $('#vacancy').textContent = `${T('vacancy')} ${rep.plants.vacancy_pct === null ? '–' : num(rep.plants.vacancy_pct) + '%'}`;
  const ds = [...new Set([...rep.ready_by_district.map((d) => d.key), ...rep.plants_by_district.map((d) => d.key)])];
  chart($('#chart-supply')).setOption({
    animation: false, tooltip: { trigger: 'axis' }, legend: { top: 0 },
    grid: { left: 8, right: 8, top: 34, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: ds.map(districtName), axisLabel: { interval: 0, fontSize: 10 } },
    yAxis: [{ type: 'value', name: T('mu') }, { type: 'value', name: 'm²' }],
    series: [
      { type: 'bar', name: `${T('ready_land')} (${T('mu')})`, data: ds.map((k) => { const r = rep.ready_by_district.find((x) => x.key === k); return r ? +r.area_mu.toFixed(2) : 0; }) },
      { type: 'bar', name: `${T('free_space')} (m²)`, yAxisIndex: 1,
        data: ds.map((k) => { const p = rep.plants_by_district.find((x) => x.key === k); return p ? +p.free_area_m2.toFixed(2) : 0; }) },
    ],
  }, true);
}

function drawIdle(rep) {
  chart($('#chart-idle')).setOption({
    animation: false, tooltip: { trigger: 'axis' }, legend: { top: 0 },
    grid: { left: 8, right: 8, top: 34, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: rep.stages.map((s) => enumL('idle-sites', 'stage', s.stage)), axisLabel: { interval: 0, fontSize: 10 } },
    yAxis: { type: 'value', name: T('mu') },
    series: [
      { type: 'bar', stack: 'a', name: T('idle_land'), data: rep.stages.map((s) => (s.sites ? +(s.area_mu * s.idle_land / s.sites).toFixed(2) : 0)) },
      { type: 'bar', stack: 'a', name: T('zombie'), data: rep.stages.map((s) => (s.sites ? +(s.area_mu * s.zombie_enterprise / s.sites).toFixed(2) : 0)) },
    ],
  }, true);
  const sep = lang === 'en' ? '; ' : '；';
  const years = rep.years.map((y) => T('idle_year', y.year, num(y.reclaimed_mu), num(y.relet_mu))).join(sep);
  const list = rep.candidates.slice(0, 12).map((c) => c.code).join(lang === 'en' ? ', ' : '、') + (rep.candidates.length > 12 ? '…' : '');
  $('#idle-candidates').textContent = T('idle_text', { sites: num(rep.sites, 0), area: num(rep.area_mu), years, cand: num(rep.candidates.length, 0), list: rep.candidates.length ? list : '' });
}

function drawCompliance(rep) {
  const tb = $('#compliance-table tbody');
  tb.innerHTML = '';
  for (const s of rep.summary) {
    const m = rep.measures.find((x) => x.key === s.measure) || { label: s.label };
    tb.insertAdjacentHTML('beforeend', `<tr><td>${esc(L(m))}</td>${[s.checked, s.met, s.short, s.over, s.no_data].map((v) => `<td class="num">${num(v, 0)}</td>`).join('')}</tr>`);
  }
}

function drawRoads(rep) {
  chart($('#chart-roads')).setOption({
    animation: false, tooltip: { trigger: 'axis' },
    grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', inverse: true, data: rep.lengths.map((l) => enumL('roads', 'status', l.status)) },
    series: [{ type: 'bar', data: rep.lengths.map((l) => +l.km.toFixed(2)), label: { show: true, position: 'right', fontSize: 10, formatter: (p) => `${num(p.value)} km` }, itemStyle: { color: '#6b8e23' } }],
  }, true);
  const sep = lang === 'en' ? '; ' : '；';
  const loops = rep.loop.map((l) => `${districts[l.district] ? districtName(l.district) : l.name}: ${l.closed ? T('loop_closed') : T('loop_open', num(l.cover_pct, 0))}` +
    (l.would_close.length ? T('loop_by', l.would_close.join(', ')) : '')).join(sep);
  const opens = rep.opens_up.filter((o) => o.count).map((o) => `${lang === 'en' && o.name_en ? o.name_en : o.name} ${num(o.area_mu)} ${T('mu')}`).join(sep);
  $('#roads-text').textContent = T('roads_text', { km: num(rep.total_km), tol: num(rep.tolerance_m, 0), dead: num(rep.dead_ends.length, 0), loops, front: num(rep.frontage_m, 0), opens });
}

function draw() {
  applyStatic();
  if (!last) return;
  drawReport();
  numberSections();
}

const ZH_NUMBERS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五'];

// numberSections numbers the sections and figures the reader sees, in order: a section hidden
// (the groups when the report is of the whole zone, another report's sections) takes no number,
// so the printed report never jumps from 4 to 6. The words' own numbers are replaced.
function numberSections() {
  let n = 0;
  let f = 0;
  for (const sec of document.querySelectorAll('#report section')) {
    if (sec.hidden || getComputedStyle(sec).display === 'none') continue;
    const h = sec.querySelector('h2');
    if (h) {
      n++;
      const bare = h.textContent.replace(/^(\d+\.\s*|[一二三四五六七八九十]+、)/, '');
      h.textContent = lang === 'en' ? `${n}. ${bare}` : `${ZH_NUMBERS[n - 1] || n}、${bare}`;
    }
    for (const fc of sec.querySelectorAll('figcaption')) {
      if (fc.closest('[hidden]')) continue;
      f++;
      fc.textContent = fc.textContent.replace(/^(图\d+|Figure \d+)/, lang === 'en' ? `Figure ${f}` : `图${f}`);
    }
  }
}

function drawReport() {
  if (last.pipeline) {
    drawCover(last.pipeline, 'pipeline');
    drawPipeline({ T, num, esc, chart, enumL, districtName, date, lang: () => lang }, last.pipeline);
    return;
  }
  if (last.perMu) {
    drawCover(last.perMu[0], true);
    drawPerMu({ T, num, esc, chart, enumL, districtName, lang: () => lang }, ...last.perMu);
    return;
  }
  const [intensity, supply, idle, compliance, roads] = last;
  drawCover(intensity);
  drawSummary(intensity);
  drawValues(intensity);
  drawTables(intensity);
  drawGroups(intensity);
  drawSupply(supply);
  drawIdle(idle);
  drawCompliance(compliance);
  drawRoads(roads);
}

function writeURL() {
  const p = params();
  const group = form.elements.group.value;
  if (perMu()) p.set('report', 'per-mu');
  else if (pipeline()) p.set('report', 'pipeline');
  else if (group !== 'zone') p.set('group', group);
  if (lang === 'en') p.set('lang', 'en');
  if (pageZone) p.set('zone', pageZone);
  const u = new URL(location.href);
  u.search = p.toString();
  history.replaceState(null, '', u);
}

async function load() {
  document.body.dataset.ready = 'false';
  $('#error').hidden = true;
  const p = params();
  const ip = new URLSearchParams(p);
  const group = form.elements.group.value;
  if (group !== 'zone') ip.set('group', group);
  const q = (u) => (u.toString() ? '?' + u.toString() : '');
  try {
    if (pipeline()) {
      last = { pipeline: await getJSON('/api/v1/reports/pipeline' + q(p)) };
    } else if (perMu()) {
      const [pm, rc] = await Promise.all([getJSON('/api/v1/reports/per-mu' + q(p)), getJSON('/api/v1/reports/reclamation' + q(p))]);
      last = { perMu: [pm, rc] };
    } else last = await Promise.all([
      getJSON('/api/v1/reports/intensity' + q(ip)), getJSON('/api/v1/reports/supply' + q(p)), getJSON('/api/v1/reports/idle' + q(p)),
      getJSON('/api/v1/reports/compliance' + q(p)), getJSON('/api/v1/reports/roads' + q(p)),
    ]);
    draw();
  } catch (e) {
    $('#error').textContent = problemLine(e.status, e.problem, e);
    $('#error').hidden = false;
  }
  writeURL();
  document.body.dataset.ready = 'true';
}

// problemLine says in the page's language why a report was not read: the rate limit in words
// of its own (a reader behind a shared address meets it first), else the problem's code as
// /api/v1/meta words it, its field named; the server's English detail only when neither is known.
function problemLine(status, pr, e) {
  // The public's rate limit names no field; the limit of failed credentials names the one at fault.
  if (status === 429 && !(pr && pr.field)) return T('too_many');
  const c = pr && meta && meta.codes && meta.codes[pr.code];
  if (c) {
    // {field} by the form's own label where the page has one (district, cluster, as_of, group),
    // every other {name} from the problem's params.
    const field = { district: T('district'), cluster: T('cluster'), as_of: T('as_of'), group: T('group') }[pr.field] || pr.field || '';
    const params = pr.params || {};
    return T('failed') + (lang === 'en' ? c.en : c.zh).replace(/\{(\w+)\}/g, (_, k) => (k === 'field' ? field : String(params[k] ?? '')));
  }
  return T('failed') + (pr ? `${pr.title || status}: ${pr.detail || ''}` : String((e && e.message) || e));
}

async function download(a) {
  const p = params();
  const report = a.dataset.report;
  p.set('format', a.dataset.format);
  if (a.dataset.table) p.set('table', a.dataset.table);
  if (a.dataset.raw) p.set('raw', 'true');
  if (form.elements.group.value !== 'zone' && report === 'intensity') p.set('group', form.elements.group.value);
  const r = await fetch(withZone(`/api/v1/reports/${report}?${p}`), { headers: authHeaders() });
  if (!r.ok) {
    $('#error').textContent = problemLine(r.status, await r.json().catch(() => null), r.statusText);
    $('#error').hidden = false;
    return;
  }
  const name = (r.headers.get('Content-Disposition') || '').match(/filename="([^"]+)"/);
  const url = URL.createObjectURL(await r.blob());
  const tmp = Object.assign(document.createElement('a'), { href: url, download: name ? name[1] : `${report}.${a.dataset.format}` });
  document.body.append(tmp);
  tmp.click();
  tmp.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// showWho says who is signed in (by the session cookie: the score and confidential figures are
// theirs to see), with a sign-out button; or links to the sign-in page, coming back here.
async function showWho() {
  const me = await whoAmI();
  const who = $('#who');
  // The pipeline report is confidential: offered to planners and leaders only.
  const pl = form.elements.report.querySelector('option[value=pipeline]');
  pl.hidden = pl.disabled = !me.sees_confidential;
  if (!me.sees_confidential && pipeline()) form.elements.report.value = 'intensity';
  if (!me.signed_in) {
    const a = Object.assign(document.createElement('a'), { id: 'signin-link', textContent: T('sign_in') });
    a.dataset.t = 'sign_in'; // a language switch rewrites it (applyStatic)
    a.href = '/signin?' + new URLSearchParams({ next: location.pathname + location.search });
    a.addEventListener('click', () => { a.href = '/signin?' + new URLSearchParams({ next: location.pathname + location.search }); });
    who.replaceChildren(a);
    return;
  }
  const out = Object.assign(document.createElement('button'), { type: 'button', id: 'signout', textContent: T('sign_out') });
  out.dataset.t = 'sign_out';
  out.addEventListener('click', async () => { await signOut(); location.reload(); });
  // The role in the page's language (a language switch rewrites it, as every data-t).
  const role = Object.assign(document.createElement('span'), { textContent: T('role_' + me.role) });
  if (text['role_' + me.role]) role.dataset.t = 'role_' + me.role; else role.textContent = me.role;
  const name = Object.assign(document.createElement('span'), { id: 'who-name' });
  name.append(`${me.name} (`, role, ') ');
  who.replaceChildren(name, out);
}

function fillChoices() {
  const keep = { district: form.elements.district.value, cluster: form.elements.cluster.value };
  for (const k of ['district', 'cluster']) while (form.elements[k].options.length > 1) form.elements[k].remove(1);
  for (const c of enumValues(meta, 'plots', 'cluster')) form.elements.cluster.add(new Option(enumL('plots', 'cluster', c), c));
  for (const code of Object.keys(districts).sort()) form.elements.district.add(new Option(districtName(code), code));
  form.elements.district.value = keep.district;
  form.elements.cluster.value = keep.cluster;
}

async function init() {
  const sp = new URLSearchParams(location.search);
  applyStatic();
  if (pageZone) document.querySelector('[data-t="back"]').search = new URLSearchParams({ zone: pageZone }).toString(); // back to the same zone's map
  // Clusters (with their names) from meta, districts from the layout, definitions from the
  // reports index; without them the report still works for the whole zone.
  const [m, lay, idx] = await Promise.all([loadMeta().catch(() => null), getJSON('/api/v1/layout?limit=1000').catch(() => null),
    getJSON('/api/v1/reports').catch(() => null)]);
  meta = m;
  index = idx;
  for (const f of lay ? lay.features.filter((x) => x.properties.kind === 'district') : []) {
    districts[f.id] = { name: f.properties.name, name_en: f.properties.name_en };
  }
  fillChoices();
  for (const k of ['district', 'cluster', 'group', 'year', 'report']) if (sp.get(k)) form.elements[k].value = sp.get(k);
  if (sp.get('as_of')) form.elements.as_of.value = sp.get('as_of').slice(0, 10);
  await showWho();
  form.elements.report.addEventListener('change', () => { last = null; applyStatic(); load(); });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });
  for (const a of document.querySelectorAll('.downloads a')) a.addEventListener('click', (e) => { e.preventDefault(); download(a); });
  $('#print').addEventListener('click', () => window.print());
  $('#lang').addEventListener('click', () => {
    lang = lang === 'en' ? 'zh' : 'en';
    fillChoices();
    draw();
    writeURL();
  });
  const resize = () => charts.forEach((c) => c.resize());
  window.addEventListener('resize', resize);
  window.addEventListener('beforeprint', resize);
  window.addEventListener('afterprint', resize);
  // The printed column is narrower than the screen's: redraw the charts to it (this also
  // follows a print emulation, which fires no beforeprint).
  matchMedia('print').addEventListener('change', resize);
  window.landinvReport = { charts, load, setLang: (l) => { lang = l; fillChoices(); draw(); writeURL(); } };
  await load();
}

init();
