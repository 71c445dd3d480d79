// C, C++ and mixed programs: clang (or gcc) from Alpine, one compiler run or
// a graph of translation units, an SBOM from the link map.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { formatPlatform } from "../../../llb/index.js";
import { spanOf } from "../../speckfile/types.js";
import { SOURCE_EXTENSIONS } from "./sources.js";
import { collectSbom } from "../../sbom/index.js";
import { compileOutputs } from "../../pipeline/stages.js";
import { resolveToolchain } from "../../pipeline/toolchain.js";
import type { Plan, ToolchainPlan } from "../../plan/types.js";
import type { LanguageSupport } from "../language.js";
import { compileStage } from "./compile-stage.js";
import { cSpecPart } from "./spec-part.js";
import { cCompilePatterns, cToolchain, planC } from "./plan.js";
import { languageSwitch } from "./source-languages.js";
import { compileMode, OBJ_DIR } from "./unit-plan.js";
import { cKeysOf } from "./spec-part.js";
import { explainProject, prepareProject, prepareProjectOffline } from "./project.js";

export const cLanguage: LanguageSupport = {
  languages: ["c", "c++"],
  title: cSpecPart.title,
  detect: detectSources,
  undetected: (dir) => `no C or C++ sources in ${dir} or ${join(dir, "src")} (looked for ${[...SOURCE_EXTENSIONS.keys()].join(", ")})`,
  contextPatterns: cCompilePatterns,
  planToolchain: cToolchain,

  async prepare(client, request) {
    if (cKeysOf(request.spec).project) return prepareProject(client, request);
    const { spec, context: contextLoading, platform, buildPlatform, stage, sourceDateEpoch, sbom } = request;
    const toolchain = await resolveToolchain(client, spec, cToolchain(spec, platform, buildPlatform), platform, stage);
    const context = await contextLoading;
    const plan = planC(spec, { platform, buildPlatform, files: context.files, sourceDateEpoch, linkMap: sbom });
    const outputs = await compileStage(client, toolchain.state, context, plan, platform, formatPlatform(platform), stage);
    const flagsSpan = spanOf(spec, "ldflags") ?? spanOf(spec, "cflags");
    return {
      spec,
      plan,
      toolchain,
      compiled: outputs.binary,
      staticCheck: flagsSpan ? { span: flagsSpan } : {},
      explainFailure: (e: unknown): Promise<never> => Promise.reject(e),
      collectSbom: async (c, shared, solve) => {
        const map = plan.compile.linkMap;
        if (map === undefined || outputs.linkMap === undefined) throw new Error("the SBOM of a C/C++ build needs the link map");
        const [toolchainRef, linkMap] = await Promise.all([solve(toolchain.state, plan.toolchain.platform), solve(outputs.linkMap, platform)]);
        // The map's path inside its own mount.
        return collectSbom(c, { ...shared, toolchain: toolchainRef, linkMap: { ref: linkMap, path: map.path.slice(map.dir.length + 1) }, objectDir: OBJ_DIR, sources: plan.sources });
      },
    };
  },

  prepareOffline(request) {
    if (cKeysOf(request.spec).project) return prepareProjectOffline(request);
    const { spec, files, platform, buildPlatform, sourceDateEpoch, context, stage, toolchain } = request;
    const plan = planC(spec, { platform, buildPlatform, files, sourceDateEpoch });
    // Offline there is no daemon to run the dependency scan: always one compiler run.
    const compiled = compileOutputs(toolchain(plan.toolchain), context, plan, formatPlatform(platform), stage).binary;
    return { spec, plan, compiled };
  },

  explain(p: Plan) {
    const project = explainProject(p);
    if (project) return { toolchainRunsOn: whereToolchainRuns(p.toolchain), ...project };
    const mode = compileMode(p);
    return {
      toolchainRunsOn: whereToolchainRuns(p.toolchain),
      sections: [],
      compile: [
        mode.kind === "units"
          ? `  run as ${p.sources.length} cached steps, one per source (the same flags and -c), shaped by a -M scan (through sh -c 'exec "$@" >/deps/deps.mk', a fixed script that keeps the driver's output), then one link: the same binary, and an edit re-runs only the units that read the edited file`
          : `  run as one step (${mode.why})`,
      ],
      sources: p.sources.map((s) => (languageSwitch(s, p.language) === "c" ? `${s} (compiled as C)` : s)),
    };
  },
};

/** Why the toolchain runs where it runs, in words. */
function whereToolchainRuns(tc: ToolchainPlan): string {
  if (tc.compiler === "gcc") return tc.emulated ? "the target, under emulation: toolchain.compiler is gcc" : "the target (toolchain.compiler: gcc)";
  return "the build platform: clang cross-compiles every target natively";
}

/** `speck init`: a CMake or Meson project at the top of `dir`, its first executable as the target. */
function detectProject(dir: string) {
  for (const [file, system, re] of [
    ["CMakeLists.txt", "cmake", /add_executable\s*\(\s*([A-Za-z0-9_.+-]+)/],
    ["meson.build", "meson", /executable\s*\(\s*'([A-Za-z0-9_.+/-]+)'/],
  ] as const) {
    if (!existsSync(join(dir, file))) continue;
    const target = re.exec(readFileSync(join(dir, file), "utf8"))?.[1];
    return {
      lines: [`build: ${system}`, target !== undefined ? `target: ${target}` : "target: <the executable target>"],
      summary: `a ${system === "cmake" ? "CMake" : "Meson"} project${target !== undefined ? ` (target ${target})` : ""}`,
    };
  }
  return undefined;
}

/** `speck init`: the C and C++ sources directly in `dir` or under src/, and include/ when there is one. */
function detectSources(dir: string) {
  const project = detectProject(dir);
  if (project) return project;
  const sources: string[] = [];
  for (const sub of [".", "src"]) {
    if (!existsSync(join(dir, sub))) continue;
    for (const e of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const ext = e.name.slice(e.name.lastIndexOf("."));
      if (e.isFile() && e.name.includes(".") && SOURCE_EXTENSIONS.has(ext)) sources.push(sub === "." ? e.name : `${sub}/${e.name}`);
    }
  }
  if (sources.length === 0) return undefined;
  sources.sort();
  return {
    lines: [`sources: [${sources.map((s) => JSON.stringify(s)).join(", ")}]`, ...(existsSync(join(dir, "include")) ? ["include: [include]"] : [])],
    summary: `${sources.length} source${sources.length === 1 ? "" : "s"}`,
  };
}
