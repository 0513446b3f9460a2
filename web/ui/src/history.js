// A feature's history (修改历史) in the planner's language: each version's kind of change
// ("created" for version 1), who and when, and every changed property by its label, with
// enum values, districts and land uses by name, numbers rounded and units; and restoring a
// version after a confirmation that shows what the restore will change.
import { h } from './dom.js';
import { state, t } from './state.js';
import { fieldOf, enumName } from './meta.js';
import { districtName, landUseName } from './format.js';

const tr = (z, e) => (state.lang === 'en' ? e : z);

// OPS names the kinds of change.
const OPS = { create: ['创建', 'created'], update: ['修改', 'changed'], archive: ['归档', 'archived'], restore: ['恢复', 'restored'] };
export const opName = (op) => (OPS[op] ? OPS[op][state.lang === 'en' ? 1 : 0] : op);

// digits is how many decimals a field's values show: areas in m² are whole, shares and ratios
// two places, money one.
function digits(name, unit) {
  if (/_m2$/.test(name) || unit === 'm²') return 0;
  if (/wan|yuan/.test(name)) return 1;
  return 2;
}

// valueText writes one value of layer's field name for people.
export function valueText(meta, layer, name, v) {
  if (v === null || v === undefined || v === '') return '—';
  const f = fieldOf(meta, layer, name);
  if (f && f.type === 'enum') return enumName(meta, state.lang, layer, name, v);
  if (name === 'district') return districtName(v) || v;
  if (name === 'land_use') return `${v}${landUseName(v) ? ' ' + landUseName(v) : ''}`;
  if (typeof v === 'boolean') return v ? t('yes') : t('no');
  if (typeof v === 'number') {
    const unit = f && f.unit ? ' ' + t.unit(f.unit) : '';
    return v.toLocaleString(state.lang === 'en' ? 'en-GB' : 'zh-CN', { maximumFractionDigits: digits(name, f && f.unit) }) + unit;
  }
  if (Array.isArray(v)) {
    return v.map((x) => (x && typeof x === 'object' ? x.name || JSON.stringify(x) : String(x))).join(state.lang === 'en' ? '; ' : '；') || '—';
  }
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

// fieldLabel is a field's label in the page's language.
export function fieldLabel(meta, layer, name) {
  const f = fieldOf(meta, layer, name);
  return f ? (state.lang === 'en' ? f.label_en : f.label) : name;
}

// changeRow is one changed property: "状态：规划 → 净地待供".
export const changeRow = (meta, layer, c) => h('li', { class: c.secret ? 'secret' : '' },
  `${fieldLabel(meta, layer, c.field)}: ${valueText(meta, layer, c.field, c.before)} → ${valueText(meta, layer, c.field, c.after)}`);

// versionItem is one version of the history list; restore (or null) adds its restore button.
export function versionItem(meta, layer, v, restore) {
  const when = new Date(v.valid_from).toLocaleString(state.lang === 'en' ? 'en-GB' : 'zh-CN', { dateStyle: 'medium', timeStyle: 'short' });
  const first = v.version === 1;
  // A restore's note is always the server's own English words ("restored version N", version.go):
  // the operation's name and "(from vN)" say it in the page's language.
  const note = v.op === 'restore' ? '' : v.note;
  return h('li', { 'data-version': v.version },
    h('div', {}, h('b', {}, `v${v.version} ${opName(v.op)}`), ` ${when}`, v.changed_by ? ` · ${v.changed_by}` : '', note ? ` · ${note}` : '',
      v.restored_from ? tr(`（自 v${v.restored_from}）`, ` (from v${v.restored_from})`) : '',
      v.geometry_changed && !first ? h('em', {}, tr(' · 边界变化', ' · boundary changed')) : ''),
    first ? '' : h('ul', {}, ...v.changes.map((c) => changeRow(meta, layer, c))),
    restore || '');
}

// restoreDiff lists what restoring `to` (a feature as it was) over `cur` (the live feature)
// changes: each differing property, and the boundary.
export function restoreDiff(meta, layer, cur, to) {
  const rows = [];
  const flat = (p) => ({ ...p, ...(p.confidential || {}) });
  const a = flat(cur.properties);
  const b = flat(to.properties);
  const skip = new Set(['version', 'valid_from', 'valid_to', 'changed_by', 'confidential', 'op', 'archived']);
  for (const f of (fieldOf(meta, layer, 'code') ? meta.layers.find((l) => l.name === layer).fields : [])) {
    if (skip.has(f.name) || f.computed) continue;
    if (JSON.stringify(a[f.name] ?? null) !== JSON.stringify(b[f.name] ?? null)) {
      rows.push(changeRow(meta, layer, { field: f.name, before: a[f.name], after: b[f.name] }));
    }
  }
  if (JSON.stringify(cur.geometry) !== JSON.stringify(to.geometry)) rows.push(h('li', {}, tr('边界将恢复为该版本的边界', 'The boundary goes back to that version’s')));
  return rows;
}
