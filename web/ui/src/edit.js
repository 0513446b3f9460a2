// Over 450 lines for a reason: the editing panel's views (form, boundary, drawing, history,
// restore, archive, import) share its state and its refresh after a write; the map layers,
// problem texts and history rows are already in edit_map.js, problem.js and history.js.
//
// Editing on the land map, for planners: signed in by the session (the /signin page), edit a feature's
// properties in a form of labelled choices, move a plot's vertices or draw a new plot (vertices
// snap to the corners of neighbouring plots within 8 px, so no slivers are left between them),
// browse and restore its history, archive it, and import a file with a dry-run report.
//
// Problems from the API are written in the page's language from their rule code (problem.js),
// beside the field at fault and scrolled into view; an overlap highlights and names the other
// plot, a geometry problem's location is marked. After every save, restore or archive the list,
// the card and the map show the new version (afterWrite). The panel takes the card's place, so
// it never covers the feature being edited, and the map fits the feature beside it.
//
// It is a separate bundle (assets/edit.js) that imports the map page's shared state, the API
// client and meta; esbuild puts those modules into chunks that both bundles load, so they are the
// same objects. It bundles no MapLibre: vertices and problem marks are GeoJSON layers on the
// page's map, and what it asks of the page (search, details, loading layers) goes through
// state.hooks. The page never asks for a token: "sign in" is a link to /signin.
import './edit.css';
import { $, h } from './dom.js';
import { state } from './state.js';
import { request as api, whoAmI, signInHref, signOut as endSession, withZone } from './api.js';
import { loadMeta, layerOf, enumName } from './meta.js';
import { districts, label, landUseName } from './format.js';
import { bboxOf } from './geom.js';
import { problemText, conflictCodes } from './problem.js';
import { versionItem, restoreDiff } from './history.js';
import { startVertexEditing, stopVertices, drawRing, ensurePreview, highlightConflicts, markProblem, clearProblems } from './edit_map.js';
import { showGrades, GRADE_COLORS, firmResult, indicatorRows } from './grades.js';
import { initProjects } from './projects.js';

const tr = (z, e) => (state.lang === 'en' ? e : z);
const narrow = () => window.matchMedia('(max-width: 700px)').matches;
const enc = encodeURIComponent;

const ed = { me: null, view: null, dirty: false };

async function signOut() {
  await endSession();
  ed.me = null;
  location.reload(); // the map drops what only a signed-in user sees
}

// ------------------------------------------------------------------------------------------
// Panel: in the card's place (the card is hidden while the panel is open)

function panel() {
  let p = $('#edit-panel');
  if (!p) {
    p = h('section', { id: 'edit-panel', 'aria-label': 'editing' });
    ($('#mapwrap') || document.body).append(p);
  }
  return p;
}

function setOpen(open) {
  // On a phone the legend folds away while editing: the map is small.
  const legend = $('#legend-box');
  if (open && legend && narrow()) legend.open = false;
  panel().hidden = !open;
  document.body.classList.toggle('editing', open);
  if (!open) { stopEditing(); clearProblems(); ed.view = null; ed.dirty = false; }
  render();
  if (open) fitSelected();
}

function render() {
  const p = panel();
  toggle();
  if (p.hidden || !ed.me) { p.replaceChildren(); return; }
  const sel = selected();
  ed.shown = sel ? sel.kind + '/' + sel.code : '';
  const can = ed.me.can_edit;
  const kindName = sel ? { plots: tr('地块', 'Plot'), plants: tr('厂房', 'Building'), 'idle-sites': tr('闲置用地', 'Idle site') }[sel.kind] || '' : '';
  p.replaceChildren(
    h('header', {}, h('h2', {}, sel ? `${tr('编辑', 'Editing')} · ${kindName} ${sel.code}` : tr('编辑', 'Editing')),
      h('button', { type: 'button', id: 'signout', onclick: signOut }, tr('退出', 'Sign out')),
      h('button', { type: 'button', id: 'edit-close', 'aria-label': tr('关闭', 'Close'), onclick: () => setOpen(false) }, '×')),
    h('p', { class: 'edit-who' }, `${ed.me.name} · ${roleName(ed.me.role)}`,
      ed.me.via === 'session' ? [' · ', h('a', { id: 'my-tokens', href: `/signin?${new URLSearchParams({ ...(state.lang === 'en' ? { lang: 'en' } : {}), next: location.pathname + location.search })}#tokens` }, tr('GIS 客户端令牌', 'Tokens for GIS clients'))] : ''),
    !can ? h('p', {}, tr('您可以查看全部信息；只有规划人员可以编辑。', 'You can read everything; only planners and admins edit.')) : '',
    h('div', { class: 'edit-actions' },
      h('button', { type: 'button', id: 'edit-props', disabled: !sel || !can, onclick: () => show(openForm, sel) }, tr('编辑属性', 'Edit properties')),
      h('button', { type: 'button', id: 'edit-vertices', disabled: !sel || sel.kind !== 'plots' || !can, onclick: () => show(editVertices, sel) }, tr('编辑边界', 'Edit boundary')),
      h('button', { type: 'button', id: 'draw-plot', disabled: !can, onclick: () => show(drawPlot) }, tr('绘制新地块', 'Draw a plot')),
      h('button', { type: 'button', id: 'show-history', disabled: !sel, onclick: () => show(showHistory, sel) }, tr('修改历史', 'History')),
      h('button', { type: 'button', id: 'archive', disabled: !sel || !can, onclick: () => show(archiveForm, sel) }, tr('归档', 'Archive')),
      h('button', { type: 'button', id: 'show-import', disabled: !can, onclick: () => show(importForm) }, tr('导入', 'Import'))),
    sel ? '' : h('p', { class: 'edit-hint' }, tr('在地图上选择一个要素。', 'Select a feature on the map.')),
    ed.me && ed.me.sees_confidential ? gradeControl() : '',
    h('div', { id: 'edit-body' }));
  if (ed.view) ed.view.fn(...ed.view.args);
}

// show opens a view of the panel (and remembers it: a language switch draws it again).
function show(fn, ...args) {
  stopEditing();
  clearProblems();
  ed.view = { fn, args };
  ed.dirty = false;
  return fn(...args);
}

// toggle is the top bar's control: a link to the sign-in page (coming back here) for the
// public, the user's name and role, opening the editing panel, once signed in.
function toggle() {
  const old = $('#edit-toggle');
  if (!old) return;
  const text = ed.me ? `${ed.me.name} (${roleName(ed.me.role)})` : tr('登录', 'Sign in');
  // The role in a span of its own, which a phone's top bar leaves out (style.css): the name
  // whole rather than name and role cut short; the title and the editing panel (edit-who) name both.
  const el = ed.me
    ? h('button', { type: 'button', id: 'edit-toggle', title: text, onclick: () => setOpen(panel().hidden) },
      ed.me.name, h('span', { class: 'role' }, ` (${roleName(ed.me.role)})`))
    : h('a', { id: 'edit-toggle', class: 'signin-link', href: signInHref(state.lang), onclick: (e) => { e.currentTarget.href = signInHref(state.lang); } }, text);
  old.replaceWith(el);
}

const roleName = (r) => ({ viewer: tr('访客', 'viewer'), leader: tr('领导', 'leader'), planner: tr('规划人员', 'planner'), admin: tr('管理员', 'admin') })[r] || r;
// gradeControl switches the plots' colouring to the per-mu grades (grades.js) and back, with
// the grades' legend; for viewers who may see confidential figures only.
function gradeControl() {
  const box = h('div', { id: 'grade-box' });
  const legend = () => (state.grades
    ? h('p', { id: 'grade-legend' }, `${state.grades.year} (${state.grades.state}): `,
      ...Object.entries(GRADE_COLORS).map(([g, c]) => h('span', { class: 'grade-swatch', style: `background:${c}` }, g === 'ungraded' ? tr('未分类', 'ungraded') : g)))
    : '');
  const btn = h('button', { type: 'button', id: 'grade-colours', 'aria-pressed': String(!!state.grades), onclick: async () => {
    btn.disabled = true;
    try {
      const on = !state.grades;
      const year = await showGrades(on);
      if (on && year === null) box.append(h('p', { class: 'edit-error' }, tr('尚无亩均评价。', 'No per-mu evaluation yet.')));
    } catch (e) {
      box.append(h('p', { class: 'edit-error', role: 'alert' }, e.message));
    }
    btn.disabled = false;
    btn.setAttribute('aria-pressed', String(!!state.grades));
    box.querySelector('#grade-legend')?.remove();
    box.append(legend());
  } }, tr('按亩均等级着色', 'Colour by per-mu grade'));
  box.append(btn, legend(), firmCard());
  return box;
}

// firmCard shows, while the grades are shown, the selected plot's firm: its indicators against
// the benchmarks, its score, rank and grade (or why it has none).
function firmCard() {
  const sel = selected();
  if (!state.grades || !sel || sel.kind !== 'plots' || !state.grades.plots[sel.code]) return '';
  const card = h('div', { id: 'grade-card' }, tr('读取中…', 'Loading…'));
  firmResult(sel.code).then((r) => {
    if (!r) { card.replaceChildren(); return; }
    const head = h('tr', {}, ...[tr('指标', 'Indicator'), tr('数值', 'Value'), tr('基准值', 'Benchmark'), tr('权重', 'Weight'), tr('得分', 'Points')].map((x) => h('th', {}, x)));
    const rows = indicatorRows(r, state.lang).map((cells) => h('tr', {}, ...cells.map((c) => h('td', {}, c))));
    const why = r.grade ? '' : r.exempt_reason ? tr('免评：', 'Exempt: ') + r.exempt_reason : tr('缺失数据：', 'Missing: ') + (r.missing || []).join(', ');
    card.replaceChildren(
      h('h3', {}, r.name, ' ', h('span', { class: 'grade-swatch', style: `background:${GRADE_COLORS[r.grade || 'ungraded']}` }, r.grade || '—')),
      h('p', {}, `${tr('用地', 'Land')} ${r.land_mu.toFixed(2)} ${tr('亩', 'mu')} · ${tr('得分', 'Score')} ${r.score ?? '—'} · ${tr('排名', 'Rank')} ${r.rank ?? '—'}`, why ? ` · ${why}` : ''),
      h('table', { class: 'grade-table' }, head, ...rows));
  }).catch((e) => card.replaceChildren(h('p', { class: 'edit-error', role: 'alert' }, e.message)));
  return card;
}

function selected() {
  const s = state.selected;
  return s && s.code ? { kind: s.kind, code: s.code } : null;
}

// fitSelected fits the map to the selected feature, clear of the panel.
function fitSelected(geometry) {
  const g = geometry || (state.selected && state.selected.feature && state.selected.feature.geometry);
  if (g && state.map) fitGeometry(g);
}

// fitGeometry fits the map to a geometry, clear of the panel (beside it on a wide screen, above
// it on a phone) and of the legend.
export function fitGeometry(g) {
  const map = state.map;
  const wrap = ($('#mapwrap') || document.body).getBoundingClientRect();
  const pr = panel().hidden ? null : panel().getBoundingClientRect();
  const pad = { top: 40, bottom: 40, left: 40, right: 40 };
  if (pr && wrap.width > 700) pad.right = Math.min(pr.width + 70, wrap.width * 0.6);
  if (pr && wrap.width <= 700) pad.bottom = Math.min(wrap.bottom - pr.top + 20, wrap.height * 0.6);
  const legend = $('#legend-box');
  if (legend && legend.open && wrap.width > 700) pad.left = Math.min(legend.getBoundingClientRect().width + 40, wrap.width / 4);
  if (legend && legend.open && wrap.width <= 700) pad.top = Math.min(legend.getBoundingClientRect().bottom - wrap.top + 20, wrap.height * 0.3);
  const b = bboxOf(g);
  if (!Number.isFinite(b[0])) return;
  map.fitBounds(b, { padding: pad, maxZoom: 17, duration: 0 });
}

// ------------------------------------------------------------------------------------------
// Problems where they were made

async function showProblem(form, prob, layer) {
  for (const el of form.querySelectorAll('.field-error')) el.remove();
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  clearProblems();
  const box = $('.edit-error', form) || form.prepend(h('p', { class: 'edit-error', role: 'alert' })) || $('.edit-error', form);
  box.textContent = '';
  box.classList.remove('ok');
  if (!prob) return;
  const meta = await loadMeta();
  const text = problemText(meta, layer, prob);
  const name = (prob.field || '').replace(/^confidential\./, '');
  const input = name && form.elements[name];
  let at = box;
  if (input && input.type !== 'hidden') {
    input.setAttribute('aria-invalid', 'true');
    at = h('span', { class: 'field-error', role: 'alert' }, text);
    input.after(at);
    input.focus({ preventScroll: true });
  } else {
    box.textContent = text;
  }
  at.scrollIntoView({ block: 'center', behavior: 'instant' });
  const others = conflictCodes(prob);
  if (others.length) highlightConflicts(others);
  const loc = (prob.params && prob.params.location) || prob.location;
  if (Array.isArray(loc)) markProblem(loc);
}

function said(form, text) {
  const box = $('.edit-error', form) || form.prepend(h('p', { class: 'edit-error', role: 'status' })) || $('.edit-error', form);
  box.textContent = text;
  box.classList.add('ok');
}

const savedText = (r) => (r.unchanged
  ? tr(`没有修改，未生成新版本（仍为版本 ${r.data.properties.version}）`, `Nothing changed; no new version (still version ${r.data.properties.version})`)
  : tr(`已保存：版本 ${r.data.properties.version}`, `Saved: version ${r.data.properties.version}`));

// ------------------------------------------------------------------------------------------
// Property form: every enum a labelled choice, district by name, land use by code and name

function inputFor(layer, f, value) {
  const v = value ?? '';
  const opt = (val, text) => h('option', { value: val, selected: String(val) === String(v) }, text);
  if (f.type === 'enum') {
    return h('select', { name: f.name }, opt('', '—'), ...f.enum.map((x) => opt(x, enumName(state.meta, state.lang, layer, f.name, x))));
  }
  if (f.name === 'district' && districts().length) {
    return h('select', { name: f.name }, opt('', tr('（按边界自动判定）', '(from the boundary)')), ...districts().map((d) => opt(d.id, label(d.properties))));
  }
  if (f.name === 'land_use' && state.landUses.length) {
    const hint = h('small', { class: 'lu-name' }, landUseName(v));
    const input = h('input', { name: f.name, value: v, list: 'land-use-list', autocomplete: 'off', placeholder: tr('输入代码或名称', 'Type a code or name'),
      oninput: (e) => { hint.textContent = landUseName(e.target.value); } });
    const list = h('datalist', { id: 'land-use-list' }, ...state.landUses.map((l) => h('option', { value: l.code }, `${l.code} ${state.lang === 'en' ? l.name_en : l.name}`)));
    return h('span', { class: 'lu' }, input, hint, list);
  }
  if (f.type === 'boolean') return h('input', { type: 'checkbox', name: f.name, checked: v === true });
  if (f.type === 'json') return h('textarea', { name: f.name, rows: 2 }, v === '' ? '' : JSON.stringify(v));
  const type = f.type === 'number' || f.type === 'integer' ? 'number' : f.type === 'date' ? 'date' : 'text';
  return h('input', { type, name: f.name, value: v, step: f.type === 'number' ? 'any' : undefined });
}

function readForm(form, fields, original) {
  const props = {};
  const conf = {};
  for (const f of fields) {
    const el = form.elements[f.name];
    if (!el) continue;
    let v;
    if (f.type === 'boolean') v = el.checked;
    else if (el.value === '') v = null;
    else if (f.type === 'number' || f.type === 'integer') v = Number(el.value);
    else if (f.type === 'json') { try { v = JSON.parse(el.value); } catch { v = el.value; } }
    else v = el.value;
    const before = original ? (f.confidential ? (original.confidential || {})[f.name] : original[f.name]) : undefined;
    if (original && JSON.stringify(before ?? null) === JSON.stringify(v ?? null)) continue;
    if (!original && v === null) continue;
    (f.confidential ? conf : props)[f.name] = v;
  }
  if (Object.keys(conf).length) props.confidential = conf;
  return props;
}

async function openForm(sel, geometry) {
  const body = $('#edit-body');
  const meta = await loadMeta();
  const layer = layerOf(meta, sel ? sel.kind : 'plots');
  let feature = null;
  let etag = null;
  if (sel && sel.code) {
    const r = await api('GET', `/api/v1/${sel.kind}/${enc(sel.code)}`);
    if (!r.ok) { body.replaceChildren(h('p', { class: 'edit-error', role: 'alert' }, problemText(meta, layer.name, r.data || { status: r.status }))); return; }
    feature = r.data; etag = r.etag;
  }
  const p = feature ? feature.properties : {};
  const fields = layer.fields.filter((f) => !f.computed && (f.name !== 'code' || !feature));
  const form = h('form', { id: 'prop-form', class: 'prop-form', oninput: () => { ed.dirty = true; } },
    h('p', { class: 'edit-error', role: 'alert' }),
    ...fields.map((f) => h('label', {}, h('span', {}, `${state.lang === 'en' ? f.label_en : f.label}${f.required ? ' *' : ''}${f.unit ? ` (${f.unit})` : ''}`),
      inputFor(layer.name, f, f.confidential ? (p.confidential || {})[f.name] : p[f.name]))),
    h('label', {}, h('span', {}, tr('修改说明', 'Change note')), h('input', { name: 'note' })),
    h('div', { class: 'form-buttons' }, h('button', { type: 'submit' }, tr('保存', 'Save')),
      h('button', { type: 'button', onclick: () => { ed.view = null; render(); } }, tr('取消', 'Cancel'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const props = readForm(form, fields, feature ? p : null);
    const note = form.elements.note.value || undefined;
    const r = feature
      ? await api('PATCH', `/api/v1/${sel.kind}/${enc(sel.code)}`, { body: { type: 'Feature', properties: props, note }, ifMatch: etag })
      : await api('POST', `/api/v1/${layer.name}`, { body: { type: 'Feature', geometry, properties: props, note } });
    if (!r.ok) { showProblem(form, r.data || { status: r.status }, layer.name); return; }
    await showProblem(form, null, layer.name);
    said(form, savedText(r));
    etag = r.etag; feature = r.data; ed.dirty = false;
    stopEditing();
    await afterWrite(layer.name, r.data.id || r.data.properties.code);
  });
  body.replaceChildren(form);
}

// afterWrite makes the list, the card and the map show what a write left (kind: the layer,
// code: the feature's; archived: it left the current views).
async function afterWrite(kind, code, archived = false) {
  const { hooks } = state;
  const map = state.map;
  const src = map && map.getSource(kind);
  if (src && src.setData && hooks.loadAll) {
    const fc = await hooks.loadAll(`/api/v1/${kind}?limit=10000`);
    src.setData(fc);
    if (kind === 'plots') state.allPlots = fc;
  } else if (src && src.setTiles) src.setTiles(src.tiles); // vector tiles: load them again
  if (hooks.search && (kind === 'plots' || kind === 'plants')) await hooks.search(kind, false);
  if (archived && hooks.closeDetails && state.selected && state.selected.code === code) hooks.closeDetails();
  else if (!archived && hooks.showDetails && code) {
    const wasEditing = !panel().hidden;
    await hooks.showDetails(kind, code).catch(() => {});
    if (wasEditing) document.body.classList.add('editing');
  }
  document.body.dataset.written = `${kind}/${code}/${Date.now()}`;
}

// ------------------------------------------------------------------------------------------
// Vertices: drag, snap, draw (edit_map.js)

function stopEditing() {
  stopVertices();
  panel().classList.remove('focus');
}

async function editVertices(sel) {
  const meta = await loadMeta();
  const r = await api('GET', `/api/v1/plots/${enc(sel.code)}`);
  if (!r.ok) return;
  let etag = r.etag;
  const rings = startVertexEditing(r.data.geometry, sel.code);
  panel().classList.add('focus'); // the boundary needs the room: the action bar folds away
  const form = h('form', { id: 'geom-form' },
    h('p', { class: 'edit-error', role: 'alert' }),
    h('p', {}, tr('拖动顶点；靠近相邻地块的角点会自动吸附。', 'Drag the vertices; they snap to neighbouring plots’ corners.')),
    h('input', { type: 'hidden', name: 'geometry' }),
    h('div', { class: 'form-buttons' }, h('button', { type: 'submit' }, tr('保存边界', 'Save boundary')),
      h('button', { type: 'button', onclick: () => { stopEditing(); ed.view = null; render(); } }, tr('取消', 'Cancel'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const geometry = { type: 'Polygon', coordinates: rings().map((ring) => [...ring, ring[0]]) };
    const res = await api('PATCH', `/api/v1/plots/${enc(sel.code)}`, { body: { type: 'Feature', geometry }, ifMatch: etag });
    if (!res.ok) { showProblem(form, res.data || { status: res.status }, 'plots'); return; }
    etag = res.etag;
    await showProblem(form, null, 'plots');
    said(form, savedText(res));
    stopEditing();
    await afterWrite('plots', sel.code);
  });
  $('#edit-body').replaceChildren(form);
  fitGeometry(r.data.geometry); // clear of the panel as it is now drawn
  void meta;
}

function drawPlot() {
  ensurePreview();
  const done = (ring) => show(openForm, { kind: 'plots', code: '' }, { type: 'Polygon', coordinates: [[...ring, ring[0]]] });
  const finish = drawRing();
  $('#edit-body').replaceChildren(h('p', {}, tr('在地图上点击添加顶点（吸附相邻地块角点）。', 'Click the map to add vertices (they snap to neighbouring corners).')),
    h('button', { type: 'button', id: 'draw-done', onclick: () => { const ring = finish(); if (ring) done(ring); } }, tr('完成，填写属性', 'Done: enter properties')),
    h('button', { type: 'button', onclick: () => { stopEditing(); ed.view = null; render(); } }, tr('取消', 'Cancel')));
}

// ------------------------------------------------------------------------------------------
// History, restore (after a confirmation showing what changes) and archive

async function showHistory(sel) {
  const body = $('#edit-body');
  const meta = await loadMeta();
  const r = await api('GET', `/api/v1/${sel.kind}/${enc(sel.code)}/history`);
  if (!r.ok) { body.replaceChildren(h('p', { class: 'edit-error', role: 'alert' }, problemText(meta, sel.kind, r.data || { status: r.status }))); return; }
  const list = h('ol', { id: 'history', class: 'history', reversed: true });
  for (const v of [...r.data.versions].reverse()) {
    const canRestore = ed.me && ed.me.can_edit && !v.archived && v.valid_to;
    const btn = canRestore ? h('button', { type: 'button', class: 'restore', onclick: () => confirmRestore(sel, v, btn) }, tr(`恢复到 v${v.version}`, `Restore v${v.version}`)) : null;
    list.append(versionItem(meta, sel.kind, v, btn));
  }
  body.replaceChildren(list);
}

// confirmRestore shows what restoring version v changes against the live version, and restores
// it only when confirmed.
async function confirmRestore(sel, v, btn) {
  const meta = await loadMeta();
  const path = `/api/v1/${sel.kind}/${enc(sel.code)}`;
  const [cur, old] = await Promise.all([api('GET', path), api('GET', `${path}?as_of=${enc(v.valid_from)}`)]);
  for (const el of document.querySelectorAll('.restore-confirm')) el.remove();
  const rows = cur.ok && old.ok ? restoreDiff(meta, sel.kind, cur.data, old.data) : [];
  const box = h('div', { class: 'restore-confirm', role: 'dialog' },
    h('p', {}, cur.ok ? tr(`恢复到 v${v.version} 将写入新版本，改变：`, `Restoring v${v.version} writes a new version that changes:`) : ''),
    rows.length ? h('ul', {}, ...rows) : h('p', {}, tr('与现状相同，不会生成新版本。', 'It is the same as now: no new version will be written.')),
    h('p', { class: 'edit-error', role: 'alert' }),
    h('button', { type: 'button', class: 'confirm-restore', onclick: async () => {
      const res = await api('POST', `${path}/restore?version=${v.version}`, { ifMatch: cur.etag });
      if (!res.ok) { $('.edit-error', box).textContent = problemText(meta, sel.kind, res.data || { status: res.status }); return; }
      await afterWrite(sel.kind, sel.code);
      await showHistory(sel);
      said($('#edit-body'), savedText(res));
    } }, tr('确认恢复', 'Restore')),
    h('button', { type: 'button', class: 'cancel-restore', onclick: () => box.remove() }, tr('取消', 'Cancel')));
  btn.after(box);
  box.scrollIntoView({ block: 'nearest' });
}

async function archiveForm(sel) {
  const meta = await loadMeta();
  const r = await api('GET', `/api/v1/${sel.kind}/${enc(sel.code)}`);
  const form = h('form', { id: 'archive-form' },
    h('p', { class: 'edit-error', role: 'alert' }),
    h('p', {}, tr(`归档后，${sel.code} 不再出现在现状中，但保留在修改历史里，可以恢复。`, `Once archived, ${sel.code} leaves the current views; it stays in the history and can be restored.`)),
    h('label', {}, h('span', {}, tr('修改说明', 'Change note')), h('input', { name: 'note' })),
    h('div', { class: 'form-buttons' }, h('button', { type: 'submit' }, tr('确认归档', 'Archive')),
      h('button', { type: 'button', onclick: () => { ed.view = null; render(); } }, tr('取消', 'Cancel'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const note = form.elements.note.value;
    const res = await api('DELETE', `/api/v1/${sel.kind}/${enc(sel.code)}${note ? '?note=' + enc(note) : ''}`, { ifMatch: r.etag });
    if (!res.ok) { showProblem(form, res.data || { status: res.status }, sel.kind); return; }
    said(form, tr(`已归档：版本 ${res.data.version.version}`, `Archived: version ${res.data.version.version}`));
    await afterWrite(sel.kind, sel.code, true);
  });
  $('#edit-body').replaceChildren(form);
  void meta;
}

// ------------------------------------------------------------------------------------------
// Import with a dry-run report

function importForm() {
  const layerName = (l) => ({ plots: tr('地块', 'Plots'), plants: tr('厂房', 'Buildings'), 'idle-sites': tr('闲置用地', 'Idle sites'), roads: tr('道路', 'Roads') })[l];
  const form = h('form', { id: 'import-form' },
    h('label', {}, tr('图层', 'Layer'), h('select', { name: 'layer' }, ...['plots', 'plants', 'idle-sites', 'roads'].map((l) => h('option', { value: l }, layerName(l))))),
    h('label', {}, tr('文件（GeoJSON、Shapefile 压缩包、GeoPackage）', 'File (GeoJSON, zipped Shapefile, GeoPackage)'), h('input', { type: 'file', name: 'file', required: true })),
    h('label', {}, tr('坐标系（可选）', 'CRS (optional)'), h('input', { name: 'crs', placeholder: 'EPSG:4546' })),
    h('label', {}, tr('字段映射（可选）', 'Field mapping (optional)'), h('input', { name: 'map', placeholder: '地块编号=code,用地性质=land_use' })),
    h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'dry_run', checked: true }), tr('试运行（不修改数据）', 'Dry run (changes nothing)')),
    h('button', { type: 'submit' }, tr('导入', 'Import')),
    h('div', { id: 'import-report' }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const layer = form.elements.layer.value;
    const q = new URLSearchParams({ layer });
    if (form.elements.crs.value) q.set('crs', form.elements.crs.value);
    if (form.elements.map.value) q.set('map', form.elements.map.value);
    if (form.elements.dry_run.checked) q.set('dry_run', 'true');
    const out = $('#import-report', form);
    out.textContent = tr('导入中…', 'Importing…');
    const r = await api('POST', '/api/v1/import?' + q, { body: form.elements.file.files[0], raw: true });
    const d = r.data || {};
    if (!d.layer) { out.replaceChildren(h('p', { class: 'edit-error', role: 'alert' }, problemText(await loadMeta(), layer, { ...d, status: r.status }))); return; }
    out.replaceChildren(
      h('p', {}, `${d.format}, EPSG:${d.srid} (${d.crs_from})${d.encoding ? ', ' + d.encoding : ''} — ${d.total} ${tr('个要素', 'features')}: ${d.committed ? '' : tr('拟', 'would be ')}${d.would_create ?? d.created} ${tr('新增', 'new')}, ${d.would_update ?? d.updated} ${tr('更新', 'updated')}, ${d.rejected.length} ${tr('被拒绝', 'rejected')}. ${d.committed ? tr('已导入。', 'Imported.') : tr('未做任何修改。', 'Nothing was changed.')}`),
      d.rejected.length ? h('table', { class: 'rejected' }, h('tr', {}, h('th', {}, '#'), h('th', {}, tr('编号', 'code')), h('th', {}, tr('字段', 'field')), h('th', {}, tr('原因', 'reason'))),
        ...d.rejected.map((x) => h('tr', {}, h('td', {}, x.index), h('td', {}, x.code || ''), h('td', {}, x.field || ''), h('td', {}, x.reason)))) : '');
    if (d.committed) await afterWrite(layer, '');
  });
  $('#edit-body').replaceChildren(form);
}

// ------------------------------------------------------------------------------------------

async function init() {
  const top = $('#top');
  if (!top) return;
  top.append(h('a', { id: 'edit-toggle', class: 'signin-link', href: signInHref(state.lang) }));
  panel().hidden = true;
  const me = await whoAmI();
  ed.me = me.signed_in ? me : null;
  render();
  initProjects(ed.me).catch((e) => console.error('projects', e)); // planners and leaders only: the public requests no project route
  // Follow the page's language switch (it sets <html lang>): the panel is drawn again in the
  // new language, with its open view unless something is being typed into it.
  new MutationObserver(() => {
    if (panel().hidden || ed.dirty) { toggle(); return; }
    if (ed.view && (ed.view.fn === editVertices || ed.view.fn === drawPlot)) { toggle(); return; }
    render();
  }).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  // Follow the map's selection (not while something is being edited).
  setInterval(() => {
    const s = selected();
    const key = s ? s.kind + '/' + s.code : '';
    const busy = ed.view && (ed.view.fn === editVertices || ed.view.fn === drawPlot || (ed.view.fn === openForm && ed.view.args[1]));
    if (key !== ed.shown && !panel().hidden && ed.me && !ed.dirty && !busy) {
      ed.view = null;
      clearProblems();
      render();
      fitSelected();
    }
  }, 500);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
