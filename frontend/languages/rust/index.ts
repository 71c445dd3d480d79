// Cargo workspaces: a static musl binary from Alpine's rust and cargo,
// cross-compiled on the build platform for every target, with the crates
// fetched by an op keyed on the lock and manifests, every dependency compiled
// by an op keyed on a skeleton of the workspace, and the workspace compiled
// on top of that.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { formatPlatform } from "../../../llb/index.js";
import type { Plan } from "../../plan/types.js";
import type { LanguageSupport } from "../language.js";
import { describeNetwork, type NetworkSettings } from "../../pipeline/network.js";
import { planRust, rustContextPatterns, rustToolchain } from "./plan.js";
import { manifestFiles, prepareRust, readRust, rustStages } from "./prepare.js";
import { rustSpecPart } from "./spec-part.js";
import type { RustBuildPlan, RustPlan } from "./types.js";

export const rustLanguage: LanguageSupport = {
  languages: ["rust"],
  title: rustSpecPart.title,
  detect: (dir) => (existsSync(join(dir, "Cargo.toml")) ? { lines: ["language: rust", "sources: [.]"], summary: "a Cargo workspace" } : undefined),
  claimsContext: (files) => files.includes("Cargo.toml"),
  contextPatterns: rustContextPatterns,
  planToolchain: rustToolchain,
  prepare: prepareRust,

  /** The manifests and lock come from disk; a `cargoregistry` context is the CLI's to name, so none here. */
  prepareOffline({ spec: spec0, files, readFile, platform, buildPlatform, context, stage, toolchain, sourceDateEpoch }) {
    rustToolchain(spec0, platform, buildPlatform);
    const texts = new Map(manifestFiles(files).map((f) => [f, readFile(f)] as const));
    const { spec, workspace, textOf } = readRust(spec0, files, texts);
    const plan = planRust(spec, { platform, buildPlatform, files, workspace, texts: textOf, sourceDateEpoch });
    const { compiled } = rustStages(toolchain(plan.toolchain), context, undefined, plan, stage, spec);
    return { spec, plan, compiled };
  },

  explain(p: Plan, network: NetworkSettings) {
    const r = rustPart(p);
    return {
      toolchainRunsOn: "the build platform: rustc cross-compiles every target (cargo --target), build scripts and proc-macros run natively",
      sections: explainWorkspace(r, network),
      compile: [
        `  the workspace op: starts from the dependency op's target directory (${"/target"}) and compiles the workspace's own crates, then the binary is copied from /target/${r.artifact}`,
      ],
      sources: [...p.sources],
    };
  },
};

function rustPart(p: Plan): RustPlan {
  const r = (p as Partial<RustBuildPlan>).rust;
  if (r === undefined) throw new TypeError("a Rust plan without its Rust part (planRust makes both)");
  return r;
}

function explainWorkspace(r: RustPlan, network: NetworkSettings): string[] {
  const out = ["", `Cargo workspace: binary ${r.bin} of package ${r.package}, target ${r.triple}`];
  out.push(`  runs on  ${formatPlatform(r.buildPlatform)} (rustc cross-compiles; nothing is emulated)`);
  if (r.foreignStdlib) out.push(`  stdlib   rust-stdlib in /${r.triple}, linked as /usr/lib/rustlib/${r.triple} (Alpine's rust carries only the host's)`);
  const s = r.supply;
  const crates =
    s.kind === "none" ? "none: Cargo.lock names no registry or git crate" :
    s.kind === "vendor" ? "vendor/ with .cargo/config.toml, nothing fetched" :
    s.kind === "registry" ? "the cargo directory source from --build-context cargoregistry, no network" :
    `${r.fetch?.argv.join(" ")} with ${describeNetwork(network)}, into CARGO_HOME=/cargo; sees only the skeleton`;
  out.push(`  crates   ${crates}`);
  out.push(`  skeleton ${r.skeleton.filter((f) => !f.path.endsWith(".rs")).map((f) => f.path).join(", ")}, ${r.skeleton.filter((f) => f.path.endsWith(".rs")).length} stub targets${r.skeletonDirs.length > 0 ? `, ${r.skeletonDirs.join(", ")}/` : ""}; local versions masked as 0.0.0-speck-skeleton`);
  out.push(`  deps     ${r.dependencies.argv.join(" ")}`);
  out.push("           keyed only on the skeleton, the toolchain, the profile and the target: a workspace edit reuses it, a Cargo.lock edit runs it again");
  out.push("", "Cargo profile (--config profile.release.<key>=<value>; speck's profile wins over Cargo.toml for these keys)");
  for (const x of r.settings) out.push(`  ${`${x.key} = ${x.value}`.padEnd(28)}  ${x.why}${x.manifest !== undefined ? ` (overrides Cargo.toml's [profile.release] ${x.key} = ${x.manifest})` : ""}`);
  return out;
}
