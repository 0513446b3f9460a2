// Browser checks of the site sheets (/sites/plots/{code}, /sites/plants/{code}) and the enquiry
// form, driven by playwright-core over Debian's chromium like run.mjs. Prints one JSON object
// per line: {"check", "ok", "detail"}. Screenshots and PDFs go to --out.
//
//   node sheet.mjs --base http://127.0.0.1:PORT --out DIR --token PLANNER_TOKEN --plot CODE --plant CODE
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { args, base, out, report, launch } from './lib.mjs';

const { token, plot, plant } = args;

const browser = await launch({ gl: false });

async function open(path, viewport, locale = 'zh-CN') {
  const context = await browser.newContext({ viewport, locale });
  const page = await context.newPage();
  const rec = { errors: [], external: [] };
  page.on('console', (m) => { if (m.type() === 'error') rec.errors.push(m.text()); });
  page.on('pageerror', (e) => rec.errors.push('pageerror: ' + e.message));
  page.on('request', (r) => { const u = r.url(); if (!u.startsWith(base + '/') && !u.startsWith('data:')) rec.external.push(u); });
  page.on('response', (r) => { if (r.status() >= 400) rec.errors.push(`HTTP ${r.status()} ${r.url()}`); });
  const resp = await page.goto(base + path);
  return { page, rec, context, status: resp.status() };
}

// pdfPages counts the pages of a PDF: its /Type /Page objects (not /Pages).
const pdfPages = (buf) => (buf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;

try {
  // 1. Screenshots at 1366×768 and 375 px, Chinese and English, for both kinds of site; and
  //    the print layout: one A4 page each.
  const shots = [];
  let printOK = true;
  const printDetail = [];
  for (const [kind, code] of [['plots', plot], ['plants', plant]]) {
    for (const lang of ['zh', 'en']) {
      for (const vp of [{ width: 1366, height: 768 }, { width: 375, height: 740 }]) {
        const path = `/sites/${kind}/${encodeURIComponent(code)}${lang === 'en' ? '?lang=en' : ''}`;
        const { page, rec, context, status } = await open(path, vp, lang === 'en' ? 'en-US' : 'zh-CN');
        const name = `sheet-${kind}-${lang}-${vp.width}.png`;
        await page.screenshot({ path: join(out, name), fullPage: vp.width < 500 });
        // Nothing wider than the screen on a phone.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        shots.push({ name, status, errors: rec.errors, external: rec.external, overflow });
        if (vp.width === 1366) {
          // The print layout at the width of A4 less its margins (192 mm at 96 dpi).
          await page.emulateMedia({ media: 'print' });
          await page.setViewportSize({ width: 726, height: 1050 });
          await page.screenshot({ path: join(out, `sheet-${kind}-${lang}-print.png`), fullPage: true });
          const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
          writeFileSync(join(out, `sheet-${kind}-${lang}.pdf`), pdf);
          const n = pdfPages(pdf);
          printDetail.push(`${kind} ${lang}: ${n} page(s)`);
          if (n !== 1) printOK = false;
          const hidden = await page.evaluate(() => ['.toolbar', '.enquiry'].every((s) => getComputedStyle(document.querySelector(s)).display === 'none'));
          if (!hidden) { printOK = false; printDetail.push(`${kind} ${lang}: toolbar or form printed`); }
        }
        await context.close();
      }
    }
  }
  const bad = shots.filter((s) => s.status !== 200 || s.errors.length || s.external.length || s.overflow > 1);
  report('sheets load without errors or outside requests', bad.length === 0, bad.length ? bad : shots.map((s) => s.name).join(', '));
  report('sheet prints on one A4 page', printOK, printDetail.join('; '));

  // 2. An enquiry from the sheet reaches the planners' list.
  {
    const { page, rec, context } = await open(`/sites/plots/${encodeURIComponent(plot)}`, { width: 1366, height: 768 });
    const stamp = 'e2e-' + Date.now();
    await page.fill('input[name=name]', '赵女士');
    await page.fill('input[name=company]', stamp);
    await page.fill('input[name=phone]', '0357-7654321');
    await page.fill('input[name=industry]', '新材料');
    await page.fill('input[name=area_mu]', '30');
    await page.fill('textarea[name=message]', '请联系我看地。');
    await page.click('#enquiry-form button[type=submit]');
    await page.waitForFunction(() => document.querySelector('#enquiry-result').textContent.trim() !== '', null, { timeout: 10000 });
    const said = await page.textContent('#enquiry-result');
    await page.screenshot({ path: join(out, 'sheet-enquiry-sent.png') });
    // Sent once: every field and the button are disabled, so a second tap sends nothing.
    const locked = await page.$$eval('#enquiry-form input:not([name=website]), #enquiry-form textarea, #enquiry-form button', (els) => els.length > 0 && els.every((e) => e.disabled));
    const id = Number((said.match(/(\d+)\s*$/) || [])[1]);
    const r = await fetch(base + '/api/v1/enquiries', { headers: { Authorization: 'Bearer ' + token } });
    const list = await r.json();
    const found = (list.enquiries || []).find((e) => e.id === id);
    const ok = r.status === 200 && found && found.company === stamp && found.site_code === plot && found.status === 'new' && found.area_mu === 30 && rec.errors.length === 0;
    const pub = await fetch(base + '/api/v1/enquiries');
    report('enquiry from the sheet appears in the planner list', ok && pub.status === 401 && locked, { said, id, found, locked, errors: rec.errors, public: pub.status });
    await context.close();
  }

  // 2b. A refused enquiry says why in the page's language, naming the field by its label on
  //     the form (from the code's template, never the server's English detail), on the sheet
  //     and in the land map's details panel, in Chinese and English, 1366 px and 375 px each.
  {
    const said = [];
    for (const lang of ['zh', 'en']) {
      for (const width of [1366, 375]) {
        const q = lang === 'en' ? '?lang=en' : '';
        const { page, rec, context } = await open(`/sites/plots/${encodeURIComponent(plot)}${q}`, { width, height: 768 });
        await page.fill('input[name=name]', 'Test');
        await page.fill('input[name=email]', 'not-an-address');
        await page.click('#enquiry-form button[type=submit]');
        await page.waitForFunction(() => document.querySelector('#enquiry-result').textContent.trim() !== '', null, { timeout: 10000 });
        const text = await page.textContent('#enquiry-result');
        await page.locator('#enquiry-result').scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(out, `sheet-enquiry-refused-${lang}-${width}.png`) });
        said.push({ where: 'sheet', lang, width, text, errors: rec.errors });
        await context.close();
      }
      for (const [width, height] of [[1366, 768], [375, 740]]) {
        const { page, rec, context } = await open(`/?sel=plots:${encodeURIComponent(plot)}${lang === 'en' ? '&lang=en' : ''}`, { width, height });
        await page.waitForSelector('body[data-ready=true]', { timeout: 60000 });
        await page.waitForSelector('#sheet-link', { timeout: 20000 });
        await page.click('#details-enquiry summary');
        await page.fill('#details-enquiry input[name=name]', 'Test');
        await page.fill('#details-enquiry input[name=email]', 'not-an-address');
        await page.click('#details-enquiry button[type=submit]');
        await page.waitForFunction(() => document.querySelector('#details-enquiry .enquiry-result').textContent.trim() !== '', null, { timeout: 10000 });
        const text = await page.textContent('#details-enquiry .enquiry-result');
        await page.locator('#details-enquiry .enquiry-result').scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(out, `details-enquiry-refused-${lang}-${width}.png`) });
        said.push({ where: 'details', lang, width, text, errors: rec.errors });
        await context.close();
      }
    }
    const want = { zh: ['提交失败：', '邮箱的值不符合要求。'], en: ['Could not send: ', 'Email: the value is not accepted.'] };
    const bad = said.filter((s) => !s.text.includes(want[s.lang][0]) || !s.text.includes(want[s.lang][1]) || /is not an email address/.test(s.text)
      // the refusal itself (HTTP 422, and the console's line about it) is expected
      || s.errors.some((e) => !/422/.test(e)));
    report('a refused enquiry says why in the page\'s language', bad.length === 0 && said.length === 8, said);
  }

  // 4. The sheet's map: no two texts (road names, the scale, the north arrow) overlap, none
  //    covers the scale bar and none is cut by the map's edge, measured on the rendered boxes
  //    (getBoundingClientRect) of every 8th plot's sheet and every 4th building's, in both
  //    languages.
  {
    const codes = async (layer, every) => (await (await fetch(`${base}/api/v1/${layer}?limit=10000`)).json()).features.map((f) => f.id).filter((_, i) => i % every === 0);
    const sheets = [...(await codes('plots', 8)).map((c) => ['plots', c]), ...(await codes('plants', 4)).map((c) => ['plants', c])];
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    const bad = [];
    let labels = 0;
    for (const [kind, code] of sheets) {
      for (const lang of ['zh', 'en']) {
        await page.goto(`${base}/sites/${kind}/${encodeURIComponent(code)}${lang === 'en' ? '?lang=en' : ''}`);
        const r = await page.evaluate(() => {
          const svg = document.querySelector('#site-map');
          if (!svg) return { n: 0, clashes: [] };
          const box = (el) => { const b = el.getBoundingClientRect(); return { l: b.left, t: b.top, r: b.right, b: b.bottom, s: el.textContent || el.tagName }; };
          const texts = [...svg.querySelectorAll('text')].map(box);
          const scaleBar = box(svg.querySelector('.m-scale rect'));
          const map = box(svg);
          const meet = (a, b) => a.l < b.r - 0.5 && b.l < a.r - 0.5 && a.t < b.b - 0.5 && b.t < a.b - 0.5;
          const clashes = [];
          for (let i = 0; i < texts.length; i++) {
            for (let j = i + 1; j < texts.length; j++) if (meet(texts[i], texts[j])) clashes.push(`${texts[i].s} × ${texts[j].s}`);
            if (meet(texts[i], scaleBar)) clashes.push(`${texts[i].s} × scale bar`);
            const t = texts[i];
            if (t.l < map.l - 0.5 || t.r > map.r + 0.5 || t.t < map.t - 0.5 || t.b > map.b + 0.5) clashes.push(`${t.s} cut by the edge`);
          }
          return { n: texts.length, clashes };
        });
        labels += r.n;
        if (r.clashes.length) bad.push({ kind, code, lang, clashes: r.clashes.slice(0, 4) });
      }
    }
    await page.goto(`${base}/sites/${sheets[0][0]}/${encodeURIComponent(sheets[0][1])}?lang=en`);
    await page.screenshot({ path: join(out, 'sheet-map-labels-en-1366.png') });
    report('sheet map labels never overlap', bad.length === 0 && labels > sheets.length * 2 * 3, { sheets: sheets.length, labels, bad: bad.slice(0, 6) });
    await context.close();
  }

  // 3. The land map's details panel links to the sheet.
  {
    const { page, rec, context } = await open(`/?sel=plots:${encodeURIComponent(plot)}`, { width: 1366, height: 768 });
    await page.waitForSelector('body[data-ready=true]', { timeout: 60000 });
    await page.waitForSelector('#sheet-link', { timeout: 20000 });
    const href = await page.getAttribute('#sheet-link', 'href');
    await page.click('#details-enquiry summary');
    await page.screenshot({ path: join(out, 'details-sheet-link.png') });
    report('details panel links to the sheet', href === `/sites/plots/${encodeURIComponent(plot)}` && rec.external.length === 0, { href, errors: rec.errors });
    await context.close();
  }
} catch (e) {
  report('script', false, e.stack || String(e));
}
await browser.close();
