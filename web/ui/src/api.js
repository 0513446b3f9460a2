// The API client shared by the map, edit, report and sign-in pages: who is signed in (the
// session cookie, sent by the browser itself; the page never holds a token), writes that carry
// the session's CSRF token, RFC 9457 problem documents as errors, and paging through a list's
// next links.

let csrf = '';

// pageZone is the zone the page shows: zone=CODE in the page's own URL (the default zone when
// absent). Every request for the zone's data, and every tile URL, carries it (withZone).
export const pageZone = new URLSearchParams(location.search).get('zone') || '';

// zoneless are the paths that take no zone: about the API, every zone, the viewer.
const zoneless = /^\/(api\/v1\/(meta|me|session|zones|land-uses|reports)?|map-config\.json)$/;

// withZone returns url (a path, with or without a query) with the page's zone added, unless
// the page names none, the path takes none, or url names a zone already.
export function withZone(url) {
  if (!pageZone) return url;
  const u = new URL(url, location.href);
  if (zoneless.test(u.pathname) || u.searchParams.has('zone') || !/^\/(api\/v1|tiles|sites)\//.test(u.pathname)) return url;
  u.searchParams.set('zone', pageZone);
  return u.pathname + u.search;
}

// whoAmI asks GET /api/v1/me who is signed in (by the session cookie) and keeps the session's
// CSRF token for writes. It returns the answer ({signed_in, name, role, can_edit, ...}).
export async function whoAmI() {
  const r = await fetch('/api/v1/me', { headers: { Accept: 'application/json' }, cache: 'no-store' });
  const me = await r.json().catch(() => ({}));
  csrf = (r.ok && me.csrf_token) || '';
  return r.ok ? me : { signed_in: false };
}

// signInHref is the sign-in page's address, coming back to this page afterwards.
export const signInHref = (lang) => `/signin?${new URLSearchParams({ ...(lang === 'en' ? { lang: 'en' } : {}), next: location.pathname + location.search })}`;

// signOut ends the session (DELETE /api/v1/session).
export async function signOut() {
  await fetch('/api/v1/session', { method: 'DELETE', headers: authHeaders() });
  csrf = '';
}

// authHeaders are the headers of a JSON request: with the session's CSRF token, which every
// write signed in by the cookie must carry (X-CSRF-Token).
export function authHeaders() {
  const headers = { Accept: 'application/json' };
  if (csrf) headers['X-CSRF-Token'] = csrf;
  return headers;
}

// ProblemError is a failed request; problem is the server's problem document (or null).
export class ProblemError extends Error {
  constructor(status, statusText, problem) {
    super(problem && (problem.detail || problem.title) ? problem.detail || problem.title : statusText || String(status));
    this.status = status;
    this.problem = problem;
  }
}

// getJSON GETs url and returns its JSON body; a non-2xx answer throws a ProblemError.
export async function getJSON(url) {
  const r = await fetch(withZone(url), { headers: authHeaders() });
  const body = await r.json().catch(() => null);
  if (!r.ok) throw new ProblemError(r.status, r.statusText, body);
  return body;
}

// fetchAll follows a list's next links and returns one FeatureCollection.
export async function fetchAll(url) {
  const fc = await getJSON(url);
  let next = fc.next;
  while (next) {
    const page = await getJSON(next);
    fc.features.push(...page.features);
    next = page.next;
  }
  fc.number_returned = fc.features.length;
  delete fc.next;
  return fc;
}

// request sends a write (or any) request and never throws on an HTTP error: it returns the
// status, the ETag and the JSON body (a feature, or a problem document), for forms that show
// problems beside the field at fault. A body is sent as GeoJSON unless raw (a File).
export async function request(method, url, { body, ifMatch, raw } = {}) {
  const headers = authHeaders();
  if (ifMatch) headers['If-Match'] = ifMatch;
  if (body !== undefined && !raw) headers['Content-Type'] = 'application/geo+json';
  const r = await fetch(withZone(url), { method, headers, body: raw ? body : body === undefined ? undefined : JSON.stringify(body) });
  const data = await r.json().catch(() => null);
  // unchanged: the write changed nothing and wrote no version (X-Landinv-Unchanged: true).
  return { ok: r.ok, status: r.status, etag: r.headers.get('ETag'), data, unchanged: r.headers.get('X-Landinv-Unchanged') === 'true' };
}
