// Browser checks of the land map as a first-time investor uses it (issue 13, items 1, 4, 5, 7):
// the search traps, the English view, docking of the details panel, tap targets, measuring.
// Run by investor_e2e_test.go; prints one JSON object per line, {"check", "ok", "detail"};
// screenshots investor-*.png go to --out.
//
//   node investor.mjs --base http://127.0.0.1:PORT --out DIR
import { join } from 'node:path';
import { args, base, out, report, launch } from './lib.mjs';

const browser = await launch();

const LAPTOP = { width: 1366, height: 768 };
const PHONE = { width: 375, height: 740 };
const external = [];
const errors = [];

// open loads path in a new context (locale: the browser's language) and waits for the map.
async function open(path, viewport = LAPTOP, locale = 'zh-CN', context = null) {
  const ctx = context || await browser.newContext({ viewport, locale, hasTouch: viewport.width < 700, isMobile: false });
  const page = await ctx.newPage();
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(base + '/') && !u.startsWith('data:') && !u.startsWith('blob:')) external.push(u);
  });
  page.on('pageerror', (e) => errors.push('pageerror: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(base + path);
  await page.waitForSelector('body[data-ready=true]', { timeout: 60000 });
  return { page, ctx };
}

async function api(path) {
  const codes = [];
  let next = path;
  while (next) {
    const r = await fetch(base + next);
    const fc = await r.json();
    if (!r.ok) throw new Error(path + ': ' + JSON.stringify(fc));
    codes.push(...fc.features.map((f) => f.id));
    next = fc.next;
  }
  return codes;
}

const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const listed = (page, tab = 'plots') => page.evaluate((tab) => [...document.querySelectorAll(`#list-${tab} li[data-code]`)].map((li) => li.dataset.code), tab);
const query = (page, tab = 'plots') => page.evaluate((tab) => (window.landinv.state.results[tab] || {}).query, tab);

// settle waits until the tab's latest search answered for a query (without its limit)
// satisfying pred, a function of the decoded query run here.
async function settle(page, pred, tab = 'plots') {
  const t0 = Date.now();
  for (;;) {
    const q = await query(page, tab);
    if (q != null && pred(decodeURIComponent(q.replace(/(^|&)limit=\d+/, '')))) break;
    if (Date.now() - t0 > 20000) throw new Error(`search never answered as expected; last query ${q}`);
    await page.waitForTimeout(100);
  }
  await page.waitForTimeout(300);
}

const meta = await (await fetch(base + '/api/v1/meta')).json();

async function searchTraps() {
  const { page, ctx } = await open('/');
  // The default view is land available now or planned (meta's investor statuses), not every plot.
  await settle(page, () => true);
  const st = meta.investor_statuses;
  const want = await api(`/api/v1/plots?status=${st.join(',')}&limit=10000`);
  const all = await api('/api/v1/plots?limit=10000');
  const got = await listed(page);
  const q0 = decodeURIComponent((await query(page)).replace(/(^|&)limit=\d+/, ''));
  const statuses = q0.startsWith('status=') && !q0.includes('&') ? q0.slice(7).split(',').sort() : [];
  report('default list is available land', same(got, want) && want.length < all.length && same(statuses, [...st].sort()),
    { query: q0, listed: got.length, want: want.length, all: all.length });
  // The result count stays above the fold (inside the viewport, without scrolling).
  const countBox = await page.evaluate(() => { const r = document.querySelector('#count-plots').getBoundingClientRect(); return { top: r.top, bottom: r.bottom, text: document.querySelector('#count-plots').textContent }; });
  report('result count above the fold at 1366', countBox.bottom <= LAPTOP.height && countBox.top >= 0 && countBox.text.includes(String(want.length)), countBox);
  // Results stand out: the map outlines exactly them, fades the rest, and the legend says so.
  const hl = await page.evaluate(() => {
    const m = window.landinv.map;
    const f = m.getFilter('plots-result');
    return { halo: f && f[0] === 'in' ? f[2][1] : null, fill: JSON.stringify(m.getPaintProperty('plots-fill', 'fill-opacity')), idle: m.getPaintProperty('idle-sites-fill', 'fill-opacity'), legend: document.querySelector('.legend-search') ? document.querySelector('.legend-search').innerText : '' };
  });
  report('results highlighted, the rest faded, the highlight in the legend', hl.halo && same([...hl.halo].sort(), [...want].sort()) && hl.fill.startsWith('["case"') && hl.idle < 0.3 && hl.legend.length > 0,
    { halo: hl.halo && hl.halo.length, fill: hl.fill.slice(0, 60), idle: hl.idle, legend: hl.legend });
  await page.screenshot({ path: join(out, 'investor-default-zh-1366.png') });

  // "Built roads only" alone: within the stated default distance of a built road.
  const d = meta.default_near_road_m;
  await page.check('#form-plots input[name=road_status]');
  await settle(page, (q) => q.includes('road_status'));
  const rq = decodeURIComponent(await query(page));
  const roadWant = await api(`/api/v1/plots?${await query(page)}`);
  const hint = await page.evaluate(() => document.querySelector('#near-road-hint').textContent + ' | ' + document.querySelector('#form-plots input[name=near_road_m]').placeholder);
  const roadGot = await listed(page);
  report('built roads only works alone, with the stated distance', rq.includes(`near_road_m=${d}`) && hint.includes(String(d)) && same(roadGot, roadWant) && roadWant.length > 0 && roadWant.length < want.length,
    { query: rq, hint, listed: roadGot.length, api: roadWant.length, before: want.length });
  await page.click('#form-plots button[type=reset]');
  await settle(page, (q) => !q.includes('road_status'));

  // Free text: a plot's code, and a road's name (the API answers by the nearest road).
  await page.evaluate(() => { for (const i of document.querySelectorAll('#form-plots input[name=status]')) i.checked = false; });
  const target = all[Math.floor(all.length / 2)];
  await page.fill('#form-plots input[name=q]', target.toLowerCase());
  await settle(page, (q) => q.includes('q=') && !q.includes('status'));
  const byCode = await listed(page);
  report('free text finds a plot by its code', byCode.includes(target) && byCode.length >= 1 && byCode.length < 5, { target, listed: byCode });
  await page.fill('#form-plots input[name=q]', '河汾路');
  await settle(page, (q) => q.includes('河汾路'));
  const byRoad = await listed(page);
  const roadAPI = await api(`/api/v1/plots?q=${encodeURIComponent('河汾路')}&limit=10000`);
  report('free text finds plots by a road name', byRoad.length > 0 && same(byRoad, roadAPI), { listed: byRoad.length, api: roadAPI.length });
  await page.screenshot({ path: join(out, 'investor-road-search-zh-1366.png') });
  await page.fill('#form-plots input[name=q]', '');

  // Sorts: the list is in the API's order for each.
  const sorts = {};
  for (const s of meta.layers.find((l) => l.name === 'plots').sorts) {
    await page.selectOption('#form-plots select[name=sort]', s.param);
    await settle(page, (q) => (s.param === 'code' ? !q.includes('sort=') : q.includes(`sort=${s.param}`)) && !q.includes('q='));
    const order = await api(`/api/v1/plots?${await query(page)}`);
    const got = await listed(page);
    sorts[s.param] = { ok: got.length > 0 && same(got, order.slice(0, got.length)), n: got.length, first: got.slice(0, 3) };
  }
  report('sorts order the list as the API does', Object.values(sorts).every((x) => x.ok) && sorts.area.first[0] !== sorts.code.first[0], sorts);
  await ctx.close();
}

// visibleText returns the page's visible text outside elements marked as Chinese (lang=zh...),
// and the placeholders, titles and labels the reader sees too.
const visibleTextScript = () => {
  const out = [];
  const walk = (el) => {
    if (el.closest('[lang^=zh]') && el !== document.documentElement) return;
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden') return;
    for (const n of el.childNodes) {
      if (n.nodeType === 3 && n.textContent.trim()) out.push(n.textContent.trim());
      else if (n.nodeType === 1) walk(n);
    }
    for (const a of ['placeholder', 'title', 'aria-label']) if (el.getAttribute(a)) out.push(el.getAttribute(a));
    if (el.tagName === 'SELECT') for (const o of el.options) out.push(o.textContent);
  };
  walk(document.body);
  return out;
};
const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/;

async function english() {
  // An English-speaking browser, first visit: the page is in English.
  const { page, ctx } = await open('/', LAPTOP, 'en-US');
  const lang = await page.evaluate(() => document.documentElement.lang);
  // Open the details of a standard-land plot with control indicators (amounts in 万元).
  const fc = await (await fetch(base + '/api/v1/plots?standard_land=true&status=ready&limit=1')).json();
  const code = fc.features[0].id;
  await page.evaluate((c) => document.querySelector(`#list-plots li[data-code="${c}"]`) && document.querySelector(`#list-plots li[data-code="${c}"]`).click(), code);
  await page.waitForSelector('#details:not([hidden]) tr.nearest-road', { timeout: 10000 });
  await page.waitForTimeout(800);
  const texts = await page.evaluate(visibleTextScript);
  const cjk = texts.filter((s) => CJK.test(s));
  const details = await page.evaluate(() => document.querySelector('#details-body').innerText);
  const units = await page.evaluate(() => document.querySelector('#units-note').innerText);
  report('English view has no untranslated string', lang === 'en' && cjk.length === 0 && texts.length > 50, { lang, cjk: cjk.slice(0, 10), strings: texts.length });
  report('English units written out, mu and 10,000 yuan explained', /million yuan per mu|yuan per mu/.test(details) && /\bmu\b/.test(units) && /10,000/.test(units) && /亩/.test(units) && /万元/.test(units),
    { details: details.slice(0, 400), units });
  await page.screenshot({ path: join(out, 'investor-details-en-1366.png') });
  // Switching to Chinese is remembered: the next visit, without lang in the link, is Chinese.
  await page.click('#lang');
  await page.waitForTimeout(200);
  const { page: p2 } = await open('/', LAPTOP, 'en-US', ctx);
  const lang2 = await p2.evaluate(() => document.documentElement.lang);
  // ...and a link's lang wins over the remembered choice.
  const { page: p3 } = await open('/?lang=en', LAPTOP, 'en-US', ctx);
  const lang3 = await p3.evaluate(() => document.documentElement.lang);
  report('language follows the browser, the choice is remembered, the link wins', lang === 'en' && lang2 === 'zh-CN' && lang3 === 'en', { first: lang, remembered: lang2, link: lang3 });
  await ctx.close();
  // The same English check on a phone, with the legend opened.
  const ph = await open('/', PHONE, 'en-US');
  await ph.page.click('#legend-box summary');
  const ptexts = await ph.page.evaluate(visibleTextScript);
  const pcjk = ptexts.filter((s) => CJK.test(s));
  report('English view on a phone has no untranslated string', pcjk.length === 0, { cjk: pcjk.slice(0, 10) });
  await ph.ctx.close();
}

// openPlot clicks the map on a plot of the list (the result list's item, like an investor)
// and returns the panel's, the map's and the selection's boxes.
async function dockBoxes(page, code) {
  await page.evaluate((c) => document.querySelector(`#list-plots li[data-code="${c}"]`).click(), code);
  await page.waitForSelector('#details:not([hidden]) tr.nearest-road', { timeout: 10000 });
  await page.waitForTimeout(1200);
  return page.evaluate((c) => {
    const m = window.landinv.map;
    const r = (el) => { const b = el.getBoundingClientRect(); return { left: b.left, top: b.top, right: b.right, bottom: b.bottom }; };
    const f = window.landinv.state.selected.feature;
    const pts = f.geometry.coordinates.flat(3).reduce((a, x, i, all) => (i % 2 ? a : [...a, [all[i], all[i + 1]]]), []);
    const px = pts.map((p) => m.project(p));
    const canvas = m.getCanvas().getBoundingClientRect();
    return {
      code: c, map: r(document.querySelector('#map')), details: r(document.querySelector('#details')),
      legend: document.querySelector('#legend-box').open ? r(document.querySelector('#legend-box')) : null,
      site: { left: canvas.left + Math.min(...px.map((p) => p.x)), right: canvas.left + Math.max(...px.map((p) => p.x)), top: canvas.top + Math.min(...px.map((p) => p.y)), bottom: canvas.top + Math.max(...px.map((p) => p.y)) },
    };
  }, code);
}
const inside = (a, b) => a.left >= b.left - 1 && a.right <= b.right + 1 && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
const overlap = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;

async function layout() {
  for (const [vp, name] of [[LAPTOP, '1366'], [PHONE, '375']]) {
    for (const locale of ['zh-CN', 'en-US']) {
      const lang = locale === 'en-US' ? 'en' : 'zh';
      const { page, ctx } = await open('/', vp, locale);
      await page.screenshot({ path: join(out, `investor-map-${lang}-${name}.png`) });
      // The zone's name, place and area; a scale bar and a north arrow.
      const head = await page.evaluate(() => ({
        info: document.querySelector('#zone-info').innerText, title: document.querySelector('#top h1').innerText,
        scale: !!document.querySelector('.maplibregl-ctrl-scale') && document.querySelector('.maplibregl-ctrl-scale').innerText,
        north: !!document.querySelector('.north-arrow'), legendOpen: document.querySelector('#legend-box').open,
        legend: (() => { const b = document.querySelector('#legend-box').getBoundingClientRect(); return { w: b.width, h: b.height }; })(),
        count: (() => { const b = document.querySelector(`#count-plots`).getBoundingClientRect(); return b.bottom; })(),
      }));
      const placeOK = lang === 'en' ? /Linfen, Shanxi Province/.test(head.info) : /山西省临汾市/.test(head.info);
      report(`zone, place, area, scale and north arrow shown (${lang} ${name})`, placeOK && /131\.76/.test(head.info) && head.scale && head.north && head.count <= vp.height, head);
      report(`legend compact or folded (${lang} ${name})`, name === '375' ? !head.legendOpen : head.legendOpen && head.legend.w <= 260 && head.legend.h <= vp.height * 0.6, head.legend);
      // Docking: the panel beside (laptop) or under (phone) the map, never over it, and the
      // selected site in view in what is left of the map.
      if (name === '375') await page.evaluate(() => document.querySelector('#results-plots').scrollIntoView());
      const code = (await listed(page))[3];
      const b = await dockBoxes(page, code);
      const docked = name === '1366' ? b.details.left >= b.map.right - 1 && b.details.top <= b.map.top + 1 : b.details.top >= b.map.bottom - 1;
      const clearOfLegend = !b.legend || !overlap(b.site, b.legend);
      report(`details panel docks, the site stays in view (${lang} ${name})`, docked && !overlap(b.map, b.details) && inside(b.site, b.map) && clearOfLegend, b);
      await page.screenshot({ path: join(out, `investor-details-${lang}-${name}.png`) });
      if (name === '375') {
        // Tap targets: every visible control at least 44 × 44 px (a checkbox counts by its label).
        const small = await page.evaluate(() => {
          const out = [];
          const check = (el) => {
            const target = el.matches('input[type=checkbox], input[type=radio]') && el.closest('label') ? el.closest('label') : el;
            const r = target.getBoundingClientRect();
            if (!r.width || !r.height || getComputedStyle(target).visibility === 'hidden' || target.closest('[hidden]')) return;
            if (el.tabIndex < 0 && !el.matches('li[data-code]')) return; // the honeypot
            if (el.closest('details:not([open])') && !el.matches('summary')) return; // folded away
            if (r.width < 44 - 0.5 || r.height < 44 - 0.5) out.push(`${target.tagName.toLowerCase()}${target.id ? '#' + target.id : ''}.${target.className} ${Math.round(r.width)}×${Math.round(r.height)} "${(target.innerText || target.value || target.title || '').slice(0, 20)}"`);
          };
          for (const el of document.querySelectorAll('a[href], button, input, select, textarea, summary, li[data-code]')) check(el);
          return out;
        });
        // With the details closed, the search panel's controls too.
        await page.click('#details-close');
        await page.waitForTimeout(300);
        const small2 = await page.evaluate(() => {
          const out = [];
          for (const el of document.querySelectorAll('#panel a[href], #panel button, #panel input, #panel select, #panel summary, #panel li[data-code], #top a, #top button')) {
            const target = el.matches('input[type=checkbox]') && el.closest('label') ? el.closest('label') : el;
            const r = target.getBoundingClientRect();
            if (!r.width || !r.height || target.closest('[hidden]')) continue;
            if (r.width < 43.5 || r.height < 43.5) out.push(`${target.tagName.toLowerCase()}.${target.className} ${Math.round(r.width)}×${Math.round(r.height)} "${(target.innerText || '').slice(0, 20)}"`);
          }
          return out;
        });
        // And the legend's switches, opened.
        await page.click('#legend-box summary');
        const small3 = await page.evaluate(() => [...document.querySelectorAll('#legend-box summary, #legend-box label.legend-toggle')]
          .map((el) => [el, el.getBoundingClientRect()]).filter(([, r]) => r.width < 43.5 || r.height < 43.5)
          .map(([el, r]) => `${el.tagName.toLowerCase()} ${Math.round(r.width)}×${Math.round(r.height)} "${el.innerText.slice(0, 20)}"`));
        await page.screenshot({ path: join(out, `investor-legend-${lang}-375.png`) });
        await page.click('#legend-box summary');
        report(`tap targets at least 44 px (${lang} 375)`, small.length === 0 && small2.length === 0 && small3.length === 0, { details: small.slice(0, 12), panel: small2.slice(0, 12), legend: small3.slice(0, 12) });
        const countTop = await page.evaluate(() => document.querySelector('#count-plots').getBoundingClientRect().bottom);
        report(`result count above the fold (${lang} 375)`, countTop <= PHONE.height, { bottom: countTop });
        // The panel switch says what pressing it does: "Map only" hides the search (the map grows),
        // then "Show search" brings it back; 44 px high both ways.
        const toggle = () => page.evaluate(() => {
          const b = document.querySelector('#panel-toggle');
          const r = b.getBoundingClientRect();
          return { text: b.innerText, expanded: b.getAttribute('aria-expanded'), panel: getComputedStyle(document.querySelector('#panel')).display !== 'none', h: r.height, w: r.width, mapH: document.querySelector('#map').getBoundingClientRect().height };
        });
        const t0 = await toggle();
        await page.click('#panel-toggle');
        await page.waitForTimeout(300);
        const t1 = await toggle();
        await page.screenshot({ path: join(out, `investor-maponly-${lang}-375.png`) });
        await page.click('#panel-toggle');
        await page.waitForTimeout(300);
        const t2 = await toggle();
        const words = lang === 'en' ? ['Map only', 'Show search'] : ['只看地图', '显示查找'];
        report(`panel switch says what it does (${lang} 375)`, t0.panel && t0.text === words[0] && t0.expanded === 'true' && !t1.panel && t1.text === words[1]
          && t1.expanded === 'false' && t1.mapH > t0.mapH && t2.panel && t2.text === words[0] && [t0, t1, t2].every((x) => x.h >= 43.5 && x.w >= 43.5), { t0, t1, t2 });
      }
      await ctx.close();
    }
  }
}

async function measuring() {
  const { page, ctx } = await open('/?lang=en');
  // The area tool on a plot's own vertices gives the API's (PostGIS, geodesic) area.
  const fc = await (await fetch(base + '/api/v1/plots?limit=3&sort=area')).json();
  const f = fc.features[0];
  const r = await page.evaluate((f) => {
    const m = window.landinv.state.controls.measure;
    m.start('area');
    for (const p of f.geometry.coordinates[0][0].slice(0, -1)) m.add(p);
    const area = m.result();
    const text = document.querySelector('.measure-out').innerText;
    m.stop(true);
    return { area, text };
  }, f);
  const rel = Math.abs(r.area - f.properties.area_m2) / f.properties.area_m2;
  report('area tool measures geodesically (matches the API area)', rel < 1e-6 && /mu/.test(r.text) && /ha/.test(r.text), { tool: r.area, api: f.properties.area_m2, rel, text: r.text });
  // The distance tool from clicks: two clicks 200 px apart; the length is the geodesic one
  // between the two map points, and the clicks open no details.
  await page.click('.measure-distance');
  const box = await page.evaluate(() => { const b = window.landinv.map.getCanvas().getBoundingClientRect(); return { x: b.left + b.width / 2, y: b.top + b.height / 2 }; });
  await page.mouse.click(box.x - 100, box.y);
  await page.mouse.click(box.x + 100, box.y);
  await page.waitForTimeout(300);
  const d = await page.evaluate(({ x, y }) => {
    const m = window.landinv.map;
    const c = m.getCanvas().getBoundingClientRect();
    const a = m.unproject([x - 100 - c.left, y - c.top]); const b = m.unproject([x + 100 - c.left, y - c.top]);
    return { tool: window.landinv.state.controls.measure.result(), text: document.querySelector('.measure-out').innerText, a: [a.lng, a.lat], b: [b.lng, b.lat], details: !document.querySelector('#details').hidden };
  }, box);
  // Independent: Vincenty-free check on the sphere of mean radius; the ellipsoid differs by < 0.5 %.
  const rad = Math.PI / 180;
  const hav = 2 * 6371008.8 * Math.asin(Math.sqrt(Math.sin((d.b[1] - d.a[1]) * rad / 2) ** 2 + Math.cos(d.a[1] * rad) * Math.cos(d.b[1] * rad) * Math.sin((d.b[0] - d.a[0]) * rad / 2) ** 2));
  report('distance tool measures the clicked points', Math.abs(d.tool - hav) / hav < 0.005 && !d.details && /m\b|km/.test(d.text), { ...d, haversine: hav });
  await page.screenshot({ path: join(out, 'investor-measure-en-1366.png') });
  await ctx.close();
}

// pageURL: the page URL keeps the land search and the buildings search apart (b_status, b_q,
// b_sort for buildings): what a URL asks for is what is ticked, what is asked of the API, and
// what the rewritten URL says, before and after a reload. An old link's status= is the land's.
async function pageURL() {
  const plantSort = meta.layers.find((l) => l.name === 'plants').sorts.map((s) => s.param).find((p) => p !== 'code');
  const plantStatus = meta.layers.find((l) => l.name === 'plants').fields.find((f) => f.name === 'status').enum[0];
  const cases = [
    { path: `/?lang=en&status=planned,ready&sort=area&b_status=${plantStatus}&b_sort=${plantSort}&b_q=1`,
      plots: { status: 'planned,ready', sort: 'area' }, plants: { status: plantStatus, sort: plantSort, q: '1' } },
    { path: '/?status=planned,ready', plots: { status: 'planned,ready' }, plants: {} },
  ];
  for (const c of cases) {
    const { page, ctx } = await open(c.path);
    const requests = [];
    page.on('request', (r) => { const m = r.url().match(/\/api\/v1\/(plots|plants)\?(.*)$/); if (m) requests.push([m[1], m[2]]); });
    const look = () => page.evaluate(() => {
      const ticked = (sel) => [...document.querySelectorAll(sel)].filter((i) => i.checked).map((i) => i.value).join(',');
      const u = new URLSearchParams(location.search);
      const st = window.landinv.state.results;
      return {
        ticked: { plots: ticked('#form-plots input[name=status]'), plants: ticked('#f-plant-status input') },
        sort: { plots: document.querySelector('#form-plots select[name=sort]').value, plants: document.querySelector('#form-plants select[name=sort]').value },
        q: { plants: document.querySelector('#form-plants input[name=q]').value },
        url: Object.fromEntries([...u].filter(([k]) => !['lang', 'map', 'zone'].includes(k))),
        api: { plots: st.plots.query, plants: st.plants.query }, href: location.pathname + location.search,
      };
    });
    const check = (s) => {
      const apiOf = (tab) => Object.fromEntries([...new URLSearchParams(s.api[tab])].filter(([k]) => k !== 'limit'));
      const wantURL = { ...c.plots };
      for (const [k, v] of Object.entries(c.plants)) wantURL['b_' + k] = v;
      const eq = (a, b) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
      return s.ticked.plots === (c.plots.status || '') && s.ticked.plants === (c.plants.status || '')
        && (s.sort.plots === (c.plots.sort || 'code')) && (s.sort.plants === (c.plants.sort || 'code')) && s.q.plants === (c.plants.q || '')
        && eq(s.url, wantURL) && eq(apiOf('plots'), c.plots) && eq(apiOf('plants'), c.plants);
    };
    const first = await look();
    await page.reload();
    await page.waitForSelector('body[data-ready=true]', { timeout: 60000 });
    const again = await look();
    // The requests sent after the reload carry the URL's filters (without paging): the search
    // asks for exactly them; the only other list request is the map's whole layer (no filter).
    const sorted = (u) => { u.delete('limit'); u.sort(); return u.toString(); };
    const sent = (tab) => requests.filter(([t]) => t === tab).map(([, q]) => sorted(new URLSearchParams(q)));
    const sentOK = ['plots', 'plants'].every((tab) => {
      const want = sorted(new URLSearchParams(Object.entries(c[tab])));
      return sent(tab).includes(want) && sent(tab).every((q) => q === want || q === '');
    });
    report(`page URL keeps land and building searches apart (${c.path})`, check(first) && check(again) && sentOK,
      { first, again, sent: { plots: sent('plots'), plants: sent('plants') } });
    await ctx.close();
  }
}

// deepLink: a link to one site without a view of its own (the site sheet's "on the land map")
// opens its card and lands the map on it, in both languages and at both sizes. The plot's box
// comes from the API, not from the page.
async function deepLink() {
  const code = (await api('/api/v1/plots?status=ready&limit=10000'))[0];
  const f = await (await fetch(base + `/api/v1/plots/${encodeURIComponent(code)}`)).json();
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c) => { if (typeof c[0] === 'number') { b[0] = Math.min(b[0], c[0]); b[1] = Math.min(b[1], c[1]); b[2] = Math.max(b[2], c[0]); b[3] = Math.max(b[3], c[1]); } else c.forEach(walk); };
  walk(f.geometry.coordinates);
  for (const [lang, vp, name] of [['zh', LAPTOP, 'zh-1366'], ['en', PHONE, 'en-375']]) {
    const { page, ctx } = await open(`/?sel=plots:${encodeURIComponent(code)}&lang=${lang}`, vp);
    const t0 = Date.now();
    let v;
    for (;;) {
      v = await page.evaluate(() => {
        const m = window.landinv.map; const s = window.landinv.state.selected; const bb = m.getBounds();
        return { moving: m.isMoving(), held: !!(s && s.feature), zoom: m.getZoom(), view: [bb.getWest(), bb.getSouth(), bb.getEast(), bb.getNorth()],
          card: document.querySelector('#details-body') ? document.querySelector('#details-body').innerText.slice(0, 80) : '' };
      });
      if ((v.held && !v.moving && Date.now() - t0 > 1500) || Date.now() - t0 > 20000) break;
      await page.waitForTimeout(200);
    }
    // The plot lies inside the view, and the view is at most 40 plot-widths across (a site is
    // shown at zoom 15 at most, for its surroundings; the whole zone, where the map starts
    // otherwise, is hundreds of a small plot's widths).
    const inside = v.view[0] <= b[0] && v.view[2] >= b[2] && v.view[1] <= b[1] && v.view[3] >= b[3];
    const across = (v.view[2] - v.view[0]) / (b[2] - b[0]);
    report(`a link to one plot lands on it (${name})`, v.held && inside && across < 40 && v.card.includes(code), { code, zoom: v.zoom, across, inside, card: v.card });
    await page.screenshot({ path: join(out, `investor-deeplink-${name}.png`) });
    await ctx.close();
  }
}

// rangeOrder: a smallest area above the largest is refused where the results go, in the page's
// language, before any request; the last answer's list is cleared; correcting it searches again.
async function rangeOrder() {
  for (const [lang, vp, name] of [['zh', LAPTOP, 'zh-1366'], ['en', PHONE, 'en-375']]) {
    const { page, ctx } = await open(`/?lang=${lang}`, vp);
    await settle(page, () => true);
    const before = (await listed(page)).length;
    const sent = [];
    page.on('request', (r) => { if (/\/api\/v1\/plots\?/.test(r.url())) sent.push(r.url()); });
    await page.fill('#form-plots input[name=min_area_mu]', '100');
    await page.fill('#form-plots input[name=max_area_mu]', '50');
    await page.waitForTimeout(1200);
    const s = await page.evaluate(() => ({ count: document.querySelector('#count-plots').textContent,
      err: document.querySelector('#count-plots').classList.contains('err'),
      invalid: document.querySelector('#form-plots input[name=max_area_mu]').getAttribute('aria-invalid'),
      items: document.querySelectorAll('#list-plots li').length }));
    const words = lang === 'en' ? /smallest area is larger than the largest/ : /最小面积不能大于最大面积/;
    report(`min above max refused in place (${name})`, before > 0 && words.test(s.count) && s.err && s.invalid === 'true' && s.items === 0
      && !sent.some((u) => u.includes('max_area_mu=50')), { before, ...s, sent: sent.length });
    await page.screenshot({ path: join(out, `investor-range-order-${name}.png`) });
    // The language switch says the refusal again in the other language.
    await page.click('#lang');
    const switched = await page.textContent('#count-plots');
    const other = lang === 'en' ? /最小面积不能大于最大面积/ : /smallest area is larger than the largest/;
    report(`the refusal follows a language switch (${name})`, other.test(switched), { switched });
    await page.fill('#form-plots input[name=max_area_mu]', '500');
    await settle(page, (q) => q.includes('max_area_mu=500'));
    const after = await page.evaluate(() => ({ err: document.querySelector('#count-plots').classList.contains('err'),
      invalid: document.querySelector('#form-plots input[name=max_area_mu]').getAttribute('aria-invalid') }));
    const want = await api(`/api/v1/plots?${await query(page)}`);
    report(`correcting the range searches again (${name})`, !after.err && after.invalid === null && same(await listed(page), want.slice(0, 1000)) && want.length > 0, { ...after, want: want.length });
    await ctx.close();
  }
}

try {
  await pageURL();
  await searchTraps();
  await english();
  await layout();
  await measuring();
  await deepLink();
  await rangeOrder();
  report('no request beyond the server, no console error', external.length === 0 && errors.length === 0, { external: external.slice(0, 5), errors: errors.slice(0, 5) });
} catch (e) {
  report('script', false, String(e && e.stack || e));
} finally {
  await browser.close();
}
