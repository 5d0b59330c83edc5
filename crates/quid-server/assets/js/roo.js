// The rules-of-origin checker: a vehicle's bill of materials (a bundled example, or TOML or JSON
// pasted by the reader) checked against the CUSMA/USMCA automotive rules on a date: the verdict
// and each test's value, threshold, margin and article; the US content that sets the autos 232 base.
import { h, fill, citations, notice } from './dom.js';
import { getJson, postJson, ApiError } from './api.js';
import { pct, pts, money, words } from './format.js';

function listOf(body) {
  if (Array.isArray(body)) return body;
  for (const k of ['examples', 'vehicles', 'items']) if (Array.isArray(body?.[k])) return body[k];
  return [];
}

/** The text an example shows in the editor: its TOML when the server gives it, else its JSON. */
function exampleText(x) {
  if (typeof x.toml === 'string') return x.toml;
  if (typeof x.bom_toml === 'string') return x.bom_toml;
  if (typeof x.bom === 'string') return x.bom;
  return JSON.stringify(x.bom ?? x, null, 2);
}

/** The request body: JSON text as {bom}, anything else as {bom_toml}. */
export function requestBody(text, date) {
  const t = text.trim();
  const b = {};
  if (t.startsWith('{')) {
    try {
      b.bom = JSON.parse(t);
    } catch (e) {
      return { error: `The bill starts with "{" but is not valid JSON: ${e.message}` };
    }
  } else {
    b.bom_toml = text;
  }
  if (date) b.date = date;
  return { body: b };
}

export async function show(root) {
  const out = h('div', { id: 'roo-out', 'aria-live': 'polite' });
  const select = h('select', { id: 'roo-example', name: 'example' }, h('option', { value: '' }, 'Loading the examples…'));
  const text = h('textarea', { id: 'roo-bom', name: 'bom', rows: 16, spellcheck: 'false', placeholder: 'Paste a bill of materials as TOML (the format of data/roo/examples) or JSON' });
  const date = h('input', { type: 'date', id: 'roo-date', name: 'date' });
  const form = h('form', { id: 'roo-form', class: 'roo-form' },
    h('label', { class: 'field' }, h('span', {}, 'Bundled example'), select),
    h('label', { class: 'field' }, h('span', {}, 'Date of the rules (empty: today)'), date),
    h('label', { class: 'field wide' }, h('span', {}, 'Bill of materials (TOML or JSON)'), text),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'roo-submit' }, 'Check')));
  fill(root, h('h1', {}, 'Rules of origin'),
    h('p', { class: 'sub' }, 'Whether a vehicle qualifies under the CUSMA/USMCA automotive rules: regional value content, core parts, labour value content, steel and aluminum purchases.'),
    form, out);
  let examples = [];
  try {
    examples = listOf(await getJson('/roo/examples'));
  } catch (e) {
    fill(select, h('option', { value: '' }, 'No examples'));
    fill(out, notice('error', `The examples could not be loaded: ${e instanceof ApiError ? e.describe() : e.message}`));
  }
  if (examples.length) {
    fill(select, h('option', { value: '' }, 'Pick an example…'),
      examples.map((x, i) => h('option', { value: String(i) }, x.title || x.bom?.name || x.name || x.file || `example ${i + 1}`)));
  }
  select.addEventListener('change', () => {
    const x = examples[Number(select.value)];
    if (select.value === '' || !x) return;
    text.value = exampleText(x);
    // The server's own check of the bundled file (on today's date) until the reader checks.
    if (x.check) {
      out.dataset.source = 'example';
      fill(out, h('p', { class: 'muted small' }, `The bundled file ${x.file || ''} as the server checked it; change the date or the bill and press Check.`), render(x.check));
    }
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const r = requestBody(text.value, date.value);
    if (!text.value.trim()) {
      fill(out, notice('error', 'Pick an example or paste a bill of materials.'));
      return;
    }
    if (r.error) {
      fill(out, notice('error', r.error));
      return;
    }
    out.dataset.source = 'pending';
    fill(out, notice('info', 'Checking…'));
    try {
      const rep = await postJson('/roo/check', r.body);
      out.dataset.source = 'check';
      fill(out, render(rep));
    } catch (err) {
      out.dataset.source = 'error';
      const csv = err instanceof ApiError && err.field === 'components_csv'
        ? ' This bundled example keeps its components in a CSV file beside it; paste them inline as [[component]] tables (hs, value, origin, originating, category) to check it here.' : '';
      fill(out, notice('error', `The bill could not be checked: ${err instanceof ApiError ? err.describe() : err.message}.${csv}`));
    }
  });
}

/**
 * Each test's standing: tests of one group are alternatives (the producer elects one, e.g. core
 * parts each part or as a super-core average), so a failed test whose group another test meets
 * is "alternative" (not a failure of the vehicle); a group where none passes fails.
 */
export function standings(tests) {
  const met = new Set((tests || []).filter((t) => t.group && t.passed === true).map((t) => t.group));
  return (tests || []).map((t) => {
    if (t.passed === true) return { cls: 'pass', text: 'pass' };
    if (t.passed === false && t.group && met.has(t.group)) return { cls: 'alternative', text: 'not met; alternative passes' };
    if (t.passed === false) return { cls: 'fail', text: 'fail' };
    return { cls: 'open', text: 'open' };
  });
}

function render(rep) {
  const r = rep.result || rep;
  const st = standings(r.tests);
  const db = rep.duty_base;
  const verdict = String(r.verdict || '');
  return [
    h('div', { class: `verdict ${verdict}`, id: 'roo-verdict', 'data-verdict': verdict },
      h('strong', {}, words(verdict)), ` — ${r.name || ''}, on ${r.date || ''}`,
      rep.class ? h('span', { class: 'muted' }, ` (${words(rep.class)} assembled in ${rep.assembly}${rep.hts ? `, ${rep.hts}` : ''})`) : ''),
    rep.rules ? h('p', { class: 'muted small' }, rep.rules) : null,
    h('div', { class: 'scroll' }, h('table', { class: 'data stack', id: 'roo-tests' },
      h('thead', {}, h('tr', {}, ['Test', 'Value', 'Threshold', 'Margin', 'Result', 'Article'].map((t, i) => h('th', { class: i >= 1 && i <= 3 ? 'num' : null }, t)))),
      h('tbody', {}, (r.tests || []).map((t, i) => h('tr', { class: st[i].cls, 'data-test': t.name, 'data-group': t.group || null },
        h('td', { 'data-label': 'Test' }, t.name,
          t.group ? h('div', { class: 'muted small' }, `one of the ${t.group} tests: met when any one passes`) : null,
          t.detail ? h('div', { class: 'muted small' }, t.detail) : null),
        h('td', { class: 'num', 'data-label': 'Value' }, pct(t.value)),
        h('td', { class: 'num', 'data-label': 'Threshold' }, pct(t.threshold)),
        h('td', { class: 'num', 'data-label': 'Margin' }, pts(t.margin)),
        h('td', { 'data-label': 'Result' }, st[i].text),
        h('td', { class: 'small', 'data-label': 'Article' }, t.article || '', t.parameter ? h('div', { class: 'muted' }, t.parameter) : null)))))),
    (r.notes || []).length ? h('ul', { class: 'notes' }, r.notes.map((n) => h('li', {}, n))) : null,
    db ? h('section', {}, h('h2', {}, 'Content for the duty base'),
      h('dl', { class: 'kv' },
        h('dt', {}, 'Transaction value'), h('dd', {}, money(db.transaction_value)),
        h('dt', {}, 'US content'), h('dd', { id: 'roo-us-content' }, `${pct(db.us_content_share)} (${money(db.us_content_value)})`),
        h('dt', {}, 'Non-US content'), h('dd', {}, `${pct(db.non_us_content_share)} (${money(db.non_us_content_value)})`),
        h('dt', {}, 'Canadian and Mexican content'), h('dd', {}, pct(db.ca_mx_content_share)),
        h('dt', {}, 'Usable for the autos 232'), h('dd', {}, db.usable ? 'yes' : 'no')),
      citations(db.citations)) : null,
  ];
}
