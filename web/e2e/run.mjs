// Browser checks of the land map, driven by playwright-core over Debian's chromium. The Go test
// (e2e_test.go) starts the server and runs this script; it prints one JSON object per line:
// {"check": name, "ok": bool, "detail": ..., ...}. Screenshots go to --out.
//
//   node run.mjs --base http://127.0.0.1:PORT --out DIR [--mode checks|gcj|bench] [--runs N]
import { join } from 'node:path';
import { args, base, out, report, launch } from './lib.mjs';

const mode = args.mode || 'checks';

const browser = await launch();

// open loads the page and records console errors and every request that leaves the server.
async function open(path, viewport = { width: 1366, height: 768 }, network = null) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  if (network) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', network);
  }
  const rec = { errors: [], external: [], requests: 0, urls: [], sizes: [] };
  page.on('console', (m) => { if (m.type() === 'error') rec.errors.push(m.text()); });
  page.on('pageerror', (e) => rec.errors.push('pageerror: ' + e.message));
  page.on('request', (r) => {
    rec.requests++;
    const u = r.url();
    if (!u.startsWith(base + '/') && !u.startsWith('data:') && !u.startsWith('blob:')) rec.external.push(u);
    if (u.startsWith(base + '/')) rec.urls.push(u.slice(base.length));
  });
  // Bytes on the wire (compressed bodies and headers) of every finished request.
  page.on('requestfinished', (r) => rec.sizes.push(r.sizes().then((s) => s.responseBodySize + s.responseHeadersSize).catch(() => 0)));
  page.on('requestfailed', (r) => rec.errors.push('request failed: ' + r.url() + ' ' + (r.failure() && r.failure().errorText)));
  page.on('response', (r) => { if (r.status() >= 400) rec.errors.push(`HTTP ${r.status()} ${r.url()}`); });
  await page.goto(base + path);
  await page.waitForSelector('body[data-ready=true]', { timeout: 60000 });
  rec.firstLoad = [...rec.urls]; // what the first load requested, until the page was ready
  rec.firstLoadBytes = (await Promise.all(rec.sizes)).reduce((a, b) => a + b, 0);
  return { page, rec, context };
}

async function apiCodes(query) {
  const codes = [];
  let next = `/api/v1/plots?${query}${query ? '&' : ''}limit=10000`;
  while (next) {
    const r = await fetch(base + next);
    const fc = await r.json();
    if (!r.ok) throw new Error(JSON.stringify(fc));
    codes.push(...fc.features.map((f) => f.id));
    next = fc.next;
  }
  return codes;
}

const sameSet = (a, b) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

async function checks() {
  // 1. Loads with no console error and no request leaving the server.
  const { page, rec } = await open('/');
  await page.screenshot({ path: join(out, 'map-1366x768.png') });
  report('loads without errors or outside requests', rec.errors.length === 0 && rec.external.length === 0,
    `errors: ${JSON.stringify(rec.errors)}; outside requests: ${JSON.stringify(rec.external)}`,
    { requests: rec.requests, plots_mode: await page.evaluate(() => window.landinv.state.plotsMode) });

  // 1b. The first load fetches no URL twice (the map and the result lists share their lists).
  // The icon is left out: Chromium's own favicon loader asks for it a second time, whatever the
  // page does.
  const counts = {};
  for (const u of rec.firstLoad) if (!u.startsWith('/assets/favicon')) counts[u] = (counts[u] || 0) + 1;
  const twice = Object.entries(counts).filter(([, n]) => n > 1);
  report('first load fetches no URL twice', rec.firstLoad.length > 5 && twice.length === 0,
    JSON.stringify({ twice, requests: rec.firstLoad.length, bytes: rec.firstLoadBytes }));

  // 2. Every layer draws features.
  const layers = ['zone-line', 'layout-districts', 'layout-corridors', 'layout-axes', 'plots-fill', 'plots-standard',
    'plants-fill', 'idle-sites-fill', 'roads-solid', 'roads-dashed'];
  const drawn = await page.evaluate((ids) => Object.fromEntries(ids.map((id) => [id, window.landinv.map.queryRenderedFeatures({ layers: [id] }).length])), layers);
  // Labels are symbol layers: count the placed ones at zoom 13 (road names start at 11), then
  // go back to the first view.
  const labels = await page.evaluate(async () => {
    const map = window.landinv.map; const c = map.getCenter(); const z = map.getZoom();
    const idle = () => new Promise((r) => map.once('idle', r));
    const n = { districts: map.queryRenderedFeatures({ layers: ['labels-districts'] }).length };
    map.jumpTo({ zoom: 13 }); await idle();
    n.roads = map.queryRenderedFeatures({ layers: ['labels-roads'] }).length;
    map.jumpTo({ center: c, zoom: z }); await idle();
    return n;
  });
  report('every layer draws features', layers.every((id) => drawn[id] > 0) && labels.roads > 0 && labels.districts > 0, JSON.stringify({ drawn, labels }));

  // The forms' choices and names are meta's: every enum value of the filtered fields, in
  // meta's order, named by meta's enum_labels; "built roads only" sends meta's existing roads.
  const meta = await (await fetch(base + '/api/v1/meta')).json();
  const field = (layer, name) => meta.layers.find((l) => l.name === layer).fields.find((f) => f.name === name);
  const choices = await page.evaluate(() => {
    const chips = (sel) => [...document.querySelectorAll(sel + ' label.chip')].map((l) => [l.querySelector('input').value, l.textContent.trim()]);
    return {
      status: chips('#f-status'), cluster: chips('#f-cluster'), plant: chips('#f-plant-status'),
      road: document.querySelector('#form-plots input[name=road_status]').dataset.value,
    };
  });
  const wantChips = (layer, name) => field(layer, name).enum.map((v) => [v, field(layer, name).enum_labels[v].label]);
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  report('filter choices come from meta', same(choices.status, wantChips('plots', 'status')) && same(choices.cluster, wantChips('plots', 'cluster'))
    && same(choices.plant, wantChips('plants', 'status')) && choices.road === meta.road_status_groups.existing.join(','), JSON.stringify(choices));

  // Legend toggles switch a layer off and on.
  await page.click('input[data-layer="roads"]');
  const hidden = await page.evaluate(() => window.landinv.map.getLayoutProperty('roads-solid', 'visibility'));
  await page.click('input[data-layer="roads"]');
  const shown = await page.evaluate(() => window.landinv.map.getLayoutProperty('roads-solid', 'visibility'));
  report('legend toggles a layer', hidden === 'none' && shown === 'visible', `after off: ${hidden}, after on: ${shown}`);

  // 3. A filter narrows the list and the map to exactly the API's plots.
  const total = (await apiCodes('')).length;
  await page.check('#form-plots input[name=status][value=ready]');
  await page.check('#form-plots input[name=standard_land]');
  await page.fill('#form-plots input[name=min_area_mu]', '10');
  await page.fill('#form-plots input[name=max_area_mu]', '200');
  await page.fill('#form-plots input[name=near_road_m]', '300');
  await page.waitForFunction(() => {
    const r = window.landinv.state.results.plots;
    return r && r.query.includes('near_road_m=300') && r.query.includes('max_area_mu=200') && r.query.includes('standard_land=true');
  }, null, { timeout: 20000 });
  await page.waitForTimeout(1200); // fit animation
  await page.evaluate(() => new Promise((res) => { const m = window.landinv.map; if (m.loaded()) res(); else m.once('idle', res); }));
  const seen = await page.evaluate(() => {
    const m = window.landinv.map;
    // The results are outlined (plots-result), the other plots faded, not hidden.
    const f = m.getFilter('plots-result');
    return {
      query: window.landinv.state.results.plots.query,
      list: [...document.querySelectorAll('#list-plots li[data-code]')].map((li) => li.dataset.code),
      count: document.querySelector('#count-plots').textContent,
      filter: f ? f[2][1] : null,
      rendered: [...new Set(m.queryRenderedFeatures({ layers: ['plots-result'] }).map((x) => x.properties.code))],
      url: location.search,
    };
  });
  const want = await apiCodes(seen.query.replace(/(^|&)limit=\d+/, ''));
  const renderedOK = seen.rendered.length > 0 && seen.rendered.every((c) => want.includes(c));
  report('filter narrows list and map to the API answer',
    want.length > 0 && want.length < total && sameSet(seen.list, want) && sameSet(seen.filter || [], want) && renderedOK
      && seen.count.includes(String(want.length)) && seen.url.includes('near_road_m=300'),
    JSON.stringify({ total, api: want.length, list: seen.list.length, filter: (seen.filter || []).length, rendered: seen.rendered.length, count: seen.count, url: seen.url }),
    { query: seen.query, codes: seen.list });
  await page.screenshot({ path: join(out, 'search-ready-standard-land.png') });

  // The URL carries the filters: opening it again gives the same list.
  const again = await open(seen.url);
  const list2 = await again.page.evaluate(() => window.landinv.codes('plots'));
  report('shared link restores the filters', sameSet(list2, want), `got ${list2.length}, want ${want.length}`);
  await again.context.close();

  // 4. Clicking a plot on the map opens its details.
  const hit = await page.evaluate(() => {
    const m = window.landinv.map;
    const c = m.getCanvas();
    for (let y = 20; y < c.clientHeight - 20; y += 7) {
      for (let x = 300; x < c.clientWidth - 20; x += 7) {
        const fs = m.queryRenderedFeatures([x, y], { layers: ['plants-fill', 'idle-sites-fill', 'plots-fill'] });
        // A result of the search (outlined): the plot the investor is looking for.
        if (fs.length && fs[0].layer.id === 'plots-fill' && m.queryRenderedFeatures([x, y], { layers: ['plots-result'] }).some((r) => r.properties.code === fs[0].properties.code)) {
          const r = c.getBoundingClientRect();
          return { x: r.left + x, y: r.top + y, code: fs[0].properties.code };
        }
      }
    }
    return null;
  });
  let detailsOK = false; let detail = 'no plot found on screen';
  if (hit) {
    await page.mouse.click(hit.x, hit.y);
    await page.waitForSelector('#details:not([hidden]) tr.nearest-road', { timeout: 10000 }).catch(() => {});
    const d = await page.evaluate(() => ({ title: document.querySelector('#details-title').textContent, text: document.querySelector('#details-body').innerText, selected: window.landinv.state.selected && window.landinv.state.selected.code }));
    detailsOK = d.title.includes(hit.code) && /亩/.test(d.text) && /m²/.test(d.text) && /公顷/.test(d.text) && /最近道路/.test(d.text) && /米/.test(d.text);
    detail = JSON.stringify({ clicked: hit.code, ...d, at: hit, errors: rec.errors.slice(-3) });
  }
  report('clicking a plot opens its details', detailsOK, detail);
  await page.screenshot({ path: join(out, 'details-plot.png') });

  // 5. The English switch changes labels, legend entries and units.
  await page.click('#lang');
  await page.waitForTimeout(300);
  const en = await page.evaluate(() => ({
    lang: document.documentElement.lang, title: document.title,
    legend: document.querySelector('#legend').innerText, details: document.querySelector('#details-body').innerText,
    list: document.querySelector('#list-plots').innerText, panel: document.querySelector('#search').innerText,
    url: location.search,
  }));
  // Proper names (road, district, plot names in the data) may stay Chinese; UI text must not.
  const uiCJK = /[\u4e00-\u9fff]/;
  const stripNames = (s) => s.replace(/\([\u4e00-\u9fff]+\)/g, '').replace(/[\u4e00-\u9fff]+(路|街|大道|辅道|区|环|廊道|轴|地块)[^\n,)]*/g, '');
  const enOK = en.lang === 'en' && /Land map/.test(en.title) && /Plots \(by status\)/.test(en.legend) && /Standard land/.test(en.legend)
    && /Nearest road/.test(en.details) && /\bmu\b/.test(en.details) && /\bha\b/.test(en.details) && !/亩|公顷/.test(en.details + en.list)
    && !uiCJK.test(stripNames(en.panel.replace(/\d{4,6} /g, ''))) && en.url.includes('lang=en');
  report('English switch changes every label and unit', enOK, JSON.stringify({ lang: en.lang, title: en.title, panelCJK: (stripNames(en.panel).match(/[\u4e00-\u9fff]+/g) || []).slice(0, 5), legend: en.legend.slice(0, 200), details: en.details.slice(0, 300) }));
  await page.screenshot({ path: join(out, 'english.png') });

  // Plants search: the API's answer, in the list.
  await page.click('.tabs button[data-tab=plants]');
  await page.fill('#form-plants input[name=min_floor_load_kn_m2]', '10');
  await page.waitForFunction(() => { const r = window.landinv.state.results.plants; return r && r.query.includes('min_floor_load_kn_m2=10'); }, null, { timeout: 10000 });
  const pl = await page.evaluate(() => [...document.querySelectorAll('#list-plants li[data-code]')].map((li) => li.dataset.code));
  const plWant = await (await fetch(base + '/api/v1/plants?min_floor_load_kn_m2=10&limit=10000')).json();
  report('plant search lists the API answer', pl.length > 0 && sameSet(pl, plWant.features.map((f) => f.id)), `list ${pl.length}, api ${plWant.features.length}`);
  await page.screenshot({ path: join(out, 'plants-search.png') });
  report('no console error during the session', rec.errors.length === 0, JSON.stringify(rec.errors));
  await page.context().close();

  // 6. Phone width.
  const phone = await open('/', { width: 375, height: 740 });
  const ph = await phone.page.evaluate(() => {
    const map = document.querySelector('#map').getBoundingClientRect();
    return { scrollW: document.documentElement.scrollWidth, mapH: map.height, mapW: map.width, toggle: getComputedStyle(document.querySelector('#panel-toggle')).display };
  });
  await phone.page.screenshot({ path: join(out, 'phone-375.png') });
  const visiblePanel = await phone.page.isVisible('#form-plots');
  await phone.page.click('#panel-toggle');
  const hiddenPanel = !(await phone.page.isVisible('#form-plots'));
  await phone.page.click('#panel-toggle');
  const tapOK = await phone.page.evaluate(() => {
    const el = document.querySelector('#form-plots input[name=standard_land]');
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right <= 375;
  });
  report('phone layout is usable', ph.scrollW <= 375 && ph.mapH >= 250 && ph.mapW === 375 && ph.toggle !== 'none' && visiblePanel && hiddenPanel && tapOK && phone.rec.errors.length === 0,
    JSON.stringify({ ...ph, visiblePanel, hiddenPanel, tapOK, errors: phone.rec.errors }));
  // The same in English: labels are longer, the page must still fit.
  await phone.page.click('#lang');
  await phone.page.waitForTimeout(300);
  const phEN = await phone.page.evaluate(() => ({ lang: document.documentElement.lang, scrollW: document.documentElement.scrollWidth }));
  await phone.page.screenshot({ path: join(out, 'phone-375-en.png') });
  report('phone layout fits in English', phEN.lang === 'en' && phEN.scrollW <= 375 && phone.rec.errors.length === 0,
    JSON.stringify({ ...phEN, errors: phone.rec.errors }));
  await phone.context.close();
}

// gcj: the page shifts the layers into GCJ-02 under a GCJ-02 basemap. Reports the first vertex
// of a plot as the API gives it and as the map's source holds it; the Go test compares the
// latter with geo.WGS84ToGCJ02 of the former.
async function gcj() {
  const { page, rec } = await open('/');
  const r = await page.evaluate(async () => {
    const fc = await (await fetch('/api/v1/plots?limit=1')).json();
    const f = fc.features[0];
    const data = window.landinv.state.allPlots;
    const g = data.features.find((x) => x.id === f.id);
    return { code: f.id, api: f.geometry.coordinates[0][0][0], map: g.geometry.coordinates[0][0][0], basemap: !!window.landinv.map.getSource('basemap') };
  });
  await page.screenshot({ path: join(out, 'gcj02-basemap.png') });
  report('gcj02 shift', rec.external.length === 0 && r.basemap, JSON.stringify({ ...r, errors: rec.errors }), r);
}

// FAST_3G is Chrome DevTools' "Fast 3G" throttling preset (devtools-frontend,
// front_end/core/sdk/NetworkManager.ts, Fast3GConditions): 1.6 Mbit/s down and 750 kbit/s up,
// each times 0.9, and 150 ms × 3.75 of latency, as Network.emulateNetworkConditions takes them
// (bytes per second, milliseconds).
const FAST_3G = { offline: false, downloadThroughput: 1.6 * 1000 * 1000 / 8 * 0.9, uploadThroughput: 750 * 1000 / 8 * 0.9, latency: 150 * 3.75 };

// bench: for each of --runs loads of the map (a fresh browser context, so nothing cached), the
// time from navigation to the first frame that shows plots (the page's plotsAt), to every layer
// drawn and labelled (readyAt), and the bytes on the wire until then. --net fast3g throttles
// the connection as DevTools' "Fast 3G" does.
async function bench() {
  const runs = Number(args.runs || 5);
  const times = []; const plots = []; const bytes = [];
  for (let i = 0; i < runs; i++) {
    const { page, context, rec } = await open('/', undefined, args.net === 'fast3g' ? FAST_3G : null);
    const t = await page.evaluate(() => ({ ready: window.landinv.state.readyAt, plots: window.landinv.state.plotsAt }));
    times.push(t.ready); plots.push(t.plots);
    bytes.push(rec.firstLoadBytes);
    await context.close();
  }
  report('bench', true, '', { times, plots, bytes });
}

// zone: the map and the report page opened with zone=CODE (--zone) pass the zone to every
// API call of the zone's data and to every tile URL; the map shows that zone's name.
async function zone() {
  const code = args.zone;
  const zoneless = /^\/(api\/v1\/(meta|me|session|zones|land-uses|reports)?|map-config\.json)(\?|$)/;
  const lacking = (urls) => urls.filter((u) => /^\/(api\/v1|tiles|sites)\//.test(u) && !zoneless.test(u) && new URL(u, base).searchParams.get('zone') !== code);
  const { page, rec, context } = await open(`/?zone=${code}`);
  await page.waitForTimeout(1500); // tiles of the first view
  const name = await page.textContent('#zone-name');
  const reports = await page.getAttribute('#reports-link', 'href');
  const api = rec.urls.filter((u) => u.startsWith('/api/v1/') || u.startsWith('/tiles/'));
  const tiles = api.filter((u) => u.startsWith('/tiles/')).length;
  const kept = new URL(page.url()).searchParams.get('zone');
  report('zone map', lacking(rec.urls).length === 0 && tiles > 0 && rec.errors.length === 0 && kept === code,
    JSON.stringify({ lacking: lacking(rec.urls), tiles, errors: rec.errors, kept }), { name, reports, calls: api.length });
  await context.close();
  const r = await open(`/reports?zone=${code}`);
  const title = await r.page.textContent('#c-zone');
  const rapi = r.rec.urls.filter((u) => u.startsWith('/api/v1/reports/'));
  report('zone reports', lacking(r.rec.urls).length === 0 && rapi.length >= 5 && new URL(r.page.url()).searchParams.get('zone') === code,
    JSON.stringify({ lacking: lacking(r.rec.urls), reports: rapi.length, errors: r.rec.errors }), { title });
  await r.context.close();
}

try {
  if (mode === 'zone') await zone();
  else if (mode === 'checks') await checks();
  else if (mode === 'gcj') await gcj();
  else if (mode === 'bench') await bench();
} catch (e) {
  report('script', false, String(e && e.stack || e));
} finally {
  await browser.close();
}
