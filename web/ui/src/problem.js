// Problems in the planner's language. The server's problem documents carry a rule code and its
// params (inventory/codes.go); /api/v1/meta lists every code with a Chinese and an English
// template. problemText writes a problem from them in the page's language: {field} is the
// field's label, every other {name} a param, enum values named (never a raw key), numbers in
// the locale's format. The English detail is never shown: it may name a database rule.
import { state } from './state.js';
import { fieldOf, enumName } from './meta.js';
import { districtName, landUseName } from './format.js';

const PLACE = {
  geometry: ['边界', 'Boundary'], note: ['修改说明', 'Change note'], 'If-Match': ['版本', 'Version'],
  body: ['提交的内容', 'What was sent'], properties: ['属性', 'Properties'], version: ['版本', 'Version'],
  code: ['编号', 'Code'], type: ['类型', 'Type'], confidential: ['保密属性', 'Confidential properties'],
};

const en = () => state.lang === 'en';

// fieldName is the label of a problem's field (a property of layer, or a place such as the
// boundary), in the page's language; labels, when given, names the fields of a form that is no
// layer (e.g. the enquiry form: its own labels).
export function fieldName(meta, layer, name, labels) {
  const bare = String(name || '').replace(/^confidential\./, '').replace(/ \(a key\)$/, '');
  if (labels && labels[bare]) return labels[bare];
  const f = fieldOf(meta, layer, bare);
  if (f) return en() ? f.label_en : f.label;
  const p = PLACE[bare];
  if (p) return p[en() ? 1 : 0];
  return en() ? 'This value' : '此项';
}

// paramText writes one param's value: an enum value of the field at fault by its name, a
// district by its name, a land-use code with its name, numbers in the locale's format, lists
// joined.
function paramText(meta, layer, field, key, v) {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map((x) => paramText(meta, layer, field, key, x)).join(en() ? ', ' : '、');
  if (typeof v === 'number') return v.toLocaleString(en() ? 'en-GB' : 'zh-CN', { maximumFractionDigits: 2 });
  if (typeof v === 'object') return '';
  const bare = String(field || '').replace(/^confidential\./, '');
  if (['from', 'to', 'value'].includes(key)) {
    const f = fieldOf(meta, layer, bare);
    if (f && f.type === 'enum') return enumName(meta, state.lang, layer, bare, v);
    if (bare === 'land_use') return `${v}${landUseName(v) ? ' ' + landUseName(v) : ''}`;
  }
  if (key === 'district') return districtName(v) || v;
  return String(v);
}

// problemText writes prob (a problem document) about layer in the page's language (labels:
// see fieldName).
export function problemText(meta, layer, prob, labels) {
  const codes = (meta && meta.codes) || {};
  const c = codes[prob.code] || codes[kindOf(prob.status)] || null;
  if (!c) return en() ? `The change was refused (${prob.status}).` : `修改未被接受（${prob.status}）。`;
  const tpl = en() ? c.en : c.zh;
  const params = prob.params || {};
  return tpl.replace(/\{(\w+)\}/g, (_, k) => (k === 'field' ? fieldName(meta, layer, prob.field, labels) : paramText(meta, layer, prob.field, k, params[k])));
}

// kindOf is the code of a problem without one, from its status.
function kindOf(status) {
  return { 400: 'invalid', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 412: 'stale_etag',
    413: 'too_large', 422: 'invalid', 428: 'precondition_required', 429: 'too_many_requests', 503: 'unavailable' }[status] || 'internal';
}

// conflictCodes are the other plots a problem names (an overlap's), for the map to highlight.
export function conflictCodes(prob) {
  const list = (prob && prob.params && prob.params.conflicts) || prob.conflicts || [];
  return list.map((c) => c.code).filter(Boolean);
}
