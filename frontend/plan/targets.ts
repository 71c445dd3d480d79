// The platforms speck builds for, as Alpine names them: the target triple
// (clang's --target and the name of the target's root) and apk's
// architecture. Facts from Alpine's apk_arch.h and tonistiigi/xx's xx-info.

import { UserError } from "../errors.js";
import type { SourceFile } from "../errors.js";
import type { Platform } from "../../llb/index.js";

/** A platform speck builds for, with Alpine's names for it. */
export interface TargetPlatform {
  /** `linux/arm/v7`: the OCI platform string, variant included. */
  readonly id: string;
  /** Alpine's target triple, e.g. `aarch64-alpine-linux-musl`. */
  readonly triple: string;
  /** apk's architecture (`apk --arch`, `/etc/apk/arch`), e.g. `aarch64`. */
  readonly apkArch: string;
}

/** Every platform Alpine publishes that musl supports, by OCI platform string. */
export const TARGET_PLATFORMS: readonly TargetPlatform[] = [
  { id: "linux/amd64", triple: "x86_64-alpine-linux-musl", apkArch: "x86_64" },
  { id: "linux/arm64", triple: "aarch64-alpine-linux-musl", apkArch: "aarch64" },
  { id: "linux/arm/v7", triple: "armv7-alpine-linux-musleabihf", apkArch: "armv7" },
  { id: "linux/arm/v6", triple: "armv6-alpine-linux-musleabihf", apkArch: "armhf" },
  { id: "linux/386", triple: "i586-alpine-linux-musl", apkArch: "x86" },
  { id: "linux/ppc64le", triple: "powerpc64le-alpine-linux-musl", apkArch: "ppc64le" },
  { id: "linux/s390x", triple: "s390x-alpine-linux-musl", apkArch: "s390x" },
  { id: "linux/riscv64", triple: "riscv64-alpine-linux-musl", apkArch: "riscv64" },
];

/** The architectures of TARGET_PLATFORMS, as OCI names them. */
export const SUPPORTED_ARCHITECTURES = [...new Set(TARGET_PLATFORMS.map((t) => t.id.split("/")[1] as string))];

/**
 * The target for a platform. `linux/arm` without a variant is v7 (as Docker
 * reads it); arm64's `v8` variant is arm64 itself.
 */
export function targetOf(platform: Platform, file?: SourceFile): TargetPlatform {
  const variant = platform.architecture === "arm" ? (platform.variant ?? "v7") : undefined;
  const id = `${platform.os}/${platform.architecture}${variant ? `/${variant}` : ""}`;
  const t = TARGET_PLATFORMS.find((x) => x.id === id);
  if (t === undefined) {
    throw new UserError(`cannot build for ${id}: speck builds linux images for ${TARGET_PLATFORMS.map((x) => x.id).join(", ")}`, file);
  }
  return t;
}

/**
 * Where a target's libraries and headers are installed (apk --root), and
 * what clang gets as --sysroot: `/<triple>`, as xx does it. A prepared
 * toolchain carries its targets' roots at the same paths.
 */
export function sysrootOf(target: TargetPlatform): string {
  return `/${target.triple}`;
}

/** apk's package database inside a root made with `apk --root` (for an SBOM of what was linked in). */
export const APK_INSTALLED_DB = "lib/apk/db/installed";

/**
 * The same machine: a binary for one runs on the other without emulation
 * (`linux/arm` without a variant is v7, as Docker reads it).
 */
export function sameMachine(a: Platform, b: Platform): boolean {
  if (a.os !== b.os || a.architecture !== b.architecture) return false;
  return a.architecture !== "arm" || (a.variant ?? "v7") === (b.variant ?? "v7");
}
