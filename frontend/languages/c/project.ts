// A CMake or Meson project behind the language seam: the same phases as a
// `sources:` build (index.ts), with the compile read from the project's own
// build files (project-stage.ts).

import { formatPlatform } from "../../../llb/index.js";
import { collectSbom } from "../../sbom/index.js";
import { resolveToolchain } from "../../pipeline/toolchain.js";
import { spanOf, type Spec } from "../../speckfile/types.js";
import { UserError } from "../../errors.js";
import type { Plan } from "../../plan/types.js";
import type { LanguageExplanation, OfflineBuildParts, OfflineRequest, PreparedBuild, PrepareRequest } from "../language.js";
import type { GatewayClient } from "../../gateway/index.js";
import { cToolchain, planC, type ProjectPlanPart } from "./plan.js";
import { configureOp, ninjaOp, projectStage } from "./project-stage.js";
import { cKeysOf, systemTitle, type ProjectBuild } from "./spec-part.js";

/**
 * The spec with its build system chosen: as written, or (no `build:`) by the
 * context's top: a CMakeLists.txt makes it CMake, else a meson.build Meson.
 */
export function resolveProject(spec: Spec, files: readonly string[]): Spec {
  const project = projectOf(spec);
  if (project.fromContext !== true) return spec;
  const system = files.includes("CMakeLists.txt") ? "cmake" : files.includes("meson.build") ? "meson" : undefined;
  if (system === undefined) {
    const at = spanOf(spec, "target");
    throw new UserError(
      [{ message: "there are no `sources`, and no CMakeLists.txt or meson.build at the top of the build context to build `target` with", ...(at ? { span: at } : {}), hint: "list the sources (`sources: [main.c]`), or build from the project's top directory" }],
      spec.file,
    );
  }
  return { ...spec, languageKeys: { project: { ...project, system } } };
}

function projectOf(spec: PrepareRequest["spec"]): ProjectBuild {
  const project = cKeysOf(spec).project;
  if (project === undefined) throw new TypeError("project.ts: the spec has no `build`");
  return project;
}

export async function prepareProject(client: GatewayClient, { spec: written, context: contextLoading, platform, buildPlatform, stage, sourceDateEpoch, sbom }: PrepareRequest): Promise<PreparedBuild> {
  // With the build system chosen by the context, the toolchain's packages wait for its listing.
  const chosen = projectOf(written).fromContext === true ? resolveProject(written, (await contextLoading).files) : written;
  const spec = chosen;
  const project = projectOf(spec);
  const toolchain = await resolveToolchain(client, spec, cToolchain(spec, platform, buildPlatform), platform, stage);
  const context = await contextLoading;
  const options = { platform, buildPlatform, files: context.files, sourceDateEpoch, linkMap: sbom };
  const first = planC(spec, options);
  const cxxPlan = planC({ ...spec, language: "c++" }, options);
  const platformId = formatPlatform(platform);
  const outputs = await projectStage({ client, spec, project, toolchain: toolchain.state, context, plan: first, cxxPlan, platform, platformId, opts: stage });
  const plan = planC(spec, { ...options, projectMode: outputs.mode });
  const flagsSpan = spanOf(spec, "ldflags") ?? spanOf(spec, "cflags") ?? spanOf(spec, "build");
  return {
    spec,
    plan,
    toolchain,
    compiled: outputs.binary,
    staticCheck: { ...(flagsSpan ? { span: flagsSpan } : {}), hint: `a ${systemTitle(project.system)} project links what it lists: a shared library (add_library(... SHARED), a find_package result) makes the binary dynamic` },
    explainFailure: (e: unknown): Promise<never> => Promise.reject(e),
    collectSbom: async (c, shared, solve) => {
      const map = plan.compile.linkMap;
      if (map === undefined || outputs.linkMap === undefined) throw new Error("the SBOM of a C/C++ build needs the link map");
      const [toolchainRef, linkMap] = await Promise.all([solve(toolchain.state, plan.toolchain.platform), solve(outputs.linkMap, platform)]);
      return collectSbom(c, { ...shared, toolchain: toolchainRef, linkMap: { ref: linkMap, path: map.path.slice(map.dir.length + 1) }, objectDir: outputs.objectDir, sources: outputs.sources });
    },
  };
}

/**
 * Offline (`speck llb`, `speck explain`) there is no daemon to configure the
 * project and ask ninja for the target's commands, so the graph shown is the
 * configure op and one `ninja` op: what the build runs when the commands
 * hold a shape speck does not split. With a daemon, the per-unit graph
 * replaces the ninja op.
 */
export function prepareProjectOffline({ spec: written, files, platform, buildPlatform, sourceDateEpoch, context, stage, toolchain }: OfflineRequest): OfflineBuildParts {
  const spec = resolveProject(written, files);
  const project = projectOf(spec);
  const options = { platform, buildPlatform, files, sourceDateEpoch };
  const plan = planC(spec, options);
  const cxxPlan = planC({ ...spec, language: "c++" }, options);
  const platformId = formatPlatform(platform);
  const tc = toolchain(plan.toolchain);
  const { tree, speckFiles } = configureOp(tc, context, files, plan, cxxPlan, project, platformId, stage);
  const compiled = ninjaOp(tc, context, tree, speckFiles, plan, project.target, project.target, "offline: the unit graph is read from ninja at build time", platformId, stage).binary;
  return { spec, plan, compiled };
}

/** The project's lines in `speck explain`, or undefined for a `sources:` build. */
export function explainProject(p: Plan): Omit<LanguageExplanation, "toolchainRunsOn"> | undefined {
  const project = (p as Plan & ProjectPlanPart).project;
  if (project === undefined) return undefined;
  const title = systemTitle(project.system);
  const file = project.system === "cmake" ? "a toolchain file" : "a cross file";
  const mode = project.mode;
  return {
    sections: [
      `${title} project: target \`${project.target}\`${project.options.length > 0 ? `, options ${project.options.map(([k, v]) => `-D${k}=${v}`).join(" ")}` : ""}`,
      `  configure: once per target platform, with ${file} speck writes from the target and the flags below; its inputs are the build-system files (CMakeLists.txt, *.cmake, meson.build, meson.options, *.in) and the other non-source files, with every C/C++ source and header an empty stand-in, so editing a source does not configure again`,
    ],
    compile: [
      mode.kind === "units"
        ? `  run as ${mode.units} cached steps, one per translation unit, read from \`ninja -t commands ${project.target}\` and shaped by a -M scan, then ${mode.archives} archive${mode.archives === 1 ? "" : "s"} and one link: an edit re-runs only the units that read the edited file`
        : mode.kind === "ninja"
          ? `  run as one \`ninja ${project.target}\` step: ${mode.why}`
          : `  decided at build time from \`ninja -t commands ${project.target}\`: one cached step per translation unit, then the archives and the link, or one \`ninja ${project.target}\` step when the commands hold something else (a custom command, a code generator); offline, \`speck llb\` shows the one-step graph`,
    ],
    // The project's own build files list them; speck reads them from ninja at build time.
    sources: [`as the ${project.system === "cmake" ? "CMakeLists.txt" : "meson.build"} lists them for \`${project.target}\``],
  };
}
