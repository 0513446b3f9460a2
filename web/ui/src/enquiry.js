// The details panel's site-sheet link and enquiry form (招商线索), for plots and buildings: the
// same POST /api/v1/enquiries as the site sheet's form, with its hidden honeypot field.
import { state } from './state.js';
import { withZone } from './api.js';
import { problemText } from './problem.js';

const TEXT = {
  sheet: ['查看/打印招商推介单', 'Open or print the site sheet'],
  enquire: ['留言咨询此地块/厂房', 'Enquire about this site'],
  name: ['姓名 *', 'Name *'], company: ['公司', 'Company'], phone: ['电话', 'Phone'], email: ['邮箱', 'Email'],
  industry: ['拟投产业', 'Intended industry'], area_mu: ['需求面积（亩）', 'Area needed (mu)'], message: ['留言', 'Message'],
  send: ['提交', 'Send'], need: ['电话或邮箱至少填一项。', 'Give a phone number or an email address.'],
  need_name: ['请填写姓名。', 'Give your name.'],
  sent: ['已收到您的咨询，编号 ', 'Thank you. Your enquiry number is '], failed: ['提交失败：', 'Could not send: '],
};
const tx = (k) => TEXT[k][state.lang === 'en' ? 1 : 0];
// The form's fields by their labels, for the server's problems (never its English detail).
const labels = () => Object.fromEntries(['name', 'company', 'phone', 'email', 'industry', 'area_mu', 'message']
  .map((k) => [k, tx(k).replace(/ \*$/, '')]));

// sheetURL is the site sheet of a plot or building, in the page's language.
export const sheetURL = (kind, code) => withZone(`/sites/${kind}/${encodeURIComponent(code)}${state.lang === 'en' ? '?lang=en' : ''}`);

// enquiryBlock returns the panel's link to the site sheet and a folded enquiry form.
export function enquiryBlock(kind, code) {
  const box = document.createElement('div');
  box.className = 'site-actions';
  const a = document.createElement('a');
  a.id = 'sheet-link'; a.href = sheetURL(kind, code); a.target = '_blank'; a.rel = 'noopener';
  a.textContent = tx('sheet');
  const det = document.createElement('details');
  det.id = 'details-enquiry';
  const sum = document.createElement('summary'); sum.textContent = tx('enquire');
  const form = document.createElement('form');
  form.noValidate = true;
  const field = (name, type = 'text') => {
    const l = document.createElement('label');
    l.textContent = tx(name);
    const i = document.createElement(name === 'message' ? 'textarea' : 'input');
    i.name = name;
    if (name !== 'message') i.type = type;
    if (type === 'number') { i.min = '0.01'; i.step = 'any'; }
    l.append(i);
    return l;
  };
  const hp = document.createElement('input');
  hp.name = 'website'; hp.tabIndex = -1; hp.autocomplete = 'off';
  hp.style.cssText = 'position:absolute;left:-10000px;width:1px;height:1px';
  hp.setAttribute('aria-hidden', 'true');
  const btn = document.createElement('button'); btn.type = 'submit'; btn.textContent = tx('send');
  const out = document.createElement('p'); out.className = 'enquiry-result'; out.setAttribute('role', 'status');
  form.append(field('name'), field('company'), field('phone', 'tel'), field('email', 'email'), field('industry'),
    field('area_mu', 'number'), field('message'), hp, btn, out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    const body = { site_layer: kind, site_code: code };
    for (const k of ['name', 'company', 'phone', 'email', 'industry', 'message', 'website']) body[k] = String(f.get(k) || '').trim();
    const area = String(f.get('area_mu') || '').trim();
    if (area) body.area_mu = Number(area);
    // The server requires a name (a 422 in English otherwise): say so in the page's language.
    const say = (text, err) => { out.textContent = text; out.classList.toggle('err', err); };
    if (!body.name) { say(tx('need_name'), true); return; }
    if (!body.phone && !body.email) { say(tx('need'), true); return; }
    try {
      const r = await fetch(withZone('/api/v1/enquiries'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      const j = await r.json().catch(() => ({}));
      if (r.status === 201) say(tx('sent') + j.id, false);
      else say(tx('failed') + problemText(state.meta, 'enquiries', { ...j, status: r.status }, labels()), true);
      // Sent: the form stays readable as sent, but nothing in it can be changed or sent again
      // (a second tap would file the same enquiry twice).
      if (r.status === 201) for (const el of form.elements) el.disabled = true;
    } catch (e) {
      say(tx('failed') + e.message, true);
    }
  });
  det.append(sum, form);
  box.append(a, det);
  return box;
}
