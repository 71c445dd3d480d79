// planGo(spec) -> Plan for a Go module: the `go build` argv and environment,
// where the module cache comes from (a download op, vendor/, or a named
// context), and which platform runs the toolchain. Pure, like plan.ts.
//
// Go cross-compiles by itself (GOOS/GOARCH/GOARM), so the toolchain always
// runs on the build platform (the worker's) and nothing is emulated; only the
// final scratch image is the target's.

import { UserError } from "../../errors.js";
import { spanOf, type Spec } from "../../speckfile/types.js";
import { goKeysOf } from "./spec-part.js";
import { assemblePlan, OUT_DIR, SRC_DIR } from "../../plan/plan.js";
import { sameMachine, targetOf } from "../../plan/targets.js";
import type { CompilePlan, Flag, PlannedFlag, Platform, ToolchainPlan } from "../../plan/types.js";
import { escapeModulePath, type GoMod } from "./go-mod.js";
import { GO_PROFILES } from "./profiles.js";
import type { GoBuildPlan, GoModules } from "./types.js";

/** Where the module cache is mounted (GOMODCACHE): Go's default for root, so nothing is unusual about it. */
export const GO_MOD_CACHE = "/go/pkg/mod";
/** GOCACHE: a cache mount, so a rebuild after an edit recompiles only the packages that changed. */
export const GO_BUILD_CACHE = "/root/.cache/go-build";
/** Where a module proxy given by named context is mounted for the download op. */
export const GO_PROXY_DIR = "/goproxy";

/** How the frontend supplies modules: fetched by the download op (from the network or a proxy context), or a ready cache. */
export type GoModuleSupply = "network" | "proxy" | "cache";

export interface GoPlanOptions {
  /** The target platform: GOOS/GOARCH/GOARM, and the image's. */
  readonly platform: Platform;
  /** The platform the toolchain runs on (the worker's). */
  readonly buildPlatform: Platform;
  /** The context's files (relative, `/`-separated). */
  readonly files: readonly string[];
  /** go.mod, read from the context. */
  readonly goMod: GoMod;
  /** How modules reach the build when go.mod requires any and there is no vendor/. */
  readonly supply?: GoModuleSupply;
}

/** Env of every go command speck runs: this toolchain only, no user env file, a fixed module cache. */
const GO_BASE_ENV = {
  // A go.mod `toolchain` line (or a newer `go` line) must not make the build download another Go.
  GOTOOLCHAIN: "local",
  // No go/env file of a prepared toolchain's user changes what is built.
  GOENV: "off",
  GOMODCACHE: GO_MOD_CACHE,
  GOCACHE: GO_BUILD_CACHE,
} as const;

/**
 * Go cross-compiles by itself (GOOS/GOARCH/GOARM): its toolchain runs on the
 * build platform for every target. cgo needs the target's C compiler, so a
 * cgo build runs on the target (emulated where it is foreign) with gcc.
 */
export function goToolchain(spec: Spec, platform: Platform, buildPlatform: Platform = platform): ToolchainPlan {
  const target = targetOf(platform, spec.file);
  const cgo = goKeysOf(spec)?.cgo === true;
  const runsOn = cgo ? platform : buildPlatform;
  const emulated = cgo && !sameMachine(platform, buildPlatform);
  return {
    image: spec.toolchain.image,
    compiler: "go",
    platform: { ...runsOn },
    emulated,
    packages: [...new Set(["go", ...(cgo ? ["gcc", "musl-dev"] : []), ...spec.packages])].sort(),
    warnings: emulated ? [`${target.id}: cgo needs the target's C compiler, so the Go toolchain runs under emulation on ${target.id}`] : [],
  };
}

export function planGo(spec: Spec, options: GoPlanOptions): GoBuildPlan {
  const { platform, buildPlatform, goMod } = options;
  const go = goKeysOf(spec);
  if (go === undefined) throw new TypeError("planGo(): not a Go spec");
  if (spec.name === "") throw new TypeError("planGo(): the spec's name comes from go.mod; parse it again with the module path");
  const toolchain = goToolchain(spec, platform, buildPlatform);
  const profile = GO_PROFILES[spec.profile];
  const modules = planModules(options);
  const output = `${OUT_DIR}/${spec.name}`;
  const cgo = go.cgo;
  const flags: PlannedFlag[] = [
    { flag: "-trimpath", why: "record paths relative to the module, not the build's mount points or GOROOT", from: "determinism" },
    { flag: "-buildvcs=false", why: "no version-control stamp: the context has no .git, and the result depends on the files only", from: "determinism" },
    ...profile.flags.map((f) => ({ ...(cgo ? cgoLinked(f) : f), from: "profile" as const })),
    ...(cgo ? [{ flag: "-tags=netgo,osusergo", why: "cgo: pure-Go DNS and user lookups, as a static binary has no NSS modules to load", from: "profile" as const }] : []),
  ];
  const env: Record<string, string> = {
    ...GO_BASE_ENV,
    CGO_ENABLED: cgo ? "1" : "0",
    // cgo compiles and links with the toolchain's C compiler (musl on Alpine).
    ...(cgo ? { CC: "cc" } : {}),
    GOOS: platform.os,
    GOARCH: platform.architecture,
    ...(platform.architecture === "arm" ? { GOARM: goArm(platform.variant) } : {}),
    // Nothing is fetched while compiling: modules come from the mounted cache or vendor/.
    GOPROXY: "off",
    GOFLAGS: modules.kind === "vendor" ? "-mod=vendor" : "-mod=readonly",
  };
  const compile: CompilePlan = {
    argv: ["go", "build", ...flags.map((f) => f.flag), "-o", output, go.main],
    env: Object.entries(env).map(([k, v]) => `${k}=${v}`).sort(),
    cwd: SRC_DIR,
    srcDir: SRC_DIR,
    outDir: OUT_DIR,
    output,
    libs: [],
    flags,
  };
  return assemblePlan(spec, {
    platform,
    profile,
    toolchain,
    sources: [...spec.sources],
    compile,
    compilePatterns: goContextPatterns(spec),
  }, {
    go: {
      main: go.main,
      module: goMod.module.value,
      ...(goMod.go ? { goVersion: goMod.go.value } : {}),
      buildPlatform: { ...buildPlatform },
      cgo,
      modules,
      requires: goMod.requires.map((r) => ({ path: r.path, version: r.version })),
    },
  });
}

function planModules({ files, goMod, supply = "network" }: GoPlanOptions): GoModules {
  if (files.includes("vendor/modules.txt")) return { kind: "vendor" };
  if (goMod.requires.length === 0) return { kind: "none" };
  if (supply === "cache") return { kind: "cache" };
  if (!files.includes("go.sum")) {
    const first = goMod.requires[0];
    throw new UserError(
      [{ message: `go.mod requires ${goMod.requires.length === 1 ? "a module" : `${goMod.requires.length} modules`} but there is no go.sum beside it`, ...(first ? { span: first.span } : {}), hint: "run `go mod tidy` and add go.sum to the build context" }],
      goMod.file,
    );
  }
  const env: Record<string, string> = {
    ...GO_BASE_ENV,
    // go.mod and go.sum are mounted read-only: go.sum is the trust root and is never rewritten.
    GOFLAGS: "-mod=readonly",
    ...(supply === "proxy"
      ? // A file proxy has no checksum database beside it; go.sum (required above) checks every module.
        { GOPROXY: `file://${GO_PROXY_DIR}`, GOSUMDB: "off" }
      : {}),
  };
  return {
    kind: "download",
    argv: ["go", "mod", "download"],
    env: Object.entries(env).map(([k, v]) => `${k}=${v}`).sort(),
    files: ["go.mod", "go.sum"],
    network: supply === "proxy" ? "none" : "sandbox",
    proxy: supply === "proxy",
  };
}

/** The profile's -ldflags with a static external link added: a second -ldflags would replace the first. */
function cgoLinked(f: Flag): Flag {
  if (!f.flag.startsWith("-ldflags=")) return f;
  return { flag: `${f.flag} -linkmode=external -extldflags=-static`, why: `${f.why}; cgo: link with the C compiler, statically (musl and the C parts inside)` };
}

/** GOARM from the platform variant: linux/arm is v7 unless it says otherwise. */
function goArm(variant: string | undefined): string {
  const m = /^v([5-7])$/.exec(variant ?? "v7");
  return m?.[1] ?? "7";
}

/**
 * What a Go build sends: every listed directory whole (packages, embedded
 * files, vendor/), plus go.mod and go.sum. `.` sends the whole context.
 */
export function goContextPatterns(spec: Spec): string[] {
  const out = new Set<string>(["go.mod", "go.sum"]);
  for (const s of spec.sources) {
    if (s === ".") out.add("**");
    else if (/\.[A-Za-z0-9]+$/.test(s.slice(s.lastIndexOf("/") + 1))) out.add(s);
    else out.add(`${s}/**`);
  }
  return [...out].sort();
}

/** The error for a Go build whose context has no go.mod at its top, located at `sources`. */
export function noGoMod(spec: Spec): UserError {
  const span = spanOf(spec, "sources");
  return new UserError(
    [{ message: "no go.mod at the top of the build context: a Go build starts from its module", ...(span ? { span } : {}), hint: "run `go mod init <module path>` in the context directory, or list C/C++ sources by file" }],
    spec.file,
  );
}

/** The Go files of the main package's directory (tests excluded): their package clauses say whether it is `main`. */
export function mainPackageFiles(spec: Spec, files: readonly string[]): string[] {
  const main = goKeysOf(spec)?.main ?? ".";
  const dir = main === "." ? "" : main.slice(2);
  return files.filter((f) => f.endsWith(".go") && !f.endsWith("_test.go") && f.slice(0, Math.max(0, f.lastIndexOf("/"))) === dir);
}

/**
 * Throws a UserError located at `main` unless one of the files (path -> its
 * first bytes, from mainPackageFiles) is `package main`. Without this check
 * go build writes a package archive where the program should be.
 */
export function checkPackageClauses(spec: Spec, heads: ReadonlyMap<string, Uint8Array>): void {
  const main = goKeysOf(spec)?.main ?? ".";
  const span = spanOf(spec, "main") ?? spanOf(spec, "sources");
  const where = span ? { span } : {};
  if (heads.size === 0) {
    throw new UserError([{ message: `\`${main}\` holds no Go files in the build context`, ...where, hint: "`main` names the directory of the program's `package main`, e.g. `./cmd/server`" }], spec.file);
  }
  const clauses = [...heads].map(([f, head]) => ({ f, pkg: packageClause(head) }));
  if (clauses.some((c) => c.pkg === "main")) return;
  const named = clauses.find((c) => c.pkg !== undefined);
  throw new UserError(
    [{
      message: named ? `\`${main}\` is package \`${named.pkg}\` (${named.f}), not a main package` : `\`${main}\` has no \`package main\` clause in its Go files`,
      ...where,
      hint: "a program is built from `package main` with `func main()`; set `main` to that directory",
    }],
    spec.file,
  );
}

/** The name after `package` in a Go file's head, past comments and build constraints. */
export function packageClause(head: Uint8Array): string | undefined {
  const text = new TextDecoder().decode(head).replace(/\/\*[\s\S]*?\*\//g, " ");
  for (const line of text.split("\n")) {
    const code = line.replace(/\/\/.*$/, "").trim();
    if (code === "") continue;
    return /^package\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(code)?.[1];
  }
  return undefined;
}

/** The paths in a module cache (GOMODCACHE) or a proxy that show a module version is there. */
export function moduleEvidence(path: string, version: string): { cache: string; proxy: string } {
  const esc = escapeModulePath(path);
  return { cache: `cache/download/${esc}/@v/${version}.mod`, proxy: `${esc}/@v/${version}.mod` };
}
