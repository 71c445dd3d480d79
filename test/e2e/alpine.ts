// Which Alpine the end-to-end tests build through. Offline (the default), `alpine:3.22` is replaced by
// the test bed's stand-in, made from the real Alpine minirootfs (real apk-tools, real key layout, a
// locally signed repository; base-images.sh). With SPECK_E2E_REAL_ALPINE=1 and a network, nothing is
// replaced: the daemon pulls the real `alpine:3.22` and apk fetches from Alpine's mirrors, exactly as
// a user's build does (.github/workflows/real-alpine.yml runs that mode).
//
// This file is the one switch: every test that takes speck's default path gets its build contexts
// from `viaAlpine`, and asks the names of the packages and images that differ between the two
// worlds here.

/** The real Alpine and its mirrors instead of the stand-in. */
export const REAL_ALPINE = process.env["SPECK_E2E_REAL_ALPINE"] === "1";

/** The base image speck's default path names (frontend/plan: the default `toolchain.image`). */
export const ALPINE_REF = "alpine:3.22";

/** The test bed's stand-in for alpine:3.22 (base-images.sh). */
export const STANDIN = "local/speck-alpine-offline:3.22";
/** The same stand-in whose clang lacks the host's `/etc/clang*\/<triple>.cfg`: a build host of another architecture. */
export const STANDIN_NO_CFG = "local/speck-alpine-offline:3.22-nocfg";

/** The image a test runs directly (`docker run`) to act as that Alpine. */
export const ALPINE_IMAGE = REAL_ALPINE ? ALPINE_REF : STANDIN;

type DefaultPath = { readonly withoutToolchain: true; readonly buildContexts: Readonly<Record<string, string>> };

/** speckBuild options that take the default path (no prepared toolchain) through the tests' Alpine. */
export function viaAlpine(): DefaultPath {
  return REAL_ALPINE ? { withoutToolchain: true, buildContexts: {} } : viaBase(STANDIN);
}

/** The default path with `image` as alpine:3.22, in either mode (a variant the test made or chose). */
export function viaBase(image: string): DefaultPath {
  return image === ALPINE_REF ? { withoutToolchain: true, buildContexts: {} } : { withoutToolchain: true, buildContexts: { [ALPINE_REF]: `docker-image://${image}` } };
}

/**
 * A package with a `.post-install` script that a target root may be asked for. Offline: the stand-in
 * repository's test package; online: busybox, whose post-install makes its applet links.
 */
export const SCRIPTED_PACKAGE = REAL_ALPINE ? "busybox" : "speck-scripted";
