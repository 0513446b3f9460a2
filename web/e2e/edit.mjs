// Browser checks of editing on the land map (issues 4 and 14), driven by playwright-core over
// Debian's chromium, in Chinese and in English: sign in with a password on /signin (coming back
// to the map), select a plot; every refusal of the editing rules tried (an illegal status step,
// a value out of range, an unknown land use, an overlap) is written in the page's language at
// its field, the overlap's other plot highlighted and named; no raw enum key or constraint name
// on the page (against /api/v1/meta's keys); a saved edit, a no-op save (no version), the
// history with labels and a confirmed restore, the list and the card fresh after each; vertex
// editing at 375 px with the panel clear of the plot; a dry-run import report. Screenshots at
// 1366×768 and 375 px, zh and en, go to --out. Prints one JSON object per line:
// {"check", "ok", "detail"}.
//
//   node edit.mjs --base http://127.0.0.1:PORT --name NAME --password PASSWORD --code PLOTCODE --other PLOTCODE --out DIR
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { args, base, out, report, launch } from './lib.mjs';

const browser = await launch();
// A Chinese browser: the page follows the browser's language on a first visit (the English steps
// switch with the button).
const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
const step = async (name, fn) => {
  try { report(name, true, await fn()); } catch (e) { report(name, false, e.message); await page.screenshot({ path: join(out, `edit-${name}.png`) }); }
};
try {
  await page.goto(`${args.base}/?plot=${encodeURIComponent(args.code)}`);
  await page.waitForFunction(() => window.landinv && window.landinv.map && window.landinv.map.loaded(), null, { timeout: 30000 });
  await step('sign_in', async () => {
    // "Sign in" is a link to /signin that comes back here; the page never asks for a token.
    if (await page.$('input[name=token]')) throw new Error('the map page shows a token box');
    await page.click('#edit-toggle');
    await page.waitForSelector('#signin-form');
    await page.fill('#signin-form input[name=name]', args.name);
    await page.fill('#signin-form input[name=password]', 'wrong password');
    await page.click('#signin-form button[type=submit]');
    await page.waitForSelector('#signin-error:not(:empty)');
    await page.fill('#signin-form input[name=password]', args.password);
    await page.click('#signin-form button[type=submit]');
    await page.waitForURL((u) => u.pathname === '/', { timeout: 30000 }); // back to the view it left (next=)
    await page.waitForFunction(() => window.landinv && window.landinv.map && window.landinv.map.loaded(), null, { timeout: 30000 });
    await page.waitForSelector('button#edit-toggle');
    await page.click('#edit-toggle');
    await page.waitForSelector('#signout');
    return await page.textContent('#edit-toggle');
  });
  await step('grade_colours', async () => {
    // The planner colours the plots by their firm's per-mu grade, then back by status.
    await page.click('#grade-colours');
    await page.waitForSelector('#grade-colours[aria-pressed=true]');
    const on = await page.evaluate(() => window.landinv.map.getPaintProperty('plots-fill', 'fill-color'));
    if (on[0] !== 'match' || JSON.stringify(on[1]) !== '["get","code"]' || on.length < 20) throw new Error('plots not coloured by grade: ' + JSON.stringify(on).slice(0, 200));
    const legend = await page.textContent('#grade-legend');
    // A graded firm's plot: its card shows the indicators against the benchmarks.
    const plot = await page.evaluate(() => Object.entries(window.landinv.state.grades.plots).find(([, g]) => g.grade)[0]);
    await page.evaluate((code) => { window.landinv.state.selected = { kind: 'plots', code }; }, plot);
    await page.click('#edit-toggle'); await page.click('#edit-toggle');
    await page.waitForSelector('#grade-card table.grade-table tr:nth-child(2)');
    const card = await page.textContent('#grade-card');
    if (!/亩均税收|Tax per mu/.test(card)) throw new Error('no tax per mu on the card: ' + card);
    await page.click('#grade-colours');
    await page.waitForSelector('#grade-colours[aria-pressed=false]');
    const off = await page.evaluate(() => window.landinv.map.getPaintProperty('plots-fill', 'fill-color'));
    if (JSON.stringify(off[1]) !== '["get","status"]') throw new Error('status colours not restored: ' + JSON.stringify(off).slice(0, 200));
    await page.evaluate(() => { window.landinv.state.selected = null; });
    return `${(on.length - 2) / 2} plots coloured; ${legend}; card of ${plot}: ${card.slice(0, 80)}`;
  });
  const code = args.code;
  const other = args.other;
  const shot = (name) => page.screenshot({ path: join(out, `edit-${name}.png`) });
  const cjk = /[\u4e00-\u9fff]/;
  // rawKeys lists the enum keys (from /api/v1/meta) and constraint names the page shows: every
  // key in the Chinese view; in the English one the keys with an underscore (single lower-case
  // words may be English prose). The national class codes (A1…, D1…, H1…) are shown with their
  // names by design. Enum choices must show a name, not their value.
  const rawKeys = () => page.evaluate(async () => {
    const meta = await (await fetch('/api/v1/meta')).json();
    const en = document.documentElement.lang === 'en';
    const keys = new Set();
    for (const l of meta.layers) for (const f of l.fields) {
      if (/_class$/.test(f.name)) continue;
      for (const v of f.enum || []) keys.add(v);
    }
    const text = ['#edit-panel', '#details', '#list-plots'].map((s) => { const el = document.querySelector(s); return el ? el.innerText : ''; }).join('\n');
    const bad = [];
    for (const k of keys) {
      if (en && !k.includes('_')) continue;
      if (new RegExp(`(^|[^A-Za-z0-9_])${k}($|[^A-Za-z0-9_])`).test(text)) bad.push(k);
    }
    if (/\w+_(check|range|order|fkey|valid)\b|violates|check constraint/.test(text)) bad.push('a constraint name');
    for (const o of document.querySelectorAll('#edit-panel select option')) if (o.value && o.textContent === o.value && keys.has(o.value)) bad.push('option ' + o.value);
    return bad;
  });
  const noRaw = async () => { const bad = await rawKeys(); if (bad.length) throw new Error('raw keys on the page: ' + bad.join(', ')); };
  const openForm = async () => {
    await page.evaluate(() => { const f = document.querySelector('#prop-form'); if (f) f.remove(); });
    await page.click('#edit-props');
    await page.waitForSelector('#prop-form select[name=status]');
  };
  const history = () => page.evaluate(async (c) => (await (await fetch(`/api/v1/plots/${c}/history`)).json()).versions.length, code);
  // refusal submits the form with one field changed and returns the message at that field.
  const refusal = async (field, set, wantCJK) => {
    await openForm();
    await set();
    await page.click('#prop-form button[type=submit]');
    const sel = `#prop-form [name=${field}][aria-invalid] ~ .field-error`;
    await page.waitForSelector(sel, { timeout: 10000 });
    const text = await page.textContent(sel);
    if (cjk.test(text) !== wantCJK) throw new Error(`not in the page's language: ${text}`);
    const inView = await page.$eval(sel, (el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; });
    if (!inView) throw new Error('the message is not scrolled into view');
    await noRaw();
    return text;
  };
  // select shows plot c's card, then opens the edit panel on it afresh.
  const select = async (c) => {
    if (await page.isVisible('#edit-close')) await page.click('#edit-close');
    await page.evaluate((x) => window.landinv.state.hooks.showDetails('plots', x), c);
    await page.click('#edit-toggle');
    await page.waitForFunction((x) => document.querySelector('#edit-panel h2') && document.querySelector('#edit-panel h2').textContent.includes(x), c);
  };
  // overlap draws a plot inside the other plot and returns the message; the other plot must be
  // highlighted and named.
  const overlap = async () => {
    await select(other);
    await page.click('#draw-plot');
    const pts = await page.evaluate(async (o) => {
      const f = await (await fetch(`/api/v1/plots/${o}`)).json();
      const map = window.landinv.map;
      const ring = (f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates[0][0] : f.geometry.coordinates[0]);
      const cx = ring.reduce((a, c) => a + c[0], 0) / ring.length;
      const cy = ring.reduce((a, c) => a + c[1], 0) / ring.length;
      const p = map.project([cx, cy]);
      const r = map.getCanvas().getBoundingClientRect();
      return [[-12, -12], [12, -12], [12, 12], [-12, 12]].map(([dx, dy]) => [r.left + p.x + dx, r.top + p.y + dy]);
    }, other);
    for (const [x, y] of pts) await page.mouse.click(x, y);
    await page.click('#draw-done');
    await page.waitForSelector('#prop-form input[name=code]');
    await page.fill('#prop-form input[name=code]', 'E2E-OVERLAP');
    await page.fill('#prop-form input[name=land_use]', '100101');
    await page.selectOption('#prop-form select[name=status]', 'planned');
    await page.click('#prop-form button[type=submit]');
    await page.waitForFunction(() => document.body.dataset.conflicts, null, { timeout: 10000 });
    const text = await page.textContent('#prop-form .edit-error');
    const lit = await page.evaluate(() => document.body.dataset.conflicts);
    if (!lit.split(',').includes(other)) throw new Error(`highlighted ${lit}, want ${other}`);
    if (!text.includes(other)) throw new Error(`the message does not name ${other}: ${text}`);
    const shown = await page.evaluate(() => window.landinv.map.getFilter('edit-conflict'));
    if (!JSON.stringify(shown).includes(other)) throw new Error('the map layer does not highlight it: ' + JSON.stringify(shown));
    await noRaw();
    return text;
  };
  const listStatus = () => page.textContent(`#list-plots li[data-code="${code}"] .st`);
  const cardText = () => page.evaluate(() => document.querySelector('#details-body').textContent);

  await step('select_and_form', async () => {
    await page.evaluate((c) => window.landinv.state.hooks.showDetails('plots', c), code);
    await page.waitForSelector('#edit-props:not([disabled])');
    await openForm();
    const panel = await page.$eval('#edit-panel', (el) => el.getBoundingClientRect().toJSON());
    const card = await page.$eval('#details', (el) => getComputedStyle(el).display);
    if (card !== 'none') throw new Error('the card is shown beside (under) the edit panel');
    // The plot lies clear of the panel.
    const clear = await page.evaluate(async ([c, p]) => {
      const f = await (await fetch(`/api/v1/plots/${c}`)).json();
      const map = window.landinv.map;
      const r = map.getCanvas().getBoundingClientRect();
      const ring = f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates[0][0] : f.geometry.coordinates[0];
      return ring.every((x) => { const q = map.project(x); const X = r.left + q.x; const Y = r.top + q.y; return X < p.left || X > p.right || Y < p.top || Y > p.bottom; });
    }, [code, panel]);
    if (!clear) throw new Error('the panel covers the plot being edited');
    await noRaw();
    const st = await page.$eval('#prop-form select[name=status]', (s) => s.selectedOptions[0].textContent);
    if (!cjk.test(st)) throw new Error('status choice is not labelled in Chinese: ' + st);
    return st;
  });
  await step('zh_illegal_step_at_field', () => refusal('status', () => page.selectOption('#prop-form select[name=status]', 'planned'), true));
  await shot('refusal-zh-1366');
  await step('zh_out_of_range_at_field', () => refusal('min_far', () => page.fill('#prop-form input[name=min_far]', '99'), true));
  await step('zh_unknown_land_use_at_field', () => refusal('land_use', () => page.fill('#prop-form input[name=land_use]', '9999'), true));
  await step('legal_edit_saved', async () => {
    await openForm();
    await page.selectOption('#prop-form select[name=status]', 'idle');
    await page.fill('#prop-form input[name=name]', '浏览器测试');
    await page.click('#prop-form button[type=submit]');
    await page.waitForFunction(() => /已保存/.test(document.querySelector('#prop-form .edit-error').textContent));
    return await page.textContent('#prop-form .edit-error');
  });
  await step('list_and_card_fresh_after_save', async () => {
    await page.waitForFunction((c) => { const li = document.querySelector(`#list-plots li[data-code="${c}"] .st`); return li && li.textContent.startsWith('闲置'); }, code, { timeout: 10000 });
    await page.waitForFunction(() => /闲置/.test(document.querySelector('#details-body').textContent), null, { timeout: 10000 }).catch(() => {});
    const card = await cardText();
    if (!card.includes('闲置') || !card.includes('浏览器测试')) throw new Error('card: ' + card.slice(0, 200));
    const src = await page.evaluate((c) => { const f = window.landinv.state.allPlots && window.landinv.state.allPlots.features.find((x) => x.id === c); return f ? f.properties.status : 'tiles'; }, code);
    if (src !== 'idle' && src !== 'tiles') throw new Error('map data says ' + src);
    return `${await listStatus()} · map ${src}`;
  });
  await step('noop_save_writes_no_version', async () => {
    const before = await history();
    await openForm();
    await page.click('#prop-form button[type=submit]');
    await page.waitForFunction(() => /没有修改/.test(document.querySelector('#prop-form .edit-error').textContent));
    const after = await history();
    if (after !== before) throw new Error(`history ${before} → ${after}`);
    return await page.textContent('#prop-form .edit-error');
  });
  await step('history_and_restore', async () => {
    await page.click('#show-history');
    await page.waitForSelector('#history li');
    const before = await page.$$eval('#history > li', (l) => l.length);
    const text = await page.textContent('#history');
    if (!text.includes('浏览器测试') || !text.includes('闲置')) throw new Error('history lacks the edit: ' + text.slice(0, 300));
    const first = await page.textContent('#history > li:last-child');
    if (!first.includes('创建') || first.includes('边界变化')) throw new Error('version 1 does not say created: ' + first);
    await noRaw();
    await page.click('#history button.restore');
    await page.waitForSelector('.restore-confirm');
    const confirm = await page.textContent('.restore-confirm');
    if (!confirm.includes('闲置') || !confirm.includes('已投产')) throw new Error('the confirmation does not show the change: ' + confirm);
    if ((await page.$$eval('#history > li', (l) => l.length)) !== before) throw new Error('restored before confirming');
    await shot('restore-confirm-zh-1366');
    await page.click('.confirm-restore');
    await page.waitForFunction((n) => document.querySelectorAll('#history > li').length === n + 1, before);
    const top = await page.textContent('#history > li:first-child');
    if (!top.includes('恢复')) throw new Error('newest version is not a restore: ' + top);
    // In Chinese: the operation and where from, not the server's English note.
    if (!/（自 v\d+）/.test(top) || /restored/i.test(top)) throw new Error('restore not said in Chinese: ' + top);
    return top.slice(0, 120);
  });
  await step('list_and_card_fresh_after_restore', async () => {
    await page.waitForFunction((c) => { const li = document.querySelector(`#list-plots li[data-code="${c}"] .st`); return li && li.textContent.startsWith('已投产'); }, code, { timeout: 10000 });
    await page.waitForFunction(() => /已投产/.test(document.querySelector('#details-body').textContent), null, { timeout: 10000 }).catch(() => {});
    const card = await cardText();
    if (!card.includes('已投产')) throw new Error('card: ' + card.slice(0, 200));
    return await listStatus();
  });
  await step('zh_overlap_highlighted_and_named', overlap);
  await shot('overlap-zh-1366');

  // English.
  await page.click('#lang');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await select(code);
  await step('en_illegal_step_at_field', () => refusal('status', () => page.selectOption('#prop-form select[name=status]', 'planned'), false));
  await shot('refusal-en-1366');
  await step('en_out_of_range_at_field', () => refusal('min_far', () => page.fill('#prop-form input[name=min_far]', '99'), false));
  await step('en_unknown_land_use_at_field', () => refusal('land_use', () => page.fill('#prop-form input[name=land_use]', '9999'), false));
  await step('en_overlap_highlighted_and_named', overlap);
  await shot('overlap-en-1366');
  await select(code);
  await page.click('#show-history');
  await page.waitForSelector('#history li');
  await step('en_history_labelled', async () => {
    const text = await page.textContent('#history');
    if (!/created/.test(text) || !/Idle/.test(text)) throw new Error(text.slice(0, 300));
    await noRaw();
    return text.slice(0, 120);
  });

  // A phone, 375 px: vertex editing with the panel clear of the plot.
  await page.setViewportSize({ width: 375, height: 740 });
  await step('vertices_at_375', async () => {
    await select(code);
    await page.evaluate(() => { const f = document.querySelector('#geom-form'); if (f) f.remove(); });
    await page.click('#edit-vertices');
    await page.waitForSelector('#geom-form');
    await page.waitForTimeout(300);
    const info = await page.evaluate(() => {
      const map = window.landinv.map;
      const r = map.getCanvas().getBoundingClientRect();
      const pts = map.getSource('edit-vertices').serialize().data.features.map((f) => { const q = map.project(f.geometry.coordinates); return [r.left + q.x, r.top + q.y]; });
      // Each vertex is visible: on the map, and what the page shows at its place is the map.
      const covered = pts.filter(([x, y]) => x < r.left || x > r.right || y < r.top || y > r.bottom || document.elementFromPoint(x, y) !== map.getCanvas());
      return { pts, covered: covered.length };
    });
    if (info.pts.length < 3) throw new Error('no vertices');
    if (info.covered) throw new Error(`${info.covered} of ${info.pts.length} vertices covered by a panel or off the map`);
    // Drag one vertex a fixed 5 m towards the middle of the plot (a small move in metres,
    // whatever the phone's zoom), and save: the vertex farthest from the plot's buildings, so
    // that the move leaves them inside. The map zooms in around it when 5 m is under 16 px, far
    // enough that the drop does not snap back to a neighbour's corner (8 px).
    const drag = await page.evaluate(async (c) => {
      const map = window.landinv.map;
      const verts = map.getSource('edit-vertices').serialize().data.features.map((f) => f.geometry.coordinates);
      const plants = (await (await fetch('/api/v1/plants?limit=10000')).json()).features.filter((f) => f.properties.plot_code === c);
      const kx = Math.cos((verts[0][1] * Math.PI) / 180) * 111320; const ky = 110574; // metres per degree
      const dist = (a, b) => Math.hypot((a[0] - b[0]) * kx, (a[1] - b[1]) * ky);
      const corners = plants.flatMap((f) => f.geometry.coordinates.flat(3).reduce((a, x, i, all) => (i % 2 ? a : [...a, [all[i], all[i + 1]]]), []));
      const clearance = (v) => (corners.length ? Math.min(...corners.map((b) => dist(v, b))) : Infinity);
      const v = verts.reduce((best, x) => (clearance(x) > clearance(best) ? x : best), verts[0]);
      const cen = [verts.reduce((a, p) => a + p[0], 0) / verts.length, verts.reduce((a, p) => a + p[1], 0) / verts.length];
      const f = 5 / dist(v, cen);
      const to = [v[0] + (cen[0] - v[0]) * f, v[1] + (cen[1] - v[1]) * f];
      const px = () => { const a = map.project(v); const b = map.project(to); return Math.hypot(a.x - b.x, a.y - b.y); };
      if (px() < 16) map.jumpTo({ center: v, zoom: Math.min(map.getMaxZoom(), map.getZoom() + Math.log2(16 / px()) + 0.2) });
      await new Promise((r) => (map.loaded() ? r() : map.once('idle', r)));
      const r = map.getCanvas().getBoundingClientRect();
      const a = map.project(v); const b = map.project(to);
      return { from: [r.left + a.x, r.top + a.y], to: [r.left + b.x, r.top + b.y], clearance: clearance(v), px: px() };
    }, code);
    await page.waitForTimeout(300);
    const [x0, y0] = drag.from;
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    await page.mouse.move(drag.to[0], drag.to[1], { steps: 5 });
    await page.mouse.up();
    await shot('vertices-en-375');
    await page.click('#geom-form button[type=submit]');
    await page.waitForFunction(() => /Saved|Nothing changed|\S/.test(document.querySelector('#geom-form .edit-error').textContent), null, { timeout: 10000 });
    const said = await page.textContent('#geom-form .edit-error');
    if (!/Saved/.test(said)) throw new Error(`dragged 5 m (${Math.round(drag.px)} px) from a vertex ${Math.round(drag.clearance)} m from the buildings: ${said}`);
    return await page.textContent('#geom-form .edit-error');
  });
  await page.click('#lang');
  await page.waitForFunction(() => document.documentElement.lang !== 'en');
  await step('zh_refusal_at_375', async () => {
    await select(code);
    const t = await refusal('status', () => page.selectOption('#prop-form select[name=status]', 'planned'), true);
    await shot('refusal-zh-375');
    return t;
  });
  await page.click('#lang');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await step('en_refusal_at_375', async () => {
    await select(code);
    const t = await refusal('min_far', () => page.fill('#prop-form input[name=min_far]', '99'), false);
    await shot('refusal-en-375');
    return t;
  });
  await page.setViewportSize({ width: 1366, height: 768 });
  await step('import_dry_run_report', async () => {
    await page.click('#show-import');
    const fc = { type: 'FeatureCollection', features: [
      { type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]] }, properties: { code: 'X1', land_use: '100101', status: 'planned' } },
      { type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]] }, properties: { code: 'X2', land_use: '100101' } }] };
    const file = join(out, 'edit-import.geojson');
    writeFileSync(file, JSON.stringify(fc));
    await page.setInputFiles('#import-form input[name=file]', file);
    await page.click('#import-form button[type=submit]');
    await page.waitForSelector('#import-report table.rejected');
    const rows = await page.$$eval('#import-report table.rejected tr', (r) => r.map((x) => x.textContent));
    if (rows.length !== 3) throw new Error('report rows: ' + rows.join(' | '));
    await page.screenshot({ path: join(out, 'edit-import.png') });
    return rows.slice(1).join(' | ');
  });
  report('no_page_errors', errors.length === 0, errors.join('; '));
} finally {
  await browser.close();
}
