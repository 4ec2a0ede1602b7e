#!/usr/bin/env bash
# The adopter test: install our packages into fresh Backstage apps exactly as the README's
# "Add the plugins to your Backstage app" section says, for each release in
# scripts/adopter/releases.json, and prove the API, the Backup tab, the overview card and
# the scorecard page work there. See the README's "The adopter test".
#
#   scripts/adopter-test.sh [BACKSTAGE_VERSION ...]   default: every release in the file
#
# ADOPTER_WORK=dir keeps the apps there (default: a temporary folder, removed on success).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/env.sh
source "$ROOT/scripts/env.sh"

step() { printf '\n\033[1m==> [adopter] %s\033[0m\n' "$*"; }
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
wait_http() { # url seconds pid
  for _ in $(seq 1 $(($2 * 2))); do
    if ! kill -0 "$3" 2>/dev/null; then return 1; fi
    if curl -sf "$1" >/dev/null; then return 0; fi
    sleep 0.5
  done
  return 1
}

# Runs an install command of the README, its output into a log. The registry's metadata
# can lag a release by minutes (YN0082 "No candidates found" for a version a new
# dependency asks for): then once more, with Yarn's metadata cache dropped.
install() { # log command
  local log=$1 from
  shift
  from=$(($(wc -c <"$log") + 1))
  eval "$*" >>"$log" 2>&1 && return 0
  # this command's output only: an earlier one's lag, retried already, is not this one's
  if tail -c "+$from" "$log" | grep -q YN0082; then
    echo "  the registry's metadata lagged (YN0082); once more with a fresh metadata cache"
    rm -rf "$(yarn config get globalFolder)/metadata"
    eval "$*" >>"$log" 2>&1 && return 0
  fi
  tail -40 "$log" >&2
  return 1
}

WORK=${ADOPTER_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/adopter.XXXXXX")}
mkdir -p "$WORK/shots"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  RELEASE_LOCAL_STATE="$WORK/registry" bash "$ROOT/scripts/release-local.sh" --stop
}
trap cleanup EXIT

mapfile -t releases < <(node -e '
  const { releases } = require("./scripts/adopter/releases.json");
  const wanted = process.argv.slice(1);
  for (const r of releases) if (!wanted.length || wanted.includes(r.backstage))
    console.log([r.backstage, r.createApp, r.asOf].join(" "));' "$@")
[ ${#releases[@]} -gt 0 ] || { echo "No such release in scripts/adopter/releases.json: $*" >&2; exit 2; }

step "The AWS Backup emulator (examples/aws-scenario.yaml)"
emulator_port=$(free_port)
node --require @backstage/cli-node/config/nodeTransform.cjs \
  packages/aws-backup-emulator/src/cli.ts start \
  --scenario examples/aws-scenario.yaml --port "$emulator_port" >"$WORK/emulator.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$emulator_port/_emulator/health" 60 "${pids[-1]}" ||
  { cat "$WORK/emulator.log" >&2; echo "The emulator did not start." >&2; exit 1; }

step "yarn release:local --detach: our packages into a local registry"
RELEASE_LOCAL_STATE="$WORK/registry" bash scripts/release-local.sh --detach >"$WORK/release-local.log" 2>&1 ||
  { tail -50 "$WORK/release-local.log" >&2; exit 1; }
registry=$(cat "$WORK/registry/url")
echo "registry: $registry"

readme() { node "$ROOT/scripts/adopter/apply-readme.mjs" "$@"; }

for line in "${releases[@]}"; do
  read -r backstage create_app as_of <<<"$line"
  dir="$WORK/backstage-$backstage"
  app="$dir/app"
  rm -rf "$dir" && mkdir -p "$dir"

  step "Backstage $backstage: a fresh app from @backstage/create-app@$create_app (and a legacy one)"
  (cd "$dir" && BACKSTAGE_APP_NAME=bank-portal npx --yes "@backstage/create-app@$create_app" --path app --skip-install) >"$dir/create-app.log" 2>&1 ||
    { cat "$dir/create-app.log" >&2; exit 1; }
  (cd "$dir" && BACKSTAGE_APP_NAME=bank-portal npx --yes "@backstage/create-app@$create_app" --legacy --path legacy --skip-install) >>"$dir/create-app.log" 2>&1 ||
    { cat "$dir/create-app.log" >&2; exit 1; }
  # The legacy frontend joins the same workspace, so one install serves both systems.
  cp -r "$dir/legacy/packages/app" "$app/packages/app-legacy"
  node -e 'const f=process.argv[1],p=require(f);p.name="app-legacy";require("fs").writeFileSync(f,JSON.stringify(p,null,2)+"\n")' "$app/packages/app-legacy/package.json"

  # Resolve as the release was: @backstage/* published after $as_of is held back (no
  # release manifest can be fetched here); everything else, our scope included, is
  # current. Our scope comes from the local registry.
  gate=$(( ( $(date +%s) - $(date -d "$as_of" +%s) ) / 60 ))
  node -e '
    const fs = require("fs"); const [file, gate, registry] = process.argv.slice(1);
    const kept = fs.readFileSync(file, "utf8").split("\n").filter(l =>
      !/^(npmMinimalAgeGate|npmPreapprovedPackages|  - )/.test(l)).join("\n").trimEnd();
    fs.writeFileSync(file, `${kept}
npmMinimalAgeGate: ${gate}
npmPreapprovedPackages: ["*", "@!(backstage)/*"]
npmScopes:
  backup-compliance:
    npmRegistryServer: "${registry}"
unsafeHttpWhitelist: [localhost]
enableTelemetry: false
`);' "$app/.yarnrc.yml" "$gate" "$registry"

  step "Backstage $backstage: the README's install section"
  cd "$app"
  echo "\$ $(readme print backend-add)"
  : >"$dir/install.log"
  install "$dir/install.log" "$(readme print backend-add)" || exit 1
  readme backend "$app" "http://localhost:$emulator_port"
  echo "\$ $(readme print frontend-add)"
  install "$dir/install.log" "$(readme print frontend-add)" || exit 1
  frontend_add_legacy=$(readme print frontend-add | sed 's#packages/app #packages/app-legacy #')
  echo "\$ $frontend_add_legacy"
  install "$dir/install.log" "$frontend_add_legacy" || exit 1
  readme legacy "$app/packages/app-legacy"

  step "Backstage $backstage: one copy of every @backstage package our plugins use"
  node "$ROOT/scripts/adopter/check-duplicates.mjs" "$app"
  yarn dedupe --check

  step "Backstage $backstage: yarn tsc, build the backend and both frontends"
  yarn tsc
  # build:backend builds the app it serves (packages/app) too, into the deployable bundle.
  yarn build:backend >"$dir/build.log" 2>&1 || { tail -40 "$dir/build.log" >&2; exit 1; }
  yarn workspace app-legacy build >>"$dir/build.log" 2>&1 || { tail -40 "$dir/build.log" >&2; exit 1; }
  # The built backend out of the bundle, run with the workspace's node_modules (what the
  # Dockerfile does, less the production-only install).
  tar xzf packages/backend/dist/bundle.tar.gz packages/backend/dist

  for frontend in app app-legacy; do
    step "Backstage $backstage: the built backend against the emulator, serving $frontend"
    port=$(free_port)
    # The test's own settings on top of the app's and the README's: its ports, the example
    # bank's catalog, the demo's named policies (the example entities name them), and guest
    # sign-in for the built (production-mode) backend.
    (cd "$ROOT" && node -e '
      const fs = require("fs"); const YAML = require("yaml");
      const [root, port, frontend, out] = process.argv.slice(1);
      const demo = YAML.parse(fs.readFileSync(`${root}/app-config.yaml`, "utf8"));
      const base = `http://localhost:${port}`;
      fs.writeFileSync(out, YAML.stringify({
        app: { baseUrl: base, packageName: frontend },
        backend: { baseUrl: base, listen: { port: Number(port) }, cors: { origin: base } },
        auth: { providers: { guest: { dangerouslyAllowOutsideDevelopment: true } } },
        catalog: { locations: [
          { type: "file", target: `${root}/examples/entities.yaml`, rules: [{ allow: ["Component", "System", "Domain"] }] },
          { type: "file", target: `${root}/examples/org.yaml`, rules: [{ allow: ["User", "Group"] }] },
        ] },
        backupCompliance: {
          schedule: { initialDelay: { seconds: 3 } },
          policies: demo.backupCompliance.policies,
          waivers: demo.backupCompliance.waivers,
        },
      }));' "$ROOT" "$port" "$frontend" "$dir/app-config.test.yaml")
    node packages/backend --config app-config.yaml --config app-config.backup-compliance.yaml \
      --config "$dir/app-config.test.yaml" >"$dir/backend-$frontend.log" 2>&1 &
    backend_pid=$!
    pids+=("$backend_pid")
    if ! (cd "$ROOT" && node scripts/adopter/check-backend.mjs "http://localhost:$port" "$backend_pid" &&
      node scripts/adopter/check-ui.mjs "http://localhost:$port" "$WORK/shots" "$backstage-$frontend"); then
      tail -60 "$dir/backend-$frontend.log" >&2
      exit 1
    fi
    kill "$backend_pid" && wait "$backend_pid" 2>/dev/null || true
  done
  cd "$ROOT"
done

step "All releases passed: ${releases[*]}"
echo "adopter: ${#releases[@]} passed, 0 failed"
# Stop the emulator, backends and registry first: the registry's pid file is in $WORK.
cleanup
trap - EXIT
if [ -n "${ADOPTER_WORK:-}" ]; then
  echo "Apps and screenshots: $WORK"
else
  rm -rf "$WORK" # two apps with their node_modules: a few GB
fi
