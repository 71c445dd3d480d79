// Go modules: `go build` from the Alpine Go package, cross-compiled with
// GOOS/GOARCH on the build platform, a module download op keyed on go.mod
// and go.sum, an SBOM from the binary's build info.

import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { formatPlatform } from "../../../llb/index.js";
import { parseSpec, spanOf } from "../../speckfile/index.js";
import { goKeysOf, goSpecPart } from "./spec-part.js";
import type { Plan } from "../../plan/types.js";
import type { LanguageSupport } from "../language.js";
import { describeNetwork, type NetworkSettings } from "../../pipeline/network.js";
import { prepareGo } from "./prepare.js";
import { goModFile, parseGoMod } from "./go-mod.js";
import { checkPackageClauses, goContextPatterns, goToolchain, mainPackageFiles, noGoMod, planGo } from "./plan.js";
import { goBuild, moduleDownload } from "./stages.js";
import type { GoBuildPlan, GoPlan } from "./types.js";

export const goLanguage: LanguageSupport = {
  languages: ["go"],
  title: goSpecPart.title,
  detect: detectModule,
  claimsContext: (files) => files.includes("go.mod"),
  contextPatterns: goContextPatterns,
  planToolchain: goToolchain,
  prepare: prepareGo,

  /**
   * go.mod and the main package's files come from disk; the toolchain runs on
   * the build platform (the target for cgo) and cross-compiles for the target.
   */
  prepareOffline({ spec: spec0, files, readFile, platform, buildPlatform: worker, context, stage, toolchain }) {
    if (!files.includes("go.mod")) throw noGoMod(spec0);
    const goMod = parseGoMod(goModFile(readFile("go.mod")));
    const spec = goKeysOf(spec0)?.nameFromModule ? parseSpec(spec0.file.name, spec0.file.data, { parts: [goSpecPart], modulePath: goMod.module.value }) : spec0;
    checkPackageClauses(spec, new Map(mainPackageFiles(spec, files).map((f) => [f, readFile(f, 8192)])));
    const buildPlatform = goToolchain(spec, platform, worker).platform;
    const plan = planGo(spec, { platform, buildPlatform, files, goMod });
    const tools = toolchain(plan.toolchain);
    const at = spanOf(spec, "sources");
    const modules = moduleDownload(tools, context, plan, undefined, formatPlatform(buildPlatform), stage, { file: spec.file, ...(at ? { span: at } : {}) });
    const compiled = goBuild(tools, context, modules, plan, formatPlatform(platform), stage);
    return { spec, plan, compiled };
  },

  explain(p: Plan, network: NetworkSettings) {
    const g = goPart(p);
    const tc = p.toolchain;
    return {
      toolchainRunsOn: tc.emulated ? "the target, under emulation: cgo needs the target's C compiler" : "the build platform: Go cross-compiles every target natively (GOOS/GOARCH)",
      sections: explainModule(g, network),
      compile: ["  run as one step: go build compiles the packages itself and keeps its per-package cache (GOCACHE, a cache mount) across builds"],
      sources: [...p.sources],
    };
  },
};

function goPart(p: Plan): GoPlan {
  const g = (p as Partial<GoBuildPlan>).go;
  if (g === undefined) throw new TypeError("a Go plan without its Go part (planGo makes both)");
  return g;
}

function explainModule(g: GoPlan, network: NetworkSettings): string[] {
  const out = ["", `Go module ${g.module}${g.goVersion ? ` (go ${g.goVersion})` : ""}, main package ${g.main}`];
  const why = g.cgo ? "cgo: the C compiler must build for the target, so the toolchain runs on the target's platform" : "the worker's platform: Go cross-compiles with GOOS/GOARCH, nothing is emulated";
  out.push(`  runs on  ${formatPlatform(g.buildPlatform)} (${why})`);
  const m = g.modules;
  const how =
    m.kind === "none" ? "none required" :
    m.kind === "vendor" ? "vendor/ (-mod=vendor), nothing downloaded" :
    m.kind === "cache" ? "a ready module cache from --build-context gomodcache" :
    `${m.argv.join(" ")} with ${m.env.join(" ")}; sees only ${m.files.join(", ")}; ${m.proxy ? "from --build-context goproxy, no network" : `with ${describeNetwork(network)}`}`;
  out.push(`  modules  ${how}`);
  return out;
}

/**
 * `speck init`: a go.mod makes the folder a Go module, sent whole; with no Go
 * file at the top, the one program under cmd/ (the usual layout) is the main package.
 */
function detectModule(dir: string) {
  if (!existsSync(join(dir, "go.mod"))) return undefined;
  const topGo = readdirSync(dir).some((f) => f.endsWith(".go"));
  const cmds = !topGo && existsSync(join(dir, "cmd")) ? readdirSync(join(dir, "cmd"), { withFileTypes: true }).filter((e) => e.isDirectory()) : [];
  const main = cmds.length === 1 && cmds[0] ? [`main: ./cmd/${cmds[0].name}`] : [];
  return { lines: ["sources: [.]", ...main], summary: "a Go module" };
}
