#!/usr/bin/env bash
# Browser end-to-end tests: build the frontend, let Playwright start the backend
# that serves it (playwright.config.ts), and drive the system's Chromium.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
source "$ROOT/scripts/env.sh"

chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "Chromium not found at $chromium. Install it (Debian: apt-get install -y chromium)" >&2
  echo "or point CHROMIUM_PATH at a Chromium/Chrome binary. No browser is downloaded." >&2
  exit 1
fi

echo "==> Building the frontend (packages/app)"
yarn workspace app build
echo "==> Running Playwright in $chromium"
yarn playwright test "$@"
