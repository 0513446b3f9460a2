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
  context: ['周边环境（示意位置）', 'Surroundings (illustrative positions)'],
  city_pointer: ['{name} 约 {km} 公里', '{name} ≈ {km} km'],
  axis: ['发展轴', 'Axis'],
  plots: ['地块(按状态)', 'Plots (by status)'],
  standard_land_mark: ['标准地(蓝色边框)', 'Standard land (blue outline)'],
  plants: ['标准化厂房', 'Standard plants'],
  idle_sites: ['闲置及僵尸企业用地(按处置阶段)', 'Sites for redevelopment (by stage)'],
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
  f_near_road: ['距道路不超过(米)', 'Within this many metres of a road'],
  f_near_road_hint: ['只勾选“仅计已建道路”时：距已建道路 {n} 米以内', 'With only “built roads only” ticked: within {n} m of a built road'],
  // Industrial land classes (一类/二类/三类工业用地, 国土空间用地用海分类 1001): by their impact
  // on the surroundings.
  lu_note_100101: ['一类工业用地：对居住和公共环境基本无干扰、污染和安全隐患', 'Industrial, class 1: little or no nuisance, pollution or safety risk to homes and public spaces nearby'],
  lu_note_100102: ['二类工业用地：对居住和公共环境有一定干扰、污染和安全隐患', 'Industrial, class 2: some nuisance, pollution or safety risk to homes and public spaces nearby'],
  lu_note_100103: ['三类工业用地：对居住和公共环境有严重干扰、污染和安全隐患', 'Industrial, class 3: serious nuisance, pollution or safety risk to homes and public spaces nearby'],
  lu_note_1001: ['工业用地按对周边环境的影响分为一类、二类、三类', 'Industrial land comes in classes 1, 2 and 3, by its impact on the surroundings'],
  f_q: ['搜索编号、名称、道路或地名', 'Search a code, name, road or place'],
  f_sort: ['排序', 'Sort'],
  confidential: ['保密信息(仅领导和规划人员可见)', 'Confidential (leaders and planners only)'],
  f_plant_status: ['厂房状态', 'Building status'],
  f_existing_road: ['仅计已建道路(含提升改造)', 'Built roads only (incl. roads being upgraded)'],
  f_min_free_area: ['空置面积不少于(m²)', 'Free floor area at least (m²)'],
  f_min_floor_load: ['楼面荷载不低于(kN/m²)', 'Floor load at least (kN/m²)'],
  f_min_floor_height: ['层高不低于(米)', 'Floor height at least (m)'],
  f_max_floors: ['层数不超过', 'Floors at most'],
  any: ['不限', 'Any'],
  reset: ['恢复默认条件', 'Reset filters'],
  all_land: ['显示全部地块', 'Show all plots'],
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
  idle_site: ['闲置用地', 'Site for redevelopment'],
  on_plot: ['所在地块', 'On plot'],
  error: ['出错了:', 'Error:'],
  illustrative_note: ['本图数据为示意数据,非官方。', 'The data shown is illustrative, not official.'],
  // The phone's panel switch says what pressing it does: hide the search panel (the map alone;
  // the layers stay on the map) or bring it back.
  panel_toggle: ['只看地图', 'Map only'],
  panel_show: ['显示查找', 'Show search'],
  basemap: ['底图', 'Basemap'],
  standard_land_short: ['标准地', 'standard land'],
  search_result: ['查找结果(橙色边框)', 'Search results (orange outline)'],
  search_other: ['其他(淡显)', 'Everything else (faded)'],
  zone_info: ['{province}{city} · 规划面积 {km2} 平方公里', '{city}, {province} · planned area {km2} km²'],
  units_note: ['', 'Land is measured in mu ({mu}): 1 mu = 666.7 m², 15 mu = 1 hectare. Money is in yuan; Chinese figures count in 10,000s ({wan}, wan).'],
  default_view: ['默认只显示可供应的净地；勾选“规划中”可查看尚未供应的土地', 'Showing land available now; tick “Planned” to see land not yet on offer'],
  availability: ['可供性', 'Availability'],
  measure_distance: ['测距离', 'Measure distance'],
  measure_area: ['测面积', 'Measure area'],
  measure_clear: ['清除测量', 'Clear measurement'],
  measure_hint: ['在地图上点击添加点，双击结束', 'Click on the map to add points; double-click to finish'],
  north: ['北', 'N'],
  north_title: ['指北针:上方为正北', 'North arrow: up is north'],
  shifted_gcj: ['图层已偏移到 GCJ-02 以对齐底图', 'layers shifted to GCJ-02 to match the basemap'],
  // Investment projects (招商项目, projects.js): for signed-in planners and leaders only.
  pj_title: ['招商项目', 'Investment projects'],
  pj_count: ['共 {n} 个', '{n} in all'],
  pj_stage_lead: ['线索', 'Lead'],
  pj_stage_negotiating: ['洽谈', 'Negotiating'],
  pj_stage_signed: ['签约', 'Signed'],
  pj_stage_supplied: ['供地/租赁', 'Land supplied or plant leased'],
  pj_stage_started: ['开工', 'Construction started'],
  pj_stage_in_production: ['投产', 'In production'],
  pj_stage_dropped: ['终止', 'Dropped'],
  pj_next: ['下一步', 'Next'],
  pj_due: ['时限 {d}', 'due {d}'],
  pj_overdue: ['已逾期', 'overdue'],
  pj_no_next: ['未定下一步工作', 'no next action set'],
  pj_investor: ['投资方', 'Investor'],
  pj_cluster: ['产业集群', 'Cluster'],
  pj_investment: ['总投资', 'Total investment'],
  pj_need_land: ['用地需求', 'Land needed'],
  pj_need_plant: ['厂房需求', 'Plant space needed'],
  pj_leader: ['包联领导', 'Leader'],
  pj_officer: ['项目专员', 'Officer'],
  pj_site: ['落地地块/厂房', 'Plot or plant'],
  pj_loading: ['读取中…', 'Loading…'],
  pj_close: ['收起', 'Close'],
  pj_advance: ['推进阶段', 'Advance the stage'],
  pj_to_stage: ['推进到', 'Move to'],
  pj_date: ['日期', 'Date'],
  pj_plot_code: ['地块编号(签约时预留)', 'Plot code (reserved at signing)'],
  pj_plant_code: ['厂房编号(租赁)', 'Plant code (leased)'],
  pj_drop_reason: ['终止原因', 'Reason for dropping'],
  pj_note: ['说明', 'Note'],
  pj_save_stage: ['确认推进', 'Move the project'],
  pj_stage_done: ['已推进到“{s}”(版本 {v})', 'Moved to “{s}” (version {v})'],
  pj_final: ['项目已投产或终止，不再推进。', 'The project is in production or dropped: it moves no further.'],
  pj_matches_plots: ['匹配地块', 'Matching plots'],
  pj_matches_plants: ['匹配厂房', 'Matching plants'],
  pj_no_need: ['项目未填写用地或厂房需求，无法匹配。', 'The project states no land or plant need to match.'],
  pj_no_matches: ['没有可匹配的地块或厂房。', 'No plot or plant can take it.'],
  pj_score: ['得分 {s}', 'score {s}'],
  pj_all_pass: ['全部条件满足', 'every condition met'],
  pj_some_fail: ['{n} 项条件不满足', '{n} condition(s) not met'],
  pj_condition: ['条件', 'Condition'],
  pj_pass: ['结果', 'Result'],
  pj_value: ['实际', 'Value'],
  pj_required: ['要求', 'Required'],
  pj_yes: ['满足', 'met'],
  pj_no: ['不满足', 'not met'],
  pj_show_on_map: ['在地图上查看', 'Show on the map'],
  pj_sheet: ['推介单', 'Site sheet'],
  pj_choose_plot: ['预留此地块', 'Reserve this plot'],
  pj_choose_plant: ['租用此厂房', 'Lease this plant'],
  pj_c_area_mu: ['面积(亩)', 'Area (mu)'],
  pj_c_land_use: ['用地性质', 'Land use'],
  pj_c_cluster: ['产业集群', 'Cluster'],
  pj_c_min_investment_wan_per_mu: ['投资强度(万元/亩)', 'Investment per mu (10,000 yuan)'],
  pj_c_min_tax_wan_per_mu_year: ['亩均税收(万元/亩·年)', 'Tax per mu a year (10,000 yuan)'],
  pj_c_min_output_wan_per_mu: ['亩均产值(万元/亩)', 'Output per mu (10,000 yuan)'],
  pj_c_road_distance_m: ['距已建道路(米)', 'Distance to a built road (m)'],
  pj_c_free_area_m2: ['空置面积(m²)', 'Free floor area (m²)'],
  pj_c_floor_load_kn_m2: ['楼面荷载(kN/m²)', 'Floor load (kN/m²)'],
  pj_c_floor_height_m: ['层高(米)', 'Clear height (m)'],
  pj_c_crane_capacity_t: ['行车吨位(吨)', 'Crane (t)'],
  pj_range: ['{min}–{max}', '{min}–{max}'],
  pj_at_least: ['不低于 {v}', 'at least {v}'],
  pj_at_most: ['不超过 {v}', 'at most {v}'],
  pj_any: ['不限', 'any'],
  pj_legend: ['项目匹配', 'Project matches'],
  pj_legend_pass: ['匹配:全部条件满足(绿色)', 'Match: every condition met (green)'],
  pj_legend_fail: ['匹配:部分条件不满足(紫色虚线)', 'Match: some conditions not met (purple, dashed)'],
  pj_enquiries: ['招商线索', 'Enquiries'],
  pj_no_enquiries: ['暂无线索。', 'No enquiries.'],
  pj_make_project: ['转为项目', 'Make a project'],
  pj_made: ['已转为项目 {c}', 'Became project {c}'],
  pj_enquiry_area: ['{n} 亩', '{n} mu'],
  pj_refused: ['未能完成：', 'Not done: '],
  pj_mu: ['亩', 'mu'],
  pj_col_plot: ['地块', 'Plot'],
  pj_col_plant: ['厂房', 'Plant'],
  pj_col_project: ['项目要求/承诺', 'Project: asks or commits'],
  pj_no_minimum: ['无要求', 'no minimum'],
  pj_no_cluster: ['未限定集群', 'open to any cluster'],
  pj_not_set: ['未填', 'not recorded'],
  pj_not_committed: ['项目未填报', 'not committed by the project'],
  pj_committed: ['(承诺)', '(committed)'],
  pj_derived: ['(按总投资÷面积)', '(from total investment ÷ area)'],
  pj_derived_title: ['项目未承诺亩均投资,按总投资÷该地块面积估算', 'The project committed no investment per mu: its total investment ÷ this plot\'s area'],
  pj_derived_note: ['投资强度:项目未填报亩均投资时,按项目总投资÷各地块面积计算(总投资可能含流动资金,高于固定资产投资强度)。', 'Investment per mu: where the project committed none, its total investment ÷ each plot\'s area (total investment may include working capital, so it can exceed fixed-asset investment intensity).'],
  pj_none_pass: ['没有地块满足全部条件。', 'No site meets every condition.'],
  pj_reserved: ['已为项目 {p} 预留地块 {s}(版本 {v})', 'Plot {s} reserved for project {p} (version {v})'],
  pj_leased: ['已为项目 {p} 租用厂房 {s}(版本 {v})', 'Plant {s} leased for project {p} (version {v})'],
  pj_stage_same: ['已记录,阶段仍为“{s}”(版本 {v})', 'Recorded; the stage stays “{s}” (version {v})'],
  pj_confirm_title: ['地块 {s} 不满足以下条件:', 'Plot {s} does not meet these conditions:'],
  pj_confirm_title_plant: ['厂房 {s} 不满足以下条件:', 'Plant {s} does not meet these conditions:'],
  pj_confirm_ask: ['仍要为本项目预留吗?', 'Reserve it for this project anyway?'],
  pj_confirm_yes: ['仍然预留', 'Reserve anyway'],
  pj_confirm_yes_plant: ['仍然租用', 'Lease anyway'],
  pj_confirm_no: ['取消', 'Cancel'],
  pj_enq_status: ['跟进状态', 'Follow-up status'],
  pj_enq_status_new: ['新线索', 'New'],
  pj_enq_status_contacted: ['已联系', 'Contacted'],
  pj_enq_status_visiting: ['考察中', 'Site visit'],
  pj_enq_status_signed: ['已签约', 'Signed'],
  pj_enq_status_dropped: ['已放弃', 'Dropped'],
  pj_enq_reply: ['回复/跟进记录', 'Reply / follow-up notes'],
  pj_enq_save: ['保存跟进', 'Save the follow-up'],
  pj_enq_saved: ['已保存。', 'Saved.'],
  pj_enq_stale: ['他人已更新此线索,已重新读取,请再保存一次。', 'Someone else updated this enquiry: reloaded, please save again.'],
  pj_enq_received: ['收到时间', 'Received'],
  pj_enq_name: ['联系人', 'Name'],
  pj_enq_company: ['单位', 'Company'],
  pj_enq_phone: ['电话', 'Phone'],
  pj_enq_email: ['邮箱', 'Email'],
  pj_enq_industry: ['行业', 'Industry'],
  pj_enq_area: ['需求面积', 'Area wanted'],
  pj_enq_site: ['咨询地块/厂房', 'Site'],
  pj_enq_message: ['留言', 'Message'],
};

// Unit names as the API's meta gives them (Chinese), with their English form written out.
export const units = {
  '亩': ['亩', 'mu'], '公顷': ['公顷', 'ha'], 'm²': ['m²', 'm²'], 'm': ['米', 'm'], '%': ['%', '%'],
  '万元/亩': ['万元/亩', 'yuan per mu'], '万元/亩·年': ['万元/亩·年', 'yuan per mu per year'], '万元': ['万元', 'yuan'],
  '万元/年': ['万元/年', 'yuan per year'], '吨标煤/万元': ['吨标煤/万元', 'tonnes of standard coal per 10,000 yuan'], 'kN/m²': ['kN/m²', 'kN/m²'],
  '层': ['层', 'floors'], '1层': ['层', 'floor'], 't': ['吨', 't'], '元/m²·月': ['元/m²·月', 'yuan per m² per month'], '人': ['人', 'people'],
  '年': ['年', 'years'], '元/m²': ['元/m²', 'yuan per m²'],
};

// WAN_UNITS are the units counted in 万元 (10,000 yuan): in English their values are written
// out in yuan ("250 万元/亩" is "2.5 million yuan per mu").
export const WAN_UNITS = new Set(['万元/亩', '万元/亩·年', '万元', '万元/年']);

// yuanWords writes an amount of yuan in English words and digits: 2.5 million, 800,000.
export function yuanWords(yuan) {
  const n = (x, d) => x.toLocaleString('en-US', { maximumFractionDigits: d });
  if (Math.abs(yuan) >= 1e9) return n(yuan / 1e9, 2) + ' billion';
  if (Math.abs(yuan) >= 1e6) return n(yuan / 1e6, 2) + ' million';
  return n(yuan, 0);
}

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
  // t.amount writes a number with its unit: in English, amounts in 万元 are written out in yuan.
  t.amount = (x, u, fmt, digits = 2) => {
    if (x == null || x === '') return '—';
    if (i() === 1 && WAN_UNITS.has(u) && Number.isFinite(Number(x))) return `${yuanWords(Number(x) * 1e4)} ${units[u][1]}`;
    return fmt(x, digits) + (u ? ' ' + t.unit(u) : '');
  };
  return t;
}
