// Which compiler builds a target, and where it runs: the one seam that turns
// (spec, target platform, build platform) into the driver, the flags that
// select the target, the link-only flags and the packages, each with its
// reason for `speck explain`.
//
// clang (the default) runs on the build platform for every target: one
// cross compiler, `--target=<triple>`, the target's libraries in a second
// root at `/<triple>` (`apk --root`), and lld, which links every
// architecture. The same argv and the same root are used when the target
// is the build machine's own architecture, so a platform's binary does not
// depend on which machine compiled it (a CI fleet with amd64 and arm64
// runners publishes one digest per commit).
//
// gcc (`toolchain.compiler: gcc`) is the target's own native compiler: for
// another architecture its whole toolchain runs under emulation.

import { formatPlatform, type Platform } from "../../../llb/index.js";
import type { CompilerName, Spec } from "../../speckfile/types.js";
import { sameMachine, sysrootOf, targetOf, type TargetPlatform } from "../../plan/targets.js";
import type { PlannedFlag, SysrootPlan } from "../../plan/types.js";

/** The languages a C compiler driver builds. */
export type CLanguage = "c" | "c++";
import { NO_DEFAULT_CONFIG } from "./vendor-defaults.js";

export interface CompilerChoice {
  readonly name: CompilerName;
  readonly target: TargetPlatform;
  /** Where the toolchain stage and the compile run: the build platform for clang, the target for gcc. */
  readonly runsOn: Platform;
  /** The steps run under emulation: `runsOn` is not the build machine's architecture. */
  readonly emulated: boolean;
  /** The driver per C language (`clang`/`clang++`, `cc`/`c++`). */
  readonly drivers: Readonly<Record<CLanguage, string>>;
  /** Flags right after the driver that select the target and its root, on every compile and link. */
  readonly targetFlags: readonly PlannedFlag[];
  /** Flags that matter to the link only. */
  readonly linkFlags: readonly PlannedFlag[];
  /** Packages for the toolchain stage itself (apk add on `runsOn`). */
  readonly packages: readonly string[];
  /** The target's root, for clang; gcc uses its own system root. */
  readonly sysroot: SysrootPlan | undefined;
  /** Said to the user as build warnings (e.g. a step that runs under emulation). */
  readonly warnings: readonly string[];
}

/** The argv prefix of a compile or link in `language`: the driver and the target flags. */
export function driverArgv(choice: CompilerChoice, language: CLanguage): string[] {
  return [choice.drivers[language], ...choice.targetFlags.map((f) => f.flag)];
}

/**
 * The compiler for `spec` building for `targetPlatform` on a worker whose
 * platform is `buildPlatform`.
 */
export function chooseCompiler(spec: Spec, targetPlatform: Platform, buildPlatform: Platform): CompilerChoice {
  const target = targetOf(targetPlatform, spec.file);
  const libraries = [spec.language === "c++" ? "g++" : "gcc", "musl-dev"];
  if (spec.toolchain.compiler === "gcc") {
    const emulated = !sameMachine(targetPlatform, buildPlatform);
    return {
      name: "gcc",
      target,
      runsOn: targetPlatform,
      emulated,
      drivers: { c: "cc", "c++": "c++" },
      targetFlags: [],
      linkFlags: [],
      packages: sorted([...libraries, ...spec.packages]),
      sysroot: undefined,
      warnings: emulated
        ? [`${target.id}: toolchain.compiler is gcc, so the toolchain and the compile run under emulation on ${target.id} (several times slower than the default clang, which cross-compiles on ${formatPlatform(buildPlatform)})`]
        : [],
    };
  }
  const sysroot = sysrootOf(target);
  return {
    name: "clang",
    target,
    runsOn: buildPlatform,
    emulated: false,
    drivers: { c: "clang", "c++": "clang++" },
    targetFlags: [
      NO_DEFAULT_CONFIG,
      { flag: `--target=${target.triple}`, why: `compile for ${target.id} on the build machine: clang is one cross compiler for every target, with no emulation`, from: "compiler" },
      { flag: `--sysroot=${sysroot}`, why: `headers, crt files, libc and libgcc from the target's own root (apk --root ${sysroot}), the same whichever machine builds`, from: "compiler" },
    ],
    linkFlags: [
      { flag: "-fuse-ld=lld", why: "LLVM's linker: one linker for every architecture, and segments aligned in memory without padding the file", from: "compiler" },
    ],
    packages: ["clang", "lld"],
    sysroot: { path: sysroot, triple: target.triple, apkArch: target.apkArch, packages: sorted([...libraries, ...spec.packages]) },
    warnings: [],
  };
}

function sorted(xs: readonly string[]): string[] {
  return [...new Set(xs)].sort();
}
