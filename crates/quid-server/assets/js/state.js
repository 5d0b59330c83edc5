// The dashboard's shared state: the "as known on" date, the route, and the balance report cache
// (one request per date, shared by the balance, sector and ledger views).
import { getJson } from './api.js';

const cache = new Map();

export const state = {
  /** YYYY-MM-DD or '' for the server's default (today). */
  knownOn: '',
  view: 'balance',
  /** Query parameters of the route (#/ledger?party=US). */
  params: new URLSearchParams(),
};

/** The balance report as known on the current date. */
export function balance() {
  const k = state.knownOn;
  if (!cache.has(k)) {
    const p = getJson('/balance', { as_known_on: k });
    p.catch(() => cache.delete(k));
    cache.set(k, p);
  }
  return cache.get(k);
}

/** A route link keeping the as-known-on date: route('ledger', {party: 'US'}). */
export function route(view, params) {
  const q = new URLSearchParams();
  if (state.knownOn) q.set('as_known_on', state.knownOn);
  for (const [k, v] of Object.entries(params || {})) if (v) q.set(k, v);
  const qs = q.toString();
  return `#/${view}${qs ? `?${qs}` : ''}`;
}
