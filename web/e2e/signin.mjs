// Browser checks of signing in (issue 14), driven by playwright-core over Debian's chromium:
// the sign-in page in Chinese and English at 1366×768 and 375 px (screenshots), a leader who
// signs in with a password and then sees the confidential figures in the details panel but may
// not edit, signing out, and a cross-origin write with a planner's session cookie refused.
// Prints one JSON object per line: {"check", "ok", "detail"}.
//
//   node signin.mjs --base URL --attacker URL --code PLOTCODE --enterprise NAME --out DIR
//     --leader NAME:PASSWORD --planner NAME:PASSWORD
import { join } from 'node:path';
import { args, base, out, report, launch } from './lib.mjs';

const [leader, leaderPw] = args.leader.split(':');
const [planner, plannerPw] = args.planner.split(':');

const browser = await launch();
const errors = [];
async function newPage(viewport = { width: 1366, height: 768 }) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/status of (401|403)/.test(m.text())) errors.push(m.text()); });
  return { context, page };
}
const check = async (name, page, fn) => {
  try { report(name, true, await fn()); } catch (e) { report(name, false, e.message); if (page) await page.screenshot({ path: join(out, `signin-fail-${name}.png`) }); }
};
const me = (page) => page.evaluate(async () => (await fetch('/api/v1/me')).json());
const mapReady = (page) => page.waitForFunction(() => window.landinv && window.landinv.map && window.landinv.map.loaded(), null, { timeout: 60000 });

// 1. The page in both languages and two sizes: right language, nothing wider than the screen.
for (const lang of ['zh', 'en']) {
  for (const vp of [{ width: 1366, height: 768 }, { width: 375, height: 740 }]) {
    const { context, page } = await newPage(vp);
    const name = `signin_page_${lang}_${vp.width}`;
    await check(name, page, async () => {
      await page.goto(`${base}/signin${lang === 'en' ? '?lang=en' : ''}`);
      await page.waitForSelector('body[data-ready=true]');
      const file = join(out, `signin-${lang}-${vp.width}x${vp.height}.png`);
      await page.screenshot({ path: file, fullPage: true });
      const got = await page.evaluate(() => ({
        heading: document.querySelector('#signin-form h2').textContent,
        label: document.querySelector('#signin-form label span').textContent,
        lang: document.documentElement.lang,
        overflow: document.documentElement.scrollWidth - window.innerWidth,
        tokenBox: !!document.querySelector('input[name=token]'),
        form: document.querySelector('#signin-form').getBoundingClientRect().width,
      }));
      const want = lang === 'en' ? ['Sign in', 'User name'] : ['登录', '用户名'];
      if (got.heading !== want[0] || got.label !== want[1] || got.overflow > 0 || got.tokenBox || got.form < 250) throw new Error(JSON.stringify(got));
      return file;
    });
    await context.close();
  }
}

// 2. A leader, in Chinese: the public map shows no confidential figures; "sign in" leads to
// /signin and back to the same view; then the details panel shows them, editing is not
// offered; signing out takes them away again.
{
  const { context, page } = await newPage();
  const view = `/?sel=plots:${encodeURIComponent(args.code)}`;
  const detailsText = async () => {
    await page.waitForSelector('#details:not([hidden]) #details-body tr, #details:not([hidden]) #details-body dt, #details:not([hidden]) #details-body *', { timeout: 30000 });
    await page.waitForFunction((code) => document.querySelector('#details-body') && document.querySelector('#details').textContent.includes(code), args.code, { timeout: 30000 });
    return page.textContent('#details');
  };
  await check('leader_signs_in_sees_confidential_zh', page, async () => {
    await page.goto(base + view);
    await mapReady(page);
    const before = await detailsText();
    if (before.includes(args.enterprise)) throw new Error('the public sees the enterprise');
    if (await page.$('input[name=token]')) throw new Error('the map page shows a token box');
    await page.click('a#edit-toggle');
    await page.waitForURL((u) => u.pathname === '/signin' && (u.searchParams.get('next') || '').includes('sel=plots'));
    await page.waitForSelector('body[data-ready=true]');
    await page.fill('input[name=name]', leader);
    await page.fill('input[name=password]', 'not the password');
    await page.click('#signin-form button[type=submit]');
    await page.waitForFunction(() => document.querySelector('#signin-error').textContent.includes('用户名或密码不正确'));
    await page.fill('input[name=password]', leaderPw);
    await page.click('#signin-form button[type=submit]');
    await page.waitForURL((u) => u.pathname === '/' && u.searchParams.get('sel') === `plots:${args.code}`, { timeout: 30000 });
    await mapReady(page);
    await page.waitForFunction((e) => document.querySelector('#details').textContent.includes(e), args.enterprise, { timeout: 30000 });
    const after = await page.textContent('#details');
    const who = await me(page);
    const cookies = await context.cookies();
    const c = cookies.find((x) => x.name === 'landinv_session');
    if (!c || !c.httpOnly || c.sameSite !== 'Lax') throw new Error('cookie ' + JSON.stringify(c));
    if (who.role !== 'leader' || who.via !== 'session' || !after.includes('保密信息')) throw new Error(JSON.stringify(who));
    await page.screenshot({ path: join(out, 'signin-leader-details-zh.png') });
    return { who: who.name, toggle: await page.textContent('#edit-toggle') };
  });
  await check('leader_cannot_edit', page, async () => {
    await page.click('button#edit-toggle');
    await page.waitForSelector('#signout');
    const disabled = await page.evaluate(() => ['#edit-props', '#edit-vertices', '#draw-plot', '#show-import'].map((s) => document.querySelector(s).disabled));
    if (!disabled.every(Boolean)) throw new Error('edit buttons enabled: ' + disabled);
    // The API refuses the leader's write even with the CSRF token: 403.
    const status = await page.evaluate(async (code) => {
      const m = await (await fetch('/api/v1/me')).json();
      const f = await fetch(`/api/v1/plots/${code}`);
      const r = await fetch(`/api/v1/plots/${code}`, { method: 'PATCH', headers: { 'X-CSRF-Token': m.csrf_token, 'If-Match': f.headers.get('ETag'), 'Content-Type': 'application/geo+json' },
        body: JSON.stringify({ type: 'Feature', properties: { name: 'x' } }) });
      return r.status;
    }, args.code);
    if (status !== 403) throw new Error('leader PATCH: ' + status);
    return await page.textContent('#edit-panel');
  });
  await check('leader_signs_out_zh', page, async () => {
    await Promise.all([page.waitForEvent('load'), page.click('#signout')]);
    await mapReady(page);
    await page.waitForSelector('a#edit-toggle');
    const text = await detailsText();
    const who = await me(page);
    if (who.signed_in || text.includes(args.enterprise)) throw new Error(`after sign-out: ${JSON.stringify(who)}, enterprise shown: ${text.includes(args.enterprise)}`);
    return await page.textContent('#edit-toggle');
  });
  await context.close();
}

// 3. A planner, in English: signs in; a page on another origin (another port of the same host:
// same site, so the SameSite=Lax cookie goes along) forges a write; it is refused with 403 and
// the planner stays signed in; an unsafe next= goes to the map, not elsewhere.
{
  const { context, page } = await newPage();
  await check('planner_signs_in_en', page, async () => {
    await page.goto(`${base}/signin?lang=en&next=${encodeURIComponent('//evil.example/x')}`);
    await page.waitForSelector('body[data-ready=true]');
    await page.fill('input[name=name]', planner);
    await page.fill('input[name=password]', 'wrong password');
    await page.click('#signin-form button[type=submit]');
    await page.waitForFunction(() => document.querySelector('#signin-error').textContent.includes('The user name or the password is wrong'));
    await page.fill('input[name=password]', plannerPw);
    await page.click('#signin-form button[type=submit]');
    await page.waitForURL((u) => u.origin === base && u.pathname === '/', { timeout: 30000 });
    const who = await me(page);
    if (who.role !== 'planner' || !who.can_edit) throw new Error(JSON.stringify(who));
    return page.url();
  });
  await check('csrf_from_another_origin_refused', page, async () => {
    const forged = page.waitForResponse((r) => r.url() === `${base}/api/v1/plots` && r.request().method() === 'POST', { timeout: 30000 });
    await page.goto(`${args.attacker}/?target=${encodeURIComponent(base)}`);
    const r = await forged;
    const sentCookie = ((await r.request().allHeaders()).cookie || '').includes('landinv_session=');
    await page.waitForFunction(() => document.title.startsWith('done'));
    if (r.status() !== 403) throw new Error(`forged POST answered ${r.status()} (cookie sent: ${sentCookie})`);
    await page.goto(base + '/signin?lang=en');
    await page.waitForSelector('body[data-ready=true]');
    const who = await me(page);
    if (!who.signed_in) throw new Error('the planner was signed out');
    await page.screenshot({ path: join(out, 'signin-en-signed-in.png') });
    return { status: r.status(), cookie_sent: sentCookie };
  });
  // The planner makes a token for QGIS on the signed-in page, in English: shown once, it works
  // for their API requests; revoked, it no longer does. Then the section in Chinese, and both
  // at 375 px.
  await check('planner_makes_and_revokes_a_token', page, async () => {
    await page.waitForSelector('#tokens:not([hidden]) #token-list li');
    await page.selectOption('#token-days', '30');
    await page.fill('#token-label', 'Office QGIS');
    await page.click('#token-create');
    await page.waitForSelector('#token-made:not([hidden])');
    const tok = await page.inputValue('#token-value');
    const asToken = async () => (await fetch(`${base}/api/v1/me`, { headers: { Authorization: `Bearer ${tok}` } })).json();
    const who = await asToken();
    if (!tok.startsWith('li_') || who.name !== planner || who.via !== 'token') throw new Error(`token ${tok.slice(0, 8)}: ${JSON.stringify(who)}`);
    await page.waitForFunction((p) => document.querySelector('#token-list').textContent.includes(p), tok.slice(0, 8));
    if (!(await page.textContent('#token-list')).includes('Office QGIS') || await page.inputValue('#token-label') !== '') throw new Error('the label is not listed, or not cleared');
    const files = [];
    for (const [lang, vp] of [['en', { width: 1366, height: 768 }], ['en', { width: 375, height: 740 }]]) {
      await page.setViewportSize(vp);
      const file = join(out, `signin-tokens-${lang}-${vp.width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      files.push(file);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow > 0) throw new Error(`${vp.width} px: ${overflow} px too wide`);
    }
    await page.setViewportSize({ width: 1366, height: 768 });
    const item = page.locator('#token-list li', { hasText: tok.slice(0, 8) });
    // Revoking asks first: dismissed, nothing happens; accepted, the token stops working and
    // the token shown is cleared.
    page.once('dialog', (d) => d.dismiss());
    await item.locator('button.revoke').click();
    await page.waitForTimeout(300);
    if ((await fetch(`${base}/api/v1/me`, { headers: { Authorization: `Bearer ${tok}` } })).status !== 200) throw new Error('a dismissed revoke revoked the token');
    const steps = await page.textContent('#qgis-steps');
    if (!steps.includes(`${base}/ogc`) || !steps.includes('Authorization')) throw new Error(`QGIS steps: ${steps}`);
    let asked = '';
    page.once('dialog', (d) => { asked = d.message(); d.accept(); });
    await item.locator('button.revoke').click();
    await page.waitForFunction((p) => [...document.querySelectorAll('#token-list li')].some((li) => li.textContent.includes(p) && li.textContent.includes('revoked')), tok.slice(0, 8));
    const after = await fetch(`${base}/api/v1/me`, { headers: { Authorization: `Bearer ${tok}` } });
    if (after.status !== 401) throw new Error(`revoked token: ${after.status}`);
    if (!asked.includes(tok.slice(0, 8)) || !(await page.isHidden('#token-made')) || await page.inputValue('#token-value') !== '') {
      throw new Error(`after revoking: asked ${JSON.stringify(asked)}, the token still shown`);
    }
    await page.goto(base + '/signin');
    await page.waitForSelector('#tokens:not([hidden]) #token-list li');
    const zh = await page.textContent('#tokens');
    if (!zh.includes('GIS 客户端令牌') || !zh.includes('已吊销')) throw new Error(zh);
    for (const vp of [{ width: 1366, height: 768 }, { width: 375, height: 740 }]) {
      await page.setViewportSize(vp);
      const file = join(out, `signin-tokens-zh-${vp.width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      files.push(file);
    }
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(base + '/signin?lang=en');
    await page.waitForSelector('body[data-ready=true]');
    return files;
  });
  await check('planner_signs_out_en', page, async () => {
    await Promise.all([page.waitForEvent('load'), page.click('#signout')]);
    await page.waitForSelector('body[data-ready=true]');
    const who = await me(page);
    if (who.signed_in || !(await page.isVisible('#signin-form'))) throw new Error(JSON.stringify(who));
    return 'signed out';
  });
  await context.close();
}

report('no_page_errors', errors.length === 0, errors.join('\n'));
await browser.close();
