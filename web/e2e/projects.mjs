// Browser checks of the investment projects on the land map (issue 16), driven by playwright-core
// over Debian's chromium: the public page requests no project route and shows no project; a
// planner (signed in by the session, as /signin does) sees the projects by stage with the
// overdue ones marked, selects a project and sees its matches outlined on the map (the plot
// codes MapLibre draws in the match layers equal the API's match codes, passing and failing
// apart) with the key in the legend and every condition listed, flies to a match and opens its
// site sheet; turns an enquiry into a project; advances its stage, and a skipped stage is
// refused in words. In Chinese and English, at 1366×768 and 375×740; screenshots projects-*.png.
// Prints one JSON object per line: {"check", "ok", "detail"}.
//
//   node projects.mjs --base URL --name USER --password PW --enquiry ID --out DIR
import { join } from 'node:path';
import { args, base, out, report, launch } from './lib.mjs';

const browser = await launch();

const CJK = /[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]/;
const sameSet = (a, b) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

// open loads the map page in a new context, signed in as the planner when signIn.
async function open(path, { signIn, viewport = { width: 1366, height: 768 } } = {}) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  if (signIn) {
    const r = await context.request.post(base + '/api/v1/session', { data: { name: args.name, password: args.password } });
    if (!r.ok()) throw new Error('sign in: ' + r.status() + ' ' + (await r.text()));
  }
  const page = await context.newPage();
  const rec = { errors: [], urls: [] };
  page.on('console', (m) => { if (m.type() === 'error') rec.errors.push(m.text()); });
  page.on('pageerror', (e) => rec.errors.push('pageerror: ' + e.message));
  page.on('request', (r) => { if (r.url().startsWith(base + '/')) rec.urls.push(r.method() + ' ' + r.url().slice(base.length)); });
  await page.goto(base + path);
  await page.waitForSelector('body[data-ready=true]', { timeout: 60000 });
  return { page, rec, context };
}

// api reads the API as the planner (a session of its own).
let cookie = '';
async function api(path, init = {}) {
  if (!cookie) {
    const r = await fetch(base + '/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: args.name, password: args.password }) });
    cookie = (r.headers.get('set-cookie') || '').split(';')[0];
  }
  const r = await fetch(base + path, { ...init, headers: { Cookie: cookie, Accept: 'application/json', ...(init.headers || {}) } });
  return r.json();
}

// idle waits until the map has drawn what it shows.
const idle = (page) => page.evaluate(() => new Promise((resolve) => {
  const map = window.landinv.map;
  const check = () => (map.loaded() && !map.isMoving() && map.areTilesLoaded() ? resolve() : map.once('idle', check));
  setTimeout(check, 50);
}));

// drawn returns the codes drawn in the match layers of a layer, passing and failing.
const drawn = (page, kind) => page.evaluate((k) => {
  const map = window.landinv.map;
  const codes = (id) => [...new Set(map.queryRenderedFeatures({ layers: [id] }).map((f) => f.properties.code))];
  return { pass: codes(`pj-${k}-pass`), fail: codes(`pj-${k}-fail`) };
}, kind);

async function selectProject(page, code) {
  // A second click on the selected project closes it: click only when it is not selected.
  if ((await page.getAttribute(`.pj-item[data-code="${code}"]`, 'aria-pressed')) !== 'true') await page.click(`.pj-item[data-code="${code}"]`);
  await page.waitForSelector('#pj-matches li, #pj-matches p', { timeout: 20000 });
  await idle(page);
}

// englishLeaks lists the texts of the panel and the legend's key in Chinese, outside text marked
// lang=zh-CN (names entered by planners).
const englishLeaks = (page) => page.evaluate((re) => {
  const rx = new RegExp(re);
  const bad = [];
  for (const root of [document.querySelector('#projects'), document.querySelector('#legend-projects')]) {
    if (!root) continue;
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (!rx.test(n.textContent)) continue;
      if (n.parentElement.closest('[lang="zh-CN"]')) continue;
      if (n.parentElement.closest('[hidden]') || n.parentElement.closest('option')) continue;
      bad.push(n.textContent.trim().slice(0, 60));
    }
  }
  return bad;
}, CJK.source);

const step = async (name, fn, page) => {
  try {
    const r = await fn();
    report(name, r.ok, r.detail);
  } catch (e) {
    report(name, false, e.stack || e.message);
    if (page) await page.screenshot({ path: join(out, `projects-fail-${name.replace(/\W+/g, '_')}.png`) }).catch(() => {});
  }
};

try {
  // The public: no project route requested, nothing of them shown.
  await step('public page requests no project route and shows none', async () => {
    const { page, rec, context } = await open('/');
    await page.waitForTimeout(1500);
    const asked = rec.urls.filter((u) => /\/api\/v1\/(projects|enquiries)|reports\/pipeline/.test(u));
    const shown = await page.$('#projects');
    await context.close();
    return { ok: asked.length === 0 && !shown && rec.errors.length === 0, detail: { asked, shown: !!shown, errors: rec.errors } };
  });

  const { page, rec } = await open('/', { signIn: true });
  await page.waitForSelector('#projects-box .pj-item', { timeout: 20000 });
  const all = (await api('/api/v1/projects?limit=1000')).features;
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

  await step('projects listed by stage, overdue marked', async () => {
    const shown = await page.$$eval('.pj-stage', (els) => els.map((e) => ({ stage: e.dataset.stage, codes: [...e.querySelectorAll('.pj-item')].map((b) => b.dataset.code) })));
    const overdue = await page.$$eval('.pj-item.overdue', (els) => els.map((e) => e.dataset.code));
    const bad = [];
    for (const f of all) {
      const c = f.properties.confidential;
      const g = shown.find((s) => s.stage === c.stage);
      if (!g || !g.codes.includes(f.id)) bad.push({ missing: f.id, stage: c.stage });
    }
    const wantOverdue = all.filter((f) => { const c = f.properties.confidential; return c.next_action_due && c.next_action_due < today && !['in_production', 'dropped'].includes(c.stage); }).map((f) => f.id);
    const n = shown.reduce((a, s) => a + s.codes.length, 0);
    return { ok: bad.length === 0 && n === all.length && sameSet(overdue, wantOverdue) && wantOverdue.length > 0, detail: { bad, n, overdue, wantOverdue } };
  }, page);

  // A signed project waiting for land: its plot matches on the map.
  const landProject = all.find((f) => f.properties.confidential.stage === 'signed' && !f.properties.confidential.plot_code && f.properties.confidential.area_mu_min != null).id;
  const plotMatches = (await api(`/api/v1/projects/${landProject}/matches?layer=plots`)).matches;
  await step('matches highlighted on the map equal the API (plots), pass and fail apart', async () => {
    await selectProject(page, landProject);
    const d = await drawn(page, 'plots');
    const pass = plotMatches.filter((m) => m.conditions.every((c) => c.pass)).map((m) => m.code);
    const fail = plotMatches.filter((m) => !m.conditions.every((c) => c.pass)).map((m) => m.code);
    const listed = await page.$$eval('#pj-matches li', (els) => els.map((e) => e.dataset.code));
    await page.screenshot({ path: join(out, 'projects-zh-1366.png') });
    // The line under the heading counts every candidate: the zone's ready plots, as the list
    // API counts them, and those meeting every condition.
    const full = await api(`/api/v1/projects/${landProject}/matches?layer=plots`);
    const ready = (await api('/api/v1/plots?status=ready&limit=1')).number_matched;
    const countText = await page.textContent('#pj-matches .pj-count');
    // Sites meeting every condition rank first: fewer of them listed than listed in all means
    // they are all listed.
    const passingOK = pass.length < listed.length ? full.passing === pass.length : full.passing >= pass.length;
    const counted = full.candidates === ready && passingOK
      && countText.includes(`候选地块 ${full.candidates} 块`) && countText.includes(`其中 ${full.passing} 块满足全部条件`) && countText.includes(`前 ${listed.length} 块`);
    return { ok: plotMatches.length > 0 && sameSet(d.pass, pass) && sameSet(d.fail, fail) && JSON.stringify(listed) === JSON.stringify(plotMatches.map((m) => m.code)) && counted,
      detail: { drawn: d, pass, fail, listed, candidates: full.candidates, passing: full.passing, ready, countText } };
  }, page);

  await step('legend shows the match styles', async () => {
    const key = await page.$$eval('#legend-projects li', (els) => els.map((e) => ({ text: e.textContent, style: e.querySelector('.swatch').getAttribute('style') })));
    const visible = await page.$eval('#legend-projects', (e) => !e.hidden && e.getBoundingClientRect().height > 0);
    return { ok: visible && key.length === 2 && key[0].style !== key[1].style, detail: key };
  }, page);

  await step('every condition listed with pass/fail, value and required', async () => {
    const rows = await page.$$eval('#pj-matches li', (els) => els.map((e) => ({ code: e.dataset.code,
      score: e.querySelector('.pj-score').textContent,
      conds: [...e.querySelectorAll('.pj-conds tr[data-name]')].map((r) => ({ name: r.dataset.name, pass: r.classList.contains('pass'), cells: [...r.children].map((c) => c.textContent) })) })));
    const bad = [];
    for (const m of plotMatches) {
      const r = rows.find((x) => x.code === m.code);
      if (!r || r.conds.length !== m.conditions.length) { bad.push({ code: m.code, rows: r }); continue; }
      const score = Number(m.score).toLocaleString('zh-CN', { maximumFractionDigits: 2 });
      if (!r.score.includes(score)) bad.push({ code: m.code, score: r.score, want: score });
      m.conditions.forEach((c, i) => {
        const x = r.conds[i];
        if (x.name !== c.name || x.pass !== c.pass || x.cells.some((t) => !t || t.startsWith('pj_'))) bad.push({ code: m.code, c, x });
        // The plot's side and the project's: for a preset minimum the value is the project's
        // figure (4th column) and the required the plot's (3rd); elsewhere the other way round.
        const preset = c.name.startsWith('min_');
        if (typeof c.value === 'number' && !x.cells[preset ? 3 : 2].includes(c.value.toLocaleString('zh-CN', { maximumFractionDigits: 2 }))) bad.push({ code: m.code, value: c.value, x });
        if (preset && c.value == null && c.required != null && !x.cells[3].includes('项目未填报')) bad.push({ code: m.code, notCommitted: x });
      });
    }
    return { ok: bad.length === 0, detail: bad.slice(0, 5) };
  }, page);

  await step('derived investment per mu marked, equal to total investment ÷ plot area', async () => {
    const project = await api(`/api/v1/projects/${landProject}`);
    const c = project.properties.confidential;
    const cells = await page.$$eval('#pj-matches li', (els) => els.map((e) => {
      const td = e.querySelector('tr[data-name=min_investment_wan_per_mu] td.pj-project');
      return { code: e.dataset.code, value: td && td.dataset.value, basis: td && td.dataset.basis, marker: !!(td && td.querySelector('.pj-derived')) };
    }));
    const bad = [];
    let derived = 0;
    for (const m of plotMatches) {
      const inv = m.conditions.find((x) => x.name === 'min_investment_wan_per_mu');
      const area = m.conditions.find((x) => x.name === 'area_mu').value;
      const cell = cells.find((x) => x.code === m.code);
      if (c.investment_wan_per_mu != null || c.total_investment_wan == null) { bad.push({ precondition: c }); break; }
      const want = c.total_investment_wan / area;
      // the area is rounded to 0.01 亩 in the answer, the value to 0.01 万元/亩
      if (inv.basis !== 'derived' || Math.abs(inv.value - want) > want * 0.01 / area + 0.006 || !cell || !cell.marker || Math.abs(Number(cell.value) - inv.value) > 1e-9) bad.push({ code: m.code, inv, want, cell });
      else derived++;
    }
    const nonePass = await page.$('#pj-matches .pj-none-pass');
    const wantNone = !plotMatches.some((m) => m.conditions.every((x) => x.pass));
    return { ok: bad.length === 0 && derived === plotMatches.length && !!nonePass === wantNone, detail: { bad: bad.slice(0, 3), derived, nonePass: !!nonePass, wantNone } };
  }, page);

  await step('a match flies to its site and links to its site sheet', async () => {
    const code = plotMatches[0].code;
    const before = await page.evaluate(() => window.landinv.map.getCenter().toArray());
    await page.click(`#pj-matches li[data-code="${code}"] .pj-fly`);
    await page.waitForFunction((c) => window.landinv.state.selected && window.landinv.state.selected.code === c && window.landinv.state.selected.feature, code, { timeout: 15000 });
    await idle(page);
    const inView = await page.evaluate((c) => window.landinv.map.queryRenderedFeatures({ layers: ['selected'] }).some((f) => f.properties.code === c), code);
    const after = await page.evaluate(() => window.landinv.map.getCenter().toArray());
    const href = await page.$eval(`#pj-matches li[data-code="${code}"] .pj-sheet`, (a) => a.getAttribute('href'));
    const [sheet] = await Promise.all([page.context().waitForEvent('page'), page.click(`#pj-matches li[data-code="${code}"] .pj-sheet`)]);
    await sheet.waitForLoadState();
    const sheetText = await sheet.evaluate(() => document.body.innerText);
    const sheetOK = sheet.url().includes(`/sites/plots/${code}`) && sheetText.includes(code);
    await sheet.close();
    return { ok: inView && href.startsWith(`/sites/plots/${encodeURIComponent(code)}`) && sheetOK && (before[0] !== after[0] || before[1] !== after[1]),
      detail: { inView, href, sheetOK, before, after } };
  }, page);

  // A project that leases a plant: its matches are buildings.
  const plantProject = all.find((f) => f.properties.confidential.plant_area_m2 != null && f.properties.confidential.area_mu_min == null);
  if (plantProject) {
    await step('plant matches highlighted equal the API (plants)', async () => {
      await page.click('#details-close').catch(() => {});
      await selectProject(page, plantProject.id);
      const want = (await api(`/api/v1/projects/${plantProject.id}/matches?layer=plants`)).matches;
      const d = await drawn(page, 'plants');
      const plots = await drawn(page, 'plots');
      return { ok: want.length > 0 && sameSet([...d.pass, ...d.fail], want.map((m) => m.code)) && plots.pass.length + plots.fail.length === 0,
        detail: { drawn: d, want: want.map((m) => m.code), plots } };
    }, page);
  }

  // An enquiry becomes a lead project, then moves one stage; a skip is refused in words.
  const enq = Number(args.enquiry);
  const newCode = `PRJ-E${enq}`;
  await step('an enquiry becomes a project from the enquiry list', async () => {
    await page.click('#enquiries-box > summary');
    await page.click(`#enquiries-box li[data-id="${enq}"] .pj-make`);
    await page.waitForFunction((c) => window.landinvProjects.state.project && window.landinvProjects.state.project.id === c, newCode, { timeout: 15000 });
    const p = await api(`/api/v1/projects/${newCode}`);
    const inList = await page.$(`.pj-stage[data-stage=lead] .pj-item[data-code="${newCode}"]`);
    const again = await page.$(`#enquiries-box li[data-id="${enq}"] .pj-open`);
    return { ok: p.properties && p.properties.confidential.enquiry_id === enq && p.properties.confidential.stage === 'lead' && !!inList && !!again,
      detail: { project: p.properties, inList: !!inList, again: !!again } };
  }, page);

  await step('advancing a stage moves the project one stage', async () => {
    await page.selectOption('#pj-stage-form select[name=stage]', 'negotiating');
    await page.click('#pj-stage-form button[type=submit]');
    await page.waitForSelector('#pj-stage-msg.ok', { timeout: 15000 });
    const p = await api(`/api/v1/projects/${newCode}`);
    const msg = await page.textContent('#pj-stage-msg');
    const inList = await page.$(`.pj-stage[data-stage=negotiating] .pj-item[data-code="${newCode}"]`);
    return { ok: p.properties.confidential.stage === 'negotiating' && msg.includes('洽谈') && !!inList, detail: { stage: p.properties.confidential.stage, msg } };
  }, page);

  await step('a skipped stage is refused in words and changes nothing (zh)', async () => {
    await page.selectOption('#pj-stage-form select[name=stage]', 'started');
    await page.click('#pj-stage-form button[type=submit]');
    await page.waitForSelector('#pj-stage-msg:not(.ok):not(:empty)', { timeout: 15000 });
    const msg = await page.textContent('#pj-stage-msg');
    const p = await api(`/api/v1/projects/${newCode}`);
    return { ok: msg.includes('“洽谈”') && msg.includes('“开工”') && msg.includes('阶段') && !/[a-z_]{4,}/.test(msg) && p.properties.confidential.stage === 'negotiating', detail: msg };
  }, page);

  await step('English view has no untranslated string; a skip refused in English', async () => {
    await page.click('#lang');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.waitForTimeout(300);
    await page.selectOption('#pj-stage-form select[name=stage]', 'in_production');
    await page.click('#pj-stage-form button[type=submit]');
    // The zh step's refusal is shown in English now too (messages follow the language): wait
    // for this one's.
    await page.waitForFunction(() => /cannot go.*In production/.test(document.querySelector('#pj-stage-msg').textContent), null, { timeout: 15000 });
    const msg = await page.textContent('#pj-stage-msg');
    await selectProject(page, landProject);
    await page.screenshot({ path: join(out, 'projects-en-1366.png') });
    const leaks = await englishLeaks(page);
    return { ok: leaks.length === 0 && /Negotiating/.test(msg) && /In production/.test(msg), detail: { leaks, msg } };
  }, page);

  await step('a matched plot reserved for a signed project from its match (Reserve this plot)', async () => {
    await page.click('#lang'); // back to Chinese
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    await selectProject(page, landProject);
    // A plot failing a hard condition (area, land use, cluster): the reservation asks first.
    const hard = ['area_mu', 'land_use', 'cluster'];
    const m = plotMatches.find((x) => x.conditions.some((c) => !c.pass && hard.includes(c.name)));
    if (!m) return { ok: false, detail: 'no match fails a hard condition' };
    const code = m.code;
    const failed = m.conditions.filter((c) => !c.pass).map((c) => c.name);
    await page.click(`#pj-matches li[data-code="${code}"] .pj-choose`);
    const filled = await page.$eval('#pj-stage-form', (f) => ({ stage: f.elements.stage.value, plot: f.elements.plot_code.value }));
    await page.click('#pj-stage-form button[type=submit]');
    await page.waitForSelector('#pj-confirm', { timeout: 5000 });
    const asked = await page.$$eval('#pj-confirm li', (els) => els.map((e) => ({ name: e.dataset.name, text: e.textContent })));
    const askText = await page.textContent('#pj-confirm');
    const before = (await api(`/api/v1/plots/${code}`)).properties.status; // nothing sent yet
    await page.screenshot({ path: join(out, 'projects-zh-1366-confirm.png') });
    await page.click('#pj-confirm .pj-confirm-yes');
    await page.waitForSelector('#pj-stage-msg:not(:empty)', { timeout: 15000 });
    const msg = await page.textContent('#pj-stage-msg');
    const p = await api(`/api/v1/projects/${landProject}`);
    const plot = await api(`/api/v1/plots/${code}`);
    await page.screenshot({ path: join(out, 'projects-zh-1366-reserved.png') });
    const words = asked.every((a) => !/[a-z]{3,}_/.test(a.text) && a.text.includes('地块') && a.text.includes('项目'));
    return { ok: filled.stage === 'signed' && filled.plot === code && before === 'ready' && sameSet(asked.map((a) => a.name), failed) && words
        && askText.includes(code) && msg.includes(`预留地块 ${code}`) && msg.includes(landProject) && !msg.includes('已推进')
        && p.properties.confidential.plot_code === code && plot.properties.status === 'reserved',
      detail: { filled, asked, failed, msg, before, plot: plot.properties && plot.properties.status, project: p.properties.confidential.plot_code } };
  }, page);

  await step('the enquiry list shows the contact fields; a reply is recorded', async () => {
    const q = (await api('/api/v1/enquiries')).enquiries.find((x) => x.id === enq);
    if (!(await page.$eval('#enquiries-box', (d) => d.open))) await page.click('#enquiries-box > summary');
    const sel = `#enquiries-box li[data-id="${enq}"]`;
    await page.click(`${sel} .pj-enq > summary`);
    const summary = await page.textContent(`${sel} .pj-enq > summary`);
    const text = await page.textContent(`${sel} .pj-enq-fields`);
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(q.created_at));
    const want = [q.name, q.company, q.phone, q.email, q.industry, q.message, q.site_code, '30 亩', day];
    const missing = want.filter((w) => !text.includes(w));
    const tel = await page.$eval(`${sel} a[href^="tel:"]`, (a) => a.getAttribute('href'));
    await page.screenshot({ path: join(out, 'projects-zh-1366-enquiries.png') });
    await page.selectOption(`${sel} select[name=status]`, 'contacted');
    await page.fill(`${sel} textarea[name=reply]`, '已电话联系,约下周考察');
    await page.click(`${sel} .pj-enq-form button[type=submit]`);
    await page.waitForSelector(`${sel} .pj-enq-msg.ok`, { timeout: 15000 });
    const after = (await api('/api/v1/enquiries')).enquiries.find((x) => x.id === enq);
    const shown = await page.textContent(`${sel} .pj-enq-status`);
    return { ok: missing.length === 0 && summary.includes(day) && summary.includes(q.name) && tel === 'tel:' + q.phone && after.status === 'contacted'
        && after.reply === '已电话联系,约下周考察' && shown.includes('已联系'),
      detail: { missing, summary, tel, status: after.status, reply: after.reply, shown } };
  }, page);

  await step('the site-ranking rule: shown as in force, changed and saved, the matches ranked again; refused in words; English; defaults back', async () => {
    // (also: a save that races another writer keeps what was typed)
    await selectProject(page, landProject);
    const before = await api('/api/v1/projects/ranking');
    // The line above the matches names the rule's version and opens the rule.
    const linkText = await page.textContent('#pj-matches .pj-rank-link');
    await page.click('#pj-matches .pj-rank-link button');
    const opened = await page.$eval('#ranking-box', (e) => e.open && e.getBoundingClientRect().top < window.innerHeight);
    if (!(await page.$eval('#ranking-box', (e) => e.open))) await page.click('#ranking-box > summary');
    const shown = await page.$$eval('#ranking-box input[type=number]', (els) => Object.fromEntries(els.map((e) => [e.name, Number(e.value)])));
    const sameWeights = Object.keys(before.weights).length === Object.keys(shown).length && Object.keys(before.weights).every((k) => shown[k] === before.weights[k]);
    const asked = () => rec.urls.filter((u) => u.includes(`/projects/${landProject}/matches?`)).length;
    const n0 = asked();
    await page.fill('#ranking-box input[name=area_mu]', '0');
    await page.fill('#ranking-box input[name=road_distance_m]', '9');
    await page.click('#ranking-box button[type=submit]');
    await page.waitForFunction(() => /第 \d+ 版/.test((document.querySelector('.pj-rank-msg') || {}).textContent || ''), null, { timeout: 15000 });
    await page.waitForFunction(() => window.landinvProjects.state.matches !== null, null, { timeout: 15000 });
    await idle(page);
    const after = await api('/api/v1/projects/ranking');
    const apiMatches = (await api(`/api/v1/projects/${landProject}/matches?layer=plots`)).matches.map((m) => [m.code, m.score]);
    const shownScores = await page.evaluate(() => window.landinvProjects.state.matches.map((m) => [m.code, m.score]));
    const rematched = asked() > n0;
    await page.evaluate(() => document.querySelector('#ranking-box').scrollIntoView());
    await page.screenshot({ path: join(out, 'projects-ranking-zh-1366.png') });
    // A weight out of range: refused in words, nothing sent.
    await page.fill('#ranking-box input[name=cluster]', '5000');
    await page.click('#ranking-box button[type=submit]');
    const bad = await page.textContent('.pj-rank-msg');
    const still = await api('/api/v1/projects/ranking');
    // English.
    await page.click('#lang');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.waitForTimeout(300);
    await page.evaluate(() => document.querySelector('#ranking-box').scrollIntoView());
    await page.screenshot({ path: join(out, 'projects-ranking-en-1366.png') });
    const leaks = await englishLeaks(page);
    const enSummary = await page.textContent('#ranking-box > summary');
    const enMsg = await page.textContent('.pj-rank-msg');
    const kept = await page.inputValue('#ranking-box input[name=cluster]'); // what was typed survives the re-render
    await page.click('#lang');
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    // Another writer changes the rule behind the page: the page's save is refused (412), the
    // rule reloaded, and what was typed kept in the form.
    const me = await api('/api/v1/me');
    const other = await api('/api/v1/projects/ranking', { method: 'PUT', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token }, body: JSON.stringify({ weights: { cluster: 2 } }) });
    if (other.version !== after.version + 1) throw new Error('the other writer\'s PUT: ' + JSON.stringify(other));
    await page.fill('#ranking-box input[name=cluster]', '1');
    await page.fill('#ranking-box input[name=floor_load_kn_m2]', '4');
    await page.click('#ranking-box button[type=submit]');
    await page.waitForFunction(() => /重新载入/.test(document.querySelector('.pj-rank-msg').textContent), null, { timeout: 15000 });
    const race = {
      typed: await page.inputValue('#ranking-box input[name=floor_load_kn_m2]'),
      summary: await page.textContent('#ranking-box > summary'),
      stored: (await api('/api/v1/projects/ranking')).weights.floor_load_kn_m2,
    };
    const raceOK = race.typed === '4' && race.summary.includes(`第 ${after.version + 1} 版`) && race.stored === 2;
    // The defaults back.
    await page.click('#ranking-box .pj-rank-reset');
    await page.click('#ranking-box button[type=submit]');
    await page.waitForFunction((v) => new RegExp(`第 ${v} 版`).test(document.querySelector('.pj-rank-msg').textContent), after.version + 2, { timeout: 15000 });
    const final = await api('/api/v1/projects/ranking');
    const defaultsBack = Object.keys(final.defaults).every((k) => final.weights[k] === final.defaults[k]);
    // Every plot condition at 0 (every plot would score 100): refused by the server in words.
    for (const name of ['area_mu', 'land_use', 'cluster', 'min_investment_wan_per_mu', 'min_tax_wan_per_mu_year', 'min_output_wan_per_mu', 'road_distance_m']) {
      await page.fill(`#ranking-box input[name=${name}]`, '0');
    }
    await page.click('#ranking-box button[type=submit]');
    await page.waitForFunction(() => /权重都为 0/.test(document.querySelector('.pj-rank-msg').textContent), null, { timeout: 15000 });
    const allZeroMsg = await page.textContent('.pj-rank-msg');
    const allZeroStored = (await api('/api/v1/projects/ranking')).version;
    await page.evaluate(() => document.querySelector('#ranking-box').scrollIntoView());
    await page.screenshot({ path: join(out, 'projects-ranking-all-zero-zh-1366.png') });
    await page.click('#lang');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.waitForFunction(() => /every condition of plots weighs 0/.test(document.querySelector('.pj-rank-msg').textContent), null, { timeout: 5000 });
    const allZeroEn = await page.textContent('.pj-rank-msg');
    await page.evaluate(() => document.querySelector('#ranking-box').scrollIntoView());
    await page.screenshot({ path: join(out, 'projects-ranking-all-zero-en-1366.png') });
    await page.click('#lang');
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    await page.click('#ranking-box .pj-rank-reset');
    return {
      ok: sameWeights && opened && new RegExp(`第 ${before.version} 版`).test(linkText) && after.version === before.version + 1 && after.weights.area_mu === 0 && after.weights.road_distance_m === 9
        && rematched && JSON.stringify(shownScores) === JSON.stringify(apiMatches) && /0 到 1[,，]?000/.test(bad) && still.version === after.version
        && leaks.length === 0 && /Site ranking/.test(enSummary) && !CJK.test(enMsg) && kept === '5000' && raceOK && final.version === after.version + 2 && defaultsBack
        && /地块的各项条件权重都为 0/.test(allZeroMsg) && allZeroStored === final.version && !CJK.test(allZeroEn),
      detail: { allZeroMsg, allZeroEn, allZeroStored, sameWeights, opened, linkText, before: before.version, after: after.version, weights: after.weights, rematched, shownScores: shownScores.slice(0, 3), apiMatches: apiMatches.slice(0, 3), bad, leaks, enSummary, enMsg, kept, race, final: final.version, defaultsBack },
    };
  }, page);

  await step('no page errors (planner)', async () => {
    // The refusals the steps provoke (422: a skipped stage; 412: the ranking rule's racing save).
    const errs = rec.errors.filter((e) => !/HTTP 4\d\d/.test(e) && !/status of 4(12|22)/.test(e));
    return { ok: errs.length === 0, detail: errs };
  });

  // Phones, both languages.
  for (const lang of ['zh', 'en']) {
    await step(`phone ${lang}: panel fits, matches on the map`, async () => {
      const { page: p, context } = await open(lang === 'en' ? '/?lang=en' : '/', { signIn: true, viewport: { width: 375, height: 740 } });
      await p.waitForSelector('#projects-box .pj-item', { timeout: 20000 });
      await selectProject(p, landProject);
      const d = await drawn(p, 'plots');
      const width = await p.evaluate(() => document.documentElement.scrollWidth);
      await p.screenshot({ path: join(out, `projects-${lang}-375.png`) });
      await p.evaluate(() => document.querySelector('#pj-matches').scrollIntoView());
      await p.screenshot({ path: join(out, `projects-${lang}-375-matches.png`) });
      await p.click('#enquiries-box > summary');
      await p.click('#enquiries-box li .pj-enq > summary');
      await p.evaluate(() => document.querySelector('#enquiries-box').scrollIntoView());
      await p.screenshot({ path: join(out, `projects-${lang}-375-enquiries.png`) });
      await p.click('#ranking-box > summary');
      await p.evaluate(() => document.querySelector('#ranking-box').scrollIntoView());
      await p.screenshot({ path: join(out, `projects-ranking-${lang}-375.png`) });
      const leaks = lang === 'en' ? await englishLeaks(p) : [];
      // Every plot weight at 0: refused in words, in the page's language, on a phone too.
      for (const name of ['area_mu', 'land_use', 'cluster', 'min_investment_wan_per_mu', 'min_tax_wan_per_mu_year', 'min_output_wan_per_mu', 'road_distance_m']) {
        await p.fill(`#ranking-box input[name=${name}]`, '0');
      }
      await p.click('#ranking-box button[type=submit]');
      const want = lang === 'en' ? /every condition of plots weighs 0/ : /地块的各项条件权重都为 0/;
      await p.waitForFunction((src) => new RegExp(src).test(document.querySelector('.pj-rank-msg').textContent), want.source, { timeout: 15000 });
      await p.evaluate(() => document.querySelector('.pj-rank-msg').scrollIntoView({ block: 'center' }));
      await p.screenshot({ path: join(out, `projects-ranking-all-zero-${lang}-375.png`) });
      const zeroWidth = await p.evaluate(() => document.documentElement.scrollWidth);
      await context.close();
      return { ok: width <= 375 && zeroWidth <= 375 && d.pass.length + d.fail.length > 0 && leaks.length === 0, detail: { width, zeroWidth, drawn: d, leaks } };
    });
  }
} catch (e) {
  report('script', false, e.stack || e.message);
} finally {
  await browser.close();
}
