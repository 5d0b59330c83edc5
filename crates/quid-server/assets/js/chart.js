// SVG time charts drawn in the browser: step lines over dates (rates change on policy dates),
// quarterly date ticks, and for the balance one clickable marker per dated move.
import { s, h } from './dom.js';
import { day, bn } from './format.js';
import { num } from './api.js';

export const COLORS = { US: '#c0392b', CA: '#1f5fa8' };
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
export const palette = (i) => PALETTE[i % PALETTE.length];

/**
 * A point of a series as [date, value]: the API sends named objects ({date, usd_per_year} in a
 * balance's sectors, {date, value} in general); a [date, value] pair is read as it is.
 */
export function pair(p) {
  if (Array.isArray(p)) return [p[0], num(p[1])];
  if (!p || typeof p !== 'object') return [null, null];
  if ('value' in p) return [p.date, num(p.value)];
  const k = Object.keys(p).find((x) => x !== 'date' && num(p[x]) !== null);
  return [p.date, k === undefined ? null : num(p[k])];
}

function niceStep(max) {
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const n = raw / mag;
  return mag * (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Draws step lines over [since, until]. series: [{label, color, points: [[date, value]], dashed}],
 * values in US$ shown in bn (scale 1e9), or already in bn (scale 1, a chart specification). Returns {svg, x, y, valueAt(series, date)} so callers add marks.
 */
export function timeChart(width, { since, until, series, title, scale = 1e9 }) {
  const phone = width < 600;
  const height = phone ? 280 : 400;
  const m = { left: phone ? 40 : 56, right: 12, top: 14, bottom: 34 };
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const x0 = day(since);
  const x1 = Math.max(day(until), x0 + 1);
  series = series.map((se) => ({ ...se, points: (se.points || []).map(pair) }));
  let ymax = 0;
  for (const se of series) for (const p of se.points) ymax = Math.max(ymax, num(p[1]) / scale);
  ymax = Math.max(ymax * 1.12, 1);
  const step = niceStep(ymax);
  ymax = Math.ceil(ymax / step) * step;
  const x = (d) => m.left + ((day(d) - x0) / (x1 - x0)) * pw;
  const y = (v) => m.top + ph - (v / scale / ymax) * ph;
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', class: 'chart',
    'aria-label': title || 'chart',
  });
  // Y grid.
  for (let v = 0; v <= ymax + 1e-9; v += step) {
    const yy = m.top + ph - (v / ymax) * ph;
    svg.append(s('line', { x1: m.left, x2: m.left + pw, y1: yy, y2: yy, class: 'grid' }));
    svg.append(s('text', { x: m.left - 6, y: yy + 4, 'text-anchor': 'end', class: 'tick' }, `${+v.toFixed(2)}`));
  }
  svg.append(s('text', { x: 4, y: m.top + 4, class: 'tick unit', 'dominant-baseline': 'hanging' }, 'bn'));
  // X ticks: quarters (every half year on a phone).
  const [sy] = since.split('-').map(Number);
  const [uy] = until.split('-').map(Number);
  for (let yr = sy; yr <= uy; yr++) {
    for (let mo = 0; mo < 12; mo += phone ? 6 : 3) {
      const d = `${yr}-${String(mo + 1).padStart(2, '0')}-01`;
      if (day(d) < x0 || day(d) > x1) continue;
      const xx = x(d);
      svg.append(s('line', { x1: xx, x2: xx, y1: m.top + ph, y2: m.top + ph + 5, class: 'axis' }));
      svg.append(s('text', { x: xx, y: m.top + ph + 18, 'text-anchor': 'middle', class: 'tick' },
        mo === 0 ? `${yr}` : MONTHS[mo]));
    }
  }
  svg.append(s('line', { x1: m.left, x2: m.left + pw, y1: m.top + ph, y2: m.top + ph, class: 'axis' }));
  // Step lines.
  for (const se of series) {
    const pts = se.points.filter((p) => day(p[0]) <= x1);
    if (pts.length === 0) continue;
    let d = `M${x(pts[0][0]).toFixed(1)},${y(num(pts[0][1])).toFixed(1)}`;
    for (let i = 1; i < pts.length; i++) {
      d += `H${x(pts[i][0]).toFixed(1)}V${y(num(pts[i][1])).toFixed(1)}`;
    }
    d += `H${x(until).toFixed(1)}`;
    svg.append(s('path', {
      d, fill: 'none', stroke: se.color, 'stroke-width': se.width || 2.2,
      'stroke-dasharray': se.dashed ? '6 4' : null, class: `line ${se.cls || ''}`,
      'data-label': se.label,
    }, s('title', {}, se.label)));
  }
  const valueAt = (se, date) => {
    let v = 0;
    for (const [d, pv] of se.points.map(pair)) if (day(d) <= day(date)) v = pv;
    return v;
  };
  return { svg, x, y, valueAt, width, height, m, ph };
}

/** A legend of series as HTML (wraps on a phone). */
export function legend(series) {
  return h('ul', { class: 'legend' }, series.map((se) => h('li', {},
    h('span', { class: `swatch${se.dashed ? ' dashed' : ''}`, style: `--c:${se.color}` }), se.label)));
}

/** The dated moves of a balance that fall in its period: the ones drawn on the chart. */
export function chartedMoves(balance) {
  const a = day(balance.since);
  const b = day(balance.until);
  return balance.moves
    .map((mv, index) => ({ mv, index }))
    .filter(({ mv }) => mv.date && day(mv.date) >= a && day(mv.date) <= b);
}

/**
 * The balance chart: US duties on Canadian goods and Canadian duties on US goods, with one
 * marker per dated move above the line of the party that moved (stacked so that none overlaps). onMove(index) is called with the move's index in balance.moves.
 */
export function balanceChart(width, report, onMove, selected) {
  const b = report.balance;
  const series = [
    { party: 'US', label: 'US duties on Canadian goods', color: COLORS.US, points: report.burdens.map((p) => [p.date, p.us_on_ca_usd]) },
    { party: 'CA', label: 'Canadian duties on US goods', color: COLORS.CA, points: report.burdens.map((p) => [p.date, p.ca_on_us_usd]) },
  ];
  const c = timeChart(width, { since: b.since, until: b.until, series, title: 'Reciprocity balance: annual additional duties each side charges the other' });
  const r = width < 600 ? 6 : 5.5;
  const gap = 2 * r + 4;
  // Each marker goes above its party's line at the move's date, pushed up (or, near the top,
  // below the line) until it overlaps no marker already placed, so every one can be clicked.
  const placed = [];
  const free = (cx, cy) => placed.every((p) => Math.hypot(p.cx - cx, p.cy - cy) >= gap);
  const stems = s('g', { class: 'stems' });
  const g = s('g', { class: 'moves' });
  for (const { mv, index } of chartedMoves(b)) {
    const se = series.find((x) => x.party === mv.party) || series[0];
    const cx = c.x(mv.date);
    const base = c.y(c.valueAt(se, mv.date));
    let cy = null;
    for (let k = 1; k < 60 && cy === null; k++) {
      const up = base - k * gap;
      if (up >= c.m.top + r && free(cx, up)) cy = up;
    }
    for (let k = 1; k < 60 && cy === null; k++) {
      const down = base + k * gap;
      if (free(cx, down)) cy = down;
    }
    if (cy === null) cy = base - gap;
    placed.push({ cx, cy });
    const value = num(mv.value_usd_per_year);
    const cls = ['move-marker', `party-${mv.party}`, value === null ? 'unvalued' : 'valued', `status-${mv.status}`, index === selected ? 'selected' : ''].join(' ');
    const label = `${mv.date} ${mv.party}: ${mv.title}${value === null ? '' : ` (${bn(value, true)}/yr)`}`;
    stems.append(s('line', { x1: cx, x2: cx, y1: cy, y2: base, class: 'stem', stroke: se.color }));
    const marker = s('g', {
      class: cls, tabindex: 0, role: 'button', 'aria-label': label,
      'data-index': index, 'data-date': mv.date, 'data-party': mv.party,
    },
    s('title', {}, label),
    s('circle', { cx, cy, r, stroke: se.color, fill: value === null ? '#fff' : se.color }));
    const go = () => onMove(index);
    marker.addEventListener('click', go);
    marker.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); go(); } });
    g.append(marker);
  }
  c.svg.append(stems);
  c.svg.append(g);
  return { svg: c.svg, series };
}

/**
 * A chart specification of a report (quid_econ::chart::Chart as JSON: title, series with points
 * in the unit of the chart, markers, end), e.g. a scenario's baseline (solid) and package (dashed).
 */
export function specChart(width, spec) {
  const series = (spec.series || []).map((x) => ({ label: x.label, color: x.color, dashed: x.dashed, points: x.points }));
  const starts = series.map((x) => (x.points.length ? pair(x.points[0])[0] : null)).filter(Boolean).sort();
  const since = starts[0] || spec.end;
  const c = timeChart(width, { since, until: spec.end, series, title: spec.title, scale: 1 });
  for (const mk of spec.markers || []) {
    const xx = c.x(mk.date);
    c.svg.append(s('line', { x1: xx, x2: xx, y1: c.m.top, y2: c.m.top + c.ph, class: 'event', stroke: '#555', 'stroke-dasharray': '3 3' }));
    c.svg.append(s('text', { x: xx - 4, y: c.m.top + 10, 'text-anchor': 'end', class: 'tick' }, mk.label));
  }
  return c.svg;
}
