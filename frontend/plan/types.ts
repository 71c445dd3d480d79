// What the planner decides, as plain frozen data: enough for the LLB builder
// to emit the stages and for `speck explain` to describe them, with no
// decision left to either.

import type { CompilerName, Language, ProfileName } from "../speckfile/types.js";
import type { Platform } from "../../llb/index.js";

export type { Platform };

export interface Flag {
  /** One argv element, exactly as the compiler driver gets it. */
  readonly flag: string;
  /** One line: what it does and why this profile wants it. */
  readonly why: string;
  /** Only when the whole program is this language (a C++ exception unwinds through the C frames of a C++ program). */
  readonly only?: Language;
  /** Only with this compiler (its driver or its linker has the option; the other's does not need it). */
  readonly compiler?: CompilerName;
}

/** A named set of flags with the sentences `speck explain` and the README print. */
export interface Profile {
  readonly name: ProfileName;
  /** One line for tables. */
  readonly summary: string;
  /** What the profile gives up, in a sentence or two. */
  readonly tradeoffs: string;
  readonly flags: readonly Flag[];
}

/** The spec keys whose items become flags as written. */
export type UserFlagKey = "cflags" | "ldflags" | "defines" | "include";

/**
 * A flag in the final argv, and where it came from: explain prints `why`, and
 * the build decides by `from` (and a user flag's `key`), never by the words.
 */
export type PlannedFlag = Flag & (
  | { readonly from: "compiler" | "profile" | "determinism" | "sbom" }
  /** Written by the user under `key`: `ldflags` may name context files (a linker script). */
  | { readonly from: "user"; readonly key: UserFlagKey }
);

/** The target's root: where its libraries are installed and what clang gets as --sysroot. */
export interface SysrootPlan {
  /** `/<triple>` */
  readonly path: string;
  readonly triple: string;
  /** apk's name for the target architecture (`apk --arch`, `/<triple>/etc/apk/arch`). */
  readonly apkArch: string;
  /** `apk --root` packages: the C library, libgcc (in `gcc`), libstdc++ for C++ (in `g++`), the spec's `packages`. */
  readonly packages: readonly string[];
}

export interface ToolchainPlan {
  /** Base image reference as the spec names it; the frontend pins it to a digest. */
  readonly image: string;
  /** The compiler's name as the language calls it (`clang`, `gcc`, or a language's own toolchain). */
  readonly compiler: string;
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
  /** `-l` arguments for `libs`, in the spec's order: the last inputs of every link. */
  readonly libs: readonly string[];
  /** Every flag after the driver, with its reason, in argv order (sources, their `-x` switches and -o excluded). */
  readonly flags: readonly PlannedFlag[];
  /**
   * With an SBOM asked for: the link writes its map file here (a second fresh
   * mount of the link step), so the frontend can read what was linked.
   */
  readonly linkMap?: { readonly dir: string; readonly path: string };
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
