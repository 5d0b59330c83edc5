// The sector view: each side's annual duties on the other's goods by sector over time, and a
// table of each sector's value at the end of the period and at its peak.
import { h, fill, ext, notice } from './dom.js';
import { apiUrl, ApiError } from './api.js';
import { bn } from './format.js';
import { timeChart, legend, palette, pair } from './chart.js';
import { balance, route } from './state.js';

let current = null;

export async function show(root, st) {
  fill(root, notice('info', 'Loading the sectors…'));
  let report;
  try {
    report = await balance();
  } catch (e) {
    fill(root, notice('error', `The sectors could not be loaded: ${e instanceof ApiError ? e.describe() : e.message}`));
    return;
  }
  const b = report.balance;
  current = { root, report };
  const blocks = ['US', 'CA'].map((imp) => {
    const rows = report.sectors.filter((x) => x.importer === imp).map((x) => {
      const pts = x.points.map(pair);
      const end = pts.length ? pts[pts.length - 1][1] : 0;
      let peak = 0;
      let peakDate = null;
      for (const [d, v] of pts) if (v > peak) { peak = v; peakDate = d; }
      return { sector: x.sector, group: x.group, pts, end, peak, peakDate };
    }).sort((a, c) => c.end - a.end || c.peak - a.peak);
    const who = imp === 'US' ? 'US duties on Canadian goods' : 'Canadian duties on US goods';
    return h('section', { class: 'sector-block', id: `sectors-${imp}` },
      h('h2', {}, `${who}, by sector`),
      h('div', { class: 'chart-wrap sector-chart', 'data-importer': imp }),
      h('table', { class: 'data' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Sector'), h('th', { class: 'num' }, 'At the end'), h('th', { class: 'num' }, 'Peak'), h('th', {}, 'Peak date'))),
        h('tbody', {}, rows.map((r) => h('tr', { 'data-sector': r.sector },
          h('td', {}, h('span', { class: 'swatch', style: `--c:${palette(r.group)}` }), r.sector),
          h('td', { class: 'num' }, h('a', { href: route('ledger', { party: imp }), title: `Moves of ${imp}` }, bn(r.end))),
          h('td', { class: 'num' }, bn(r.peak)),
          h('td', {}, r.peakDate ? h('a', { href: route('ledger', { party: imp, from: r.peakDate, to: r.peakDate }), title: `Moves of ${imp} on ${r.peakDate}` }, r.peakDate) : '—'))))));
  });
  fill(root,
    h('h1', {}, 'Sectors'),
    h('p', { class: 'sub' }, `US$ bn a year of additional duties on 2024 trade by sector, ${b.since} to ${b.until}, as known on ${b.as_known_on}. `,
      ext(apiUrl('/balance/sectors.svg', { as_known_on: st.knownOn }), 'chart as SVG'), ' · ',
      ext(apiUrl('/balance', { as_known_on: st.knownOn }), 'JSON')),
    h('div', { class: 'two' }, blocks));
  draw();
}

function draw() {
  if (!current || current.root.hidden) return;
  const b = current.report.balance;
  for (const box of current.root.querySelectorAll('.sector-chart')) {
    const imp = box.dataset.importer;
    const series = current.report.sectors
      .filter((x) => x.importer === imp && x.points.some((p) => pair(p)[1] > 1e8))
      .map((x) => ({ label: x.sector, color: palette(x.group), points: x.points }));
    const width = Math.max(280, Math.floor(box.clientWidth || 500));
    const c = timeChart(width, { since: b.since, until: b.until, series, title: `Sectors, ${imp}` });
    fill(box, c.svg, legend(series));
  }
}

export function resize() {
  draw();
}
