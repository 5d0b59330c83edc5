// Writes docs/dashboard.png, the README's screenshot: the balance as known on 2026-03-01 with the
// Supreme Court's IEEPA ruling selected, at a laptop size. Run against a running server:
//   QUID_BASE_URL=http://127.0.0.1:8080 node docs-screenshot.mjs
import path from 'node:path';
import os from 'node:os';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const base = process.env.QUID_BASE_URL || 'http://127.0.0.1:8080';
const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/dashboard.png');
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'quid-shot-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 760 },
});
try {
  const page = await context.newPage();
  await page.goto(`${base}/#/balance?as_known_on=2026-03-01`);
  const marker = page.locator('#balance-chart .move-marker.status-struck_down[data-date="2026-02-24"]');
  await marker.waitFor();
  await marker.locator('circle').click();
  await page.locator('#move-title').waitFor();
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
