// Browser tests of the quid dashboard: a real headless Chromium (Debian's `chromium`, driven by
// playwright-core over CDP) loads the dashboard from a running `quid serve` on a free loopback
// port and uses it as a reader would. Expected figures come from the API's own JSON (the same
// report the CLI prints) or from golden cases of the repository, cited beside each assertion.
//
// Environment: QUID_BIN (default target/release/quid), CHROMIUM (default /usr/bin/chromium),
// QUID_BASE_URL (test a server already running instead of starting one).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const SHOTS = path.join(HERE, 'screenshots');
const LAPTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

let server = null;
let serverLog = '';
let base = process.env.QUID_BASE_URL || '';
let context = null;
let workDir = null;
const pageErrors = [];
const foreignRequests = [];

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls /api/v1/health until it answers ok; fails with the server's output if it exits. */
async function waitHealthy(url, tries = 600) {
  for (let i = 0; i < tries; i++) {
    if (server && server.exitCode !== null) throw new Error(`quid serve exited with ${server.exitCode}:\n${serverLog}`);
    try {
      const r = await fetch(`${url}/api/v1/health`);
      if (r.ok) {
        const h = await r.json();
        assert.equal(h.status, 'ok');
        return;
      }
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`quid serve did not answer /api/v1/health at ${url}:\n${serverLog}`);
}

async function api(p, init) {
  const r = await fetch(`${base}/api/v1${p}`, init);
  assert.ok(r.ok, `${p}: HTTP ${r.status} ${await r.clone().text()}`);
  return r.json();
}

/** The moves drawn on the chart: dated and inside the report's period (chart.js chartedMoves). */
function charted(b) {
  return b.moves.filter((m) => m.date && m.date >= b.since && m.date <= b.until);
}

const bn = (x) => `${(Number(x) / 1e9).toFixed(1)} bn`;

before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quid-browser-'));
  if (!base) {
    const bin = process.env.QUID_BIN ? path.resolve(process.env.QUID_BIN) : path.join(ROOT, 'target/release/quid');
    assert.ok(fs.existsSync(bin), `no quid binary at ${bin}: cargo build --release first, or set QUID_BIN`);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(bin, ['serve', '--bind', `127.0.0.1:${port}`, '--database', path.join(workDir, 'quid.sqlite')], {
      cwd: ROOT,
      env: { ...process.env, QUID_DATA: path.join(ROOT, 'data') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.on('error', (e) => { serverLog += `cannot start ${bin}: ${e.message}\n`; });
    server.stdout.on('data', (d) => { serverLog += d; });
    server.stderr.on('data', (d) => { serverLog += d; });
  }
  await waitHealthy(base);
  context = await chromium.launchPersistentContext(path.join(workDir, 'profile'), {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: LAPTOP,
  });
});

after(async () => {
  await context?.close();
  if (server) {
    server.kill('SIGTERM');
    await new Promise((r) => (server.exitCode !== null ? r() : server.once('exit', r)));
  }
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

/** A new page that records console errors and uncaught exceptions. */
async function open(hash, viewport = LAPTOP) {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  page.on('pageerror', (e) => pageErrors.push(`${hash}: ${e.message}`));
  page.on('request', (r) => { if (!r.url().startsWith(`${base}/`) && !r.url().startsWith('data:')) foreignRequests.push(`${hash}: ${r.url()}`); });
  page.on('console', (m) => {
    // A 400 or 422 is the server refusing bad input on purpose (the tests send some); nothing else is.
    if (m.type() === 'error' && !/status of (400|422) /.test(m.text())) pageErrors.push(`${hash}: console: ${m.text()}`);
  });
  await page.goto(`${base}/${hash}`);
  return page;
}

test('the dashboard page and its assets are served by quid serve', async () => {
  const r = await fetch(`${base}/`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') || '', /text\/html/);
  const html = await r.text();
  assert.match(html, /<script type="module" src="\/assets\/js\/main.js">/);
  const js = await fetch(`${base}/assets/js/main.js`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type') || '', /javascript/);
});

test('balance chart: one marker per dated move, a click shows the move and its citations', async () => {
  const report = await api('/balance');
  const b = report.balance;
  const moves = charted(b);
  const page = await open('#/balance');
  await page.locator('#balance-chart .move-marker').first().waitFor();
  // One marker per move dated inside the period; the rest are listed under the chart.
  assert.equal(await page.locator('#balance-chart .move-marker').count(), moves.length);
  assert.equal(await page.locator('#undated-moves button').count(), b.moves.length - moves.length);
  assert.equal(await page.locator('#balance-chart path.line').count(), 2);
  // The summary figures are the report's, each a link to the moves behind it.
  for (const d of report.directions) {
    assert.equal(await page.locator(`#summary-${d.importer}-end`).textContent(), bn(d.at_end_usd));
    assert.match(await page.locator(`#summary-${d.importer}-end`).getAttribute('href'), new RegExp(`^#/ledger\\?party=${d.importer}$`));
  }
  // The concessions of each side: one row per category of the report ({category,
  // value_usd_per_year, moves}), in the report's order.
  for (const [party, rows] of [['CA', report.concessions_by_ca], ['US', report.concessions_by_us]]) {
    const shown = await page.locator(`#concessions-${party} tbody tr`).evaluateAll((rs) => rs.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    assert.deepEqual(shown, rows.map((r) => [r.category.replaceAll('_', ' '), bn(r.value_usd_per_year), String(r.moves)]), party);
  }
  // A known move: the US 25% IEEPA duty on Canadian goods of 2025-03-04 (EO 14193).
  const index = b.moves.findIndex((m) => m.date === '2025-03-04' && m.party === 'US' && m.kind === 'tariff_imposed' && /IEEPA/.test(m.title));
  assert.ok(index >= 0, 'the 2025-03-04 IEEPA move is in the balance');
  const mv = b.moves[index];
  const marker = page.locator(`#balance-chart .move-marker[data-index="${index}"]`);
  assert.equal(await marker.getAttribute('data-date'), '2025-03-04');
  assert.match(await marker.locator('title').textContent(), /IEEPA/);
  await marker.locator('circle').click();
  await page.locator('#move-title').waitFor();
  assert.equal(await page.locator('#move-title').textContent(), mv.title);
  assert.equal(await page.locator('#move-date').textContent(), '2025-03-04');
  assert.equal(await page.locator('#move-party').textContent(), 'United States');
  assert.match(await page.locator('#move-value').textContent(), new RegExp(`^\\+?${bn(mv.value_usd_per_year).replace('.', '\\.')} a year`));
  const links = page.locator('#move-details a.citation');
  assert.equal(await links.count(), mv.sources.length);
  assert.equal(await links.first().getAttribute('href'), mv.sources[0].url);
  assert.equal(await links.first().textContent(), mv.sources[0].title);
  assert.ok(await marker.evaluate((e) => e.classList.contains('selected')));
  await page.screenshot({ path: path.join(SHOTS, 'balance-laptop.png'), fullPage: true });
  // The US peak links to the US moves of its day: on 2025-03-04 (IEEPA 25% in force), the ledger
  // lists the entries of that day, every one American.
  const us = report.directions.find((d) => d.importer === 'US');
  await page.locator('#balance-summary .party-US a', { hasText: `${bn(us.peak_usd)} on ${us.peak_date}` }).click();
  await page.locator('#ledger-timeline > li').first().waitFor();
  const expected = await api(`/ledger?party=US&from=${us.peak_date}&to=${us.peak_date}`);
  const ids = await page.locator('#ledger-timeline > li').evaluateAll((ls) => ls.map((l) => l.dataset.id));
  assert.deepEqual(ids, expected.entries.map((e) => e.id));
  assert.ok(ids.length > 0);
  await page.close();
});

for (const [name, viewport] of [['laptop', LAPTOP], ['phone', PHONE]]) test(`balance chart (${name}): every move marker can be clicked and shows its own move`, async () => {
  const report = await api('/balance');
  const b = report.balance;
  const page = await open('#/balance', viewport);
  await page.locator('#balance-chart .move-marker').first().waitFor();
  const indices = await page.locator('#balance-chart .move-marker').evaluateAll((ms) => ms.map((m) => Number(m.dataset.index)));
  assert.deepEqual(indices, charted(b).map((m) => b.moves.indexOf(m)));
  for (const i of indices) {
    // A plain click (no force): fails if another marker or a stem covers this one.
    await page.locator(`#balance-chart .move-marker[data-index="${i}"] circle`).click({ timeout: 5000 });
    assert.equal(await page.locator('#move-title').textContent(), b.moves[i].title, `marker ${i}`);
  }
  await page.close();
});

test('as known on: replaying before and after the IEEPA ruling changes the balance', async () => {
  const before = await api('/balance?as_known_on=2026-02-19');
  const afterR = await api('/balance?as_known_on=2026-03-01');
  const page = await open('#/balance?as_known_on=2026-02-19');
  await page.locator('#balance-known-on', { hasText: '2026-02-19' }).waitFor();
  await page.locator('#balance-chart .move-marker').first().waitFor();
  const usBefore = before.directions.find((d) => d.importer === 'US');
  assert.equal(await page.locator('#summary-US-end').textContent(), bn(usBefore.at_end_usd));
  assert.equal(await page.locator('#balance-chart .move-marker').count(), charted(before.balance).length);
  const ruling = 'Supreme Court strikes down IEEPA tariffs (Learning Resources v. Trump)';
  assert.ok(!before.balance.moves.some((m) => m.title === ruling), 'the ruling is not known on 2026-02-19');
  assert.equal(await page.locator(`#balance-chart .move-marker[aria-label*="${ruling}"]`).count(), 0);
  // Switch the date with the control, as a reader would.
  await page.locator('#known-on').fill('2026-03-01');
  await page.locator('#known-on').dispatchEvent('change');
  await page.locator('#balance-known-on', { hasText: '2026-03-01' }).waitFor();
  await page.locator('#balance-chart .move-marker').first().waitFor();
  const usAfter = afterR.directions.find((d) => d.importer === 'US');
  assert.notEqual(bn(usAfter.at_end_usd), bn(usBefore.at_end_usd));
  assert.equal(await page.locator('#summary-US-end').textContent(), bn(usAfter.at_end_usd));
  assert.equal(await page.locator('#balance-chart .move-marker').count(), charted(afterR.balance).length);
  const struck = page.locator(`#balance-chart .move-marker[aria-label*="${ruling}"]`);
  assert.equal(await struck.count(), 1);
  assert.equal(await struck.getAttribute('data-date'), '2026-02-24');
  assert.match(page.url(), /as_known_on=2026-03-01/);
  await page.close();
});

test('duty form: a golden case gives the engine total with its layers and citations', async () => {
  // Golden case us-ca-car-2025-08-05-usmca-non-us-content in
  // crates/quid-engine/tests/golden/us_ca_autos.toml: a USMCA-qualifying Canadian car
  // (8703.23.01.60), value 40000, US content 40%, entered 2025-08-05: USMCA base Free; the autos
  // 232 at 25% on the non-US content 24000 under 9903.94.03 = 6000.00 (Proclamation 10908
  // clause 2; CBP CSMS # 65649652). Total 6000.00.
  const page = await open('#/duty');
  await page.locator('#duty-form').waitFor();
  await page.locator('#duty-importer').selectOption('US');
  await page.locator('#duty-origin').fill('CA');
  await page.locator('#duty-hts').fill('8703.23.01.60');
  await page.locator('#duty-value').fill('40000');
  await page.locator('#duty-date').fill('2025-08-05');
  await page.locator('#duty-usmca').check();
  await page.locator('#duty-us-content').fill('0.40');
  await page.locator('#duty-submit').click();
  await page.locator('#duty-total').waitFor();
  assert.equal(await page.locator('#duty-total').textContent(), '6,000.00');
  const layer = page.locator('#duty-layers tr#layer-0');
  const cells = await layer.locator('td').allTextContents();
  assert.match(cells[0], /^s232-autos/);
  assert.match(cells[1], /9903\.94\.03/);
  assert.match(cells[2], /^24,000\.00/);
  assert.equal(cells[3], '25%');
  assert.equal(cells[4], '6,000.00');
  const base = await page.locator('#duty-layers tr.base td').allTextContents();
  assert.match(base[0], /^usmca/);
  assert.equal(base[3], 'Free');
  assert.equal(base[4], '0.00');
  // The layer's citations are links (Proclamation 10908 in the Federal Register among them).
  const cites = page.locator('#duty-cites-0 a.citation');
  assert.ok(await cites.count() >= 1);
  const hrefs = await cites.evaluateAll((as) => as.map((a) => a.href));
  assert.ok(hrefs.some((u) => u.includes('federalregister.gov/documents/2025/04/03/2025-05930')), hrefs.join(' '));
  // IEEPA Canada is listed as not applied (displaced by the autos 232 or the USMCA claim).
  assert.match(await page.locator('ul.not-applied').textContent(), /ieepa-ca/);
  await page.screenshot({ path: path.join(SHOTS, 'duty-laptop.png'), fullPage: true });

  // A bad value is refused before it reaches the server, naming the field.
  await page.locator('#duty-value').fill('forty');
  await page.locator('#duty-submit').click();
  await page.locator('#duty-out .notice.error').waitFor();
  assert.match(await page.locator('#duty-out .notice.error').textContent(), /^Value:/);
  assert.equal(await page.locator('#duty-value').getAttribute('aria-invalid'), 'true');
  // A line the schedules do not have is refused by the engine; the reader sees its message.
  await page.locator('#duty-value').fill('40000');
  await page.locator('#duty-hts').fill('9999.99.99');
  await page.locator('#duty-submit').click();
  await page.locator('#duty-out .notice.error', { hasText: '9999.99.99' }).waitFor();
  assert.match(await page.locator('#duty-out .notice.error').textContent(),
    /^The engine refused the entry: .*9999\.99\.99.* \[[a-z_]+, HTTP 4\d\d\]$/);
  await page.close();
});

test('duty form: the IEEPA example shows the refundable amount (golden case)', async () => {
  // Golden case us-ca-car-2025-03-20-no-usmca-ieepa (crates/quid-engine/tests/golden/us_ca_autos.toml):
  // MFN 2.5% = 1000.00 + IEEPA Canada 25% = 10000.00; total 11000.00, owed after the ruling
  // 1000.00, refundable 10000.00 (Learning Resources, Inc. v. Trump).
  const page = await open('#/duty');
  await page.locator('button[data-example="1"]').click();
  await page.locator('#duty-total').waitFor();
  assert.equal(await page.locator('#duty-total').textContent(), '11,000.00');
  assert.equal(await page.locator('#duty-after').textContent(), '1,000.00');
  assert.equal(await page.locator('#duty-refundable').textContent(), '10,000.00');
  await page.close();
});

test('duty form: a Canadian entry with a quantity, in Canadian dollars (golden case)', async () => {
  // Golden case ca-us-broiler-chicks-2025-05-01-surtax-2025-1
  // (crates/quid-engine/tests/golden/ca_us_surtax.toml): 20000 US broiler chicks over access,
  // value for duty 10000, 2025-05-01, no CUSMA claim: MFN 238% = 23800.00 (above the minimum
  // 30.8 cents x 20000 = 6160.00) + the SOR/2025-66 surtax 25% = 2500.00; total 26300.00.
  const page = await open('#/duty');
  await page.locator('#duty-form').waitFor();
  await page.locator('#duty-importer').selectOption('CA');
  await page.locator('#duty-origin').fill('US');
  await page.locator('#duty-hts').fill('0105.11.22');
  await page.locator('#duty-value').fill('10000');
  await page.locator('#duty-quantity').fill('20000');
  await page.locator('#duty-unit').fill('no');
  await page.locator('#duty-date').fill('2025-05-01');
  await page.locator('#duty-submit').click();
  await page.locator('#duty-total').waitFor();
  assert.equal(await page.locator('#duty-total').textContent(), '26,300.00');
  assert.match(await page.locator('#duty-total').evaluate((e) => e.parentElement.textContent), /^C\$ 26,300\.00$/);
  const base = await page.locator('#duty-layers tr.base td').allTextContents();
  assert.match(base[0], /^ca-mfn/);
  assert.match(base[3], /^238 ?% but not less than 30\.8/);
  assert.equal(base[4], '23,800.00');
  const surtax = await page.locator('#duty-layers tr#layer-0 td').allTextContents();
  assert.match(surtax[0], /^ca-surtax-2025-1/);
  assert.match(surtax[1], /^SOR\/2025-66/);
  assert.equal(surtax[3], '25%');
  assert.equal(surtax[4], '2,500.00');
  // A quantity without its unit is refused in the form, naming the field.
  await page.locator('#duty-unit').fill('');
  await page.locator('#duty-submit').click();
  await page.locator('#duty-out .notice.error').waitFor();
  assert.match(await page.locator('#duty-out .notice.error').textContent(), /^Unit:/);
  assert.equal(await page.locator('#duty-unit').getAttribute('aria-invalid'), 'true');
  await page.close();
});

test('rules of origin: a bundled example gives its verdict and each test with its margin', async () => {
  // crates/quid-roo/tests/golden.csv (worked by hand in crates/quid-roo/tests/examples.rs): the
  // compact car assembled in Mexico (data/roo/examples/compact_mx.toml) on 2026-03-01 has
  // regional value content 0.72 against 0.75 (margin -0.03, fails: Automotive Appendix Art. 3.1)
  // and passes core parts 0.8/0.75 and labour value content 0.41/0.40; on 2022-07-01 the
  // threshold was 0.72 and the same 0.72 passes with margin 0. Core parts are two alternative
  // tests (group "core parts"): each part (the transmission, non-originating, is at 0 against
  // 0.75) or the super-core average 8000 / 10000 = 0.8; the group is met by the average, so the
  // failed each-part test is shown as an alternative, not as a failure of the vehicle.
  const examples = await api('/roo/examples');
  const list = Array.isArray(examples) ? examples : (examples.examples || []);
  const i = list.findIndex((x) => x.name === 'compact_mx');
  assert.ok(i >= 0, 'the compact_mx example is listed');
  const page = await open('#/roo');
  await page.locator(`#roo-example option[value="${i}"]`).waitFor({ state: 'attached' });
  await page.locator('#roo-example').selectOption(String(i));
  assert.match(await page.locator('#roo-bom').inputValue(), /name = "Illustrative compact car, assembled in Mexico/);
  await page.locator('#roo-date').fill('2026-03-01');
  await page.locator('#roo-submit').click();
  await page.locator('#roo-out[data-source="check"] #roo-verdict').waitFor();
  assert.equal(await page.locator('#roo-verdict').getAttribute('data-verdict'), 'does_not_qualify');
  assert.match(await page.locator('#roo-verdict').textContent(), /on 2026-03-01/);
  const failed = await page.locator('#roo-tests tr.fail').evaluateAll((rs) => rs.map((r) => r.dataset.test));
  assert.deepEqual(failed, ['regional value content (net cost)']);
  const row = async (name) => page.locator(`#roo-tests tr[data-test="${name}"] td`).allTextContents();
  const rvc = await row('regional value content (net cost)');
  assert.deepEqual(rvc.slice(1, 5), ['72.0%', '75.0%', '-3.0 pts', 'fail']);
  assert.match(rvc[5], /Art\. 3\.1/);
  assert.deepEqual((await row('core parts: super-core average')).slice(1, 5), ['80.0%', '75.0%', '+5.0 pts', 'pass']);
  assert.deepEqual((await row('core parts: each part')).slice(1, 5), ['0.0%', '75.0%', '-75.0 pts', 'not met; alternative passes']);
  assert.deepEqual(await page.locator('#roo-tests tr[data-group="core parts"]').evaluateAll((rs) => rs.map((r) => [r.dataset.test, r.className])),
    [['core parts: each part', 'alternative'], ['core parts: super-core average', 'pass']]);
  assert.deepEqual((await row('labour value content')).slice(1, 5), ['41.0%', '40.0%', '+1.0 pts', 'pass']);
  await page.screenshot({ path: path.join(SHOTS, 'roo-laptop.png'), fullPage: true });

  // The same bill under the 2022-07-01 threshold (72%): regional value content passes at margin 0.
  await page.locator('#roo-date').fill('2022-07-01');
  await page.locator('#roo-submit').click();
  await page.locator('#roo-out[data-source="check"] #roo-verdict', { hasText: 'on 2022-07-01' }).waitFor();
  assert.deepEqual((await row('regional value content (net cost)')).slice(1, 5), ['72.0%', '72.0%', '+0.0 pts', 'pass']);

  // The same bill pasted as JSON (data/roo/examples/compact_mx.toml written out by hand): the
  // non-originating materials are the transmission 2000, the wheels 1600 and the harness 2000,
  // VNM 5600, so RVC = (20000 - 5600) / 20000 = 0.72 against 0.75 on 2026-03-01.
  const component = (hs, description, value, origin, originating, category) => ({ hs, description, value, origin, originating, category });
  const bom = {
    name: 'Compact car pasted as JSON', class: 'passenger', assembly: 'MX', hts: '8703.22.01.00',
    net_cost: 20000, transaction_value: 23000, other_costs: 4000,
    labour: { high_wage_spend: 5200, wage_bill: 1800000, hours: 100000, technology_credit: 0.10, assembly_credit: 0.05 },
    metals: { steel: 2000, steel_north_american: 1500, aluminum: 800, aluminum_north_american: 600 },
    component: [
      component('8407.33', 'gasoline engine', 4000, 'MX', true, 'core'),
      component('8708.40', 'transmission', 2000, 'other', false, 'core'),
      component('8708.29', 'body stampings', 3000, 'MX', true, 'core'),
      component('8708.80', 'suspension', 1000, 'US', true, 'core'),
      component('8708.70', 'wheels', 1600, 'other', false, 'principal'),
      component('8544.30', 'wiring harness', 2000, 'other', false, 'complementary'),
      component('9401.20', 'seats', 1400, 'MX', true, 'principal'),
      component('8708.30', 'brakes', 1000, 'US', true, 'complementary'),
    ],
  };
  await page.locator('#roo-bom').fill(JSON.stringify(bom, null, 2));
  await page.locator('#roo-date').fill('2026-03-01');
  await page.locator('#roo-submit').click();
  await page.locator('#roo-out[data-source="check"] #roo-verdict', { hasText: 'Compact car pasted as JSON' }).waitFor();
  assert.equal(await page.locator('#roo-verdict').getAttribute('data-verdict'), 'does_not_qualify');
  assert.deepEqual((await row('regional value content (net cost)')).slice(1, 5), ['72.0%', '75.0%', '-3.0 pts', 'fail']);

  // A bill that is not TOML is refused with the server's message, not a crash.
  await page.locator('#roo-bom').fill('this is not a bill');
  await page.locator('#roo-submit').click();
  await page.locator('#roo-out[data-source="error"] .notice.error').waitFor();
  assert.match(await page.locator('#roo-out .notice.error').textContent(), /^The bill could not be checked: .+\[[a-z_]+, HTTP 4\d\d\]/);
  await page.close();
});

test('ledger: the timeline filters by party', async () => {
  const page = await open('#/ledger');
  await page.locator('#ledger-timeline > li').first().waitFor();
  const all = await page.locator('#ledger-timeline > li').count();
  const known = await api('/ledger');
  assert.equal(all, known.entries.length);
  // Each step waits for the count of the new list ("n of m entries"), never for the old one.
  const ca = await api('/ledger?party=CA');
  await page.locator('#ledger-filters select[name=party]').selectOption('CA');
  await page.locator('#ledger-count', { hasText: `${ca.entries.length} of ${known.entries.length} entries` }).waitFor();
  const parties = await page.locator('#ledger-timeline > li').evaluateAll((ls) => ls.map((l) => l.dataset.party));
  assert.ok(parties.length > 0 && parties.length < all, `${parties.length} of ${all}`);
  assert.deepEqual([...new Set(parties)], ['CA']);
  // Kind, then text: the US entries with a struck-down move, then those naming the ruling's case.
  const usAll = await api('/ledger?party=US');
  await page.locator('#ledger-filters select[name=party]').selectOption('US');
  await page.locator('#ledger-count', { hasText: `${usAll.entries.length} of ${known.entries.length} entries` }).waitFor();
  const struck = await api('/ledger?party=US&kind=struck_down');
  await page.locator('#ledger-filters select[name=kind]').selectOption('struck_down');
  await page.locator('#ledger-count', { hasText: `${struck.entries.length} of ${known.entries.length} entries` }).waitFor();
  assert.match(page.url(), /party=US&kind=struck_down/);
  assert.ok(struck.entries.length > 0);
  const ids = await page.locator('#ledger-timeline > li').evaluateAll((ls) => ls.map((l) => l.dataset.id));
  assert.deepEqual(ids, struck.entries.map((e) => e.id));
  for (const kinds of await page.locator('#ledger-timeline > li').evaluateAll((ls) => ls.map((l) => l.dataset.kinds))) {
    assert.ok(kinds.split(' ').includes('struck_down'), kinds);
  }
  const text = await api('/ledger?party=US&kind=struck_down&q=Learning%20Resources');
  await page.locator('#ledger-filters input[name=q]').fill('Learning Resources');
  await page.locator('#ledger-filters button[type=submit]').click();
  await page.waitForURL(/q=Learning/);
  await page.locator('#ledger-count', { hasText: `${text.entries.length} of ${known.entries.length} entries` }).waitFor();
  assert.deepEqual(await page.locator('#ledger-timeline > li').evaluateAll((ls) => ls.map((l) => l.dataset.id)), text.entries.map((e) => e.id));
  assert.ok(text.entries.length >= 1 && text.entries.length <= struck.entries.length);
  await page.close();
});

test("sectors: each sector at the end of the period is the report's last point", async () => {
  const report = await api('/balance');
  const page = await open('#/sectors');
  await page.locator('#sectors-US table tbody tr').first().waitFor();
  for (const imp of ['US', 'CA']) {
    const series = report.sectors.filter((x) => x.importer === imp);
    const rows = page.locator(`#sectors-${imp} table tbody tr`);
    assert.equal(await rows.count(), series.length);
    for (const x of series) {
      const cells = await page.locator(`#sectors-${imp} tr[data-sector="${x.sector}"] td`).allTextContents();
      assert.equal(cells[1], bn(x.points[x.points.length - 1].usd_per_year), `${imp} ${x.sector}`);
    }
    // One line per sector above US$ 0.1 bn a year at some date.
    const drawn = series.filter((x) => x.points.some((p) => p.usd_per_year > 1e8)).length;
    assert.equal(await page.locator(`#sectors-${imp} svg path.line`).count(), drawn);
  }
  await page.screenshot({ path: path.join(SHOTS, 'sectors-laptop.png'), fullPage: true });
  await page.close();
});

test("a move's ledger entry opens from the balance with its citations", async () => {
  const report = await api('/balance?as_known_on=2026-03-01');
  const mv = report.balance.moves.find((m) => m.kind === 'struck_down');
  const entry = await api(`/ledger/${encodeURIComponent(mv.announcement)}?as_known_on=2026-03-01`);
  const page = await open('#/balance?as_known_on=2026-03-01');
  const marker = page.locator(`#balance-chart .move-marker[data-index="${report.balance.moves.indexOf(mv)}"]`);
  await marker.locator('circle').click();
  await page.locator('#move-details a', { hasText: `Ledger entry ${mv.announcement}` }).click();
  await page.locator('#ledger-entry').waitFor();
  assert.match(page.url(), new RegExp(`#/ledger\\?as_known_on=2026-03-01&id=${mv.announcement}$`));
  assert.equal(await page.locator('#ledger-entry h2').textContent(), entry.title);
  const hrefs = await page.locator('#ledger-entry a.citation').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(hrefs, entry.sources.map((s) => s.url).filter(Boolean));
  await page.close();
});

test('scenarios: two bundled scenarios side by side', async () => {
  const page = await open('#/scenarios');
  await page.locator('#scenario-form input[value="canada_ask"]').waitFor();
  await page.locator('#scenario-form input[value="canada_ask"]').check();
  await page.locator('#scenario-form input[value="back_to_2024"]').check();
  await page.locator('#scenario-compare').click();
  await page.locator('#scenario-table').waitFor({ timeout: 120000 });
  const heads = await page.locator('#scenario-table th.scenario-name').allTextContents();
  assert.equal(heads.length, 2);
  // The names are the scenarios' own (data/scenarios/canada_ask.toml and back_to_2024.toml).
  assert.ok(heads.some((x) => x.startsWith("Canada's ask: US Section 232 on steel, aluminum and autos lifted for Canada")), heads.join(' | '));
  assert.ok(heads.some((x) => x === 'Both sides back to 2024'), heads.join(' | '));
  // Each scenario's chart: the baseline and the package both ways (four lines), the package's start marked.
  const compare = await api('/scenarios/compare?names=back_to_2024,canada_ask');
  const charts = page.locator('#scenario-table .scenario-chart svg');
  assert.equal(await charts.count(), 2);
  for (let i = 0; i < 2; i++) {
    assert.equal(await charts.nth(i).locator('path.line').count(), compare[i].chart.series.length);
    assert.equal(await charts.nth(i).locator('line.event').count(), compare[i].chart.markers.length);
  }
  await page.screenshot({ path: path.join(SHOTS, 'scenarios-laptop.png'), fullPage: true });
  await page.close();
});

test('phone viewport: the balance and the duty form fit the screen', async () => {
  const page = await open('#/balance', PHONE);
  await page.locator('#balance-chart .move-marker').first().waitFor();
  // Nothing wider than the screen (no horizontal scrolling of the page).
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(overflow, 0);
  const svgWidth = await page.locator('#balance-chart svg').evaluate((e) => e.getBoundingClientRect().width);
  assert.ok(svgWidth <= PHONE.width, `chart ${svgWidth}px on a ${PHONE.width}px screen`);
  await page.screenshot({ path: path.join(SHOTS, 'balance-phone.png') });
  // Markers are close together on a small screen: reach one with the keyboard (focus, Enter).
  const report = await api('/balance');
  const index = report.balance.moves.findIndex((m) => m.kind === 'struck_down');
  assert.ok(index >= 0, 'the IEEPA ruling is a move of the latest balance');
  await page.locator(`#balance-chart .move-marker[data-index="${index}"]`).focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('#move-title').textContent(), report.balance.moves[index].title);
  await page.screenshot({ path: path.join(SHOTS, 'balance-phone-move.png') });
  await page.goto(`${base}/#/duty`);
  await page.locator('button[data-example="0"]').click();
  await page.locator('#duty-total').waitFor();
  assert.equal(await page.locator('#duty-total').textContent(), '6,000.00');
  // Each layer is a card on a phone: its amount is on the screen, not in a scrolled-off column.
  const amount = page.locator('#duty-layers tr#layer-0 td[data-label="Amount"]');
  assert.equal(await amount.textContent(), '6,000.00');
  const box = await amount.boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width, JSON.stringify(box));
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0);
  await page.screenshot({ path: path.join(SHOTS, 'duty-phone.png'), fullPage: true });
  await page.close();
});

test('no script error on any page', () => {
  assert.deepEqual(pageErrors, []);
});

test('every request of every page went to quid serve (the dashboard works offline: no CDN, no web font)', () => {
  assert.deepEqual(foreignRequests, []);
});
