// DOM helpers: build elements without innerHTML (every text from the API is inserted as text).

/** h('a', {href: '/x', class: 'c'}, 'text', child) builds an element. */
export function h(tag, attrs, ...children) {
  const e = document.createElement(tag);
  setAttrs(e, attrs);
  append(e, children);
  return e;
}

const SVGNS = 'http://www.w3.org/2000/svg';

/** s('circle', {cx: 1}) builds an SVG element. */
export function s(tag, attrs, ...children) {
  const e = document.createElementNS(SVGNS, tag);
  setAttrs(e, attrs);
  append(e, children);
  return e;
}

function setAttrs(e, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
}

function append(e, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the children of an element. */
export function fill(e, ...children) {
  e.replaceChildren();
  append(e, children);
  return e;
}

/** A link that opens outside the dashboard (citations). */
export function ext(url, text, cls) {
  if (!url) return h('span', { class: cls }, text);
  return h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', class: cls }, text);
}

/** A list of citations ({title, url, date, kind, pinpoint}) as links. */
export function citations(list, label) {
  if (!list || list.length === 0) return h('p', { class: 'muted' }, 'No citation given.');
  return h('ul', { class: 'citations', 'aria-label': label || 'Citations' },
    list.map((c) => h('li', {},
      ext(c.url, c.title || c.url || 'source', 'citation'),
      c.kind ? h('span', { class: 'tag' }, c.kind.replaceAll('_', ' ')) : null,
      c.date ? h('span', { class: 'muted' }, ` ${c.date}`) : null,
      c.pinpoint ? h('span', { class: 'pinpoint' }, ` (${c.pinpoint})`) : null)));
}

/** A notice shown while a view loads or when a request failed. */
export function notice(kind, text) {
  return h('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}
