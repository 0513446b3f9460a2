// The report page (/reports): the land-use intensity evaluation with charts, and the supply,
// idle-land, compliance and road summaries beside it. Everything comes from /api/v1/reports/*;
// ECharts is bundled (no CDN) and draws SVG so that the page prints crisply to A4.
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent, MarkLineComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import './report.css';
import { authHeaders, getJSON, whoAmI, signOut } from './api.js';
import { loadMeta, enumValues, enumName } from './meta.js';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, SVGRenderer]);

const $ = (s) => document.querySelector(s);
const form = $('#controls');
const charts = [];
// meta is /api/v1/meta: clusters and road statuses, and their names in both languages.
let meta = null;
// both names an enum value in Chinese and English ("智能制造 Intelligent manufacturing"); zh
// alone gives the Chinese name.
const both = (layer, field, v) => (meta ? `${enumName(meta, 'zh', layer, field, v)} ${enumName(meta, 'en', layer, field, v)}` : v);
const zh = (layer, field, v) => (meta ? enumName(meta, 'zh', layer, field, v) : v);

const fmt = (v, d = 2) => (v === null || v === undefined ? '–' : Number(v).toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: 0 }));
const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));

function params() {
  const p = new URLSearchParams();
  for (const k of ['district', 'cluster', 'as_of']) {
    const v = form.elements[k].value;
    if (v) p.set(k, k === 'as_of' ? v + 'T23:59:59+08:00' : v);
  }
  return p;
}


function chart(id) {
  const el = $(id);
  const existing = echarts.getInstanceByDom(el);
  if (existing) return existing;
  const c = echarts.init(el, null, { renderer: 'svg' });
  charts.push(c);
  return c;
}

function cell(v, d) { return `<td class="num">${fmt(v, d)}</td>`; }

function drawIntensity(rep) {
  const g = rep.total;
  $('#zone-name').textContent = rep.zone_name;
  $('#stamp').textContent = rep.as_of ? `截至 as of ${rep.as_of.slice(0, 10)}` : `现状 live, ${rep.generated_at.slice(0, 10)}`;
  const scope = [];
  if (rep.district) scope.push('片区 district ' + rep.district.join(', '));
  if (rep.cluster) scope.push('产业集群 cluster ' + both('plots', 'cluster', rep.cluster));
  $('#scope').textContent = scope.length ? scope.join(' · ') : '全区 whole zone';
  $('#illustrative').hidden = !rep.illustrative;
  const w = $('#withheld');
  w.hidden = !(rep.withheld && rep.withheld.length);
  w.textContent = '公众版本: 依赖保密数据的指标及综合得分未显示 · Public view: indicators resting on confidential figures, and the score, are withheld (' + (rep.withheld || []).join(', ') + ').';
  $('#score').textContent = g.score === null ? '—' : fmt(g.score, 1);
  $('#national-score').textContent = fmt(rep.national_score, 2);
  $('#zone-type').textContent = g.zone_type ? g.zone_type.label : '–';
  $('#zone-type-basis').textContent = g.zone_type ? `A2/A ${fmt(g.zone_type.industrial_share_pct, 1)}% · A1/A ${fmt(g.zone_type.residential_share_pct, 1)}%` : '';
  $('#plots').textContent = fmt(g.plots, 0);
  const a = g.totals.find((t) => t.key === 'A');
  $('#a-ha').textContent = fmt(a ? a.value / 1e4 : null, 1);

  const tbody = $('#indicator-table tbody');
  tbody.innerHTML = '';
  let group = '';
  for (const i of g.indicators) {
    if (i.group !== group) {
      group = i.group;
      tbody.insertAdjacentHTML('beforeend', `<tr class="group-head"><td colspan="8">${esc(group.replace(/_/g, ' '))}</td></tr>`);
    }
    tbody.insertAdjacentHTML('beforeend', `<tr data-key="${esc(i.key)}"><td>${esc(i.label)}<br><small>${esc(i.label_en)}</small></td><td>${esc(i.formula)}</td>` +
      `${cell(i.value, 2)}<td>${esc(i.unit)}</td>${cell(i.national, 2)}${cell(i.ideal, 2)}${cell(i.weight, 2)}${cell(i.attainment, 1)}</tr>`);
  }
  const tt = $('#totals-table tbody');
  tt.innerHTML = '';
  for (const q of g.totals) {
    tt.insertAdjacentHTML('beforeend', `<tr><td>${esc(q.key)}</td><td>${esc(q.label)}</td><td><small>${esc(q.definition)}</small></td>${cell(q.value, 0)}<td>${esc(q.unit)}</td>${cell(q.plots, 0)}</tr>`);
  }

  const inds = g.indicators.filter((i) => i.attainment !== null);
  chart('#chart-attainment').setOption({
    animation: false,
    tooltip: { trigger: 'axis' },
    grid: { left: 190, right: 30, top: 10, bottom: 24 },
    xAxis: { type: 'value', max: 100, name: '%' },
    yAxis: { type: 'category', inverse: true, data: inds.map((i) => i.label), axisLabel: { fontSize: 11 } },
    series: [{ type: 'bar', name: '实现度 attainment', data: inds.map((i) => +i.attainment.toFixed(1)), itemStyle: { color: '#1f6fb2' },
      label: { show: true, position: 'right', fontSize: 10 } }],
  }, true);

  const groups = rep.groups || [];
  const gc = $('#chart-groups');
  gc.hidden = groups.length === 0;
  if (groups.length) {
    const keys = ['land_development_rate', 'land_supply_rate', 'land_completion_rate', 'industrial_land_share', 'idle_land_rate'];
    const labels = keys.map((k) => (g.indicators.find((i) => i.key === k) || { label: k }).label);
    chart('#chart-groups').setOption({
      animation: false,
      tooltip: { trigger: 'axis' }, legend: { top: 0 },
      grid: { left: 50, right: 20, top: 30, bottom: 30 },
      xAxis: { type: 'category', data: labels, axisLabel: { fontSize: 11 } },
      yAxis: { type: 'value', name: '%' },
      series: groups.map((gr) => ({ type: 'bar', name: zh('plots', 'cluster', gr.key),
        data: keys.map((k) => { const i = gr.indicators.find((x) => x.key === k); return i && i.value !== null ? +i.value.toFixed(2) : null; }) })),
    }, true);
  }
}

function drawSupply(rep) {
  $('#ready-mu').textContent = fmt(rep.ready.area_mu, 1);
  $('#ready-plots').textContent = fmt(rep.ready.plots, 0);
  $('#free-m2').textContent = fmt(rep.plants.free_area_m2, 0);
  $('#vacancy').textContent = rep.plants.vacancy_pct === null ? '–' : fmt(rep.plants.vacancy_pct, 1) + '%';
  const ds = rep.ready_by_district.map((d) => d.key);
  chart('#chart-supply').setOption({
    animation: false, tooltip: { trigger: 'axis' }, legend: { top: 0 },
    grid: { left: 60, right: 60, top: 30, bottom: 30 },
    xAxis: { type: 'category', data: ds },
    yAxis: [{ type: 'value', name: '亩 mu' }, { type: 'value', name: 'm²' }],
    series: [
      { type: 'bar', name: '待供标准地 ready land (亩)', data: rep.ready_by_district.map((d) => +d.area_mu.toFixed(1)) },
      { type: 'bar', name: '厂房空置 free plant space (m²)', yAxisIndex: 1,
        data: ds.map((k) => { const p = rep.plants_by_district.find((x) => x.key === k); return p ? p.free_area_m2 : 0; }) },
    ],
  }, true);
}

function drawIdle(rep) {
  chart('#chart-idle').setOption({
    animation: false, tooltip: { trigger: 'axis' }, legend: { top: 0 },
    grid: { left: 60, right: 20, top: 30, bottom: 30 },
    xAxis: { type: 'category', data: rep.stages.map((s) => s.label) },
    yAxis: { type: 'value', name: '亩 mu' },
    series: [
      { type: 'bar', stack: 'a', name: '闲置土地 idle land', data: rep.stages.map((s) => (s.sites ? +(s.area_mu * s.idle_land / s.sites).toFixed(1) : 0)) },
      { type: 'bar', stack: 'a', name: '僵尸企业 zombie', data: rep.stages.map((s) => (s.sites ? +(s.area_mu * s.zombie_enterprise / s.sites).toFixed(1) : 0)) },
    ],
  }, true);
  const years = rep.years.map((y) => `${y.year}: 收回 ${fmt(y.reclaimed_mu, 1)} 亩 / 盘活 ${fmt(y.relet_mu, 1)} 亩`).join('; ');
  $('#idle-candidates').textContent = `${rep.sites} 宗 sites, ${fmt(rep.area_mu, 1)} 亩. 腾笼换鸟 per year — ${years || 'none'}. ` +
    `疑似闲置未认定 plots meeting the legal idle test but not flagged: ${rep.candidates.length}` +
    (rep.candidates.length ? ' (' + rep.candidates.slice(0, 12).map((c) => c.code).join(', ') + (rep.candidates.length > 12 ? ', …' : '') + ')' : '') + '.';
}

function drawCompliance(rep) {
  const tb = $('#compliance-table tbody');
  tb.innerHTML = '';
  for (const s of rep.summary) {
    const m = rep.measures.find((x) => x.key === s.measure) || {};
    tb.insertAdjacentHTML('beforeend', `<tr><td>${esc(s.label)} <small>${esc(m.label_en || '')}</small></td>${cell(s.checked, 0)}${cell(s.met, 0)}${cell(s.short, 0)}${cell(s.over, 0)}${cell(s.no_data, 0)}</tr>`);
  }
}

function drawRoads(rep) {
  chart('#chart-roads').setOption({
    animation: false, tooltip: { trigger: 'axis' },
    grid: { left: 215, right: 40, top: 10, bottom: 24 },
    xAxis: { type: 'value', name: 'km' },
    yAxis: { type: 'category', inverse: true, data: rep.lengths.map((l) => both('roads', 'status', l.status)) },
    series: [{ type: 'bar', data: rep.lengths.map((l) => +l.km.toFixed(2)), label: { show: true, position: 'right', fontSize: 10 }, itemStyle: { color: '#6b8e23' } }],
  }, true);
  const loops = rep.loop.map((l) => `${l.name}: ${l.closed ? '已闭环 closed' : `未闭环 open (${fmt(l.cover_pct, 0)}%)`}` +
    (l.would_close.length ? `, 建成 ${l.would_close.join(', ')} 后闭环 closed by` : '')).join('; ');
  const opens = rep.opens_up.filter((o) => o.count).map((o) => `${o.name} ${fmt(o.area_mu, 0)} 亩`).join('; ');
  $('#roads-text').textContent = `总里程 ${fmt(rep.total_km, 1)} km. 断头路 dead ends (≤ ${rep.tolerance_m} m): ${rep.dead_ends.length}. ` +
    `区域闭环 loops — ${loops || 'no district'}. 新路带动地块 opened up (≤ ${rep.frontage_m} m): ${opens || 'none'}.`;
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
    const [intensity, supply, idle, compliance, roads] = await Promise.all([
      getJSON('/api/v1/reports/intensity' + q(ip)), getJSON('/api/v1/reports/supply' + q(p)), getJSON('/api/v1/reports/idle' + q(p)),
      getJSON('/api/v1/reports/compliance' + q(p)), getJSON('/api/v1/reports/roads' + q(p)),
    ]);
    drawIntensity(intensity);
    drawSupply(supply);
    drawIdle(idle);
    drawCompliance(compliance);
    drawRoads(roads);
    $('#generated').textContent = 'generated ' + intensity.generated_at;
  } catch (e) {
    const p = e.problem;
    $('#error').textContent = p ? `${p.title || e.status}: ${p.detail || ''}` : String(e.message || e);
    $('#error').hidden = false;
  }
  const u = new URL(location.href);
  u.search = ip.toString();
  history.replaceState(null, '', u);
  document.body.dataset.ready = 'true';
}

async function download(a) {
  const p = params();
  const report = a.dataset.report;
  p.set('format', a.dataset.format);
  if (a.dataset.table) p.set('table', a.dataset.table);
  if (form.elements.group.value !== 'zone' && report === 'intensity') p.set('group', form.elements.group.value);
  const r = await fetch(`/api/v1/reports/${report}?${p}`, { headers: authHeaders() });
  if (!r.ok) {
    const b = await r.json();
    $('#error').textContent = `${b.title}: ${b.detail}`;
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
  if (!me.signed_in) {
    const a = Object.assign(document.createElement('a'), { id: 'signin-link', textContent: '登录 Sign in' });
    a.href = '/signin?' + new URLSearchParams({ next: location.pathname + location.search });
    a.addEventListener('click', () => { a.href = '/signin?' + new URLSearchParams({ next: location.pathname + location.search }); });
    who.replaceChildren(a);
    return;
  }
  const out = Object.assign(document.createElement('button'), { type: 'button', id: 'signout', textContent: '退出 Sign out' });
  out.addEventListener('click', async () => { await signOut(); location.reload(); });
  who.replaceChildren(Object.assign(document.createElement('span'), { id: 'who-name', textContent: `${me.name} (${me.role}) ` }), out);
}

async function init() {
  const sp = new URLSearchParams(location.search);
  // Clusters (with their names) from meta, districts from the layout; without them the report
  // still works for the whole zone.
  const [m, lay] = await Promise.all([loadMeta().catch(() => null), getJSON('/api/v1/layout?limit=1000').catch(() => null)]);
  meta = m;
  for (const c of enumValues(meta, 'plots', 'cluster')) form.elements.cluster.add(new Option(both('plots', 'cluster', c), c));
  for (const f of lay ? lay.features.filter((x) => x.properties.kind === 'district') : []) {
    form.elements.district.add(new Option(`${f.properties.name} (${f.id})`, f.id));
  }
  for (const k of ['district', 'cluster', 'group']) if (sp.get(k)) form.elements[k].value = sp.get(k);
  if (sp.get('as_of')) form.elements.as_of.value = sp.get('as_of').slice(0, 10);
  await showWho();
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });
  for (const a of document.querySelectorAll('.downloads a')) a.addEventListener('click', (e) => { e.preventDefault(); download(a); });
  $('#print').addEventListener('click', () => window.print());
  const resize = () => charts.forEach((c) => c.resize());
  window.addEventListener('resize', resize);
  window.addEventListener('beforeprint', resize);
  window.addEventListener('afterprint', resize);
  window.landinvReport = { charts, load };
  await load();
}

init();
