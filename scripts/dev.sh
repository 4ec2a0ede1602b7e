#!/usr/bin/env bash
# One entry point for the README's commands: `npm start` / `npm test` land here.
# It provides Node 22 and Yarn when the machine lacks them, installs dependencies when
# the lockfile or a manifest changed, then runs the requested step.
#
#   scripts/dev.sh setup   Node 22 + Yarn + `yarn install`
#   scripts/dev.sh start   setup, then the AWS Backup emulator, backend and frontend (demo config)
#   scripts/dev.sh test    setup, then type check, lint, API reports, unit tests and browser tests
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/env.sh
source "$ROOT/scripts/env.sh"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

install_deps() {
  # Re-install only when a manifest or the lockfile changed since the last install.
  local stamp="$ROOT/node_modules/.backup-compliance-install"
  local sum
  sum=$(cat yarn.lock package.json packages/*/package.json plugins/*/package.json 2>/dev/null |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(require("crypto").createHash("sha256").update(s+process.version).digest("hex")))')
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
    return
  fi
  step "Installing dependencies (yarn install; a few minutes the first time)"
  if [ -n "${CI:-}" ]; then
    yarn install --immutable
  else
    yarn install
  fi
  echo "$sum" >"$stamp"
}

# The demo needs no AWS account: the emulator serves examples/aws-scenario.yaml
# on port 4599 for as long as `npm start` runs.
start_emulator() {
  local port=${EMULATOR_PORT:-4599}
  step "Starting the AWS Backup emulator on http://localhost:$port (examples/aws-scenario.yaml)"
  node --require @backstage/cli-node/config/nodeTransform.cjs \
    packages/aws-backup-emulator/src/cli.ts start \
    --scenario examples/aws-scenario.yaml --port "$port" &
  local pid=$!
  trap "kill $pid 2>/dev/null || true" EXIT
  for _ in $(seq 1 60); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "The AWS Backup emulator did not start (see the message above)." >&2
      exit 1
    fi
    if node -e "fetch('http://127.0.0.1:$port/_emulator/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; then
      return
    fi
    sleep 0.5
  done
  echo "The AWS Backup emulator did not answer on port $port within 30 s." >&2
  exit 1
}

case "${1:-}" in
setup)
  install_deps
  ;;
start)
  install_deps
  start_emulator
  step "Starting Backstage: frontend http://localhost:3000, backend http://localhost:7007"
  yarn dev
  ;;
test)
  install_deps
  step "Type check (tsc)"
  yarn tsc
  step "Lint"
  yarn lint --max-warnings 0
  step "API reports (a change to a package's public API must show in its report.api.md)"
  yarn test:api-reports
  step "Unit tests (Jest)"
  if [ -z "${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-}" ]; then
    # Without a server, Backstage's TestDatabases would look for Docker.
    echo "Database tests run on SQLite only. For PostgreSQL too, point"
    echo "BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING at a server (.ci/run starts one)."
    export BACKSTAGE_TEST_DISABLE_DOCKER=1
  fi
  CI=true yarn test:unit
  step "Browser end-to-end tests (Chromium)"
  bash "$ROOT/scripts/e2e.sh"
  ;;
*)
  echo "usage: scripts/dev.sh setup|start|test" >&2
  exit 2
  ;;
esac
