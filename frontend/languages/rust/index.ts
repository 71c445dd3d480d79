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
import { showArgv } from "../../plan/explain.js";
import { describeNetwork, type NetworkSettings } from "../../pipeline/network.js";
import { CARGO_HOME, CARGO_REGISTRY_DIR, CARGO_TARGET_DIR, planRust, rustContextPatterns, rustToolchain } from "./plan.js";
import { CARGO_REGISTRY_CONTEXT, manifestFiles, prepareRust, readRust, rustStages } from "./prepare.js";
import { treeArgv } from "./sbom.js";
import { rustSpecPart } from "./spec-part.js";
import type { RustBuildPlan, RustPlan } from "./types.js";
import { SKELETON_VERSION } from "./workspace.js";

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
      sections: explainWorkspace(p, r),
      compile: [],
      compileSection: explainOps(p, r, network),
      sources: [...p.sources],
    };
  },
};

function rustPart(p: Plan): RustPlan {
  const r = (p as Partial<RustBuildPlan>).rust;
  if (r === undefined) throw new TypeError("a Rust plan without its Rust part (planRust makes both)");
  return r;
}

function explainWorkspace(p: Plan, r: RustPlan): string[] {
  const out = ["", `Cargo workspace: binary ${r.bin} of package ${r.package}, target ${r.triple}`];
  out.push(`  runs on   ${formatPlatform(r.buildPlatform)} (rustc cross-compiles; nothing is emulated)`);
  if (r.foreignStdlib) out.push(`  stdlib    rust-stdlib in /${r.triple}, linked as /usr/lib/rustlib/${r.triple} (Alpine's rust carries only the host's)`);
  out.push(`  features  ${r.featureArgs.length > 0 ? `${r.featureArgs.join(" ")} (from \`features\` and \`default-features\`)` : `the default features of ${r.package}`}`);
  out.push(`  skeleton  ${r.skeleton.filter((f) => !f.path.endsWith(".rs")).map((f) => f.path).join(", ")}, ${r.skeleton.filter((f) => f.path.endsWith(".rs")).length} stub targets${r.skeletonDirs.length > 0 ? `, ${r.skeletonDirs.join(", ")}/` : ""}; local versions masked as ${SKELETON_VERSION}`);
  out.push("", "Cargo profile (--config profile.release.<key>=<value>; speck's profile wins over Cargo.toml for these keys)");
  for (const x of r.settings) out.push(`  ${`${x.key} = ${x.value}`.padEnd(28)}  ${x.why}${x.manifest !== undefined ? ` (overrides Cargo.toml's [profile.release] ${x.key} = ${x.manifest})` : ""}`);
  for (const x of r.manifestKept) out.push(`  ${`${x.key} = ${x.value}`.padEnd(28)}  from Cargo.toml's [profile.release]: profile ${p.profile.name} does not set it, so cargo keeps it`);
  return out;
}

/** Where the crates come from when no fetch op runs. */
function noFetch(r: RustPlan): string {
  switch (r.supply.kind) {
    case "vendor": return "none: vendor/ and .cargo/config.toml are in the context, and the config's source replacement makes cargo read the crates from vendor/ (copied into the skeleton)";
    case "registry": return `none: --build-context ${CARGO_REGISTRY_CONTEXT}=<dir> is a cargo directory source, mounted read-only at ${CARGO_REGISTRY_DIR}; the --config=source.* flags below replace crates-io with it`;
    case "none": return "none: Cargo.lock names no registry or git crate";
    case "fetch": throw new TypeError("a fetch supply plans a fetch op");
  }
}

/** The cargo ops in the order they run, and the environment of the two that compile. */
function explainOps(p: Plan, r: RustPlan, network: NetworkSettings): string[] {
  const c = p.compile;
  const at = (label: string, first: string, ...more: string[]): string[] => [`  ${label.padEnd(14)}${first}`, ...more.map((m) => `  ${"".padEnd(14)}${m}`)];
  const out = ["", `Cargo ops (each one argv, no shell, on ${formatPlatform(r.buildPlatform)}; the sources read-only)`];
  out.push(...(r.fetch
    ? at("fetch", showArgv(r.fetch.argv), `with ${describeNetwork(network)}, on the skeleton only, with ${r.fetch.env.join(" ")}; --locked: the versions Cargo.lock pins, or an error`, `its output, ${CARGO_HOME}, is mounted into every op below`)
    : at("fetch", noFetch(r))));
  out.push(...at("dependencies", showArgv(r.dependencies.argv),
    "no network, on the skeleton: every dependency compiled as the workspace op compiles it, the stub binary stopped at its metadata (no codegen, no link)",
    `its output is ${CARGO_TARGET_DIR}; keyed only on the skeleton, the toolchain, the profile and the target: a workspace edit reuses it, a Cargo.lock edit runs it again${r.skeletonDirs.length > 0 ? `, and so does an edit under ${r.skeletonDirs.map((d) => `${d}/`).join(", ")}` : ""}`));
  out.push(...at("workspace", showArgv(c.argv),
    `no network, in ${c.cwd} on the real sources, starting from a copy-on-write mount of the dependency op's ${CARGO_TARGET_DIR}: cargo compiles the workspace's own crates and links`,
    `then ${CARGO_TARGET_DIR}/${r.artifact} is copied out as /${p.name}`));
  out.push(...at("sbom", `${showArgv(treeArgv(p as RustBuildPlan))}`, "with --sbom only: the crates compiled for the target with these features, none a build script or proc-macro alone uses"));
  out.push("", "Environment of the cargo ops (the target's settings are per target: build scripts and proc-macros, built for the build platform, keep cargo's defaults)");
  for (const v of r.environment) {
    out.push(v.parts ? `  ${v.name}=<the flags below>` : `  ${v.name}=${v.value}`, `      ${v.why}`);
    const width = Math.max(0, ...(v.parts ?? []).map((x) => x.flag.length));
    for (const x of v.parts ?? []) out.push(`        ${x.flag.padEnd(width)}  ${x.why}`);
  }
  return out;
}
