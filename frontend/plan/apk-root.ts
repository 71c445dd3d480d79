// The target's root, `/<triple>`, as apk-tools 2.14 builds it: which keys it
// trusts, where its downloads go, and why no install script runs. Each choice
// rests on a behaviour of real apk-tools (v2.14.4, `src/`), observed with the
// Alpine 3.20.3 minirootfs in ../shared/reference/apk-facts.md (its sections
// named below).
//
// The rule behind keys and cache alike: with `--root R`, apk opens both with
// `openat(root_fd, path)` (database.c:1619 for the cache, 1653-1655 for the
// keys), so an absolute path names the build machine's file system and a
// relative one a path inside R.

import type { SysrootPlan } from "./types.js";

/**
 * The keys apk trusts for the target's index: the base image's own
 * `alpine-keys`, the directory of the target architecture. On Alpine,
 * /etc/apk/keys holds only the build platform's family, which no other
 * architecture's index is signed with (apk-facts a: `UNTRUSTED signature`,
 * then `no such package`); `/usr/share/apk/keys/<arch>/` holds each
 * architecture's, as links to `../<name>.rsa.pub`.
 *
 * Absolute, so apk reads it in the toolchain's file system, not in the root
 * (database.c:1653-1655; apk-facts e: "the absolute /usr/share/apk/keys/aarch64
 * is read on the host. The install succeeds with no keys in R"). The links
 * resolve there as they do for the base image's own apk, and nothing is copied:
 * a FileOp copy keeps the links inside a copied directory as links (they would
 * dangle in the root, apk-facts e), and BuildKit 0.13 has no action that makes
 * one. These are the files the base image's own apk already trusts, so no
 * `--allow-untrusted` is ever needed.
 */
export function targetKeysDir(sysroot: SysrootPlan): string {
  return `/usr/share/apk/keys/${sysroot.apkArch}`;
}

/**
 * `--cache-dir` as apk resolves it inside the root: relative (database.c:1619;
 * apk-facts c: an absolute `/var/cache/apk` is the build machine's, so the
 * target's packages landed in the toolchain layer, and `var/cache/apk` puts
 * them in `R/var/cache/apk`). apk caches nothing if the directory is missing
 * (apk-facts c), so the cache mount at `targetCacheMount` is that directory.
 */
export const TARGET_CACHE_DIR = "var/cache/apk";

/** Where the target's cache mount sits: the directory `--cache-dir` names, seen from outside the root. */
export function targetCacheMount(sysroot: SysrootPlan): string {
  return `${sysroot.path}/${TARGET_CACHE_DIR}`;
}

/**
 * The one `apk add` that fills the root. `--arch` writes `R/etc/apk/arch`
 * itself (database.c:1539-1541, 1589-1590; apk-facts e), so the root needs only
 * the repositories beforehand.
 *
 * `--no-scripts`: with `--root`, apk runs a package's script by chrooting
 * into R and executing it (database.c:1943-1954, package.c:1049-1062), which
 * needs R's own /bin/sh and, for a foreign architecture, an emulator; without
 * one the script exits 127 and apk fails (apk-facts d). The root holds only
 * headers and libraries for the linker: no script of theirs has anything to
 * do there. apk still installs every file and stores the script
 * (package.c:1046; apk-facts d: OK, rc=0).
 */
export function targetRootInstallArgv(sysroot: SysrootPlan): string[] {
  return [
    "apk", "add", "--root", sysroot.path, "--initdb", "--arch", sysroot.apkArch,
    "--keys-dir", targetKeysDir(sysroot), "--no-scripts",
    "--no-progress", "--update-cache", "--cache-dir", TARGET_CACHE_DIR, ...sysroot.packages,
  ];
}
