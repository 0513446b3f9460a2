// Small DOM helpers shared by the map, edit and report modules.

// $ returns the first element matching sel inside el.
export const $ = (sel, el = document) => el.querySelector(sel);

// h builds an element: attributes (onX are listeners; true is an empty attribute; false, null
// and undefined are left out) and children (nodes or text).
export function h(tag, attrs = {}, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) el.setAttribute(k, v === true ? '' : v);
  }
  for (const k of kids.flat()) if (k != null) el.append(k.nodeType ? k : String(k));
  return el;
}
