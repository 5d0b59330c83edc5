// The balance view: each side's annual duties on the other's goods over time, every move marked
// on the chart, a click showing the move's details and citations; the concessions and notes.
import { h, fill, ext, citations, notice } from './dom.js';
import { num, apiUrl, ApiError } from './api.js';
import { bn } from './format.js';
import { balanceChart, chartedMoves, legend, COLORS } from './chart.js';
import { balance, route, state } from './state.js';

let current = null; // {root, report, selected}
const NAMES = { US: 'US duties on Canadian goods', CA: 'Canadian duties on US goods' };

export async function show(root, st) {
  fill(root, notice('info', 'Loading the balance…'));
  let report;
  try {
    report = await balance();
  } catch (e) {
    fill(root, notice('error', `The balance could not be loaded: ${e instanceof ApiError ? e.describe() : e.message}`));
    return;
  }
  const b = report.balance;
  current = { root, report, selected: null };
  const known = st.knownOn;
  const dirs = report.directions || [];
  const charted = chartedMoves(b);
  const off = b.moves.map((mv, index) => ({ mv, index })).filter((x) => !charted.some((c) => c.index === x.index));
  fill(root,
    h('h1', {}, 'The reciprocity balance'),
    h('p', { class: 'sub', id: 'balance-subtitle' },
      `US$ bn a year of additional duties on 2024 trade, ${b.since} to ${b.until}, as known on `,
      h('strong', { id: 'balance-known-on' }, b.as_known_on), '. ',
      ext(apiUrl('/balance', { as_known_on: known }), 'JSON'), ' · ',
      ext(apiUrl('/balance/chart.svg', { as_known_on: known }), 'chart as SVG')),
    h('div', { class: 'cards', id: 'balance-summary' }, dirs.map((d) => h('div', { class: `card party-${d.importer}` },
      h('h3', {}, NAMES[d.importer] || `${d.importer} on ${d.partner}`),
      h('p', { class: 'big' },
        h('a', { href: route('ledger', { party: d.importer }), id: `summary-${d.importer}-end`, title: `The moves of ${d.importer} in the ledger` }, bn(d.at_end_usd)),
        h('span', { class: 'unit' }, ' a year at the end')),
      h('p', {}, 'Peak ', h('a', { href: route('ledger', { party: d.importer, from: d.peak_date, to: d.peak_date }), title: `The moves of ${d.importer} on ${d.peak_date}` }, `${bn(d.peak_usd)} on ${d.peak_date}`),
        `; trade-weighted rate ${num(d.ttri_end_pct)?.toFixed(2)}% at the end.`),
      h('p', { class: 'muted' }, 'Moves ', h('a', { href: route('ledger', { party: d.importer }) }, bn(d.moves_usd, true)),
        `, interactions between measures (stacking) ${bn(d.interactions_usd, true)}.`)))),
    h('div', { class: 'chart-layout' },
      h('div', { class: 'chart-box' },
        legend([{ label: NAMES.US, color: COLORS.US }, { label: NAMES.CA, color: COLORS.CA }]),
        h('div', { id: 'balance-chart', class: 'chart-wrap', 'data-moves': charted.length }),
        h('p', { class: 'muted small' },
          `${charted.length} moves marked on their dates (filled: valued by the engine; hollow: no tariff value, e.g. a pledge or a declared concession). Click or tab to a marker for its details.`)),
      h('aside', { id: 'move-details', class: 'details', 'aria-live': 'polite' },
        h('p', { class: 'muted' }, 'Click a move on the chart to see its date, party, value and citations.'))),
    off.length ? h('section', { id: 'off-chart' },
      h('h2', {}, `Moves without a date in the period (${off.length})`),
      h('p', { class: 'muted small' }, 'Threats, announcements and pledges not yet in force, or dated after the end of the period.'),
      h('ul', { class: 'chips', id: 'undated-moves' }, off.map(({ mv, index }) => h('li', {},
        h('button', { type: 'button', class: `chip party-${mv.party}`, 'data-index': index, onclick: () => select(index) },
          `${mv.party} · ${mv.date || mv.status} · ${mv.title}`))))) : null,
    concessions(report),
    h('section', {}, h('h2', {}, 'Notes'),
      h('ul', { class: 'notes' }, (report.notes || []).map((n) => h('li', {}, n)),
        h('li', {}, `Exchange rate C$ ${num(report.cad_per_usd)} per US$: ${report.fx_source}`))));
  draw();
}

function concessions(report) {
  const table = (party, rows) => h('table', { class: 'data', id: `concessions-${party}` },
    h('caption', {}, party === 'CA' ? 'Concessions made by Canada' : 'Concessions made by the United States'),
    h('thead', {}, h('tr', {}, h('th', {}, 'Category'), h('th', { class: 'num' }, 'US$ a year'), h('th', { class: 'num' }, 'Moves'))),
    h('tbody', {}, (rows || []).map((r) => h('tr', { 'data-category': r.category },
      h('td', {}, String(r.category).replaceAll('_', ' ')),
      h('td', { class: 'num' }, h('a', { href: route('ledger', { party }) }, bn(r.value_usd_per_year))),
      h('td', { class: 'num' }, r.moves)))));
  return h('section', { class: 'two' }, table('CA', report.concessions_by_ca), table('US', report.concessions_by_us));
}

function draw() {
  if (!current || current.root.hidden) return;
  const box = current.root.querySelector('#balance-chart');
  const width = Math.max(300, Math.floor(box.clientWidth || 800));
  const { svg } = balanceChart(width, current.report, select, current.selected);
  fill(box, svg);
}

export function resize() {
  draw();
}

function select(index) {
  current.selected = index;
  for (const m of current.root.querySelectorAll('.move-marker')) {
    m.classList.toggle('selected', Number(m.dataset.index) === index);
  }
  const mv = current.report.balance.moves[index];
  const acc = current.report.accounting?.moves?.[index];
  const box = current.root.querySelector('#move-details');
  fill(box, details(mv, acc));
  if (window.matchMedia('(max-width: 900px)').matches) box.scrollIntoView({ block: 'nearest' });
}

function details(mv, acc) {
  const value = num(mv.value_usd_per_year);
  const rows = [
    ['Date', mv.date || `none (${mv.status})`, 'move-date'],
    ['Party', mv.party === 'US' ? 'United States' : mv.party === 'CA' ? 'Canada' : mv.party, 'move-party'],
    ['Kind', `${mv.kind} · ${mv.category} · ${mv.evaluation}`.replaceAll('_', ' ')],
    ['Status', String(mv.status).replaceAll('_', ' ')],
    ['Value', value === null ? (mv.note || 'not valued') : `${bn(value, true)} a year of duties on the other's goods`, 'move-value'],
  ];
  if (num(mv.refundable_usd) !== null) rows.push(['Refundable', `${bn(mv.refundable_usd)} collected, refundable`]);
  if (mv.declared) rows.push(['Declared', `${mv.declared.currency} ${Number(mv.declared.amount).toLocaleString('en-US')} — ${mv.declared.basis || ''}`]);
  if (acc && acc.class) rows.push(['Accounting', String(acc.class).replaceAll('_', ' ')]);
  return [
    h('h2', { id: 'move-title' }, mv.title),
    h('dl', { class: 'kv' }, rows.map(([k, v, id]) => [h('dt', {}, k), h('dd', { id }, v)])),
    mv.measures?.length ? h('p', {}, 'Measures: ', mv.measures.map((m, i) => [i ? ', ' : '', ext(apiUrl(`/measures/${encodeURIComponent(m)}`, { date: mv.date || state.knownOn }), m)])) : null,
    mv.authorities?.length ? h('p', { class: 'muted' }, `Authorities: ${mv.authorities.join(', ')}`) : null,
    h('h3', {}, 'Citations'),
    citations(mv.sources, 'Citations of the move'),
    mv.wording?.length ? [h('h3', {}, 'In their words'), mv.wording.map((w) => h('blockquote', {}, `“${w.quote}” `, ext(w.source, `(${w.party})`)))] : null,
    h('p', {}, h('a', { href: route('ledger', { id: mv.announcement }) }, `Ledger entry ${mv.announcement}`), ' · ',
      ext(apiUrl(`/ledger/${encodeURIComponent(mv.announcement)}`), 'JSON')),
  ];
}
