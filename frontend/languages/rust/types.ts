// What only a Rust build plans: the package and binary, where the crates come
// from, and the three cargo ops. The shared Plan knows nothing of it; a Rust
// build's plan is a Plan with a `rust` part (RustBuildPlan).

import type { Plan, Platform } from "../../plan/types.js";
import type { CargoSetting } from "./profiles.js";

/** Where a Rust build's crates come from. */
export type CrateSupply =
  /** `cargo fetch --locked` with network into CARGO_HOME: an op keyed on the skeleton only. */
  | { readonly kind: "fetch" }
  /** vendor/ and .cargo/config.toml in the context: cargo reads them; nothing is fetched. */
  | { readonly kind: "vendor" }
  /** `--build-context cargoregistry=<dir>`: a cargo directory source replaces cargo's default registry, offline. */
  | { readonly kind: "registry" }
  /** Cargo.lock names no crate from a registry: nothing to fetch. */
  | { readonly kind: "none" };

/** One cargo exec. */
export interface CargoOp {
  readonly argv: readonly string[];
  /** `KEY=VALUE`, sorted. */
  readonly env: readonly string[];
}

/** A file of the skeleton: a context file copied as is, or text speck wrote. */
export type SkeletonFile =
  | { readonly path: string; readonly from: "context" }
  | { readonly path: string; readonly from: "text"; readonly text: string; readonly why: string };

/** One variable of the cargo ops' environment, with why it is set. */
export interface CargoEnvVar {
  readonly name: string;
  readonly value: string;
  readonly why: string;
  /** A flags variable (RUSTFLAGS): each flag, as the value holds it space-separated, with its reason. */
  readonly parts?: readonly { readonly flag: string; readonly why: string }[];
}

export interface RustPlan {
  /** The package that holds the binary, as `cargo build -p` takes it. */
  readonly package: string;
  readonly bin: string;
  /** `--features a,b` and `--no-default-features` as the builds pass them: the SBOM's `cargo tree` takes the same. */
  readonly featureArgs: readonly string[];
  readonly triple: string;
  /** Where the toolchain and every cargo op run: the worker's platform. */
  readonly buildPlatform: Platform;
  /** The target's standard library comes from its own root (rust-stdlib), linked into rustc's sysroot. */
  readonly foreignStdlib: boolean;
  readonly supply: CrateSupply;
  /** The skeleton the fetch and dependency ops see: manifests, lock, stubs, local versions masked. */
  readonly skeleton: readonly SkeletonFile[];
  /** Directories copied whole into the skeleton (vendor/). */
  readonly skeletonDirs: readonly string[];
  readonly fetch?: CargoOp;
  readonly dependencies: CargoOp;
  /** Where the workspace op leaves the binary, inside the target directory. */
  readonly artifact: string;
  /** The profile's settings, and the workspace's `[profile.release]` value for each it overrides. */
  readonly settings: readonly (CargoSetting & { readonly manifest?: string })[];
  /** The workspace's `[profile.release]` keys the profile does not set: cargo keeps them. */
  readonly manifestKept: readonly { readonly key: string; readonly value: string }[];
  /** The environment of every cargo build op (the compile's `env` is these as `NAME=value`). */
  readonly environment: readonly CargoEnvVar[];
  /** Every local package (name), for the SBOM to leave out. */
  readonly localPackages: readonly string[];
}

export type RustBuildPlan = Plan & { readonly rust: RustPlan };
