// Plan -> LLB for a Go module, as pure functions (beside pipeline/stages.ts):
// the module download op and the go build op. Both run on the toolchain's
// platform, the build platform; only the image is the target's.

import { mount, scratch, type SourceLocation, type State } from "../../../llb/index.js";
import { DEFAULT_NETWORK, downloadNetwork, type Download } from "../../pipeline/network.js";
import { compileExec, envRecord, type StageOptions } from "../../pipeline/stages.js";
import { GO_BUILD_CACHE, GO_MOD_CACHE, GO_PROXY_DIR } from "./plan.js";
import type { GoBuildPlan } from "./types.js";

/**
 * The download op: `go mod download` with only go.mod and go.sum of the
 * context mounted (by selector), so its cache key is those two files: an
 * edit to a .go file reuses the module cache, an edit to go.sum runs it again.
 * From the network it gets the build's network and proxies (`--network`:
 * network.ts refuses `none` before anything runs); from a goproxy context, none.
 */
export function moduleDownload(toolchain: State, context: State, plan: GoBuildPlan, proxy: State | undefined, platformId: string, opts: StageOptions, where: Pick<Download, "file" | "span">, location?: SourceLocation): State | undefined {
  const m = plan.go?.modules;
  if (m?.kind !== "download") return undefined;
  const net =
    m.network === "none"
      ? { network: "none" as const }
      : downloadNetwork(opts.network ?? DEFAULT_NETWORK, {
          op: `the module download op (${m.argv.join(" ")})`,
          what: "the modules go.sum names",
          instead: "give the modules without a network: vendor/ (`go mod vendor`), --build-context goproxy=<dir> (a module proxy tree) or --build-context gomodcache=<dir> (a ready GOMODCACHE)",
          ...where,
        });
  const env = envRecord(m.env);
  const src = plan.compile.srcDir;
  const exec = toolchain.run({
    args: m.argv,
    env,
    cwd: src,
    user: "0:0",
    ...net,
    mounts: [
      // A writable, empty /src: go may create files beside go.mod (lock files, temporary copies).
      mount.tmpfs(src),
      ...m.files.map((f) => mount.bind(`${src}/${f}`, context, { selector: f, readonly: true })),
      mount.bind(GO_MOD_CACHE, scratch()),
      ...(m.proxy && proxy ? [mount.bind(GO_PROXY_DIR, proxy, { readonly: true })] : []),
    ],
    customName: `[modules ${platformId}] ${m.argv.join(" ")}${m.proxy ? ` (GOPROXY=file://${GO_PROXY_DIR})` : ""}`,
    ...(opts.noCache.has("compile") ? { ignoreCache: true } : {}),
    ...(location ? { sourceLocations: [location] } : {}),
  });
  return exec.getMount(GO_MOD_CACHE);
}

/** The compile: one `go build`, sources and modules read-only, no network, GOCACHE kept across builds. */
export function goBuild(toolchain: State, context: State, modCache: State | undefined, plan: GoBuildPlan, label: string, opts: StageOptions, location?: SourceLocation): State {
  const exec = compileExec(toolchain, context, plan, label, opts, [
    ...(modCache ? [mount.bind(GO_MOD_CACHE, modCache, { readonly: true })] : []),
    // Go's build cache is safe for concurrent use and keyed by GOOS/GOARCH inside, so one cache serves all.
    mount.cache(GO_BUILD_CACHE, "speck-go-build", { sharing: "shared" }),
  ], location);
  return exec.getMount(plan.compile.outDir);
}
