// The pipeline report (招商项目推进情况) on the report page, for planners and leaders (the
// report is confidential: the page offers it only to them): projects and investment by stage
// and by cluster × stage, the median days from signing to land, to the start of construction
// and to production, the overdue projects with the legal idle-land test of their supplied land,
// signed projects still without land (项目等地), ready standard land and free plant space with
// no project (地等项目、厂房等项目). The figures are the API's (/api/v1/reports/pipeline), rounded
// as the exports round them; report.js passes its helpers (words, number format, charts, names)
// as h. Names that planners enter (projects, investors, leaders) are shown as entered, marked
// as Chinese text when they are.

const $ = (s) => document.querySelector(s);
const STAGE_COLORS = { lead: '#9aa4ae', negotiating: '#5b8def', signed: '#1f4e8c', supplied: '#e0a800', started: '#e8590c', in_production: '#2e7d32', dropped: '#6b7280' };

// free marks text a planner entered: lang=zh-CN when it holds Chinese characters.
const free = (h, s) => (/[\u3400-\u9fff]/.test(s || '') ? `<span lang="zh-CN">${h.esc(s)}</span>` : h.esc(s || '–'));

// drawPipeline draws the report rep (GET /api/v1/reports/pipeline).
export function drawPipeline(h, rep) {
  const L = (o) => (h.lang() === 'en' ? o.label_en || o.label : o.label);
  const stageName = (s) => { const r = rep.stages.find((x) => x.stage === s); return r ? L(r) : s; };
  const clusterName = (c) => (c && c !== 'none' ? h.enumL('plots', 'cluster', c) : h.T('pl_no_cluster'));
  const districtName = (c) => (c ? h.districtName(c) : '–');
  const days = (v) => (v === null || v === undefined ? '–' : h.num(v, v % 1 ? 1 : 0));
  const money = (v) => (v === null || v === undefined ? '–' : h.num(v));
  const active = rep.stages.filter((s) => s.stage !== 'dropped').reduce((a, s) => a + s.projects, 0);

  // Summary.
  $('#pl-projects').textContent = h.num(rep.projects, 0);
  $('#pl-active').textContent = h.T('pl_active', h.num(active, 0), money(rep.investment_wan));
  $('#pl-waiting').textContent = h.num(rep.waiting_projects.length, 0);
  $('#pl-overdue-n').textContent = h.T('pl_overdue_n', h.num(rep.overdue.length, 0));
  $('#pl-land-mu').textContent = `${h.num(rep.waiting_land_mu)} ${h.T('mu')}`;
  $('#pl-land-n').textContent = h.T('pl_plots_n', h.num(rep.waiting_land.length, 0), h.num(rep.waiting_plant_m2, 0), h.num(rep.waiting_plants.length, 0));
  $('#pl-confidential').textContent = h.T('pl_confidential');

  // By stage: a chart and a table.
  h.chart($('#chart-pl-stages')).setOption({
    animation: false, grid: { left: 48, right: 56, top: 30, bottom: 60 },
    legend: { top: 0, textStyle: { fontSize: 10 } },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: rep.stages.map((s) => L(s)), axisLabel: { fontSize: 10, interval: 0, width: 70, overflow: 'break' } },
    yAxis: [{ type: 'value', name: h.T('pl_th_projects'), minInterval: 1 }, { type: 'value', name: h.T('pl_th_investment') }],
    series: [
      { type: 'bar', name: h.T('pl_th_projects'), data: rep.stages.map((s) => ({ value: s.projects, itemStyle: { color: STAGE_COLORS[s.stage] || '#1f4e8c' } })),
        label: { show: true, position: 'top', fontSize: 10 } },
      { type: 'line', yAxisIndex: 1, name: h.T('pl_th_investment'), data: rep.stages.map((s) => s.investment_wan), itemStyle: { color: '#1d2733' } },
    ],
  });
  $('#pl-stages tbody').innerHTML = rep.stages.map((s) => `<tr data-stage="${h.esc(s.stage)}"><td>${h.esc(L(s))}</td>` +
    `<td class="num">${h.num(s.projects, 0)}</td><td class="num">${money(s.investment_wan)}</td></tr>`).join('') +
    `<tr class="total"><td>${h.esc(h.T('pl_total'))}</td><td class="num">${h.num(rep.projects, 0)}</td><td class="num">${money(rep.stages.reduce((a, s) => a + s.investment_wan, 0))}</td></tr>`;

  // By cluster × stage.
  const stages = rep.stages.map((s) => s.stage);
  $('#pl-clusters thead').innerHTML = `<tr><th>${h.esc(h.T('cluster'))}</th>${stages.map((s) => `<th>${h.esc(stageName(s))}</th>`).join('')}` +
    `<th>${h.esc(h.T('pl_total'))}</th><th>${h.esc(h.T('pl_th_investment_active'))}</th></tr>`;
  $('#pl-clusters tbody').innerHTML = rep.clusters.map((c) => `<tr data-cluster="${h.esc(c.cluster)}"><td>${h.esc(clusterName(c.cluster))}</td>` +
    stages.map((s) => `<td class="num">${c.by_stage[s] ? h.num(c.by_stage[s], 0) : '·'}</td>`).join('') +
    `<td class="num">${h.num(c.projects, 0)}</td><td class="num">${money(c.investment_wan)}</td></tr>`).join('');

  // Median days from signing.
  $('#pl-durations tbody').innerHTML = rep.durations.map((d) => `<tr data-to="${h.esc(d.to)}"><td>${h.esc(h.T('pl_to', L(d)))}</td>` +
    `<td class="num">${h.num(d.projects, 0)}</td><td class="num">${days(d.median_days)}</td></tr>`).join('');

  // Overdue, with the idle-land test of supplied land.
  const reason = (r) => h.T('pl_reason_' + r);
  const idle = (o) => {
    if (!o.plot_code || o.stage !== 'supplied') return '–';
    if (o.idle_test) return h.T('pl_idle_' + o.idle_test);
    return o.idle_from ? h.T('pl_idle_from', h.date(o.idle_from)) : h.T('pl_idle_no');
  };
  $('#pl-overdue tbody').innerHTML = rep.overdue.length ? rep.overdue.map((o) => `<tr data-code="${h.esc(o.code)}">` +
    `<td>${h.esc(o.code)}</td><td>${free(h, o.name)}</td><td>${h.esc(stageName(o.stage))}</td>` +
    `<td>${free(h, o.next_action)}</td><td>${o.next_action_due ? h.esc(h.date(o.next_action_due)) : '–'}</td>` +
    `<td>${o.agreed_start_date ? h.esc(h.date(o.agreed_start_date)) : '–'}</td>` +
    `<td>${h.esc(o.reasons.map(reason).join(h.lang() === 'en' ? '; ' : '；'))}</td><td class="num">${h.num(o.days_overdue, 0)}</td>` +
    `<td>${h.esc(o.plot_code || '–')}</td><td class="idle${o.idle_test ? ' is-idle' : ''}">${h.esc(idle(o))}</td>` +
    `<td>${free(h, o.leader)}<br>${free(h, o.officer)}</td></tr>`).join('')
    : `<tr><td colspan="11">${h.esc(h.T('pl_none_overdue'))}</td></tr>`;
  $('#pl-overdue-rule').textContent = h.T('pl_overdue_rule');

  // 项目等地: signed projects without land.
  const need = (w) => [w.area_mu_min != null || w.area_mu_max != null ? `${h.num(w.area_mu_min)}–${h.num(w.area_mu_max)} ${h.T('mu')}` : '',
    w.plant_area_m2 != null ? `${h.num(w.plant_area_m2, 0)} m²` : ''].filter(Boolean).join(' / ') || '–';
  $('#pl-waiting-table tbody').innerHTML = rep.waiting_projects.length ? rep.waiting_projects.map((w) => `<tr data-code="${h.esc(w.code)}">` +
    `<td>${h.esc(w.code)}</td><td>${free(h, w.name)}</td><td>${h.esc(clusterName(w.cluster))}</td><td>${free(h, w.investor)}</td>` +
    `<td class="num">${money(w.investment_wan)}</td><td>${h.esc(h.date(w.signed_on))}</td><td class="num">${h.num(w.days_waiting, 0)}</td>` +
    `<td>${h.esc(need(w))}</td><td>${h.esc(w.land_use || '–')}</td></tr>`).join('')
    : `<tr><td colspan="9">${h.esc(h.T('pl_none_waiting'))}</td></tr>`;

  // 地等项目: ready standard land with no project; 厂房等项目: free plant space.
  $('#pl-land tbody').innerHTML = rep.waiting_land.map((p) => `<tr data-code="${h.esc(p.code)}"><td>${h.esc(p.code)}</td>` +
    `<td>${h.esc(districtName(p.district))}</td><td>${h.esc(clusterName(p.cluster))}</td><td>${h.esc(p.land_use || '–')}</td>` +
    `<td class="num">${h.num(p.area_mu)}</td><td class="num">${money(p.min_investment_wan_per_mu)}</td><td class="num">${money(p.min_tax_wan_per_mu_year)}</td></tr>`).join('') +
    `<tr class="total"><td colspan="4">${h.esc(h.T('pl_total'))}</td><td class="num">${h.num(rep.waiting_land_mu)}</td><td></td><td></td></tr>`;
  $('#pl-plants tbody').innerHTML = rep.waiting_plants.map((b) => `<tr data-code="${h.esc(b.code)}"><td>${h.esc(b.code)}</td>` +
    `<td>${free(h, b.name)}</td><td>${h.esc(districtName(b.district))}</td><td>${h.esc(b.plot_code || '–')}</td><td class="num">${h.num(b.free_area_m2, 0)}</td></tr>`).join('') +
    `<tr class="total"><td colspan="4">${h.esc(h.T('pl_total'))}</td><td class="num">${h.num(rep.waiting_plant_m2, 0)}</td></tr>`;
}
