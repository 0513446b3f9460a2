// The planners' enquiry list under the projects panel (招商线索, issues 13 and 16): one compact
// row per enquiry (number, date received, name, company, area, site, status) that opens on the
// whole of it — phone (tel:), email (mailto:), industry, area, message, the site and its sheet —
// with the follow-up: status and reply, saved by PATCH /api/v1/enquiries/{id} under If-Match
// (the enquiry's etag; a stale one reloads the list and says so), and "make a project"
// (POST /api/v1/enquiries/{id}/project). The status may stay, move one step forward or be
// dropped (inventory.EnquiryStepOK); only those are offered.
import { h } from './dom.js';
import { t } from './state.js';
import { request } from './api.js';
import { problemText } from './problem.js';
import { sheetURL } from './enquiry.js';
import { fmt, zoneDay } from './format.js';

const NEXT = { new: ['new', 'contacted', 'dropped'], contacted: ['contacted', 'visiting', 'dropped'], visiting: ['visiting', 'signed', 'dropped'], signed: ['signed'], dropped: ['dropped'] };
const open = new Set(); // enquiries shown opened, kept across renders
let boxOpen = false; // the list itself opened

// received is the date an enquiry came in, in the zone's time (Asia/Shanghai), YYYY-MM-DD HH:MM.
const received = (iso) => {
  if (!iso) return '';
  const d = new Date(iso);
  const day = zoneDay(d);
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit' }).format(d);
  return `${day} ${time}`;
};

// enquiryList is the list; ctx gives the panel's state and actions (projects.js).
export function enquiryList(ctx) {
  const { P, conf, zh } = ctx;
  const made = new Map(P.list.filter((f) => conf(f).enquiry_id).map((f) => [conf(f).enquiry_id, f.id]));
  const list = P.enquiries.map((q) => row(ctx, q, made.get(q.id)));
  const box = h('details', { id: 'enquiries-box', open: boxOpen || undefined },
    h('summary', {}, `${t('pj_enquiries')} (${P.enquiries.length})`),
    list.length ? h('ul', {}, ...list) : h('p', {}, t('pj_no_enquiries')));
  box.addEventListener('toggle', () => { boxOpen = box.open; });
  return box;

  function row(ctx, q, proj) {
    const out = h('p', { class: 'pj-enq-msg', role: 'alert' });
    const field = (k, v) => (v === null || v === undefined || v === '' ? '' : [h('dt', {}, t(k)), h('dd', {}, v)]);
    const site = q.site_code ? h('a', { href: sheetURL(q.site_layer, q.site_code), target: '_blank', rel: 'noopener' }, q.site_code) : '';
    const status = q.status || 'new';
    const sel = h('select', { name: 'status' }, ...(NEXT[status] || [status]).map((s) => h('option', { value: s, selected: s === status }, t('pj_enq_status_' + s))));
    const reply = h('textarea', { name: 'reply', rows: 2, maxlength: 4000, lang: /[\u3400-\u9fff]/.test(q.reply || '') ? 'zh-CN' : undefined }, q.reply || '');
    const form = h('form', { class: 'pj-enq-form' },
      h('label', {}, t('pj_enq_status'), sel), h('label', {}, t('pj_enq_reply'), reply),
      h('button', { type: 'submit' }, t('pj_enq_save')));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      form.querySelector('button').disabled = true;
      const r = await request('PATCH', `/api/v1/enquiries/${q.id}`, { body: { status: sel.value, reply: reply.value }, ifMatch: q.etag });
      if (r.ok) {
        Object.assign(q, r.data);
        q.etag = r.etag || r.data.etag;
        out.className = 'pj-enq-msg ok';
        ctx.render();
        const again = document.querySelector(`#enquiries-box li[data-id="${q.id}"] .pj-enq-msg`);
        if (again) { again.className = 'pj-enq-msg ok'; again.textContent = t('pj_enq_saved'); }
        return;
      }
      if (r.status === 412) {
        await ctx.loadEnquiries();
        ctx.render();
        const again = document.querySelector(`#enquiries-box li[data-id="${q.id}"] .pj-enq-msg`);
        if (again) again.textContent = t('pj_enq_stale');
        return;
      }
      out.textContent = t('pj_refused') + problemText(await ctx.projectMeta(), 'enquiries', { ...(r.data || {}), status: r.status });
      form.querySelector('button').disabled = false;
    });
    const details = h('details', { class: 'pj-enq', open: open.has(q.id) || undefined },
      h('summary', {}, h('b', {}, `#${q.id}`), ' ', h('span', { class: 'pj-enq-date' }, received(q.created_at).slice(0, 10)), ' · ',
        zh(q.name), q.company ? [' · ', zh(q.company)] : '', q.area_mu ? ' · ' + t('pj_enquiry_area', { n: fmt(q.area_mu, 2) }) : '',
        q.site_code ? ' · ' + q.site_code : '', ' ', h('span', { class: 'pj-enq-status', 'data-status': status }, t('pj_enq_status_' + status))),
      h('dl', { class: 'pj-enq-fields' },
        field('pj_enq_received', received(q.created_at)), field('pj_enq_name', zh(q.name)), field('pj_enq_company', zh(q.company)),
        field('pj_enq_phone', q.phone ? h('a', { href: 'tel:' + q.phone.replace(/[^\d+]/g, '') }, q.phone) : ''),
        field('pj_enq_email', q.email ? h('a', { href: 'mailto:' + q.email }, q.email) : ''),
        field('pj_enq_industry', zh(q.industry)), field('pj_enq_area', q.area_mu ? t('pj_enquiry_area', { n: fmt(q.area_mu, 2) }) : ''),
        field('pj_enq_site', site), field('pj_enq_message', q.message ? h('span', { class: 'pj-enq-text' }, zh(q.message)) : '')),
      ctx.P.me.can_edit ? form : '');
    details.addEventListener('toggle', () => (details.open ? open.add(q.id) : open.delete(q.id)));
    return h('li', { 'data-id': q.id }, details,
      proj ? h('button', { type: 'button', class: 'pj-open', onclick: () => ctx.selectProject(proj) }, t('pj_made', { c: proj }))
        : h('button', { type: 'button', class: 'pj-make', onclick: async (e) => {
          const btn = e.currentTarget;
          btn.disabled = true;
          const r = await request('POST', `/api/v1/enquiries/${q.id}/project`);
          if (!r.ok) {
            out.textContent = t('pj_refused') + problemText(await ctx.projectMeta(), 'projects', { ...(r.data || {}), status: r.status });
            btn.disabled = false;
            return;
          }
          await ctx.loadList();
          await ctx.selectProject(r.data.id);
        } }, t('pj_make_project')),
      out);
  }
}
