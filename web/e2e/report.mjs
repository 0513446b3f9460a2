// Browser checks of the report page (/reports), driven by playwright-core over Debian's
// chromium, like run.mjs. Prints one JSON object per line: {"check", "ok", "detail"}.
// Screenshots, the A4 PDFs and their pages as images go to --out; the PDFs are read with
// poppler's pdftotext and pdftoppm.
//
//   node report.mjs --base http://127.0.0.1:PORT --out DIR --token PLANNER_TOKEN
import { mkdirSync, writeFileSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { args, base, out, report, launch } from './lib.mjs';

const browser = await launch({ gl: false });

async function open(path, token, viewport = { width: 1366, height: 768 }) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  if (token) await context.setExtraHTTPHeaders({ Authorization: 'Bearer ' + token }); // a stand-in for the session
  const page = await context.newPage();
  const rec = { errors: [], external: [], urls: [] };
  page.on('console', (m) => { if (m.type() === 'error') rec.errors.push(m.text()); });
  page.on('pageerror', (e) => rec.errors.push('pageerror: ' + e.message));
  page.on('request', (r) => { const u = r.url(); rec.urls.push(u); if (!u.startsWith(base + '/') && !u.startsWith('data:') && !u.startsWith('blob:')) rec.external.push(u); });
  page.on('response', (r) => { if (r.status() >= 400) rec.errors.push(`HTTP ${r.status()} ${r.url()}`); });
  await page.goto(base + path);
  await page.waitForSelector('body[data-ready=true]', { timeout: 60000 });
  return { page, rec, context };
}

async function api(path, token) {
  const r = await fetch(base + path, { headers: token ? { Authorization: 'Bearer ' + token } : {} });
  return r.json();
}
async function apiText(path, token) {
  const r = await fetch(base + path, { headers: token ? { Authorization: 'Bearer ' + token } : {} });
  return Buffer.from(await r.arrayBuffer());
}

// The page's number format (report.js): zh-CN, 0 decimals for persons, else 2.
const fmt = (v, unit, loc = 'zh-CN') => (v === null || v === undefined ? '–'
  : Number(v).toLocaleString(loc, { minimumFractionDigits: unit === '人' ? 0 : 2, maximumFractionDigits: unit === '人' ? 0 : 2 }));

// pdfPages checks a PDF: every page carries its number "i / N" (pdftotext), and no page but the
// last is less than a third full: the lowest inked row of the page body (between the top and
// bottom page margins, so not the page number) must lie at least a third of the way down the
// body (pdftoppm, 30 dpi greyscale). It writes the pages as PNG images (pdftoppm, 50 dpi).
function pdfPages(file, prefix) {
  const n = Number((execFileSync('pdfinfo', [file]).toString().match(/Pages:\s+(\d+)/) || [])[1]);
  const numbered = [];
  const fill = [];
  const tmp = join(out, prefix + '-tmp');
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  execFileSync('pdftoppm', ['-gray', '-r', '30', file, join(tmp, 'p')]);
  const pgms = readdirSync(tmp).filter((f) => f.endsWith('.pgm')).sort();
  for (let i = 1; i <= n; i++) {
    const txt = execFileSync('pdftotext', ['-f', String(i), '-l', String(i), '-layout', file, '-']).toString();
    numbered.push(new RegExp(`(^|\\s)${i} ?/ ?${n}(\\s|$)`).test(txt)); // pdftotext may drop the spaces
    const b = readFileSync(join(tmp, pgms[i - 1]));
    // P5 header: "P5\n<w> <h>\n255\n"
    const m = b.toString('latin1', 0, 40).match(/^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/);
    const [w, h] = [Number(m[1]), Number(m[2])];
    const px = b.subarray(m[0].length);
    const mm = h / 297; // rows per millimetre
    const top = Math.ceil(15 * mm);
    const bottom = Math.floor(h - 16 * mm);
    let last = top;
    for (let y = top; y < bottom; y++) {
      for (let x = 0; x < w; x++) if (px[y * w + x] < 200) { last = y; break; }
    }
    fill.push(+((last - top) / (bottom - top)).toFixed(2));
  }
  rmSync(tmp, { recursive: true, force: true });
  execFileSync('pdftoppm', ['-png', '-r', '50', file, join(out, prefix)]);
  return { pages: n, numbered, fill };
}

const charts = ['#chart-attainment', '#chart-groups', '#chart-supply', '#chart-idle', '#chart-roads'];
// Raw keys that must never reach a reader.
const rawKeys = ['few_enterprises', 'dominant_enterprise', 'withheld_inputs', 'industrial_investment', 'land_supply_rate', 'degree_of_use', 'eval_class', 'area_m2', 'new_energy'];

try {
  const papi = await api('/api/v1/reports/intensity?group=district', args.token);
  const pubApi = await api('/api/v1/reports/intensity?group=district');

  // Public view, grouped by district, 1366 × 768, Chinese.
  const { page, rec } = await open('/reports?group=district');
  await page.screenshot({ path: join(out, 'report-public-zh-1366.png'), fullPage: true });
  report('public page loads without errors or outside requests', rec.errors.length === 0 && rec.external.length === 0, rec);

  const drawn = await page.evaluate((ids) => Object.fromEntries(ids.map((id) => [id, document.querySelectorAll(id + ' svg path').length])), charts);
  const minis = await page.$$eval('#chart-values .mini', (els) => els.map((e) => ({ key: e.dataset.key, svg: !!e.querySelector('svg'), why: (e.querySelector('.why') || {}).textContent || '' })));
  report('every chart draws', charts.every((id) => drawn[id] > 5) && minis.length === papi.total.indicators.length &&
    minis.every((m) => m.svg || m.why), { drawn, minis });

  // Table cells: the API's value, rounded (2 decimals; persons 0), in zh-CN format.
  const rows = await page.$$eval('#indicator-table tbody tr[data-key]', (trs) => trs.map((tr) => ({ key: tr.dataset.key, value: tr.children[2].textContent })));
  const want = pubApi.total.indicators.map((i) => ({ key: i.key, value: fmt(i.value, i.unit) }));
  const shownRows = rows.filter((r) => pubApi.total.indicators.some((i) => i.key === r.key));
  report('indicator table shows the API figures', JSON.stringify(shownRows) === JSON.stringify(want), { rows: shownRows, want });

  // The disclosure rule: the planner's report says, per indicator, whether the public sees it.
  // The public page shows exactly those, with the planner's value; a withheld one says why
  // in words, and its value is nowhere on the page.
  const text = await page.evaluate(() => document.querySelector('#report').innerText);
  const bad = [];
  for (const i of papi.total.indicators) {
    const row = await page.$(`#indicator-table tr[data-key="${i.key}"]`);
    const rowText = row ? await row.innerText() : '';
    if (i.public_withheld) {
      if (!rowText.includes(i.public_withheld.reason)) bad.push({ key: i.key, want: 'reason', rowText });
      if (i.value !== null && text.includes(fmt(i.value, i.unit))) bad.push({ key: i.key, leaked: fmt(i.value, i.unit) });
    } else if (!rowText.includes(fmt(i.value, i.unit))) bad.push({ key: i.key, want: fmt(i.value, i.unit), rowText });
  }
  const score = (await page.textContent('#score')).trim();
  if (papi.total.score_public_withheld ? score !== '不予公开' || text.includes(fmt(papi.total.score)) : score !== fmt(papi.total.score)) bad.push({ score, planner: papi.total.score });
  // Files: no withheld value in the public CSV (rounded, raw) or XLSX.
  const files = (await apiText('/api/v1/reports/intensity?group=district&format=csv&table=indicators')).toString() +
    (await apiText('/api/v1/reports/intensity?group=district&format=csv&table=indicators&raw=true')).toString();
  for (const g of [papi.total, ...(papi.groups || [])]) {
    for (const i of g.indicators) {
      if (i.public_withheld && i.value) {
        for (const s of [String(i.value), i.value.toFixed(2)]) if (files.includes(s)) bad.push({ group: g.key, key: i.key, csv: s });
      }
    }
  }
  const keysOnPage = rawKeys.filter((k) => text.includes(k));
  report('public report respects the disclosure rule', bad.length === 0 && keysOnPage.length === 0 &&
    papi.total.indicators.some((i) => i.public_withheld) === papi.total.indicators.length > pubApi.total.indicators.length, { bad, keysOnPage });

  // One language at a time: the Chinese page's fixed words, headings and definitions have no
  // English word; the English page's none of Chinese (names of places aside).
  const words = async (p) => p.evaluate(() => [...document.querySelectorAll('#report [data-t], #report th, #report td.def, #report figcaption, #report h1, #report .kpi .k, #report .why')]
    .map((e) => e.textContent).join('\n'));
  const zhWords = await words(page);
  const latin = (zhWords.match(/[A-Za-z]{3,}/g) || []).filter((w) => !['landinv', 'XLSX', 'CSV', 'PDF'].includes(w));
  await page.evaluate(() => window.landinvReport.setLang('en'));
  await page.screenshot({ path: join(out, 'report-public-en-1366.png'), fullPage: true });
  const enWords = (await words(page)).split(await page.textContent('#c-zone')).join('');
  const han = enWords.match(/[\u4e00-\u9fff]+/g) || [];
  const footer = await page.textContent('#generated');
  report('Chinese and English are never mixed, dates in the locale\'s format', latin.length === 0 && han.length === 0 &&
    !/\d{4}-\d\d-\d\dT/.test(text + footer) && /\d{4}年\d{1,2}月\d{1,2}日/.test(text) && /\d{1,2} [A-Z][a-z]+ \d{4}/.test(footer), { latin, han, footer });

  // The roads' text in English names the roads by their English names (the API's name_en).
  const roadsEn = await page.textContent('#roads-text');
  const roadsApi = await api('/api/v1/reports/roads');
  const namedRoads = roadsApi.opens_up.filter((o) => o.count && o.name_en);
  report("the English report names roads in English", namedRoads.length > 0 && namedRoads.every((o) => roadsEn.includes(o.name_en)) && !/[\u4e00-\u9fff]/.test(roadsEn),
    { roadsEn: roadsEn.slice(0, 400), named: namedRoads.map((o) => o.name_en) });

  // District names, not codes, and a note for a district with nothing to show.
  const groupNames = await page.$$eval('#groups-table tbody td:first-child', (tds) => tds.map((t) => t.textContent));
  report('groups are named', groupNames.length === (papi.groups || []).length && groupNames.every((n, i) => n === (papi.groups[i].label_en || papi.groups[i].key) && n !== papi.groups[i].key),
    { groupNames, keys: (papi.groups || []).map((g) => g.key) });

  // A phone: 375 px wide, nothing wider than the screen.
  for (const lang of ['zh', 'en']) {
    const ph = await open('/reports?group=district' + (lang === 'en' ? '&lang=en' : ''), null, { width: 375, height: 812 });
    await ph.page.screenshot({ path: join(out, `report-public-${lang}-375.png`), fullPage: true });
    await ph.page.screenshot({ path: join(out, `report-public-${lang}-375-top.png`) });
    const sw = await ph.page.evaluate(() => document.documentElement.scrollWidth);
    report(`fits a 375 px screen (${lang})`, sw <= 375 && ph.rec.errors.length === 0, { scrollWidth: sw, errors: ph.rec.errors });
    // Each indicator's small chart has room for its bars: the longest of its bars (value,
    // national reference, ideal: their colours) is at least 80 px long, not squeezed to nothing
    // by the labels beside it.
    const bars = await ph.page.$$eval('#chart-values .mini', (els) => els.filter((e) => e.querySelector('svg')).map((e) => {
      const widths = [...e.querySelectorAll('svg path')].filter((p) => ['#1f4e8c', '#8a94a0', '#5a9e6f'].includes((p.getAttribute('fill') || '').toLowerCase()))
        .map((p) => p.getBBox().width);
      return { key: e.dataset.key, longest: Math.round(Math.max(0, ...widths)) };
    }));
    report(`indicator bars drawn on a 375 px screen (${lang})`, bars.length > 0 && bars.every((b) => b.longest >= 80), bars);
    await ph.context.close();
  }

  // Planner view.
  const pl = await open('/reports', args.token);
  await pl.page.screenshot({ path: join(out, 'report-planner-zh-1366.png'), fullPage: true });
  const ptext = await pl.page.evaluate(() => document.body.innerText);
  const pscore = await pl.page.textContent('#score');
  const pz = await api('/api/v1/reports/intensity', args.token);
  const secret = ['工业用地固定资产投入强度', '工业用地地均税收', '综合地均税收', '人口密度'];
  report('planner view shows every indicator and the score',
    secret.every((s) => ptext.includes(s)) && pz.total.score !== null && pscore.trim() === fmt(pz.total.score) &&
    (await pl.page.$$('#indicator-table tr.withheld')).length === 0, { pscore, api: pz.total.score, errors: pl.rec.errors });

  // Print: A4, controls hidden, numbered pages, no page under a third full but the last.
  await pl.page.emulateMedia({ media: 'print' });
  const hidden = await pl.page.evaluate(() => getComputedStyle(document.querySelector('#controls')).display);
  const printed = {};
  for (const [name, p] of [['zh', pl.page], ['en', page]]) {
    await p.emulateMedia({ media: 'print' });
    await p.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    const pdf = await p.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    const file = join(out, `report-${name}.pdf`);
    writeFileSync(file, pdf);
    const mediaBox = (pdf.toString('latin1').match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/) || []).slice(1).map(Number);
    printed[name] = { ...pdfPages(file, `report-${name}-pdf`), mediaBox };
  }
  const a4 = (mb) => Math.abs(mb[0] - 595.92) < 2 && Math.abs(mb[1] - 842.88) < 2;
  report('prints to A4 without the controls', hidden === 'none' && Object.values(printed).every((r) => a4(r.mediaBox) && r.pages >= 2 && r.pages <= 10), { hidden, printed });
  report('printed pages are numbered "i / N"', Object.values(printed).every((r) => r.numbered.every(Boolean)), printed);
  // One family of type: no serif font anywhere in the printed report (the page numbers were).
  const serif = ['zh', 'en'].map((n) => execFileSync('pdffonts', [join(out, `report-${n}.pdf`)]).toString().split('\n').filter((l) => /serif/i.test(l) && !/sans/i.test(l))).flat();
  report('printed report has no serif font', serif.length === 0, { serif });
  report('no printed page under a third full, except the last', Object.values(printed).every((r) => r.fill.slice(0, -1).every((f) => f >= 1 / 3)), printed);
  const first = execFileSync('pdftotext', ['-f', '1', '-l', '1', join(out, 'report-zh.pdf'), '-']).toString();
  report('the cover names zone, issuer, period, date and page count; the last page is signed off',
    /临汾经济开发区/.test(first) && first.includes('编制单位') && first.includes('评价时点') && first.includes('编制日期') &&
    new RegExp(`本报告共 ${printed.zh.pages} 页`).test(first) && first.includes('管理委员会') &&
    /审核人/.test(execFileSync('pdftotext', ['-f', String(printed.zh.pages), '-l', String(printed.zh.pages), join(out, 'report-zh.pdf'), '-']).toString()),
  first.slice(0, 600));

  // The per-mu evaluation (亩均效益评价): 2024 and 2025 computed as the planner, 2025 published
  // and made final, so that the public sees its aggregates (cells of at least 3 firms).
  const post = async (path) => {
    const r = await fetch(base + path, { method: 'POST', headers: { Authorization: 'Bearer ' + args.token } });
    if (!r.ok) throw new Error(`POST ${path}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  const year = 2025;
  await post('/api/v1/evaluations/2024');
  await post(`/api/v1/evaluations/${year}`);
  await post(`/api/v1/evaluations/${year}/publish?until=${new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())}`);
  await post(`/api/v1/evaluations/${year}/finalize`);
  const ppm = await api(`/api/v1/reports/per-mu?year=${year}`, args.token);
  const prc = await api(`/api/v1/reports/reclamation?year=${year}`, args.token);
  const pubPm = await api(`/api/v1/reports/per-mu?year=${year}`);
  // The grade counts of the cluster and district tables, and what the API says they are
  // (a withheld cell: "*").
  const pmCounts = (p) => p.$$eval('#pm-cluster tbody tr, #pm-district tbody tr', (trs) => trs.map((tr) => ({ table: tr.closest('table').id, group: tr.dataset.group,
    grades: Object.fromEntries([...tr.querySelectorAll('td[data-grade]')].map((td) => [td.dataset.grade, td.textContent])) })));
  const wantCounts = (rep) => [['pm-cluster', rep.by_cluster], ['pm-district', rep.by_district]].flatMap(([table, gs]) => gs.map((g) => ({ table, group: g.group,
    grades: Object.fromEntries(['A', 'B', 'C', 'D', 'ungraded'].map((k) => [k, g.grades[k] === null ? '*' : fmt(g.grades[k], '人')])) })));
  const pmCharts = ['#chart-pm-cluster', '#chart-pm-land'];

  const pp = await open(`/reports?report=per-mu&year=${year}`, args.token);
  await pp.page.screenshot({ path: join(out, 'report-permu-planner-zh-1366.png'), fullPage: true });
  const gotP = await pmCounts(pp.page);
  const pDrawn = await pp.page.evaluate((ids) => Object.fromEntries(ids.map((id) => [id, document.querySelectorAll(id + ' svg path').length])), pmCharts);
  const firmRows = await pp.page.$$eval('#pm-firms-table tbody tr', (trs) => trs.map((tr) => [tr.dataset.code, tr.children[1].textContent, tr.dataset.grade]));
  const reclaimRows = await pp.page.$$eval('#pm-reclaim-table tbody tr', (trs) => trs.map((tr) => tr.dataset.code));
  report('per-mu report as a planner: grade counts, firms and reclamation list equal the API',
    pp.rec.errors.length === 0 && ppm.confidential && ppm.state === 'final' && ppm.by_cluster.length > 1 && ppm.firms.length > 0 &&
    JSON.stringify(gotP) === JSON.stringify(wantCounts(ppm)) && pmCharts.every((id) => pDrawn[id] > 5) &&
    JSON.stringify(firmRows) === JSON.stringify(ppm.firms.map((f) => [f.credit_code, f.name, f.grade || ''])) &&
    prc.firms.length > 0 && JSON.stringify(reclaimRows) === JSON.stringify(prc.firms.map((f) => f.credit_code)),
  { errors: pp.rec.errors, got: gotP.slice(0, 3), want: wantCounts(ppm).slice(0, 3), pDrawn, firms: firmRows.length, api: ppm.firms.length, reclaim: reclaimRows.length, apiReclaim: prc.firms.length });
  const plannerLink = await pp.page.evaluate(() => document.querySelector('a[data-report="reclamation"]').offsetParent !== null);
  report('per-mu: the reclamation list download is offered to a planner', plannerLink, { plannerLink });
  await pp.page.evaluate(() => window.landinvReport.setLang('en'));
  await pp.page.screenshot({ path: join(out, 'report-permu-planner-en-1366.png'), fullPage: true });
  const pmWords = (await words(pp.page)).split(await pp.page.textContent('#c-zone')).join('');
  const pmHan = pmWords.match(/[\u4e00-\u9fff]+/g) || [];
  report('per-mu report in English has no Chinese word', pmHan.length === 0, { han: pmHan });

  // The public: the same counts as the public API, no firm's name, no firm or reclamation table.
  const pu = await open(`/reports?report=per-mu&year=${year}`);
  await pu.page.screenshot({ path: join(out, 'report-permu-public-zh-1366.png'), fullPage: true });
  const gotPub = await pmCounts(pu.page);
  const pubText = await pu.page.evaluate(() => document.body.innerText);
  const named = [...ppm.firms.map((f) => f.name), ...ppm.firms.map((f) => f.credit_code)].filter((n) => pubText.includes(n));
  const tablesShown = await pu.page.evaluate(() => ['#pm-firms-table', '#pm-reclaim-table', 'a[data-report="reclamation"]'].filter((id) => document.querySelector(id).offsetParent !== null));
  report('per-mu report for the public: the public API\'s counts and no firm name',
    pu.rec.errors.length === 0 && !pubPm.confidential && JSON.stringify(gotPub) === JSON.stringify(wantCounts(pubPm)) && gotPub.length > 0 &&
    named.length === 0 && tablesShown.length === 0, { errors: pu.rec.errors, named: named.slice(0, 5), tablesShown, got: gotPub.slice(0, 3), want: wantCounts(pubPm).slice(0, 3) });
  await pu.page.evaluate(() => window.landinvReport.setLang('en'));
  await pu.page.screenshot({ path: join(out, 'report-permu-public-en-1366.png'), fullPage: true });

  // Printed (planner, Chinese; public, English): numbered, no page under a third full but the last.
  const pmPrinted = {};
  await pp.page.evaluate(() => window.landinvReport.setLang('zh'));
  for (const [name, p] of [['planner-zh', pp.page], ['public-en', pu.page]]) {
    await p.emulateMedia({ media: 'print' });
    await p.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    const file = join(out, `report-permu-${name}.pdf`);
    writeFileSync(file, await p.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true }));
    pmPrinted[name] = pdfPages(file, `report-permu-${name}-pdf`);
  }
  report('per-mu report prints on numbered pages, none under a third full but the last',
    Object.values(pmPrinted).every((r) => r.numbered.every(Boolean) && r.fill.slice(0, -1).every((f) => f >= 1 / 3)), pmPrinted);

  // The investment project pipeline (招商项目推进情况): confidential, offered to planners and
  // leaders only; its tables equal the API; in English no Chinese outside names entered in
  // Chinese (marked lang=zh-CN); printed on numbered pages.
  const pipe = await api('/api/v1/reports/pipeline', args.token);
  const pp2 = await open('/reports?report=pipeline', args.token);
  await pp2.page.screenshot({ path: join(out, 'report-pipeline-zh-1366.png'), fullPage: true });
  const plGot = await pp2.page.evaluate(() => {
    const rows = (sel, key = 'code') => [...document.querySelectorAll(sel + ' tbody tr[data-' + key + ']')].map((tr) => tr.dataset[key]);
    return {
      report: document.body.dataset.report,
      stages: [...document.querySelectorAll('#pl-stages tbody tr[data-stage]')].map((tr) => [tr.dataset.stage, tr.children[1].textContent, tr.children[2].textContent]),
      clusters: [...document.querySelectorAll('#pl-clusters tbody tr[data-cluster]')].map((tr) => [tr.dataset.cluster, [...tr.children].slice(1, -2).map((td) => td.textContent)]),
      durations: [...document.querySelectorAll('#pl-durations tbody tr')].map((tr) => [tr.dataset.to, tr.children[2].textContent]),
      overdue: rows('#pl-overdue'), waiting: rows('#pl-waiting-table'), land: rows('#pl-land'), plants: rows('#pl-plants'),
      idle: [...document.querySelectorAll('#pl-overdue tbody tr[data-code]')].map((tr) => tr.children[9].textContent),
      landTotal: document.querySelector('#pl-land tr.total td.num').textContent,
      chart: document.querySelectorAll('#chart-pl-stages svg path').length,
    };
  });
  const n0 = (v) => fmt(v, '人');
  const plWant = {
    report: 'pipeline',
    stages: pipe.stages.map((x) => [x.stage, n0(x.projects), fmt(x.investment_wan)]),
    clusters: pipe.clusters.map((c) => [c.cluster, pipe.stages.map((x) => (c.by_stage[x.stage] ? n0(c.by_stage[x.stage]) : '·'))]),
    durations: pipe.durations.map((d) => [d.to, d.median_days === null ? '–' : Number(d.median_days).toLocaleString('zh-CN', { minimumFractionDigits: d.median_days % 1 ? 1 : 0, maximumFractionDigits: d.median_days % 1 ? 1 : 0 })]),
    overdue: pipe.overdue.map((o) => o.code), waiting: pipe.waiting_projects.map((w) => w.code), land: pipe.waiting_land.map((x) => x.code), plants: pipe.waiting_plants.map((x) => x.code),
    landTotal: fmt(pipe.waiting_land_mu),
  };
  const plSame = Object.keys(plWant).every((k) => JSON.stringify(plGot[k]) === JSON.stringify(plWant[k]));
  // The idle-land column: supplied land says whether (or from when) it is idle, in words.
  const idleOK = pipe.overdue.every((o, i) => (o.stage === 'supplied' && o.plot_code ? /闲置/.test(plGot.idle[i]) : plGot.idle[i] === '–'));
  report('pipeline report as a planner: stages, clusters, durations, overdue, waiting projects, land and plants equal the API',
    pp2.rec.errors.length === 0 && pipe.confidential && pipe.overdue.length > 0 && pipe.waiting_projects.length > 0 && plSame && idleOK && plGot.chart > 5,
    { errors: pp2.rec.errors, got: plGot, want: plWant, idleOK });
  await pp2.page.evaluate(() => window.landinvReport.setLang('en'));
  await pp2.page.screenshot({ path: join(out, 'report-pipeline-en-1366.png'), fullPage: true });
  const plHan = await pp2.page.evaluate(() => {
    const bad = [];
    const walk = document.createTreeWalker(document.querySelector('#report'), NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const el = n.parentElement;
      if (!/[\u4e00-\u9fff]/.test(n.textContent) || el.closest('[lang="zh-CN"]') || !el.checkVisibility()) continue;
      if (el.closest('#c-zone, #c-issuer, #sign-issuer')) continue; // names of the zone and issuer, as the other reports
      bad.push(n.textContent.trim().slice(0, 40));
    }
    return bad;
  });
  report('pipeline report in English has no Chinese word outside names entered in Chinese', plHan.length === 0, { han: plHan.slice(0, 10) });
  const pl375 = await open('/reports?report=pipeline&lang=en', args.token, { width: 375, height: 740 });
  await pl375.page.screenshot({ path: join(out, 'report-pipeline-en-375.png'), fullPage: true });
  const plWide = await pl375.page.evaluate(() => document.documentElement.scrollWidth);
  report('pipeline report fits a 375 px screen', plWide <= 375, { scrollWidth: plWide });

  // The public is not offered it and never asks for it.
  const plPub = await open('/reports?report=pipeline');
  const plPubState = await plPub.page.evaluate(() => ({ report: document.body.dataset.report, offered: !document.querySelector('option[value=pipeline]').hidden }));
  const plAsked = plPub.rec.urls ? plPub.rec.urls.filter((u) => u.includes('/reports/pipeline')) : [];
  report('pipeline report is neither offered to nor requested for the public',
    plPubState.report !== 'pipeline' && !plPubState.offered && plAsked.length === 0 && plPub.rec.errors.length === 0, { ...plPubState, plAsked, errors: plPub.rec.errors });

  const plPrinted = {};
  for (const l of ['zh', 'en']) {
    await pp2.page.evaluate((x) => window.landinvReport.setLang(x), l);
    await pp2.page.emulateMedia({ media: 'print' });
    await pp2.page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    const file = join(out, `report-pipeline-${l}.pdf`);
    writeFileSync(file, await pp2.page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true }));
    plPrinted[l] = pdfPages(file, `report-pipeline-${l}-pdf`);
    await pp2.page.emulateMedia({ media: 'screen' });
  }
  report('pipeline report prints on numbered pages, none under a third full but the last',
    Object.values(plPrinted).every((r) => r.pages > 1 && r.numbered.every(Boolean) && r.fill.slice(0, -1).every((f) => f >= 1 / 3)), plPrinted);

  // Sections and figures are numbered 1, 2, 3 … as the reader sees them: the whole zone's
  // report (no groups section) and the grouped one, in both languages.
  const numbering = {};
  for (const path of ['/reports', '/reports?group=district', '/reports?lang=en', '/reports?group=district&lang=en']) {
    const np = await open(path);
    numbering[path] = await np.page.evaluate(() => {
      const zh = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
      const seen = (e) => e.offsetParent !== null;
      const heads = [...document.querySelectorAll('#report section h2')].filter(seen).map((h) => h.textContent);
      const figs = [...document.querySelectorAll('#report section figcaption')].filter(seen).map((c) => c.textContent);
      return { heads: heads.map((t) => { const m = t.match(/^(\d+)\. |^([一二三四五六七八九十])、/); return m ? Number(m[1] || zh[m[2]]) : 0; }),
        figs: figs.map((t) => { const m = t.match(/^(?:Figure |图)(\d+)/); return m ? Number(m[1]) : 0; }), first: heads.slice(3, 6) };
    });
    await np.context.close();
  }
  const consecutive = (a) => a.length > 0 && a.every((x, i) => x === i + 1);
  report('sections and figures are numbered as seen', Object.values(numbering).every((x) => consecutive(x.heads) && consecutive(x.figs))
    && numbering['/reports'].heads.length === numbering['/reports?group=district'].heads.length - 1, numbering);

  // A date before the inventory's history: the cover says when the history begins (the API's
  // history_from), in each language, instead of zeros without a word.
  const hist = {};
  for (const l of ['zh', 'en']) {
    const hp = await open(`/reports?as_of=2001-01-01${l === 'en' ? '&lang=en' : ''}`);
    hist[l] = await hp.page.evaluate(() => (document.querySelector('#history-note').hidden ? '' : document.querySelector('#history-note').textContent));
    await hp.page.screenshot({ path: join(out, `report-before-history-${l}-1366.png`) });
    await hp.context.close();
  }
  const histApi = await api('/api/v1/reports/supply?as_of=2001-01-01T23:59:59%2B08:00');
  const histLive = await open('/reports');
  const liveNote = await histLive.page.evaluate(() => document.querySelector('#history-note').hidden);
  await histLive.context.close();
  // The day the history begins, in China time, as each language writes a date.
  const day = (loc) => (histApi.history_from ? new Intl.DateTimeFormat(loc, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'Asia/Shanghai' }).format(new Date(histApi.history_from)) : '?');
  report('a date before the history says when it begins', !!histApi.history_from && hist.zh.includes(day('zh-CN')) && /最早记录/.test(hist.zh)
    && hist.en.includes(day('en-GB')) && /first record of the zone/.test(hist.en) && liveNote, { hist, history_from: histApi.history_from, zh: day('zh-CN'), en: day('en-GB'), liveNote });

  // The public's rate limit for costly work, on a server of its own with a small one: the page
  // says so in its language (wait a minute, or sign in), never the server's English detail.
  const limitSaid = {};
  for (const l of ['zh', 'en']) {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const pg = await ctx.newPage();
    for (let i = 0; i < 6; i++) {
      await pg.goto(args.limited + `/reports?lang=${l}`);
      await pg.waitForSelector('body[data-ready=true]', { timeout: 60000 });
      if (await pg.isVisible('#error')) break;
    }
    limitSaid[l] = await pg.evaluate(() => (document.querySelector('#error').hidden ? '' : document.querySelector('#error').textContent));
    await pg.screenshot({ path: join(out, `report-rate-limited-${l}-1366.png`) });
    await ctx.close();
  }
  report("the public's rate limit is said in the page's language", /一分钟后再刷新/.test(limitSaid.zh) && /wait a minute/.test(limitSaid.en)
    && !/[\u4e00-\u9fff]/.test(limitSaid.en) && !/retry after|too many requests/i.test(limitSaid.zh + limitSaid.en), limitSaid);
} catch (e) {
  report('script', false, String(e.stack || e));
}
await browser.close();
