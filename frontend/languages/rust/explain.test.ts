import { DEFAULT_NETWORK } from "../../pipeline/network.js";
import { describe, expect, it } from "vitest";
import { offlineBuild } from "../../offline.js";
import { showArgv } from "../../plan/explain.js";
import { explainPlan } from "../explain.js";
import { rustLanguage } from "./index.js";
import { tempWorkspace as workspace } from "./testing/workspace.js";
import type { RustBuildPlan } from "./types.js";

const MANIFEST = '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nitoa = "1"\n';
const LOCK = 'version = 4\n\n[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = [\n "itoa",\n]\n\n[[package]]\nname = "itoa"\nversion = "1.0.14"\nsource = "registry+file:///speck-test-index"\nchecksum = "d75a2a4b1b190afb6f5425f10f6a8f959d2ea0b9c2b1d79553551850539e4674"\n';
const files = (extra: Record<string, string> = {}): Record<string, string> => ({
  "speck.yaml": "language: rust\nsources: [.]\n",
  "Cargo.toml": MANIFEST,
  "Cargo.lock": LOCK,
  "src/main.rs": "fn main() {}\n",
  ...extra,
});
const VENDOR = { ".cargo/config.toml": '[source.crates-io]\nreplace-with = "vendored"\n\n[source.vendored]\ndirectory = "vendor"\n', "vendor/itoa-1.0.14/Cargo.toml": "" };

const amd64 = { os: "linux", architecture: "amd64" };
const arm64 = { os: "linux", architecture: "arm64" };
const T = "aarch64-alpine-linux-musl";

function explained(f: Record<string, string>, platform = arm64): { text: string; lines: string[]; plan: RustBuildPlan } {
  const plan = offlineBuild(workspace(f), { platform, buildPlatform: amd64 }).plan as RustBuildPlan;
  const text = explainPlan(plan);
  return { text, lines: text.split("\n"), plan };
}

/** The line after the one that starts with `head` (after its indent), trimmed. */
const after = (lines: string[], head: string): string | undefined => lines[lines.findIndex((l) => l.trimStart().startsWith(head)) + 1]?.trim();

describe("speck explain on a Cargo workspace", () => {
  it("shows the three cargo ops it runs, each with its argv, and no C compile, link or -o line", () => {
    const { text, lines, plan } = explained(files());
    expect(lines).toContain("  fetch         cargo fetch --locked");
    expect(lines).toContain(`  dependencies  ${showArgv(plan.rust.dependencies.argv)}`);
    expect(lines).toContain(`  workspace     ${showArgv(plan.compile.argv)}`);
    expect(showArgv(plan.rust.dependencies.argv)).toMatch(new RegExp(`^cargo rustc --frozen --release --target ${T} -p app .* --bin app -- --emit=metadata$`));
    expect(showArgv(plan.compile.argv)).toMatch(new RegExp(`^cargo build --frozen --release --target ${T} -p app '--config=profile.release.opt-level="s"' .* --bin app$`));
    expect(text).toContain(`then /target/${T}/release/app is copied out as /app`);
    // What a C build explains and a Rust build does not run.
    expect(lines.filter((l) => /^\s+-o\b/.test(l))).toEqual([]);
    expect(text).not.toContain("/out/");
    expect(text).not.toContain("Compile (one command");
    expect(lines.filter((l) => /^\s+(clang|cc|gcc)\s/.test(l) || /\s-c\s/.test(l))).toEqual([]);
  });

  it("shows the per-target environment with a reason for each variable and each RUSTFLAGS flag", () => {
    const { lines } = explained(files());
    const U = "AARCH64_ALPINE_LINUX_MUSL";
    expect(after(lines, `CARGO_TARGET_${U}_LINKER=clang`)).toMatch(/^the target's linker driver.*build scripts and proc-macros link with the host's cc$/);
    expect(after(lines, `CARGO_TARGET_${U}_RUSTFLAGS=<the flags below>`)).toMatch(/cargo #4423/);
    for (const flag of ["-C target-feature=+crt-static", "-C relocation-model=static", `-C link-arg=--target=${T}`, `-C link-arg=--sysroot=/${T}`, "-C link-arg=-fuse-ld=lld", "--remap-path-prefix=/src=."]) {
      expect(lines.find((l) => l.trimStart().startsWith(`${flag} `)), flag).toMatch(/\S\s{2,}\S/);
    }
    expect(after(lines, `CC_${T}=clang`)).toMatch(/build script/);
    expect(after(lines, `CFLAGS_${T}=--target=${T} --sysroot=/${T}`)).toMatch(/target's root/);
    // Nothing global that would reach build scripts and proc-macros.
    expect(lines.filter((l) => /^\s+(RUSTFLAGS|CC|CFLAGS)=/.test(l))).toEqual([]);
  });

  it("says why there is no fetch op: vendor/, a registry context, or no registry crate", () => {
    const vendored = explained(files(VENDOR));
    expect(vendored.lines.find((l) => l.startsWith("  fetch "))).toMatch(/^ {2}fetch {9}none: vendor\/ and \.cargo\/config\.toml are in the context/);
    expect(vendored.text).toContain("a Cargo.lock edit runs it again, and so does an edit under vendor/");
    const noCrates = files({ "Cargo.toml": MANIFEST.replace('itoa = "1"\n', ""), "Cargo.lock": 'version = 4\n\n[[package]]\nname = "app"\nversion = "0.1.0"\n' });
    expect(explained(noCrates).lines.find((l) => l.startsWith("  fetch "))).toBe("  fetch         none: Cargo.lock names no registry or git crate");
    // The CLI has no named contexts: a registry build's plan, as the frontend makes it, told the same way.
    const { plan } = explained(files());
    const { fetch: _fetch, ...rest } = plan.rust;
    const registry = { ...plan, rust: { ...rest, supply: { kind: "registry" as const } } };
    expect(explainPlan(registry)).toMatch(/\n {2}fetch {9}none: --build-context cargoregistry=<dir> is a cargo directory source, mounted read-only at \/cargo-registry/);
  });

  it("names the features, and the Cargo.toml profile keys speck overrides and those it keeps", () => {
    const f = files({
      "speck.yaml": "language: rust\nsources: [.]\nfeatures: [fast]\ndefault-features: false\n",
      "Cargo.toml": `${MANIFEST}\n[features]\nfast = []\n\n[profile.release]\nopt-level = 3\ndebug = 1\n`,
    });
    const { lines } = explained(f);
    expect(lines).toContain("  features  --features fast --no-default-features (from `features` and `default-features`)");
    expect(lines.find((l) => l.trimStart().startsWith('opt-level = "s"'))).toMatch(/\(overrides Cargo.toml's \[profile.release\] opt-level = 3\)$/);
    expect(lines.find((l) => l.trimStart().startsWith("debug = 1"))).toMatch(/from Cargo.toml's \[profile.release\]: profile size does not set it, so cargo keeps it$/);
    expect(lines.find((l) => l.trimStart().startsWith("sbom "))).toContain("-p app --features fast --no-default-features --edges normal,no-proc-macro");
    expect(explained(files()).lines).toContain("  features  the default features of app");
  });

  it("keeps the -o line where the command writes the binary itself (negative control: a C build)", () => {
    const c = offlineBuild(workspace({ "speck.yaml": "sources: [main.c]\n", "main.c": "int main(void) { return 0; }\n" }), { platform: arm64, buildPlatform: amd64 }).plan;
    expect(explainPlan(c)).toMatch(/\n {2}-o +write the binary to \/out\/main\n/);
    // And the Rust lines put in the shared text are the language's own.
    expect(rustLanguage.explain(explained(files()).plan, DEFAULT_NETWORK).compile).toEqual([]);
  });
});
