// The duty calculator: an entry (importer, origin, line, value, date, USMCA claim, US content)
// assessed by the engine through POST /api/v1/duty, shown layer by layer with the legal heading,
// the rate, the base, the amount and the citations of each layer and of each measure not applied.
import { h, fill, citations, notice } from './dom.js';
import { postJson, num, ApiError } from './api.js';
import { money, pct, words } from './format.js';

/** Worked examples, each a golden case of crates/quid-engine/tests/golden with its total. */
const EXAMPLES = [
  {
    label: 'Canadian car, USMCA, 40% US content, 2025-08-05',
    golden: 'us_ca_autos.toml: us-ca-car-2025-08-05-usmca-non-us-content (total 6000.00)',
    entry: { importer: 'US', origin: 'CA', hts: '8703.23.01.60', value: '40000', date: '2025-08-05', usmca: true, us_content: '0.40' },
  },
  {
    label: 'Canadian car, no USMCA claim, 2025-03-20 (IEEPA, refundable)',
    golden: 'us_ca_autos.toml: us-ca-car-2025-03-20-no-usmca-ieepa (total 11000.00)',
    entry: { importer: 'US', origin: 'CA', hts: '8703.23.01.60', value: '40000', date: '2025-03-20', usmca: false, us_content: '' },
  },
  {
    label: 'US broiler chicks into Canada, 20000 head, 2025-05-01 (surtax)',
    golden: 'ca_us_surtax.toml: ca-us-broiler-chicks-2025-05-01-surtax-2025-1 (total 26300.00)',
    entry: { importer: 'CA', origin: 'US', hts: '0105.11.22', value: '10000', quantity: '20000', unit: 'no', date: '2025-05-01', usmca: false, us_content: '' },
  },
];

export async function show(root) {
  const form = h('form', { id: 'duty-form', class: 'form-grid', novalidate: true },
    field('Importer', h('select', { name: 'importer', id: 'duty-importer' }, h('option', { value: 'US' }, 'United States'), h('option', { value: 'CA' }, 'Canada'))),
    field('Origin (ISO code)', h('input', { name: 'origin', id: 'duty-origin', value: 'CA', required: true, maxlength: 2, autocapitalize: 'characters', pattern: '[A-Za-z]{2}' })),
    field('Tariff line (HTS or Canadian item)', h('input', { name: 'hts', id: 'duty-hts', required: true, placeholder: '8703.23.01.60', inputmode: 'decimal' })),
    field('Customs value (US: USD; Canada: CAD)', h('input', { name: 'value', id: 'duty-value', required: true, inputmode: 'decimal', placeholder: '40000' })),
    field('Date of entry', h('input', { type: 'date', name: 'date', id: 'duty-date', required: true })),
    field('Quantity (for specific rates)', h('input', { name: 'quantity', id: 'duty-quantity', inputmode: 'decimal', placeholder: 'e.g. 20000' })),
    field('Unit of the quantity', h('input', { name: 'unit', id: 'duty-unit', placeholder: 'kg, l, no (number of items)…' })),
    field('US content share (0 to 1, vehicles)', h('input', { name: 'us_content', id: 'duty-us-content', inputmode: 'decimal', placeholder: 'e.g. 0.40' })),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'usmca', id: 'duty-usmca' }), ' USMCA / CUSMA preference claimed'),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'duty-submit' }, 'Assess')));
  const out = h('div', { id: 'duty-out', 'aria-live': 'polite' });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    assess(form, out);
  });
  fill(root,
    h('h1', {}, 'Duty calculator'),
    h('p', { class: 'sub' }, 'What an entry owes on a date under every measure stacked on it, layer by layer with the legal heading and its citations.'),
    h('p', { class: 'examples' }, 'Examples: ', EXAMPLES.map((x, i) => h('button', {
      type: 'button', class: 'chip', 'data-example': i, title: `Golden case ${x.golden}`,
      onclick: () => { put(form, x.entry); assess(form, out); },
    }, x.label))),
    form, out);
}

function field(label, input) {
  return h('label', { class: 'field' }, h('span', {}, label), input);
}

function put(form, e) {
  for (const [k, v] of Object.entries({ quantity: '', unit: '', ...e })) {
    const el = form.elements[k];
    if (el.type === 'checkbox') el.checked = Boolean(v);
    else el.value = v;
  }
}

/** The request body from the form; a message for the first field a person must fix. */
export function body(form) {
  const f = form.elements;
  const b = {
    importer: f.importer.value,
    origin: f.origin.value.trim().toUpperCase(),
    hts: f.hts.value.trim(),
    value: f.value.value.trim().replaceAll(',', ''),
    date: f.date.value,
    usmca: f.usmca.checked,
  };
  const uc = f.us_content.value.trim();
  if (uc) b.us_content = uc;
  const qty = f.quantity.value.trim().replaceAll(',', '');
  const unit = f.unit.value.trim();
  if (qty) b.quantity = qty;
  if (unit) b.unit = unit;
  const bad = (name, msg) => ({ error: { field: name, message: msg } });
  if (!/^[A-Z]{2}$/.test(b.origin)) return bad('origin', 'Origin: a two-letter country code such as CA, MX or CN.');
  if (!/^[0-9][0-9.]{3,13}$/.test(b.hts)) return bad('hts', 'Tariff line: digits with optional dots, e.g. 8703.23.01.60.');
  if (num(b.value) === null || num(b.value) < 0) return bad('value', 'Value: a number of dollars, e.g. 40000.');
  if (!b.date) return bad('date', 'Date of entry: pick a date.');
  if (qty && (num(qty) === null || num(qty) < 0)) return bad('quantity', 'Quantity: a number, e.g. 20000.');
  if (qty && !unit) return bad('unit', 'Unit: the unit of the quantity, e.g. kg or no.');
  if (uc && (num(uc) === null || num(uc) < 0 || num(uc) > 1)) return bad('us_content', 'US content: a share between 0 and 1, e.g. 0.40.');
  return { body: b };
}

async function assess(form, out) {
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const r = body(form);
  if (r.error) {
    form.elements[r.error.field]?.setAttribute('aria-invalid', 'true');
    fill(out, notice('error', r.error.message));
    return;
  }
  fill(out, notice('info', 'Assessing…'));
  let a;
  try {
    a = await postJson('/duty', r.body);
  } catch (e) {
    if (e instanceof ApiError && e.field && form.elements[e.field]) form.elements[e.field].setAttribute('aria-invalid', 'true');
    fill(out, notice('error', `The engine refused the entry: ${e instanceof ApiError ? e.describe() : e.message}`));
    return;
  }
  fill(out, render(a, r.body));
}

function render(a, req) {
  const currency = a.currency || (req.importer === 'CA' ? 'CAD' : 'USD');
  const cur = currency === 'CAD' ? 'C$' : currency === 'USD' ? 'US$' : currency;
  const layers = a.layers || [];
  const base = a.base;
  const rows = [];
  if (base) {
    rows.push(h('tr', { class: 'layer base' },
      h('td', { 'data-label': 'Authority' }, h('strong', {}, base.authority), h('div', { class: 'muted small' }, base.basis ? `${base.basis.column || ''}${base.basis.edition ? `, ${base.basis.edition}` : ''}` : '')),
      h('td', { 'data-label': 'Heading' }, base.line || ''),
      h('td', { class: 'num', 'data-label': 'Base' }, money(base.base)),
      h('td', { class: 'num', 'data-label': 'Rate' }, base.rate ?? '—'),
      h('td', { class: 'num', 'data-label': 'Amount' }, money(base.amount)),
      h('td', { 'data-label': 'Legal basis' }, base.basis?.stated_on ? `schedule, stated on ${base.basis.stated_on}` : (base.relieved_by ? `relieved by ${base.relieved_by}` : ''))));
  }
  layers.forEach((l, i) => {
    rows.push(h('tr', { class: 'layer', id: `layer-${i}` },
      h('td', { 'data-label': 'Authority' }, h('strong', {}, l.authority), h('div', { class: 'small' }, l.title || ''), h('div', { class: 'muted small' }, l.measure || '')),
      h('td', { 'data-label': 'Heading' }, l.heading || ''),
      h('td', { class: 'num', 'data-label': 'Base' }, money(l.base), h('div', { class: 'muted small' }, words(l.base_kind))),
      h('td', { class: 'num', 'data-label': 'Rate' }, l.rate ?? '—'),
      h('td', { class: 'num', 'data-label': 'Amount' }, h('a', { href: `#duty-cites-${i}`, title: 'Citations of this layer', onclick: (e) => { e.preventDefault(); document.getElementById(`duty-cites-${i}`)?.setAttribute('open', ''); document.getElementById(`duty-cites-${i}`)?.scrollIntoView({ block: 'nearest' }); } }, money(l.amount))),
      h('td', { 'data-label': 'Legal basis' }, l.struck_down ? h('span', { class: 'tag warn' }, `struck down ${l.struck_down}`) : null,
        l.refundable ? h('span', { class: 'tag warn' }, 'refundable') : null,
        h('details', { id: `duty-cites-${i}` }, h('summary', {}, `${(l.citations || []).length} citations`), citations(l.citations)))));
  });
  const after = num(a.owed_after_ruling);
  return [
    h('div', { class: 'cards' },
      h('div', { class: 'card' }, h('h3', {}, 'Total at entry'), h('p', { class: 'big' }, `${cur} `, h('span', { id: 'duty-total' }, money(a.total)))),
      after !== null ? h('div', { class: 'card' }, h('h3', {}, 'Owed after the IEEPA ruling'), h('p', { class: 'big' }, `${cur} `, h('span', { id: 'duty-after' }, money(after)))) : null,
      num(a.refundable) ? h('div', { class: 'card' }, h('h3', {}, 'Refundable'), h('p', { class: 'big' }, `${cur} `, h('span', { id: 'duty-refundable' }, money(a.refundable)))) : null),
    h('div', { class: 'scroll' }, h('table', { class: 'data layers stack', id: 'duty-layers' },
      h('caption', {}, `Layers: ${req.hts} from ${req.origin} into ${req.importer} on ${req.date}, value ${cur} ${money(req.value)}${req.quantity ? `, ${req.quantity} ${req.unit}` : ''}${req.usmca ? ', USMCA claimed' : ''}${req.us_content ? `, US content ${pct(req.us_content, 0)}` : ''}`),
      h('thead', {}, h('tr', {}, ['Authority', 'Heading', 'Base', 'Rate', 'Amount', 'Legal basis'].map((t, i) => h('th', { class: i >= 2 && i <= 4 ? 'num' : null }, t)))),
      h('tbody', {}, rows))),
    (a.not_applied || []).length ? h('section', {}, h('h2', {}, 'Measures considered and not applied'),
      h('ul', { class: 'not-applied' }, a.not_applied.map((n) => h('li', {},
        h('strong', {}, n.authority), ` ${n.heading || ''} `, h('span', { class: 'tag' }, words(n.reason)),
        n.prevailing ? ` (displaced by ${n.prevailing})` : '', h('span', { class: 'muted small' }, ` ${n.measure}`),
        h('details', {}, h('summary', {}, `${(n.citations || []).length + (n.rule_citations || []).length} citations`), citations([...(n.citations || []), ...(n.rule_citations || [])])))))) : null,
    (a.warnings || []).length || (a.notices || []).length ? h('section', {}, h('h2', {}, 'Warnings and notices'),
      h('ul', { id: 'duty-notices' },
        (a.warnings || []).map((w) => h('li', {}, typeof w === 'string' ? w : (w.text || w.message || JSON.stringify(w)))),
        (a.notices || []).map((n) => h('li', {}, n)))) : null,
  ];
}
