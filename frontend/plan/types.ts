// What the planner decides, as plain frozen data: enough for the LLB builder
// to emit the stages and for `speck explain` to describe them, with no
// decision left to either.

import type { CompilerName, Language } from "../speckfile/types.js";
import type { SysrootPlan } from "./compiler.js";
import type { Flag, Profile } from "./profiles.js";
import type { Platform } from "../../llb/index.js";

export type { Platform };


/** A flag in the final argv, and where it came from (for explain). */
export interface PlannedFlag extends Flag {
  readonly from: "compiler" | "profile" | "determinism" | "user";
}

export interface ToolchainPlan {
  /** Base image reference as the spec names it; the frontend pins it to a digest. */
  readonly image: string;
  readonly compiler: CompilerName;
  /** The platform the toolchain and the compile run on: the build platform, or the target for gcc. */
  readonly platform: Platform;
  /** `platform` is not the build machine's: its steps run under emulation. */
  readonly emulated: boolean;
  /** `apk add` arguments for the toolchain itself: package names only, sorted and de-duplicated. */
  readonly packages: readonly string[];
  /** The target's root (`apk --root`), for clang. */
  readonly sysroot?: SysrootPlan;
  /** Warnings for the user (emulation). */
  readonly warnings: readonly string[];
}

export interface CompilePlan {
  /** The whole compiler invocation, one element per argument; never passed to a shell. */
  readonly argv: readonly string[];
  /** `KEY=VALUE`, sorted. */
  readonly env: readonly string[];
  /** Working directory: the read-only source mount. */
  readonly cwd: string;
  /** Where the context's files are mounted (read-only). */
  readonly srcDir: string;
  /** A fresh, empty mount the binary is written to. */
  readonly outDir: string;
  /** The binary's path inside the compile container. */
  readonly output: string;
  /** Every flag after the driver, with its reason, in argv order (sources and -o excluded). */
  readonly flags: readonly PlannedFlag[];
}

export interface ImageFilePlan {
  /** Path inside the build context. */
  readonly src: string;
  /** Absolute path inside the image. */
  readonly dest: string;
  readonly mode: number;
}

/** The image config, in OCI's field names (camelCase), plus the files to put in the image. */
export interface ImageConfigPlan {
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  readonly env: readonly string[];
  readonly user: string;
  readonly workingDir: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Keys like `8080/tcp`, as OCI's ExposedPorts has them. */
  readonly exposedPorts: readonly string[];
  readonly stopSignal?: string;
  /** The binary: `/<name>`, mode 0755, owned by 0:0. */
  readonly binary: { readonly path: string; readonly mode: number };
  readonly files: readonly ImageFilePlan[];
}

export interface Plan {
  readonly name: string;
  readonly language: Language;
  readonly platform: Platform;
  readonly profile: Profile;
  readonly toolchain: ToolchainPlan;
  /** Sources after glob expansion, relative to the context, in compile order. */
  readonly sources: readonly string[];
  readonly compile: CompilePlan;
  /** Context include patterns: `compile` for the source mount, `image` for the files copied into the image. */
  readonly context: { readonly compile: readonly string[]; readonly image: readonly string[] };
  readonly image: ImageConfigPlan;
  /** Largest binary size allowed, in bytes. */
  readonly budget?: number;
}
