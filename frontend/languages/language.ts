// The seam every language plugs into: what speck asks a language, and the
// only way the rest of the frontend reaches one. A language is a folder
// (frontend/languages/<name>/) whose index.ts exports one LanguageSupport,
// and one line in registry.ts. The shared pipeline around it (spec, context,
// toolchain base, ELF check, image, SBOM document, explain) never branches
// on which language it is building.
//
// The phases a language fills in, in build order:
//   detect      `speck init`: does this folder hold a program of mine?
//   context     which context files the build sends
//   toolchain   the packages per target and where the toolchain runs
//               (resolved while the context transfers)
//   prepare     plan, fetch steps and the compile graph, as LLB stages
//               (in the frontend; prepareOffline builds the same stages for the CLI)
//   verify      what the ELF check says when the binary is not static
//   sbom        what went into the binary, for the SPDX document
//   explain     its lines in `speck explain`
//
// What comes next plugs in here: Rust is a folder (languages/rust/: Cargo.toml
// in detect, its fetch, dependency and workspace ops in prepare, Cargo.lock in
// its SbomCollector); CMake and Meson are a way of building C/C++, so they live
// in languages/c/ (prepare chooses by the spec's `build:`) and reuse its unit
// ops for the per-unit graph read from Ninja. A language's own spec keys are
// its SpecPart (languages/<name>/spec-part.ts, listed in registry.ts): its
// keys, which `sources` entries are its own and what they imply.

import type { SourceSpan } from "../errors.js";
import type { Platform, State } from "../../llb/index.js";
import type { GatewayClient } from "../gateway/index.js";
import type { Plan, ToolchainPlan } from "../plan/types.js";
import type { Context } from "../pipeline/context.js";
import type { NetworkSettings } from "../pipeline/network.js";
import type { SbomCollector } from "../pipeline/sbom.js";
import type { StageOptions } from "../pipeline/stages.js";
import type { Toolchain } from "../pipeline/toolchain.js";
import type { Language, Spec } from "../speckfile/types.js";

export interface LanguageSupport {
  /** The `language:` values this folder builds (C's folder builds `c` and `c++`). */
  readonly languages: readonly Language[];
  /** The language's name in prose: `C`, `C++`, `Go`. */
  title(language: Language): string;
  /** `speck init`: the spec's lines for a program of this language in `dir`, or undefined when there is none. */
  detect(dir: string): DetectedProgram | undefined;
  /** `speck init` when no language found a program: what this one looked for, if it says (C lists its extensions). */
  undetected?(dir: string): string;
  /**
   * For a language built from a directory another language builds too (`.`):
   * whether the context's files are a program of this language (a Cargo.toml
   * at the top). Asked only when the spec leaves `language:` out.
   */
  claimsContext?(files: readonly string[]): boolean;
  /** Every context pattern the compile reads (the image's files are added by the caller). */
  contextPatterns(spec: Spec): string[];
  /** Stage 1 alone, from the spec and the platforms: it does not wait for the context. */
  planToolchain(spec: Spec, platform: Platform, buildPlatform: Platform): ToolchainPlan;
  /** In the frontend: the plan and the LLB up to the compiled binary. */
  prepare(client: GatewayClient, request: PrepareRequest): Promise<PreparedBuild>;
  /** The CLI (`speck llb`, `speck explain`): the same stages from the local disk, with no daemon. */
  prepareOffline(request: OfflineRequest): OfflineBuildParts;
  /** Its lines in `speck explain`; `network` is what its ops that download get. */
  explain(plan: Plan, network: NetworkSettings): LanguageExplanation;
}

export interface DetectedProgram {
  /** The spec's lines after `# syntax=` and the build comment. */
  readonly lines: readonly string[];
  /** How `speck init` reports it: `a Go module`, `2 sources`. */
  readonly summary: string;
}

export interface PrepareRequest {
  readonly spec: Spec;
  /** Still arriving: a language plans its toolchain before it awaits it. */
  readonly context: Promise<Context>;
  readonly platform: Platform;
  /** The worker's platform. */
  readonly buildPlatform: Platform;
  readonly stage: StageOptions;
  readonly sourceDateEpoch: number;
  /** `--sbom`: the compile must leave what the SBOM reads (a C link's map). */
  readonly sbom: boolean;
}

/** What the shared pipeline needs from a language after its stages are built. */
export interface PreparedBuild {
  /** The spec, completed where the language had to read the context (a Go binary named after its module). */
  readonly spec: Spec;
  readonly plan: Plan;
  readonly toolchain: Toolchain;
  /** The binary's directory (the compile's output mount). */
  readonly compiled: State;
  /** Where the ELF check points, and what it suggests, when the binary comes out dynamic. */
  readonly staticCheck: StaticCheck;
  /** Turns a failed solve of `compiled` into a located error when the cause is known; rethrows otherwise. */
  explainFailure(e: unknown): Promise<never>;
  /** What went into the binary, for the SBOM (`--sbom`). */
  readonly collectSbom: SbomCollector;
}

export interface StaticCheck {
  readonly span?: SourceSpan;
  readonly hint?: string;
}

export interface OfflineRequest {
  readonly spec: Spec;
  /** The context's files, relative with `/`. */
  readonly files: readonly string[];
  /** Reads a context file from disk (up to `length` bytes). */
  readFile(path: string, length?: number): Uint8Array;
  readonly platform: Platform;
  readonly buildPlatform: Platform;
  readonly sourceDateEpoch: number;
  readonly context: State;
  readonly stage: StageOptions;
  /** The toolchain stages for a toolchain plan, as the CLI makes them (a named image, or the base plus packages). */
  toolchain(plan: ToolchainPlan): State;
}

export interface OfflineBuildParts {
  readonly spec: Spec;
  readonly plan: Plan;
  readonly compiled: State;
}

/** A language's lines in `speck explain`, placed by plan/explain.ts. */
export interface LanguageExplanation {
  /** Why the toolchain runs where it runs, after `runs on <platform>,`. */
  readonly toolchainRunsOn: string;
  /** Sections of its own after the toolchain (a Go module's), each line as printed. */
  readonly sections: readonly string[];
  /** How the compile runs, after its argv and environment. */
  readonly compile: readonly string[];
  /** The whole compile section, heading included, in place of the shared one-command section (argv, environment, `compile`): a build of several ops. */
  readonly compileSection?: readonly string[];
  /** The sources as listed, with a note where one is compiled unlike its program. */
  readonly sources: readonly string[];
}
