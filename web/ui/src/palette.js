// The map's colours by enumerated value. Which values exist, and their names, come from
// /api/v1/meta; a value without a colour here is drawn in the fallback grey.

export const STATUS_COLORS = {
  planned: '#c9c9c9', ready: '#2e9e4f', reserved: '#f2c12e', supplied: '#e88b2e',
  under_construction: '#d9534f', in_production: '#8e5fb5', idle: '#6b4f3a',
};
export const STAGE_COLORS = {
  survey: '#f4a6a6', determination: '#ee7d7d', notice_hearing: '#e55353', disposal_plan: '#c92a2a',
  implementation: '#8f1d1d', reactivated: '#5cb85c',
};
export const ROAD_COLORS = {
  existing: '#555555', under_construction: '#e8590c', planned: '#1c7ed6', preliminary: '#9c36b5', remediation: '#f08c00',
};
export const DISTRICT_COLORS = ['#e7f0fb', '#fbf3e1', '#eaf6e8', '#f5e9f7', '#e6f5f5'];
export const STANDARD_COLOR = '#0b4fd9';
export const PLANT_COLOR = '#3b3b98';
// RESULT_COLOR outlines the results of a search on the map and in the legend.
export const RESULT_COLOR = '#ff6a00';
export const FALLBACK = { status: '#999999', stage: '#cc0000', road: '#555555' };

// DASHED_ROADS are the road statuses drawn dashed: roads not yet being built.
export const DASHED_ROADS = ['planned', 'preliminary'];

// colorOf returns the colour of value, or fallback.
export const colorOf = (colors, value, fallback) => colors[value] || fallback;

// matchExpr is a MapLibre expression colouring features by a property.
export const matchExpr = (prop, colors, fallback) => ['match', ['get', prop], ...Object.entries(colors).flat(), fallback];
