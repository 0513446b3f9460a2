// The API client shared by the map, edit and report pages: the signed-in planner's token (kept
// in sessionStorage, gone when the tab closes), requests that carry it, RFC 9457 problem
// documents as errors, and paging through a list's next links.

const KEY = 'landinv.token';

// token is the planner's API token for this tab ('' when nobody is signed in).
export const token = {
  get: () => sessionStorage.getItem(KEY) || '',
  set: (v) => (v ? sessionStorage.setItem(KEY, v) : sessionStorage.removeItem(KEY)),
};

// authHeaders are the headers of a JSON request, with the token when there is one.
export function authHeaders() {
  const headers = { Accept: 'application/json' };
  const t = token.get();
  if (t) headers.Authorization = `Bearer ${t}`;
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
  const r = await fetch(url, { headers: authHeaders() });
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
  const r = await fetch(url, { method, headers, body: raw ? body : body === undefined ? undefined : JSON.stringify(body) });
  const data = await r.json().catch(() => null);
  return { ok: r.ok, status: r.status, etag: r.headers.get('ETag'), data };
}
