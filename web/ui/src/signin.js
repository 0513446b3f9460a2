// The sign-in page (/signin): a name and a password, posted to POST /api/v1/session, which
// answers with the session cookie. Afterwards the page goes back to ?next=, but only to a path
// on this site (anything else goes to the map). Chinese by default, English with ?lang=en.
import './signin.css';
import { whoAmI, signOut } from './api.js';

const params = new URLSearchParams(location.search);
const lang = params.get('lang') === 'en' ? 'en' : 'zh';

const text = {
  title: ['临汾经济开发区 土地一张图', 'Linfen Economic Development Zone · Land map'],
  heading: ['登录', 'Sign in'],
  switch_heading: ['以其他用户登录', 'Sign in as someone else'],
  name: ['用户名', 'User name'],
  password: ['密码', 'Password'],
  submit: ['登录', 'Sign in'],
  hint: ['没有账号？请联系管理员。', 'No account? Ask your administrator.'],
  back: ['← 返回地图（不登录）', '← Back to the map (without signing in)'],
  back_signed_in: ['← 返回地图', '← Back to the map'],
  continue: ['返回地图', 'Back to the map'],
  signout: ['退出登录', 'Sign out'],
  signed_in_as: ['已登录：{name}（{role}）', 'Signed in as {name} ({role})'],
  required: ['请填写用户名和密码。', 'Enter your user name and password.'],
  wrong: ['用户名或密码不正确。', 'The user name or the password is wrong.'],
  too_many: ['登录失败次数过多，请 {n} 分钟后再试。', 'Too many failed sign-ins; try again in {n} minutes.'],
  failed: ['登录失败（{status}），请稍后再试。', 'Sign-in failed ({status}); please try again later.'],
  viewer: ['访客', 'viewer'], leader: ['领导', 'leader'], planner: ['规划人员', 'planner'], admin: ['管理员', 'admin'],
  tokens_heading: ['GIS 客户端令牌', 'Tokens for GIS clients'],
  tokens_hint: ['QGIS、ArcGIS、GDAL 用令牌连接本系统。令牌代表您本人：能做您能做的一切（编辑数据、查看保密信息），请像密码一样保管，勿外传。令牌只在创建时显示一次。',
    'QGIS, ArcGIS and GDAL connect with a token. A token acts as you: it can do all you can (edit, see confidential figures), so keep it like a password. A token is shown once, when it is made.'],
  qgis_steps: ['在 QGIS 中：图层 → 添加图层 → 添加 WFS / OGC API – Features 图层 → 新建；URL 填 {url}，版本选 OGC API – Features；认证 → API Header（API 请求头），键填 Authorization，值填 Bearer 加一个空格再加令牌。',
    'In QGIS: Layer → Add Layer → Add WFS / OGC API – Features Layer → New; URL {url}, version OGC API – Features; Authentication → API Header, key Authorization, value Bearer, a space, then the token.'],
  token_made: ['新令牌（只显示这一次，请立即复制保存）：', 'Your new token (shown this once only: copy it now):'],
  copy: ['复制', 'Copy'], copied: ['已复制', 'Copied'],
  lifetime: ['有效期（天）', 'Valid for (days)'],
  token_label: ['用途（可选）', 'What it is for (optional)'],
  token_label_hint: ['如：办公室电脑 QGIS', 'e.g. office QGIS'],
  create: ['创建令牌', 'Make a token'],
  revoke: ['吊销', 'Revoke'],
  no_tokens: ['还没有令牌。', 'No tokens yet.'],
  token_line: ['创建于 {created}，{until}', 'made {created}, {until}'],
  until: ['有效至 {date}', 'valid until {date}'],
  revoked_on: ['吊销于 {date}', 'revoked {date}'],
  confirm_revoke: ['吊销后，使用这个令牌的 QGIS 等连接立即失效，且无法恢复。确定吊销 {prefix}…？', 'Once revoked, QGIS and any other client using this token stop working at once, and it cannot be undone. Revoke {prefix}…?'],
  old_tokens: ['已吊销或过期的令牌（{n}）', 'Revoked or expired tokens ({n})'],
  never: ['永不过期', 'never expires'],
  last_used: ['，最近使用 {date}', ', last used {date}'],
  active: ['有效', 'active'], expired: ['已过期', 'expired'], revoked: ['已吊销', 'revoked'],
  token_failed: ['操作失败（{status}）：{detail}', 'That failed ({status}): {detail}'],
};
const t = (k, vars = {}) => (text[k] ? text[k][lang === 'en' ? 1 : 0] : k).replace(/\{(\w+)\}/g, (_, v) => vars[v] ?? '');

// safeNext is where to go after signing in: ?next= when it is a path on this site (not
// "//host", not "/\host", not another scheme), else the map; the language goes along.
export function safeNext(raw) {
  let target = '/';
  if (raw && raw.startsWith('/') && !raw.startsWith('//') && !raw.startsWith('/\\')) {
    try {
      const u = new URL(raw, location.origin);
      if (u.origin === location.origin) target = u.pathname + u.search + u.hash;
    } catch { /* not a URL: the map */ }
  }
  return target;
}

const $ = (s) => document.querySelector(s);

function translate() {
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
  document.title = `${t('heading')} · ${lang === 'en' ? 'Land map' : '土地一张图'}`;
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  for (const el of document.querySelectorAll('[data-placeholder]')) el.placeholder = t(el.dataset.placeholder);
  const other = new URLSearchParams(params);
  if (lang === 'en') other.delete('lang'); else other.set('lang', 'en');
  const sw = $('#lang');
  sw.href = `?${other}`;
  sw.textContent = lang === 'en' ? '中文' : 'English';
  sw.lang = lang === 'en' ? 'zh-CN' : 'en';
  const next = safeNext(params.get('next'));
  $('#back').href = next;
  $('#continue').href = next;
}

async function submit(e) {
  e.preventDefault();
  const form = e.currentTarget;
  const err = $('#signin-error');
  const name = form.elements.name.value.trim();
  const password = form.elements.password.value;
  for (const el of [form.elements.name, form.elements.password]) el.setAttribute('aria-invalid', String(!el.value));
  if (!name || !password) {
    err.textContent = t('required');
    (name ? form.elements.password : form.elements.name).focus();
    return;
  }
  const button = form.querySelector('button');
  button.disabled = true;
  err.textContent = '';
  try {
    // A session already open (another user) is replaced: the write carries its CSRF token.
    const r = await fetch('/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json', ...(await csrfHeader()) },
      body: JSON.stringify({ name, password }) });
    if (r.status === 204) {
      location.assign(safeNext(params.get('next')));
      return;
    }
    if (r.status === 401) {
      err.textContent = t('wrong');
      form.elements.password.value = '';
      form.elements.password.setAttribute('aria-invalid', 'true');
      form.elements.password.focus();
    } else if (r.status === 429) {
      const secs = Number(r.headers.get('Retry-After')) || 60;
      err.textContent = t('too_many', { n: Math.max(1, Math.ceil(secs / 60)) });
    } else {
      err.textContent = t('failed', { status: r.status });
    }
  } finally {
    button.disabled = false;
  }
}

let me = { signed_in: false };
async function csrfHeader() {
  return me.signed_in && me.csrf_token ? { 'X-CSRF-Token': me.csrf_token } : {};
}

// ---- Tokens for GIS clients (GET/POST /api/v1/me/tokens, DELETE …/{id}): shown to a person
// signed in with a password; a token is shown once, in a read-only field with a copy button.

const day = (iso) => (iso ? new Date(iso).toLocaleDateString(lang === 'en' ? 'en-GB' : 'zh-CN', { year: 'numeric', month: 'short', day: 'numeric' }) : '');

async function tokenRequest(method, path, body) {
  const r = await fetch(path, { method, headers: { Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}), ...(await csrfHeader()) },
    body: body ? JSON.stringify(body) : undefined, cache: 'no-store' });
  const data = r.status === 204 ? {} : await r.json().catch(() => ({}));
  if (!r.ok) throw Object.assign(new Error(data.detail || r.statusText), { status: r.status, detail: data.detail || r.statusText });
  return data;
}

function showTokenError(e) {
  $('#token-error').textContent = e ? t('token_failed', { status: e.status || '', detail: e.detail || e.message }) : '';
}

async function listTokens() {
  const ul = $('#token-list');
  let data;
  try {
    data = await tokenRequest('GET', '/api/v1/me/tokens');
  } catch (e) { showTokenError(e); return; }
  const items = (data.tokens || []).slice().reverse(); // the newest first
  if (!items.length) {
    ul.replaceChildren(Object.assign(document.createElement('li'), { textContent: t('no_tokens') }));
    return;
  }
  const line = (tok) => {
    const li = document.createElement('li');
    li.className = `state-${tok.state}`;
    const what = document.createElement('span');
    const code = Object.assign(document.createElement('code'), { textContent: `${tok.prefix || 'li_'}…` });
    if (tok.label) what.append(Object.assign(document.createElement('strong'), { className: 'label', textContent: `${tok.label} ` }));
    const when = Object.assign(document.createElement('span'), { className: 'when',
      textContent: ` ${t(tok.state)} · ${t('token_line', { created: day(tok.created_at),
        until: tok.revoked_at ? t('revoked_on', { date: day(tok.revoked_at) }) : tok.expires_at ? t('until', { date: day(tok.expires_at) }) : t('never') })}${tok.last_used_at ? t('last_used', { date: day(tok.last_used_at) }) : ''}` });
    what.append(code, when);
    li.append(what);
    if (tok.state === 'active') {
      const b = Object.assign(document.createElement('button'), { type: 'button', textContent: t('revoke'), className: 'revoke' });
      b.setAttribute('aria-label', `${t('revoke')} ${tok.prefix || ''}`);
      b.addEventListener('click', async () => {
        if (!confirm(t('confirm_revoke', { prefix: tok.prefix || 'li_' }))) return;
        b.disabled = true;
        try {
          await tokenRequest('DELETE', `/api/v1/me/tokens/${encodeURIComponent(tok.id)}`);
          showTokenError(null);
          // The token shown just now, if it is this one, is no use any more.
          if ((tok.prefix && $('#token-value').value.startsWith(tok.prefix))) {
            $('#token-value').value = '';
            $('#token-made').hidden = true;
          }
        } catch (e) { showTokenError(e); }
        await listTokens();
      });
      li.append(b);
    }
    return li;
  };
  // Working tokens first; the revoked and expired ones folded away below them.
  const active = items.filter((tok) => tok.state === 'active');
  const old = items.filter((tok) => tok.state !== 'active');
  const rows = active.map(line);
  if (old.length) {
    const li = document.createElement('li');
    li.className = 'old-tokens';
    const d = document.createElement('details');
    d.append(Object.assign(document.createElement('summary'), { textContent: t('old_tokens', { n: old.length }) }),
      Object.assign(document.createElement('ul'), {}));
    d.querySelector('ul').append(...old.map(line));
    li.append(d);
    rows.push(li);
  }
  if (!active.length && !old.length) rows.push(Object.assign(document.createElement('li'), { textContent: t('no_tokens') }));
  ul.replaceChildren(...rows);
}

async function createToken() {
  const b = $('#token-create');
  b.disabled = true;
  try {
    const made = await tokenRequest('POST', '/api/v1/me/tokens', { expires_in_days: Number($('#token-days').value), label: $('#token-label').value.trim() });
    $('#token-label').value = '';
    showTokenError(null);
    $('#token-value').value = made.token;
    $('#token-made').hidden = false;
    $('#token-value').focus();
    $('#token-value').select();
    await listTokens();
  } catch (e) { showTokenError(e); } finally { b.disabled = false; }
}

function initTokens() {
  $('#tokens').hidden = false;
  $('#qgis-steps').textContent = t('qgis_steps', { url: `${location.origin}/ogc` });
  $('#token-create').addEventListener('click', createToken);
  $('#token-copy').addEventListener('click', async () => {
    const v = $('#token-value');
    v.select();
    try { await navigator.clipboard.writeText(v.value); } catch { document.execCommand('copy'); }
    $('#token-copy').textContent = t('copied');
  });
  listTokens();
  if (location.hash === '#tokens') $('#tokens').scrollIntoView(); // from the map's editing panel
  // A token shown once is not kept by the page: leaving it (or the browser keeping the page for
  // "back") clears the field.
  addEventListener('pagehide', () => { $('#token-value').value = ''; $('#token-made').hidden = true; });
}

async function init() {
  translate();
  $('#signin-form').addEventListener('submit', submit);
  me = await whoAmI();
  if (me.signed_in) {
    $('#signed-in-as').textContent = t('signed_in_as', { name: me.name, role: t(me.role) });
    $('#signed-in').hidden = false;
    $('#signout').addEventListener('click', async () => { await signOut(); location.reload(); });
    if (me.via === 'session') initTokens();
    // Signed in already: the form is for another user, and takes no focus (on a phone the
    // keyboard would cover the page).
    const heading = $('#signin-form h2');
    heading.dataset.t = 'switch_heading';
    heading.textContent = t('switch_heading');
    $('#back').dataset.t = 'back_signed_in';
    $('#back').textContent = t('back_signed_in');
  } else {
    $('#signin-form').elements.name.focus();
  }
  document.body.dataset.ready = 'true';
}

init();
