#!/usr/bin/env bash
# Installs what `npm run test:e2e` (code-server + Chromium + playwright-core) and `npm run test:nvim`
# (headless Neovim) need, on a fresh Debian machine, as root. Idempotent: a second run only checks.
#
# Nothing goes into the project's node_modules or package.json: code-server and playwright-core are
# installed with npm into a cache dir ($FAASLINT_E2E_CACHE, default ~/.cache/faaslint-e2e), which the
# tests read through the same variable. No browser or binary is downloaded from anywhere but the npm
# registry and Debian's packages (never `npx playwright install`). See shared/notes/vscode-e2e.md.
set -euo pipefail

CACHE="${FAASLINT_E2E_CACHE:-$HOME/.cache/faaslint-e2e}"
CODE_SERVER_VERSION=4.100.3   # the newest code-server line that runs on node 20 (VS Code 1.100)
PLAYWRIGHT_VERSION=1.65.1
# @vscode/ripgrep (a code-server dependency) downloads rg from GitHub in its postinstall, unless its
# cache already holds the archive; we seed that cache with Debian's rg.
RIPGREP_PKG_VERSION=1.15.11
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

log() { printf 'e2e-install: %s\n' "$*"; }

# --- Debian packages -------------------------------------------------------------------------
# chromium: the browser playwright-core drives; neovim: the second LSP client; ripgrep: seeds
# @vscode/ripgrep; libkrb5-dev, g++, make: headers and tools for code-server's native modules.
APT_PACKAGES=(chromium neovim ripgrep libkrb5-dev g++ make fonts-dejavu-core procps)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  [[ $(id -u) == 0 ]] || { echo "e2e-install: need root to apt-get install ${missing[*]}" >&2; exit 1; }
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "Debian packages present: ${APT_PACKAGES[*]}"
fi
command -v chromium >/dev/null && command -v nvim >/dev/null && command -v rg >/dev/null

# --- code-server and playwright-core into the cache dir --------------------------------------
installed_version() { node -p "require('$CACHE/node_modules/$1/package.json').version" 2>/dev/null || true; }
if [[ $(installed_version code-server) == "$CODE_SERVER_VERSION" && $(installed_version playwright-core) == "$PLAYWRIGHT_VERSION" \
      && -x "$CACHE/node_modules/.bin/code-server" && -x "$CACHE/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ]]; then
  log "code-server $CODE_SERVER_VERSION and playwright-core $PLAYWRIGHT_VERSION present in $CACHE"
else
  case "$(uname -m)" in
    x86_64) ;;
    *) echo "e2e-install: only x86_64 is set up (ripgrep cache seed names the x86_64 musl archive)" >&2; exit 1 ;;
  esac
  tmp="$(node -p 'require("os").tmpdir()')"
  seed="$tmp/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
  if [[ ! -s "$seed/$RIPGREP_ASSET" ]]; then
    log "seeding the @vscode/ripgrep cache with $(command -v rg)"
    mkdir -p "$seed/x"
    cp "$(command -v rg)" "$seed/x/rg"
    tar czf "$seed/$RIPGREP_ASSET" -C "$seed/x" rg
  fi
  mkdir -p "$CACHE"
  [[ -f "$CACHE/package.json" ]] || echo '{ "name": "faaslint-e2e-cache", "private": true }' >"$CACHE/package.json"
  log "npm install code-server@$CODE_SERVER_VERSION playwright-core@$PLAYWRIGHT_VERSION into $CACHE (a few minutes)"
  # As root, code-server's postinstall refuses to run without unsafe_perm; node-pty's postinstall
  # runs `npx node-gyp`, which needs npm_config_yes to answer its prompt.
  npm_config_yes=true npm_config_unsafe_perm=true \
    npm install --prefix "$CACHE" --no-audit --no-fund \
      "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_VERSION"
fi

log "code-server $(installed_version code-server), playwright-core $(installed_version playwright-core)"
nvim --version 2>/dev/null | head -1 | sed "s/^/e2e-install: /"
chromium --version 2>/dev/null | sed 's/^/e2e-install: /'
log "ok (cache: $CACHE)"
