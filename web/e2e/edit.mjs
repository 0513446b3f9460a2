// Browser checks of editing on the land map (issue 4), driven by playwright-core over Debian's
// chromium: sign in with a password on /signin (coming back to the map), select a plot, refuse an illegal status step with the error
// beside the field, save a legal one, see it in the history and restore, and read a dry-run
// import report. Prints one JSON object per line: {"check", "ok", "detail"}.
//
//   node edit.mjs --base http://127.0.0.1:PORT --name NAME --password PASSWORD --code PLOTCODE --out DIR
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(new URL('../ui/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const out = args.out || 'test-output';
mkdirSync(out, { recursive: true });
const report = (check, ok, detail = '') => console.log(JSON.stringify({ check, ok, detail: String(detail) }));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 850 } });
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
  await step('select_and_form', async () => {
    await page.evaluate((code) => { window.landinv.state.selected = { kind: 'plots', code }; }, args.code);
    await page.click('#edit-toggle'); await page.click('#edit-toggle'); // re-render with the selection
    await page.waitForSelector('#edit-props:not([disabled])');
    await page.click('#edit-props');
    await page.waitForSelector('#prop-form');
    return await page.inputValue('#prop-form select[name=status]');
  });
  await step('illegal_step_shown_at_field', async () => {
    await page.selectOption('#prop-form select[name=status]', 'planned');
    await page.click('#prop-form button[type=submit]');
    await page.waitForSelector('#prop-form select[name=status][aria-invalid] + .field-error');
    return await page.textContent('#prop-form .field-error');
  });
  await step('legal_edit_saved', async () => {
    await page.selectOption('#prop-form select[name=status]', 'idle');
    await page.fill('#prop-form input[name=name]', '浏览器测试');
    await page.click('#prop-form button[type=submit]');
    await page.waitForFunction(() => /版本|version/.test(document.querySelector('#prop-form .edit-error').textContent));
    return await page.textContent('#prop-form .edit-error');
  });
  await step('history_and_restore', async () => {
    await page.click('#show-history');
    await page.waitForSelector('#history li');
    const before = await page.$$eval('#history > li', (l) => l.length);
    const text = await page.textContent('#history');
    if (!text.includes('浏览器测试') || !text.includes('idle')) throw new Error('history lacks the edit: ' + text.slice(0, 300));
    await page.click('#history button.restore');
    await page.waitForFunction((n) => document.querySelectorAll('#history > li').length === n + 1, before);
    const top = await page.textContent('#history > li:first-child');
    if (!top.includes('restore')) throw new Error('newest version is not a restore: ' + top);
    return top.slice(0, 120);
  });
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
