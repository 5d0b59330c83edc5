// The ledger view: the moves known on the as-known-on date as a timeline, filtered by party,
// kind and text, each with its citations; one entry in full when the route names an id.
import { h, fill, ext, citations, notice } from './dom.js';
import { getJson, apiUrl, num, ApiError } from './api.js';
import { bn, words } from './format.js';
import { balance, route, state } from './state.js';

const KINDS = ['tariff_imposed', 'tariff_raised', 'tariff_lowered', 'tariff_narrowed', 'tariff_removed',
  'tariff_suspended', 'struck_down', 'expired', 'threat', 'pledge', 'spending', 'tax_rescinded', 'non_tariff'];

/** One entry or move of the API (or of the balance report) in one shape. */
export function normalise(e) {
  return {
    id: e.id ?? e.announcement_id ?? e.announcement ?? '',
    date: e.date ?? e.effective ?? e.implemented ?? null,
    recorded: e.recorded ?? e.announced ?? null,
    party: e.party ?? '',
    kind: String(e.kind ?? '').toLowerCase(),
    status: String(e.status ?? '').toLowerCase(),
    title: e.title ?? e.headline ?? (typeof e.announcement === 'string' && e.id ? e.announcement : '') ?? '',
    value: num(e.value_usd_per_year),
    citations: e.citations ?? e.sources ?? [],
    measures: Array.isArray(e.measures) ? e.measures : e.measures ? String(e.measures).split(/[;,]\s*/) : [],
    moves: e.moves ?? null,
  };
}

function listOf(body) {
  if (Array.isArray(body)) return body;
  for (const k of ['entries', 'moves', 'items', 'ledger']) if (Array.isArray(body?.[k])) return body[k];
  return [];
}

/** Client-side filter (also applied to what the server filtered: the same rule twice is harmless). */
function matches(e, f) {
  if (f.party && e.party !== f.party) return false;
  if (f.kind && e.kind !== f.kind) return false;
  if (f.q) {
    const t = `${e.id} ${e.title} ${e.measures.join(' ')} ${e.citations.map((c) => c.title).join(' ')}`.toLowerCase();
    if (!t.includes(f.q.toLowerCase())) return false;
  }
  return true;
}

async function load(f) {
  try {
    const body = await getJson('/ledger', { as_known_on: state.knownOn, party: f.party, kind: f.kind, q: f.q });
    const list = listOf(body).map(normalise);
    return { list, source: apiUrl('/ledger', { as_known_on: state.knownOn, party: f.party, kind: f.kind, q: f.q }) };
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 404) throw e;
    // A server without the ledger route: the moves of the balance report, the same ledger.
    const r = await balance();
    return { list: r.balance.moves.map(normalise), source: apiUrl('/balance', { as_known_on: state.knownOn }) };
  }
}

export async function show(root, st) {
  const f = { party: st.params.get('party') || '', kind: st.params.get('kind') || '', q: st.params.get('q') || '' };
  const id = st.params.get('id');
  const form = h('form', { class: 'filters', id: 'ledger-filters', role: 'search' },
    h('label', {}, 'Party ', h('select', { name: 'party' },
      [['', 'Both'], ['US', 'United States'], ['CA', 'Canada']].map(([v, t]) => h('option', { value: v, selected: v === f.party }, t)))),
    h('label', {}, 'Kind ', h('select', { name: 'kind' },
      h('option', { value: '' }, 'Any'), KINDS.map((k) => h('option', { value: k, selected: k === f.kind }, words(k))))),
    h('label', { class: 'grow' }, 'Text ', h('input', { type: 'search', name: 'q', value: f.q, placeholder: 'title, measure, source' })),
    h('button', { type: 'submit' }, 'Filter'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const d = new FormData(form);
    location.hash = route('ledger', { party: d.get('party'), kind: d.get('kind'), q: d.get('q') });
  });
  for (const sel of form.querySelectorAll('select')) sel.addEventListener('change', () => form.requestSubmit());
  const out = h('div', { id: 'ledger-out' }, notice('info', 'Loading the ledger…'));
  fill(root, h('h1', {}, 'The ledger'),
    h('p', { class: 'sub' }, 'Every move of either side, dated and cited, as known on ',
      h('strong', {}, st.knownOn || 'today'), '.'),
    form, out);
  if (id) {
    await showOne(out, id);
    return;
  }
  let got;
  try {
    got = await load(f);
  } catch (e) {
    fill(out, notice('error', `The ledger could not be loaded: ${e instanceof ApiError ? e.describe() : e.message}`));
    return;
  }
  const list = got.list.filter((e) => matches(e, f));
  list.sort((a, b) => String(a.date || '9999').localeCompare(String(b.date || '9999')));
  fill(out,
    h('p', { class: 'muted', id: 'ledger-count' }, `${list.length} moves`, ' · ', ext(got.source, 'JSON')),
    h('ol', { class: 'timeline', id: 'ledger-timeline' }, list.map(item)));
}

function item(e) {
  return h('li', { class: `entry party-${e.party}`, 'data-id': e.id, 'data-party': e.party, 'data-kind': e.kind },
    h('div', { class: 'when' }, e.date || h('span', { class: 'muted' }, 'no date')),
    h('div', { class: 'what' },
      h('p', { class: 'head' },
        h('span', { class: `badge party-${e.party}` }, e.party),
        h('span', { class: 'tag' }, words(e.kind)),
        h('span', { class: 'tag' }, words(e.status)),
        e.value !== null ? h('span', { class: 'value' }, `${bn(e.value, true)}/yr`) : null),
      h('p', { class: 'title' }, h('a', { href: route('ledger', { id: e.id }) }, e.title || e.id)),
      e.citations.length ? h('details', {}, h('summary', {}, `${e.citations.length} citations`), citations(e.citations)) : null));
}

async function showOne(out, id) {
  let e;
  let moves = [];
  try {
    const body = await getJson(`/ledger/${encodeURIComponent(id)}`, { as_known_on: state.knownOn });
    const entry = body.entry ?? body;
    e = normalise(entry);
    moves = listOf(body.moves ?? entry.moves ?? []).map(normalise);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404) {
      fill(out, notice('error', `The entry could not be loaded: ${err instanceof ApiError ? err.describe() : err.message}`));
      return;
    }
    const r = await balance();
    moves = r.balance.moves.filter((m) => m.announcement === id).map(normalise);
    if (!moves.length) {
      fill(out, notice('error', `No ledger entry ${id} as known on ${state.knownOn || 'today'}.`));
      return;
    }
    e = { ...moves[0], citations: moves.flatMap((m) => m.citations) };
  }
  fill(out,
    h('p', {}, h('a', { href: route('ledger') }, '← all moves')),
    h('article', { class: 'entry-full', id: 'ledger-entry' },
      h('h2', {}, e.title || id),
      h('p', {}, h('span', { class: `badge party-${e.party}` }, e.party), ' ', e.date || '', ' ', ext(apiUrl(`/ledger/${encodeURIComponent(id)}`), 'JSON')),
      moves.length ? h('ol', { class: 'timeline' }, moves.map(item)) : null,
      h('h3', {}, 'Citations'), citations(e.citations)));
}
