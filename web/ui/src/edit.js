// Editing on the land map, for planners: signed in by the session (the /signin page), edit a feature's
// properties in a form, move a plot's vertices or draw a new plot (vertices snap to the corners
// of neighbouring plots within 8 px, so no slivers are left between them), browse and restore
// its history, and import a file with a dry-run report. Validation problems from the API are
// shown beside the field at fault, and a geometry problem's location is marked on the map.
//
// It is a separate bundle (assets/edit.js) that imports the map page's shared state (its map
// and selection), the API client and meta; esbuild puts those modules into chunks that both
// bundles load, so they are the same objects. It bundles no MapLibre of its own: vertices and
// problem marks are GeoJSON layers on the page's map. The page never asks for a token: "sign
// in" is a link to /signin, which comes back here; writes carry the session's CSRF token.
import './edit.css';
import { $, h } from './dom.js';
import { state } from './state.js';
import { request as api, whoAmI, signInHref, signOut as endSession, withZone } from './api.js';
import { loadMeta, layerOf } from './meta.js';
import { showGrades, GRADE_COLORS, firmResult, indicatorRows } from './grades.js';

const tr = (z, e) => (state.lang === 'en' ? e : z);

const ed = { me: null, rings: null, dragging: null, snapped: new Set(), drawing: null, except: null };

// ------------------------------------------------------------------------------------------
// Sign-in: by the session cookie; the sign-in page is /signin.

async function signOut() {
  await endSession();
  ed.me = null;
  location.reload(); // the map drops what only a signed-in user sees
}

// ------------------------------------------------------------------------------------------
// Panel

function panel() {
  let p = $('#edit-panel');
  if (!p) {
    p = h('section', { id: 'edit-panel', 'aria-label': 'editing' });
    document.body.append(p);
  }
  return p;
}

function render() {
  const p = panel();
  p.replaceChildren();
  toggle();
  if (p.hidden || !ed.me) return;
  const sel = selected();
  ed.shown = sel ? sel.kind + '/' + sel.code : '';
  p.append(
    h('header', {}, h('h2', {}, tr('编辑', 'Editing')), h('button', { type: 'button', id: 'signout', onclick: signOut }, tr('退出', 'Sign out'))),
    !ed.me.can_edit ? h('p', {}, tr('您可以查看全部信息；只有规划人员可以编辑。', 'You can read everything; only planners and admins edit.')) : '',
    h('div', { class: 'edit-actions' },
      h('button', { type: 'button', id: 'edit-props', disabled: !sel || !ed.me.can_edit, onclick: () => openForm(sel) }, tr('编辑属性', 'Edit properties')),
      h('button', { type: 'button', id: 'edit-vertices', disabled: !sel || sel.kind !== 'plots' || !ed.me.can_edit, onclick: () => editVertices(sel) }, tr('编辑边界', 'Edit boundary')),
      h('button', { type: 'button', id: 'draw-plot', disabled: !ed.me.can_edit, onclick: drawPlot }, tr('绘制新地块', 'Draw a plot')),
      h('button', { type: 'button', id: 'show-history', disabled: !sel, onclick: () => showHistory(sel) }, tr('修改历史', 'History')),
      h('button', { type: 'button', id: 'show-import', disabled: !ed.me.can_edit, onclick: importForm }, tr('导入', 'Import'))),
    h('p', { class: 'edit-hint' }, sel ? `${sel.kind} ${sel.code}` : tr('在地图上选择一个要素。', 'Select a feature on the map.')),
    ed.me.sees_confidential ? gradeControl() : '',
    h('div', { id: 'edit-body' }));
}

// toggle is the top bar's control: a link to the sign-in page (coming back here) for the
// public, the user's name and role, opening the editing panel, once signed in.
function toggle() {
  const old = $('#edit-toggle');
  if (!old) return;
  const label = ed.me ? `${ed.me.name} (${roleName(ed.me.role)})` : tr('登录', 'Sign in');
  const el = ed.me
    ? h('button', { type: 'button', id: 'edit-toggle', onclick: () => { const p = panel(); p.hidden = !p.hidden; render(); } }, label)
    : h('a', { id: 'edit-toggle', class: 'signin-link', href: signInHref(state.lang), onclick: (e) => { e.currentTarget.href = signInHref(state.lang); } }, label);
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

// ------------------------------------------------------------------------------------------
// Problems where they were made

function showProblem(form, prob) {
  for (const el of form.querySelectorAll('.field-error')) el.remove();
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const box = $('.edit-error', form) || form.appendChild(h('p', { class: 'edit-error', role: 'alert' }));
  box.textContent = prob ? `${prob.status} ${prob.detail || prob.title}` : '';
  if (!prob) return;
  const name = (prob.field || '').replace(/^confidential\./, '');
  const input = name && form.elements[name];
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    input.after(h('span', { class: 'field-error' }, prob.detail));
    input.focus();
  }
  const loc = prob.location;
  if (loc && state.map) markProblem(loc, prob.detail);
}

function markProblem(lonlat, text) {
  ensurePreview();
  state.map.getSource('edit-problem').setData({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: lonlat }, properties: { text } }] });
  state.map.easeTo({ center: lonlat });
}

// ------------------------------------------------------------------------------------------
// Property form

function inputFor(f, value) {
  const v = value ?? '';
  if (f.type === 'enum') {
    return h('select', { name: f.name }, h('option', { value: '' }, '—'), ...f.enum.map((x) => h('option', { value: x, selected: x === v }, x)));
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
  const layer = layerOf(await loadMeta(), sel ? sel.kind : 'plots');
  let feature = null;
  let etag = null;
  if (sel && sel.code) {
    const r = await api('GET', `/api/v1/${sel.kind}/${encodeURIComponent(sel.code)}`);
    if (!r.ok) { body.textContent = r.data.detail; return; }
    feature = r.data; etag = r.etag;
  }
  const p = feature ? feature.properties : {};
  const fields = layer.fields.filter((f) => !f.computed && (f.name !== 'code' || !feature));
  const form = h('form', { id: 'prop-form', class: 'prop-form' },
    ...fields.map((f) => h('label', {}, h('span', {}, `${state.lang === 'en' ? f.label_en : f.label}${f.required ? ' *' : ''}${f.unit ? ` (${f.unit})` : ''}`),
      inputFor(f, f.confidential ? (p.confidential || {})[f.name] : p[f.name]))),
    h('label', {}, h('span', {}, tr('修改说明', 'Change note')), h('input', { name: '_note' })),
    h('button', { type: 'submit' }, tr('保存', 'Save')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const props = readForm(form, fields, feature ? p : null);
    const note = form.elements._note.value || undefined;
    const r = feature
      ? await api('PATCH', `/api/v1/${sel.kind}/${encodeURIComponent(sel.code)}`, { body: { type: 'Feature', properties: props, note }, ifMatch: etag })
      : await api('POST', `/api/v1/${layer.name}`, { body: { type: 'Feature', geometry, properties: props, note } });
    if (!r.ok) { showProblem(form, r.data); return; }
    showProblem(form, null);
    $('.edit-error', form).textContent = tr(`已保存：版本 ${r.data.properties.version}`, `Saved: version ${r.data.properties.version}`);
    etag = r.etag; feature = r.data;
    stopEditing();
    refreshMap();
  });
  body.replaceChildren(form);
}

function refreshMap() {
  const map = state.map;
  const src = map && map.getSource('plots');
  if (src && src.setData) fetch(withZone('/api/v1/plots?limit=10000')).then((r) => r.json()).then((fc) => src.setData(fc)).catch(() => {});
  else if (src && src.reload) src.reload();
}

// ------------------------------------------------------------------------------------------
// Vertices: drag, snap, draw

function ensurePreview() {
  const map = state.map;
  if (map.getSource('edit-geom')) return;
  const empty = { type: 'FeatureCollection', features: [] };
  map.addSource('edit-geom', { type: 'geojson', data: empty });
  map.addSource('edit-vertices', { type: 'geojson', data: empty });
  map.addSource('edit-problem', { type: 'geojson', data: empty });
  map.addLayer({ id: 'edit-geom-fill', type: 'fill', source: 'edit-geom', paint: { 'fill-color': '#f59e0b', 'fill-opacity': 0.25 } });
  map.addLayer({ id: 'edit-geom-line', type: 'line', source: 'edit-geom', paint: { 'line-color': '#b45309', 'line-width': 2, 'line-dasharray': [2, 1] } });
  map.addLayer({ id: 'edit-vertices', type: 'circle', source: 'edit-vertices',
    paint: { 'circle-radius': 6, 'circle-color': ['case', ['get', 'snapped'], '#16a34a', '#ffffff'], 'circle-stroke-color': '#b45309', 'circle-stroke-width': 2 } });
  map.addLayer({ id: 'edit-problem', type: 'circle', source: 'edit-problem',
    paint: { 'circle-radius': 9, 'circle-color': '#dc2626', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 } });
  // Dragging a vertex.
  map.on('mouseenter', 'edit-vertices', () => { if (ed.rings) map.getCanvas().style.cursor = 'move'; });
  map.on('mouseleave', 'edit-vertices', () => { if (!ed.drawing) map.getCanvas().style.cursor = ''; });
  map.on('mousedown', 'edit-vertices', (e) => {
    if (!ed.rings || ed.drawing) return;
    e.preventDefault();
    ed.dragging = e.features[0].properties;
    map.dragPan.disable();
  });
  map.on('mousemove', (e) => {
    if (!ed.dragging) return;
    ed.rings[ed.dragging.ri][ed.dragging.ci] = [e.lngLat.lng, e.lngLat.lat];
    preview(ed.rings);
  });
  map.on('mouseup', (e) => {
    if (!ed.dragging) return;
    const s = snap(e.lngLat, ed.except);
    ed.rings[ed.dragging.ri][ed.dragging.ci] = [s.lng, s.lat];
    ed.snapped.add(`${ed.dragging.ri}/${ed.dragging.ci}`);
    if (!s.snapped) ed.snapped.delete(`${ed.dragging.ri}/${ed.dragging.ci}`);
    ed.dragging = null;
    map.dragPan.enable();
    preview(ed.rings);
  });
}

function preview(rings) {
  const map = state.map;
  ensurePreview();
  const closed = rings.map((r) => (r.length > 2 ? [...r, r[0]] : r));
  const g = closed[0] && closed[0].length > 3 ? { type: 'Polygon', coordinates: closed } : { type: 'LineString', coordinates: closed[0] || [] };
  map.getSource('edit-geom').setData({ type: 'FeatureCollection', features: closed[0] && closed[0].length > 1 ? [{ type: 'Feature', geometry: g, properties: {} }] : [] });
  const pts = [];
  rings.forEach((ring, ri) => ring.forEach((c, ci) => pts.push({ type: 'Feature', geometry: { type: 'Point', coordinates: c },
    properties: { ri, ci, snapped: ed.snapped.has(`${ri}/${ci}`) } })));
  map.getSource('edit-vertices').setData({ type: 'FeatureCollection', features: pts });
}

// snap moves a point to the nearest corner of a neighbouring plot within 8 px.
function snap(lngLat, exceptCode) {
  const map = state.map;
  const p = map.project(lngLat);
  const layers = ['plots-fill'].filter((id) => map.getLayer(id));
  const feats = map.queryRenderedFeatures([[p.x - 8, p.y - 8], [p.x + 8, p.y + 8]], { layers });
  let best = null;
  let bestD = 8;
  for (const f of feats) {
    if (f.properties.code === exceptCode) continue;
    const g = f.geometry;
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
    for (const poly of polys) for (const ring of poly) for (const c of ring) {
      const q = map.project(c);
      const d = Math.hypot(q.x - p.x, q.y - p.y);
      if (d < bestD) { bestD = d; best = c; }
    }
  }
  return best ? { lng: best[0], lat: best[1], snapped: true } : { lng: lngLat.lng, lat: lngLat.lat, snapped: false };
}

function stopEditing() {
  const map = state.map;
  ed.rings = null;
  ed.dragging = null;
  ed.snapped = new Set();
  if (ed.drawing) { map.off('click', ed.drawing.onClick); map.getCanvas().style.cursor = ''; ed.drawing = null; }
  if (map && map.getSource('edit-geom')) preview([]);
}

async function editVertices(sel) {
  stopEditing();
  const r = await api('GET', `/api/v1/plots/${encodeURIComponent(sel.code)}`);
  if (!r.ok) return;
  let etag = r.etag;
  const g = r.data.geometry;
  ed.rings = (g.type === 'MultiPolygon' ? g.coordinates[0] : g.coordinates).map((ring) => ring.slice(0, -1).map((c) => [...c]));
  ed.except = sel.code;
  preview(ed.rings);
  const form = h('form', { id: 'geom-form' },
    h('p', {}, tr('拖动顶点；靠近相邻地块的角点会自动吸附。', 'Drag the vertices; they snap to neighbouring plots’ corners.')),
    h('button', { type: 'submit' }, tr('保存边界', 'Save boundary')),
    h('button', { type: 'button', onclick: () => { stopEditing(); render(); } }, tr('取消', 'Cancel')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const geometry = { type: 'Polygon', coordinates: ed.rings.map((ring) => [...ring, ring[0]]) };
    const res = await api('PATCH', `/api/v1/plots/${encodeURIComponent(sel.code)}`, { body: { type: 'Feature', geometry }, ifMatch: etag });
    if (!res.ok) { showProblem(form, res.data); return; }
    etag = res.etag;
    showProblem(form, null);
    $('.edit-error', form).textContent = tr(`已保存：版本 ${res.data.properties.version}`, `Saved: version ${res.data.properties.version}`);
    stopEditing();
    refreshMap();
  });
  $('#edit-body').replaceChildren(form);
}

function drawPlot() {
  stopEditing();
  const map = state.map;
  const ring = [];
  ed.except = null;
  map.getCanvas().style.cursor = 'crosshair';
  const onClick = (e) => {
    const s = snap(e.lngLat, null);
    ring.push([s.lng, s.lat]);
    if (s.snapped) ed.snapped.add(`0/${ring.length - 1}`);
    preview([ring]);
  };
  ed.drawing = { onClick };
  map.on('click', onClick);
  const done = h('button', { type: 'button', id: 'draw-done', onclick: () => {
    if (ring.length < 3) return;
    const geometry = { type: 'Polygon', coordinates: [[...ring, ring[0]]] };
    map.off('click', onClick);
    map.getCanvas().style.cursor = '';
    ed.drawing = null;
    openForm({ kind: 'plots', code: '' }, geometry);
  } }, tr('完成，填写属性', 'Done: enter properties'));
  $('#edit-body').replaceChildren(h('p', {}, tr('在地图上点击添加顶点（吸附相邻地块角点）。', 'Click the map to add vertices (they snap to neighbouring corners).')), done,
    h('button', { type: 'button', onclick: () => { stopEditing(); render(); } }, tr('取消', 'Cancel')));
}

// ------------------------------------------------------------------------------------------
// History and restore

async function showHistory(sel) {
  const body = $('#edit-body');
  const r = await api('GET', `/api/v1/${sel.kind}/${encodeURIComponent(sel.code)}/history`);
  if (!r.ok) { body.textContent = r.data.detail; return; }
  const fmt = (v) => (v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const list = h('ol', { id: 'history', class: 'history', reversed: true });
  for (const v of [...r.data.versions].reverse()) {
    list.append(h('li', {},
      h('div', {}, h('b', {}, `v${v.version} ${v.op}`), ` ${new Date(v.valid_from).toLocaleString()} · ${v.changed_by}`, v.note ? ` · ${v.note}` : '',
        v.geometry_changed ? h('em', {}, tr(' · 边界变化', ' · boundary changed')) : ''),
      h('ul', {}, ...v.changes.map((c) => h('li', {}, `${c.field}: ${fmt(c.before)} → ${fmt(c.after)}`))),
      ed.me && ed.me.can_edit && !v.archived && v.valid_to
        ? h('button', { type: 'button', class: 'restore', onclick: async () => {
          const res = await api('POST', `/api/v1/${sel.kind}/${encodeURIComponent(sel.code)}/restore?version=${v.version}`);
          if (!res.ok) { body.prepend(h('p', { class: 'edit-error', role: 'alert' }, `${res.status} ${res.data.detail}`)); return; }
          refreshMap();
          showHistory(sel);
        } }, tr(`恢复到 v${v.version}`, `Restore v${v.version}`))
        : ''));
  }
  body.replaceChildren(list);
}

// ------------------------------------------------------------------------------------------
// Import with a dry-run report

function importForm() {
  const form = h('form', { id: 'import-form' },
    h('label', {}, tr('图层', 'Layer'), h('select', { name: 'layer' }, ...['plots', 'plants', 'idle-sites', 'roads'].map((l) => h('option', { value: l }, l)))),
    h('label', {}, tr('文件（GeoJSON、Shapefile 压缩包、GeoPackage）', 'File (GeoJSON, zipped Shapefile, GeoPackage)'), h('input', { type: 'file', name: 'file', required: true })),
    h('label', {}, tr('坐标系（可选）', 'CRS (optional)'), h('input', { name: 'crs', placeholder: 'EPSG:4546' })),
    h('label', {}, tr('字段映射（可选）', 'Field mapping (optional)'), h('input', { name: 'map', placeholder: '地块编号=code,用地性质=land_use' })),
    h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'dry_run', checked: true }), tr('试运行（不修改数据）', 'Dry run (changes nothing)')),
    h('button', { type: 'submit' }, tr('导入', 'Import')),
    h('div', { id: 'import-report' }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const q = new URLSearchParams({ layer: form.elements.layer.value });
    if (form.elements.crs.value) q.set('crs', form.elements.crs.value);
    if (form.elements.map.value) q.set('map', form.elements.map.value);
    if (form.elements.dry_run.checked) q.set('dry_run', 'true');
    const out = $('#import-report', form);
    out.textContent = tr('导入中…', 'Importing…');
    const r = await api('POST', '/api/v1/import?' + q, { body: form.elements.file.files[0], raw: true });
    const d = r.data || {};
    if (!d.layer) { out.replaceChildren(h('p', { class: 'edit-error', role: 'alert' }, `${r.status} ${d.field ? d.field + ': ' : ''}${d.detail || ''}`)); return; }
    out.replaceChildren(
      h('p', {}, `${d.format}, EPSG:${d.srid} (${d.crs_from})${d.encoding ? ', ' + d.encoding : ''} — ${d.total} ${tr('个要素', 'features')}: ${d.committed ? '' : tr('拟', 'would be ')}${d.would_create ?? d.created} ${tr('新增', 'new')}, ${d.would_update ?? d.updated} ${tr('更新', 'updated')}, ${d.rejected.length} ${tr('被拒绝', 'rejected')}. ${d.committed ? tr('已导入。', 'Imported.') : tr('未做任何修改。', 'Nothing was changed.')}`),
      d.rejected.length ? h('table', { class: 'rejected' }, h('tr', {}, h('th', {}, '#'), h('th', {}, tr('编号', 'code')), h('th', {}, tr('字段', 'field')), h('th', {}, tr('原因', 'reason'))),
        ...d.rejected.map((x) => h('tr', {}, h('td', {}, x.index), h('td', {}, x.code || ''), h('td', {}, x.field || ''), h('td', {}, x.reason)))) : '');
    if (d.committed) refreshMap();
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
  // Follow the page's language switch (it sets <html lang>); an open panel keeps what is being
  // typed into it and follows on its next render.
  new MutationObserver(() => { if (panel().hidden) render(); else toggle(); })
    .observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  // Follow the map's selection (not while something is being edited).
  setInterval(() => {
    const s = selected();
    const key = s ? s.kind + '/' + s.code : '';
    if (key !== ed.shown && !panel().hidden && ed.me && !ed.rings && !ed.drawing) render();
  }, 500);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
