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
  readonly from: "compiler" | "profile" | "determinism" | "user" | "sbom";
}

export interface ToolchainPlan {
  /** Base image reference as the spec names it; the frontend pins it to a digest. */
  readonly image: string;
  /** `go` for Go builds, whose toolchain is the Go distribution (with gcc for cgo). */
  readonly compiler: CompilerName | "go";
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

/** Where a Go build's module cache comes from. */
export type GoModules =
  /** go.mod requires nothing: no module cache at all. */
  | { readonly kind: "none" }
  /** vendor/modules.txt is in the context: `-mod=vendor`, nothing to download. */
  | { readonly kind: "vendor" }
  /** A ready module cache from the `gomodcache` named context. */
  | { readonly kind: "cache" }
  /** A `go mod download` op whose cache key is go.mod and go.sum only (mount selectors). */
  | {
      readonly kind: "download";
      readonly argv: readonly string[];
      /** `KEY=VALUE`, sorted. */
      readonly env: readonly string[];
      /** The only context files the op sees. */
      readonly files: readonly string[];
      /** `sandbox` fetches from the network; `none` when the modules come from a proxy context. */
      readonly network: "sandbox" | "none";
      /** Whether the `goproxy` named context is mounted as GOPROXY. */
      readonly proxy: boolean;
    };

/** What only a Go build has. */
export interface GoPlan {
  /** The main package, as `go build` takes it. */
  readonly main: string;
  /** The module path from go.mod. */
  readonly module: string;
  /** go.mod's `go` line, if any. */
  readonly goVersion?: string;
  /** Where the toolchain runs: the worker's platform (Go cross-compiles natively), the target's with cgo. */
  readonly buildPlatform: Platform;
  /** CGO_ENABLED=1, linked statically by the toolchain's C compiler. */
  readonly cgo: boolean;
  readonly modules: GoModules;
  /** The modules go.mod requires, direct and indirect (for a bill of materials). */
  readonly requires: readonly { readonly path: string; readonly version: string }[];
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
  /** Present exactly for Go builds. */
  readonly go?: GoPlan;
}
