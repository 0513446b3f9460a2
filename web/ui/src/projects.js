// Investment projects on the land map (招商项目, issue 16), for signed-in planners and leaders
// only: a "Projects" panel at the top of the search panel lists the projects by stage (code,
// name, next action and its due date, overdue ones marked); selecting one shows what it needs,
// the stage action (POST /api/v1/projects/{code}/stage under If-Match; a refusal in words, from
// its rule code) and the sites that can take it (GET .../matches?layer=plots, or plants for a
// plant need), outlined on the map: green where every condition is met, purple dashes where
// some is not, with a legend key. Each match lists its score and every condition with the value
// and what is required, links to its site sheet and, selected, flies to it. Planners also turn
// an enquiry (招商线索) into a lead project (POST /api/v1/enquiries/{id}/project).
//
// It is part of the editing bundle (edit.js), which calls initProjects only once the viewer is
// signed in and may see confidential figures: the public page never requests a project route.
// Its map layers are its own (pj-*), on the page's plots and plants sources, added once the map
// has its layers; map.js is not changed. The enquiry list is projects_enquiries.js, the
// zone's site-ranking rule projects_ranking.js.
//
// Over 450 lines: the panel, the stage action (with its confirmation and message) and the match
// table share the one state P and the condition wording (siteText, projectText); parting them
// would pass that state between files for no reader's gain.
import './projects.css';
import { $, h } from './dom.js';
import { state, t } from './state.js';
import { getJSON, request, fetchAll } from './api.js';
import { loadMeta } from './meta.js';
import { problemText } from './problem.js';
import { sheetURL } from './enquiry.js';
import { fmt, landUseName, zoneDay } from './format.js';
import { bboxOf } from './geom.js';
import { shiftGeoJSON } from './gcj02.js';
import { enquiryList } from './projects_enquiries.js';
import { rankingBox, loadRanking, rankingLink } from './projects_ranking.js';

// STAGES in their order; the last two move no further.
const STAGES = ['lead', 'negotiating', 'signed', 'supplied', 'started', 'in_production', 'dropped'];
// MATCH_COLORS outline the matched sites: every condition met, some not.
export const MATCH_COLORS = { pass: '#16a34a', fail: '#9333ea' };

// P.msg.text is a function: a message is written in the page's language at each render.
const P = { me: null, list: [], code: null, project: null, etag: null, matches: null, counts: null, layer: null, enquiries: null, plants: null, msg: null };
const enc = encodeURIComponent;
const none = ['==', ['get', 'code'], ''];

// today is the zone's date (Asia/Shanghai), YYYY-MM-DD.
const today = () => zoneDay();
const conf = (f) => (f && f.properties && f.properties.confidential) || {};
const stageName = (s) => t('pj_stage_' + s);
// zh marks free text (names entered by planners, often Chinese) as such in the English view.
const zh = (text) => (/[\u3400-\u9fff]/.test(text || '') ? h('span', { lang: 'zh-CN' }, text) : text || '');

// projectMeta is meta with the record layers (projects) among its layers and the stages named,
// so that problemText names the field and the stages at fault in the page's language.
async function projectMeta() {
  const meta = await loadMeta();
  // The stages' names in both languages, whatever the page's language now.
  const both = (key) => { const save = state.lang; state.lang = 'zh'; const z = t(key); state.lang = 'en'; const e = t(key); state.lang = save; return { label: z, label_en: e }; };
  const labels = Object.fromEntries(STAGES.map((s) => [s, both('pj_stage_' + s)]));
  const layers = [...meta.layers, ...(meta.record_layers || [])].map((l) => (l.name !== 'projects' ? l : {
    ...l, fields: l.fields.map((f) => (f.name !== 'stage' ? f : { ...f, type: 'enum', enum: STAGES, enum_labels: labels })),
  }));
  return { ...meta, layers };
}

// initProjects starts the panel for me (the /api/v1/me answer); nothing for the public.
export async function initProjects(me) {
  if (!me || !me.signed_in || !me.sees_confidential || !$('#panel')) return;
  P.me = me;
  const box = h('section', { id: 'projects', 'aria-label': 'projects' });
  $('#panel').insertBefore(box, $('#search'));
  new MutationObserver(() => { render(); legend(); }).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  window.landinvProjects = { select: selectProject, state: P }; // for the browser tests
  await Promise.all([loadList(), P.me.can_edit ? loadEnquiries() : null, loadRanking()]);
  render();
  whenMap(() => { addLayers(); legend(); });
}

async function loadList() {
  const fc = await fetchAll('/api/v1/projects?limit=1000');
  P.list = fc.features;
}

async function loadEnquiries() {
  P.enquiries = (await getJSON('/api/v1/enquiries')).enquiries;
}

// whenMap runs fn once the map page has added its layers.
function whenMap(fn) {
  const tick = () => (state.map && state.map.getLayer('plots-hover') ? fn() : setTimeout(tick, 200));
  tick();
}

// enquiryContext is what the enquiry list (projects_enquiries.js) needs of the panel.
const enquiryContext = {
  P, conf, zh, render: () => render(), projectMeta: () => projectMeta(),
  loadList: () => loadList(), loadEnquiries: () => loadEnquiries(), selectProject: (c) => selectProject(c),
};

// rankingContext is what the ranking rule (projects_ranking.js) needs of the panel: after a
// change, the selected project's sites are ranked again.
const rankingContext = {
  P, render: () => render(), projectMeta: () => projectMeta(),
  rematch: () => { if (P.code) selectProject(P.code, true); },
};

// ------------------------------------------------------------------------------------------
// The panel

function render() {
  const box = $('#projects');
  if (!box) return;
  const open = box.querySelector('details') ? box.querySelector('details').open : true;
  const byStage = STAGES.map((s) => [s, P.list.filter((f) => conf(f).stage === s)]).filter(([, fs]) => fs.length);
  const now = today();
  const item = (f) => {
    const c = conf(f);
    const late = c.next_action_due && c.next_action_due < now && !['in_production', 'dropped'].includes(c.stage);
    return h('li', {}, h('button', { type: 'button', class: 'pj-item' + (f.id === P.code ? ' active' : '') + (late ? ' overdue' : ''), 'data-code': f.id,
      'aria-pressed': String(f.id === P.code), onclick: () => selectProject(f.id === P.code ? null : f.id) },
    h('span', { class: 'pj-code' }, f.id), ' ', h('span', { class: 'pj-name' }, zh(c.name)),
    h('small', { class: 'pj-next' }, c.next_action ? [zh(c.next_action), c.next_action_due ? ' · ' + t('pj_due', { d: c.next_action_due }) : ''] : t('pj_no_next'),
      late ? h('b', { class: 'pj-late' }, ' ' + t('pj_overdue')) : '')));
  };
  const det = h('details', { id: 'projects-box', open },
    h('summary', {}, t('pj_title'), ' ', h('small', {}, t('pj_count', { n: P.list.length }))),
    h('div', { class: 'pj-list' }, ...byStage.map(([s, fs]) => h('div', { class: 'pj-stage', 'data-stage': s },
      h('h3', {}, `${stageName(s)} (${fs.length})`), h('ul', {}, ...fs.map(item))))),
    h('div', { id: 'pj-detail' }, P.code ? detail() : ''),
    P.enquiries ? enquiryList(enquiryContext) : '',
    rankingBox(rankingContext));
  box.replaceChildren(det);
}

function detail() {
  const f = P.project;
  if (!f || f.id !== P.code) return h('p', {}, t('pj_loading'));
  const c = conf(f);
  const rows = [];
  const row = (k, v) => { if (v !== null && v !== undefined && v !== '') rows.push(h('tr', {}, h('th', {}, k), h('td', {}, v))); };
  row(t('pj_investor'), zh(c.investor_name || c.investor_code));
  row(t('pj_cluster'), c.cluster ? t.enum('plots', 'cluster', c.cluster) : '');
  row(t('pj_investment'), c.total_investment_wan != null ? t.amount(c.total_investment_wan, '万元', fmt) : '');
  if (c.area_mu_min != null || c.area_mu_max != null) {
    row(t('pj_need_land'), `${fmt(c.area_mu_min)}–${fmt(c.area_mu_max)} ${t('pj_mu')}` + (c.land_use ? ` · ${c.land_use} ${landUseName(c.land_use)}` : ''));
  }
  if (c.plant_area_m2 != null) row(t('pj_need_plant'), `${fmt(c.plant_area_m2)} m²`);
  row(t('pj_leader'), zh(c.leader));
  row(t('pj_officer'), zh(c.officer));
  row(t('pj_site'), c.plot_code || c.plant_code || '');
  return h('div', { class: 'pj-card' },
    h('h3', {}, h('span', { class: 'pj-code' }, f.id), ' ', zh(c.name), ' ', h('span', { class: 'pj-badge', 'data-stage': c.stage }, stageName(c.stage))),
    h('table', { class: 'pj-props' }, ...rows),
    P.me.can_edit ? stageForm(c) : '',
    matchList());
}

// stageForm is the stage action: the next stage by default, its date, the plot or plant it
// binds, a reason to drop, a note.
function stageForm(c) {
  if (['in_production', 'dropped'].includes(c.stage)) return h('p', { class: 'pj-note' }, t('pj_final'));
  // A signed project still without its site gets it by the same stage (signed: a plot; a lease
  // comes with supplied).
  const next = c.stage === 'signed' && !c.plot_code && !c.plant_code && siteLayer(c) === 'plots' ? 'signed' : STAGES[STAGES.indexOf(c.stage) + 1];
  const sel = h('select', { name: 'stage' }, ...STAGES.map((s) => h('option', { value: s, selected: s === next }, stageName(s))));
  const plot = h('label', { class: 'pj-plot' }, t('pj_plot_code'), h('input', { name: 'plot_code', autocomplete: 'off' }));
  const plant = h('label', { class: 'pj-plant' }, t('pj_plant_code'), h('input', { name: 'plant_code', autocomplete: 'off' }));
  const drop = h('label', { class: 'pj-drop' }, t('pj_drop_reason'), h('input', { name: 'drop_reason', autocomplete: 'off' }));
  const show = () => {
    plot.hidden = !(sel.value === 'signed' && c.plant_area_m2 == null);
    plant.hidden = !(sel.value === 'supplied' && c.plant_area_m2 != null && !c.plant_code);
    drop.hidden = sel.value !== 'dropped';
  };
  sel.addEventListener('change', show);
  const msg = h('p', { id: 'pj-stage-msg', role: 'alert', class: P.msg && P.msg.ok ? 'ok' : '' }, P.msg ? P.msg.text() : '');
  const form = h('form', { id: 'pj-stage-form', class: 'pj-form' },
    h('h4', {}, t('pj_advance')),
    h('label', {}, t('pj_to_stage'), sel),
    h('label', {}, t('pj_date'), h('input', { name: 'date', type: 'date', value: today() })),
    plot, plant, drop,
    h('label', {}, t('pj_note'), h('input', { name: 'note', autocomplete: 'off' })),
    h('button', { type: 'submit' }, t('pj_save_stage')), msg);
  show();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const el = form.elements;
    const body = { stage: el.stage.value, date: el.date.value || undefined, note: el.note.value.trim() };
    for (const k of ['plot_code', 'plant_code', 'drop_reason']) if (!el[k].closest('label').hidden && el[k].value.trim()) body[k] = el[k].value.trim();
    const site = body.plot_code || body.plant_code;
    if (site && form.dataset.confirmed !== site && confirmSite(form, body.plot_code ? 'plots' : 'plants', site)) return;
    form.querySelector('button[type=submit]').disabled = true;
    const before = conf(P.project);
    const r = await request('POST', `/api/v1/projects/${enc(P.code)}/stage`, { body, ifMatch: P.etag });
    if (r.ok) {
      const after = conf(r.data); const v = r.data.properties.version;
      P.msg = { ok: true, text: () => stageDone(before, after, body, v) };
      await loadList();
      await selectProject(P.code, true);
      if (state.hooks.search) state.hooks.search('plots', false); // a plot may have changed status
      return;
    }
    const meta = await projectMeta(); const prob = { ...(r.data || {}), status: r.status };
    P.msg = { ok: false, text: () => t('pj_refused') + problemText(meta, 'projects', prob) };
    if (r.status === 412) await selectProject(P.code, true); // someone else moved it: show theirs
    else render();
  });
  return form;
}

// stageDone says what the stage action did: the site reserved or leased when it bound one, else
// the stage reached (or, the stage unchanged, that it was recorded).
function stageDone(before, after, body, version) {
  // The project's name, entered by a planner (often Chinese), goes in as text marked with its
  // language (zh), not as part of the sentence.
  const mark = '\u0000';
  const project = `${P.code}${after.name ? ' ' + mark : ''}`;
  const named = (text) => text.split(mark).flatMap((part, i) => (i ? [zh(after.name), part] : [part]));
  if (body.plot_code && after.plot_code === body.plot_code && before.plot_code !== body.plot_code) return named(t('pj_reserved', { p: project, s: body.plot_code, v: version }));
  if (body.plant_code && after.plant_code === body.plant_code && before.plant_code !== body.plant_code) return named(t('pj_leased', { p: project, s: body.plant_code, v: version }));
  if (after.stage === before.stage) return t('pj_stage_same', { s: stageName(after.stage), v: version });
  return t('pj_stage_done', { s: stageName(after.stage), v: version });
}

// confirmSite asks before binding a matched site that fails a hard condition (its nature: area,
// land use, cluster; for a plant its space): it lists every failed condition in words, and
// "reserve anyway" submits the form again. True when it asked (the form is not sent yet).
function confirmSite(form, kind, code) {
  const m = (P.matches || []).find((x) => x.code === code);
  const failed = m ? m.conditions.filter((x) => !x.pass) : [];
  if (!failed.some((x) => HARD.includes(x.name))) return false;
  const old = form.querySelector('#pj-confirm');
  if (old) old.remove();
  const box = h('div', { id: 'pj-confirm', role: 'alertdialog', 'aria-label': t('pj_confirm_title', { s: code }) },
    h('p', {}, h('b', {}, t(kind === 'plants' ? 'pj_confirm_title_plant' : 'pj_confirm_title', { s: code }))),
    h('ul', {}, ...failed.map((x) => h('li', { 'data-name': x.name, class: HARD.includes(x.name) ? 'hard' : '' }, failedWords(x, kind)))),
    h('p', {}, t('pj_confirm_ask')),
    h('div', { class: 'pj-confirm-buttons' },
      h('button', { type: 'button', class: 'pj-confirm-yes', onclick: () => { form.dataset.confirmed = code; box.remove(); form.requestSubmit(); } },
        t(kind === 'plants' ? 'pj_confirm_yes_plant' : 'pj_confirm_yes')),
      h('button', { type: 'button', class: 'pj-confirm-no', onclick: () => box.remove() }, t('pj_confirm_no'))));
  form.querySelector('button[type=submit]').before(box);
  box.querySelector('.pj-confirm-yes').focus();
  return true;
}

// ------------------------------------------------------------------------------------------
// Matches

// siteLayer is where a project looks for a site: plants when it states a plant need and no land
// need, else plots; null when it states neither.
function siteLayer(c) {
  if (c.plant_area_m2 != null && c.area_mu_min == null && c.area_mu_max == null) return 'plants';
  if (c.area_mu_min != null || c.area_mu_max != null || c.land_use) return 'plots';
  return c.plant_area_m2 != null ? 'plants' : null;
}

const passed = (m) => m.conditions.every((x) => x.pass);

function valueText(name, v) {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'number') return fmt(v, 2);
  if (typeof v === 'object') {
    if ('min' in v || 'max' in v) {
      if (v.min != null && v.max != null) return t('pj_range', { min: fmt(v.min, 2), max: fmt(v.max, 2) });
      return v.min != null ? t('pj_at_least', { v: fmt(v.min, 2) }) : t('pj_at_most', { v: fmt(v.max, 2) });
    }
    return JSON.stringify(v);
  }
  if (name === 'cluster') return t.enum('plots', 'cluster', v);
  if (name === 'land_use') return `${v} ${landUseName(v)}`.trim();
  return String(v);
}

function requiredText(name, v) {
  if (v === null || v === undefined || v === '') return t('pj_any');
  if (typeof v === 'number') {
    if (name === 'road_distance_m') return t('pj_at_most', { v: fmt(v, 2) });
    return t('pj_at_least', { v: fmt(v, 2) });
  }
  return valueText(name, v);
}

// PRESET are a standard-land plot's preset minimums: there the plot's figure is the condition's
// required and the project's its value (committed, or derived from the total investment ÷ the
// plot's area: basis); elsewhere the site's figure is the value and the project's the required.
const PRESET = ['min_investment_wan_per_mu', 'min_tax_wan_per_mu_year', 'min_output_wan_per_mu'];

// siteText is the site's side of a condition, in words.
function siteText(x) {
  if (PRESET.includes(x.name)) return x.required == null ? t('pj_no_minimum') : t('pj_at_least', { v: fmt(x.required, 2) });
  if (x.value === null || x.value === undefined || x.value === '') return t(x.name === 'cluster' ? 'pj_no_cluster' : 'pj_not_set');
  return valueText(x.name, x.value);
}

// projectText is the project's side of a condition, in words (derived: marked so).
function projectText(x) {
  if (!PRESET.includes(x.name)) return requiredText(x.name, x.required);
  if (x.value === null || x.value === undefined) return t('pj_not_committed');
  return fmt(x.value, 2) + ' ' + t(x.basis === 'derived' ? 'pj_derived' : 'pj_committed');
}

function projectCell(x) {
  const attrs = { class: 'pj-project' };
  if (!PRESET.includes(x.name)) return h('td', attrs, projectText(x));
  if (x.value === null || x.value === undefined) return h('td', { ...attrs, 'data-missing': 'true' }, h('span', { class: 'pj-nc' }, t('pj_not_committed')));
  const derived = x.basis === 'derived';
  return h('td', { ...attrs, 'data-value': String(x.value), 'data-basis': x.basis || '' }, fmt(x.value, 2), ' ',
    h('small', { class: derived ? 'pj-derived' : 'pj-committed', title: derived ? t('pj_derived_title') : '' }, t(derived ? 'pj_derived' : 'pj_committed')));
}

// HARD conditions are the site's nature, not the project's figures: reserving a site that fails
// one asks first.
const HARD = ['area_mu', 'land_use', 'cluster', 'free_area_m2', 'floor_load_kn_m2', 'floor_height_m', 'crane_capacity_t'];

// failedWords says a failed condition in words: its name, the site's side and the project's.
const failedWords = (x, kind) => `${t('pj_c_' + x.name)}: ${t(kind === 'plants' ? 'pj_col_plant' : 'pj_col_plot')} ${siteText(x)}; ${t('pj_col_project')} ${projectText(x)}`;

function matchList() {
  if (!P.layer) return h('p', { class: 'pj-note' }, t('pj_no_need'));
  if (!P.matches) return h('p', {}, t('pj_loading'));
  const kind = P.layer;
  const items = P.matches.map((m) => {
    const ok = passed(m);
    const failed = m.conditions.filter((x) => !x.pass).length;
    return h('li', { 'data-code': m.code, class: ok ? 'pass' : 'fail' },
      h('div', { class: 'pj-match-head' },
        h('button', { type: 'button', class: 'pj-fly', onclick: () => flyTo(kind, m.code) }, h('b', {}, m.code)),
        h('span', { class: 'pj-score' }, t('pj_score', { s: fmt(m.score, 2) })),
        h('span', { class: 'pj-verdict' }, ok ? t('pj_all_pass') : t('pj_some_fail', { n: failed })),
        chooseButton(kind, m.code),
        h('a', { class: 'pj-sheet', href: sheetURL(kind, m.code), target: '_blank', rel: 'noopener' }, t('pj_sheet'))),
      h('table', { class: 'pj-conds' },
        h('tr', {}, h('th', {}, t('pj_condition')), h('th', {}, t('pj_pass')),
          h('th', {}, t(kind === 'plants' ? 'pj_col_plant' : 'pj_col_plot')), h('th', {}, t('pj_col_project'))),
        ...m.conditions.map((x) => h('tr', { class: x.pass ? 'pass' : 'fail', 'data-name': x.name },
          h('td', {}, t('pj_c_' + x.name)), h('td', {}, x.pass ? '✓ ' + t('pj_yes') : '✗ ' + t('pj_no')),
          h('td', { class: 'pj-site' }, siteText(x)), projectCell(x)))));
  });
  const derived = P.matches.some((m) => m.conditions.some((x) => x.basis === 'derived'));
  return h('div', { id: 'pj-matches', 'data-layer': kind },
    h('h4', {}, `${t(kind === 'plants' ? 'pj_matches_plants' : 'pj_matches_plots')} (${P.matches.length})`),
    P.counts && P.matches.length ? h('p', { class: 'pj-count' }, t(kind === 'plants' ? 'pj_count_plants' : 'pj_count_plots',
      { c: P.counts.candidates, p: P.counts.passing, n: P.matches.length })) : '',
    rankingLink(),
    P.matches.length && !P.matches.some(passed) ? h('p', { class: 'pj-none-pass', role: 'status' }, t('pj_none_pass')) : '',
    derived ? h('p', { class: 'pj-note' }, t('pj_derived_note')) : '',
    P.matches.length ? h('ol', {}, ...items) : h('p', {}, t('pj_no_matches')));
}

// reveal scrolls the search panel (not the page: the header and map stay put) to bring el to
// its top.
function reveal(el) {
  const panel = $('#panel');
  if (!el || !panel) return;
  const top = el.getBoundingClientRect().top - panel.getBoundingClientRect().top;
  if (Math.abs(top - 8) > 4) panel.scrollTop += top - 8;
}

// chooseButton fills the stage action with a matched site, where the project can take one now:
// a plot at signing (reserved), a plant when leased (supplied).
function chooseButton(kind, code) {
  const c = conf(P.project);
  if (!P.me.can_edit || c.plot_code || c.plant_code) return '';
  const stage = kind === 'plots' && ['negotiating', 'signed'].includes(c.stage) ? 'signed' : kind === 'plants' && c.stage === 'signed' ? 'supplied' : '';
  if (!stage) return '';
  return h('button', { type: 'button', class: 'pj-choose', onclick: () => {
    const form = $('#pj-stage-form');
    if (!form) return;
    form.elements.stage.value = stage;
    form.elements.stage.dispatchEvent(new Event('change'));
    form.elements[kind === 'plots' ? 'plot_code' : 'plant_code'].value = code;
    delete form.dataset.confirmed;
    const asked = form.querySelector('#pj-confirm');
    if (asked) asked.remove();
    reveal(form);
  } }, t(kind === 'plots' ? 'pj_choose_plot' : 'pj_choose_plant'));
}

// selectProject selects a project (null: none), reads it with its ETag and its matches, and
// shows them on the map. keepMsg keeps the stage action's message.
export async function selectProject(code, keepMsg = false) {
  if (!keepMsg) P.msg = null;
  P.code = code;
  P.project = null; P.matches = null; P.counts = null; P.layer = null;
  showMatches();
  render();
  if (!code) return;
  const r = await request('GET', `/api/v1/projects/${enc(code)}`);
  if (P.code !== code) return;
  if (!r.ok) {
    const meta = await projectMeta(); const prob = { ...(r.data || {}), status: r.status };
    P.msg = { ok: false, text: () => t('pj_refused') + problemText(meta, 'projects', prob) }; render(); return;
  }
  P.project = r.data; P.etag = r.etag;
  P.layer = siteLayer(conf(r.data));
  render();
  if (!P.layer) return;
  try {
    const m = await getJSON(`/api/v1/projects/${enc(code)}/matches?layer=${P.layer}`);
    if (P.code !== code) return;
    P.matches = m.matches;
    P.counts = { candidates: m.candidates, passing: m.passing };
  } catch (e) {
    P.matches = [];
    P.counts = null;
    P.msg = { ok: false, text: () => t('pj_refused') + e.message };
  }
  render();
  showMatches();
  if (!keepMsg) reveal($('#pj-detail'));
  await fitMatches();
}

// ------------------------------------------------------------------------------------------
// Map

function addLayers() {
  const map = state.map;
  if (!map || map.getLayer('pj-plots-pass')) return;
  const plots = state.plotsMode === 'tiles' ? { source: 'plots', 'source-layer': 'plots' } : { source: 'plots' };
  const width = ['interpolate', ['linear'], ['zoom'], 11, 2.5, 15, 6];
  const pass = { 'line-color': MATCH_COLORS.pass, 'line-width': width };
  const fail = { 'line-color': MATCH_COLORS.fail, 'line-width': width, 'line-dasharray': [1.5, 1] };
  const below = 'plots-hover'; // under the hover and selection outlines and the labels
  // A veil over the other layers while matches are shown, so that the matched sites stand out.
  map.addLayer({ id: 'pj-veil', type: 'background', layout: { visibility: 'none' }, paint: { 'background-color': '#ffffff', 'background-opacity': 0.6 } }, below);
  for (const [kind, src] of [['plots', plots], ['plants', { source: 'plants' }]]) {
    map.addLayer({ id: `pj-${kind}-pass-fill`, type: 'fill', ...src, filter: none, paint: { 'fill-color': MATCH_COLORS.pass, 'fill-opacity': 0.55 } }, below);
    map.addLayer({ id: `pj-${kind}-fail-fill`, type: 'fill', ...src, filter: none, paint: { 'fill-color': MATCH_COLORS.fail, 'fill-opacity': 0.3 } }, below);
    map.addLayer({ id: `pj-${kind}-pass`, type: 'line', ...src, filter: none, paint: pass }, below);
    map.addLayer({ id: `pj-${kind}-fail`, type: 'line', ...src, filter: none, paint: fail }, below);
  }
  showMatches();
}

// showMatches outlines the selected project's matches (none when no project is selected).
function showMatches() {
  const map = state.map;
  if (!map || !map.getLayer('pj-plots-pass')) return;
  const ms = P.matches || [];
  const codes = (ok) => ['in', ['get', 'code'], ['literal', ms.filter((m) => passed(m) === ok).map((m) => m.code)]];
  for (const kind of ['plots', 'plants']) {
    const on = P.layer === kind && ms.length;
    for (const id of [`pj-${kind}-pass`, `pj-${kind}-pass-fill`]) map.setFilter(id, on ? codes(true) : none);
    for (const id of [`pj-${kind}-fail`, `pj-${kind}-fail-fill`]) map.setFilter(id, on ? codes(false) : none);
  }
  map.setLayoutProperty('pj-veil', 'visibility', ms.length ? 'visible' : 'none');
  legend();
}

// geometries returns the drawn geometries of sites of a layer by code.
async function geometries(kind, codes) {
  const want = new Set(codes);
  let fc = kind === 'plots' ? state.allPlots : P.plants;
  if (!fc) {
    fc = await fetchAll(`/api/v1/${kind}?limit=10000`);
    if (state.gcj) fc = shiftGeoJSON(fc);
    if (kind === 'plants') P.plants = fc;
  }
  return fc.features.filter((f) => want.has(f.id)).map((f) => f.geometry);
}

function fitBox(gs, maxZoom) {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  for (const g of gs) {
    const fb = bboxOf(g);
    b[0] = Math.min(b[0], fb[0]); b[1] = Math.min(b[1], fb[1]); b[2] = Math.max(b[2], fb[2]); b[3] = Math.max(b[3], fb[3]);
  }
  if (!Number.isFinite(b[0]) || !state.map) return;
  const el = state.map.getContainer();
  const pad = Math.max(10, Math.min(40, el.clientWidth / 10, el.clientHeight / 10));
  state.map.resize();
  state.map.fitBounds(b, { padding: pad, maxZoom, duration: 0 });
}

async function fitMatches() {
  if (!P.matches || !P.matches.length) return;
  fitBox(await geometries(P.layer, P.matches.map((m) => m.code)), 16);
}

// flyTo selects a matched site: the map flies to it and the details panel shows it.
async function flyTo(kind, code) {
  fitBox(await geometries(kind, [code]), 17);
  if (state.hooks.showDetails) state.hooks.showDetails(kind, code).catch(() => {});
}

// legend adds the matches' key under the map's legend while a project's matches are shown.
function legend() {
  const box = $('#legend-box');
  if (!box) return;
  let el = $('#legend-projects');
  if (!el) { el = h('div', { id: 'legend-projects', class: 'legend-group' }); box.querySelector('summary').after(el); } // first: it is what the map shows now
  const on = P.matches && P.matches.length;
  el.hidden = !on;
  if (!on) { el.replaceChildren(); return; }
  const key = (style, text) => h('li', {}, h('span', { class: 'swatch', style }), h('span', {}, text));
  el.replaceChildren(h('span', { class: 'legend-title' }, `${t('pj_legend')} · ${P.code}`),
    h('ul', {}, key(`background:${MATCH_COLORS.pass}8c;border:3px solid ${MATCH_COLORS.pass}`, t('pj_legend_pass')),
      key(`background:${MATCH_COLORS.fail}4d;border:3px dashed ${MATCH_COLORS.fail}`, t('pj_legend_fail'))));
}
