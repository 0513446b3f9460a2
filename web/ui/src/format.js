// Formatting in the page's language: numbers, and the names of features, districts and land
// uses.
import { state, t } from './state.js';

// fmt formats a number with at most digits decimals; '—' when there is none.
export function fmt(x, digits) {
  if (x == null || x === '') return '—';
  const n = Number(x);
  if (!Number.isFinite(n)) return String(x);
  return n.toLocaleString(state.lang === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

// zoneDay is the date of d in the zone's time (Asia/Shanghai), YYYY-MM-DD.
export const zoneDay = (d = new Date()) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);

// label is a feature's name in the page's language (the Chinese name when there is no English
// one), or its code.
export const label = (p) => (state.lang === 'en' && p.name_en ? p.name_en : p.name) || p.code;

// districts are the layout's district features.
export const districts = () => (state.layout ? state.layout.features.filter((f) => f.properties.kind === 'district') : []);

export function districtName(code) {
  const f = state.layout && state.layout.features.find((x) => x.id === code);
  return f ? label(f.properties) : code || null;
}

// INDUSTRIAL_CLASSES are the industrial land classes explained in words (i18n lu_note_*).
const INDUSTRIAL_CLASSES = ['100101', '100102', '100103'];

// landUseNote explains an industrial land class (一类/二类/三类工业用地: by the impact on the
// surroundings); industrial land in general (1001) names the three classes; '' otherwise.
export function landUseNote(code) {
  if (INDUSTRIAL_CLASSES.includes(code)) return t(`lu_note_${code}`);
  return code === '1001' ? t('lu_note_1001') : '';
}

// landUseName is a land-use code's name; in English without a Chinese gloss in brackets
// ("Reserved (留白)" is "Reserved").
export function landUseName(code) {
  const l = state.landUses.find((x) => x.code === code);
  if (!l) return '';
  return state.lang === 'en' ? l.name_en.replace(/\s*[(（][^)）]*[\u4e00-\u9fff][^)）]*[)）]/g, '') : l.name;
}
