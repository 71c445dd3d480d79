// Gathers what a speck Rust build's SBOM says: the binary's bytes, Cargo.lock
// and the manifests sent, the toolchain's package databases, and the crates
// linked for the target, from `cargo metadata --filter-platform <triple>` run
// on the skeleton (offline, the crates from the same place the build took
// them). The metadata goes to a file through a fixed `sh -c` program; cargo's
// argv is its arguments, never part of the script.

import { mount, scratch, type State } from "../../../llb/index.js";
import type { GatewayClient } from "../../gateway/index.js";
import { collectLanguageSbom, type LanguageBuildFacts, type WantedInput } from "../../sbom/collect.js";
import type { SbomInput } from "../../sbom/types.js";
import type { SolveStage } from "../../pipeline/sbom.js";
import { envRecord } from "../../pipeline/stages.js";
import { CARGO_TARGET_DIR } from "./plan.js";
import { linkedCrates, rustSbomPart, type CargoMetadata } from "./sbom-document.js";
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

/** The metadata argv: the target's platform only, the lock as written, no network. */
export function metadataArgv(plan: RustBuildPlan): string[] {
  const registry = plan.compile.argv.filter((a) => a.startsWith("--config=source."));
  return ["cargo", "metadata", "--format-version", "1", "--frozen", "--filter-platform", plan.rust.triple, ...registry];
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
    args: ["sh", "-c", `"$@" >${META_DIR}/metadata.json`, "sh", ...metadataArgv(plan)],
    env: envRecord(c.env),
    cwd: c.srcDir,
    user: "0:0",
    network: "none",
    mounts: [mount.bind(c.srcDir, stages.skeleton, { readonly: true }), ...cargoMounts(stages.inputs, plan), mount.bind(CARGO_TARGET_DIR, scratch()), mount.bind(META_DIR, scratch())],
    customName: `[sbom ${facts.platform}] ${metadataArgv(plan).join(" ")}`,
  }).getMount(META_DIR);
  const language = Promise.all([solve(meta, plan.rust.buildPlatform), client.readFile(facts.context, "Cargo.lock")]).then(async ([metaRef, lock]) => {
    const metadata = JSON.parse(new TextDecoder().decode(await client.readFile(metaRef, "metadata.json"))) as CargoMetadata;
    const crates = linkedCrates(metadata, plan.rust.package, new TextDecoder().decode(lock));
    return rustSbomPart(crates, `built from the binary target ${plan.rust.bin} of the Cargo package ${plan.rust.package}`);
  });
  return collectLanguageSbom(client, facts, rustInputs(stages.contextFiles, facts.imageFiles), language);
}
