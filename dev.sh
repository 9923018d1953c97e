#!/usr/bin/env bash
# Jejak's one build script.
#
#   ./dev.sh run     build everything and start Jejak on http://127.0.0.1:3000 with demo data
#   ./dev.sh test    run every test: unit, SQLite + PostgreSQL integration, headless Chromium
#   ./dev.sh bench   benchmarks (release build; SQLite and a throw-away PostgreSQL), see docs/BENCHMARKS.md
#
# Both install what is missing (Debian packages, cargo-leptos, wasm-bindgen-cli)
# and say what they do. Options for run: --release, --addr HOST:PORT, --data-dir DIR.
set -euo pipefail
cd "$(dirname "$0")"

CARGO_LEPTOS_VERSION=0.3.10
say() { printf '\033[1;32m==>\033[0m %s\n' "$*"; }
warn() { printf '\033[1;33m!!!\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31mERROR:\033[0m %s\n' "$*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
APT_UPDATED=""
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "need Debian packages ${missing[*]} but apt-get is not available"
  say "Installing Debian packages: ${missing[*]}"
  if [ -z "$APT_UPDATED" ]; then $SUDO apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
}

export PATH="$HOME/.cargo/bin:$PATH"
# leptos reads LEPTOS_OUTPUT_NAME at compile time (option_env!). cargo-leptos sets
# it; setting it for every cargo command keeps `cargo test` from rebuilding
# leptos and everything above it with a different value.
export LEPTOS_OUTPUT_NAME=jejak
command -v cargo >/dev/null || die "cargo not found: install Rust (https://rustup.rs) first"

# --- The WebAssembly toolchain -------------------------------------------------
# Where rustup has the wasm32 target, plain cargo-leptos works. Where it does not
# (and cannot download it), Debian's rustc-web builds std for wasm32 from source.
LIB_ARGS=()
setup_wasm_toolchain() {
  if rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
    say "WebAssembly: rustup has wasm32-unknown-unknown; using it"
  elif command -v rustup >/dev/null && timeout 180 rustup target add wasm32-unknown-unknown >/dev/null 2>&1; then
    say "WebAssembly: installed wasm32-unknown-unknown with rustup"
  else
    say "WebAssembly: rustup cannot provide wasm32; using Debian's rustc-web with -Zbuild-std (see README)"
    apt_install rustc-web cargo-web rust-web-src lld-19
    export RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-19
    LIB_ARGS=(--lib-cargo-args=-Zbuild-std=std,panic_abort)
  fi
  apt_install binaryen   # wasm-opt, so cargo-leptos never downloads it
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    say "Installing cargo-leptos $CARGO_LEPTOS_VERSION (once; about 13 minutes on 2 cores)"
    apt_install pkg-config libssl-dev
    env -u RUSTC -u RUSTC_BOOTSTRAP cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION" --features no_downloads
  fi
  local wb
  wb=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
  [ -n "$wb" ] || die "cannot find the wasm-bindgen version in Cargo.lock"
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $wb\$"; then
    say "Installing wasm-bindgen-cli $wb (must equal the wasm-bindgen crate in Cargo.lock)"
    env -u RUSTC -u RUSTC_BOOTSTRAP cargo install wasm-bindgen-cli --version "$wb" --force
  fi
}

# cargo-leptos runs wasm-opt on a release client. Debian's binaryen 108
# rewrites wasm-bindgen's externref table export to the function table, and
# such a client never hydrates (docs/BENCHMARKS.md); binaryen 116 from
# crates.io (`cargo install wasm-opt`, into ~/.cargo/bin, ahead of /usr/bin
# on PATH) does not. Debug builds never run wasm-opt.
ensure_wasm_opt() {
  local v
  v=$(wasm-opt --version 2>/dev/null | grep -oE '[0-9]+' | head -1)
  [ "${v:-0}" -ge 116 ] && return 0
  # Debian's wasm-opt (108) breaks the client; npm's binaryen package ships
  # a current one, installed in seconds (compiling binaryen takes 15-35 min).
  local bin="$PWD/target/tools/node_modules/.bin"
  if [ ! -x "$bin/wasm-opt" ]; then
    command -v npm >/dev/null || apt_install npm
    say "Release client: wasm-opt ${v:-none} is too old; installing binaryen 132 from npm into target/tools"
    npm install --silent --no-audit --no-fund --prefix target/tools binaryen@132.0.0 >/dev/null
  fi
  export PATH="$bin:$PATH"
  hash -r
}

build() {
  local mode=("$@")
  # A release build also writes .br and .gz beside every file of the site
  # (cargo-leptos --precompress), which the server sends as they are.
  if [[ " ${mode[*]:-} " == *" --release "* ]]; then mode+=(--precompress); ensure_wasm_opt; fi
  say "Building the WebAssembly client and the server (cargo leptos build ${mode[*]:-})"
  cargo leptos build "${mode[@]}" "${LIB_ARGS[@]}"
  if [[ " ${mode[*]:-} " != *" --precompress "* ]]; then
    # .br/.gz left by an earlier release build would be served in place of
    # the client just built (the server prefers them): a mismatched client.
    find "${LEPTOS_SITE_ROOT:-target/site}/pkg" -type f \( -name '*.gz' -o -name '*.br' \) -delete 2>/dev/null || true
  fi
  if [[ " ${mode[*]:-} " == *" --precompress "* ]]; then
    # cargo-leptos's gzip is about 20 % larger than gzip -9 on the client.
    find "${LEPTOS_SITE_ROOT:-target/site}/pkg" -type f ! -name '*.gz' ! -name '*.br' -exec gzip -9 -n -k -f {} +
  fi
}

cmd_run() {
  local release=() serve_args=() global_args=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --release) release=(--release) ;;
      --addr) serve_args+=(--addr "$2"); shift ;;
      --data-dir) global_args+=(--data-dir "$2"); shift ;;
      *) die "unknown option for run: $1" ;;
    esac
    shift
  done
  setup_wasm_toolchain
  build "${release[@]}"
  local bin=target/debug/jejak
  [ ${#release[@]} -gt 0 ] && bin=target/release/jejak
  say "Starting Jejak (embedded SQLite in ./data unless configured; demo data and demo logins on first run, printed below)"
  exec "$bin" "${global_args[@]}" serve --demo "${serve_args[@]}"
}

# pg_virtualenv run as root keeps its cluster under /etc/postgresql/<v>/regress
# and refuses to start when one is there. A run that was killed (machine
# restarted, session stopped) leaves that cluster behind; drop it when
# pg_virtualenv made it and nothing is running in it, refuse otherwise.
clear_stale_pg_virtualenv() {
  command -v pg_lsclusters >/dev/null || return 0
  local v status
  while read -r v status; do
    [ -f "/etc/postgresql/$v/regress/.by_pg_virtualenv" ] || continue
    if [ "$status" = online ]; then
      die "a throw-away PostgreSQL cluster $v/regress is running: another test run is in progress (stop it first)"
    fi
    warn "dropping the throw-away PostgreSQL cluster $v/regress left behind by an interrupted run"
    # pg_virtualenv's own clean-up order: the marker first, or the directory stays.
    rm -f "/etc/postgresql/$v/regress/.by_pg_virtualenv"
    pg_dropcluster --stop "$v" regress 2>/dev/null || true
    rmdir "/etc/postgresql/$v/regress" 2>/dev/null || true
    [ ! -d "/etc/postgresql/$v/regress" ] || die "could not drop the stale cluster $v/regress"
  done < <(pg_lsclusters -h 2>/dev/null | awk '$2 == "regress" {print $1, $4}'
           for d in /etc/postgresql/*/regress; do [ -d "$d" ] && basename "$(dirname "$d")" | sed 's/$/ down/'; done)
}

cmd_test() {
  setup_wasm_toolchain
  say "Test dependencies: PostgreSQL (throw-away cluster via pg_virtualenv), Chromium and chromedriver"
  apt_install postgresql postgresql-common chromium chromium-driver brotli || true
  local ok=1
  command -v pg_virtualenv >/dev/null || { warn "PostgreSQL TESTS CANNOT RUN: pg_virtualenv is missing"; ok=0; }
  [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || { warn "BROWSER TESTS CANNOT RUN: chromium/chromedriver missing"; ok=0; }
  if [ $ok = 0 ]; then
    if [ "${CI:-}" = "true" ]; then die "CI=true: PostgreSQL and browser tests are required"; fi
    warn "continuing; the PostgreSQL and/or browser tests will FAIL with an explanation"
  fi
  # Only the client here: `cargo test --workspace` builds the server with the
  # features of every workspace member (test dependencies included), so a
  # server built by cargo-leptos would be compiled a second time for nothing.
  # The client is the release one (precompressed), as offices get it: the
  # browser tests drive it and a test checks its size.
  build --frontend-only --release
  say "Running every test (cargo test --workspace) inside a throw-away PostgreSQL cluster"
  local log
  log=$(mktemp)
  set +e
  if command -v pg_virtualenv >/dev/null; then
    clear_stale_pg_virtualenv
    pg_virtualenv -- cargo test --workspace --no-fail-fast 2>&1 | tee "$log"
  else
    cargo test --workspace --no-fail-fast 2>&1 | tee "$log"
  fi
  local status=${PIPESTATUS[0]}
  set -e
  # Prove the parts that matter really ran (a filtered or skipped run is not a pass).
  local pg browser
  pg=$(grep -cE '::postgres \.\.\. ok$|health_is_503_when_the_database_is_gone \.\.\. ok$' "$log" || true)
  # Every test in the modules tests/tests/suite/browser*.rs drives Chromium.
  browser=$(grep -cE '^test browser[a-z_]*::[a-z0-9_:]+ \.\.\. ok$' "$log" || true)
  local passed failed
  passed=$(grep -oE 'test result: [a-zA-Z]+\. [0-9]+ passed' "$log" | awk '{s+=$4} END {print s+0}')
  failed=$(grep -oE '[0-9]+ failed' "$log" | awk '{s+=$1} END {print s+0}')
  rm -f "$log"
  say "PostgreSQL tests passed: $pg; browser tests passed: $browser"
  if [ "$status" != 0 ]; then die "tests failed (cargo test exit $status)"; fi
  [ "$pg" -gt 0 ] || die "no PostgreSQL test ran"
  [ "$browser" -ge 16 ] || die "the browser tests did not run (only $browser passed)"
  echo "$passed passed, $failed failed"
}

cmd_bench() {
  apt_install postgresql postgresql-common wrk
  clear_stale_pg_virtualenv
  # The release server and client, in a site of their own (the tests use
  # target/site with a debug client).
  setup_wasm_toolchain
  export LEPTOS_SITE_ROOT=target/site-release
  build --release
  say "Building the plain Leptos page (../shared/bench/ceiling), the yardstick of the HTTP suite"
  CARGO_TARGET_DIR="$PWD/target" cargo build --release --locked --manifest-path ../shared/bench/ceiling/Cargo.toml
  # jejak-synth (test data: the synthetic organisation of `--suite http`) beside jejak-bench.
  cargo build --release -p jejak-tests --bin jejak-synth
  say "Benchmarks: bulk completion, reminders, delivery, import, HTTP against the plain page (SQLite file and throw-away PostgreSQL)"
  JEJAK_SITE_ROOT="$PWD/target/site-release" pg_virtualenv -- cargo run --release -p jejak-tests --bin jejak-bench -- "$@"
}

case "${1:-}" in
  run) shift; cmd_run "$@" ;;
  test) shift; cmd_test "$@" ;;
  bench) shift; cmd_bench "$@" ;;
  *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
