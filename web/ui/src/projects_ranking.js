// The zone's site-ranking rule under the projects panel (选址排序规则, issues 15 and 16): the
// weight of every matching condition, plots and buildings apart, as in force now (GET
// /api/v1/projects/ranking: version, who changed it and when), each beside its default. Planners
// change them and save (PUT under If-Match: a stale version reloads the rule and says so), or put
// the defaults back in the form; the selected project's matches are then ranked again. Leaders
// read it. Only the ratios of the weights matter; 0 leaves a condition out of the score (it still
// decides "every condition met").
import { h } from './dom.js';
import { t } from './state.js';
import { request } from './api.js';
import { problemText } from './problem.js';
import { fmt, zoneDay } from './format.js';

// The conditions in the order the API reports them (inventory.PlotMatchConditions,
// PlantMatchConditions).
const PLOTS = ['area_mu', 'land_use', 'cluster', 'min_investment_wan_per_mu', 'min_tax_wan_per_mu_year', 'min_output_wan_per_mu', 'road_distance_m'];
const PLANTS = ['free_area_m2', 'floor_load_kn_m2', 'floor_height_m', 'crane_capacity_t'];
const MAX = 1000; // inventory.MaxMatchWeight

// R.msg.text is a function: the message is written in the page's language at each render.
// R.draft holds what the planner typed (by condition), kept across renders until it is saved.
const R = { rule: null, etag: null, msg: null, open: false, busy: false, draft: {} };

// rankingLink is the line above a project's matches: which version of the rule ranks them, and
// a button that opens the rule (it sits at the bottom of the panel, below the matches).
export function rankingLink() {
  if (!R.rule) return '';
  return h('p', { class: 'pj-rank-link' }, t('pj_rank_ranked_by', { v: R.rule.version }), ' ',
    h('button', { type: 'button', onclick: () => {
      const box = document.getElementById('ranking-box');
      if (!box) return;
      box.open = true; R.open = true;
      box.scrollIntoView({ block: 'start' });
    } }, t('pj_rank_open')));
}

// loadRanking reads the rule in force.
export async function loadRanking() {
  const r = await request('GET', '/api/v1/projects/ranking');
  if (r.ok) { R.rule = r.data; R.etag = r.etag; } else R.msg = { ok: false, text: () => t('pj_refused') + problemText(null, 'projects', { ...(r.data || {}), status: r.status }) };
}

// rankingBox is the folded rule; ctx gives the panel's state and actions (projects.js): P.me
// (who may change it), render, projectMeta, and rematch (ranks the selected project's sites
// again).
export function rankingBox(ctx) {
  const rule = R.rule;
  const canEdit = !!(ctx.P.me && ctx.P.me.can_edit);
  const title = [t('pj_rank_title'), ' ', rule ? h('small', {}, rule.version === 0 ? t('pj_rank_default_rule') : t('pj_rank_version', { v: rule.version })) : ''];
  const box = h('details', { id: 'ranking-box', open: R.open || undefined }, h('summary', {}, ...title));
  box.addEventListener('toggle', () => { R.open = box.open; });
  if (!rule) { box.append(h('p', {}, R.msg ? R.msg.text() : t('pj_loading'))); return box; }
  const input = (name) => h('input', {
    type: 'number', name, min: '0', max: String(MAX), step: 'any', inputmode: 'decimal',
    value: name in R.draft ? R.draft[name] : String(rule.weights[name]),
    readonly: !canEdit || undefined, 'aria-label': t('pj_c_' + name),
    oninput: (ev) => { R.draft[name] = ev.target.value; if (R.msg) { R.msg = null; out.textContent = ''; } },
  });
  // The conditions the selected project asks nothing of (required null in its matches): their
  // weight does not change its ranking.
  const m = ctx.P.matches && ctx.P.matches[0];
  const unasked = new Set(m ? m.conditions.filter((x) => x.required === null || x.required === undefined).map((x) => x.name) : []);
  const group = (label, names) => h('fieldset', { class: 'pj-rank-group' }, h('legend', {}, label),
    h('div', { class: 'pj-rank-row pj-rank-head', 'aria-hidden': 'true' }, h('span', {}, t('pj_condition')), h('span', {}, t('pj_rank_weight')), h('span', {}, t('pj_rank_default_col'))),
    ...names.map((n) => h('label', { class: 'pj-rank-row' + (rule.weights[n] !== rule.defaults[n] ? ' changed' : ''), 'data-name': n },
      h('span', { class: 'pj-rank-name' }, t('pj_c_' + n),
        unasked.has(n) ? h('small', { class: 'pj-rank-unasked' }, t('pj_rank_unasked', { p: ctx.P.code })) : ''),
      input(n),
      h('small', { class: 'pj-rank-default' }, fmt(rule.defaults[n], 2)))));
  const out = h('p', { class: 'pj-rank-msg', role: 'status' }, R.msg ? R.msg.text() : '');
  if (R.msg && !R.msg.ok) out.classList.add('err');
  const asDefault = Object.keys(rule.defaults).every((n) => rule.weights[n] === rule.defaults[n]);
  const since = rule.version === 0 ? t('pj_rank_is_default')
    : t('pj_rank_changed', { by: rule.changed_by || '—', d: zoneDay(new Date(rule.valid_from)) }) + (asDefault ? t('pj_rank_as_default') : '');
  const form = h('form', { class: 'pj-rank', novalidate: true },
    h('p', { class: 'pj-note' }, t('pj_rank_note')), h('p', { class: 'pj-rank-since' }, since),
    canEdit ? '' : h('p', { class: 'pj-note pj-rank-readonly' }, t('pj_rank_readonly')),
    group(t('pj_rank_plots'), PLOTS), group(t('pj_rank_plants'), PLANTS),
    canEdit ? h('div', { class: 'pj-rank-actions' },
      h('button', { type: 'submit', disabled: R.busy || undefined }, t('pj_rank_save')),
      h('button', { type: 'button', class: 'pj-rank-reset', onclick: () => {
        for (const n of [...PLOTS, ...PLANTS]) { form.elements[n].value = String(rule.defaults[n]); R.draft[n] = form.elements[n].value; }
        out.textContent = t('pj_rank_reset_note'); out.classList.remove('err');
      } }, t('pj_rank_reset'))) : '',
    out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const weights = {};
    for (const n of [...PLOTS, ...PLANTS]) {
      const v = form.elements[n].value.trim();
      const w = Number(v);
      if (v === '' || !Number.isFinite(w) || w < 0 || w > MAX) {
        R.msg = { ok: false, text: () => t('pj_rank_bad', { name: t('pj_c_' + n), max: fmt(MAX, 0) }) };
        out.textContent = R.msg.text(); out.classList.add('err');
        form.elements[n].focus();
        return;
      }
      weights[n] = w;
    }
    if (R.busy) return;
    R.busy = true;
    form.querySelector('button[type=submit]').disabled = true; // one PUT at a time
    const r = await request('PUT', '/api/v1/projects/ranking', { body: { weights }, ifMatch: R.etag });
    R.busy = false;
    if (r.ok) {
      R.rule = r.data; R.etag = r.etag; R.draft = {};
      const v = r.data.version;
      R.msg = { ok: true, text: () => t('pj_rank_saved', { v }) };
      ctx.render();
      ctx.rematch();
      return;
    }
    // Someone else's rule came first: show it, keeping what this planner typed over it, to check
    // and save again.
    if (r.status === 412) await loadRanking();
    const meta = await ctx.projectMeta();
    const prob = { ...(r.data || {}), status: r.status };
    R.msg = { ok: false, text: () => t('pj_refused') + (prob.status === 412 ? t('pj_rank_stale')
      : problemText(meta, 'projects', prob, { weights: t('pj_rank_title') })) };
    ctx.render();
  });
  box.append(form);
  return box;
}
