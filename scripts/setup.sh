#!/usr/bin/env bash
# Installs what building (and, with `test`, testing) Profitbook needs, and nothing that is
# already there: quiet on a machine that has everything, one line per thing it installs.
#
#   scripts/setup.sh build   wasm32 target, trunk, wasm-bindgen-cli, node packages (wasm-opt)
#   scripts/setup.sh test    the same, plus Chromium and chromedriver
#
# Versions are pinned: trunk below, wasm-bindgen-cli to the wasm-bindgen of Cargo.lock,
# binaryen (wasm-opt) and playwright-core in e2e/package-lock.json. Each step is the one that
# works on machines that reach only the package registries (the team's toolchain notes).
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-build}"
TRUNK_VERSION=0.22.1
export PATH="$HOME/.cargo/bin:$PATH"
mkdir -p .tools

say() { echo "setup: $*" >&2; }
has() { command -v "$1" >/dev/null 2>&1; }

# Root installs directly; anyone else through sudo.
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
apt_updated=no
apt_install() {
  has apt-get || { say "cannot install $* here: no apt-get; install it and rerun"; exit 1; }
  if [ "$apt_updated" = no ]; then
    $SUDO apt-get update -qq >/dev/null
    apt_updated=yes
  fi
  local log
  log=$(mktemp)
  if ! $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    say "apt-get install $* failed"
    exit 1
  fi
  rm -f "$log"
}

# --- A C compiler and linker: cargo links native code (build scripts, trunk) with cc ---------
if ! has cc; then
  say "installing a C compiler (build-essential)"
  apt_install build-essential
fi

# --- Rust components used by `make test` -----------------------------------------------------
if has rustup; then
  for component in rustfmt clippy; do
    if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
      say "adding rustup component $component"
      rustup component add "$component" >/dev/null
    fi
  done
fi

# --- The wasm32 target -----------------------------------------------------------------------
# rustup first; where rustup cannot reach its server, Debian's rustc-web with std built from
# source (the route in shared/toolchain.md). The route is recorded for the Makefile, which sets
# the variables it needs only on the commands that build for wasm32.
# PROFITBOOK_WASM_ROUTE=debian forces the Debian route (to test it where rustup works). Once a
# run has fallen back to it, later runs keep it instead of waiting on rustup again.
wasm_target_ready() { rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; }
if [ "${PROFITBOOK_WASM_ROUTE:-}" = debian ] || grep -q RUSTC_BOOTSTRAP .tools/wasm-env 2>/dev/null; then
  use_debian_route=yes
else
  use_debian_route=no
fi
if [ "${PROFITBOOK_WASM_ROUTE:-}" = rustup ]; then
  use_debian_route=no
fi
if [ "$use_debian_route" = no ] && has rustup && wasm_target_ready; then
  echo "" > .tools/wasm-env
elif [ "$use_debian_route" = no ] && has rustup && { say "adding the wasm32-unknown-unknown target (rustup; about 30 s)"; timeout 300 rustup target add wasm32-unknown-unknown >/dev/null 2>&1; }; then
  echo "" > .tools/wasm-env
else
  if ! dpkg -s rustc-web cargo-web rust-web-src rust-web-clippy lld-22 >/dev/null 2>&1; then
    say "no rustup wasm32 target: installing Debian's rustc-web, cargo-web, rust-web-src, rust-web-clippy and lld-22"
    apt_install rustc-web cargo-web rust-web-src rust-web-clippy lld-22
  fi
  echo "RUSTUP_TOOLCHAIN=/usr RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort" > .tools/wasm-env
fi

# --- trunk -----------------------------------------------------------------------------------
# trunk 0.22.1 needs rustc 1.96.1 or later, newer than the stable toolchain these machines have:
# build it with nightly when rustup has (or can install) one. About 15 minutes on 2 cores, once.
if ! trunk --version 2>/dev/null | grep -q "trunk $TRUNK_VERSION\$"; then
  say "building trunk $TRUNK_VERSION (about 15 minutes on 2 cores, once per machine)"
  toolchain=""
  if has rustup; then
    if ! rustup toolchain list | grep -q '^nightly'; then
      rustup toolchain install nightly --profile minimal >/dev/null 2>&1 || true
    fi
    rustup toolchain list | grep -q '^nightly' && toolchain="+nightly"
  fi
  if [ -z "$toolchain" ] && ! printf '%s\n1.96.1\n' "$(rustc --version | cut -d' ' -f2)" | sort -V -C -r 2>/dev/null; then
    say "trunk $TRUNK_VERSION needs rustc 1.96.1 or later, and this machine has $(rustc --version) and no nightly."
    say "Install a newer toolchain (rustup toolchain install nightly, or rustup update) and rerun."
    exit 1
  fi
  cargo $toolchain install trunk --version "$TRUNK_VERSION" --locked --quiet
fi

# --- wasm-bindgen-cli, the same version as the wasm-bindgen crate in Cargo.lock --------------
wbg_version=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$wbg_version" ]; then
  say "Cargo.lock has no wasm-bindgen entry"
  exit 1
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q " $wbg_version\$"; then
  # Without --locked: a locked dependency of 0.2.130's CLI is missing from the registry.
  say "building wasm-bindgen-cli $wbg_version (about 6 minutes, once per machine)"
  cargo install wasm-bindgen-cli --version "$wbg_version" --quiet
fi

# --- Node packages: wasm-opt (binaryen 132; Debian's 108 breaks Leptos output), playwright ---
has npm || { say "installing nodejs and npm"; apt_install nodejs npm; }
if [ ! -f e2e/node_modules/.package-lock.json ] || [ e2e/package-lock.json -nt e2e/node_modules/.package-lock.json ]; then
  say "installing e2e node packages from e2e/package-lock.json"
  (cd e2e && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

# --- Chromium for the browser tests ----------------------------------------------------------
if [ "$mode" = test ]; then
  if ! has chromium || ! has chromedriver; then
    say "installing Debian's chromium and chromium-driver"
    apt_install chromium chromium-driver
  fi
fi
