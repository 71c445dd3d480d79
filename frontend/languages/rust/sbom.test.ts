import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { offlineBuild } from "../../offline.js";
import { treeArgv } from "./sbom.js";
import { treeCrates } from "./sbom-document.js";
import { tempWorkspace } from "./testing/workspace.js";
import type { RustBuildPlan } from "./types.js";

// testdata/sbom-features: a workspace and what cargo 1.95 said about it (record.sh). `app` has a default
// feature `json` (the optional serde_json), a feature `extra` (an optional path crate that uses itoa), and
// syn as a normal dependency without default features and as a build-dependency with them.
const FIXTURE = join(import.meta.dirname, "testdata/sbom-features");
const fixture = (name: string): string => readFileSync(join(FIXTURE, name), "utf8");
const LOCK = fixture("Cargo.lock");
const listed = (tree: string): string[] => treeCrates(tree, LOCK).map((c) => `${c.name} ${c.version}`);

/** The fixture workspace with a speck.yaml and stub targets, as offlineBuild reads a context. */
function fixtureWorkspace(spec: string): string {
  return tempWorkspace({
    "speck.yaml": spec,
    "Cargo.toml": fixture("Cargo.toml"),
    "Cargo.lock": LOCK,
    "extra/Cargo.toml": fixture("extra/Cargo.toml"),
    "src/main.rs": "fn main() {}\n",
    "build.rs": "fn main() {}\n",
    "extra/src/lib.rs": "",
  });
}

const amd64 = { os: "linux", architecture: "amd64" };
const arm64 = { os: "linux", architecture: "arm64" };

describe("the crates a Rust SBOM lists", () => {
  it("follows the build's features: default features list the optional serde_json and its crates", () => {
    expect(listed(fixture("tree-default.txt"))).toEqual(["itoa 1.0.14", "memchr 2.7.4", "proc-macro2 1.0.92", "ryu 1.0.19", "serde 1.0.217", "serde_json 1.0.139", "syn 2.0.98", "unicode-ident 1.0.13"]);
  });

  it("with --no-default-features lists no serde_json, and with --features extra the crate the optional path crate uses", () => {
    expect(listed(fixture("tree-no-default.txt"))).toEqual(["proc-macro2 1.0.92", "syn 2.0.98", "unicode-ident 1.0.13"]);
    expect(listed(fixture("tree-extra.txt"))).toEqual(["itoa 1.0.14", "proc-macro2 1.0.92", "syn 2.0.98", "unicode-ident 1.0.13"]);
  });

  it("leaves out what only the build script or a proc-macro uses, though the lock pins it", () => {
    // quote: syn's `printing` feature, which only the build-dependency turns on; serde_derive: a proc-macro.
    for (const name of ["quote", "serde_derive"]) expect(LOCK).toContain(`name = "${name}"`);
    for (const tree of ["tree-default.txt", "tree-no-default.txt", "tree-extra.txt"]) {
      expect(listed(fixture(tree)).filter((c) => /^(quote|serde_derive) /.test(c)), tree).toEqual([]);
    }
  });

  it("takes each crate's source and checksum from the lock; the workspace's own packages are not listed", () => {
    const crates = treeCrates(fixture("tree-extra.txt"), LOCK);
    expect(crates.find((c) => c.name === "itoa")).toEqual({ name: "itoa", version: "1.0.14", source: "registry+file:///speck-test-index", checksum: "d75a2a4b1b190afb6f5425f10f6a8f959d2ea0b9c2b1d79553551850539e4674" });
    // Debian's "Could not get crate checksum" is no SHA-256: no checksum, not a wrong one.
    expect(crates.find((c) => c.name === "syn")).toEqual({ name: "syn", version: "2.0.98", source: "registry+file:///speck-test-index" });
    expect(crates.map((c) => c.name)).not.toContain("extra");
    expect(crates.map((c) => c.name)).not.toContain("app");
  });

  it("tells one name and version from two sources apart by the source cargo shows", () => {
    const lock = [
      "[[package]]", 'name = "foo"', 'version = "1.0.0"', 'source = "registry+file:///speck-test-index"', `checksum = "${"b".repeat(64)}"`, "",
      "[[package]]", 'name = "foo"', 'version = "1.0.0"', 'source = "git+file:///repos/foo#0123abc"', "",
    ].join("\n");
    expect(treeCrates("app v0.1.0 (/src)\nfoo v1.0.0 (file:///repos/foo#0123abc)\n", lock)).toEqual([{ name: "foo", version: "1.0.0", source: "git+file:///repos/foo#0123abc" }]);
    expect(treeCrates("app v0.1.0 (/src)\nfoo v1.0.0 (file:///repos/foo#0123abc) (*)\n", lock)).toEqual([{ name: "foo", version: "1.0.0", source: "git+file:///repos/foo#0123abc" }]);
    expect(treeCrates("app v0.1.0 (/src)\nfoo v1.0.0 (*)\n", lock)).toEqual([{ name: "foo", version: "1.0.0", source: "registry+file:///speck-test-index", checksum: "b".repeat(64) }]);
  });

  it("asks cargo tree for the build's target, package and features, as record.sh did", () => {
    const plan = offlineBuild(fixtureWorkspace("language: rust\nsources: [.]\nfeatures: [extra]\ndefault-features: false\n"), { platform: arm64, buildPlatform: amd64 }).plan as RustBuildPlan;
    expect(treeArgv(plan)).toEqual(["cargo", "tree", "--frozen", "--target", "aarch64-alpine-linux-musl", "-p", "app", "--features", "extra", "--no-default-features", "--edges", "normal,no-proc-macro", "--prefix", "none", "--format", "{p}"]);
    // The same feature arguments as the build itself.
    expect(plan.compile.argv).toEqual(expect.arrayContaining(["--features", "extra", "--no-default-features"]));
    const plain = offlineBuild(fixtureWorkspace("language: rust\nsources: [.]\n"), { platform: arm64, buildPlatform: amd64 }).plan as RustBuildPlan;
    expect(treeArgv(plain)).not.toContain("--features");
    expect(treeArgv(plain)).not.toContain("--no-default-features");
    // record.sh ran cargo with these same flags after the target and features.
    expect(readFileSync(join(FIXTURE, "record.sh"), "utf8")).toContain("--edges normal,no-proc-macro --prefix none --format '{p}'");
  });
});
