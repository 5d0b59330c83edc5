// The ledger view: the entries known on the as-known-on date as a timeline, filtered by party,
// kind, dates and text (GET /api/v1/ledger), each with its moves and citations; one entry in full
// when the route names an id (GET /api/v1/ledger/{id}).
import { h, fill, ext, citations, notice } from './dom.js';
import { getJson, apiUrl, ApiError } from './api.js';
import { words } from './format.js';
import { route, state } from './state.js';

const KINDS = ['tariff_imposed', 'tariff_raised', 'tariff_lowered', 'tariff_narrowed', 'tariff_removed',
  'tariff_suspended', 'struck_down', 'expired', 'threat', 'pledge', 'spending', 'tax_rescinded', 'non_tariff'];

/** The moves (interventions) of an entry. */
function movesOf(e) {
  const v = e.intervention ?? e.interventions ?? e.moves ?? [];
  return Array.isArray(v) ? v : [];
}

function item(e) {
  const moves = movesOf(e);
  return h('li', { class: `entry party-${e.party}`, 'data-id': e.id, 'data-party': e.party, 'data-kinds': moves.map((m) => m.kind).join(' ') },
    h('div', { class: 'when' }, e.announced || e.date || h('span', { class: 'muted' }, 'no date')),
    h('div', { class: 'what' },
      h('p', { class: 'head' }, h('span', { class: `badge party-${e.party}` }, e.party),
        moves.map((m) => h('span', { class: 'tag' }, `${words(m.kind)}${m.status ? ` · ${words(m.status)}` : ''}${m.implemented ? ` · in force ${m.implemented}` : ''}`))),
      h('p', { class: 'title' }, h('a', { href: route('ledger', { id: e.id }) }, e.title || e.id)),
      (e.sources || []).length ? h('details', {}, h('summary', {}, `${e.sources.length} citations`), citations(e.sources)) : null));
}

function filters(f) {
  const form = h('form', { class: 'filters', id: 'ledger-filters', role: 'search' },
    h('label', {}, 'Party ', h('select', { name: 'party' },
      [['', 'Both'], ['US', 'United States'], ['CA', 'Canada']].map(([v, t]) => h('option', { value: v, selected: v === f.party }, t)))),
    h('label', {}, 'Kind ', h('select', { name: 'kind' },
      h('option', { value: '' }, 'Any'), KINDS.map((k) => h('option', { value: k, selected: k === f.kind }, words(k))))),
    h('label', {}, 'From ', h('input', { type: 'date', name: 'from', value: f.from })),
    h('label', {}, 'To ', h('input', { type: 'date', name: 'to', value: f.to })),
    h('label', { class: 'grow' }, 'Text ', h('input', { type: 'search', name: 'q', value: f.q, placeholder: 'title, measure, note' })),
    h('button', { type: 'submit' }, 'Filter'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const d = new FormData(form);
    location.hash = route('ledger', Object.fromEntries(['party', 'kind', 'from', 'to', 'q'].map((k) => [k, d.get(k)])));
  });
  for (const sel of form.querySelectorAll('select')) sel.addEventListener('change', () => form.requestSubmit());
  return form;
}

export async function show(root, st) {
  const f = Object.fromEntries(['party', 'kind', 'from', 'to', 'q'].map((k) => [k, st.params.get(k) || '']));
  const id = st.params.get('id');
  const out = h('div', { id: 'ledger-out' }, notice('info', 'Loading the ledger…'));
  fill(root, h('h1', {}, 'The ledger'),
    h('p', { class: 'sub' }, 'Every announcement of either side with its moves, dated and cited, as known on ',
      h('strong', {}, st.knownOn || 'today'), '.'),
    filters(f), out);
  if (id) {
    await showOne(out, id);
    return;
  }
  const params = { as_known_on: state.knownOn, ...f };
  let body;
  try {
    body = await getJson('/ledger', params);
  } catch (e) {
    fill(out, notice('error', `The ledger could not be loaded: ${e instanceof ApiError ? e.describe() : e.message}`));
    return;
  }
  const list = Array.isArray(body) ? body : (body.entries || []);
  fill(out,
    h('p', { class: 'muted', id: 'ledger-count' },
      `${list.length} of ${body.known ?? list.length} entries known on ${body.as_known_on || state.knownOn || 'today'}`, ' · ', ext(apiUrl('/ledger', params), 'JSON')),
    h('ol', { class: 'timeline', id: 'ledger-timeline' }, list.map(item)));
}

async function showOne(out, id) {
  let e;
  try {
    e = await getJson(`/ledger/${encodeURIComponent(id)}`, { as_known_on: state.knownOn });
    e = e.entry ?? e;
  } catch (err) {
    fill(out, notice('error', `The entry could not be loaded: ${err instanceof ApiError ? err.describe() : err.message}`));
    return;
  }
  const moves = movesOf(e);
  fill(out,
    h('p', {}, h('a', { href: route('ledger') }, '← all entries')),
    h('article', { class: 'entry-full', id: 'ledger-entry' },
      h('h2', {}, e.title || id),
      h('p', {}, h('span', { class: `badge party-${e.party}` }, e.party), ` announced ${e.announced || '—'}, recorded ${e.recorded || '—'} · `,
        ext(apiUrl(`/ledger/${encodeURIComponent(id)}`, { as_known_on: state.knownOn }), 'JSON')),
      e.notes ? h('p', { class: 'small' }, e.notes) : null,
      h('h3', {}, 'Moves'),
      h('div', { class: 'scroll' }, h('table', { class: 'data' },
        h('thead', {}, h('tr', {}, ['Move', 'Kind', 'Status', 'In force', 'Removed', 'Measures'].map((t) => h('th', {}, t)))),
        h('tbody', {}, moves.map((m) => h('tr', {},
          h('td', {}, m.title || m.id), h('td', {}, words(m.kind)), h('td', {}, words(m.status)),
          h('td', {}, m.implemented || '—'), h('td', {}, m.removed || '—'),
          h('td', {}, (m.measures || []).map((x, i) => [i ? ', ' : '', ext(apiUrl(`/measures/${encodeURIComponent(x)}`), x)]))))))),
      h('h3', {}, 'Citations'), citations(e.sources),
      (e.wording || []).length ? [h('h3', {}, 'In their words'), e.wording.map((w) => h('blockquote', {}, `“${w.quote}” `, ext(w.source, `(${w.party})`)))] : null));
}
