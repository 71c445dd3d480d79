// Gathers what a speck Rust build's SBOM says: the binary's bytes, Cargo.lock
// and the manifests sent, the toolchain's package databases, and the crates
// compiled for the target, from `cargo tree` run on the skeleton (offline,
// the crates from the same place the build took them) with the build's own
// target, package and features. Its output goes to a file through a fixed
// `sh -c` program; cargo's argv is its arguments, never part of the script.
//
// Why `cargo tree` and not `cargo metadata`: metadata's `resolve` is the
// dependency resolver's graph for the whole workspace with dev-dependencies
// (cargo src/ops/cargo_metadata.rs, build_resolve_graph: Packages::All,
// HasDevUnits::Yes, `ws_resolve.targeted_resolve`), where a crate's features
// are unified across every member, build-dependency and dev-dependency.
// `cargo tree` walks the feature resolver's result for the `-p` package
// (src/ops/cargo_tree/graph.rs, add_pkg: an optional dependency only when
// `resolved_features.is_dep_activated`, a filter its comment says mirrors
// unit_dependencies::compute_deps, what `cargo build` compiles), with target
// and host apart (resolver 2). Recorded with cargo 1.95 on
// testdata/sbom-features: syn as a normal dependency without its default
// features and as a build-dependency with them; metadata's graph has
// syn -> quote as a normal edge, cargo tree for the target has no quote,
// which only the build script links.

import { mount, scratch, type State } from "../../../llb/index.js";
import type { GatewayClient } from "../../gateway/index.js";
import { collectLanguageSbom, type LanguageBuildFacts, type WantedInput } from "../../sbom/collect.js";
import type { SbomInput } from "../../sbom/types.js";
import type { SolveStage } from "../../pipeline/sbom.js";
import { envRecord } from "../../pipeline/stages.js";
import { CARGO_TARGET_DIR } from "./plan.js";
import { rustSbomPart, treeCrates } from "./sbom-document.js";
import { cargoMounts, type CargoInputs } from "./stages.js";
import type { RustBuildPlan } from "./types.js";

export type RustBuildFacts = LanguageBuildFacts;

export interface RustSbomStages {
  readonly plan: RustBuildPlan;
  readonly skeleton: State;
  readonly inputs: CargoInputs;
  readonly contextFiles: readonly string[];
}

const META_DIR = "/speck-meta";

/**
 * The crates compiled for the target: the binary's package with the build's
 * features, normal edges only and none into a proc-macro (so nothing a build
 * script or proc-macro alone uses), the lock as written, no network.
 */
export function treeArgv(plan: RustBuildPlan): string[] {
  const registry = plan.compile.argv.filter((a) => a.startsWith("--config=source."));
  const r = plan.rust;
  return ["cargo", "tree", "--frozen", ...registry, "--target", r.triple, "-p", r.package, ...r.featureArgs, "--edges", "normal,no-proc-macro", "--prefix", "none", "--format", "{p}"];
}

/** The files a Rust SBOM lists: the lock and manifests, the .rs files, the image's files. */
export function rustInputs(contextFiles: readonly string[], imageFiles: LanguageBuildFacts["imageFiles"]): WantedInput[] {
  const images = new Set(imageFiles.map((f) => f.src));
  const out: WantedInput[] = [];
  for (const f of contextFiles) {
    if (f.startsWith("target/") || f.startsWith("vendor/") || images.has(f)) continue;
    if (f === "Cargo.lock" || f === "Cargo.toml" || f.endsWith("/Cargo.toml")) out.push({ role: "module-file", src: f, path: f });
    else if (f.endsWith(".rs")) out.push({ role: "source", src: f, path: f, note: "a Rust file of the workspace (path relative to the context); cargo compiled those its crates' module trees reach" });
  }
  for (const f of imageFiles) out.push({ role: "image-file", src: f.src, path: f.dest });
  return out;
}

export async function collectRustSbom(client: GatewayClient, facts: RustBuildFacts, solve: SolveStage, stages: RustSbomStages): Promise<SbomInput> {
  const { plan } = stages;
  const c = plan.compile;
  const meta = stages.inputs.toolchain.run({
    args: ["sh", "-c", `"$@" >${META_DIR}/tree.txt`, "sh", ...treeArgv(plan)],
    env: envRecord(c.env),
    cwd: c.srcDir,
    user: "0:0",
    network: "none",
    mounts: [mount.bind(c.srcDir, stages.skeleton, { readonly: true }), ...cargoMounts(stages.inputs, plan), mount.bind(CARGO_TARGET_DIR, scratch()), mount.bind(META_DIR, scratch())],
    customName: `[sbom ${facts.platform}] ${treeArgv(plan).join(" ")}`,
  }).getMount(META_DIR);
  const language = Promise.all([solve(meta, plan.rust.buildPlatform), client.readFile(facts.context, "Cargo.lock")]).then(async ([metaRef, lock]) => {
    const tree = new TextDecoder().decode(await client.readFile(metaRef, "tree.txt"));
    const crates = treeCrates(tree, new TextDecoder().decode(lock));
    return rustSbomPart(crates, `built from the binary target ${plan.rust.bin} of the Cargo package ${plan.rust.package}`);
  });
  return collectLanguageSbom(client, facts, rustInputs(stages.contextFiles, facts.imageFiles), language);
}
