// The page's own dictionary: every piece of UI text and unit, in zh-CN (default) and English.
// Field labels and the names of enumerated values come from /api/v1/meta (label / label_en,
// enum_labels): t.field and t.enum read them; this file holds the rest.
import { enumName, fieldOf } from './meta.js';

export const dict = {
  title: ['临汾经济开发区 土地一张图', 'Linfen Economic Development Zone · Land map'],
  subtitle: ['示例数据', 'illustrative data'],
  reports_link: ['土地利用报告', 'Land-use reports'],
  lang_switch: ['English', '中文'],
  layers: ['图层', 'Layers'],
  search: ['查找', 'Search'],
  tab_plots: ['找地', 'Find land'],
  tab_plants: ['找厂房', 'Find plants'],
  boundary: ['开发区边界', 'Zone boundary'],
  layout: ['“233”空间布局', '"233" layout'],
  district: ['片区', 'District'],
  corridor: ['廊道', 'Corridor'],
  axis: ['发展轴', 'Axis'],
  plots: ['地块(按状态)', 'Plots (by status)'],
  standard_land_mark: ['标准地(蓝色边框)', 'Standard land (blue outline)'],
  plants: ['标准化厂房', 'Standard plants'],
  idle_sites: ['闲置及僵尸企业用地(按处置阶段)', 'Idle and zombie sites (by stage)'],
  roads: ['道路(按状态)', 'Roads (by status)'],
  road_dashed: ['规划、前期手续道路为虚线', 'planned and preliminary roads dashed'],
  f_status: ['状态', 'Status'],
  f_district: ['片区', 'District'],
  f_cluster: ['产业集群', 'Industry cluster'],
  f_land_use: ['用地性质', 'Land use'],
  f_area: ['面积(亩)', 'Area (mu)'],
  f_min: ['最小', 'min'],
  f_max: ['最大', 'max'],
  f_standard_land: ['只看标准地', 'Standard land only'],
  f_near_road: ['距道路不超过(米)', 'Within (m) of a road'],
  confidential: ['保密信息(仅领导和规划人员可见)', 'Confidential (leaders and planners only)'],
  f_plant_status: ['厂房状态', 'Building status'],
  f_existing_road: ['仅计已建道路(含提升改造)', 'built roads only (incl. being upgraded)'],
  f_min_free_area: ['空置面积不少于(m²)', 'Free floor area at least (m²)'],
  f_min_floor_load: ['楼面荷载不低于(kN/m²)', 'Floor load at least (kN/m²)'],
  f_min_floor_height: ['层高不低于(米)', 'Floor height at least (m)'],
  f_max_floors: ['层数不超过', 'Floors at most'],
  any: ['不限', 'any'],
  reset: ['清除条件', 'Clear filters'],
  fit: ['缩放到结果', 'Zoom to results'],
  results_plots: ['共 {n} 块地', '{n} plots'],
  results_plants: ['共 {n} 栋厂房', '{n} plants'],
  showing_first: ['(列表显示前 {n} 项)', '(list shows the first {n})'],
  loading: ['加载中…', 'Loading…'],
  no_results: ['没有符合条件的结果。', 'Nothing matches these filters.'],
  details: ['详情', 'Details'],
  close: ['关闭', 'Close'],
  code: ['编号', 'Code'],
  name: ['名称', 'Name'],
  area: ['面积', 'Area'],
  indicators: ['标准地控制指标', 'Standard-land control indicators'],
  nearest_road: ['最近道路', 'Nearest road'],
  nearest_existing_road: ['最近现状道路', 'Nearest existing road'],
  distance: ['距离', 'distance'],
  none: ['无', 'none'],
  yes: ['是', 'yes'],
  no: ['否', 'no'],
  plot: ['地块', 'Plot'],
  plant: ['厂房', 'Plant'],
  idle_site: ['闲置用地', 'Idle site'],
  on_plot: ['所在地块', 'On plot'],
  error: ['出错了:', 'Error:'],
  illustrative_note: ['本图数据为示意数据,非官方。', 'The data shown is illustrative, not official.'],
  panel_toggle: ['查找 / 图层', 'Search / layers'],
  basemap: ['底图', 'Basemap'],
  shifted_gcj: ['图层已偏移到 GCJ-02 以对齐底图', 'layers shifted to GCJ-02 to match the basemap'],
};

// Unit names as the API's meta gives them (Chinese), with their English form.
export const units = {
  '亩': ['亩', 'mu'], '公顷': ['公顷', 'ha'], 'm²': ['m²', 'm²'], 'm': ['米', 'm'], '%': ['%', '%'],
  '万元/亩': ['万元/亩', '10k yuan/mu'], '万元/亩·年': ['万元/亩·年', '10k yuan/mu/year'], '万元': ['万元', '10k yuan'],
  '万元/年': ['万元/年', '10k yuan/year'], '吨标煤/万元': ['吨标煤/万元', 'tce/10k yuan'], 'kN/m²': ['kN/m²', 'kN/m²'],
  '层': ['层', 'floors'], '1层': ['层', 'floor'], 't': ['吨', 't'], '元/m²·月': ['元/m²·月', 'yuan/m²/month'], '人': ['人', 'people'],
  '年': ['年', 'years'], '元/m²': ['元/m²', 'yuan/m²'],
};

// makeT returns the page's translator: t(key, vars) for UI text, t.enum(layer, field, value) for
// the name of an enumerated value, t.field(layer, name) for a field's [label, unit], t.unit(u)
// for a unit. getLang returns 'zh' or 'en'; getMeta returns /api/v1/meta once it is loaded.
export function makeT(getLang, getMeta = () => null) {
  const i = () => (getLang() === 'en' ? 1 : 0);
  const t = (key, vars) => {
    const e = dict[key];
    let s = e ? e[i()] : key;
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.replace('{' + k + '}', v);
    return s;
  };
  t.enum = (layer, field, value) => enumName(getMeta(), getLang(), layer, field, value);
  t.field = (layer, name) => {
    const f = fieldOf(getMeta(), layer, name);
    return f ? [getLang() === 'en' ? f.label_en : f.label, f.unit || ''] : [name, ''];
  };
  t.unit = (u) => (units[u] ? units[u][i()] : u || '');
  return t;
}
