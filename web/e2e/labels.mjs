// Browser checks of the land map's labels and its local basemap (issue 13, items 1 and 6): at
// 1366×768 and 375×740, in Chinese and English, at several zooms, no two road or district
// labels overlap, measured on the rendered symbols' boxes with queryRenderedFeatures (a point
// of the map that falls in two placed labels' boxes is an overlap: the map is probed every
// STEP px); the basemap is read from /basemap/ by range requests and drawn; nothing is
// requested beyond the server. Run by labels_e2e_test.go; prints one JSON object per line;
// screenshots map-*.png go to --out.
//
//   node labels.mjs --base http://127.0.0.1:PORT --out DIR
import { join } from 'node:path';
import { args, base, out, report, launch } from './lib.mjs';

const browser = await launch();

const STEP = 5;
const views = [['1366x768', { width: 1366, height: 768 }], ['375x740', { width: 375, height: 740 }]];

try {
  for (const lang of ['zh', 'en']) {
    for (const [name, viewport] of views) {
      const ctx = await browser.newContext({ viewport, locale: lang === 'en' ? 'en-US' : 'zh-CN' });
      const page = await ctx.newPage();
      const external = []; const errors = []; const basemap = [];
      page.on('request', (r) => { const u = r.url(); if (!u.startsWith(base + '/') && !u.startsWith('data:') && !u.startsWith('blob:')) external.push(u); });
      page.on('response', (r) => {
        if (r.url().startsWith(base + '/basemap/')) basemap.push({ status: r.status(), range: r.request().headers().range || '' });
        if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url()}`);
      });
      page.on('pageerror', (e) => errors.push('pageerror: ' + e.message));
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      await page.goto(`${base}/?lang=${lang}`);
      await page.waitForSelector('body[data-ready=true]', { timeout: 60000 });
      const start = await page.evaluate(() => window.landinv.map.getZoom());
      // At first load, no label of the surroundings' points (city centre, station, exits) is
      // cut by the map's edge or hidden under its controls: the map is probed along its edges
      // and over the controls' box.
      const clipped = await page.evaluate(() => {
        const map = window.landinv.map; const c = map.getCanvas(); const w = c.clientWidth; const h = c.clientHeight;
        const layers = ['labels-context-points']; const hits = new Set();
        const probe = (x, y) => { for (const f of map.queryRenderedFeatures([x, y], { layers })) hits.add(f.properties.name_en); };
        for (let x = 0; x < w; x += 2) { probe(x, 1); probe(x, h - 2); }
        for (let y = 0; y < h; y += 2) { probe(1, y); probe(w - 2, y); }
        const cr = c.getBoundingClientRect(); const ctrl = document.querySelector('.maplibregl-ctrl-top-right').getBoundingClientRect();
        for (let y = ctrl.top; y < ctrl.bottom; y += 2) for (let x = ctrl.left; x < ctrl.right; x += 2) probe(x - cr.left, y - cr.top);
        return { clipped: [...hits], placed: map.queryRenderedFeatures({ layers }).map((f) => f.properties.name_en) };
      });
      report(`surroundings' labels inside the first view ${lang} ${name}`, clipped.clipped.length === 0 && clipped.placed.length >= 2, clipped);
      if (name === '1366x768') {
        // On a laptop's first view every line of the surroundings is named (river, main road,
        // railway, expressway), in each language.
        const lines = await page.evaluate(() => [...new Set(window.landinv.map.queryRenderedFeatures({ layers: ['labels-context-lines'] }).map((f) => f.properties.kind))].sort());
        report(`surroundings' lines named in the first view ${lang}`, ['expressway', 'main_road', 'railway', 'river'].every((k) => lines.includes(k)), { lines });
      }
      const zooms = [start, 12, 13, 14.5];
      const found = [];
      for (const z of zooms) {
        const r = await page.evaluate(async ({ z, step }) => {
          const map = window.landinv.map;
          map.jumpTo({ zoom: z });
          await new Promise((res) => { const check = () => (map.loaded() && map.areTilesLoaded() ? res() : map.once('idle', check)); check(); });
          const layers = ['labels-roads', 'labels-districts', 'labels-context-lines', 'labels-context-points'];
          const c = map.getCanvas(); const w = c.clientWidth; const h = c.clientHeight;
          const key = (f) => `${f.layer.id}:${f.id ?? f.properties.code}:${f.properties.label || f.properties.name_en || f.properties.name}`;
          const overlaps = new Map();
          for (let y = 0; y < h; y += step) {
            for (let x = 0; x < w; x += step) {
              const fs = map.queryRenderedFeatures([x, y], { layers });
              const keys = [...new Set(fs.map(key))];
              if (keys.length > 1) overlaps.set(keys.sort().join(' | '), [x, y]);
            }
          }
          const placed = map.queryRenderedFeatures({ layers });
          const texts = placed.map((f) => (f.layer.id === 'labels-districts' ? f.properties.label : (document.documentElement.lang === 'en' ? f.properties.name_en || f.properties.name : f.properties.name)));
          const context = placed.filter((f) => f.layer.id.startsWith('labels-context')).length;
          const contextDrawn = map.queryRenderedFeatures({ layers: ['context-river', 'context-roads', 'context-rail', 'context-points'] }).length;
          return { zoom: map.getZoom(), placed: placed.length, context, contextDrawn, texts: [...new Set(texts)].slice(0, 8), overlaps: [...overlaps.entries()].slice(0, 5) };
        }, { z, step: STEP });
        found.push(r);
        await page.screenshot({ path: join(out, `map-${lang}-${name}-z${Math.round(z * 10) / 10}.png`) });
      }
      const ok = found.every((r) => r.overlaps.length === 0) && found.reduce((a, r) => a + r.placed, 0) >= 6
        && (lang === 'zh' || found.some((r) => r.texts.some((t) => /[A-Za-z]{3}/.test(t))));
      report(`labels never overlap ${lang} ${name}`, ok, found);
      // The surroundings (layout kinds of migration 0067) are drawn in the first view, with
      // labels placed among the others'.
      report(`surroundings drawn and labelled ${lang} ${name}`, found[0].contextDrawn >= 4 && found.some((r) => r.context > 0), found.map((r) => ({ zoom: r.zoom, drawn: r.contextDrawn, labels: r.context })));
      // The first view again, for the README's screenshot.
      await page.evaluate(async (z) => { const map = window.landinv.map; map.jumpTo({ zoom: z }); await new Promise((res) => map.once('idle', res)); }, start);
      await page.screenshot({ path: join(out, `map-${lang}-${name}.png`) });
      // probe: a point of the map's bottom-right corner (left of the attribution button), where no
      // layer of the zone is drawn: the Go test reads the basemap's colour there.
      const drawn = await page.evaluate(() => {
        const r = window.landinv.map.getContainer().getBoundingClientRect();
        return { basemap: !!window.landinv.map.getLayer('basemap'), archive: (window.landinv.state.cfg.basemap || {}).archive || '', probe: [Math.round(r.right - 60), Math.round(r.bottom - 8)] };
      });
      report(`basemap from the server ${lang} ${name}`, external.length === 0 && errors.length === 0 && (!drawn.archive || (drawn.basemap && basemap.length >= 2 && basemap.every((b) => b.status === 206 && b.range))),
        { external, errors, basemap: basemap.slice(0, 5), drawn }, { path: join(out, `map-${lang}-${name}.png`), probe: drawn.probe });
      // Away from the city centre, the arrow at the edge names it with its distance from the
      // middle of the map (the page measures it on the ellipsoid, measure.js): checked against a
      // haversine distance on the mean sphere computed here from the API's city_centre feature,
      // which differs from the ellipsoid's by at most 0.5 %, plus the page's rounding.
      const layout = await (await fetch(`${base}/api/v1/layout?kind=city_centre`)).json();
      const cc = layout.features[0];
      const far = await page.evaluate(async () => {
        const map = window.landinv.map; const b = window.landinv.state.zone.bbox;
        map.jumpTo({ center: [b[2] - (b[2] - b[0]) * 0.15, b[3] - (b[3] - b[1]) * 0.15], zoom: 14 });
        await new Promise((res) => { const check = () => (map.loaded() && map.areTilesLoaded() ? res() : map.once('idle', check)); check(); });
        const el = document.getElementById('city-pointer'); const c = map.getCenter();
        return { hidden: el.hidden, text: el.textContent, center: [c.lng, c.lat] };
      });
      const rad = Math.PI / 180; const [lon, lat] = cc.geometry.coordinates;
      const hav = Math.sin((lat - far.center[1]) * rad / 2) ** 2 + Math.cos(lat * rad) * Math.cos(far.center[1] * rad) * Math.sin((lon - far.center[0]) * rad / 2) ** 2;
      const km = 2 * 6371.0088 * Math.asin(Math.sqrt(hav));
      const shown = Number((far.text.match(/ (\d+(?:\.\d)?) /) || [])[1]);
      const near = Math.abs(shown - km) <= 0.005 * km + (km < 10 ? 0.05 : 0.5);
      const ccName = lang === 'en' ? cc.properties.name_en : cc.properties.name;
      report(`city centre pointer ${lang} ${name}`, !far.hidden && far.text.includes(ccName) && near, { ...far, shown_km: shown, haversine_km: km, name: ccName });
      await ctx.close();
    }
  }
} catch (e) {
  report('script', false, String(e && e.stack || e));
}
await browser.close();
