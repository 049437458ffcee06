#!/usr/bin/env bash
# Builds Verdict's sandbox images: verdict/runtime-base (verdict-harness on debian:bookworm-slim),
# then one image per language on top of it.
#
#   bash deploy/images/build.sh                 # all images
#   bash deploy/images/build.sh python cpp      # runtime-base, then just these
#
# Safe to run again: Docker's build cache makes an unchanged image a few-second no-op.
# Works without a registry: if debian:bookworm-slim cannot be pulled, it is made locally
# with debootstrap (needs root and Debian's package mirror) and imported.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
harness_dir="$repo/libs/sandbox/harness"
base_image="debian:bookworm-slim"
# The images the language catalog names (verdict/<name>:latest), each built from <name>.Dockerfile:
# the catalog is the one list of languages (C shares verdict/cpp, which has gcc).
catalog="$repo/libs/languages/src/languages.json"
command -v node >/dev/null || { printf 'build.sh: node is needed to read %s\n' "$catalog" >&2; exit 1; }
read -r -a languages < <(node -e '
  const names = require(process.argv[1]).map((l) => l.image).filter((i) => /^verdict\/[a-z0-9-]+:latest$/.test(i));
  console.log([...new Set(names.map((i) => i.slice("verdict/".length, -":latest".length)))].join(" "));
' "$catalog")
for l in "${languages[@]}"; do
  [[ -f "$here/$l.Dockerfile" ]] || { printf 'build.sh: the catalog names verdict/%s:latest, but deploy/images/%s.Dockerfile does not exist\n' "$l" "$l" >&2; exit 1; }
done

log() { printf '%s\n' "$*" >&2; }
die() { log "build.sh: $*"; exit 1; }

usage() {
  local IFS='|'
  log "usage: $0 [runtime-base|${languages[*]} ...]   (default: all)"
}

selected=()
for arg in "$@"; do
  case "$arg" in
    -h | --help) usage; exit 0 ;;
    runtime-base) ;; # always built: every language image is FROM it
    *)
      found=0
      for l in "${languages[@]}"; do [[ "$l" == "$arg" ]] && found=1; done
      [[ $found == 1 ]] || { usage; die "unknown image '$arg'"; }
      selected+=("$arg")
      ;;
  esac
done
if [[ $# -eq 0 ]]; then selected=("${languages[@]}"); fi

command -v docker >/dev/null || die "the docker client is not installed"
docker info >/dev/null 2>&1 || die "cannot reach the Docker engine (is dockerd running?)"

workdir="$(mktemp -d)"
cleanup() { rm -rf "$workdir"; }
trap cleanup EXIT

ensure_base_image() {
  if docker image inspect "$base_image" >/dev/null 2>&1; then return; fi
  log "$base_image is not present; trying docker pull"
  if docker pull "$base_image" >"$workdir/pull.log" 2>&1; then return; fi
  log "docker pull failed (no registry?); building $base_image with debootstrap"
  [[ $(id -u) == 0 ]] || die "debootstrap needs root; run as root or provide $base_image"
  if ! command -v debootstrap >/dev/null; then
    apt-get update >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap >/dev/null
  fi
  local rootfs="$workdir/rootfs"
  mkdir -p "$rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" >"$workdir/debootstrap.log" 2>&1 || {
    tail -n 30 "$workdir/debootstrap.log" >&2
    die "debootstrap failed"
  }
  # The package lists debootstrap leaves behind are stale at once; images run apt-get update anyway.
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb
  tar -C "$rootfs" -c . | docker import - "$base_image" >/dev/null
}

# build NAME DOCKERFILE CONTEXT: quiet on success, the build's log tail on failure.
build() {
  local name="$1" dockerfile="$2" context="$3" tag="verdict/$1:latest" start ms
  start=$(date +%s%N)
  if ! docker build -t "$tag" -f "$dockerfile" "$context" >"$workdir/$name.log" 2>&1; then
    tail -n 40 "$workdir/$name.log" >&2
    die "building $tag failed"
  fi
  ms=$((($(date +%s%N) - start) / 1000000))
  printf '%-24s %s  (%d.%d s)\n' "$tag" "$(docker image inspect -f '{{.Id}}' "$tag")" $((ms / 1000)) $((ms % 1000 / 100))
}

ensure_base_image
# Each context is a small directory of its own, never the repository root.
build runtime-base "$here/runtime-base.Dockerfile" "$harness_dir"
for l in "${selected[@]}"; do
  build "$l" "$here/$l.Dockerfile" "$here"
done

# The lock the worker checks at start (SANDBOX_IMAGE_LOCK_FILE): every language image that exists
# now, with its image ID, so a worker never judges with an image other than the one built here.
lock="$here/images.lock.json"
{
  printf '{'
  sep=''
  for l in "${languages[@]}"; do
    id="$(docker image inspect -f '{{.Id}}' "verdict/$l:latest" 2>/dev/null)" || continue
    printf '%s\n  "%s": "%s"' "$sep" "verdict/$l:latest" "$id"
    sep=','
  done
  printf '\n}\n'
} >"$lock.tmp"
mv "$lock.tmp" "$lock"
log "pinned image IDs written to ${lock#"$repo"/}"
