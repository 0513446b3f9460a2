// Browser checks of the report page (/reports), driven by playwright-core over Debian's
// chromium, like run.mjs. Prints one JSON object per line: {"check", "ok", "detail"}.
// Screenshots and the A4 PDF go to --out.
//
//   node report.mjs --base http://127.0.0.1:PORT --out DIR --token PLANNER_TOKEN
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(new URL('../ui/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const base = args.base;
const out = args.out || 'test-output';
mkdirSync(out, { recursive: true });
const report = (check, ok, detail = '') => console.log(JSON.stringify({ check, ok, detail: typeof detail === 'string' ? detail : JSON.stringify(detail) }));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

async function open(path, token) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 1400 }, locale: 'zh-CN' });
  if (token) await context.setExtraHTTPHeaders({ Authorization: 'Bearer ' + token }); // a stand-in for the session
  const page = await context.newPage();
  const rec = { errors: [], external: [] };
  page.on('console', (m) => { if (m.type() === 'error') rec.errors.push(m.text()); });
  page.on('pageerror', (e) => rec.errors.push('pageerror: ' + e.message));
  page.on('request', (r) => { const u = r.url(); if (!u.startsWith(base + '/') && !u.startsWith('data:') && !u.startsWith('blob:')) rec.external.push(u); });
  page.on('response', (r) => { if (r.status() >= 400) rec.errors.push(`HTTP ${r.status()} ${r.url()}`); });
  await page.goto(base + path);
  await page.waitForSelector('body[data-ready=true]', { timeout: 60000 });
  return { page, rec, context };
}

async function api(path, token) {
  const r = await fetch(base + path, { headers: token ? { Authorization: 'Bearer ' + token } : {} });
  return r.json();
}

const charts = ['#chart-attainment', '#chart-groups', '#chart-supply', '#chart-idle', '#chart-roads'];

try {
  // Public view, grouped by district.
  const { page, rec } = await open('/reports?group=district');
  await page.screenshot({ path: join(out, 'report-public.png'), fullPage: true });
  report('public page loads without errors or outside requests', rec.errors.length === 0 && rec.external.length === 0, rec);

  const drawn = await page.evaluate((ids) => Object.fromEntries(ids.map((id) => [id, document.querySelectorAll(id + ' svg path').length])), charts);
  report('every chart draws', charts.every((id) => drawn[id] > 5), drawn);

  const apiRep = await api('/api/v1/reports/intensity?group=district');
  const rows = await page.$$eval('#indicator-table tbody tr[data-key]', (trs) => trs.map((tr) => ({ key: tr.dataset.key, value: tr.children[2].textContent })));
  const fmt = (v) => (v === null ? '–' : Number(v).toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 0 }));
  const want = apiRep.total.indicators.map((i) => ({ key: i.key, value: fmt(i.value) }));
  report('indicator table shows the API figures', JSON.stringify(rows) === JSON.stringify(want), { rows, want });

  const text = await page.evaluate(() => document.body.innerText);
  const secret = ['工业用地固定资产投入强度', '工业用地地均税收', '综合地均税收', '人口密度'];
  const score = await page.textContent('#score');
  report('public view shows no confidential indicator nor score', secret.every((s) => !text.includes(s)) && score.trim() === '—',
    { found: secret.filter((s) => text.includes(s)), score });

  // Planner view.
  const pl = await open('/reports', args.token);
  await pl.page.screenshot({ path: join(out, 'report-planner.png'), fullPage: true });
  const ptext = await pl.page.evaluate(() => document.body.innerText);
  const pscore = await pl.page.textContent('#score');
  const papi = await api('/api/v1/reports/intensity', args.token);
  report('planner view shows every indicator and the score',
    secret.every((s) => ptext.includes(s)) && papi.total.score !== null && pscore.trim() === Number(papi.total.score).toLocaleString('en-US', { maximumFractionDigits: 1 }),
    { pscore, api: papi.total.score, errors: pl.rec.errors });

  // Print: A4, controls hidden, every section on the pages.
  await pl.page.emulateMedia({ media: 'print' });
  const hidden = await pl.page.evaluate(() => getComputedStyle(document.querySelector('#controls')).display);
  await pl.page.screenshot({ path: join(out, 'report-print.png'), fullPage: true });
  const pdf = await pl.page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  writeFileSync(join(out, 'report.pdf'), pdf);
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  const mediaBox = (pdf.toString('latin1').match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/) || []).slice(1).map(Number);
  report('prints to A4 without the controls', hidden === 'none' && pages >= 1 && pages <= 8 &&
    Math.abs(mediaBox[0] - 595.92) < 2 && Math.abs(mediaBox[1] - 842.88) < 2, { hidden, pages, mediaBox });
} catch (e) {
  report('script', false, String(e.stack || e));
}
await browser.close();
