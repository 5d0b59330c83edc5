// Entry point: routes (#/view?as_known_on=...), the as-known-on control, and view rendering.
import { getJson } from './api.js';
import { state, route } from './state.js';
import { h, fill } from './dom.js';
import * as balanceView from './balance.js';
import * as ledgerView from './ledger.js';
import * as sectorsView from './sectors.js';
import * as dutyView from './duty.js';
import * as scenariosView from './scenarios.js';
import * as rooView from './roo.js';

const VIEWS = {
  balance: balanceView, ledger: ledgerView, sectors: sectorsView,
  duty: dutyView, scenarios: scenariosView, roo: rooView,
};
const DATED = new Set(['balance', 'ledger', 'sectors']);
let rendered = { view: null, key: null };

function parseRoute() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [name, qs] = raw.split('?');
  const params = new URLSearchParams(qs || '');
  state.view = VIEWS[name] ? name : 'balance';
  state.knownOn = params.get('as_known_on') || '';
  params.delete('as_known_on');
  state.params = params;
}

async function render() {
  parseRoute();
  document.getElementById('known-on').value = state.knownOn;
  for (const a of document.querySelectorAll('nav.tabs a')) {
    a.href = route(a.dataset.view);
    a.classList.toggle('active', a.dataset.view === state.view);
    if (a.dataset.view === state.view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  for (const [name] of Object.entries(VIEWS)) {
    document.getElementById(`view-${name}`).hidden = name !== state.view;
  }
  const key = `${DATED.has(state.view) ? state.knownOn : ''}|${state.params}`;
  if (rendered.view === state.view && rendered.key === key) return;
  rendered = { view: state.view, key };
  const root = document.getElementById(`view-${state.view}`);
  document.body.dataset.view = state.view;
  document.body.dataset.loading = 'true';
  try {
    await VIEWS[state.view].show(root, state);
  } finally {
    document.body.dataset.loading = 'false';
  }
}

function setKnownOn(d) {
  const q = new URLSearchParams(state.params);
  if (d) q.set('as_known_on', d);
  const qs = q.toString();
  location.hash = `#/${state.view}${qs ? `?${qs}` : ''}`;
}

function init() {
  const input = document.getElementById('known-on');
  input.addEventListener('change', () => setKnownOn(input.value));
  for (const b of document.querySelectorAll('[data-known-on]')) {
    b.addEventListener('click', () => setKnownOn(b.dataset.knownOn));
  }
  document.getElementById('known-on-form').addEventListener('submit', (e) => {
    e.preventDefault();
    setKnownOn(input.value);
  });
  window.addEventListener('hashchange', render);
  let t = null;
  window.addEventListener('resize', () => {
    clearTimeout(t);
    t = setTimeout(() => { for (const v of Object.values(VIEWS)) v.resize?.(); }, 150);
  });
  render();
  getJson('/health').then((hl) => {
    fill(document.getElementById('health'), h('span', {}, `quid ${hl.version || ''}`),
      hl.today ? ` · today ${hl.today}` : '', hl.known_until ? ` · ledger dated to ${hl.known_until}` : '');
  }).catch((e) => fill(document.getElementById('health'), `server: ${e.message}`));
}

init();
