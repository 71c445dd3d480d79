#!/bin/bash
# testbed.sh: private, offline dockerd daemons (with their embedded BuildKit) for speck's e2e tests.
#
#   testbed.sh fetch FLAVOR     download the pinned Debian packages of FLAVOR and unpack them (cached)
#   testbed.sh start FLAVOR     fetch, then start the daemon unless it already answers; prints `env`
#   testbed.sh stop FLAVOR      stop the daemon, remove its bridge and leftover mounts (keeps its data)
#   testbed.sh status FLAVOR    exit 0 when the daemon answers
#   testbed.sh env FLAVOR       print `export` lines for DOCKER_HOST, DOCKER_CONFIG, PATH and the log file
#   testbed.sh images [FLAVOR]  build the offline base images (cached tarballs) and import them into the
#                               daemon of FLAVOR, or into the current DOCKER_HOST when FLAVOR is omitted;
#                               the Alpine stand-in needs the official Alpine minirootfs tarballs in
#                               SPECK_ALPINE_ROOTFS_DIR (default ../shared/alpine beside the clone)
#   testbed.sh stop-all         stop every daemon that has state under the cache dir
#   testbed.sh emulation [QEMU...]  register qemu interpreters with binfmt_misc (default qemu-aarch64;
#                               e.g. qemu-arm qemu-riscv64), to run foreign binaries, not to build them
#   testbed.sh host-pkg CMD PKG...  install each PKG from the host's suite unless its CMD is on PATH
#
# FLAVOR  d26: Debian trixie  docker.io/docker-cli 26.1.5, docker-buildx 0.13.1, containerd 1.7.24 (BuildKit 0.13)
#         d28: Debian sid     docker.io/docker-cli 28.5.2, docker-buildx 0.29.1, containerd 2.1.9  (BuildKit 0.25)
#
# Everything lives under SPECK_TESTBED_DIR (default: <repo>/.cache/testbed):
#   dl/apt-SUITE/    private apt state for SUITE (the host's apt configuration is never touched)
#   dl/FLAVOR/       downloaded .debs and their `dpkg -x` tree (the daemon's binaries)
#   img/             base image tarballs, named after a hash of their recipe (see base-images.sh), the
#                    Alpine stand-in's build context and its test keys (alpine-standin-*)
#   FLAVOR/          one daemon: data-root, exec-root, docker.sock, dockerd.pid, dockerd.log, docker-config
# With SPECK_TESTBED_STORE set (.ci/run sets it), dl/ and img/ are links into that directory instead:
# they hold only what is downloaded or built from pinned inputs (named after its recipe), so fresh
# clones on one machine share them the way a CI cache would. Daemon state always stays in the clone.
#
# Why it looks like this:
# - The daemons come from newer Debian suites because bookworm's docker is too old for BuildKit features
#   speck uses; their binaries need at most GLIBC_2.34, so they run on bookworm. Their runc needs
#   GLIBC_2.38, so the host's bookworm runc is used instead (installed with apt-get when missing).
# - Each daemon is isolated from any other dockerd on the host: own data-root, exec-root, socket,
#   pidfile, config file and DOCKER_CONFIG (which also holds the buildx plugin link), and a private
#   bridge with no NAT; iptables and ip forwarding are never touched. RUN steps get a network interface
#   but no route out; that is the point: builds must be offline.
# - The containerd image store is used because the classic store cannot export OCI/docker tarballs,
#   cannot load reproducibly and does not know oci-layout:// contexts.
# - The Debian mirror is read from the host's apt configuration at run time; no host name is stored.
# - Builds for other architectures cross-compile on amd64 and need no emulation; running what they
#   produce does (qemu-user). Registering an interpreter with binfmt_misc is GLOBAL kernel state:
#   every container runtime on the host, not only these daemons, then runs those binaries.
#   `emulation` does it idempotently and only for the interpreters named; undo with
#   `update-binfmts --disable qemu-aarch64`. `images` registers qemu-aarch64 first: the arm64 Node
#   base of the arm64 frontend image is made under it. SPECK_TESTBED_ARM64=1 makes `images` also
#   build the emulated gcc toolchains of the bench's comparison.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
base=${SPECK_TESTBED_DIR:-$repo/.cache/testbed}
sources=${SPECK_APT_SOURCES:-/etc/apt/sources.list.d/debian.sources}
store=${SPECK_TESTBED_STORE:-}

usage() { sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
die() { echo "testbed: $*" >&2; exit 1; }
log() { echo "testbed: $*" >&2; }

mirror_url() {
  local m; m=$(awk '/^URIs:/{print $2; exit}' "$sources" 2>/dev/null || true)
  [ -n "$m" ] || die "no 'URIs:' line in $sources; cannot find the Debian mirror"
  echo "$m"
}

# host_pkg CMD PACKAGE: make sure CMD exists, installing PACKAGE from the host's own suite if not.
# It waits for another apt run's lock (the unit and e2e set-ups may install at the same time), and
# refreshes the package lists once if the install fails (a fresh machine may have none yet).
host_pkg() {
  command -v "$1" >/dev/null 2>&1 && return 0
  log "installing $2 (needed for $1)"
  local apt=(apt-get -o DPkg::Lock::Timeout=600)
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq "$2" >&2 ||
    { "${apt[@]}" update -qq >&2 && DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq "$2" >&2; } ||
    die "apt-get install $2 failed"
}

# use_store: point dl/ and img/ at the shared store. A real directory already there (a test bed made
# before the store was set) is left alone: its contents are as good, only not shared.
use_store() {
  [ -n "$store" ] || return 0
  local d
  for d in dl img; do
    mkdir -p "$store/$d" "$base"
    if [ -L "$base/$d" ] || [ ! -e "$base/$d" ]; then ln -sfn "$store/$d" "$base/$d"
    else log "$base/$d is a directory; not sharing it with SPECK_TESTBED_STORE=$store"; fi
  done
}

# select_flavor FLAVOR: sets suite, pkgs, and the paths of that flavor.
select_flavor() {
  flavor=$1
  case $flavor in
    d26) suite=trixie
         pkgs=(docker.io=26.1.5+dfsg1-9+deb13u1+b1 docker-cli=26.1.5+dfsg1-9+deb13u1+b1
               docker-buildx=0.13.1+ds1-3 containerd=1.7.24~ds1-6+deb13u1) ;;
    d28) suite=sid
         pkgs=(docker.io=28.5.2+dfsg4-5 docker-cli=28.5.2+dfsg4-5
               docker-buildx=0.29.1+ds1-4 containerd=2.1.9+ds1-5) ;;
    *) die "unknown flavor '$flavor' (expected d26 or d28)" ;;
  esac
  pieces=$base/dl/$flavor
  root=$pieces/root
  bin=$root/usr/bin
  dir=$base/$flavor
  sock=$dir/docker.sock pidf=$dir/dockerd.pid logf=$dir/dockerd.log cfg=$dir/docker-config
  # containerd's sockets live under exec/ and unix socket paths are limited to 107 bytes.
  [ ${#dir} -le 60 ] || die "daemon dir is ${#dir} chars (> 60), unix sockets would not fit: $dir; set SPECK_TESTBED_DIR to a shorter path"
  # Interface names are limited to 15 bytes; the hash keeps clones of the repo apart.
  bridge=tb$(printf %s "$dir" | sha256sum | cut -c1-8)
}

# lock NAME: serialise concurrent callers (two vitest runs in one tree, parallel starts).
lock() {
  # Image builds write into img/, which clones share when there is a store: lock them there.
  local at=$base
  [ "$1" = images ] && [ -n "$store" ] && at=$store
  mkdir -p "$at"
  exec {lockfd}>"$at/.lock-$1"
  flock "$lockfd"
}

# Run apt against SUITE with a private sources.list, lists and cache under dl/apt-SUITE.
apt_suite() {
  local tool=$1; shift
  local state=$base/dl/apt-$suite
  mkdir -p "$state/lists/partial" "$state/cache/archives/partial"
  local line
  line="deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(mirror_url) $suite main"
  if [ "$(cat "$state/sources.list" 2>/dev/null || true)" != "$line" ]; then
    echo "$line" >"$state/sources.list"
    rm -f "$state/lists/"*_Packages* "$state/lists/"*Release*
  fi
  local opts=(-o "Dir::Etc::sourcelist=$state/sources.list" -o "Dir::Etc::sourceparts=-"
              -o "Dir::State::Lists=$state/lists" -o "Dir::Cache=$state/cache"
              -o "APT::Sandbox::User=root")
  if [ "${1:-}" != update ] && ! compgen -G "$state/lists/*_Packages" >/dev/null; then
    apt-get -qq "${opts[@]}" update >&2
  fi
  "$tool" "${opts[@]}" "$@"
}

fetch() {
  local want="${pkgs[*]}"
  [ "$(cat "$root/.complete" 2>/dev/null || true)" = "$want" ] && return 0
  host_pkg runc runc
  log "fetching $flavor ($suite): ${pkgs[*]}"
  rm -rf "$root" "$pieces/debs.tmp"
  mkdir -p "$pieces/debs.tmp"
  # Reuse .debs downloaded before (pinned versions may disappear from sid).
  cp -l "$pieces/debs/"*.deb "$pieces/debs.tmp/" 2>/dev/null || true
  local p missing=()
  for p in "${pkgs[@]}"; do
    compgen -G "$pieces/debs.tmp/${p%%=*}_${p#*=}_*.deb" >/dev/null || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    # A stale package list may not know the pinned version yet: refresh once and retry.
    ( cd "$pieces/debs.tmp" && apt_suite apt-get -qq download "${missing[@]}" ) >&2 ||
      ( apt_suite apt-get update && cd "$pieces/debs.tmp" && apt_suite apt-get -qq download "${missing[@]}" ) >&2 || {
        log "download failed: the pinned versions may be gone from $suite; it has:"
        apt_suite apt-cache policy docker.io docker-cli docker-buildx containerd >&2 || true
        exit 1
      }
  fi
  rm -rf "$pieces/debs" && mv "$pieces/debs.tmp" "$pieces/debs"
  local f
  for f in "$pieces/debs/"*.deb; do dpkg -x "$f" "$root"; done
  # The suite's runc would need GLIBC_2.38; dockerd finds the host's runc on PATH.
  rm -f "$root/usr/sbin/runc" "$root/usr/bin/runc"
  echo "$want" >"$root/.complete"
}

envlines() {
  echo "export DOCKER_HOST=unix://$sock"
  echo "export DOCKER_CONFIG=$cfg"
  echo "export SPECK_TESTBED_BIN=$bin"
  echo "export SPECK_TESTBED_LOG=$logf"
  echo "export PATH=$bin:\$PATH"
}

dk() { DOCKER_CONFIG=$cfg "$bin/docker" -H "unix://$sock" "$@"; }
alive() { [ -f "$pidf" ] && kill -0 "$(cat "$pidf")" 2>/dev/null; }
ready() { alive && dk version >/dev/null 2>&1; }

# Bridges are shared kernel state: pick a free 172.30.N.0/24 under a machine-wide lock.
make_bridge() {
  ip link show "$bridge" >/dev/null 2>&1 && return 0
  (
  flock 8
  local routes n sub=${SPECK_TESTBED_SUBNET:-}
  routes=$(ip -4 route) # captured first: `ip route | grep -q` dies of SIGPIPE under pipefail
  if [ -z "$sub" ]; then
    for n in $(seq 0 255); do
      grep -q "^172\.30\.$n\." <<<"$routes" || { sub=172.30.$n.1/24; break; }
    done
  fi
  [ -n "$sub" ] || die "no free 172.30.N.0/24 subnet; set SPECK_TESTBED_SUBNET=a.b.c.1/24"
  ip link add name "$bridge" type bridge
  ip addr add "$sub" dev "$bridge"
  ip link set "$bridge" up
  ) 8>/run/lock/speck-testbed-bridge.lock
}

start() {
  fetch
  if ready; then envlines; return 0; fi
  alive && die "dockerd pid $(cat "$pidf") is alive but does not answer; run: $0 stop $flavor"
  mkdir -p "$dir/data" "$dir/exec" "$cfg/cli-plugins"
  rm -f "$pidf" "$sock"
  ln -sfn "$root/usr/libexec/docker/cli-plugins/docker-buildx" "$cfg/cli-plugins/docker-buildx"
  [ -f "$cfg/config.json" ] || echo '{}' >"$cfg/config.json"
  echo '{"features": {"containerd-snapshotter": true}}' >"$dir/daemon.json"
  make_bridge
  echo "$bridge" >"$dir/bridge"
  log "starting dockerd $flavor on unix://$sock"
  # setsid: the daemon must not die with the shell (or vitest worker) that started it.
  PATH="$root/usr/sbin:$bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    setsid dockerd --config-file "$dir/daemon.json" \
      --data-root "$dir/data" --exec-root "$dir/exec" -H "unix://$sock" --pidfile "$pidf" \
      --bridge="$bridge" --iptables=false --ip6tables=false --ip-forward=false \
      >>"$logf" 2>&1 </dev/null {lockfd}>&- &
  local i
  for i in $(seq 240); do
    ready && { envlines; return 0; }
    sleep 0.25
  done
  tail -20 "$logf" >&2
  die "dockerd $flavor did not answer within 60 s; log: $logf"
}

stop() {
  local pid cpid i
  cpid=$(cat "$dir/exec/containerd/containerd.pid" 2>/dev/null || true)
  if alive; then
    pid=$(cat "$pidf")
    log "stopping dockerd $flavor (pid $pid)"
    kill -TERM "$pid"
    for i in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then log "dockerd $pid ignored SIGTERM for 30 s; SIGKILL"; kill -KILL "$pid"; fi
  fi
  # dockerd normally takes its managed containerd down; make sure, but only if that pid is ours.
  if [ -n "$cpid" ] && grep -qs "$dir/exec" "/proc/$cpid/cmdline"; then
    kill -TERM "$cpid" 2>/dev/null || true
    for i in $(seq 50); do kill -0 "$cpid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$cpid" 2>/dev/null || true
  fi
  rm -f "$pidf"
  if [ -f "$dir/bridge" ]; then ip link del "$(cat "$dir/bridge")" 2>/dev/null || true; rm -f "$dir/bridge"; fi
  # Leftover mounts (netns, overlays, shm) under the daemon dir, deepest first.
  awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r |
    while read -r m; do umount -l "$m" 2>/dev/null || true; done
}

# emulation: qemu-user-static and binfmt-support from the host's suite, binfmt_misc mounted, and
# qemu-aarch64 enabled (flags F: the interpreter is opened at registration, so it works in containers).
emulation() {
  local name entry
  for name in "${@:-qemu-aarch64}"; do
    case $name in qemu-*) ;; *) die "emulation: '$name' is not a qemu interpreter name (e.g. qemu-arm)" ;; esac
    entry=/proc/sys/fs/binfmt_misc/$name
    if [ -f "$entry" ] && grep -qx enabled "$entry"; then continue; fi
    # Registered but switched off (a test run killed inside binfmt.ts's no-emulation window leaves
    # it so): update-binfmts --enable leaves such an entry as it is, so switch it on directly.
    if [ -f "$entry" ]; then echo 1 >"$entry"; grep -qx enabled "$entry" && { log "re-enabled $name"; continue; }; fi
    host_pkg qemu-aarch64-static qemu-user-static
    host_pkg update-binfmts binfmt-support
    [ -f /proc/sys/fs/binfmt_misc/register ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
    update-binfmts --enable "$name" >&2 || die "update-binfmts --enable $name failed"
    grep -qx enabled "$entry" || die "$name is not enabled in binfmt_misc after update-binfmts"
    log "registered $name with binfmt_misc (global: every container runtime on this host sees it)"
  done
}

use_store
cmd=${1:-}
case $cmd in
  fetch|start|stop|status|env)
    [ $# -eq 2 ] || usage
    select_flavor "$2"
    case $cmd in
      fetch) lock "$flavor"; fetch ;;
      start) lock "$flavor"; start ;;
      stop) lock "$flavor"; stop ;;
      status) ready ;;
      env) envlines ;;
    esac ;;
  images)
    [ $# -le 2 ] || usage
    if [ $# -eq 2 ]; then
      select_flavor "$2"
      ready || die "daemon $flavor is not running; run: $0 start $flavor"
      export DOCKER_HOST=unix://$sock DOCKER_CONFIG=$cfg PATH=$bin:$PATH
    fi
    host_pkg mmdebstrap mmdebstrap
    lock images
    # The arm64 Node base of the arm64 frontend image is made under emulation (base-images.sh). Not
    # fatal here: when its tarball and image are up to date nothing runs under qemu, and another
    # test may have switched the interpreter off for a moment (binfmt.ts, withoutEmulation).
    (lock binfmt; emulation) || log "qemu-aarch64 is not enabled now; only a fresh arm64 base needs it"
    SPECK_TESTBED_DIR=$base "$here/base-images.sh" ;;
  emulation)
    shift
    lock binfmt; emulation "$@" ;;
  host-pkg)
    [ $# -ge 3 ] && [ $(($# % 2)) -eq 1 ] || usage
    shift
    while [ $# -gt 0 ]; do host_pkg "$1" "$2"; shift 2; done ;;
  stop-all)
    for d in "$base"/d*/; do
      [ -d "$d" ] || continue
      f=$(basename "$d")
      case $f in d26|d28) select_flavor "$f"; lock "$flavor"; stop ;; esac
    done ;;
  *) usage ;;
esac
