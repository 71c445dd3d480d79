// A CMake or Meson project as the build runs it (issue 21): configure once
// per target platform, read the target's commands back from ninja, then the
// same unit graph `sources:` builds use (unit-ops.ts), or one `ninja` op when
// the commands hold a shape speck does not split.
//
// The configure op's inputs are the build-system files and an empty stand-in
// for every C/C++ source and header (build-files.ts, configureView): editing
// a `.c` changes neither, so it does not configure again, and the configured
// tree (config.h, build.ninja) is the same cached result.

import { copy, digestOf, encodeDefinition, marshal, mkdir, mkfile, mount, scratch, type Mount, type Platform, type State } from "../../../llb/index.js";
import { UserError } from "../../errors.js";
import type { GatewayClient } from "../../gateway/index.js";
import { META_DIR, SRC_DIR } from "../../plan/plan.js";
import type { Plan } from "../../plan/types.js";
import type { Context } from "../../pipeline/context.js";
import type { CompileOutputs, StageOptions } from "../../pipeline/stages.js";
import { spanOf, type Spec } from "../../speckfile/types.js";
import { BUILD_DIR, CROSS_FILE, SPECK_DIR, TOOLCHAIN_FILE, cmakeToolchainFile, configureArgv, configureView, mesonCrossFile, projectFlags } from "./build-files.js";
import { classify, executableTargets, parseCommandLine } from "./ninja-commands.js";
import { contextSource, linkArgv, projectReads, projectScans, unitArgv, type ProjectScan } from "./project-plan.js";
import { systemTitle, type ProjectBuild } from "./spec-part.js";
import { archiveOp, linkOp, scanOp, stepOptions, unitOp } from "./unit-ops.js";
import { DEPS_FILE, OBJ_DIR } from "./unit-plan.js";

/** How the target was compiled, for progress, explain and the SBOM. */
export type ProjectMode = { readonly kind: "units"; readonly units: number; readonly archives: number } | { readonly kind: "ninja"; readonly why: string };

export interface ProjectOutputs extends CompileOutputs {
  readonly mode: ProjectMode;
  /** Where the link found the program's own objects (the SBOM lists them as its sources, not as packages). */
  readonly objectDir: string;
  /** The context paths of the compiled sources. */
  readonly sources: readonly string[];
}

const LOG_DIR = "/log";
const READ_DIR = "/ninja";
/** The configure's output and exit status go to files: a failure is read back and shown as the tool said it. */
const CONFIGURE_SCRIPT = `"$@" >${LOG_DIR}/output 2>&1; echo $? >${LOG_DIR}/status`;
/**
 * `ninja -t targets all` and `ninja -t commands <target>` (the target is `$1`,
 * an argument, never script text); samurai and ninja both have both tools
 * (see ninja-commands.ts for where).
 */
const READ_SCRIPT = `ninja -C ${BUILD_DIR} -t targets all >${READ_DIR}/targets && { ninja -C ${BUILD_DIR} -t commands "$1" >${READ_DIR}/commands 2>${READ_DIR}/error; echo $? >${READ_DIR}/status; }`;


/** Parent directories of `files`, parents first. */
function directories(files: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.split("/").slice(0, -1);
    for (let i = 1; i <= parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
  }
  return [...dirs].sort();
}

/** The configure step: the tree it writes, its log (output and exit status), and speck's toolchain or cross file. */
export function configureOp(toolchain: State, context: State, files: readonly string[], plan: Plan, cxxPlan: Plan, project: ProjectBuild, platformId: string, opts: StageOptions): { tree: State; log: State; speckFiles: State } {
  const view = configureView(files);
  const viewState = scratch().file([
    ...directories(files).map((d) => mkdir(`/${d}`, 0o755)),
    ...view.real.map((f) => copy(context, `/${f}`, `/${f}`)),
    ...view.empty.map((f) => mkfile(`/${f}`, 0o644, "")),
  ]);
  const triple = plan.toolchain.sysroot?.triple ?? "";
  const c = projectFlags(plan);
  const cxx = projectFlags(cxxPlan);
  const speckFiles = scratch().file(
    project.system === "cmake"
      ? [mkfile(TOOLCHAIN_FILE.slice(SPECK_DIR.length), 0o644, cmakeToolchainFile(c, cxx, triple, plan.toolchain.sysroot?.path ?? ""))]
      : [mkfile(CROSS_FILE.slice(SPECK_DIR.length), 0o644, mesonCrossFile(c, cxx, triple))],
  );
  const argv = configureArgv(project, SRC_DIR);
  const exec = toolchain.run({
    ...stepOptions(plan, opts),
    args: ["sh", "-c", CONFIGURE_SCRIPT, "speck-configure", ...argv],
    cwd: "/",
    mounts: [
      mount.bind(SRC_DIR, viewState, { readonly: true }),
      mount.bind(SPECK_DIR, speckFiles, { readonly: true }),
      mount.bind(BUILD_DIR, scratch()),
      mount.bind(LOG_DIR, scratch()),
      // With --sbom every link writes a map there, the configure's test programs' too (the result is dropped).
      ...(plan.compile.linkMap ? [mount.bind(plan.compile.linkMap.dir, scratch())] : []),
    ],
    customName: `[configure ${platformId}] ${argv.join(" ")}`,
  });
  return { tree: exec.getMount(BUILD_DIR), log: exec.getMount(LOG_DIR), speckFiles };
}

/**
 * The one-op build: ninja builds the target in a copy of the configured tree.
 * speck's toolchain or cross file is mounted where the configure saw it:
 * build.ninja depends on it, and a missing input would make ninja run the
 * configure again.
 */
export function ninjaOp(toolchain: State, context: State, tree: State, speckFiles: State, plan: Plan, target: string, output: string, why: string, platformId: string, opts: StageOptions): CompileOutputs {
  const c = plan.compile;
  const exec = toolchain.run({
    ...stepOptions(plan, opts),
    args: ["ninja", "-C", BUILD_DIR, target],
    cwd: BUILD_DIR,
    mounts: [mount.bind(SRC_DIR, context, { readonly: true }), mount.bind(SPECK_DIR, speckFiles, { readonly: true }), mount.bind(BUILD_DIR, tree), ...(c.linkMap ? [mount.bind(c.linkMap.dir, scratch())] : [])],
    customName: `[compile ${platformId}] ninja ${target} (one step: ${why})`,
  });
  const binary = scratch().file([copy(exec.getMount(BUILD_DIR), `/${output}`, `/${plan.name}`)]);
  return { binary, ...(c.linkMap ? { linkMap: exec.getMount(c.linkMap.dir) } : {}) };
}

const decode = (b: Uint8Array) => new TextDecoder().decode(b);

async function solveAndRead(client: GatewayClient, state: State, platform: Platform, paths: readonly string[]): Promise<string[]> {
  const { ref } = await client.solve({ definition: encodeDefinition(marshal(state, { platform })), evaluate: true });
  return Promise.all(paths.map(async (p) => decode(await client.readFile(ref, p).catch(() => new Uint8Array()))));
}

/** The lines of a configure log that say what went wrong (CMake's `CMake Error at CMakeLists.txt:3`, Meson's `meson.build:3:0: ERROR:`). */
export function configureErrors(log: string): string {
  const lines = log.split("\n");
  const first = lines.findIndex((l) => /^CMake Error|ERROR:|error:/.test(l));
  const from = first < 0 ? Math.max(0, lines.length - 20) : first;
  return lines.slice(from, from + 20).join("\n").trimEnd();
}

/** CMake's warning about `-D` variables the project never read, as the option names. */
export function unusedOptions(log: string): string[] {
  const m = /Manually-specified variables were not used by the project:\n\n((?:\s+\S+\n)+)/.exec(log);
  return m ? (m[1] ?? "").split("\n").map((s) => s.trim()).filter((s) => s !== "") : [];
}

export interface ProjectStageRequest {
  readonly client: GatewayClient;
  readonly spec: Spec;
  readonly project: ProjectBuild;
  readonly toolchain: State;
  readonly context: Context;
  readonly plan: Plan;
  readonly cxxPlan: Plan;
  readonly platform: Platform;
  readonly platformId: string;
  readonly opts: StageOptions;
}

export async function projectStage(r: ProjectStageRequest): Promise<ProjectOutputs> {
  const { client, spec, project, toolchain, context, plan, platform, platformId, opts } = r;
  const title = systemTitle(project.system);
  const top = project.system === "cmake" ? "CMakeLists.txt" : "meson.build";
  if (!context.files.includes(top)) {
    throw new UserError([{ message: `\`build: ${project.system}\` needs a ${top} at the top of the build context, and there is none`, ...span(spec, "build"), hint: "build from the directory that holds it, or list `sources` instead of `build`" }], spec.file);
  }
  const { tree, log, speckFiles } = configureOp(toolchain, context.state, context.files, plan, r.cxxPlan, project, platformId, opts);
  const [status, output] = await solveAndRead(client, log, platform, ["status", "output"]);
  if ((status ?? "").trim() !== "0") {
    throw new UserError([{ message: `${title} could not configure the project:\n${configureErrors(output ?? "")}`, ...span(spec, "build") }], spec.file);
  }
  const unused = unusedOptions(output ?? "");
  if (unused.length > 0) {
    const def = marshal(log, { platform });
    const op = def.def[def.def.length - 2];
    const optSpan = spanOf(spec, "options");
    await client.warn({
      digest: op ? digestOf(op) : "",
      short: `${title} did not use ${unused.map((u) => `\`${u}\``).join(", ")} from \`options\` (CMake: "Manually-specified variables were not used by the project")`,
      info: { filename: spec.file.name, data: spec.file.data, language: spec.file.language },
      ...(optSpan ? { ranges: [optSpan] } : {}),
    });
    process.stderr.write(`speck: warning: ${title} did not use ${unused.join(", ")} from \`options\`\n`);
  }

  const read = toolchain
    .run({
      ...stepOptions(plan, opts),
      args: ["sh", "-c", READ_SCRIPT, "speck-ninja", project.target],
      cwd: BUILD_DIR,
      mounts: [mount.bind(BUILD_DIR, tree), mount.bind(READ_DIR, scratch())],
      customName: `[configure ${platformId}] ninja -t commands ${project.target}`,
    })
    .getMount(READ_DIR);
  const [targets, commands, readStatus] = await solveAndRead(client, read, platform, ["targets", "commands", "status"]);
  const executables = executableTargets(targets ?? "");
  const exe = executables.find((e) => e.target === project.target);
  if ((readStatus ?? "").trim() !== "0" || exe === undefined) {
    const list = executables.map((e) => `\`${e.target}\``).join(", ");
    throw new UserError(
      [{ message: `the ${title} project has no executable target \`${project.target}\``, ...span(spec, "target"), hint: executables.length > 0 ? `its executables: ${list}` : "it defines no executable" }],
      spec.file,
    );
  }

  const graph = classify(commands ?? "", BUILD_DIR);
  if ("why" in graph) {
    const out = ninjaOp(toolchain, context.state, tree, speckFiles, plan, project.target, exe.output, graph.why, platformId, opts);
    process.stderr.write(`speck: ${platformId}: ${project.target} builds as one ninja step: ${graph.why}\n`);
    // The SBOM still lists what ninja compiles: every line that reads as a compile names its source.
    const compiled = (commands ?? "").split("\n").flatMap((l) => parseCommandLine(l) ?? []).flatMap((s) => (s.kind === "compile" ? (contextSource(s.source) ?? []) : []));
    return { ...out, mode: { kind: "ninja", why: graph.why }, objectDir: BUILD_DIR, sources: [...new Set(compiled)] };
  }

  const treeWhole = mount.bind(BUILD_DIR, tree, { readonly: true });
  const runScans = async (scans: readonly ProjectScan[]) => {
    const states = scans.map((s) =>
      scanOp(toolchain, context.state, plan, { language: spec.language, sources: s.units.map((i) => graph.compiles[i]?.source ?? ""), reads: s.reads, argv: s.argv }, platformId, opts, { cwd: BUILD_DIR, mounts: [treeWhole] }),
    );
    const depfiles = await Promise.all(states.map(async (st) => (await solveAndRead(client, st, platform, [DEPS_FILE]))[0] ?? ""));
    return { scans, states, depfiles };
  };
  // A chunk does not see the other chunks' sources (a source that includes another fails there): then one scan per flag set decides, as compile-stage.ts does.
  const { scans, states: scanStates, depfiles } = await runScans(projectScans(graph.compiles, context.files)).catch(() => runScans(projectScans(graph.compiles)));
  const reads = projectReads(graph.compiles, scans, depfiles, context.files);
  const objects = new Map<string, State>();
  graph.compiles.forEach((c, i) => {
    const { argv, object } = unitArgv(c);
    const rd = reads[i];
    const treeMounts: Mount[] = rd === undefined ? [treeWhole] : rd.tree.map((f) => mount.bind(`${BUILD_DIR}/${f}`, tree, { readonly: true, selector: f }));
    const state = unitOp(toolchain, context.state, plan, { source: contextSource(c.source) ?? c.source, language: spec.language, reads: rd?.context, argv, object }, i, graph.compiles.length, platformId, opts, { cwd: BUILD_DIR, mounts: treeMounts });
    objects.set(`${BUILD_DIR}/${c.output}`.replace(/\/\.\//g, "/"), state);
  });
  const objectOf = (p: string) => objects.get(p.startsWith("/") ? p : `${BUILD_DIR}/${p}`);
  const archives = new Map<string, State>();
  for (const { archive, ranlib } of graph.archives) {
    const members = archive.members.map((m) => objectOf(m) as State);
    const dirs = members.map((_, k) => `${OBJ_DIR}/${k}`);
    const name = archive.archive.slice(archive.archive.lastIndexOf("/") + 1);
    const outDir = "/ar";
    const argv = [archive.argv[0] ?? "ar", archive.argv[1] ?? "qc", `${outDir}/${name}`, ...archive.members.map((m, k) => `${dirs[k]}/${m.slice(m.lastIndexOf("/") + 1)}`)];
    const ranlibArgv = ranlib ? [ranlib.argv[0] ?? "ranlib", `${outDir}/${name}`] : undefined;
    archives.set(archive.archive, archiveOp(toolchain, plan, members, dirs, argv, ranlibArgv, outDir, name, platformId, opts));
  }
  const linked: State[] = [];
  const inputPaths = new Map<string, string>();
  const objectDirs: string[] = [];
  for (const input of graph.link.inputs) {
    const state = objectOf(input) ?? archives.get(input);
    if (state === undefined) continue; // the target root's own archive, read through --sysroot
    const dir = `${OBJ_DIR}/${linked.length}`;
    linked.push(state);
    objectDirs.push(dir);
    inputPaths.set(input, `${dir}/${input.slice(input.lastIndexOf("/") + 1)}`);
  }
  const out = linkOp(toolchain, context.state, scanStates, linked, plan, { argv: linkArgv(graph.link.argv, inputPaths, plan.compile.output), objectDirs, needsContext: false }, platformId, opts);
  const sources = [...new Set(graph.compiles.flatMap((c) => contextSource(c.source) ?? []))];
  return { ...out, mode: { kind: "units", units: graph.compiles.length, archives: graph.archives.length }, objectDir: OBJ_DIR, sources };
}

function span(spec: Spec, key: string) {
  const s = spanOf(spec, key);
  return s ? { span: s } : {};
}
