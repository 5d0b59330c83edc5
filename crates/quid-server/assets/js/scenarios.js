// Scenario comparison: pick bundled scenarios and lay them side by side: each side's duties on
// the other's goods under the baseline and the package, the headline partial-equilibrium figures
// with their 90% bands, and each scenario's sources and assumptions.
import { h, fill, ext, citations, notice } from './dom.js';
import { getJson, apiUrl, num, ApiError } from './api.js';
import { bn } from './format.js';
import { specChart, legend } from './chart.js';
import { route } from './state.js';

function listOf(body, keys) {
  if (Array.isArray(body)) return body;
  for (const k of keys) if (Array.isArray(body?.[k])) return body[k];
  return [];
}

export async function show(root, st) {
  fill(root, h('h1', {}, 'Scenarios'), notice('info', 'Loading the bundled scenarios…'));
  let list;
  try {
    list = listOf(await getJson('/scenarios'), ['scenarios', 'items']);
  } catch (e) {
    fill(root, h('h1', {}, 'Scenarios'), notice('error', `The scenarios could not be listed: ${e instanceof ApiError ? e.describe() : e.message}`));
    return;
  }
  const picked = new Set((st.params.get('names') || '').split(',').filter(Boolean));
  const form = h('form', { id: 'scenario-form', class: 'pick' },
    h('fieldset', {}, h('legend', {}, 'Bundled scenarios (pick two or more)'),
      list.map((x) => h('label', { class: 'check' },
        h('input', { type: 'checkbox', name: 'names', value: x.name, checked: picked.has(x.name) }),
        ` ${x.title || x.name} `, h('span', { class: 'muted small' }, x.file || x.name)))),
    h('button', { type: 'submit', id: 'scenario-compare' }, 'Compare'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const names = [...form.querySelectorAll('input[name=names]:checked')].map((i) => i.value);
    location.hash = route('scenarios', { names: names.join(',') });
  });
  const out = h('div', { id: 'scenario-out', 'aria-live': 'polite' });
  fill(root, h('h1', {}, 'Scenarios'),
    h('p', { class: 'sub' }, 'Packages of moves valued against the baseline: static duty and partial-equilibrium trade effects with Monte Carlo bands.'),
    form, out);
  if (picked.size === 0) return;
  fill(out, notice('info', `Running ${picked.size} scenarios (Monte Carlo draws take a few seconds)…`));
  const names = [...picked].join(',');
  let reports;
  try {
    reports = listOf(await getJson('/scenarios/compare', { names }), ['scenarios', 'reports']);
  } catch (e) {
    fill(out, notice('error', `The comparison failed: ${e instanceof ApiError ? e.describe() : e.message}`));
    return;
  }
  const first = reports.find((r) => r.chart)?.chart;
  fill(out, table(reports, names), first ? legend(first.series.map((x) => ({ label: x.label, color: x.color, dashed: x.dashed }))) : null);
}

function table(reports, names) {
  const figures = [];
  for (const r of reports) for (const x of r.headlines || []) if (!figures.includes(x.figure)) figures.push(x.figure);
  const dir = (r, imp) => (r.directions || []).find((d) => d.importer === imp);
  const change = (b) => (b ? h('span', {}, `${bn(b.baseline)} → `, h('strong', {}, bn(b.scenario)), h('span', { class: 'muted' }, ` (${bn(num(b.scenario) - num(b.baseline), true)})`)) : '—');
  const row = (label, f) => h('tr', {}, h('th', { scope: 'row' }, label), reports.map((r) => h('td', {}, f(r))));
  return h('div', { class: 'scroll' }, h('table', { class: 'data compare', id: 'scenario-table' },
    h('caption', {}, 'Side by side (US$ a year) · ', ext(apiUrl('/scenarios/compare', { names }), 'JSON')),
    h('thead', {}, h('tr', {}, h('th', {}, ''), reports.map((r) => h('th', { scope: 'col', class: 'scenario-name' }, r.scenario?.name || '')))),
    h('tbody', {},
      row('Status, from', (r) => `${r.scenario?.status || ''}, from ${r.scenario?.start || r.date || ''}`),
      row('US duties on Canadian goods', (r) => change(dir(r, 'US')?.burden_usd)),
      row('Canadian duties on US goods', (r) => change(dir(r, 'CA')?.burden_usd)),
      row('Net: US duties on Canadian goods less Canadian duties on US goods', (r) => change(r.net_burden_usd)),
      figures.map((f) => row(f, (r) => {
        const x = (r.headlines || []).find((y) => y.figure === f);
        if (!x) return '—';
        return h('span', {}, h('strong', {}, bn(x.point, true)), x.band ? h('span', { class: 'muted small' }, ` 90%: ${bn(x.band.p05)} to ${bn(x.band.p95)}`) : '');
      })),
      row('Duties over time (US$ bn a year; dashed: with the package)', (r) => (r.chart ? h('div', { class: 'scenario-chart' }, specChart(340, r.chart)) : '—')),
      row('Draws, seed', (r) => `${r.draws ?? ''}, ${r.seed ?? ''}`),
      row('What it is', (r) => h('div', { class: 'small' }, r.scenario?.note || '')),
      row('Sources', (r) => citations(r.scenario?.sources)),
      row('Assumptions', (r) => h('details', {}, h('summary', {}, `${(r.assumptions || []).length} assumptions`), h('ul', { class: 'small' }, (r.assumptions || []).map((a) => h('li', {}, a))))))));
}
