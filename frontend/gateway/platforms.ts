// OCI platforms as the `platform` option, BUILDKIT_WORKERS and result keys use
// them, with containerd's normalization (platforms.Normalize) and the
// `os/arch[/variant]` ID that keys multi-platform results (platforms.FormatAll).

/** An OCI platform; structurally the same as llb/'s Platform, so values pass between the layers as they are. */
export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
  readonly osVersion?: string;
  readonly osFeatures?: readonly string[];
}

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

/** Normalizes architecture/variant the way containerd does (x86_64 → amd64, aarch64 → arm64, armhf → arm/v7). */
export function normalizePlatform(p: Platform): Platform {
  const os = p.os.toLowerCase();
  let arch = p.architecture.toLowerCase();
  let variant = p.variant?.toLowerCase() ?? "";
  switch (arch) {
    case "i386":
    case "i686":
    case "x86":
      arch = "386";
      variant = "";
      break;
    case "x86_64":
    case "x86-64":
    case "amd64":
      arch = "amd64";
      if (variant === "v1") variant = "";
      break;
    case "aarch64":
    case "arm64":
      arch = "arm64";
      if (variant === "8" || variant === "v8" || variant === "v8.0") variant = "";
      break;
    case "armhf":
      arch = "arm";
      variant = "v7";
      break;
    case "armel":
      arch = "arm";
      variant = "v6";
      break;
    case "arm":
      if (variant === "") variant = "v7";
      else if (/^[5-8]$/.test(variant)) variant = `v${variant}`;
      break;
  }
  const out: { -readonly [K in keyof Platform]: Platform[K] } = { os, architecture: arch };
  if (variant) out.variant = variant;
  if (p.osVersion) out.osVersion = p.osVersion;
  if (p.osFeatures?.length) out.osFeatures = p.osFeatures;
  return out;
}

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

/** The result key of a platform: `os/arch[/variant]`, with `(version+features)` after the OS when set. */
export function formatPlatform(p: Platform): string {
  const n = normalizePlatform(p);
  let os = n.os;
  const version = n.osVersion ?? "";
  const features = n.osFeatures ?? [];
  if (version || features.length) os += `(${version}${features.length ? `+${features.join(",")}` : ""})`;
  return [os, n.architecture, n.variant].filter((x) => x).join("/");
}

/** The platform of this process, the default when nothing else says (Go's platforms.DefaultSpec). */
export function hostPlatform(): Platform {
  const arch: Record<string, string> = { x64: "amd64", arm64: "arm64", arm: "arm", ia32: "386", ppc64: "ppc64le", s390x: "s390x", riscv64: "riscv64" };
  return normalizePlatform({ os: process.platform === "win32" ? "windows" : process.platform, architecture: arch[process.arch] ?? process.arch });
}
