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
  name: ['用户名', 'User name'],
  password: ['密码', 'Password'],
  submit: ['登录', 'Sign in'],
  hint: ['没有账号？请联系管理员。', 'No account? Ask your administrator.'],
  back: ['← 返回地图（不登录）', '← Back to the map (without signing in)'],
  continue: ['继续', 'Continue'],
  signout: ['退出登录', 'Sign out'],
  signed_in_as: ['已登录：{name}（{role}）', 'Signed in as {name} ({role})'],
  required: ['请填写用户名和密码。', 'Enter your user name and password.'],
  wrong: ['用户名或密码不正确。', 'The user name or the password is wrong.'],
  too_many: ['登录失败次数过多，请 {n} 分钟后再试。', 'Too many failed sign-ins; try again in {n} minutes.'],
  failed: ['登录失败（{status}），请稍后再试。', 'Sign-in failed ({status}); please try again later.'],
  viewer: ['访客', 'viewer'], leader: ['领导', 'leader'], planner: ['规划人员', 'planner'], admin: ['管理员', 'admin'],
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

async function init() {
  translate();
  $('#signin-form').addEventListener('submit', submit);
  me = await whoAmI();
  if (me.signed_in) {
    $('#signed-in-as').textContent = t('signed_in_as', { name: me.name, role: t(me.role) });
    $('#signed-in').hidden = false;
    $('#signout').addEventListener('click', async () => { await signOut(); location.reload(); });
  }
  $('#signin-form').elements.name.focus();
  document.body.dataset.ready = 'true';
}

init();
