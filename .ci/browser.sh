#!/usr/bin/env bash
# Browser tests of the quid dashboard (issue 15) in real headless Chromium.
#
# Installs Debian's `chromium` package and the tests' node dependencies (npm ci in tests/browser:
# playwright-core only, which drives the system Chromium and downloads no browser), builds the
# release binary (a no-op when it is up to date), then runs tests/browser/dashboard.test.mjs,
# which starts `quid serve` on a free loopback port. Fails when a test fails.
# Screenshots (laptop and phone) are written to tests/browser/screenshots/ for CI to keep.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_INCREMENTAL=0

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if [ ! -x /usr/bin/chromium ]; then
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium
fi
/usr/bin/chromium --version 2>/dev/null || true

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "browser tests: node (>= 20) and npm are needed" >&2
  exit 1
fi
node -e 'const m = +process.versions.node.split(".")[0]; if (m < 20) { console.error(`browser tests: node >= 20 needed, found ${process.versions.node}`); process.exit(1); }'

# Never `npx playwright install`: the tests use /usr/bin/chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
(cd tests/browser && npm ci --no-audit --no-fund)

cargo build --release --locked -p quid

mkdir -p tests/browser/screenshots
cd tests/browser
QUID_BIN=../../target/release/quid CHROMIUM=/usr/bin/chromium npm test
