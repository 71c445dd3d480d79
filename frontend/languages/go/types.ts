// What only a Go build plans: the main package, the module, where the module
// cache comes from. The shared Plan (plan/types.ts) knows nothing of it; a Go
// build's plan is a Plan with a `go` part (GoBuildPlan).

import type { Plan, Platform } from "../../plan/types.js";

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
      /** `sandbox`: from the network, with the build's `--network` (pipeline/network.ts); `none` when the modules come from a proxy context. */
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

/** A Go build's plan: the shared plan plus its Go part. */
export type GoBuildPlan = Plan & { readonly go: GoPlan };
