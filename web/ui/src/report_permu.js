// The per-mu evaluation report (亩均效益评价报告) on the report page: the grade distribution by
// cluster and district, the 亩 held by each grade, tax per 亩, the change against the year
// before, the firms by grade and the reclamation list (腾笼换鸟名单). The figures are the API's
// (/api/v1/reports/per-mu and /reclamation); what the public may see is the API's decision: a
// withheld cell is null here and shows "*", and the firm list and reclamation list come empty.
// report.js passes its helpers (words, number format, charts, names) as h.

const GRADES = ['A', 'B', 'C', 'D', 'ungraded'];
const COLOURS = { A: '#2e7d32', B: '#1f4e8c', C: '#e0a800', D: '#c62828', ungraded: '#9aa4ae' };
const $ = (s) => document.querySelector(s);

const gradeName = (h, g) => (g === 'ungraded' ? h.T('pm_ungraded') : g);
const count = (v) => (v === null || v === undefined ? null : Number(v));

// sums adds up each grade's count over groups; a grade with a withheld cell is null.
function sums(groups) {
  const out = {};
  for (const g of GRADES) {
    let s = 0;
    for (const gr of groups) {
      const c = count(gr.grades[g]);
      if (c === null) { s = null; break; }
      s += c;
    }
    out[g] = s;
  }
  return out;
}

const cell = (h, v, d = 0) => (v === null || v === undefined ? '*' : h.num(v, d));

function groupTable(h, sel, groups, name) {
  const head = [h.T('pm_th_group'), h.T('pm_th_firms'), ...GRADES.map((g) => gradeName(h, g)), h.T('pm_th_land'), h.T('pm_th_tax')];
  $(sel + ' thead').innerHTML = `<tr>${head.map((x) => `<th>${h.esc(x)}</th>`).join('')}</tr>`;
  $(sel + ' tbody').innerHTML = groups.map((gr) => `<tr data-group="${h.esc(gr.group)}"><td>${h.esc(name(gr.group))}</td>` +
    `<td class="num">${cell(h, gr.firms)}</td>` +
    GRADES.map((g) => `<td class="num" data-grade="${g}">${cell(h, gr.grades[g])}</td>`).join('') +
    `<td class="num">${cell(h, gr.land_mu, 2)}</td><td class="num">${gr.tax_per_mu === null && gr.firms !== null ? '–' : cell(h, gr.tax_per_mu, 2)}</td></tr>`).join('');
}

function reasonText(h, r) {
  if (/^grade D/.test(r)) return h.T('pm_reason_d');
  const m = r.match(/grade C (\d+)/);
  return m ? h.T('pm_reason_c', m[1]) : r;
}

// drawPerMu draws the per-mu sections from the per-mu report pm and the reclamation report rc.
export function drawPerMu(h, pm, rc) {
  const clusterName = (c) => (c ? h.enumL('plots', 'cluster', c) : h.T('pm_none_cluster'));
  const districtName = (c) => (c ? h.districtName(c) : h.T('pm_none_cluster'));
  const none = !pm.year;
  const notes = [];
  if (none) notes.push(h.T('pm_none'));
  else if (!pm.confidential && pm.state !== 'final') notes.push(h.T('pm_not_final'));

  // Summary: the year and its state; firms, graded firms and land (when every cell is shown).
  const total = sums(pm.by_cluster);
  const firms = pm.by_cluster.every((g) => g.firms !== null) ? pm.by_cluster.reduce((a, g) => a + g.firms, 0) : null;
  const land = pm.by_cluster.every((g) => g.land_mu !== null) ? pm.by_cluster.reduce((a, g) => a + g.land_mu, 0) : null;
  const graded = ['A', 'B', 'C', 'D'].every((g) => total[g] !== null) ? ['A', 'B', 'C', 'D'].reduce((a, g) => a + total[g], 0) : null;
  $('#pm-year').textContent = none ? '–' : String(pm.year);
  $('#pm-state').textContent = none ? '' : h.T('pm_state_' + pm.state);
  $('#pm-firms').textContent = none || !pm.by_cluster.length ? '–' : cell(h, firms);
  $('#pm-graded').textContent = graded === null || none ? '' : h.T('pm_graded', h.num(graded, 0));
  $('#pm-land').textContent = none || !pm.by_cluster.length ? '–' : land === null ? '*' : `${h.num(land)} ${h.T('mu')}`;
  let tax = 0, taxMu = 0;
  for (const f of pm.firms) if (f.tax_per_mu !== null && f.land_mu > 0) { tax += f.tax_per_mu * f.land_mu; taxMu += f.land_mu; }
  $('#pm-tax').textContent = taxMu > 0 ? h.T('pm_tax', h.num(tax / taxMu)) : '';
  $('#pm-notes').innerHTML = notes.map((n) => `<li>${h.esc(n)}</li>`).join('');

  // Grades by cluster (chart and table) and by district (table).
  const clusters = pm.by_cluster;
  h.chart($('#chart-pm-cluster')).setOption({
    animation: false, tooltip: { trigger: 'axis' }, legend: { top: 0 },
    grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: clusters.map((g) => clusterName(g.group)), axisLabel: { interval: 0, fontSize: 10, width: 90, overflow: 'break' } },
    yAxis: { type: 'value', minInterval: 1 },
    series: GRADES.map((g) => ({ type: 'bar', stack: 'n', name: gradeName(h, g), itemStyle: { color: COLOURS[g] },
      data: clusters.map((c) => count(c.grades[g])) })),
  }, true);
  groupTable(h, '#pm-cluster', clusters, clusterName);
  groupTable(h, '#pm-district', pm.by_district, districtName);
  $('#pm-star').hidden = ![...clusters, ...pm.by_district].some((g) => g.firms === null || GRADES.some((k) => g.grades[k] === null));

  // Land by grade and firms against the year before.
  const prev = pm.previous_counts || null;
  if (prev && GRADES.some((g) => prev[g] === null)) $('#pm-star').hidden = false;
  h.chart($('#chart-pm-land')).setOption({
    animation: false, tooltip: { trigger: 'axis' }, legend: { top: 0 },
    grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: GRADES.map((g) => gradeName(h, g)) },
    yAxis: [{ type: 'value', name: h.T('mu') }, { type: 'value', name: h.T('pm_th_firms'), minInterval: 1 }],
    series: [
      { type: 'bar', name: h.T('pm_th_land'), data: GRADES.map((g) => ({ value: pm.land_by_grade[g] ?? null, itemStyle: { color: COLOURS[g] } })),
        label: { show: true, position: 'top', fontSize: 10, formatter: (p) => h.num(p.value) } },
      { type: 'line', yAxisIndex: 1, name: h.T('pm_th_firms'), data: GRADES.map((g) => total[g]), itemStyle: { color: '#1d2733' } },
      ...(prev ? [{ type: 'line', yAxisIndex: 1, name: h.T('pm_th_prev'), data: GRADES.map((g) => prev[g] ?? null), lineStyle: { type: 'dashed' }, itemStyle: { color: '#8a94a0' } }] : []),
    ],
  }, true);
  $('#pm-land-table tbody').innerHTML = none ? '' : GRADES.map((g) => {
    // A count the disclosure rule withholds is null (shown as *); no year before: undefined.
    const now = total[g], before = prev ? prev[g] ?? null : undefined;
    const delta = now === null || before == null ? '–' : (now - before > 0 ? '+' : '') + h.num(now - before, 0);
    return `<tr data-grade="${g}"><td class="grade">${h.esc(gradeName(h, g))}</td><td class="num">${cell(h, pm.land_by_grade[g], 2)}</td>` +
      `<td class="num">${cell(h, now)}</td><td class="num">${before === undefined ? '–' : cell(h, before)}</td><td class="num">${delta}</td></tr>`;
  }).join('');
  let moves = '';
  if (!none && !prev) moves = h.T('pm_no_prev');
  else if (pm.changes.length) {
    const order = (g) => 'ABCD'.indexOf(g);
    let up = 0, down = 0, same = 0, fresh = 0;
    for (const c of pm.changes) {
      if (!c.grade) continue;
      if (!c.previous) fresh++;
      else if (order(c.grade) < order(c.previous)) up++;
      else if (order(c.grade) > order(c.previous)) down++;
      else same++;
    }
    moves = h.T('pm_moves', up, down, same, fresh);
  }
  $('#pm-moves').textContent = moves;

  // Firms by grade (confidential: empty for the public).
  const prevGrade = Object.fromEntries(pm.changes.map((c) => [c.credit_code, c.previous]));
  const gradeOf = (f) => f.grade || (f.exempt_reason ? h.T('pm_exempt') : f.missing && f.missing.length ? h.T('pm_missing') : '–');
  $('#pm-firms-withheld').hidden = pm.confidential;
  $('#pm-firms-table').hidden = !pm.confidential;
  $('#pm-firms-table tbody').innerHTML = pm.firms.map((f) => `<tr data-code="${h.esc(f.credit_code)}" data-grade="${h.esc(f.grade || '')}">` +
    `<td class="num">${f.rank ?? '–'}</td><td>${h.esc(f.name)}</td><td>${h.esc(clusterName(f.cluster))}</td><td>${h.esc(districtName(f.district))}</td>` +
    `<td class="num">${h.num(f.land_mu)}</td><td class="num">${h.num(f.tax_per_mu)}</td><td class="num">${h.num(f.score)}</td>` +
    `<td class="grade">${h.esc(gradeOf(f))}</td><td class="grade">${h.esc(prevGrade[f.credit_code] || '–')}</td></tr>`).join('');

  // The reclamation list (confidential).
  const open = rc.confidential;
  $('#pm-reclaim-withheld').hidden = open;
  // Its download too: for the public it would be a workbook of headers only.
  document.querySelector('a[data-report="reclamation"]').hidden = !open;
  $('#pm-reclaim-table').hidden = !open || !rc.firms.length;
  const c = (rc.rule || '').match(/grade C (\d+)/);
  $('#pm-reclaim-rule').textContent = open && rc.year ? (c ? h.T('pm_reclaim_rule', c[1]) : '') + (rc.firms.length ? '' : ' ' + h.T('pm_reclaim_none')) : '';
  $('#pm-reclaim-table tbody').innerHTML = rc.firms.map((f) => `<tr data-code="${h.esc(f.credit_code)}"><td>${h.esc(f.name)}</td>` +
    `<td>${h.esc(districtName(f.district))}</td><td class="grade">${h.esc(f.grade)}</td><td>${h.esc(reasonText(h, f.reason))}</td>` +
    `<td class="num">${h.num(f.land_mu)}</td><td>${h.esc(f.plots.map((p) => `${p.code} (${h.num(p.area_mu)}${p.idle_case ? '; ' + p.idle_case : ''})`).join(h.lang() === 'en' ? ', ' : '、'))}</td></tr>`).join('');
}
