import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeDefinition, digestOf } from "../llb/index.js";
import { EXIT_OK, EXIT_USAGE, EXIT_USER, main, platformsOf } from "./cli.js";
import { hostPlatform } from "./gateway/platforms.js";
import { versionText } from "./version.js";

const PAUSLE = join(resolve(import.meta.dirname, ".."), "examples/pausle/speck.yaml");

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (s) => (out += typeof s === "string" ? s : Buffer.from(s).toString()), err: (s) => (err += s) });
  return { code, out, err };
}

describe("speck version", () => {
  it("prints version, revision and source, one per line (the image's OCI labels)", async () => {
    const r = await cli("version");
    expect(r.code, r.err).toBe(EXIT_OK);
    // Run from the TypeScript sources nothing stamped a revision (frontend/version.test.ts runs the bundle).
    expect(r.out).toBe(versionText());
    expect(r.out).toMatch(/^version: {2}\d+\.\d+\.\d+\nrevision: \S+\nsource: {3}\S+\n$/);
  });
});

describe("--platform lists", () => {
  it("parses a comma list in order and drops duplicates", () => {
    expect(platformsOf("linux/arm64, linux/amd64,linux/arm64").map((p) => `${p.os}/${p.architecture}`)).toEqual(["linux/arm64", "linux/amd64"]);
  });

  it("explain prints one plan per platform", async () => {
    const r = await cli("explain", PAUSLE, "--platform", "linux/amd64,linux/arm64");
    expect(r.code, r.err).toBe(EXIT_OK);
    const heads = r.out.split("\n").filter((l) => l.startsWith("pausle: a static C binary for "));
    expect(heads.map((l) => l.split(" ")[6])).toEqual(["linux/amd64,", "linux/arm64,"]);
    // The cross flags, each with its reason, and where the toolchain runs.
    expect(r.out).toMatch(/--target=aarch64-alpine-linux-musl +compile for linux\/arm64 on the build machine/);
    expect(r.out).toMatch(/--sysroot=\/aarch64-alpine-linux-musl +headers, crt files, libc and libgcc from the target's own root/);
    expect(r.out).toMatch(/-fuse-ld=lld +LLVM's linker/);
    expect(r.out).toContain(`runs on   ${hostPlatform().os}/${hostPlatform().architecture}, the build platform`);
    expect(r.out).toContain("apk add --root /aarch64-alpine-linux-musl --initdb --arch aarch64 --keys-dir /usr/share/apk/keys/aarch64 --no-scripts --no-progress --update-cache --cache-dir var/cache/apk gcc musl-dev");
  });

  it("llb takes one platform; an empty entry is a usage error", async () => {
    const two = await cli("llb", PAUSLE, "--platform", "linux/amd64,linux/arm64");
    expect(two.code).toBe(EXIT_USAGE);
    expect(two.err).toContain("one platform at a time");
    const empty = await cli("explain", PAUSLE, "--platform", "linux/amd64,");
    expect(empty.code).toBe(EXIT_USAGE);
    expect(empty.err).toContain("an empty entry");
  });
});

describe("speck llb, explain, init", () => {
  const out = (s: string | Uint8Array): Uint8Array => (typeof s === "string" ? Buffer.from(s) : s);

  it("llb prints the Definition as JSON, with the compile step as an argv and no network", async () => {
    const r = await cli("llb", PAUSLE, "--platform", "linux/arm64", "--toolchain", "local/speck-toolchain:c");
    expect(r.code, r.err).toBe(EXIT_OK);
    const ops = JSON.parse(r.out) as { kind: string; platform?: { Architecture: string }; op?: { meta?: { args?: string[] }; network?: number } }[];
    const execs = ops.filter((o) => o.kind === "exec");
    expect(execs).toHaveLength(1);
    expect(execs[0]?.op?.meta?.args?.slice(0, 5)).toEqual(["clang", "--no-default-config", "--target=aarch64-alpine-linux-musl", "--sysroot=/aarch64-alpine-linux-musl", "-Os"]);
    expect(execs[0]?.op?.network).toBe(2);
    // The compile runs on this machine's platform (the build platform), not under emulation.
    expect(execs[0]?.platform?.Architecture).toBe(hostPlatform().architecture);
  });

  it("llb --format binary writes a Definition that decodes, ending in the terminal op", async () => {
    let bytes: Uint8Array = new Uint8Array();
    const code = await main(["llb", PAUSLE, "--platform", "linux/amd64", "--format", "binary"], { out: (s) => (bytes = out(s)), err: () => undefined });
    expect(code).toBe(EXIT_OK);
    const def = decodeDefinition(bytes);
    expect(def.def.length).toBeGreaterThan(3);
    expect(Object.keys(def.metadata)).toContain(digestOf(def.def[0] ?? new Uint8Array()));
  });

  it("a bad file is exit 1 with file:line:col, never a stack", async () => {
    const dir = mkdtempSync(join(tmpdir(), "speck-cli-"));
    writeFileSync(join(dir, "speck.yaml"), "# syntax=local/speck\nsources: [a.c]\nprofil: tiny\n");
    writeFileSync(join(dir, "a.c"), "int main(void) { return 0; }\n");
    const r = await cli("explain", join(dir, "speck.yaml"));
    expect(r.code).toBe(EXIT_USER);
    expect(r.err).toMatch(/speck\.yaml:3:1: unknown key `profil`/);
    expect(r.err).not.toMatch(/\n\s+at /);
    rmSync(dir, { recursive: true, force: true });
  });

  it("init writes a spec for the sources it finds, and will not overwrite one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "speck-init-"));
    mkdirSync(join(dir, "src"));
    mkdirSync(join(dir, "include"));
    writeFileSync(join(dir, "src", "main.c"), "int main(void) { return 0; }\n");
    writeFileSync(join(dir, "util.cpp"), "int f() { return 1; }\n");
    const first = await cli("init", dir);
    expect(first.code, first.err).toBe(EXIT_OK);
    const text = readFileSync(join(dir, "speck.yaml"), "utf8");
    expect(text.split("\n")[0]).toBe("# syntax=local/speck");
    expect(text).toContain('sources: ["src/main.c", "util.cpp"]');
    expect(text).toContain("include: [include]");
    const again = await cli("init", dir);
    expect(again.code).toBe(EXIT_USER);
    expect(again.err).toContain("pass --force");
    const empty = mkdtempSync(join(tmpdir(), "speck-init-"));
    const none = await cli("init", empty);
    expect(none.code).toBe(EXIT_USER);
    // The sentence comes from the C folder through the registry; it reads as it did before the seam.
    expect(none.err).toContain(`no C or C++ sources in ${empty} or ${join(empty, "src")} (looked for .c, .cc, .cpp, .cxx, .C, .c++, .s, .S)`);
    rmSync(dir, { recursive: true, force: true });
    rmSync(empty, { recursive: true, force: true });
  });

  it("init writes `sources: [.]` for a Go module, with the one program under cmd/ as main, and explain plans it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "speck-init-"));
    mkdirSync(join(dir, "cmd", "srv"), { recursive: true });
    writeFileSync(join(dir, "go.mod"), "module example.com/srv\n\ngo 1.22\n");
    writeFileSync(join(dir, "cmd", "srv", "main.go"), "package main\n\nfunc main() {}\n");
    expect((await cli("init", dir)).code).toBe(EXIT_OK);
    expect(readFileSync(join(dir, "speck.yaml"), "utf8")).toMatch(/\nsources: \[\.\]\nmain: \.\/cmd\/srv\n$/);
    const plan = await cli("explain", join(dir, "speck.yaml"), "--platform", "linux/arm64");
    expect(plan.code, plan.err).toBe(EXIT_OK);
    expect(plan.out).toContain("srv: a static Go binary for linux/arm64");
    expect(plan.out).toContain("GOARCH=arm64");
    rmSync(dir, { recursive: true, force: true });
  });

  it("an unknown command is a usage error", async () => {
    const r = await cli("bogus");
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.err).toContain("Unknown argument: bogus");
  });
});

describe("the speck command", () => {
  it("prints --help on stdout (the gateway's stdout guard stays out of CLI runs)", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", join(resolve(import.meta.dirname), "main.ts"), "--help"], { encoding: "utf8", timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("speck <command>");
    expect(r.stdout).toContain("speck explain <file>");
  });
});

describe("offline context listing", () => {
  it("refuses a link out of the context, as a real build does", async () => {
    const dir = mkdtempSync(join(tmpdir(), "speck-link-"));
    writeFileSync(join(dir, "speck.yaml"), "sources: [a.c]\n");
    symlinkSync("/etc/hostname", join(dir, "a.c"));
    const r = await cli("explain", join(dir, "speck.yaml"));
    expect(r.code).toBe(EXIT_USER);
    expect(r.err).toContain("`a.c` is a symbolic link to `/etc/hostname`, outside the build context");
    rmSync(dir, { recursive: true, force: true });
  });
});
