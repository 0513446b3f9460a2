// Colouring the land map's plots by their firm's per-mu grade (亩均效益评价), for viewers who may
// see confidential figures: the plots of firms graded A, B, C or D take the grade's colour,
// plots of evaluated but ungraded firms (exempt, missing data) grey, every other plot a pale
// fill. The grades come from the latest evaluation (/api/v1/reports/per-mu names its year, then
// /api/v1/evaluations/{year}/plots maps plot codes to grades); both routes are confidential.
// Turning it off restores the plots' status colours.
import { state } from './state.js';
import { getJSON } from './api.js';

export const GRADE_COLORS = { A: '#1a9850', B: '#91cf60', C: '#fdae61', D: '#d73027', ungraded: '#9e9e9e' };
const OTHER = '#eeeeee';

let saved = null; // the plots' own fill colour while the grades are shown

// showGrades colours the plots by grade (on) or restores their status colours; it returns the
// year shown, or null.
export async function showGrades(on) {
  const map = state.map;
  if (!on) {
    if (saved) map.setPaintProperty('plots-fill', 'fill-color', saved);
    saved = null;
    state.grades = null;
    return null;
  }
  const rep = await getJSON('/api/v1/reports/per-mu');
  if (!rep.year) return null;
  const g = await getJSON(`/api/v1/evaluations/${rep.year}/plots`);
  const pairs = [];
  for (const [code, x] of Object.entries(g.plots)) pairs.push(code, GRADE_COLORS[x.grade || 'ungraded']);
  if (!saved) saved = map.getPaintProperty('plots-fill', 'fill-color');
  map.setPaintProperty('plots-fill', 'fill-color', pairs.length ? ['match', ['get', 'code'], ...pairs, OTHER] : OTHER);
  state.grades = { year: rep.year, state: g.state, plots: g.plots };
  return rep.year;
}

// INDICATOR_NAMES are the indicators' names on the firm's card.
const INDICATOR_NAMES = {
  tax_per_mu: ['亩均税收', 'Tax per mu', '万元/亩'], revenue_per_mu: ['亩均营业收入', 'Revenue per mu', '万元/亩'],
  value_added_per_mu: ['亩均增加值', 'Value added per mu', '万元/亩'], value_added_per_tce: ['单位能耗增加值', 'Value added per tce', '万元/吨标煤'],
  value_added_per_emission: ['单位排放增加值', 'Value added per t emissions', '万元/吨'], value_added_per_employee: ['全员劳动生产率', 'Value added per employee', '万元/人'],
  rd_share_pct: ['研发经费投入强度', 'R&D share of revenue', '%'], tax_per_kwh: ['单位电耗税收', 'Tax per kWh', '元/千瓦时'],
};

// firmResult reads the evaluation of the firm holding plot code (null when none holds it).
export async function firmResult(code) {
  const g = state.grades && state.grades.plots[code];
  if (!g) return null;
  const ev = await getJSON(`/api/v1/evaluations/${state.grades.year}?credit_code=${encodeURIComponent(g.credit_code)}`);
  return ev.results[0] || null;
}

// indicatorRows are the firm's scored indicators as [name, value, benchmark, weight, points].
export function indicatorRows(r, lang) {
  const num = (x) => (x == null ? '—' : Number(x).toLocaleString(lang === 'en' ? 'en' : 'zh-CN', { maximumFractionDigits: 2 }));
  return Object.entries(r.indicators).filter(([, v]) => v.weight).map(([k, v]) => {
    const [zh, en, unit] = INDICATOR_NAMES[k] || [k, k, ''];
    return [`${lang === 'en' ? en : zh} (${unit})`, num(v.value), num(v.benchmark), num(v.weight), num(v.points)];
  });
}
