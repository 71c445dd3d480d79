// A Go module's way through the pipeline: read go.mod from the context, check
// the main package, plan, then the ops: a module download (cache key: go.mod
// and go.sum only) and one `go build`, both on the build platform.
//
// Some failures happen inside `go` (a Go too old for the go line, a module the
// proxy or cache lacks). BuildKit prints go's own stderr; explainFailure then
// finds the cause from the inputs and points into go.mod. It runs only after a
// failure, so a build that succeeds pays nothing for it: checking the go line
// up front would put a solve of the toolchain and a read of its VERSION
// between the context's arrival and the compile's request on every build.

import { encodeDefinition, image, local, marshal, type Platform, type State } from "../../../llb/index.js";
// Not gateway/index.js: the CLI loads this folder, and that index loads the gateway runtime.
import type { GatewayClient } from "../../gateway/index.js";
import { formatPlatform } from "../../gateway/platforms.js";
import { GatewayError } from "../../gateway/status.js";
import { parseSpec, spanOf, type Spec } from "../../speckfile/index.js";
import { goKeysOf, goSpecPart } from "./spec-part.js";
import { UserError, type Problem } from "../../errors.js";
import type { Context } from "../../pipeline/context.js";
import { locationOf } from "../../pipeline/locations.js";
import { resolveToolchain } from "../../pipeline/toolchain.js";
import { collectGoSbom } from "./sbom.js";
import type { PreparedBuild, PrepareRequest } from "../language.js";
import { compareGoVersions, goModFile, parseGoMod, type GoMod } from "./go-mod.js";
import { checkPackageClauses, goToolchain, mainPackageFiles, moduleEvidence, noGoMod, planGo, type GoModuleSupply } from "./plan.js";
import { goBuild, moduleDownload } from "./stages.js";

/** `--build-context gomodcache=<dir>`: a ready module cache (GOMODCACHE), replaces the download op. */
export const GOMODCACHE_CONTEXT = "gomodcache";
/** `--build-context goproxy=<dir>`: a module proxy tree the download op reads with GOPROXY=file://, offline. */
export const GOPROXY_CONTEXT = "goproxy";

/** Where the toolchain keeps its VERSION file: Alpine's GOROOT, then the official Go images'. */
const GOROOT_VERSION_FILES = ["usr/lib/go/VERSION", "usr/local/go/VERSION"];

export async function prepareGo(client: GatewayClient, request: PrepareRequest): Promise<PreparedBuild> {
  const { spec: spec0, context: contextLoading, platform, stage } = request;
  // Where the toolchain runs (goToolchain decides): the build platform, as Go cross-compiles
  // itself; for cgo the target (emulated where it is foreign), whose C compiler it needs.
  const toolchainPlan = goToolchain(spec0, platform, request.buildPlatform);
  const buildPlatform = toolchainPlan.platform;
  // The toolchain is resolved while the context is still arriving.
  const toolchaining = resolveToolchain(client, spec0, toolchainPlan, platform, stage);
  toolchaining.catch(() => undefined);
  const context = await contextLoading;
  const goMod = await readGoMod(client, spec0, context);
  const spec = goKeysOf(spec0)?.nameFromModule ? parseSpec(spec0.file.name, spec0.file.data, { parts: [goSpecPart], modulePath: goMod.module.value }) : spec0;
  await checkMainPackage(client, spec, context);
  const supply = moduleSupply(client, buildPlatform);
  const plan = planGo(spec, { platform, buildPlatform, files: context.files, goMod, supply: supply?.kind ?? "network" });
  const toolchain = await toolchaining;
  const bpid = formatPlatform(buildPlatform);
  const pid = formatPlatform(platform);
  const at = spanOf(spec, "sources");
  const modCache = supply?.kind === "cache" ? supply.state : moduleDownload(toolchain.state, context.state, plan, supply?.state, bpid, stage, { file: spec.file, ...(at ? { span: at } : {}) }, locationOf(spec, "sources"));
  const compiled = goBuild(toolchain.state, context.state, modCache, plan, bpid === pid ? pid : `${pid} on ${bpid}`, stage, locationOf(spec, "main") ?? locationOf(spec, "sources"));
  // Only a cgo build can come out dynamic: its C link is the toolchain's C compiler.
  const cgoSpan = spanOf(spec, "cgo");
  return {
    spec,
    plan,
    toolchain,
    compiled,
    staticCheck: {
      ...(cgoSpan ? { span: cgoSpan } : {}),
      hint: "speck links cgo with -linkmode=external -extldflags=-static; this toolchain's C compiler made a dynamic binary anyway: use one that links -static (Alpine's gcc with musl-dev)",
    },
    explainFailure: async (e) => {
      const found = await findCause(client, toolchain.state, goMod, supply, buildPlatform).catch(() => undefined);
      if (found) throw new UserError(found, goMod.file, { cause: e });
      throw e;
    },
    // The modules come from the binary's build info; the toolchain's package databases as for C.
    collectSbom: async (c, shared, solve) =>
      collectGoSbom(c, { ...shared, toolchain: await solve(toolchain.state, plan.toolchain.platform), contextFiles: context.files, cgo: plan.go.cgo }),
  };
}

async function readGoMod(client: GatewayClient, spec: Spec, context: Context): Promise<GoMod> {
  if (!context.files.includes("go.mod")) throw noGoMod(spec);
  return parseGoMod(goModFile(await client.readFile(context.ref, "go.mod")));
}

/**
 * `main` must be a directory of the module whose Go files say `package main`.
 * go build would otherwise write a package archive (or fail with a message
 * about flags): reading the package clauses is a few small reads.
 */
async function checkMainPackage(client: GatewayClient, spec: Spec, context: Context): Promise<void> {
  const files = mainPackageFiles(spec, context.files);
  const heads = await Promise.all(files.map(async (f) => [f, await client.readFile(context.ref, f, { offset: 0, length: 8192 })] as const));
  checkPackageClauses(spec, new Map(heads));
}

interface Supply {
  readonly kind: Exclude<GoModuleSupply, "network">;
  readonly name: string;
  readonly state: State;
}

/** `gomodcache` (a ready cache) wins over `goproxy` (a proxy for the download op); neither means the network. */
function moduleSupply(client: GatewayClient, buildPlatform: Platform): Supply | undefined {
  const pid = formatPlatform(buildPlatform);
  for (const [name, kind] of [[GOMODCACHE_CONTEXT, "cache"], [GOPROXY_CONTEXT, "proxy"]] as const) {
    const value = client.options.namedContext(name, pid);
    if (value !== undefined) return { kind, name, state: namedTree(client, name, value) };
  }
  return undefined;
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

/** What went wrong, from the inputs: a Go older than the go line, or modules the proxy/cache lacks. */
async function findCause(client: GatewayClient, toolchain: State, goMod: GoMod, supply: Supply | undefined, buildPlatform: Platform): Promise<Problem[] | undefined> {
  if (goMod.go) {
    const have = await toolchainVersion(client, toolchain, buildPlatform);
    if (have !== undefined && compareGoVersions(goMod.go.value, have) > 0) {
      return [{
        message: `go.mod needs Go ${goMod.go.value}, but the toolchain is ${have}; speck sets GOTOOLCHAIN=local, so no other Go is downloaded`,
        span: goMod.go.span,
        hint: `use a toolchain image with Go ${goMod.go.value} or newer (\`toolchain.image\`), or lower the \`go\` line`,
      }];
    }
  }
  if (supply === undefined) return undefined;
  const { ref } = await client.solve({ definition: encodeDefinition(marshal(supply.state, { platform: buildPlatform })) });
  const missing: Problem[] = [];
  for (const r of goMod.requires) {
    const evidence = moduleEvidence(r.path, r.version);
    const path = supply.kind === "cache" ? evidence.cache : evidence.proxy;
    const there = await client.statFile(ref, path).then(() => true, (e: unknown) => (e instanceof GatewayError ? false : Promise.reject(e)));
    if (!there) {
      missing.push({
        message: `module ${r.path} ${r.version} is not in the ${supply.kind === "cache" ? "module cache" : "module proxy"} given by --build-context ${supply.name} (no ${path})`,
        span: r.span,
        hint: supply.kind === "cache" ? "fill the cache with `go mod download` (GOMODCACHE=<dir>) for this go.mod" : "add the module's @v/<version>.info, .mod and .zip to the proxy directory",
      });
    }
  }
  return missing.length > 0 ? missing : undefined;
}

/** `go1.24.4` from the toolchain's GOROOT, or undefined when it is not where Alpine or the Go images keep it. */
async function toolchainVersion(client: GatewayClient, toolchain: State, platform: Platform): Promise<string | undefined> {
  const { ref } = await client.solve({ definition: encodeDefinition(marshal(toolchain, { platform })) });
  for (const path of GOROOT_VERSION_FILES) {
    try {
      const first = new TextDecoder().decode(await client.readFile(ref, path)).split("\n")[0]?.trim();
      if (first && /^go\d/.test(first)) return first;
    } catch (e) {
      if (!(e instanceof GatewayError)) throw e;
    }
  }
  return undefined;
}
