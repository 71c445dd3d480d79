// A Cargo workspace's way through the pipeline: read its manifests and lock
// from the context, choose the binary, plan, then the ops on the build
// platform: skeleton -> fetch -> dependencies -> workspace.
//
// cargo's own failures (a Cargo.lock that --locked refuses, a crate that will
// not link statically) are found after the fact, as Go's are: explainFailure
// runs the compile once more with its error output kept, and turns what cargo
// said into a located error. A build that succeeds pays nothing for it.

import { encodeDefinition, image, local, marshal, mount, scratch, type State } from "../../../llb/index.js";
import type { GatewayClient } from "../../gateway/index.js";
import { formatPlatform } from "../../gateway/platforms.js";
import { GatewayError } from "../../gateway/status.js";
import { parseSpec, spanOf, type Spec } from "../../speckfile/index.js";
import { UserError, type Problem } from "../../errors.js";
import type { Context } from "../../pipeline/context.js";
import { locationOf } from "../../pipeline/locations.js";
import { envRecord } from "../../pipeline/stages.js";
import type { BuildNetwork } from "../../pipeline/network.js";
import { resolveToolchain } from "../../pipeline/toolchain.js";
import type { PreparedBuild, PrepareRequest } from "../language.js";
import { CARGO_TARGET_DIR, chooseBinary, noManifest, planRust, rustToolchain } from "./plan.js";
import { rustSpecPart } from "./spec-part.js";
import { buildDependencies, buildWorkspace, cargoMounts, fetchCrates, fetchDownload, fetchRun, linkStdlib, skeleton, type CargoInputs } from "./stages.js";
import { collectRustSbom } from "./sbom.js";
import type { RustBuildPlan } from "./types.js";
import { cargoFile, readWorkspace, type CargoWorkspace } from "./workspace.js";

/** `--build-context cargoregistry=<dir>`: a cargo directory source that replaces cargo's default registry; no fetch op, no network. */
export const CARGO_REGISTRY_CONTEXT = "cargoregistry";

/** The manifests the workspace may read: every Cargo.toml outside target/ and vendor/, and Cargo.lock. */
export function manifestFiles(files: readonly string[]): string[] {
  return files.filter((f) => (f === "Cargo.toml" || f.endsWith("/Cargo.toml") || f === "Cargo.lock") && !f.startsWith("target/") && !f.startsWith("vendor/"));
}

/** The workspace, its texts, and the spec named after its binary when `name` and `bin` are absent. */
export function readRust(spec0: Spec, files: readonly string[], texts: ReadonlyMap<string, Uint8Array>): { spec: Spec; workspace: CargoWorkspace; textOf: Map<string, string> } {
  if (!files.includes("Cargo.toml")) throw noManifest(spec0);
  const workspace = readWorkspace(files, (p) => {
    const b = texts.get(p);
    if (b === undefined) throw new TypeError(`readRust(): ${p} was not read`);
    return b;
  });
  const textOf = new Map([...texts].map(([p, b]) => [p, new TextDecoder().decode(b)]));
  let spec = spec0;
  if (spec0.name === "") {
    // Named after the one binary: the reparse takes its name the way Go's takes the module path.
        // chooseBinary says which binaries there are when there is not exactly one.
    const { bin } = chooseBinary(spec0, workspace, undefined);
    spec = parseSpec(spec0.file.name, spec0.file.data, { parts: [rustSpecPart], modulePath: bin, language: spec0.language });
  }
  return { spec, workspace, textOf };
}

export async function prepareRust(client: GatewayClient, request: PrepareRequest): Promise<PreparedBuild> {
  const { spec: spec0, context: contextLoading, platform, stage } = request;
  const toolchainPlan = rustToolchain(spec0, platform, request.buildPlatform);
  const buildPlatform = toolchainPlan.platform;
  const toolchaining = resolveToolchain(client, spec0, toolchainPlan, platform, stage);
  toolchaining.catch(() => undefined);
  const context = await contextLoading;
  const wanted = manifestFiles(context.files);
  const texts = new Map(await Promise.all(wanted.map(async (f) => [f, await client.readFile(context.ref, f)] as const)));
  const { spec: named, workspace, textOf } = readRust(spec0, context.files, texts);
  const registryValue = client.options.namedContext(CARGO_REGISTRY_CONTEXT, formatPlatform(buildPlatform));
  const registry = registryValue !== undefined ? namedTree(client, CARGO_REGISTRY_CONTEXT, registryValue) : undefined;
  const plan = planRust(named, { platform, buildPlatform, files: context.files, workspace, texts: textOf, registry: registry !== undefined, sourceDateEpoch: request.sourceDateEpoch });
  const spec = named;
  const toolchain = await toolchaining;
  const { compiled, tools, crates } = rustStages(toolchain.state, context.state, registry, plan, stage, spec);
  const sourcesSpan = spanOf(spec, "sources");
  return {
    spec,
    plan,
    toolchain,
    compiled,
    staticCheck: {
      ...(sourcesSpan ? { span: sourcesSpan } : {}),
      hint: "speck links Rust with -C target-feature=+crt-static; a crate linked a shared library anyway (a build script's cargo:rustc-link-lib=dylib=...): turn off the feature that asks for it, or add the library's static archive to `packages`",
    },
    explainFailure: async (e) => {
      const found = fetchFailed(e, plan)
        ? await diagnoseFetch(client, toolchain.state, skeleton(context.state, plan), plan, spec, stage).catch(() => undefined)
        : await diagnose(client, { toolchain: tools, crates, registry }, context, plan, spec).catch(() => undefined);
      if (found) throw new UserError(found.problems, found.file, { cause: e });
      throw e;
    },
    collectSbom: async (c, shared, solve) => collectRustSbom(c, { ...shared, toolchain: await solve(toolchain.state, plan.toolchain.platform) }, solve, { plan, skeleton: skeleton(context.state, plan), inputs: { toolchain: tools, crates, registry }, contextFiles: context.files }),
  };
}

/** The ops from the toolchain to the binary, the same in the frontend and the CLI. */
export function rustStages(toolchain: State, context: State, registry: State | undefined, plan: RustBuildPlan, stage: PrepareRequest["stage"], spec: Spec): { compiled: State; tools: State; crates: State | undefined } {
  const pid = formatPlatform(plan.platform);
  const bpid = formatPlatform(plan.rust.buildPlatform);
  const label = pid === bpid ? pid : `${pid} on ${bpid}`;
  const tools = linkStdlib(toolchain, plan, pid, stage);
  const skel = skeleton(context, plan);
  const at = locationOf(spec, "sources");
  // The fetch op's argv has no target in it, but the toolchain state it runs on carries the target's root.
  const crates = fetchCrates(toolchain, skel, plan, bpid, stage, fetchDownloadOf(plan, spec), at);
  const inputs = { toolchain: tools, crates, registry };
  const deps = buildDependencies(inputs, skel, plan, label, stage, at);
  const compiled = buildWorkspace(inputs, context, deps, plan, label, stage, locationOf(spec, "bin") ?? at);
  return { compiled, tools, crates };
}

function fetchDownloadOf(plan: RustBuildPlan, spec: Spec) {
  const span = spanOf(spec, "sources");
  return fetchDownload(plan, { file: spec.file, ...(span ? { span } : {}) });
}

/** A named context as a file tree: a local directory or an image's root. */
function namedTree(client: GatewayClient, name: string, value: string): State {
  if (value.startsWith("local:")) {
    const dir = value.slice("local:".length);
    return local(dir, { sessionId: client.options.localSessionId(dir), sharedKeyHint: client.options.sharedKey(dir) ?? dir, customName: `[context ${name}] load ${dir}` });
  }
  if (value.startsWith("docker-image://")) return image(value.slice("docker-image://".length));
  throw new UserError(`--build-context ${name}=${value}: speck takes ${name} from a local directory or an image (docker-image://<ref>)`);
}

/** Where the diagnosis keeps cargo's error output. */
const DIAG_DIR = "/speck-diag";

/**
 * Whether the op that failed was the fetch op: BuildKit names a failed exec by
 * its argv, `process "<args joined by spaces>" did not complete successfully`
 * (solver/llbsolver/ops/exec.go, the same in v0.13.0).
 */
export function fetchFailed(e: unknown, plan: RustBuildPlan): boolean {
  const f = plan.rust.fetch;
  return f !== undefined && String(e instanceof Error ? e.message : e).includes(`process "${f.argv.join(" ")}" did not complete successfully`);
}

/**
 * After the fetch op failed: runs `cargo fetch --locked` once more
 * as the fetch op ran it (the same network, proxies and mounts), with cargo's
 * stderr kept, and when it fails again says so with cargo's own words: BuildKit's
 * message names only the exit code. Never from the cache: a network's answer
 * can change between two builds.
 */
async function diagnoseFetch(client: GatewayClient, toolchain: State, skel: State, plan: RustBuildPlan, spec: Spec, stage: PrepareRequest["stage"]): Promise<{ problems: Problem[]; file: Spec["file"] } | undefined> {
  const f = plan.rust.fetch;
  if (f === undefined) return undefined;
  const download = fetchDownloadOf(plan, spec);
  const base = fetchRun(skel, plan, stage, download);
  const run = toolchain.run({
    ...base,
    args: ["sh", "-c", `"$@" 2>${DIAG_DIR}/stderr; echo $? >${DIAG_DIR}/status`, "sh", ...f.argv],
    mounts: [...base.mounts, mount.bind(DIAG_DIR, scratch())],
    ignoreCache: true,
    customName: `[diagnose crates] ${f.argv.join(" ")}`,
  }).getMount(DIAG_DIR);
  const { ref } = await client.solve({ definition: encodeDefinition(marshal(run, { platform: plan.rust.buildPlatform })) });
  const status = new TextDecoder().decode(await client.readFile(ref, "status")).trim();
  if (status === "0") return undefined;
  const stderr = new TextDecoder().decode(await client.readFile(ref, "stderr"));
  return fetchFailure(stderr, download.op, stage.network?.mode ?? "sandbox", spec);
}

/** cargo's failed fetch as a located problem: its error and every cause, on one line. */
export function fetchFailure(stderr: string, op: string, network: BuildNetwork, spec: Spec): { problems: Problem[]; file: Spec["file"] } {
  const lines = stderr.split("\n");
  const errorAt = lines.findIndex((l) => /^error\b/.test(l));
  const said = (errorAt >= 0 ? lines.slice(errorAt) : lines).filter((l) => l.trim() !== "").join(" ").replace(/\s+/g, " ").trim();
  const span = spanOf(spec, "sources");
  const words = network === "host" ? "the host's network (--network=host)" : network === "none" ? "no network" : "the build's sandbox network";
  return {
    problems: [{
      message: `${op} failed with ${words}; cargo says: ${said || "(nothing on stderr)"}`,
      ...(span ? { span } : {}),
      hint: "the fetch op reaches the registries Cargo.lock names through the build's network: a registry or proxy on this machine's own network (127.0.0.1) needs --network=host; without a network, give the crates as vendor/ with .cargo/config.toml or --build-context cargoregistry=<dir>",
    }],
    file: spec.file,
  };
}

/**
 * Runs the compile once more from an empty target directory, with cargo's
 * stderr kept in a file (a fixed `sh -c` program; cargo's argv is passed as
 * its arguments, never spliced into the script), and reads what went wrong.
 */
async function diagnose(client: GatewayClient, inputs: CargoInputs, context: Context, plan: RustBuildPlan, spec: Spec): Promise<{ problems: Problem[]; file: Spec["file"] } | undefined> {
  const c = plan.compile;
  const run = inputs.toolchain.run({
    args: ["sh", "-c", `"$@" 2>${DIAG_DIR}/stderr; echo $? >${DIAG_DIR}/status`, "sh", ...c.argv],
    env: envRecord(c.env),
    cwd: c.cwd,
    user: "0:0",
    network: "none",
    mounts: [
      mount.bind(c.srcDir, context.state, { readonly: true }),
      ...cargoMounts(inputs, plan),
      mount.bind(CARGO_TARGET_DIR, scratch()),
      mount.bind(DIAG_DIR, scratch()),
    ],
    customName: `[diagnose ${formatPlatform(plan.platform)}] ${c.argv.join(" ")}`,
  }).getMount(DIAG_DIR);
  const { ref } = await client.solve({ definition: encodeDefinition(marshal(run, { platform: plan.rust.buildPlatform })) });
  const stderr = await client.readFile(ref, "stderr").then((b) => new TextDecoder().decode(b), (e: unknown) => (e instanceof GatewayError ? "" : Promise.reject(e)));
  return causeOf(stderr, spec, context.files.includes("Cargo.lock") ? await client.readFile(context.ref, "Cargo.lock") : undefined);
}

/** cargo's error, from its stderr, as located problems: an out-of-date lock, or a link that is not static. */
export function causeOf(stderr: string, spec: Spec, lock: Uint8Array | undefined): { problems: Problem[]; file: Spec["file"] } | undefined {
  const lines = stderr.split("\n");
  const errorAt = lines.findIndex((l) => /^error\b/.test(l));
  const words = errorAt >= 0 ? lines.slice(errorAt, errorAt + 3).filter((l) => l.trim() !== "").join(" ").replace(/\s+/g, " ").trim() : "";
  if (/needs to be updated but --(locked|frozen) was passed|lock file .* needs to be updated/.test(stderr) && lock !== undefined) {
    return {
      problems: [{ message: `Cargo.lock does not match the manifests, and speck builds with --locked; cargo says: ${words}`, span: { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } }, hint: "run `cargo update --workspace` (or any cargo build) and send the new Cargo.lock" }],
      file: cargoFile("Cargo.lock", lock),
    };
  }
  const link = /attempted static link of dynamic object [^\n]*|unable to find library -l[^\s]+|cannot find -l[^\s:]+|could not find native static library `[^`]+`[^\n]*/.exec(stderr);
  if (link) {
    const span = spanOf(spec, "packages") ?? spanOf(spec, "sources");
    return {
      problems: [{ message: `a crate does not link statically: ${link[0]} (speck links with -C target-feature=+crt-static, so every native library must be a static archive)`, ...(span ? { span } : {}), hint: "add the library's static package to `packages` (Alpine names them <name>-static), or turn off the crate feature that links it dynamically" }],
      file: spec.file,
    };
  }
  return undefined;
}
