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
