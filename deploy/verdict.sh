#!/usr/bin/env bash
# shellcheck disable=SC2016  # single-quoted bash -c / node -e programs get their values as arguments
# Verdict: one entry point to set up, run, demo, test and benchmark the stack on
# one Debian bookworm machine (or CI). Safe to run repeatedly: every step checks
# first and only installs/starts/builds what is missing.
#
#   bash deploy/verdict.sh setup|start|stop|status|demo|test|bench|help
#
# See usage() below, or run without arguments.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
STATE_DIR="$ROOT/.verdict"
LOG_DIR="$STATE_DIR/logs"
RUN_DIR="$STATE_DIR/run"

: "${API_HOST:=127.0.0.1}"
: "${API_PORT:=3000}"
REDIS_HOST=127.0.0.1
REDIS_PORT=6379
DOCKERD_LOG=/var/log/dockerd.log
REDIS_LOG=/var/log/redis-verdict.log
REDIS_DIR=/var/lib/redis
DAEMON_JSON="${VERDICT_DAEMON_JSON:-/etc/docker/daemon.json}"
NODE_MIN_MAJOR=20
NODE_PREFIX="${VERDICT_NODE_PREFIX:-/usr/local}"
# $NODE_PREFIX/bin first: that is where a Node 20 installed by this script
# lives (ahead of Debian's /usr/bin/node 18); sbin for dockerd.
[[ ":$PATH:" == ":$NODE_PREFIX/bin:"* ]] || PATH="$NODE_PREFIX/bin:$PATH"
[[ ":$PATH:" == *":/usr/sbin:"* ]] || PATH="$PATH:/usr/sbin:/sbin"
export PATH
# Let Node/npm trust the system CA store too (additive; helps behind TLS-inspecting proxies).
if [[ -z "${NODE_EXTRA_CA_CERTS:-}" && -r /etc/ssl/certs/ca-certificates.crt ]]; then
  export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
fi
# Schemathesis (PyPI, MIT) tests the API against its OpenAPI document (test/schemathesis.e2e-spec.ts).
SCHEMATHESIS_VERSION=4.32.5
SCHEMATHESIS_VENV="$STATE_DIR/tools/schemathesis"
# Go-built tools, each pinned by its module's go.mod: Jaeger (deploy/tools: the trace backend the
# tracing test reads traces back from) and promtool (deploy/tools/promtool: checks
# deploy/observability's Prometheus rules). Built once per version into a cache outside the clone,
# so fresh clones (CI's) reuse them.
GO_TOOLS_DIR="$ROOT/deploy/tools"
GO_TOOLS_CACHE="${VERDICT_TOOLS_CACHE:-$HOME/.cache/verdict/tools}"
# The local stack's admin key (ADMIN_API_KEY unless set) and its demo tenant's key, made once each.
ADMIN_KEY_FILE="$STATE_DIR/admin-api-key"
DEMO_KEY_FILE="$STATE_DIR/demo-api-key"
DEMO_TENANT=demo
STARTUP_TIMEOUT_S=60
STOP_TIMEOUT_S=30
APPS=(api worker)

# ---------------------------------------------------------------- output ----

say()  { printf '[verdict] %s\n' "$*"; }
warn() { printf '[verdict] WARNING: %s\n' "$*" >&2; }
die()  { printf '[verdict] ERROR: %s\n' "$*" >&2; exit 1; }

# Print the last lines of a log file to stderr, framed.
tail_log() {
  local file="$1" lines="${2:-40}"
  if [[ -s "$file" ]]; then
    printf -- '----- last %s lines of %s -----\n' "$lines" "$file" >&2
    tail -n "$lines" "$file" >&2 || true
    printf -- '----- end of %s -----\n' "$file" >&2
  else
    printf '[verdict] (log %s is empty or missing)\n' "$file" >&2
  fi
}

# run_step "label" logfile cmd...: run quietly into logfile; one line of output;
# on failure show the log tail and exit.
run_step() {
  local label="$1" log="$2"; shift 2
  local start=$SECONDS rc=0
  mkdir -p "$(dirname "$log")"
  printf '[verdict] %s ... ' "$label"
  NO_COLOR=1 FORCE_COLOR=0 "$@" >"$log" 2>&1 </dev/null || rc=$?
  if (( rc == 0 )); then
    printf 'ok (%ss)\n' "$((SECONDS - start))"
  else
    printf 'FAILED (exit %s, %ss)\n' "$rc" "$((SECONDS - start))"
    tail_log "$log" 60
    die "$label failed; full log: $log"
  fi
}

# ------------------------------------------------------------ privileges ----

# Run a command as root (directly, or with non-interactive sudo).
as_root() {
  if (( EUID == 0 )); then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@"
  else
    die "need root to run: $* (run this script as root)"
  fi
}

# ------------------------------------------------------------------- apt ----

APT_UPDATED=0
APT_LOG="$LOG_DIR/apt.log"

apt_update_once() {
  (( APT_UPDATED == 1 )) && return 0
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install the missing packages by hand (this script targets Debian bookworm)"
  run_step "apt-get update" "$APT_LOG.update" as_root apt-get update -q
  APT_UPDATED=1
}

apt_install() {
  (( $# > 0 )) || return 0
  apt_update_once
  run_step "apt-get install $*" "$APT_LOG" \
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
}

# True when apt knows a candidate for the package in its current lists.
apt_has_candidate() {
  command -v apt-cache >/dev/null 2>&1 || return 1
  local cand
  cand="$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2; exit}')"
  [[ -n "$cand" && "$cand" != "(none)" ]]
}

# ------------------------------------------------------------------ node ----

node_major() {
  command -v node >/dev/null 2>&1 || { echo 0; return; }
  node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

# Node >= 20. Debian bookworm ships 18 (and an npm 9 whose dependencies only
# Debian's own node can resolve). Use that npm to fetch the official Node 20
# binary (npm package node-linux-<arch>) and npm 10 (self-contained tarball)
# from the npm registry, and install both under $NODE_PREFIX (bin/node,
# lib/node_modules/npm, bin/npm, bin/npx), which comes first in PATH.
install_node20() {
  local arch tmp tarball npm_tarball
  case "$(uname -m)" in
    x86_64|amd64) arch=x64 ;;
    aarch64|arm64) arch=arm64 ;;
    *) die "no Node.js $NODE_MIN_MAJOR binary package known for $(uname -m); install Node >= $NODE_MIN_MAJOR by hand" ;;
  esac
  tmp="$(mktemp -d)"
  run_step "npm pack node-linux-$arch@$NODE_MIN_MAJOR npm@10" "$LOG_DIR/node-install.log" \
    bash -c 'cd "$1" && npm pack --loglevel=warn "$2" npm@10' _ "$tmp" "node-linux-$arch@$NODE_MIN_MAJOR"
  tarball="$(find "$tmp" -maxdepth 1 -name 'node-linux-*.tgz' | head -n 1)"
  npm_tarball="$(find "$tmp" -maxdepth 1 -name 'npm-*.tgz' | head -n 1)"
  [[ -n "$tarball" && -n "$npm_tarball" ]] || die "npm pack did not produce both tarballs (see $LOG_DIR/node-install.log)"
  mkdir -p "$tmp/node" "$tmp/npm"
  tar -xzf "$tarball" -C "$tmp/node" package/bin/node || die "$tarball has no package/bin/node"
  tar -xzf "$npm_tarball" -C "$tmp/npm" || die "cannot unpack $npm_tarball"
  "$tmp/node/package/bin/node" --version >/dev/null 2>&1 || die "the downloaded node binary does not run on this machine"
  as_root mkdir -p "$NODE_PREFIX/bin" "$NODE_PREFIX/lib/node_modules"
  as_root install -m 0755 "$tmp/node/package/bin/node" "$NODE_PREFIX/bin/node"
  as_root rm -rf "$NODE_PREFIX/lib/node_modules/npm"
  as_root cp -a "$tmp/npm/package" "$NODE_PREFIX/lib/node_modules/npm"
  as_root ln -sfn ../lib/node_modules/npm/bin/npm-cli.js "$NODE_PREFIX/bin/npm"
  as_root ln -sfn ../lib/node_modules/npm/bin/npx-cli.js "$NODE_PREFIX/bin/npx"
  rm -rf "$tmp"
  hash -r
}

ensure_node() {
  local major
  major="$(node_major)"
  if (( major >= NODE_MIN_MAJOR )); then
    say "node $(node --version) ($(command -v node)), npm $(npm --version 2>/dev/null || echo '?')"
    command -v npm >/dev/null 2>&1 || die "node is installed but npm is not; install npm"
    return 0
  fi
  if (( major == 0 )); then say "node not found; installing"; else say "node $(node --version) is older than $NODE_MIN_MAJOR; upgrading"; fi
  local pkgs=()
  command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
  command -v npm >/dev/null 2>&1 || pkgs+=(npm)
  apt_install "${pkgs[@]}"
  hash -r
  if (( "$(node_major)" < NODE_MIN_MAJOR )); then
    install_node20
  fi
  major="$(node_major)"
  (( major >= NODE_MIN_MAJOR )) || die "could not get Node >= $NODE_MIN_MAJOR (have $(node --version 2>/dev/null || echo none) at $(command -v node || echo '-'))"
  say "node $(node --version) ($(command -v node)), npm $(npm --version)"
}

# ---------------------------------------------------------------- docker ----

# A live (non-zombie) process.
proc_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  local state=""
  [[ -r "/proc/$1/stat" ]] && state="$(sed -E 's/^.*\) ([A-Za-z]).*$/\1/' "/proc/$1/stat" 2>/dev/null || true)"
  [[ "$state" != Z ]]
}

docker_ok() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }

# Add the gVisor runtime to /etc/docker/daemon.json, keeping every other key.
# Prints "changed" when the file was written.
register_runsc() {
  local runsc_path="$1" file="$DAEMON_JSON"
  as_root mkdir -p "$(dirname "$file")"
  as_root node -e '
    const fs = require("fs");
    const [file, runscPath] = process.argv.slice(1);
    let cfg = {};
    if (fs.existsSync(file)) {
      const text = fs.readFileSync(file, "utf8");
      if (text.trim() !== "") {
        try { cfg = JSON.parse(text); } catch (e) {
          console.error(`cannot parse ${file} (${e.message}); not touching it`); process.exit(3);
        }
      }
      if (cfg === null || typeof cfg !== "object" || Array.isArray(cfg)) {
        console.error(`${file} is not a JSON object; not touching it`); process.exit(3);
      }
    }
    cfg.runtimes = cfg.runtimes && typeof cfg.runtimes === "object" ? cfg.runtimes : {};
    if (cfg.runtimes.runsc) { process.exit(0); }   // keep an existing definition as it is
    cfg.runtimes.runsc = { path: runscPath, runtimeArgs: ["--network=none"] };
    const tmp = `${file}.verdict-tmp`;
    fs.writeFileSync(tmp, JSON.stringify(cfg, null, 2) + "\n");
    fs.renameSync(tmp, file);
    console.log("changed");
  ' "$file" "$runsc_path"
}

start_dockerd() {
  # A dockerd may already be running and just slow to answer: do not start a second one.
  local pid="" started_pid=""
  if [[ -r /var/run/docker.pid ]]; then pid="$(cat /var/run/docker.pid 2>/dev/null || true)"; fi
  if [[ -n "$pid" ]] && proc_alive "$pid"; then
    say "dockerd (pid $pid) is running but not answering yet; waiting"
  elif [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null 2>&1; then
    say "starting docker via systemctl"
    as_root systemctl start docker || warn "systemctl start docker failed; see journalctl -u docker"
    DOCKERD_LOG="journalctl -u docker"
  else
    say "starting dockerd in the background (log: $DOCKERD_LOG)"
    started_pid="$(as_root bash -c 'nohup setsid dockerd >>"$1" 2>&1 </dev/null & echo $!' _ "$DOCKERD_LOG")"
  fi
  local deadline=$((SECONDS + STARTUP_TIMEOUT_S))
  until docker_ok; do
    if [[ -n "$started_pid" ]] && ! proc_alive "$started_pid"; then
      tail_log "$DOCKERD_LOG" 40
      die "dockerd exited during startup; dockerd log: $DOCKERD_LOG"
    fi
    if (( SECONDS >= deadline )); then
      [[ -f "$DOCKERD_LOG" ]] && tail_log "$DOCKERD_LOG" 40
      die "Docker engine did not answer 'docker info' within ${STARTUP_TIMEOUT_S}s; dockerd log: $DOCKERD_LOG"
    fi
    sleep 1
  done
}

ensure_docker() {
  local runsc_path changed
  runsc_path="$(command -v runsc || true)"
  if [[ -n "$runsc_path" && "${VERDICT_NO_RUNSC:-0}" != 1 ]]; then
    changed="$(register_runsc "$runsc_path")" || warn "could not register runsc in $DAEMON_JSON (left as it is)"
    if [[ "$changed" == changed ]]; then
      say "registered runtime runsc ($runsc_path) in $DAEMON_JSON"
      # A running dockerd reloads "runtimes" on SIGHUP.
      local pid=""
      [[ -r /var/run/docker.pid ]] && pid="$(cat /var/run/docker.pid 2>/dev/null || true)"
      if [[ -n "$pid" ]] && proc_alive "$pid"; then
        as_root kill -HUP "$pid" || warn "could not signal dockerd to reload its configuration"
      fi
    fi
  fi
  if docker_ok; then
    say "docker engine $(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?') is up"
  else
    start_dockerd
    say "docker engine $(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?') is up"
  fi
  if docker info --format '{{json .Runtimes}}' 2>/dev/null | grep -q '"runsc"'; then
    say "docker runtimes include runsc (gVisor)"
  fi
}

# ----------------------------------------------------------------- redis ----

redis_ping() {
  if [[ -n "${REDIS_URL:-}" ]]; then
    redis-cli -u "$REDIS_URL" ping 2>/dev/null | grep -q PONG
  else
    redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG
  fi
}

# Whether REDIS_URL (if set) points at the local default server this script manages.
redis_is_local_default() {
  [[ -z "${REDIS_URL:-}" ]] && return 0
  [[ "$REDIS_URL" =~ ^redis://(127\.0\.0\.1|localhost)(:6379)?(/0?)?$ ]]
}

ensure_redis() {
  if redis_ping; then
    say "redis is up (${REDIS_URL:-redis://$REDIS_HOST:$REDIS_PORT})"
  elif ! redis_is_local_default; then
    die "REDIS_URL=$REDIS_URL does not answer PING; this script only starts a local Redis on $REDIS_HOST:$REDIS_PORT"
  else
    say "starting redis-server on $REDIS_HOST:$REDIS_PORT (dir $REDIS_DIR, log $REDIS_LOG)"
    as_root mkdir -p "$REDIS_DIR"
    as_root redis-server --daemonize yes --port "$REDIS_PORT" --bind "$REDIS_HOST" \
      --appendonly yes --maxmemory-policy noeviction --dir "$REDIS_DIR" --logfile "$REDIS_LOG" \
      >/dev/null || { tail_log "$REDIS_LOG" 30; die "redis-server failed to start; log: $REDIS_LOG"; }
    local deadline=$((SECONDS + 20))
    until redis_ping; do
      if (( SECONDS >= deadline )); then
        tail_log "$REDIS_LOG" 30
        die "redis-server did not answer PING within 20s; log: $REDIS_LOG"
      fi
      sleep 0.2
    done
    say "redis is up (redis://$REDIS_HOST:$REDIS_PORT)"
  fi
  local policy
  if [[ -n "${REDIS_URL:-}" ]]; then
    policy="$(redis-cli -u "$REDIS_URL" config get maxmemory-policy 2>/dev/null | tail -n 1 || true)"
  else
    policy="$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" config get maxmemory-policy 2>/dev/null | tail -n 1 || true)"
  fi
  if [[ -n "$policy" && "$policy" != noeviction ]]; then
    warn "redis maxmemory-policy is '$policy'; BullMQ needs 'noeviction' (redis-cli config set maxmemory-policy noeviction)"
  fi
}

# -------------------------------------------------------------- packages ----

# Install, in one apt-get run, every system package that is missing.
ensure_system_packages() {
  local pkgs=()
  { command -v dockerd >/dev/null 2>&1 && command -v docker >/dev/null 2>&1; } || pkgs+=(docker.io)
  { command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; } || pkgs+=(redis-server)
  # The image build makes debian:bookworm-slim with debootstrap when it is missing.
  if ! command -v debootstrap >/dev/null 2>&1; then
    if ! docker_ok || ! docker image inspect debian:bookworm-slim >/dev/null 2>&1; then
      pkgs+=(debootstrap)
    fi
  fi
  local want_runsc=0
  if [[ "${VERDICT_NO_RUNSC:-0}" != 1 ]] && ! command -v runsc >/dev/null 2>&1; then
    want_runsc=1
  fi
  if (( ${#pkgs[@]} == 0 )) && (( want_runsc == 1 )) && ! apt_has_candidate runsc; then
    want_runsc=0   # nothing else to install and apt does not know runsc: no update just for it
  fi
  if (( ${#pkgs[@]} == 0 && want_runsc == 0 )); then
    say "system packages present (dockerd, redis-server$(command -v runsc >/dev/null 2>&1 && echo ', runsc'))"
    return 0
  fi
  if (( want_runsc == 1 )); then
    apt_update_once
    if apt_has_candidate runsc; then pkgs+=(runsc); else say "runsc (gVisor) not available from apt; skipping it"; fi
  fi
  apt_install "${pkgs[@]}"
  hash -r
}

# ------------------------------------------------------------ project ----

ensure_node_modules() {
  cd "$ROOT"
  if [[ ! -d node_modules || ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
    # Not `npm ci`: some registry mirrors lack the optional native packages of
    # other platforms (e.g. @msgpackr-extract/*-darwin-*), which npm 11's
    # `ci` then reports as a lock file out of sync. `install --no-save`
    # installs exactly the locked versions and never rewrites the lock file.
    run_step "npm install (locked versions)" "$LOG_DIR/npm-install.log" npm install --no-save --no-audit --no-fund
  else
    say "node_modules up to date (npm install skipped)"
  fi
}

# Schemathesis in a venv of its own (never the system's pip), reinstalled only when its version is
# not the pinned one.
ensure_schemathesis() {
  local python="$SCHEMATHESIS_VENV/bin/python"
  if [[ -x "$SCHEMATHESIS_VENV/bin/schemathesis" ]] \
    && [[ "$("$python" -c 'import importlib.metadata as m; print(m.version("schemathesis"))' 2>/dev/null)" == "$SCHEMATHESIS_VERSION" ]]; then
    say "schemathesis $SCHEMATHESIS_VERSION present (${SCHEMATHESIS_VENV#"$ROOT"/})"
    return 0
  fi
  if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    apt_install python3 python3-venv
  fi
  rm -rf "$SCHEMATHESIS_VENV"
  run_step "schemathesis $SCHEMATHESIS_VERSION (PyPI, venv ${SCHEMATHESIS_VENV#"$ROOT"/})" "$LOG_DIR/schemathesis-install.log" \
    bash -c 'python3 -m venv "$1" && "$1/bin/python" -m pip install --disable-pip-version-check --no-input "schemathesis==$2"' _ "$SCHEMATHESIS_VENV" "$SCHEMATHESIS_VERSION"
}

# go_mod_version GO_MOD MODULE: the version of MODULE that GO_MOD requires.
go_mod_version() {
  awk -v m="$2" '$1 == m { print $2; exit } $1 == "require" && $2 == m { print $3; exit }' "$1"
}

# find_go GO_MOD NAME: a go binary no older than GO_MOD's `go` line, on PATH or where Go's own
# release archive installs (/usr/local/go, often not on a non-login shell's PATH).
find_go() {
  local go_mod="$1" name="$2" want go have
  want="$(awk '$1 == "go" { print $2; exit }' "$go_mod")"
  go="$(command -v go || true)"
  [[ -z "$go" && -x /usr/local/go/bin/go ]] && go=/usr/local/go/bin/go
  [[ -n "$go" ]] || die "go not found (on PATH or in /usr/local/go/bin): building $name needs Go >= $want (${go_mod#"$ROOT"/}). Install Go $want or newer (Debian bookworm's golang-go is too old), or set VERDICT_JAEGER_BIN and VERDICT_PROMTOOL_BIN to binaries of the versions deploy/tools pins."
  have="$("$go" env GOVERSION 2>/dev/null || true)"; have="${have#go}"
  [[ "$(printf '%s\n%s\n' "$want" "$have" | sort -V | head -n 1)" == "$want" ]] \
    || die "$go is Go ${have:-?}; building $name needs Go >= $want (${go_mod#"$ROOT"/}): install a newer Go, or set the tool's VERDICT_*_BIN"
  echo "$go"
}

# go_tool NAME: sets module_dir, package, module and env (the variable naming a prebuilt binary)
# for a Go-built tool. Two modules: in one, Go's version selection hands Jaeger promtool's newer
# OpenTelemetry Collector and Prometheus modules (collector v1.69 where Jaeger v1.75.0 was released
# with v1.45), and that build failed; apart, each builds with the versions its release was tested with.
go_tool() {
  case "$1" in
    jaeger)   module_dir="$GO_TOOLS_DIR" package=github.com/jaegertracing/jaeger/cmd/jaeger module=github.com/jaegertracing/jaeger env=VERDICT_JAEGER_BIN ;;
    promtool) module_dir="$GO_TOOLS_DIR/promtool" package=github.com/prometheus/prometheus/cmd/promtool module=github.com/prometheus/prometheus env=VERDICT_PROMTOOL_BIN ;;
    *) die "unknown Go tool '$1' (jaeger, promtool)" ;;
  esac
}

# go_tool_bin NAME: the binary to run: the one its VERDICT_*_BIN names, else where the cache holds
# the build of the version NAME's go.mod pins now (so an older build left in the cache is never
# picked up by mistake), built or not. Needs go_tool's variables.
go_tool_bin() {
  local version
  if [[ -n "${!env:-}" ]]; then
    [[ -x "${!env}" ]] || die "$env=${!env} is not an executable"
    echo "${!env}"
    return 0
  fi
  version="$(go_mod_version "$module_dir/go.mod" "$module")"
  [[ -n "$version" ]] || die "${module_dir#"$ROOT"/}/go.mod does not require $module"
  echo "$GO_TOOLS_CACHE/$1-$version/$1"
}

# ensure_go_tool NAME: the tool's binary in the cache, built from its Go module when missing, its
# path exported as its VERDICT_*_BIN for the tests. A binary that variable already names is used as it is.
ensure_go_tool() {
  local name="$1" module_dir package module env dir bin version go
  go_tool "$name"
  bin="$(go_tool_bin "$name")"
  if [[ -n "${!env:-}" ]]; then
    say "$name: $env=$bin"
    export "${env?}"
    return 0
  fi
  dir="$(dirname "$bin")"
  version="${dir##*/"$name"-}"
  if [[ -x "$bin" ]]; then
    say "$name $version present ($bin)"
  else
    go="$(find_go "$module_dir/go.mod" "$name")"
    mkdir -p "$dir"
    # Under a lock (two runs on one machine build once), into a temporary name moved into place
    # when done: an interrupted build never leaves a binary that looks finished. GOTOOLCHAIN=local:
    # never fetch a Go toolchain other than the one found.
    run_step "build $name $version with $("$go" env GOVERSION) (${module_dir#"$ROOT"/}; minutes, once per version)" "$LOG_DIR/go-tools-$name.log" \
      bash -c 'cd "$1" && exec 9>"$3/.lock" && { ! command -v flock >/dev/null || flock 9; } &&
        if [[ ! -x "$3/$4" ]]; then
          GOTOOLCHAIN=local "$2" build -trimpath -o "$3/$4.tmp.$$" "$5" && mv -f "$3/$4.tmp.$$" "$3/$4"
        fi' _ "$module_dir" "$go" "$dir" "$name" "$package"
    say "$name $version built ($bin)"
  fi
  printf -v "$env" '%s' "$bin"
  export "${env?}"
}

ensure_go_tools() {
  ensure_go_tool jaeger
  ensure_go_tool promtool
}

# cmd_tool_path NAME: prints the binary the tests and benches run for a Go-built tool (its
# VERDICT_*_BIN, else the cache's build of the pinned version), building nothing; fails naming the fix.
cmd_tool_path() {
  local name="${1:-}" module_dir package module env bin
  [[ $# -eq 1 ]] || die "usage: bash deploy/verdict.sh tool-path jaeger|promtool"
  go_tool "$name"
  bin="$(go_tool_bin "$name")"
  [[ -x "$bin" ]] || die "$name is not built: $bin is missing and $env is not set. Run bash deploy/verdict.sh setup (it builds $name with Go), or point $env at a $name binary of the version ${module_dir#"$ROOT"/}/go.mod pins."
  echo "$bin"
}

build_apps() {
  cd "$ROOT"
  run_step "npm run build (api, worker)" "$LOG_DIR/build.log" npm run build
  local app
  for app in "${APPS[@]}"; do
    [[ -f "dist/apps/$app/main.js" ]] || { tail_log "$LOG_DIR/build.log" 40; die "build did not produce dist/apps/$app/main.js"; }
  done
}

build_images() {
  cd "$ROOT"
  [[ -f deploy/images/build.sh ]] || die "deploy/images/build.sh is missing"
  run_step "runtime images (deploy/images/build.sh)" "$LOG_DIR/images.log" bash deploy/images/build.sh
}

# cmd_setup [--go-tools]: also the Go-built tools (setup, test, bench; start and demo need no Go).
cmd_setup() {
  mkdir -p "$LOG_DIR" "$RUN_DIR"
  ensure_node
  ensure_system_packages
  ensure_docker
  ensure_redis
  ensure_node_modules
  ensure_schemathesis
  if [[ "${1:-}" == --go-tools ]]; then ensure_go_tools; fi
  build_apps
  build_images
  say "setup done (logs in ${LOG_DIR#"$ROOT"/})"
}

# -------------------------------------------------------------- processes ----

pid_file() { echo "$RUN_DIR/$1.pid"; }
app_log()  { echo "$LOG_DIR/$1.log"; }

# Prints the pid of a running app (from its pid file, checked against the
# process's command line so that a reused pid is never taken for ours).
app_pid() {
  local app="$1" file pid
  file="$(pid_file "$app")"
  [[ -f "$file" ]] || return 1
  pid="$(cat "$file" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  proc_alive "$pid" || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "dist/apps/$app/main.js" || return 1
  fi
  echo "$pid"
}

health_host() {
  case "$API_HOST" in
    0.0.0.0|::|'[::]'|'') echo 127.0.0.1 ;;
    *:*) echo "[$API_HOST]" ;;
    *) echo "$API_HOST" ;;
  esac
}
api_url() { echo "http://$(health_host):$API_PORT"; }

# Prints the health body; succeeds when GET /v1/health is 200 with status ok.
api_health() {
  node -e '
    fetch(process.argv[1], { signal: AbortSignal.timeout(2000) })
      .then(async (r) => {
        const body = await r.text();
        process.stdout.write(`${r.status} ${body}`);
        let ok = false;
        try { ok = r.status === 200 && JSON.parse(body).status === "ok"; } catch {}
        process.exit(ok ? 0 : 1);
      })
      .catch((e) => { process.stdout.write(`unreachable (${e.cause?.code ?? e.name})`); process.exit(2); });
  ' "$(api_url)/v1/health"
}

start_app() {
  local app="$1" pid log
  if pid="$(app_pid "$app")"; then
    say "$app already running (pid $pid; stop + start to run a new build)"
    return 0
  fi
  log="$(app_log "$app")"
  [[ -f "$log" ]] && mv -f "$log" "$log.1"
  cd "$ROOT"
  # setsid + nohup: the process outlives this shell and its terminal; the inner
  # bash writes its own pid, then execs node (same pid).
  nohup setsid bash -c 'echo $$ >"$1"; exec node "$2"' _ "$(pid_file "$app")" "dist/apps/$app/main.js" \
    >>"$log" 2>&1 </dev/null &
  local i
  for i in $(seq 1 50); do
    pid="$(app_pid "$app")" && break
    sleep 0.1
  done
  [[ -n "${pid:-}" ]] || { tail_log "$log" 40; die "$app did not start; log: $log"; }
  say "$app started (pid $pid, log ${log#"$ROOT"/})"
}

# ADMIN_API_KEY as given, else the local one from $ADMIN_KEY_FILE (made once, mode 600). Never a default key.
local_admin_key() {
  if [[ -n "${ADMIN_API_KEY:-}" ]]; then printf '%s\n' "$ADMIN_API_KEY"; return; fi
  if [[ ! -s "$ADMIN_KEY_FILE" ]]; then
    mkdir -p "$STATE_DIR"
    (umask 077 && node -e "const { randomBytes } = require('node:crypto'); console.log('vk_' + randomBytes(4).toString('hex') + '_' + randomBytes(32).toString('base64url'))" >"$ADMIN_KEY_FILE")
  fi
  cat "$ADMIN_KEY_FILE"
}

cmd_start() {
  cmd_setup
  ADMIN_API_KEY="$(local_admin_key)"
  export ADMIN_API_KEY
  local app
  for app in "${APPS[@]}"; do start_app "$app"; done
  printf '[verdict] waiting for %s/v1/health ' "$(api_url)"
  local deadline=$((SECONDS + STARTUP_TIMEOUT_S)) body=""
  until body="$(api_health)"; do
    for app in "${APPS[@]}"; do
      if ! app_pid "$app" >/dev/null; then
        printf 'FAILED\n'
        tail_log "$(app_log "$app")" 60
        die "$app exited during startup; log: $(app_log "$app") (bash ${SCRIPT_DIR#"$PWD"/}/verdict.sh stop ends the rest)"
      fi
    done
    if (( SECONDS >= deadline )); then
      printf 'TIMEOUT\n'
      for app in "${APPS[@]}"; do tail_log "$(app_log "$app")" 40; done
      die "API not healthy within ${STARTUP_TIMEOUT_S}s (last answer: ${body:-none}); the processes are left running for inspection: bash ${SCRIPT_DIR#"$PWD"/}/verdict.sh stop"
    fi
    printf '.'
    sleep 1
  done
  printf ' ok\n'
  app_pid worker >/dev/null || { tail_log "$(app_log worker)" 60; die "worker is not running; log: $(app_log worker)"; }
  say "API:     $(api_url)  (health: $body)"
  local demo_key
  demo_key="$(node "$ROOT/deploy/local-tenant.mjs" "$(api_url)" "$ADMIN_API_KEY" "$DEMO_KEY_FILE" "$DEMO_TENANT")" \
    || die "could not make the demo tenant's key (is ${ADMIN_KEY_FILE#"$ROOT"/} the key the running API has? stop and start again)"
  say "tenant:  $DEMO_TENANT, API key $demo_key (kept in ${DEMO_KEY_FILE#"$ROOT"/}; send it as Authorization: Bearer <key>)"
  say "admin:   API key in ${ADMIN_KEY_FILE#"$ROOT"/} (ADMIN_API_KEY): POST /v1/admin/tenants, /v1/admin/tenants/:id/keys"
  say "logs:    ${LOG_DIR}/{api,worker}.log"
  say "stop:    bash ${SCRIPT_DIR#"$PWD"/}/verdict.sh stop"
}

cmd_stop() {
  mkdir -p "$RUN_DIR"
  local app pid pids=() names=()
  for app in "${APPS[@]}"; do
    if pid="$(app_pid "$app")"; then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid"); names+=("$app")
      say "sent SIGTERM to $app (pid $pid)"
    else
      say "$app not running"
    fi
  done
  local deadline=$((SECONDS + STOP_TIMEOUT_S)) i alive
  while (( ${#pids[@]} > 0 )); do
    alive=0
    for i in "${!pids[@]}"; do proc_alive "${pids[$i]}" && alive=1; done
    (( alive == 0 )) && break
    if (( SECONDS >= deadline )); then
      for i in "${!pids[@]}"; do
        if proc_alive "${pids[$i]}"; then
          warn "${names[$i]} (pid ${pids[$i]}) still running after ${STOP_TIMEOUT_S}s; sending SIGKILL"
          kill -KILL "${pids[$i]}" 2>/dev/null || true
        fi
      done
      break
    fi
    sleep 0.2
  done
  for i in "${!pids[@]}"; do say "${names[$i]} stopped"; done
  for app in "${APPS[@]}"; do rm -f "$(pid_file "$app")"; done
}

cmd_status() {
  local app pid rc=0 body
  for app in "${APPS[@]}"; do
    if pid="$(app_pid "$app")"; then
      say "$app: running (pid $pid, log $(app_log "$app"))"
    else
      say "$app: not running"; rc=3
    fi
  done
  if command -v node >/dev/null 2>&1 && body="$(api_health)"; then
    say "health: $(api_url)/v1/health -> $body"
  else
    say "health: $(api_url)/v1/health -> ${body:-unavailable}"; rc=3
  fi
  return "$rc"
}

cmd_demo() {
  cmd_start
  local rc=0
  say "judging examples/submissions/*.json"
  VERDICT_API_URL="$(api_url)" VERDICT_API_KEY="$(cat "$DEMO_KEY_FILE")" node "$ROOT/examples/judge-samples.mjs" || rc=$?
  say "the stack is still running at $(api_url); stop it with: bash ${SCRIPT_DIR#"$PWD"/}/verdict.sh stop"
  return "$rc"
}

cmd_test() {
  cmd_setup --go-tools
  cd "$ROOT"
  say "npm run typecheck"
  npm run typecheck
  say "npm run depcheck (the layout's dependency rules, .dependency-cruiser.cjs)"
  npm run depcheck
  say "npx jest --runInBand $*"
  npx jest --runInBand "$@"
}

cmd_bench() {
  # jaeger too: the benchmark's telemetry-on runs export to it.
  cmd_setup --go-tools
  # The raw baseline runs the same programs on the host: Debian's python3 (as in the image) and gcc.
  local pkgs=()
  [[ -x /usr/bin/python3 ]] || pkgs+=(python3)
  command -v gcc >/dev/null 2>&1 || pkgs+=(gcc libc6-dev)
  apt_install "${pkgs[@]}"
  cd "$ROOT"
  # Starts an API and a worker of its own per configuration (runc/runsc, fresh/reuse).
  node bench/judge-overhead.mjs "$@"
}

usage() {
  cat <<EOF
Usage: bash deploy/verdict.sh <command> [args]

  setup     Install/start what is missing (Node >= $NODE_MIN_MAJOR, Docker engine + runsc,
            Redis on $REDIS_HOST:$REDIS_PORT), npm install (locked), Schemathesis (a venv under .verdict/tools),
            jaeger and promtool (deploy/tools, built with Go once per version into $GO_TOOLS_CACHE),
            build the apps and the runtime images.
  start     setup (without jaeger and promtool: no Go needed), then run the API and one worker in the background and wait for health.
  stop      Stop the API and the worker (SIGTERM, SIGKILL after ${STOP_TIMEOUT_S}s).
  status    Show whether the API and the worker run, and the API health.
  demo      start, then judge examples/submissions/*.json and compare with the expected
            verdicts (leaves the stack running).
  test      setup, then npm run typecheck, npm run depcheck and npx jest --runInBand [jest args...].
  bench     setup, then node bench/judge-overhead.mjs [--runtimes runc,runsc --modes fresh,reuse ...]
            (what the judge adds over the raw process; see the README).
  tool-path jaeger|promtool
            Print the Go-built tool's binary that tests and benches run (built by setup).
  help      This text.

Environment: API_HOST ($API_HOST), API_PORT ($API_PORT), REDIS_URL, VERDICT_KEY_PREFIX,
WORKER_ID, WORKER_CONCURRENCY, DOCKER_SOCKET, LOG_LEVEL are passed to the apps;
VERDICT_NO_RUNSC=1 skips installing/registering gVisor. VERDICT_TOOLS_CACHE (default
\$HOME/.cache/verdict/tools) holds the Go-built tools; VERDICT_JAEGER_BIN / VERDICT_PROMTOOL_BIN
name prebuilt ones instead (the tests read both).
State: .verdict/logs/{api,worker,npm-install,schemathesis-install,build,images,apt}.log, .verdict/run/{api,worker}.pid,
.verdict/tools/schemathesis (venv)
EOF
}

main() {
  local cmd="${1:-help}"
  (( $# > 0 )) && shift
  case "$cmd" in
    setup)  cmd_setup --go-tools ;;
    start)  cmd_start ;;
    stop)   cmd_stop ;;
    status) cmd_status ;;
    demo)   cmd_demo ;;
    test)   cmd_test "$@" ;;
    bench)  cmd_bench "$@" ;;
    tool-path) cmd_tool_path "$@" ;;
    help|-h|--help) usage ;;
    *) usage >&2; die "unknown command: $cmd" ;;
  esac
}

main "$@"
