import { describe, expect, it } from "vitest";
import { toJSON } from "../../../llb/index.js";
import { UserError } from "../../errors.js";
import { offlineBuild } from "../../offline.js";
import { explainPlan } from "../explain.js";
import { tempWorkspace as workspace } from "./testing/workspace.js";
import type { RustBuildPlan } from "./types.js";

const SPEC = "language: rust\nsources: [.]\n";
const MAIN = "fn main() { println!(\"hi\"); }\n";
const APP = '[package]\nname = "app"\nversion = "1.2.3"\nedition = "2021"\n\n[dependencies]\ncore-lib = { path = "core-lib" }\nitoa = "1"\n';
const CORE = '[package]\nname = "core-lib"\nversion = "0.4.0"\nedition = "2021"\n';
const LOCK = [
  "version = 4",
  "",
  "[[package]]",
  'name = "app"',
  'version = "1.2.3"',
  "dependencies = [",
  ' "core-lib",',
  ' "itoa",',
  "]",
  "",
  "[[package]]",
  'name = "core-lib"',
  'version = "0.4.0"',
  "",
  "[[package]]",
  'name = "itoa"',
  'version = "1.0.14"',
  'source = "registry+file:///speck-test-index"',
  'checksum = "d75a2a4b1b190afb6f5425f10f6a8f959d2ea0b9c2b1d79553551850539e4674"',
  "",
].join("\n");

function app(extra: Record<string, string> = {}): Record<string, string> {
  return {
    "speck.yaml": SPEC,
    "Cargo.toml": `${APP}\n[workspace]\nmembers = ["core-lib"]\n`,
    "Cargo.lock": LOCK,
    "src/main.rs": MAIN,
    "core-lib/Cargo.toml": CORE,
    "core-lib/src/lib.rs": "pub fn f() -> u32 { 1 }\n",
    ...extra,
  };
}

const amd64 = { os: "linux", architecture: "amd64" };
const arm64 = { os: "linux", architecture: "arm64" };

interface Op { kind: string; digest: string; op: { meta?: { args: string[]; env: string[] }; network?: number; mounts?: { dest: string; readonly?: boolean }[] } }

function ops(file: string, platform = arm64): Op[] {
  return toJSON(offlineBuild(file, { platform, buildPlatform: amd64 }).definition) as unknown as Op[];
}
const exec = (all: Op[], ...head: string[]): Op | undefined => all.find((o) => o.kind === "exec" && head.every((h, i) => o.op.meta?.args[i] === h));
/** The dependency op (`cargo rustc ... -- --emit=metadata`) or the workspace op (`cargo build ... --bin`). */
const cargoBuild = (all: Op[], workspace: boolean): Op | undefined =>
  all.find((o) => o.kind === "exec" && o.op.meta?.args[1] === (workspace ? "build" : "rustc"));

describe("Rust plan", () => {
  it("cross-compiles on the build platform with per-target settings only, the target's stdlib from its own root", () => {
    const build = offlineBuild(workspace(app()), { platform: arm64, buildPlatform: amd64 });
    const plan = build.plan as RustBuildPlan;
    expect(plan.name).toBe("app");
    expect(plan.toolchain.platform).toEqual(amd64);
    expect(plan.toolchain.emulated).toBe(false);
    expect(plan.toolchain.packages).toEqual(["cargo", "clang", "gcc", "lld", "musl-dev", "rust"]);
    expect(plan.toolchain.sysroot?.packages).toEqual(["gcc", "musl-dev", "rust-stdlib"]);
    const t = "aarch64-alpine-linux-musl";
    expect(plan.compile.argv.slice(0, 8)).toEqual(["cargo", "build", "--frozen", "--release", "--target", t, "-p", "app"]);
    expect(plan.compile.argv.slice(-2)).toEqual(["--bin", "app"]);
    expect(plan.compile.env).toContain("CARGO_TARGET_AARCH64_ALPINE_LINUX_MUSL_LINKER=clang");
    expect(plan.compile.env).toContain(`CARGO_TARGET_AARCH64_ALPINE_LINUX_MUSL_RUSTFLAGS=-C target-feature=+crt-static -C relocation-model=static -C link-arg=--target=${t} -C link-arg=--sysroot=/${t} -C link-arg=-fuse-ld=lld --remap-path-prefix=/src=.`);
    expect(plan.compile.env).toContain(`CC_${t}=clang`);
    // Nothing that would reach build scripts and proc-macros (built for the host) is set globally.
    expect(plan.compile.env.filter((e) => /^(RUSTFLAGS|CC|CFLAGS|CARGO_BUILD_TARGET)=/.test(e))).toEqual([]);
    // The host target keeps its own stdlib: no rust-stdlib in an amd64 root on amd64.
    const native = offlineBuild(workspace(app()), { platform: amd64, buildPlatform: amd64 }).plan as RustBuildPlan;
    expect(native.toolchain.sysroot?.packages).toEqual(["gcc", "musl-dev"]);
    expect(native.rust.foreignStdlib).toBe(false);
  });

  it("links the foreign target's stdlib into rustc's sysroot, and only for a foreign target", () => {
    const t = "aarch64-alpine-linux-musl";
    expect(exec(ops(workspace(app())), "ln")?.op.meta?.args).toEqual(["ln", "-sfn", `/${t}/usr/lib/rustlib/${t}`, `/usr/lib/rustlib/${t}`]);
    expect(exec(ops(workspace(app()), amd64), "ln")).toBeUndefined();
  });

  it("fetches with network on the skeleton only, and compiles with no network", () => {
    const all = ops(workspace(app()));
    const fetch = exec(all, "cargo", "fetch");
    expect(fetch?.op.meta?.args).toEqual(["cargo", "fetch", "--locked"]);
    expect(fetch?.op.network ?? 0).toBe(0);
    expect(cargoBuild(all, false)?.op.network).toBe(2);
    expect(cargoBuild(all, true)?.op.network).toBe(2);
  });

  it("keys the fetch and dependency ops on the manifests and lock only: a source edit or a local version bump keeps them, a lock edit does not", () => {
    const base = ops(workspace(app()));
    const digests = (all: Op[]) => [exec(all, "cargo", "fetch")?.digest, cargoBuild(all, false)?.digest, cargoBuild(all, true)?.digest];
    const [fetch0, deps0, ws0] = digests(base);
    expect(fetch0 && deps0 && ws0).toBeTruthy();
    // The workspace op's input is the context (a local source, the same state), so its digest stays; the context's content changes it at build time.
    const edited = digests(ops(workspace(app({ "src/main.rs": "fn main() { println!(\"changed\"); }\n", "core-lib/src/lib.rs": "pub fn f() -> u32 { 2 }\n" }))));
    expect(edited.slice(0, 2)).toEqual([fetch0, deps0]);
    const bumped = digests(ops(workspace(app({ "core-lib/Cargo.toml": CORE.replace("0.4.0", "0.5.0"), "Cargo.lock": LOCK.replace('version = "0.4.0"', 'version = "0.5.0"') }))));
    expect(bumped.slice(0, 2)).toEqual([fetch0, deps0]);
    const relocked = digests(ops(workspace(app({ "Cargo.lock": LOCK.replace("1.0.14", "1.0.15") }))));
    expect(relocked[0]).not.toBe(fetch0);
    expect(relocked[1]).not.toBe(deps0);
  });

  it("has no fetch op for vendor/ with .cargo/config.toml, and takes both into the skeleton", () => {
    const file = workspace(app({ ".cargo/config.toml": '[source.crates-io]\nreplace-with = "vendored"\n[source.vendored]\ndirectory = "vendor"\n', "vendor/itoa/Cargo.toml": "" }));
    const all = ops(file);
    expect(exec(all, "cargo", "fetch")).toBeUndefined();
    const plan = offlineBuild(file, { platform: arm64, buildPlatform: amd64 }).plan as RustBuildPlan;
    expect(plan.rust.supply.kind).toBe("vendor");
    expect(plan.rust.skeleton.map((f) => f.path)).toContain(".cargo/config.toml");
    expect(plan.rust.skeletonDirs).toEqual(["vendor"]);
  });

  it("refuses 32-bit Arm with a located error that says why", () => {
    const file = workspace(app());
    let err: unknown;
    try {
      offlineBuild(file, { platform: { os: "linux", architecture: "arm", variant: "v7" }, buildPlatform: amd64 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    const p = (err as UserError).problems[0];
    expect(p?.message).toMatch(/linux\/arm\/v7.*\+crt-static still broken here/);
    expect(p?.span?.start.line).toBe(1);
  });

  it("lists the binaries of a workspace with several and no `bin`, and builds the one `bin` names", () => {
    const files = app({ "src/bin/tool.rs": MAIN, "core-lib/src/bin/extra.rs": MAIN });
    let err: unknown;
    try {
      offlineBuild(workspace(files), { platform: arm64, buildPlatform: amd64 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    const p = (err as UserError).problems[0];
    expect(p?.message).toBe("the Cargo workspace has 3 binary targets: `app` (package app), `tool` (package app), `extra` (package core-lib); speck builds one");
    expect(p?.span?.start.line).toBe(2);
    const plan = offlineBuild(workspace({ ...files, "speck.yaml": `${SPEC}bin: extra\nfeatures: [fast]\ndefault-features: false\n` }), { platform: arm64, buildPlatform: amd64 }).plan as RustBuildPlan;
    expect(plan.name).toBe("extra");
    expect(plan.compile.argv).toEqual(expect.arrayContaining(["-p", "core-lib", "--bin", "extra", "--features", "fast", "--no-default-features"]));
    expect(plan.rust.dependencies.argv.slice(0, 2)).toEqual(["cargo", "rustc"]);
    expect(plan.rust.dependencies.argv.slice(-4)).toEqual(["--bin", "extra", "--", "--emit=metadata"]);
    // The same flags as the workspace op up to `--`: the dependencies are the same units in both.
    expect(plan.rust.dependencies.argv.slice(2, -2)).toEqual(plan.compile.argv.slice(2));
  });

  it("refuses a C/C++ key and a Go key in a Rust build, each located", () => {
    let err: unknown;
    try {
      offlineBuild(workspace(app({ "speck.yaml": `${SPEC}cflags: [-O2]\ncgo: true\n` })), { platform: arm64, buildPlatform: amd64 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).problems.map((p) => [p.span?.start.line, p.message])).toEqual([
      [3, "`cflags` is for C/C++ builds; cargo does not take it"],
      [4, "`cgo` is for Go builds, but this is a Rust build"],
    ]);
  });

  it("says in explain which of the profile's keys override Cargo.toml's [profile.release]", () => {
    const file = workspace(app({ "Cargo.toml": `${APP}\n[workspace]\nmembers = ["core-lib"]\n\n[profile.release]\nopt-level = 3\ndebug = 1\n` }));
    const text = explainPlan(offlineBuild(file, { platform: arm64, buildPlatform: amd64 }).plan);
    expect(text).toMatch(/opt-level = "s" +optimise for size \(overrides Cargo.toml's \[profile.release\] opt-level = 3\)/);
    expect(text).toContain("lto = \"fat\"");
    expect(text).not.toMatch(/overrides .* debug/);
  });

  it("a Cargo.toml makes `sources: [.]` without `language:` a Rust build; a go.mod a Go one", () => {
    const rust = offlineBuild(workspace(app({ "speck.yaml": "sources: [.]\n" })), { platform: arm64, buildPlatform: amd64 }).plan;
    expect(rust.language).toBe("rust");
    expect(rust.compile.argv.slice(0, 2)).toEqual(["cargo", "build"]);
    const go = offlineBuild(workspace({ "speck.yaml": "sources: [.]\n", "go.mod": "module example.com/x\n\ngo 1.22\n", "main.go": "package main\n\nfunc main() {}\n" }), { platform: arm64, buildPlatform: amd64 }).plan;
    expect(go.language).toBe("go");
    // Neither: the directory stays what the spec alone implies, and that language says what is missing.
    expect(() => offlineBuild(workspace({ "speck.yaml": "sources: [.]\n", "x.txt": "" }), { platform: arm64, buildPlatform: amd64 })).toThrow(/no go.mod at the top of the build context/);
  });

  it("has no Cargo.lock: a located error, not a build", () => {
    const files = app();
    delete files["Cargo.lock"];
    expect(() => offlineBuild(workspace(files), { platform: arm64, buildPlatform: amd64 })).toThrow(/no Cargo.lock at the top of the build context/);
  });
});
