import { describe, expect, it } from "vitest";
import { UserError } from "../../errors.js";
import { parseBuildFile } from "../registry.js";
import { causeOf } from "./prepare.js";
import { cargoFile, maskLock, maskManifest, parseManifest, SKELETON_VERSION } from "./workspace.js";

describe("the skeleton's masking", () => {
  it("replaces the package's version, leaves dependency versions alone, and adds one where there is none", () => {
    const text = '[package]\nname = "a"\nversion = "1.2.3"\n\n[dependencies]\nserde = { version = "1" }\nversion = "x"\n';
    expect(maskManifest(text)).toBe(`[package]\nname = "a"\nversion = "${SKELETON_VERSION}"\n\n[dependencies]\nserde = { version = "1" }\nversion = "x"\n`);
    expect(maskManifest('[package]\nname = "a"\n')).toBe(`[package]\nversion = "${SKELETON_VERSION}"\nname = "a"\n`);
    expect(maskManifest('[package]\nversion.workspace = true\n[workspace.package]\nversion = "2.0.0"\n')).toBe(`[package]\nversion.workspace = true\n[workspace.package]\nversion = "${SKELETON_VERSION}"\n`);
  });

  it("makes a path dependency's version requirement accept the masked version, inline or as a table", () => {
    const text = '[package]\nname = "a"\nversion = "1.0.0"\n\n[dependencies]\ncore = { path = "core", version = "0.4" }\nserde = { version = "1" }\n\n[dependencies.util]\npath = "util"\nversion = "0.2"\n\n[dependencies.itoa]\nversion = "1"\n';
    expect(maskManifest(text)).toBe(`[package]\nname = "a"\nversion = "${SKELETON_VERSION}"\n\n[dependencies]\ncore = { path = "core", version = "=${SKELETON_VERSION}" }\nserde = { version = "1" }\n\n[dependencies.util]\npath = "util"\nversion = "=${SKELETON_VERSION}"\n\n[dependencies.itoa]\nversion = "1"\n`);
  });

  it("masks only the lock's local packages, and their versioned mentions", () => {
    const lock = '[[package]]\nname = "a"\nversion = "1.0.0"\ndependencies = [\n "b 0.1.0",\n]\n\n[[package]]\nname = "b"\nversion = "0.1.0"\n\n[[package]]\nname = "b"\nversion = "0.2.0"\nsource = "registry+x"\n';
    const masked = maskLock(lock, new Set(["a", "b"]));
    expect(masked).toBe(`[[package]]\nname = "a"\nversion = "${SKELETON_VERSION}"\ndependencies = [\n "b ${SKELETON_VERSION}",\n]\n\n[[package]]\nname = "b"\nversion = "${SKELETON_VERSION}"\n\n[[package]]\nname = "b"\nversion = "0.2.0"\nsource = "registry+x"\n`);
  });

  it("reports a manifest's TOML error at its line and column", () => {
    try {
      parseManifest(cargoFile("Cargo.toml", new TextEncoder().encode('[package]\nname = "a\n')));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).problems[0]?.span?.start.line).toBe(2);
    }
  });
});

describe("cargo's failures as located errors", () => {
  const spec = parseBuildFile("speck.yaml", new TextEncoder().encode("language: rust\nsources: [.]\nbin: app\n"));
  it("an out-of-date Cargo.lock points into Cargo.lock with cargo's words", () => {
    const stderr = "error: the lock file /src/Cargo.lock needs to be updated but --locked was passed to prevent this\nIf you want to try to generate the lock file without accessing the network, remove the --locked flag and use --offline instead.\n";
    const found = causeOf(stderr, spec, new TextEncoder().encode("version = 4\n"));
    expect(found?.file.name).toBe("Cargo.lock");
    expect(found?.problems[0]?.message).toMatch(/^Cargo.lock does not match the manifests, and speck builds with --locked; cargo says: error: the lock file \/src\/Cargo.lock needs to be updated/);
  });
  it("a dynamic link points at the spec", () => {
    const found = causeOf("error: linking with `clang` failed: exit status: 1\n  = note: ld.lld: error: attempted static link of dynamic object /x/usr/lib/libz.so\n", spec, undefined);
    expect(found?.file.name).toBe("speck.yaml");
    expect(found?.problems[0]?.message).toMatch(/^a crate does not link statically: attempted static link of dynamic object \/x\/usr\/lib\/libz.so/);
  });
  it("anything else is not explained (BuildKit shows cargo's output)", () => {
    expect(causeOf("error[E0425]: cannot find value `x` in this scope\n", spec, undefined)).toBeUndefined();
  });
});
