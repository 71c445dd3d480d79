// What speck's target roots rely on, asked of apk itself: `docker run` of the Alpine the tests use
// (the stand-in or the real one) doing by hand what a speck build does in its toolchain stage, with
// one thing changed at a time. The script is fixed text; what varies is passed as its arguments.

import { docker, type Daemon, type RunResult } from "./helpers.js";
import { ALPINE_IMAGE, REAL_ALPINE } from "./alpine.js";

/** Where the target's keys come from: the build platform's /etc/apk/keys (what speck did before issue 18), or the target's own from alpine-keys. */
export type KeySource = "build-platform" | "target";

// $1 key source, $2 apk arch, $3 "scripts" or "no-scripts", then the packages. The target's keys are
// given as speck gives them (frontend/pipeline/apk-root.ts): an absolute --keys-dir, read in this
// container's own file system, where alpine-keys' links resolve.
const SCRIPT = `set -eu
keys=$1 arch=$2 scripts=$3
shift 3
R=/target-root
mkdir -p "$R/etc/apk/keys"
cp /etc/apk/repositories "$R/etc/apk/repositories"
case $keys in
  build-platform) cp -a /etc/apk/keys/. "$R/etc/apk/keys/"; dir=$R/etc/apk/keys ;;
  target) set -- --keys-dir /usr/share/apk/keys/"$arch" "$@"; dir=/usr/share/apk/keys/$arch ;;
esac
echo "keys: $(ls "$dir" | tr '\\n' ' ')"
[ "$scripts" = scripts ] || set -- --no-scripts "$@"
exec apk add --root "$R" --initdb --arch "$arch" --no-progress --update-cache "$@"
`;

/** apk's name for the daemon's own architecture and for a foreign one (the other of the two Alpine's CI runs on). */
export async function apkArches(daemon: Daemon): Promise<{ readonly own: string; readonly foreign: string }> {
  const arch = (await docker(daemon, ["version", "-f", "{{.Server.Arch}}"])).stdout.trim();
  if (arch === "amd64") return { own: "x86_64", foreign: "aarch64" };
  if (arch === "arm64") return { own: "aarch64", foreign: "x86_64" };
  throw new Error(`the daemon runs on ${arch}; these tests know amd64 and arm64 build machines`);
}

/**
 * `apk add --root /target-root --initdb --arch ARCH` in a fresh container of the tests' Alpine, the
 * root's keys taken from `keys`. Resolves with apk's exit code and output, whatever they are.
 */
export function apkIntoRoot(daemon: Daemon, o: { keys: KeySource; arch: string; scripts: boolean; packages: readonly string[] }): Promise<RunResult> {
  // Offline, the stand-in serves its repository on the container's own loopback: no network needed.
  const network = REAL_ALPINE ? [] : ["--network=none"];
  return docker(daemon, ["run", "--rm", ...network, ALPINE_IMAGE, "/bin/sh", "-c", SCRIPT, "sh", o.keys, o.arch, o.scripts ? "scripts" : "no-scripts", ...o.packages], {
    check: false,
    timeoutMs: 300_000,
  });
}
