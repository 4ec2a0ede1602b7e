#!/usr/bin/env bash
# `yarn release:local`: builds the plugin packages and publishes them to a local npm
# registry (Verdaccio, from npm) on a free port, with its storage in a temporary folder,
# so that a Backstage app can install them exactly as the README says
# (`yarn add @backup-compliance/...`) before anything is published for real.
#
#   scripts/release-local.sh            build, publish, then keep serving until Ctrl-C
#   scripts/release-local.sh --detach   build, publish, leave the registry running and
#                                       write its URL and pid to $RELEASE_LOCAL_STATE
#                                       (default .tools/release-local/), for scripts
#   scripts/release-local.sh --stop     stop a detached registry
#
# Nothing is ever published anywhere else: the registry serves only @backup-compliance/*
# and does not proxy to npmjs; apps reach it through a scope entry in their .yarnrc.yml.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/env.sh
source "$ROOT/scripts/env.sh"

VERDACCIO_VERSION=6.10.4
STATE=${RELEASE_LOCAL_STATE:-$ROOT/.tools/release-local}
PACKAGES=(
  @backup-compliance/backstage-plugin-common
  @backup-compliance/backstage-plugin-node
  @backup-compliance/backstage-plugin-backend
  @backup-compliance/backstage-plugin
  @backup-compliance/backstage-plugin-backend-module-tech-insights
  @backup-compliance/backstage-plugin-backend-module-notifications
)

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

stop_registry() {
  if [ -f "$STATE/pid" ]; then
    kill "$(cat "$STATE/pid")" 2>/dev/null || true
    rm -f "$STATE/pid"
  fi
}

mode=${1:-serve}
case "$mode" in
serve | --detach) ;;
--stop)
  stop_registry
  exit 0
  ;;
*)
  echo "usage: scripts/release-local.sh [--detach|--stop]" >&2
  exit 2
  ;;
esac

stop_registry
mkdir -p "$STATE"
storage=$(mktemp -d "${TMPDIR:-/tmp}/backup-compliance-registry.XXXXXX")

step "Verdaccio $VERDACCIO_VERSION (npm) into .tools/verdaccio"
verdaccio="$ROOT/.tools/verdaccio/node_modules/.bin/verdaccio"
if [ ! -x "$verdaccio" ] || ! grep -q "\"version\": \"$VERDACCIO_VERSION\"" "$ROOT/.tools/verdaccio/node_modules/verdaccio/package.json"; then
  npm install --prefix "$ROOT/.tools/verdaccio" --no-audit --no-fund "verdaccio@$VERDACCIO_VERSION" >/dev/null
fi

port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
registry="http://localhost:$port"
cat >"$storage/config.yaml" <<EOF
storage: $storage/storage
auth:
  htpasswd:
    file: $storage/htpasswd
    max_users: 10
# No uplinks: this registry holds our packages only, nothing is proxied.
packages:
  '@backup-compliance/*':
    access: \$all
    publish: \$authenticated
    unpublish: \$authenticated
  '**':
    access: \$all
log: { type: file, path: $storage/verdaccio.log, level: warn }
EOF

step "Starting the local registry on $registry (storage $storage)"
"$verdaccio" --config "$storage/config.yaml" --listen "127.0.0.1:$port" >"$storage/stdout.log" 2>&1 &
pid=$!
echo "$pid" >"$STATE/pid"
if [ "$mode" = serve ]; then
  trap 'kill $pid 2>/dev/null || true' EXIT
fi
for _ in $(seq 1 120); do
  if ! kill -0 "$pid" 2>/dev/null; then
    cat "$storage/stdout.log" >&2
    echo "The local registry did not start (log above)." >&2
    exit 1
  fi
  curl -sf "$registry/-/ping" >/dev/null && break
  sleep 0.5
done
curl -sf "$registry/-/ping" >/dev/null || {
  echo "The local registry did not answer on $registry within 60 s." >&2
  exit 1
}

# A user for publishing; Verdaccio answers with a token.
token=$(curl -sf -X PUT "$registry/-/user/org.couchdb.user:release" \
  -H 'content-type: application/json' \
  -d '{"name":"release","password":"release-local","email":"release@localhost"}' |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).token))')

step "Building the plugin packages (type declarations first)"
yarn tsc --incremental false
for pkg in "${PACKAGES[@]}"; do
  yarn workspace "$pkg" build
done

step "What each package holds (scripts/check-packs.mjs)"
node "$ROOT/scripts/check-packs.mjs"

step "Publishing to $registry"
for pkg in "${PACKAGES[@]}"; do
  # `yarn npm publish` runs prepack/postpack (backstage-cli: publishConfig, exports into
  # dist) and turns `workspace:^` into the published version.
  YARN_NPM_PUBLISH_REGISTRY="$registry" \
    YARN_NPM_REGISTRY_SERVER="$registry" \
    YARN_NPM_AUTH_TOKEN="$token" \
    YARN_UNSAFE_HTTP_WHITELIST=localhost \
    yarn workspace "$pkg" npm publish --access public
done

echo "$registry" >"$STATE/url"
# Yarn's global cache keeps archives by name and version: drop the ones of an earlier
# local release, or apps would install those instead of what was just published.
rm -f "$(yarn config get globalFolder)"/cache/@backup-compliance-backstage-plugin*
cat <<EOF

Published to $registry:
$(for pkg in "${PACKAGES[@]}"; do echo "  $pkg@$(node -p "require('./plugins/' + {
  '@backup-compliance/backstage-plugin-common': 'backup-compliance-common',
  '@backup-compliance/backstage-plugin-node': 'backup-compliance-node',
  '@backup-compliance/backstage-plugin-backend': 'backup-compliance-backend',
  '@backup-compliance/backstage-plugin': 'backup-compliance',
  '@backup-compliance/backstage-plugin-backend-module-tech-insights': 'backup-compliance-backend-module-tech-insights',
  '@backup-compliance/backstage-plugin-backend-module-notifications': 'backup-compliance-backend-module-notifications',
}['$pkg'] + '/package.json').version")"; done)

In your Backstage app, point the @backup-compliance scope at it and allow plain http to
localhost, then follow the README's install section:

  yarn config set npmScopes.backup-compliance.npmRegistryServer $registry
  yarn config set unsafeHttpWhitelist --json '["localhost"]'
  yarn config set npmPreapprovedPackages --json '["@backstage/*", "@backup-compliance/*"]'
  yarn --cwd packages/backend add @backup-compliance/backstage-plugin-backend
  yarn --cwd packages/app add @backup-compliance/backstage-plugin
EOF

if [ "$mode" = serve ]; then
  echo
  echo "Serving until Ctrl-C."
  wait "$pid"
fi
