// The site sheet's script: copy the link, share, print, and send the enquiry form to
// POST /api/v1/enquiries. The sheet reads and prints without it.
(function () {
  const $ = (s) => document.querySelector(s);
  const copy = $('#copy-link');
  if (copy) {
    copy.addEventListener('click', async () => {
      const url = copy.dataset.url;
      try {
        await navigator.clipboard.writeText(url);
      } catch (e) {
        const ta = document.createElement('textarea');
        ta.value = url; document.body.append(ta); ta.select();
        try { document.execCommand('copy'); } catch (_) { /* shown below anyway */ }
        ta.remove();
      }
      $('#copy-status').textContent = copy.dataset.done + ': ' + url;
    });
  }
  const share = $('#share');
  if (share && navigator.share) {
    share.hidden = false;
    share.addEventListener('click', () => navigator.share({ title: share.dataset.title, url: copy.dataset.url }).catch(() => {}));
  }
  const print = $('#print');
  if (print) print.addEventListener('click', () => window.print());

  const form = $('#enquiry-form');
  if (!form) return;
  const out = $('#enquiry-result');
  // problem writes a refusal in the page's language from its code's template (data-problems,
  // the server's table of codes), {field} being the field's label on the form: never the
  // server's English detail.
  const problems = JSON.parse(form.dataset.problems || '{}');
  const problem = (j, status) => {
    const tpl = problems[j.code] || problems[{ 429: 'too_many_requests', 413: 'too_large', 503: 'unavailable' }[status]] || problems.invalid || String(status);
    const input = j.field && form.elements[j.field];
    const label = input && input.closest('label') ? input.closest('label').firstChild.textContent.replace(/\s*\*\s*$/, '').trim() : '';
    return tpl.replace('{field}', label || (document.documentElement.lang === 'en' ? 'A value' : '某项'));
  };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    const body = { site_layer: form.dataset.layer, site_code: form.dataset.code };
    for (const k of ['name', 'company', 'phone', 'email', 'industry', 'message', 'website']) body[k] = String(f.get(k) || '').trim();
    const area = String(f.get('area_mu') || '').trim();
    if (area) body.area_mu = Number(area);
    out.className = 'result';
    if (!body.phone && !body.email) { out.className = 'result err'; out.textContent = form.dataset.need; return; }
    try {
      const r = await fetch('/api/v1/enquiries', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      const j = await r.json();
      if (r.status === 201) {
        out.textContent = form.dataset.sent + j.id;
        // Sent: readable as sent, nothing to change or send again (a second tap would file
        // the same enquiry twice).
        for (const el of form.elements) el.disabled = true;
      } else {
        out.className = 'result err';
        out.textContent = form.dataset.failed + problem(j, r.status);
        if (j.field && form.elements[j.field]) form.elements[j.field].focus();
      }
    } catch (e) {
      out.className = 'result err';
      out.textContent = form.dataset.failed + e.message;
    }
    document.body.dataset.enquiry = out.className === 'result' ? 'sent' : 'failed';
  });
})();
