// Unit tests of the dashboard's pure helpers, in node without a browser: numbers read from JSON
// numbers or decimal strings (the API may send either), the formats shown to readers, the moves
// drawn on the chart, and the rules-of-origin request body.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { num, apiUrl } from '../../crates/quid-server/assets/js/api.js';
import { bn, money, pct, pts, day } from '../../crates/quid-server/assets/js/format.js';
import { chartedMoves, pair } from '../../crates/quid-server/assets/js/chart.js';
import { requestBody, standings } from '../../crates/quid-server/assets/js/roo.js';

test('numbers are read from JSON numbers and decimal strings alike', () => {
  assert.equal(num('6000.00'), 6000);
  assert.equal(num(6000), 6000);
  assert.equal(num('-0.03'), -0.03);
  assert.equal(num('45391786339.30124'), 45391786339.30124);
  assert.equal(num(null), null);
  assert.equal(num(undefined), null);
  assert.equal(num(''), null);
  assert.equal(num('not a number'), null);
});

test('figures are formatted the same from a number or a string', () => {
  // 45,391,786,339.30 US$ a year (the US burden on Canada at the end as known on 2026-02-19).
  assert.equal(bn('45391786339.30124'), '45.4 bn');
  assert.equal(bn(45391786339.30124), '45.4 bn');
  assert.equal(bn(79253878138.9, true), '+79.3 bn');
  assert.equal(bn(-27146006033.634, true), '-27.1 bn');
  assert.equal(bn(null), '—');
  assert.equal(money('6000.00'), '6,000.00');
  assert.equal(money(6000), '6,000.00');
  assert.equal(money('24000.00'), '24,000.00');
  assert.equal(money('0'), '0.00');
  assert.equal(pct('0.72'), '72.0%');
  assert.equal(pct(0.293478), '29.3%');
  assert.equal(pts('-0.03'), '-3.0 pts');
  assert.equal(pts('0'), '+0.0 pts');
});

test('dates count whole days in UTC', () => {
  assert.equal(day('2026-03-01') - day('2026-02-19'), 10);
  assert.equal(day('2025-01-01') - day('2024-12-31'), 1);
});

test('the chart marks the dated moves inside the period, and only those', () => {
  const balance = {
    since: '2025-01-01',
    until: '2026-02-24',
    moves: [
      { date: null, title: 'a threat' },
      { date: '2025-03-04', title: 'IEEPA 25%' },
      { date: '2026-02-24', title: 'struck down' },
      { date: '2027-01-01', title: 'after the period' },
      { date: '2024-12-17', title: 'before the period' },
    ],
  };
  assert.deepEqual(chartedMoves(balance).map((x) => x.index), [1, 2]);
});

test('a pasted bill goes as JSON when it is JSON, else as TOML', () => {
  assert.deepEqual(requestBody('{"name": "x", "net_cost": 20000}', '2026-03-01'),
    { body: { bom: { name: 'x', net_cost: 20000 }, date: '2026-03-01' } });
  assert.deepEqual(requestBody('name = "x"\nnet_cost = 20000\n', ''),
    { body: { bom_toml: 'name = "x"\nnet_cost = 20000\n' } });
  assert.match(requestBody('{"name": ', '').error, /not valid JSON/);
});

test('a point is read from a named object or a [date, value] pair', () => {
  // A balance sector point ({date, usd_per_year}), a general {date, value}, a chart pair.
  assert.deepEqual(pair({ date: '2026-02-19', usd_per_year: 45391786339.30124 }), ['2026-02-19', 45391786339.30124]);
  assert.deepEqual(pair({ date: '2025-03-04', value: '79.3' }), ['2025-03-04', 79.3]);
  assert.deepEqual(pair(['2025-01-01', 0]), ['2025-01-01', 0]);
  assert.deepEqual(pair(['2025-01-01', '12.5']), ['2025-01-01', 12.5]);
});

test('tests of one group are alternatives: a failed one is not a failure when another passes', () => {
  // The compact car on 2026-03-01 (crates/quid-roo/tests/golden.csv): core parts each part fails
  // (the transmission at 0 against 0.75), the super-core average 0.8 passes; RVC 0.72 fails alone.
  const tests = [
    { name: 'regional value content (net cost)', passed: false, group: null },
    { name: 'core parts: each part', passed: false, group: 'core parts' },
    { name: 'core parts: super-core average', passed: true, group: 'core parts' },
  ];
  assert.deepEqual(standings(tests).map((s) => s.cls), ['fail', 'alternative', 'pass']);
  // With both alternatives failed, the group fails.
  tests[2].passed = false;
  assert.deepEqual(standings(tests).map((s) => s.cls), ['fail', 'fail', 'fail']);
});

test('API addresses leave out empty parameters', () => {
  assert.equal(apiUrl('/balance', { as_known_on: '' }), '/api/v1/balance');
  assert.equal(apiUrl('/ledger', { party: 'CA', kind: '', q: 'surtax 2025' }), '/api/v1/ledger?party=CA&q=surtax+2025');
});
