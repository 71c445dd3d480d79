// Platforms as the builder sees them, and their pb form. Parsing normalizes
// like containerd's platforms.Normalize so that "linux/aarch64" and
// "linux/arm64" name the same thing (and give the same op digests).

import type * as pb from "../proto/llb.js";
import { invalidArgument } from "./errors.js";

export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
  readonly osVersion?: string;
  readonly osFeatures?: readonly string[];
}

// containerd's platforms.Normalize: the spellings a user, a worker or an ELF
// header may use for one architecture all become one name.
function normalizeArch(arch: string, variant: string | undefined): [string, string | undefined] {
  const a = arch.toLowerCase();
  const v = variant?.toLowerCase() || undefined;
  switch (a) {
    case "i386":
    case "i686":
    case "x86":
      return ["386", undefined];
    case "x86_64":
    case "x86-64":
    case "amd64":
      return ["amd64", v === "v1" ? undefined : v];
    case "aarch64":
    case "arm64":
      return ["arm64", v === "8" || v === "v8" || v === "v8.0" ? undefined : v];
    case "armhf":
      return ["arm", "v7"];
    case "armel":
      return ["arm", "v6"];
    case "arm":
      if (v === undefined) return ["arm", "v7"];
      if (/^[5-8]$/.test(v)) return ["arm", `v${v}`];
      return ["arm", v];
    default:
      return [a, v];
  }
}

/** Parses `os/arch[/variant]` (e.g. `linux/arm64`, `linux/arm/v7`) and normalizes it. */
export function parsePlatform(spec: string): Platform {
  const parts = spec.split("/");
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === "")) {
    throw invalidArgument(`invalid platform "${spec}": expected os/arch or os/arch/variant, e.g. linux/amd64`);
  }
  const [os, arch, variant] = parts as [string, string, string | undefined];
  return normalizePlatform({ os, architecture: arch, ...(variant !== undefined ? { variant } : {}) });
}

export function normalizePlatform(p: Platform): Platform {
  const [architecture, variant] = normalizeArch(p.architecture, p.variant);
  return {
    os: p.os.toLowerCase(),
    architecture,
    ...(variant ? { variant } : {}),
    ...(p.osVersion ? { osVersion: p.osVersion } : {}),
    ...(p.osFeatures && p.osFeatures.length > 0 ? { osFeatures: [...p.osFeatures] } : {}),
  };
}

/**
 * `os/arch[/variant]`, the key BuildKit's frontends give platforms (containerd's
 * platforms.FormatAll): `(version+features)` follow the OS only when set.
 */
export function formatPlatform(p: Platform): string {
  const n = normalizePlatform(p);
  const features = n.osFeatures ?? [];
  const os = n.osVersion || features.length > 0 ? `${n.os}(${n.osVersion ?? ""}${features.length > 0 ? `+${features.join(",")}` : ""})` : n.os;
  return n.variant ? `${os}/${n.architecture}/${n.variant}` : `${os}/${n.architecture}`;
}

export function toPbPlatform(p: Platform): pb.Platform {
  const out: pb.Platform = { Architecture: p.architecture, OS: p.os };
  if (p.variant) out.Variant = p.variant;
  if (p.osVersion) out.OSVersion = p.osVersion;
  if (p.osFeatures && p.osFeatures.length > 0) out.OSFeatures = p.osFeatures;
  return out;
}

export function fromPbPlatform(p: pb.Platform): Platform {
  return {
    os: p.OS ?? "",
    architecture: p.Architecture ?? "",
    ...(p.Variant ? { variant: p.Variant } : {}),
    ...(p.OSVersion ? { osVersion: p.OSVersion } : {}),
    ...(p.OSFeatures && p.OSFeatures.length > 0 ? { osFeatures: p.OSFeatures } : {}),
  };
}

export function asPlatform(p: Platform | string): Platform {
  return typeof p === "string" ? parsePlatform(p) : normalizePlatform(p);
}
