// Platforms as the gateway meets them: the `platform` option (where a lone OS
// or architecture is completed from the host, as Go's platforms.Parse does),
// the OCI JSON of `refs.platforms`, and the process's own platform. The type,
// normalization and result keys are llb/'s, the one owner of platforms.

import { formatPlatform, normalizePlatform, type Platform } from "../../llb/index.js";

export { formatPlatform, normalizePlatform, type Platform };

/** The OCI JSON form (`os.version`, `os.features`), as `refs.platforms` and image configs spell it. */
export function platformToOciJson(p: Platform): Record<string, unknown> {
  return {
    architecture: p.architecture,
    os: p.os,
    ...(p.osVersion ? { "os.version": p.osVersion } : {}),
    ...(p.osFeatures?.length ? { "os.features": p.osFeatures } : {}),
    ...(p.variant ? { variant: p.variant } : {}),
  };
}

export class PlatformParseError extends Error {
  override readonly name = "PlatformParseError";
}

const KNOWN_OS = new Set(["linux", "windows", "darwin", "freebsd", "netbsd", "openbsd", "solaris", "illumos", "aix"]);

/** Parses `os/arch[/variant]` (or a lone OS or architecture, completed from `host`). */
export function parsePlatform(spec: string, host: Platform = hostPlatform()): Platform {
  const parts = spec.trim().split("/");
  if (parts.some((x) => x === "") || parts.length > 3) {
    throw new PlatformParseError(`invalid platform "${spec}": expected os/arch[/variant], e.g. linux/amd64`);
  }
  const [first = "", second, third] = parts;
  if (parts.length === 1) {
    return KNOWN_OS.has(first.toLowerCase())
      ? normalizePlatform({ os: first, architecture: host.architecture, ...(host.variant ? { variant: host.variant } : {}) })
      : normalizePlatform({ os: host.os, architecture: first });
  }
  if (!KNOWN_OS.has(first.toLowerCase())) {
    throw new PlatformParseError(`invalid platform "${spec}": unknown operating system "${first}"`);
  }
  return normalizePlatform({ os: first, architecture: second ?? "", ...(third ? { variant: third } : {}) });
}

/** The platform of this process, the default when nothing else says (Go's platforms.DefaultSpec). */
export function hostPlatform(): Platform {
  const arch: Record<string, string> = { x64: "amd64", arm64: "arm64", arm: "arm", ia32: "386", ppc64: "ppc64le", s390x: "s390x", riscv64: "riscv64" };
  return normalizePlatform({ os: process.platform === "win32" ? "windows" : process.platform, architecture: arch[process.arch] ?? process.arch });
}
